package io.teamsconnector.agents;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.teamsconnector.support.ContactCenterFake;
import io.teamsconnector.support.FakesResource;
import io.teamsconnector.support.GraphFake;
import io.teamsconnector.support.SyncScenario;
import io.teamsconnector.support.TestData;
import io.teamsconnector.support.TestDatabase;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static io.teamsconnector.support.TestData.api;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code POST /agent-event} over HTTP: both formats, the read at sign-in, duplicates, order, refusals. */
@QuarkusTest
class AgentEventFunctionTest {

    static final Duration SOON = Duration.ofSeconds(5);

    @Inject
    TestDatabase db;

    GraphFake graph;
    ContactCenterFake contactCenter;
    SyncScenario scenario;

    @BeforeEach
    void setUp() {
        graph = FakesResource.graph();
        contactCenter = FakesResource.contactCenter();
        scenario = SyncScenario.active(db, "events");
    }

    @AfterEach
    void tearDown() {
        scenario.deactivate();
    }

    private static String webex(String type, String orgId, String agentId, String extraData, long createdTime) {
        return "{\"id\":\"" + java.util.UUID.randomUUID() + "\",\"specversion\":\"1.0\",\"type\":\"" + type + "\","
                + "\"source\":\"/com/cisco/wxcc/sub-1\",\"time\":\"" + Instant.ofEpochMilli(createdTime) + "\","
                + "\"data\":{\"orgId\":\"" + orgId + "\",\"agentId\":\"" + agentId + "\",\"createdTime\":" + createdTime
                + (extraData.isEmpty() ? "" : "," + extraData) + "}}";
    }

    @Test
    void signInTracksTheAgentAndReadsItsPresenceAtOnce() {
        String user = SyncScenario.newTeamsUser();
        graph.setPresence(user, "Available", "Available");

        JsonPath agent = scenario.signIn("a-1", user);

        assertEquals(scenario.orgId, agent.getString("orgId"));
        assertEquals("a-1", agent.getString("agentId"));
        assertEquals(user, agent.getString("teamsUserId"));
        assertEquals(SyncScenario.PROFILE, agent.getString("profileId"));
        assertEquals("IDLE", agent.getString("state"));
        assertEquals("SYSTEM", agent.getString("lastChangeSource"));
        assertNotNull(agent.getString("lastChangeAt"));
        // no poll runs in this test: the presence comes from the read at sign-in
        JsonPath read = scenario.awaitAgent("a-1", SOON, a -> a.get("teamsPresence") != null);
        assertEquals("Available", read.getString("teamsPresence.availability"));
        assertEquals("Available", read.getString("teamsPresence.activity"));
        assertNotNull(read.getString("teamsPresence.observedAt"));
        scenario.awaitReason("a-1", SOON, "SKIPPED_NOT_SYNC_ORIGIN");
        assertEquals(List.of(List.of(user)), graph.presenceReads(scenario.tenant));
    }

    @Test
    void becomingAvailableDuringATeamsCallGoesIdleWithoutWaitingForAPoll() {
        String user = SyncScenario.newTeamsUser();
        graph.setPresence(user, "Busy", "InACall");
        scenario.signIn("a-1", user);
        scenario.awaitReason("a-1", SOON, "SKIPPED_NOT_SYNC_ORIGIN");

        scenario.stateChanged("a-1", "AVAILABLE", "AGENT", null);

        JsonPath agent = scenario.awaitAgent("a-1", SOON, a -> "IDLE".equals(a.getString("state")));
        assertEquals("idle-call", agent.getString("idleCode"));
        assertEquals("PRESENCE_SYNC", agent.getString("lastChangeSource"));
        assertEquals("APPLIED_IDLE", scenario.lastReason("a-1"));
    }

