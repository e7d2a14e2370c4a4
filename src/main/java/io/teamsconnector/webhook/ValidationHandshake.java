package io.teamsconnector.webhook;

import io.teamsconnector.web.ErrorBodies;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Graph's validation request ({@code POST ...?validationToken=X}, empty body), answered on the event loop
 * before the REST layer: {@code 200 text/plain} with X, URL-decoded. A body-less POST without a token is
 * refused here too, as the REST layer would wait for a body that never comes.
 */
@ApplicationScoped
public class ValidationHandshake {

    void register(@Observes Router router) {
        for (String path : new String[] {"/graph/notifications", "/graph/lifecycle"}) {
            router.post(path).order(-100).handler(this::handle);
        }
    }

    void handle(RoutingContext context) {
        String token = context.request().getParam("validationToken");
        if (token != null) {
            context.response().setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain").end(token);
        } else if ("0".equals(context.request().getHeader(HttpHeaders.CONTENT_LENGTH))) {
            context.response().setStatusCode(400).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(Json.encode(new ErrorBodies.ErrorBody("BAD_REQUEST",
                            "The body must be a notification collection: {\"value\": [...]}.")));
        } else {
            context.next();
        }
    }
}
