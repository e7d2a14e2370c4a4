package io.teamsconnector.sync;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.teamsconnector.support.FakesResource;
import io.teamsconnector.support.GraphFake;
import io.teamsconnector.support.Metrics;
import io.teamsconnector.support.PresenceSessions;
import io.teamsconnector.support.SyncScenario;
import io.teamsconnector.support.TestDatabase;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.teamsconnector.support.TestData.api;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Both ways: an agent's contact in the contact center shows in Teams (write-back), its end clears it, and our own
 * write coming back from Teams never makes the agent Idle. Graph's presence sessions are the fake's, which follows
 * Graph's documented contract ({@link PresenceSessions}).
 */
@QuarkusTest
class TeamsWriteBackTest {

    /** Only bounds a wait; generous for a loaded machine. */
    static final Duration SOON = Duration.ofSeconds(15);
    static final String MAPPING = "{\"InACall\":\"idle-call\",\"InAMeeting\":\"idle-meeting\"}";

    @Inject
    TestDatabase db;

    GraphFake graph;
    PresenceSessions teams;
    SyncScenario scenario;

    @BeforeEach
    void setUp() {
        graph = FakesResource.graph();
        teams = graph.presenceSessions();
        teams.lagClears(false);
    }

    @AfterEach
    void tearDown() {
        teams.lagClears(false);
        teams.settleClears();
        if (scenario != null) {
            scenario.deactivate();
        }
    }

    /** An agent signed in and Available, its Teams user Available; write-back on for the connector. */
    private String availableAgent(String agentId) {
        String user = SyncScenario.newTeamsUser();
        graph.setPresence(user, "Available", "Available");
        scenario.signIn(agentId, user);
        scenario.stateChanged(agentId, "AVAILABLE", "AGENT", null);
        scenario.awaitReason(agentId, SOON, "SKIPPED_UNMAPPED");
        return user;
    }

    private List<String> teamsShows(String user) {
        String[] shown = graph.presenceOf(user);
        return shown == null ? null : Arrays.asList(shown);
    }

    private void awaitTeamsShows(String user, String availability, String activity) {
        await().atMost(SOON).pollInterval(Duration.ofMillis(20))
                .until(() -> List.of(availability, activity).equals(teamsShows(user)));
    }

    private void awaitCleared(String user) {
        await().atMost(SOON).pollInterval(Duration.ofMillis(20)).until(() -> teams.session(user) == null);
    }

    private List<String> reasons(String agentId) {
        return scenario.decisions(agentId).stream().map(d -> (String) d.get("reason")).toList();
    }

    private void awaitReasonAmong(String agentId, String reason) {
        await().atMost(SOON).pollInterval(Duration.ofMillis(20)).until(() -> reasons(agentId).contains(reason));
    }

    private long setPresenceCalls(String user) {
        return graph.count("POST", "/users/" + user + "/presence/setPresence");
    }

    /** One maintenance pass that reads the connector's presence now. */
    private void pollNow() {
        db.pollDueNow(scenario.orgId);
        SyncScenario.syncTick();
    }

    @Test
    void aVoiceContactShowsInTeamsAsInACall() {
        scenario = SyncScenario.active(db, "wb-voice");
        scenario.writeBackOn(null);
        String ada = availableAgent("ada");
        double written = Metrics.value("teams_write_back_total", "outcome=\"written\"");

        scenario.engaged("ada", "voice");

        awaitTeamsShows(ada, "Busy", "InACall");
        PresenceSessions.Session session = teams.session(ada);
        assertEquals(GraphFake.APPLICATION_ID, session.sessionId(), "the session is the application's own");
        assertEquals(Duration.ofHours(1), session.expiration());
        awaitReasonAmong("ada", "WROTE_TEAMS_PRESENCE");
        Map<String, Object> wrote = scenario.decisions("ada").stream()
                .filter(d -> "WROTE_TEAMS_PRESENCE".equals(d.get("reason"))).findFirst().orElseThrow();
        assertEquals("InACall", ((Map<?, ?>) wrote.get("teamsPresence")).get("activity"));
        assertEquals("ENGAGED", ((Map<?, ?>) wrote.get("after")).get("state"));
        assertEquals(written + 1, Metrics.value("teams_write_back_total", "outcome=\"written\""));
        assertEquals("ENGAGED", scenario.agent("ada").getString("state"));
    }

    @Test
    void aChatContactShowsThePresenceOfTheMappingAndWrapUpKeepsIt() {
        scenario = SyncScenario.active(db, "wb-chat");
        scenario.writeBackOn("{\"chat\":\"DoNotDisturb/Presenting\"}");
        String bob = availableAgent("bob");

        scenario.engaged("bob", "chat");
        awaitTeamsShows(bob, "DoNotDisturb", "Presenting");
        scenario.stateChanged("bob", "WRAP_UP", "SYSTEM", null);
        SyncScenario.syncTick();

        assertEquals(List.of("DoNotDisturb", "Presenting"), teamsShows(bob), "wrap-up keeps the engaged presence");
        assertEquals(1, setPresenceCalls(bob));
        scenario.stateChanged("bob", "IDLE", "AGENT", "lunch");
        awaitCleared(bob);
    }