    @Test
    void webexEventsAreUnderstood() {
        long t = Instant.now().toEpochMilli() - 10_000;
        String agentId = "wx-" + System.nanoTime();
        JsonPath login = scenario.event(webex("agent:login", scenario.orgId, agentId, "\"currentState\":\"idle\","
                + "\"idleCodeId\":\"AXUr0jX9H5Tuplm_IxiC\"", t));
        assertEquals("IDLE", login.getString("state"));
        assertEquals("AXUr0jX9H5Tuplm_IxiC", login.getString("idleCode"));
        assertEquals("SYSTEM", login.getString("lastChangeSource"));
        assertEquals(Instant.ofEpochMilli(t), Instant.parse(login.getString("lastChangeAt")));

        JsonPath available = scenario.event(webex("agent:state_change", scenario.orgId, agentId,
                "\"currentState\":\"available\"", t + 1000));
        assertEquals("AVAILABLE", available.getString("state"));
        assertEquals("AGENT", available.getString("lastChangeSource"));

        assertEquals("ENGAGED", scenario.event(webex("agent:state_change", scenario.orgId, agentId,
                "\"currentState\":\"connected\"", t + 2000)).getString("state"));
        assertEquals("WRAP_UP", scenario.event(webex("agent:state_change", scenario.orgId, agentId,
                "\"currentState\":\"wrapup\"", t + 3000)).getString("state"));
        // wrap-up done is no state of its own: the next event says where the agent went
        assertEquals("WRAP_UP", scenario.event(webex("agent:state_change", scenario.orgId, agentId,
                "\"currentState\":\"wrapup-done\"", t + 3500)).getString("state"));
        JsonPath rona = scenario.event(webex("agent:state_change", scenario.orgId, agentId,
                "\"currentState\":\"not-responding\",\"idleCodeId\":\"rona-code\"", t + 4000));
        assertEquals("IDLE", rona.getString("state"));
        assertEquals("RONA", rona.getString("lastChangeSource"));
        assertEquals("rona-code", rona.getString("idleCode"));

        assertEquals("SIGNED_OUT", scenario.event(webex("agent:logout", scenario.orgId, agentId, "", t + 5000))
                .getString("state"));
    }

    @Test
    void webexOrgIdMayComeFromTheEnvelope() {
        String body = "{\"id\":\"e-1\",\"specversion\":\"1.0\",\"type\":\"agent:login\",\"source\":\"/com/cisco/wxcc/s\","
                + "\"comciscoorgid\":\"" + scenario.orgId + "\",\"comciscotimestamp\":\"" + Instant.now().toEpochMilli()
                + "\",\"data\":{\"agentId\":\"wx-env\"}}";
        assertEquals("wx-env", scenario.event(body).getString("agentId"));
    }

    @Test
    void theConnectorsOwnChangeComingBackKeepsSourcePresenceSync() {
        String user = SyncScenario.newTeamsUser();
        graph.setPresence(user, "Busy", "InACall");
        scenario.signIn("a-1", user);
        scenario.stateChanged("a-1", "AVAILABLE", "AGENT", null);
        JsonPath idle = scenario.awaitAgent("a-1", SOON, a -> "IDLE".equals(a.getString("state")));
        int decisions = scenario.decisions("a-1").size();

        // Webex reports the state our change produced, without saying who made it
        JsonPath echoed = scenario.event(webex("agent:state_change", scenario.orgId, "a-1",
                "\"currentState\":\"idle\",\"idleCodeId\":\"idle-call\"", Instant.now().toEpochMilli()));
        assertEquals("PRESENCE_SYNC", echoed.getString("lastChangeSource"));
        assertEquals(idle.getString("lastChangeAt"), echoed.getString("lastChangeAt"));
        // and the generic form with our reason tag
        JsonPath tagged = scenario.event("{\"orgId\":\"" + scenario.orgId + "\",\"agentId\":\"a-1\",\"type\":\"STATE_CHANGED\","
                + "\"state\":\"IDLE\",\"idleCode\":\"idle-call\",\"source\":\"AGENT\",\"reason\":\"TeamsPresenceSync\"}");
        assertEquals("PRESENCE_SYNC", tagged.getString("lastChangeSource"));
        assertEquals(decisions, scenario.decisions("a-1").size(), "an echo is no new evaluation");

        // the call ends: presence sync made the agent Idle, so presence sync brings it back
        graph.setPresence(user, "Available", "Available");
        db.pollDueNow(scenario.orgId);
        SyncScenario.syncTick();
        assertEquals("AVAILABLE", scenario.agent("a-1").getString("state"));
        assertEquals("RESTORED_AVAILABLE", scenario.lastReason("a-1"));
    }

    @Test
    void aDuplicateEventChangesNothing() {
        String event = "{\"orgId\":\"" + scenario.orgId + "\",\"agentId\":\"dup\",\"type\":\"STATE_CHANGED\","
                + "\"state\":\"IDLE\",\"idleCode\":\"lunch\",\"source\":\"AGENT\",\"time\":\"" + Instant.now() + "\"}";
        JsonPath first = scenario.event(event);
        JsonPath second = scenario.event(event);

        assertEquals(first.getMap(""), second.getMap(""));
        assertEquals(1, db.count("SELECT count(*) FROM agents WHERE org_id = $1", scenario.orgId));
    }

