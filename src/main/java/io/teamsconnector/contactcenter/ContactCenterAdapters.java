package io.teamsconnector.contactcenter;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.StartupEvent;
import io.teamsconnector.config.ConnectorConfig;
import io.teamsconnector.contactcenter.webex.WebexCatalog;
import io.teamsconnector.contactcenter.webex.WebexClient;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.net.URI;
import java.time.Clock;

/**
 * Chooses the outbound adapter from {@code connector.contact-center}; for {@code webhook} a missing URL or
 * secret stops start-up, {@code webex} needs only the Webex integration ({@code CONNECTOR_WEBEX_*}).
 */
@Singleton
public class ContactCenterAdapters {

    @Produces
    @Singleton
    ContactCenterAdapter adapter(ConnectorConfig config, ObjectMapper json, Vertx vertx, WebexClient webex,
                                 WebexCatalog catalog) {
        return create(config, json, Clock.systemUTC(), vertx, webex, catalog);
    }

    /** Fails fast: an adapter that cannot send would only fill the outbox. */
    void check(@Observes StartupEvent event, ContactCenterAdapter adapter) {
        // injecting the adapter is the check
    }

    static ContactCenterAdapter create(ConnectorConfig config, ObjectMapper json, Clock clock, Vertx vertx,
                                       WebexClient webex, WebexCatalog catalog) {
        return switch (config.contactCenter()) {
            case none -> new NoContactCenter();
            case webhook -> new WebhookContactCenter(vertx, url(config), secret(config, "signing secret"),
                    config.contactCenterTimeout(), json, clock);
            // each connector's own Webex link: CONNECTOR_CONTACT_CENTER_URL and _SECRET are not used
            case webex -> new WebexContactCenter(webex, catalog);
        };
    }

    private static URI url(ConnectorConfig config) {
        String url = config.contactCenterUrl().filter(u -> !u.isBlank()).orElseThrow(() -> new IllegalStateException(
                "CONNECTOR_CONTACT_CENTER=" + config.contactCenter() + " needs CONNECTOR_CONTACT_CENTER_URL"));
        URI uri = URI.create(url.trim());
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new IllegalStateException("CONNECTOR_CONTACT_CENTER_URL must be an http or https URL");
        }
        return uri;
    }

    private static String secret(ConnectorConfig config, String what) {
        return config.contactCenterSecret().filter(s -> !s.isBlank()).orElseThrow(() -> new IllegalStateException(
                "CONNECTOR_CONTACT_CENTER=" + config.contactCenter() + " needs its " + what
                        + " in CONNECTOR_CONTACT_CENTER_SECRET"));
    }
}
