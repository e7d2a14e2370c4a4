package io.teamsconnector.sync;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.teamsconnector.support.FakesResource;
import io.teamsconnector.support.GraphFake;
import io.teamsconnector.support.Metrics;
import io.teamsconnector.support.SyncScenario;
import io.teamsconnector.support.TestDatabase;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.teamsconnector.support.TestData.api;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reconciliation polling through {@code POST /sync-tick}, as a cron-driven deployment runs it. */
@QuarkusTest
class ReconciliationPollerTest {

    static final Duration SOON = Duration.ofSeconds(5);

    @Inject
    TestDatabase db;

    GraphFake graph;
    SyncScenario scenario;

    @BeforeEach
    void setUp() {
        graph = FakesResource.graph();
        scenario = SyncScenario.active(db, "poll");
    }

    @AfterEach
    void tearDown() {
        scenario.deactivate();
    }

    /** An agent signed in and Available, its sign-in read done. */
    private String availableAgent(String agentId, String availability, String activity) {
        String user = SyncScenario.newTeamsUser();
        graph.setPresence(user, availability, activity);
        scenario.signIn(agentId, user);
        scenario.stateChanged(agentId, "AVAILABLE", "AGENT", null);
        db.awaitEvaluated(scenario.orgId, agentId);
        return user;
    }

    private int reads() {
        return graph.presenceReads(scenario.tenant).size();
    }

    @Test
    void fifteenHundredSignedInAgentsAreReadInThreeCallsPerTick() {
        db.update("INSERT INTO agents (org_id, agent_id, teams_user_id, profile_id, state, last_change_source, "
                + "last_change_at, created_at, updated_at) SELECT $1, 'bulk-' || g, gen_random_uuid()::text, $2, "
                + "'AVAILABLE', 'AGENT', now(), now(), now() FROM generate_series(1, 1500) g", scenario.orgId,
                SyncScenario.PROFILE);
        db.query("SELECT teams_user_id FROM agents WHERE org_id = $1 LIMIT 10", scenario.orgId)
                .forEach(row -> graph.setPresence(row.getString(0), "Busy", "InACall"));

        SyncScenario.syncTick();

        List<List<String>> reads = graph.presenceReads(scenario.tenant);
        assertEquals(List.of(650, 650, 200), reads.stream().map(List::size).toList());
        Set<String> all = new HashSet<>();
        reads.forEach(all::addAll);
        assertEquals(1500, all.size(), "every agent read once");
        assertEquals(10, db.count("SELECT count(*) FROM agents WHERE org_id = $1 AND state = 'IDLE' "
                + "AND last_change_source = 'PRESENCE_SYNC'", scenario.orgId));
        // within the interval, another tick leaves the connector alone
        SyncScenario.syncTick();
        assertEquals(3, reads());
    }

    @Test
    void onlySignedInAgentsWithTheIntegrationAreRead() {
        String available = availableAgent("in", "Available", "Available");
        String user = SyncScenario.newTeamsUser();
        scenario.signIn("out", user);
        scenario.event("{\"orgId\":\"" + scenario.orgId + "\",\"agentId\":\"out\",\"type\":\"SIGNED_OUT\"}");
        scenario.event("{\"orgId\":\"" + scenario.orgId + "\",\"agentId\":\"other-profile\",\"type\":\"SIGNED_IN\","
                + "\"teamsUserId\":\"" + SyncScenario.newTeamsUser() + "\",\"profileId\":\"p-off\"}");
        int before = reads();

        db.pollDueNow(scenario.orgId);
        JsonPath tick = SyncScenario.syncTick();

        List<List<String>> reads = graph.presenceReads(scenario.tenant);
        assertEquals(before + 1, reads.size());
        assertEquals(List.of(available), reads.get(reads.size() - 1));
        assertTrue(tick.getInt("polled") >= 1);
        assertTrue(tick.getInt("connectors") >= 1);
    }