    @Test
    void anEventOlderThanTheStoredStateIsIgnored() {
        Instant t = Instant.now().minusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        String agent = "{\"orgId\":\"" + scenario.orgId + "\",\"agentId\":\"late\",\"type\":\"STATE_CHANGED\",\"source\":\"AGENT\",";
        scenario.event(agent + "\"state\":\"ENGAGED\",\"time\":\"" + t.plusSeconds(5) + "\"}");

        JsonPath afterLate = scenario.event(agent + "\"state\":\"AVAILABLE\",\"time\":\"" + t.plusSeconds(1) + "\"}");

        assertEquals("ENGAGED", afterLate.getString("state"));
        assertEquals(t.plusSeconds(5), Instant.parse(afterLate.getString("lastChangeAt")));
        // epoch milliseconds are understood too, and a newer event still applies
        assertEquals("WRAP_UP", scenario.event(agent + "\"state\":\"WRAP_UP\",\"time\":"
                + t.plusSeconds(6).toEpochMilli() + "}").getString("state"));
    }

    @Test
    void anAgentKnownByEmailIsResolvedThroughGraphOnce() {
        String user = SyncScenario.newTeamsUser();
        String email = "ada." + System.nanoTime() + "@example.com";
        graph.addUser(user, email);
        graph.setPresence(user, "Busy", "InACall");

        JsonPath agent = scenario.event("{\"orgId\":\"" + scenario.orgId + "\",\"agentId\":\"mail\",\"type\":\"SIGNED_IN\","
                + "\"email\":\"" + email + "\",\"profileId\":\"" + SyncScenario.PROFILE + "\",\"state\":\"AVAILABLE\","
                + "\"source\":\"AGENT\"}");
        assertNull(agent.getString("teamsUserId"));

        JsonPath idle = scenario.awaitAgent("mail", SOON, a -> "IDLE".equals(a.getString("state")));
        assertEquals(user, idle.getString("teamsUserId"));
        db.pollDueNow(scenario.orgId);
        SyncScenario.syncTick();
        assertEquals(1, graph.requests(scenario.tenant).stream().filter(r -> r.path().endsWith("/users")).count());
    }

    @Test
    void anEmailNoUserHasIsLookedUpOncePerSignIn() {
        String email = "nobody." + System.nanoTime() + "@example.com";
        scenario.event("{\"orgId\":\"" + scenario.orgId + "\",\"agentId\":\"ghost\",\"type\":\"SIGNED_IN\","
                + "\"email\":\"" + email + "\",\"profileId\":\"" + SyncScenario.PROFILE + "\"}");
        // the read at sign-in asks Graph and remembers the answer
        await().atMost(SOON).until(() -> db.count("SELECT count(*) FROM agents WHERE org_id = $1 AND agent_id = 'ghost' "
                + "AND teams_user_origin = 'NOT_FOUND'", scenario.orgId) == 1);

        for (int i = 0; i < 2; i++) {
            db.pollDueNow(scenario.orgId);
            SyncScenario.syncTick();
        }

        assertEquals(1, graph.requests(scenario.tenant).stream().filter(r -> r.path().endsWith("/users")).count());
        assertNull(scenario.agent("ghost").getString("teamsUserId"));
    }

