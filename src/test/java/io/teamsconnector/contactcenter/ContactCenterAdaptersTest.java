package io.teamsconnector.contactcenter;

import io.teamsconnector.config.ConnectorConfig;
import io.vertx.mutiny.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static io.teamsconnector.contactcenter.AdapterTestSupport.JSON;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The adapter follows CONNECTOR_CONTACT_CENTER; one that could not send stops start-up with the reason. */
class ContactCenterAdaptersTest {

    static Vertx vertx;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        vertx.closeAndAwait();
    }

    /** A configuration with the given contact-center settings and defaults for the rest. */
    private static ConnectorConfig config(String kind, String url, String secret) {
        Map<String, Object> values = Map.of(
                "contactCenter", ConnectorConfig.ContactCenterKind.valueOf(kind),
                "contactCenterUrl", Optional.ofNullable(url),
                "contactCenterSecret", Optional.ofNullable(secret),
                "contactCenterTimeout", Duration.ofSeconds(2));
        return (ConnectorConfig) Proxy.newProxyInstance(ConnectorConfig.class.getClassLoader(),
                new Class<?>[] {ConnectorConfig.class}, (proxy, method, args) -> {
                    if (!values.containsKey(method.getName())) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    return values.get(method.getName());
                });
    }

    private static ContactCenterAdapter create(ConnectorConfig config) {
        return ContactCenterAdapters.create(config, JSON, Clock.systemUTC(), vertx, null, null);
    }

    @Test
    void noneQueuesNothing() {
        assertFalse(create(config("none", null, null)).sendsChanges());
    }

    @Test
    void webhookAndWebexAreChosenByName() {
        assertInstanceOf(WebhookContactCenter.class, create(config("webhook", "https://cc.example.com/hook", "s")));
        // Webex needs no URL or secret of its own: each connector's Webex link is used
        ContactCenterAdapter webex = create(config("webex", null, null));
        assertInstanceOf(WebexContactCenter.class, webex);
        assertTrue(webex.sendsChanges());
    }

    @Test
    void aMissingUrlOrSecretIsRefusedWithTheVariableToSet() {
        IllegalStateException noUrl = assertThrows(IllegalStateException.class,
                () -> create(config("webhook", null, "s")));
        assertTrue(noUrl.getMessage().contains("CONNECTOR_CONTACT_CENTER_URL"), noUrl.getMessage());
        IllegalStateException noSecret = assertThrows(IllegalStateException.class,
                () -> create(config("webhook", "https://cc.example.com/hook", " ")));
        assertTrue(noSecret.getMessage().contains("CONNECTOR_CONTACT_CENTER_SECRET"), noSecret.getMessage());
        assertThrows(IllegalStateException.class, () -> create(config("webhook", "ftp://cc.example.com", "s")));
    }
}