    /**
     * Ada (mapping {@link #MAPPING}) on a voice contact, shown in Teams; Graph is slow to drop cleared sessions.
     * Answers her Teams user.
     */
    private String adaOnACallWithASlowGraph(String prefix) {
        scenario = SyncScenario.active(db, prefix);
        api().body("{\"stateMapping\":" + MAPPING + "}").patch("/connectors/" + scenario.orgId).then().statusCode(200);
        scenario.writeBackOn(null);
        String ada = availableAgent("ada");
        scenario.engaged("ada", "voice");
        awaitTeamsShows(ada, "Busy", "InACall");
        teams.lagClears(true);
        return ada;
    }

    /** The contact ends: our session is cleared, and Graph still shows it. */
    private void contactEnds(String ada) {
        scenario.stateChanged("ada", "AVAILABLE", "AGENT", null);
        awaitCleared(ada);
    }

    @Test
    void theEndOfTheContactClearsTeamsAndItsEchoDoesNotMakeTheAgentIdle() {
        String ada = adaOnACallWithASlowGraph("wb-echo");

        contactEnds(ada);

        awaitReasonAmong("ada", "CLEARED_TEAMS_PRESENCE");
        assertEquals(List.of("Busy", "InACall"), teamsShows(ada), "Graph still shows our call for a while");
        pollNow();
        awaitReasonAmong("ada", "SKIPPED_OWN_WRITE_BACK");
        pollNow();
        JsonPath agent = scenario.agent("ada");
        assertEquals("AVAILABLE", agent.getString("state"));
        assertEquals("AGENT", agent.getString("lastChangeSource"));
        assertFalse(reasons("ada").contains("APPLIED_IDLE"), "the echo was never mapped");

        // Graph catches up: Available, as the agent really is
        teams.settleClears();
        pollNow();
        scenario.awaitReason("ada", SOON, "SKIPPED_UNMAPPED");
        assertEquals("AVAILABLE", scenario.agent("ada").getString("state"));
    }

    @Test
    void aRealTeamsCallDuringTheSettleWindowMakesTheAgentIdle() {
        String ada = adaOnACallWithASlowGraph("wb-real-call");
        contactEnds(ada);
        pollNow();
        awaitReasonAmong("ada", "SKIPPED_OWN_WRITE_BACK");

        // Graph lets go of our session: a reading without our activity ends the settle window at once
        teams.settleClears();
        pollNow();
        scenario.awaitReason("ada", SOON, "SKIPPED_UNMAPPED");
        assertEquals(0, db.count("SELECT count(*) FROM write_back_sessions WHERE org_id = $1 AND agent_id = 'ada' "
                + "AND settle_until IS NOT NULL", scenario.orgId), "the window ended early");

        // then the agent takes a real Teams call: made Idle as usual
        graph.setPresence(ada, "Busy", "InACall");
        pollNow();
        JsonPath idle = scenario.awaitAgent("ada", SOON, a -> "IDLE".equals(a.getString("state")));
        assertEquals("idle-call", idle.getString("idleCode"));
        assertEquals("PRESENCE_SYNC", idle.getString("lastChangeSource"));
        assertEquals("APPLIED_IDLE", scenario.lastReason("ada"));
    }

    @Test
    void aTeamsMeetingJoinedWhileOurEchoStillShowsCounts() {
        String ada = adaOnACallWithASlowGraph("wb-meeting");
        contactEnds(ada);

        // within the settle window, our echo still in Graph, the agent joins a Teams meeting: another busy activity
        graph.setPresence(ada, "Busy", "InAMeeting");
        pollNow();

        JsonPath idle = scenario.awaitAgent("ada", SOON, a -> "IDLE".equals(a.getString("state")));
        assertEquals("idle-meeting", idle.getString("idleCode"));
        assertEquals("APPLIED_IDLE", scenario.lastReason("ada"));
    }

    @Test
    void ourSessionIsRenewedBeforeItExpires() {
        scenario = SyncScenario.active(db, "wb-renew");
        scenario.writeBackOn(null);
        String ada = availableAgent("ada");
        scenario.engaged("ada", "voice");
        awaitTeamsShows(ada, "Busy", "InACall");
        assertEquals(1, setPresenceCalls(ada));
        double renewed = Metrics.value("teams_write_back_total", "outcome=\"renewed\"");
        SyncScenario.syncTick();
        assertEquals(1, setPresenceCalls(ada), "not renewed while far from its expiry");

        // 55 minutes later, as far as the connector knows: the session expires in 5
        db.update("UPDATE write_back_sessions SET written_until = now() + interval '5 minutes', "
                + "due_at = now() + interval '5 minutes' - make_interval(secs => $3) WHERE org_id = $1 AND agent_id = $2",
                scenario.orgId, "ada", (double) WriteBackRule.RENEW_BEFORE.toSeconds());
        SyncScenario.syncTick();

        assertEquals(2, setPresenceCalls(ada));
        assertEquals(renewed + 1, Metrics.value("teams_write_back_total", "outcome=\"renewed\""));
        Instant expiresAt = teams.session(ada).expiresAt();
        assertTrue(expiresAt.isAfter(Instant.now().plus(Duration.ofMinutes(55))), "an hour again: " + expiresAt);
        assertTrue(db.count("SELECT count(*) FROM write_back_sessions WHERE org_id = $1 AND agent_id = 'ada' "
                + "AND written_until > now() + interval '55 minutes'", scenario.orgId) == 1);
        assertEquals(2, reasons("ada").stream().filter("WROTE_TEAMS_PRESENCE"::equals).count());
    }