    @Test
    void badEventsAre400AndChangeNothing() {
        String org = "\"orgId\":\"" + scenario.orgId + "\",\"agentId\":\"bad\"";
        for (String body : new String[] {
                "{" + org + "}",
                "{" + org + ",\"type\":\"LOGGED_IN\"}",
                "{" + org + ",\"type\":\"STATE_CHANGED\"}",
                "{" + org + ",\"type\":\"STATE_CHANGED\",\"state\":\"BUSY\"}",
                "{" + org + ",\"type\":\"STATE_CHANGED\",\"state\":\"SIGNED_OUT\"}",
                "{" + org + ",\"type\":\"STATE_CHANGED\",\"state\":\"IDLE\",\"source\":\"ME\"}",
                "{" + org + ",\"type\":\"STATE_CHANGED\",\"state\":\"IDLE\",\"state\":5}",
                "{" + org + ",\"type\":\"SIGNED_IN\",\"teamsUserId\":\"not-a-guid\"}",
                "{" + org + ",\"type\":\"SIGNED_IN\",\"email\":\"no-at-sign\"}",
                "{" + org + ",\"type\":\"SIGNED_IN\",\"profileId\":\"bad id\"}",
                "{" + org + ",\"type\":\"SIGNED_IN\",\"time\":\"yesterday\"}",
                "{" + org + ",\"type\":\"SIGNED_IN\",\"time\":\"2999-01-01T00:00:00Z\"}",
                "{" + org + ",\"type\":\"SIGNED_IN\",\"idleCode\":\"" + "x".repeat(65) + "\",\"state\":\"IDLE\"}",
                "{\"orgId\":\"bad id\",\"agentId\":\"a\",\"type\":\"SIGNED_IN\"}",
                "{\"orgId\":\"" + scenario.orgId + "\",\"type\":\"SIGNED_IN\"}",
                "{\"specversion\":\"1.0\",\"type\":\"agent:login\"}",
                "{\"specversion\":\"1.0\",\"type\":\"agent:teleported\",\"data\":{\"orgId\":\"" + scenario.orgId
                        + "\",\"agentId\":\"bad\"}}",
                "{\"specversion\":\"1.0\",\"type\":\"agent:state_change\",\"data\":{\"orgId\":\"" + scenario.orgId
                        + "\",\"agentId\":\"bad\",\"currentState\":\"levitating\"}}",
                "{\"specversion\":\"1.0\",\"type\":\"agent:state_change\",\"data\":{\"orgId\":\"" + scenario.orgId
                        + "\",\"agentId\":\"bad\"}}",
                "not json",
                "[]"}) {
            api().body(body).post("/agent-event").then()
                    .statusCode(400)
                    .contentType(ContentType.JSON)
                    .body("error", equalTo("BAD_REQUEST"));
        }
        assertEquals(0, db.count("SELECT count(*) FROM agents WHERE org_id = $1", scenario.orgId));
    }

    @Test
    void anUnknownConnectorIs404AndTheKeyIsRequired() {
        String event = "{\"orgId\":\"" + TestData.newOrgId("nobody") + "\",\"agentId\":\"a\",\"type\":\"SIGNED_IN\"}";
        api().body(event).post("/agent-event").then().statusCode(404).body("error", equalTo("NOT_FOUND"));
        given().contentType("application/json").body(event).post("/agent-event").then().statusCode(401);
    }

    @Test
    void agentAndDecisionsAreReadableOr404Or400() {
        scenario.event("{\"orgId\":\"" + scenario.orgId + "\",\"agentId\":\"seen\",\"type\":\"SIGNED_IN\"}");
        api().get("/connectors/" + scenario.orgId + "/agents/unseen").then().statusCode(404)
                .body("error", equalTo("NOT_FOUND")).body("message", containsString("unseen"));
        api().get("/connectors/" + TestData.newOrgId("none") + "/agents/seen").then().statusCode(404);
        api().get("/connectors/" + scenario.orgId + "/agents/bad%20id").then().statusCode(400);
        for (String limit : new String[] {"0", "501", "ten", "-1"}) {
            api().get("/connectors/" + scenario.orgId + "/agents/seen/decisions?limit=" + limit).then()
                    .statusCode(400).body("error", equalTo("BAD_REQUEST"));
        }
        api().get("/connectors/" + scenario.orgId + "/agents/seen/decisions?limit=500").then().statusCode(200);
        given().get("/connectors/" + scenario.orgId + "/agents/seen").then().statusCode(401);
    }

    @Test
    void aSignInWithoutAProfileIsTrackedButSkippedWithTheReason() {
        String user = SyncScenario.newTeamsUser();
        graph.setPresence(user, "Busy", "InACall");
        scenario.event("{\"orgId\":\"" + scenario.orgId + "\",\"agentId\":\"np\",\"type\":\"SIGNED_IN\","
                + "\"teamsUserId\":\"" + user + "\",\"state\":\"AVAILABLE\",\"source\":\"AGENT\"}");

        scenario.awaitReason("np", SOON, "SKIPPED_PROFILE_DISABLED");
        assertTrue(graph.presenceReads(scenario.tenant).isEmpty(), "no Graph read for an agent sync does not apply to");
        List<Map<String, Object>> decisions = scenario.decisions("np");
        assertEquals("AVAILABLE", ((Map<?, ?>) decisions.get(0).get("after")).get("state"));
    }
}
