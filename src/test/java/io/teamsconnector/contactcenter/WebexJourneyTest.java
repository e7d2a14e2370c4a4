package io.teamsconnector.contactcenter;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.teamsconnector.support.FakesResource;
import io.teamsconnector.support.GraphFake;
import io.teamsconnector.support.LongRunningService;
import io.teamsconnector.support.SyncScenario;
import io.teamsconnector.support.WebexBrowser;
import io.teamsconnector.support.WebexContactCenterService;
import io.teamsconnector.support.WebexFake;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.teamsconnector.support.TestData.api;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * From "link Webex" to "Teams call → agent Idle in Webex with a real idle code id" and back, with Webex's
 * own signed events and no API key on Webex's side; then the link's token revoked (changes wait) and made
 * again (they go out).
 */
@QuarkusTest
@TestProfile(WebexContactCenterService.class)
class WebexJourneyTest {

    static final Duration WITHIN_ONE_POLL = LongRunningService.POLL_INTERVAL.plusMillis(1500);
    static final Duration SOON = Duration.ofSeconds(5);

    WebexFake webex;
    GraphFake graph;

    @BeforeEach
    void setUp() {
        webex = FakesResource.webex();
        webex.reset();
        graph = FakesResource.graph();
    }

    private WebexFake.Subscription linked(SyncScenario scenario) {
        WebexFake.Person admin = new WebexFake.Person("adm-" + scenario.orgId, "admin@" + scenario.orgId + ".example",
                "Admin", scenario.orgId);
        WebexBrowser.link(scenario.orgId, admin).then().statusCode(200);
        return webex.subscriptions(scenario.orgId).get(0);
    }

