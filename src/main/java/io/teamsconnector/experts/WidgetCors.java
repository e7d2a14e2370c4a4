package io.teamsconnector.experts;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.quarkus.vertx.http.runtime.security.SecurityHandlerPriorities;
import io.teamsconnector.config.ConnectorConfig;
import io.teamsconnector.web.ErrorBodies;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.Set;
import java.util.stream.Collectors;

/**
 * CORS for the widget, and for nothing else: {@code /expert-lookup} and {@code /widget/*} answer the configured
 * Desktop origins ({@code connector.widget-origins}). Runs before authentication, so a preflight (which carries
 * no token) is answered here: {@code 204} for an allowed origin, {@code 403} for another. Other routes (the
 * admin API) never send CORS headers, so a browser on another origin cannot read them.
 */
@ApplicationScoped
public class WidgetCors {

    static final String MAX_AGE_SECONDS = "600";

    private final Set<String> origins;

    public WidgetCors(ConnectorConfig config) {
        this.origins = config.widgetOrigins().stream().map(String::trim).filter(o -> !o.isEmpty())
                .map(WidgetCors::withoutSlash).collect(Collectors.toUnmodifiableSet());
    }

    void register(@Observes Filters filters) {
        filters.register(this::handle, SecurityHandlerPriorities.CORS + 10);
    }

    void handle(RoutingContext context) {
        HttpServerRequest request = context.request();
        String origin = request.getHeader("Origin");
        String path = context.normalizedPath();
        if (origin == null || !(WebexTokenAuthenticationMechanism.PATH.equals(path) || path.startsWith("/widget/"))) {
            context.next();
            return;
        }
        boolean allowed = origins.contains(origin);
        boolean preflight = request.method() == HttpMethod.OPTIONS
                && request.getHeader("Access-Control-Request-Method") != null;
        context.response().putHeader("Vary", "Origin");
        if (allowed) {
            context.response().putHeader("Access-Control-Allow-Origin", origin);
        }
        if (!preflight) {
            context.next();
            return;
        }
        if (!allowed) {
            context.response().setStatusCode(403).putHeader("Content-Type", "application/json")
                    .end(ErrorBodies.json("FORBIDDEN", "Origin " + origin + " may not call this service; see "
                            + "connector.widget-origins."));
            return;
        }
        context.response().setStatusCode(204)
                .putHeader("Access-Control-Allow-Methods", "POST, GET, OPTIONS")
                .putHeader("Access-Control-Allow-Headers", "Authorization, Content-Type")
                .putHeader("Access-Control-Max-Age", MAX_AGE_SECONDS)
                .end();
    }

    private static String withoutSlash(String origin) {
        return origin.endsWith("/") ? origin.substring(0, origin.length() - 1) : origin;
    }
}
