package io.teamsconnector.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.teamsconnector.support.EntraFake;
import io.teamsconnector.support.FakesResource;
import io.teamsconnector.support.GraphFake;
import io.teamsconnector.support.GraphFake.FakeSubscription;
import io.teamsconnector.support.Metrics;
import io.teamsconnector.support.RichNotificationsProfile;
import io.teamsconnector.support.SyncScenario;
import io.teamsconnector.support.TestDatabase;
import io.teamsconnector.support.TestSigningKey;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rich notifications (encrypted presence, signed validation tokens) end to end, and every tampering refused. */
@QuarkusTest
@TestProfile(RichNotificationsProfile.class)
class RichNotificationsTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    TestDatabase db;

    GraphFake graph;
    SyncScenario scenario;
    String ada;
    FakeSubscription subscription;

    @BeforeEach
    void setUp() {
        graph = FakesResource.graph();
        graph.reset();
        scenario = SyncScenario.active(db, "rich");
        ada = SyncScenario.newTeamsUser();
        graph.setPresence(ada, "Available", "Available");
        subscription = scenario.subscribedAvailableAgent(db, "agent-ada", ada);
    }

    @AfterEach
    void tearDown() {
        scenario.deactivate();
    }

    @Test
    void subscriptionsAskForResourceDataAndThePresenceNeedsNoFollowUpRead() {
        assertTrue(subscription.includeResourceData());
        assertEquals(RichNotificationsProfile.CERTIFICATE_ID, subscription.encryptionCertificateId());
        int reads = graph.presenceReads(scenario.tenant).size();
        long keyFetches = FakesResource.entra().keyFetches();

        graph.setPresence(ada, "Busy", "InACall");
        assertEquals(202, graph.notifyPresence(ada));
        scenario.awaitAgent("agent-ada", Duration.ofSeconds(3),
                a -> "IDLE".equals(a.getString("state")) && "idle-call".equals(a.getString("idleCode")));
        graph.setPresence(ada, "Available", "Available");
        assertEquals(202, graph.notifyPresence(ada));
        scenario.awaitAgent("agent-ada", Duration.ofSeconds(3), a -> "AVAILABLE".equals(a.getString("state")));

        assertEquals(reads, graph.presenceReads(scenario.tenant).size(), "the presence came in the notification");
        assertTrue(FakesResource.entra().keyFetches() <= keyFetches + 1, "Entra's keys are cached");
    }

    private String tamper(UnaryOperator<ObjectNode> change) throws Exception {
        ObjectNode body = (ObjectNode) JSON.readTree(graph.notificationBody(subscription.id(), ada));
        return JSON.writeValueAsString(change.apply(body));
    }

    private ObjectNode withToken(ObjectNode body, Map<String, Object> header, Map<String, Object> claims) {
        body.putArray("validationTokens").add(TestSigningKey.mint(header, claims));
        return body;
    }

    private void assertRefused(String reason, String body) {
        double before = Metrics.value("graph_notifications_rejected_total", "reason=\"" + reason + "\"");
        RestAssured.given().contentType("application/json").body(body).post("/graph/notifications")
                .then().statusCode(202);
        assertEquals(before + 1, Metrics.value("graph_notifications_rejected_total", "reason=\"" + reason + "\""), reason);
        assertEquals(0, db.count("SELECT count(*) FROM notification_inbox WHERE $1 = ANY(teams_user_ids)", ada), reason);
    }

    @Test
    void everyTamperingIsDroppedAndCounted() throws Exception {
        graph.setPresence(ada, "Busy", "InACall");
        String tenant = scenario.tenant;

        assertRefused("encrypted_content_signature", tamper(body -> {
            ObjectNode content = (ObjectNode) body.get("value").get(0).get("encryptedContent");
            String data = content.get("data").asText();
            content.put("data", (data.charAt(0) == 'A' ? "B" : "A") + data.substring(1));
            return body;
        }));
        assertRefused("encrypted_content_unknown_certificate", tamper(body -> {
            ((ObjectNode) body.get("value").get(0).get("encryptedContent")).put("encryptionCertificateId", "other");
            return body;
        }));
        assertRefused("validation_token_missing", tamper(body -> {
            body.remove("validationTokens");
            return body;
        }));
        Map<String, Object> claims = TestSigningKey.validationClaims(tenant, EntraFake.CLIENT_ID);
        assertRefused("validation_token_audience", tamper(body -> withToken(body, Map.of(),
                with(claims, "aud", "99999999-0000-0000-0000-000000000000"))));
        assertRefused("validation_token_issuer", tamper(body -> withToken(body, Map.of(),
                with(claims, "iss", "https://sts.windows.net/aaaaaaaa-0000-0000-0000-000000000001/"))));
        assertRefused("validation_token_publisher", tamper(body -> withToken(body, Map.of(),
                with(claims, "appid", "00000000-0000-0000-0000-000000000000"))));
        assertRefused("validation_token_expired", tamper(body -> withToken(body, Map.of(),
                with(claims, "exp", Instant.now().minus(Duration.ofHours(1)).getEpochSecond()))));
        assertRefused("validation_token_unknown_key", tamper(body -> withToken(body, Map.of("kid", "not-entras"), claims)));
        assertRefused("validation_token_signature", tamper(body -> {
            String token = TestSigningKey.validationToken(tenant, EntraFake.CLIENT_ID);
            String forged = token.substring(0, token.lastIndexOf('.') + 1) + TestSigningKey.signature("something else");
            body.putArray("validationTokens").add(forged);
            return body;
        }));
        assertRefused("validation_token_expired", tamper(body -> {
            // one good token does not make a bad one acceptable
            body.putArray("validationTokens").add(TestSigningKey.validationToken(tenant, EntraFake.CLIENT_ID))
                    .add(TestSigningKey.mint(Map.of(), with(claims, "exp", 1_000_000_000L)));
            return body;
        }));

        assertEquals("AVAILABLE", scenario.agent("agent-ada").getString("state"), "nothing tampered was applied");
        assertEquals(202, graph.notifyPresence(ada));
        scenario.awaitAgent("agent-ada", Duration.ofSeconds(3), a -> "IDLE".equals(a.getString("state")));
    }

    private static Map<String, Object> with(Map<String, Object> claims, String name, Object value) {
        Map<String, Object> changed = new java.util.LinkedHashMap<>(claims);
        changed.put(name, value);
        return changed;
    }
}