    @Test
    void aPresenceChangeIsEvaluatedAtTheNextPoll() {
        String user = availableAgent("a-1", "Available", "Available");
        graph.setPresence(user, "DoNotDisturb", "Presenting");

        db.pollDueNow(scenario.orgId);
        JsonPath tick = SyncScenario.syncTick();

        JsonPath agent = scenario.agent("a-1");
        assertEquals("IDLE", agent.getString("state"));
        assertEquals("idle-present", agent.getString("idleCode"));
        assertEquals("Presenting", agent.getString("teamsPresence.activity"));
        assertEquals("APPLIED_IDLE", scenario.lastReason("a-1"));
        assertTrue(tick.getInt("decisions") >= 1);
        assertTrue(tick.getInt("presencesRead") >= 1);
    }

    @Test
    void anUnchangedPresenceIsNoNewDecision() {
        availableAgent("a-1", "Available", "Available");
        int decisions = scenario.decisions("a-1").size();

        db.pollDueNow(scenario.orgId);
        SyncScenario.syncTick();

        assertEquals(decisions, scenario.decisions("a-1").size());
    }

    @Test
    void concurrentTicksPollEachConnectorOnce() throws Exception {
        availableAgent("a-1", "Available", "Available");
        int before = reads();
        db.pollDueNow(scenario.orgId);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Callable<Integer>> ticks = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                ticks.add(() -> {
                    start.await();
                    return SyncScenario.syncTick().getInt("polled");
                });
            }
            List<Future<Integer>> results = new ArrayList<>();
            for (Callable<Integer> tick : ticks) {
                results.add(pool.submit(tick));
            }
            start.countDown();
            for (Future<Integer> result : results) {
                result.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertEquals(before + 1, reads(), "one of four concurrent passes polled the connector");
    }

    @Test
    void a429IsWaitedOutAndTheRoundCompletes() {
        String user = availableAgent("a-1", "Available", "Available");
        graph.setPresence(user, "Busy", "InACall");
        graph.enqueue(new GraphFake.Scripted("POST", "/getPresencesByUserId", 429, Map.of("Retry-After", "1"),
                "{\"error\":{\"code\":\"TooManyRequests\",\"message\":\"throttled\"}}", scenario.tenant));
        int before = reads();

        db.pollDueNow(scenario.orgId);
        SyncScenario.syncTick();

        assertEquals(0, graph.scripted(), "Graph answered 429 once");
        assertTrue(reads() >= before + 2, "the throttled request and its retry");
        assertEquals("IDLE", scenario.agent("a-1").getString("state"), "the same pass waited and read again");
    }

    @Test
    void aLongRetryAfterPausesTheTenantAndTheAgentIsReadLater() {
        String user = availableAgent("a-1", "Available", "Available");
        graph.setPresence(user, "Busy", "InACall");
        graph.enqueue(new GraphFake.Scripted("POST", "/getPresencesByUserId", 429, Map.of("Retry-After", "120"),
                "{\"error\":{\"code\":\"TooManyRequests\",\"message\":\"throttled\"}}", scenario.tenant));
        double throttled = Metrics.value("sync_poll_batches_total", "outcome=\"throttled\"");
        int before = reads();

        db.pollDueNow(scenario.orgId);
        SyncScenario.syncTick();
        db.pollDueNow(scenario.orgId);
        SyncScenario.syncTick();

        assertEquals(before + 1, reads(), "no request while Graph asked us to wait");
        assertEquals("AVAILABLE", scenario.agent("a-1").getString("state"));
        assertEquals(throttled + 2, Metrics.value("sync_poll_batches_total", "outcome=\"throttled\""));
    }

