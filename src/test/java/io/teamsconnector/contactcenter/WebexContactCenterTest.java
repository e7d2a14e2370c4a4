package io.teamsconnector.contactcenter;

import com.fasterxml.jackson.databind.JsonNode;
import io.teamsconnector.support.ContactCenterFake;
import io.vertx.mutiny.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.UUID;

import static io.teamsconnector.contactcenter.AdapterTestSupport.AVAILABLE;
import static io.teamsconnector.contactcenter.AdapterTestSupport.IDLE;
import static io.teamsconnector.contactcenter.AdapterTestSupport.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Webex Contact Center adapter against a fake of its agent state API. */
class WebexContactCenterTest {

    static Vertx vertx;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        vertx.closeAndAwait();
    }

    final ContactCenterFake webex = new ContactCenterFake();
    final WebexContactCenter adapter = new WebexContactCenter(vertx, URI.create(webex.baseUrl() + "/"), "webex-token-1",
            Duration.ofSeconds(2), JSON);

    @AfterEach
    void stop() {
        webex.close();
    }

    @Test
    void idleIsAPutOfTheSessionStateWithTheIdleCodeAndOurReason() throws Exception {
        UUID key = UUID.randomUUID();

        Delivery delivery = adapter.send(key, IDLE).join();

        assertEquals(Delivery.Outcome.DELIVERED, delivery.outcome());
        ContactCenterFake.Received request = webex.received().get(0);
        assertEquals("PUT", request.method());
        assertEquals("/v1/agents/session/state", request.path());
        assertEquals("Bearer webex-token-1", request.header("Authorization"));
        assertTrue(request.header("TrackingID").endsWith(key.toString()));
        JsonNode body = JSON.readTree(request.body());
        assertEquals("Idle", body.get("state").asText());
        assertEquals("idle-call", body.get("auxCodeId").asText());
        assertEquals("a-1", body.get("agentId").asText());
        assertEquals("TeamsPresenceSync", body.get("lastStateChangeReason").asText());
    }

    @Test
    void availableUsesWebexsAvailableCode() throws Exception {
        adapter.send(UUID.randomUUID(), AVAILABLE).join();

        JsonNode body = JSON.readTree(webex.received().get(0).body());
        assertEquals("Available", body.get("state").asText());
        assertEquals("0", body.get("auxCodeId").asText());
    }

    @Test
    void webexRefusingTheTokenIsRetriedAndABadCodeIsNot() {
        webex.answer(401);
        assertEquals(Delivery.Outcome.RETRY, adapter.send(UUID.randomUUID(), IDLE).join().outcome());
        webex.answer(400);
        assertEquals(Delivery.Outcome.REJECTED, adapter.send(UUID.randomUUID(), IDLE).join().outcome());
    }
}