    private static Map<String, Object> data(String agentId, String state, String auxCodeId, String reason) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("agentId", agentId);
        data.put("currentState", state);
        if (auxCodeId != null) {
            data.put("auxCodeId", auxCodeId);
        }
        if (reason != null) {
            data.put("lastStateChangeReason", reason);
        }
        data.put("createdTime", Instant.now().toEpochMilli());
        return data;
    }

    private void event(WebexFake.Subscription subscription, String type, Map<String, Object> data) {
        WebexFake.Delivery sent = webex.deliver(subscription, webex.signed(subscription, type, data, true, Instant.now()));
        assertEquals(200, sent.answered());
    }

    private List<WebexFake.StateRequest> accepted(String orgId, String agentId) {
        return webex.stateRequests().stream()
                .filter(r -> r.orgId().equals(orgId) && r.body() != null && agentId.equals(r.body().path("agentId").asText())
                        && r.answered() == 202)
                .toList();
    }

    @Test
    void aTeamsCallMakesTheWebexAgentIdleWithTheOrgsIdleCodeAndItsEndBringsItBack() {
        SyncScenario scenario = SyncScenario.consented("wxj", "{\"InACall\":\"ic-call\"}");
        String orgId = scenario.orgId;
        webex.idleCode(orgId, "ic-available", "Available", true);
        webex.idleCode(orgId, "ic-call", "In a Teams call", false);
        String teamsUser = SyncScenario.newTeamsUser();
        graph.addUser(teamsUser, "ada@" + orgId + ".example");
        graph.setPresence(teamsUser, "Available", "Available");
        webex.user(orgId, new WebexFake.User("ada-ci", "ada@" + orgId + ".example", SyncScenario.PROFILE));
        WebexFake.Subscription subscription = linked(scenario);

        // Webex reports the sign-in and the agent going Available: the agent is resolved through Webex and Graph
        event(subscription, "agent:login", data("ada-ci", "idle", null, null));
        event(subscription, "agent:state_change", data("ada-ci", "available", null, null));
        JsonPath agent = scenario.awaitAgent("ada-ci", SOON, a -> teamsUser.equals(a.getString("teamsUserId")));
        assertEquals(SyncScenario.PROFILE, agent.getString("profileId"));

        // a Teams call starts: Idle in Webex with the org's idle code id, by the connector's own token
        graph.setPresence(teamsUser, "Busy", "InACall");
        scenario.awaitAgent("ada-ci", WITHIN_ONE_POLL, a -> "IDLE".equals(a.getString("state")));
        await().atMost(SOON).until(() -> accepted(orgId, "ada-ci").size() == 1);
        WebexFake.StateRequest idle = accepted(orgId, "ada-ci").get(0);
        assertEquals("Idle", idle.body().get("state").asText());
        assertEquals("ic-call", idle.body().get("auxCodeId").asText());
        assertEquals("TeamsPresenceSync", idle.body().get("lastStateChangeReason").asText());
        assertTrue(idle.header("TrackingID").startsWith("teams-connector_"), idle.header("TrackingID"));
        // Webex's echo of our own change keeps it ours
        event(subscription, "agent:state_change", data("ada-ci", "idle", "ic-call", "TeamsPresenceSync"));
        assertEquals("PRESENCE_SYNC", scenario.agent("ada-ci").getString("lastChangeSource"));

        // the call ends: Available, with the org's default idle code; Webex asks us to slow down first
        webex.throttleStateRequests(1, 1);
        long ended = System.nanoTime();
        graph.setPresence(teamsUser, "Available", "Available");
        scenario.awaitAgent("ada-ci", WITHIN_ONE_POLL, a -> "AVAILABLE".equals(a.getString("state")));
        await().atMost(SOON).until(() -> accepted(orgId, "ada-ci").size() == 2);
        WebexFake.StateRequest available = accepted(orgId, "ada-ci").get(1);
        WebexFake.StateRequest throttled = webex.stateRequests().stream().filter(r -> r.answered() == 429)
                .findFirst().orElseThrow();
        assertEquals(throttled.header("TrackingID"), available.header("TrackingID"), "the same change, sent again");
        assertTrue(Duration.ofNanos(System.nanoTime() - ended).compareTo(Duration.ofSeconds(1)) >= 0,
                "Retry-After: 1 honoured");
        assertEquals("Available", available.body().get("state").asText());
        assertEquals("ic-available", available.body().get("auxCodeId").asText());
        event(subscription, "agent:state_change", data("ada-ci", "available", null, "TeamsPresenceSync"));

        // Webex revokes the link's tokens: the next change waits, neither failed nor lost
        webex.revokeTokens(orgId);
        graph.setPresence(teamsUser, "Busy", "InACall");
        await().atMost(SOON.plus(WITHIN_ONE_POLL)).until(() -> api().get("/connectors/" + orgId
                + "/deliveries?status=WAITING").jsonPath().getList("deliveries").size() == 1);
        api().get("/connectors/" + orgId).then().body("webex.status", equalTo("REAUTHORIZATION_REQUIRED"));
        api().get("/connectors/" + orgId + "/deliveries?status=FAILED").then().body("deliveries", hasSize(0));
        assertEquals(2, accepted(orgId, "ada-ci").size());

        // an administrator links again: the waiting change goes out
        linked(scenario);
        await().atMost(SOON).until(() -> accepted(orgId, "ada-ci").size() == 3);
        assertEquals("Idle", accepted(orgId, "ada-ci").get(2).body().get("state").asText());
        api().get("/connectors/" + orgId + "/deliveries?status=WAITING").then().body("deliveries", hasSize(0));
        scenario.deactivate();
    }

    @Test
    void anAgentWhoseEmailHasNoTeamsUserIsSkippedOnce() {
        SyncScenario scenario = SyncScenario.consented("wxn", "{\"InACall\":\"ic-call\"}");
        String orgId = scenario.orgId;
        webex.idleCode(orgId, "ic-call", "In a Teams call", true);
        webex.user(orgId, new WebexFake.User("bob-ci", "bob@nowhere-" + orgId + ".example", SyncScenario.PROFILE));
        WebexFake.Subscription subscription = linked(scenario);

        event(subscription, "agent:login", data("bob-ci", "idle", null, null));

        scenario.awaitReason("bob-ci", SOON, "SKIPPED_NO_TEAMS_USER");
        SyncScenario.syncTick();
        long skipped = scenario.decisions("bob-ci").stream()
                .filter(d -> "SKIPPED_NO_TEAMS_USER".equals(d.get("reason"))).count();
        assertEquals(1, skipped, "not looked up again until the next sign-in");
        scenario.deactivate();
    }

    @Test
    void aChangeWebexRefusesIsFailedAndCanBeRetriedUntilTheAgentMovesOn() {
        // mapped before the link, to a code the org does not have: Webex refuses it
        SyncScenario scenario = SyncScenario.consented("wxf", "{\"InACall\":\"gone-code\"}");
        String orgId = scenario.orgId;
        webex.idleCode(orgId, "ic-available", "Available", true);
        String teamsUser = SyncScenario.newTeamsUser();
        graph.addUser(teamsUser, "cy@" + orgId + ".example");
        graph.setPresence(teamsUser, "Busy", "InACall");
        webex.user(orgId, new WebexFake.User("cy-ci", "cy@" + orgId + ".example", SyncScenario.PROFILE));
        WebexFake.Subscription subscription = linked(scenario);
        event(subscription, "agent:login", data("cy-ci", "available", null, null));

        await().atMost(SOON.plus(WITHIN_ONE_POLL)).until(() -> api().get("/connectors/" + orgId
                + "/deliveries?status=FAILED").jsonPath().getList("deliveries").size() == 1);
        JsonPath failed = api().get("/connectors/" + orgId + "/deliveries?status=FAILED").jsonPath();
        assertEquals("cy-ci", failed.getString("deliveries[0].agentId"));
        assertEquals("IDLE", failed.getString("deliveries[0].state"));
        assertEquals("gone-code", failed.getString("deliveries[0].idleCode"));
        assertTrue(failed.getString("deliveries[0].lastError").contains("400"), failed.getString("deliveries[0].lastError"));
        String id = failed.getString("deliveries[0].id");

        api().post("/connectors/" + orgId + "/deliveries/" + id + "/retry").then().statusCode(200);
        await().atMost(SOON).until(() -> api().get("/connectors/" + orgId
                + "/deliveries?status=FAILED").jsonPath().getList("deliveries").size() == 1);

        // the agent moves on (takes a contact): the old change is not sent again
        event(subscription, "agent:state_change", data("cy-ci", "connected", null, null));
        api().post("/connectors/" + orgId + "/deliveries/" + id + "/retry").then().statusCode(409)
                .body("error", equalTo("SUPERSEDED"));
        api().post("/connectors/" + orgId + "/deliveries/00000000-0000-0000-0000-000000000000/retry").then()
                .statusCode(404);
        api().get("/connectors/" + orgId + "/deliveries?status=BOGUS").then().statusCode(400);
        scenario.deactivate();
    }
}