    @Test
    void presenceSyncOffStopsGraphReadsAndSignInsSayWhy() {
        availableAgent("a-1", "Available", "Available");
        api().body("{\"presenceSync\":false}").patch("/connectors/" + scenario.orgId).then().statusCode(200);
        int before = reads();

        db.pollDueNow(scenario.orgId);
        SyncScenario.syncTick();
        String user = SyncScenario.newTeamsUser();
        graph.setPresence(user, "Busy", "InACall");
        scenario.signIn("a-2", user);
        scenario.awaitReason("a-2", SOON, "SKIPPED_SYNC_OFF");

        assertEquals(before, reads());
        assertEquals("IDLE", scenario.agent("a-2").getString("state"));
    }

    @Test
    void anInactiveConnectorIsNotReadAndSignInsSayWhy() {
        availableAgent("a-1", "Available", "Available");
        api().post("/connectors/" + scenario.orgId + "/deactivate").then().statusCode(200);
        int before = reads();

        db.pollDueNow(scenario.orgId);
        SyncScenario.syncTick();
        scenario.signIn("a-2", SyncScenario.newTeamsUser());
        scenario.awaitReason("a-2", SOON, "SKIPPED_CONNECTOR_INACTIVE");

        assertEquals(before, reads());
    }

    @Test
    void aDisabledProfileIsNotReadAndADeletedConnectorIsGone() {
        availableAgent("a-1", "Available", "Available");
        api().body("{\"teamsIntegration\":false}").put("/connectors/" + scenario.orgId + "/profiles/" + SyncScenario.PROFILE)
                .then().statusCode(200);
        int before = reads();

        db.pollDueNow(scenario.orgId);
        SyncScenario.syncTick();
        assertEquals(before, reads());

        api().post("/connectors/" + scenario.orgId + "/deactivate").then().statusCode(200);
        api().delete("/connectors/" + scenario.orgId).then().statusCode(200);
        SyncScenario.syncTick();
        assertEquals(before, reads());
        assertEquals(0, db.count("SELECT count(*) FROM agents WHERE org_id = $1", scenario.orgId));
        assertEquals(0, db.count("SELECT count(*) FROM decisions WHERE org_id = $1", scenario.orgId));
    }

    @Test
    void aNewMappingIsAppliedToPresencesThatDidNotChange() {
        availableAgent("a-1", "Busy", "InAMeeting");
        scenario.awaitReason("a-1", SOON, "SKIPPED_UNMAPPED");

        api().body("{\"stateMapping\":{\"InACall\":\"idle-call\",\"InAMeeting\":\"idle-meeting\"}}")
                .patch("/connectors/" + scenario.orgId).then().statusCode(200);
        db.pollDueNow(scenario.orgId);
        SyncScenario.syncTick();

        assertEquals("idle-meeting", scenario.agent("a-1").getString("idleCode"));
        assertEquals("APPLIED_IDLE", scenario.lastReason("a-1"));
    }

    @Test
    void whenGraphFailsAtSignInTheNextPollStillEvaluatesTheAgent() {
        String user = SyncScenario.newTeamsUser();
        graph.setPresence(user, "Busy", "InACall");
        for (int i = 0; i < 3; i++) {
            graph.enqueue(new GraphFake.Scripted("POST", "/getPresencesByUserId", 503, Map.of(),
                    "{\"error\":{\"code\":\"ServiceUnavailable\",\"message\":\"down\"}}", scenario.tenant));
        }
        scenario.event("{\"orgId\":\"" + scenario.orgId + "\",\"agentId\":\"a-1\",\"type\":\"SIGNED_IN\",\"teamsUserId\":\""
                + user + "\",\"profileId\":\"" + SyncScenario.PROFILE + "\",\"state\":\"AVAILABLE\",\"source\":\"AGENT\"}");
        org.awaitility.Awaitility.await().atMost(SOON).until(() -> reads() == 3);
        assertEquals("AVAILABLE", scenario.agent("a-1").getString("state"));

        db.pollDueNow(scenario.orgId);
        SyncScenario.syncTick();

        assertEquals("IDLE", scenario.agent("a-1").getString("state"));
        assertEquals("APPLIED_IDLE", scenario.lastReason("a-1"));
    }
}
