package io.teamsconnector.agents;

import io.quarkus.test.junit.QuarkusTest;
import io.teamsconnector.support.FakesResource;
import io.teamsconnector.support.Metrics;
import io.teamsconnector.support.TestData;
import io.teamsconnector.support.TestDatabase;
import io.teamsconnector.support.WebexBrowser;
import io.teamsconnector.support.WebexFake;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static io.teamsconnector.support.TestData.api;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Webex's signed deliveries at {@code POST /webex/events}: accepted, applied once, or refused with 401. */
@QuarkusTest
class WebexEventsTest {

    @Inject
    TestDatabase db;

    WebexFake webex;
    String orgId;
    WebexFake.Subscription subscription;

    @BeforeEach
    void setUp() {
        webex = FakesResource.webex();
        webex.reset();
        orgId = TestData.newOrgId("wxev");
        api().body("{}").put("/connectors/" + orgId).then().statusCode(201);
        db.activate(orgId, UUID.randomUUID().toString());
        WebexBrowser.link(orgId, new WebexFake.Person("admin-1", "admin@" + orgId + ".example", "Admin", orgId))
                .then().statusCode(200);
        subscription = webex.subscriptions(orgId).get(0);
    }

    private static Map<String, Object> data(String agentId, String state, Instant at) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("agentId", agentId);
        data.put("currentState", state);
        data.put("createdTime", at.toEpochMilli());
        return data;
    }

    private WebexFake.Delivery send(String type, Map<String, Object> data, boolean v2) {
        return webex.deliver(subscription, webex.signed(subscription, type, data, v2, Instant.now()));
    }

    private long stored() {
        return db.count("SELECT count(*) FROM webex_deliveries WHERE org_id = $1", orgId);
    }

    @Test
    void signedVersionOneDeliveriesAreApplied() {
        Instant t = Instant.now().minusSeconds(5);
        assertEquals(200, send("agent:login", data("ada", "idle", t), false).answered());
        api().get("/connectors/" + orgId + "/agents/ada").then().statusCode(200)
                .body("state", equalTo("IDLE")).body("lastChangeSource", equalTo("SYSTEM"));

        Map<String, Object> available = data("ada", "available", t.plusSeconds(1));
        assertEquals(200, send("agent:state_change", available, false).answered());
        api().get("/connectors/" + orgId + "/agents/ada").then().body("state", equalTo("AVAILABLE"));

        // Ada's desktop profile has the Teams integration on, so no restore (RESTORED_SYNC_OFF) undoes the change below
        api().body("{\"teamsIntegration\":true}").put("/connectors/" + orgId + "/profiles/p-ada").then().statusCode(200);
        db.update("UPDATE agents SET profile_id = 'p-ada' WHERE org_id = $1 AND agent_id = 'ada'", orgId);
        Map<String, Object> ours = data("ada", "idle", t.plusSeconds(2));
        ours.put("auxCodeId", "ic-call");
        ours.put("lastStateChangeReason", "TeamsPresenceSync");
        assertEquals(200, send("agent:state_change", ours, false).answered());
        api().get("/connectors/" + orgId + "/agents/ada").then().body("state", equalTo("IDLE"))
                .body("idleCode", equalTo("ic-call")).body("lastChangeSource", equalTo("PRESENCE_SYNC"));
        assertEquals(3, stored());
    }

    @Test
    void signedVersionTwoDeliveriesAreApplied() {
        Instant t = Instant.now().minusSeconds(5);
        assertEquals(200, send("agent:login", data("bob", "idle", t), true).answered());
        Map<String, Object> idle = data("bob", "idle", t.plusSeconds(1));
        idle.put("idleCodeId", "ic-lunch");
        idle.put("channelType", "telephony");
        assertEquals(200, send("agent:channel_state_change", idle, true).answered());
        api().get("/connectors/" + orgId + "/agents/bob").then().statusCode(200)
                .body("state", equalTo("IDLE")).body("idleCode", equalTo("ic-lunch"))
                .body("lastChangeSource", equalTo("AGENT"));
        assertEquals(200, send("agent:channelType_state_change", data("bob", "Available", t.plusSeconds(2)), true)
                .answered());
        api().get("/connectors/" + orgId + "/agents/bob").then().body("state", equalTo("AVAILABLE"));
    }

    @Test
    void aRepeatedDeliveryIsAppliedOnce() {
        double duplicates = Metrics.value("webex_deliveries_total", "outcome=\"duplicate\"");
        WebexFake.Delivery login = webex.signed(subscription, "agent:login", data("cy", "idle", Instant.now()), false,
                Instant.now());
        assertEquals(200, webex.deliver(subscription, login).answered());
        // the agent moves on; the repeated sign-in must not bring it back
        send("agent:state_change", data("cy", "available", Instant.now().plusMillis(5)), false);

        assertEquals(200, webex.deliver(subscription, login).answered());

        api().get("/connectors/" + orgId + "/agents/cy").then().body("state", equalTo("AVAILABLE"));
        assertEquals(2, stored());
        assertEquals(duplicates + 1, Metrics.value("webex_deliveries_total", "outcome=\"duplicate\""));
    }

    private void assertRefused(Map<String, String> headers, String body, String error) {
        var request = given().contentType("application/json").body(body);
        headers.forEach(request::header);
        request.post("/webex/events").then().statusCode(401).body("error", equalTo(error));
    }

    @Test
    void unsignedWronglySignedStaleAndUnknownOrgDeliveriesAreRefusedAndApplyNothing() {
        WebexFake.Delivery v1 = webex.signed(subscription, "agent:login", data("eve", "idle", Instant.now()), false,
                Instant.now());
        assertRefused(Map.of(), v1.body(), "BAD_SIGNATURE");
        assertRefused(Map.of("X-WebexCC-Signature", WebexFake.hmacHex("not-the-secret-of-this-subscription!!",
                v1.body())), v1.body(), "BAD_SIGNATURE");
        // the signature of another body
        assertRefused(Map.of("X-WebexCC-Signature", v1.headers().get("X-WebexCC-Signature")),
                v1.body().replace("\"eve\"", "\"mal\""), "BAD_SIGNATURE");

        Instant old = Instant.now().minus(Duration.ofMinutes(6));
        WebexFake.Delivery stale = webex.signed(subscription, "agent:login", data("eve", "idle", old), true, old);
        assertRefused(stale.headers(), stale.body(), "STALE");
        WebexFake.Delivery v2 = webex.signed(subscription, "agent:login", data("eve", "idle", Instant.now()), true,
                Instant.now());
        Map<String, String> otherStamp = new LinkedHashMap<>(v2.headers());
        otherStamp.put("X-WebExCC-Timestamp", Long.toString(Instant.now().toEpochMilli() - 1000));
        assertRefused(otherStamp, v2.body(), "STALE");
        Map<String, String> noStamp = new LinkedHashMap<>(v2.headers());
        noStamp.remove("X-WebExCC-Timestamp");
        assertRefused(noStamp, v2.body(), "STALE");

        String otherOrg = v1.body().replace("\"comciscoorgid\":\"" + orgId + "\"", "\"comciscoorgid\":\"nobody-org\"");
        assertRefused(Map.of("X-WebexCC-Signature", WebexFake.hmacHex(subscription.secret(), otherOrg)), otherOrg,
                "UNKNOWN_ORG");

        api().get("/connectors/" + orgId + "/agents/eve").then().statusCode(404);
        assertEquals(0, stored());
    }

    @Test
    void aBodyThatIsNotJsonIs400() {
        given().contentType("application/json").body("not json").post("/webex/events").then().statusCode(400)
                .body("error", equalTo("BAD_REQUEST"));
    }

    @Test
    void afterUnlinkDeliveriesAreRefused() {
        WebexFake.Delivery login = webex.signed(subscription, "agent:login", data("dan", "idle", Instant.now()), false,
                Instant.now());
        api().delete("/connectors/" + orgId + "/webex").then().statusCode(200);

        assertRefused(login.headers(), login.body(), "UNKNOWN_ORG");
    }
}
