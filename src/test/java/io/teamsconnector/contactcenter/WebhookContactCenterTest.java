package io.teamsconnector.contactcenter;

import com.fasterxml.jackson.databind.JsonNode;
import io.teamsconnector.support.ContactCenterFake;
import io.vertx.mutiny.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.UUID;

import static io.teamsconnector.contactcenter.AdapterTestSupport.IDLE;
import static io.teamsconnector.contactcenter.AdapterTestSupport.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The webhook adapter against a real HTTP receiver; the signature is checked as a receiver would. */
class WebhookContactCenterTest {

    static Vertx vertx;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        vertx.closeAndAwait();
    }

    final ContactCenterFake receiver = new ContactCenterFake();
    final Clock clock = Clock.fixed(Instant.parse("2026-12-01T08:30:01Z"), ZoneOffset.UTC);
    final WebhookContactCenter adapter = new WebhookContactCenter(vertx, URI.create(receiver.webhookUrl()),
            ContactCenterFake.SECRET, Duration.ofSeconds(2), JSON, clock);

    @AfterEach
    void stop() {
        receiver.close();
    }

    @Test
    void postsTheChangeSignedWithTheIdempotencyKey() throws Exception {
        UUID key = UUID.randomUUID();

        Delivery delivery = adapter.send(key, IDLE).join();

        assertEquals(Delivery.Outcome.DELIVERED, delivery.outcome());
        ContactCenterFake.Received request = receiver.received().get(0);
        assertEquals("POST", request.method());
        assertEquals("/hooks/teams-connector", request.path());
        assertEquals(key.toString(), request.header("webhook-id"));
        assertEquals("1796113801", request.header("webhook-timestamp"));
        assertEquals(ContactCenterFake.expectedSignature(request), request.header("webhook-signature"));
        JsonNode body = JSON.readTree(request.body());
        assertEquals("agent.state.change", body.get("type").asText());
        assertEquals(key.toString(), body.get("id").asText());
        assertEquals("acme", body.get("orgId").asText());
        assertEquals("a-1", body.get("agentId").asText());
        assertEquals("IDLE", body.get("state").asText());
        assertEquals("idle-call", body.get("idleCode").asText());
        assertEquals("TeamsPresenceSync", body.get("reason").asText());
        assertEquals("APPLIED_IDLE", body.get("decision").asText());
        assertEquals("InACall", body.get("teamsPresence").get("activity").asText());
        assertEquals("2026-12-01T08:30:00.123456Z", body.get("decidedAt").asText());
    }

    @Test
    void aRetryKeepsTheIdButSignsItsOwnTimestamp() throws Exception {
        UUID key = UUID.randomUUID();
        Clock later = Clock.fixed(Instant.parse("2026-12-01T08:31:00Z"), ZoneOffset.UTC);
        WebhookContactCenter retrying = new WebhookContactCenter(vertx, URI.create(receiver.webhookUrl()),
                ContactCenterFake.SECRET, Duration.ofSeconds(2), JSON, later);

        adapter.send(key, IDLE).join();
        retrying.send(key, IDLE).join();

        ContactCenterFake.Received second = receiver.received().get(1);
        assertEquals(key.toString(), second.header("webhook-id"));
        assertEquals("1796113860", second.header("webhook-timestamp"));
        assertEquals(ContactCenterFake.expectedSignature(second), second.header("webhook-signature"));
    }

    @Test
    void aPlainSecretIsUsedAsItsBytes() throws Exception {
        WebhookContactCenter plain = new WebhookContactCenter(vertx, URI.create(receiver.webhookUrl()), "plain-secret",
                Duration.ofSeconds(2), JSON, clock);

        plain.send(UUID.randomUUID(), IDLE).join();

        ContactCenterFake.Received request = receiver.received().get(0);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("plain-secret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String content = request.header("webhook-id") + "." + request.header("webhook-timestamp") + "." + request.body();
        assertEquals("v1," + Base64.getEncoder().encodeToString(mac.doFinal(content.getBytes(StandardCharsets.UTF_8))),
                request.header("webhook-signature"));
    }

    @Test
    void answersAreClassified() {
        receiver.answer(503);
        assertEquals(Delivery.Outcome.RETRY, adapter.send(UUID.randomUUID(), IDLE).join().outcome());
        receiver.answer(429);
        assertEquals(Delivery.Outcome.RETRY, adapter.send(UUID.randomUUID(), IDLE).join().outcome());
        receiver.answer(401);
        assertEquals(Delivery.Outcome.RETRY, adapter.send(UUID.randomUUID(), IDLE).join().outcome());
        receiver.answer(400);
        Delivery refused = adapter.send(UUID.randomUUID(), IDLE).join();
        assertEquals(Delivery.Outcome.REJECTED, refused.outcome());
        assertEquals("HTTP 400", refused.detail());
        receiver.answer(200);
        assertEquals(Delivery.Outcome.DELIVERED, adapter.send(UUID.randomUUID(), IDLE).join().outcome());
    }

    @Test
    void aReceiverThatIsGoneIsARetry() {
        String url = receiver.webhookUrl();
        receiver.close();
        WebhookContactCenter toNowhere = new WebhookContactCenter(vertx, URI.create(url), ContactCenterFake.SECRET,
                Duration.ofSeconds(2), JSON, clock);

        Delivery delivery = toNowhere.send(UUID.randomUUID(), IDLE).join();

        assertEquals(Delivery.Outcome.RETRY, delivery.outcome());
    }
}