    @Test
    void aMissingPermissionIsShownAndANewConsentGrantsIt() {
        scenario = SyncScenario.consented("wb-consent", SyncScenario.MAPPING);
        teams.denyWrite(scenario.tenant);
        scenario.writeBackOn(null);
        String ada = availableAgent("ada");
        String bob = availableAgent("bob");

        scenario.engaged("ada", "voice");

        awaitReasonAmong("ada", "WRITE_BACK_REFUSED");
        JsonPath connector = api().get("/connectors/" + scenario.orgId).then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("Presence.ReadWrite.All"), connector.getList("missingPermissions"));
        assertTrue(connector.getBoolean("teamsWriteBack"), "the switch stays on");
        assertNull(teams.session(ada));
        // while refused, the switch stays on without writing
        scenario.engaged("bob", "voice");
        SyncScenario.syncTick();
        assertEquals(0, setPresenceCalls(bob));

        // the administrator adds Presence.ReadWrite.All to the app, then authorizes again
        teams.grantWrite(scenario.tenant);
        scenario.consentAgain();

        assertEquals(List.of(), api().get("/connectors/" + scenario.orgId).jsonPath().getList("missingPermissions"));
        awaitTeamsShows(ada, "Busy", "InACall");
        awaitTeamsShows(bob, "Busy", "InACall");
        awaitReasonAmong("bob", "WROTE_TEAMS_PRESENCE");
    }

    /** A connector with write-back on; Ada and Bob on contacts, both shown in Teams; Cleo Available, never written. */
    private List<String> twoAgentsOnContacts(String prefix) {
        scenario = SyncScenario.active(db, prefix);
        scenario.writeBackOn(null);
        String ada = availableAgent("ada");
        String bob = availableAgent("bob");
        availableAgent("cleo");
        scenario.engaged("ada", "voice");
        scenario.engaged("bob", "email");
        awaitTeamsShows(ada, "Busy", "InACall");
        awaitTeamsShows(bob, "Busy", "InACall");
        return List.of(ada, bob);
    }

    private void assertEverySessionCleared(List<String> users) {
        users.forEach(this::awaitCleared);
        awaitReasonAmong("ada", "CLEARED_TEAMS_PRESENCE");
        awaitReasonAmong("bob", "CLEARED_TEAMS_PRESENCE");
        assertEquals(List.of("Available", "Available"), teamsShows(users.get(0)));
        assertEquals("ENGAGED", scenario.agent("ada").getString("state"), "the contact center is not changed");
        assertFalse(reasons("cleo").contains("CLEARED_TEAMS_PRESENCE"));
    }

    @Test
    void switchingWriteBackOffClearsEverySession() {
        List<String> users = twoAgentsOnContacts("wb-off");

        api().body("{\"teamsWriteBack\":false}").patch("/connectors/" + scenario.orgId).then().statusCode(200);

        assertEverySessionCleared(users);
    }

    @Test
    void deactivatingTheConnectorClearsEverySession() {
        List<String> users = twoAgentsOnContacts("wb-deactivate");

        api().post("/connectors/" + scenario.orgId + "/deactivate").then().statusCode(200);

        assertEverySessionCleared(users);
    }

    @Test
    void aSwitchThatWasNotSignalledIsCaughtByTheMaintenancePass() {
        List<String> users = twoAgentsOnContacts("wb-lost-signal");
        // as if the admin side's signal had been lost: the switch is only in the database
        db.update("UPDATE connectors SET teams_write_back = FALSE, version = version + 1 WHERE org_id = $1",
                scenario.orgId);

        SyncScenario.syncTick();

        assertEverySessionCleared(users);
    }

    @Test
    void signingOutClearsTeams() {
        scenario = SyncScenario.active(db, "wb-sign-out");
        scenario.writeBackOn(null);
        String ada = availableAgent("ada");
        scenario.engaged("ada", "voice");
        awaitTeamsShows(ada, "Busy", "InACall");

        scenario.event("{\"orgId\":\"" + scenario.orgId + "\",\"agentId\":\"ada\",\"type\":\"SIGNED_OUT\"}");

        awaitCleared(ada);
        awaitReasonAmong("ada", "CLEARED_TEAMS_PRESENCE");
        assertEquals(List.of("Available", "Available"), teamsShows(ada));
    }
}
