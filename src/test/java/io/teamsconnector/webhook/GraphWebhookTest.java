package io.teamsconnector.webhook;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.teamsconnector.support.FakesResource;
import io.teamsconnector.support.GraphFake;
import io.teamsconnector.support.Metrics;
import io.teamsconnector.support.SyncScenario;
import io.teamsconnector.support.TestDatabase;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.restassured.RestAssured.given;
import static io.teamsconnector.support.NotificationBodies.collection;
import static io.teamsconnector.support.NotificationBodies.item;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Graph webhook intake over HTTP, with subscriptions arranged in the database (API.md, Graph webhooks). */
@QuarkusTest
class GraphWebhookTest {

    static final String CLIENT_STATE = "k7Yq2mVtP9xR4sLw8nBc3dFh6jGz1aQe";

    @Inject
    TestDatabase db;

    GraphFake graph;
    SyncScenario scenario;
    String subscriptionId;
    String ada;
    String bob;
    List<SyncScenario> others = new ArrayList<>();

    @BeforeEach
    void setUp() {
        graph = FakesResource.graph();
        graph.reset();
        scenario = SyncScenario.active(db, "wh");
        ada = SyncScenario.newTeamsUser();
        bob = SyncScenario.newTeamsUser();
        subscriptionId = UUID.randomUUID().toString();
        db.subscription(subscriptionId, scenario.orgId, CLIENT_STATE, ada, bob);
        graph.setPresence(ada, "Available", "Available");
        graph.setPresence(bob, "Available", "Available");
        scenario.signIn("agent-ada", ada);
        scenario.signIn("agent-bob", bob);
        db.awaitEvaluated(scenario.orgId, "agent-ada");
        db.awaitEvaluated(scenario.orgId, "agent-bob");
        scenario.stateChanged("agent-ada", "AVAILABLE", "AGENT", null);
        scenario.stateChanged("agent-bob", "AVAILABLE", "AGENT", null);
        db.awaitEvaluated(scenario.orgId, "agent-ada");
        db.awaitEvaluated(scenario.orgId, "agent-bob");
    }

    @AfterEach
    void tearDown() {
        scenario.deactivate();
        others.forEach(SyncScenario::deactivate);
    }

    private static Response post(String path, String body) {
        return given().contentType("application/json").body(body).post(path);
    }

    private void awaitIdle(String agentId, String idleCode) {
        scenario.awaitAgent(agentId, Duration.ofSeconds(5),
                a -> "IDLE".equals(a.getString("state")) && idleCode.equals(a.getString("idleCode")));
    }

    /** Ada went Idle for her Teams call, with one decision more than {@code before}: applied once. */
    private void assertAdaIdleByOneMoreDecision(int before) {
        awaitIdle("agent-ada", "idle-call");
        assertEquals(before + 1, scenario.decisions("agent-ada").size());
    }

    @ParameterizedTest
    @MethodSource("nearlyOurClientState")
    void aClientStateThatIsNearlyOursIsRefusedCountedAndNotStored(String nearlyOurs) {
        graph.setPresence(ada, "Busy", "InACall");
        double refused = Metrics.value("graph_notifications_rejected_total", "reason=\"client_state\"");

        post("/graph/notifications", collection(item(subscriptionId, nearlyOurs, scenario.tenant, ada)))
                .then().statusCode(202);

        assertEquals(refused + 1, Metrics.value("graph_notifications_rejected_total", "reason=\"client_state\""));
        assertEquals(0, db.count("SELECT count(*) FROM notification_inbox WHERE $1 = ANY(teams_user_ids)", ada));
        assertEquals("AVAILABLE", scenario.agent("agent-ada").getString("state"));
    }

    static List<String> nearlyOurClientState() {
        String last = CLIENT_STATE.substring(CLIENT_STATE.length() - 1);
        return List.of(CLIENT_STATE.substring(0, CLIENT_STATE.length() - 1) + ("e".equals(last) ? "f" : "e"),
                CLIENT_STATE.substring(0, CLIENT_STATE.length() - 1), CLIENT_STATE + "x");
    }

    @Test
    void handshakeAnswersTheDecodedTokenAsPlainText() {
        String token = "Validation: Testing client application reachability for subscription Request-Id: "
                + UUID.randomUUID() + " %41 <b>&+=";
        for (String path : List.of("/graph/notifications", "/graph/lifecycle")) {
            given().urlEncodingEnabled(false).contentType("text/plain")
                    .post(path + "?validationToken=" + URLEncoder.encode(token, StandardCharsets.UTF_8))
                    .then().statusCode(200)
                    .contentType(startsWith("text/plain"))
                    .body(equalTo(token));
        }
    }

    @Test
    void aBatchIsStoredAnsweredAndAppliedWithOnePresenceRead() {
        graph.setPresence(ada, "Busy", "InACall");
        graph.setPresence(bob, "DoNotDisturb", "Presenting");
        int readsBefore = graph.presenceReads(scenario.tenant).size();

        post("/graph/notifications", collection(item(subscriptionId, CLIENT_STATE, scenario.tenant, ada),
                item(subscriptionId, CLIENT_STATE, scenario.tenant, bob),
                item(subscriptionId, CLIENT_STATE, scenario.tenant, ada))).then().statusCode(202);

        awaitIdle("agent-ada", "idle-call");
        awaitIdle("agent-bob", "idle-present");
        List<List<String>> reads = graph.presenceReads(scenario.tenant);
        assertEquals(readsBefore + 1, reads.size(), "three notifications, one bulk read: " + reads);
        assertEquals(List.of(ada, bob).stream().sorted().toList(),
                reads.get(reads.size() - 1).stream().sorted().toList());
        await().atMost(Duration.ofSeconds(5)).until(() -> db.count("SELECT count(*) FROM notification_inbox "
                + "WHERE org_id = $1 AND processed_at IS NULL", scenario.orgId) == 0);
    }

    @Test
    void aLargeCollectionIsStoredWhole() {
        // 500 items, about 200 KB: Graph batches as it likes, and a body larger than RESTEasy's default input
        // buffer (10 KB) was answered 400, cut short on the event loop
        graph.setPresence(ada, "Busy", "InACall");
        graph.setPresence(bob, "DoNotDisturb", "Presenting");
        List<String> items = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            items.add(item(subscriptionId, CLIENT_STATE, scenario.tenant, i % 2 == 0 ? ada : bob));
        }
        String body = collection(items);
        assertTrue(body.length() > 100_000, "a large body: " + body.length());

        post("/graph/notifications", body).then().statusCode(202);

        assertEquals(500, db.count("SELECT coalesce(sum(cardinality(teams_user_ids)), 0) FROM notification_inbox "
                + "WHERE org_id = $1", scenario.orgId), "every item stored");
        awaitIdle("agent-ada", "idle-call");
        awaitIdle("agent-bob", "idle-present");
    }

    @Test
    void itemsThatAreNotOursAreDroppedAndCountedWithTheSameAnswer() {
        SyncScenario other = SyncScenario.active(db, "wh2");
        others.add(other);
        String carol = SyncScenario.newTeamsUser();
        String otherSubscription = UUID.randomUUID().toString();
        db.subscription(otherSubscription, other.orgId, "other-client-state", carol);
        graph.setPresence(carol, "Available", "Available");
        other.signIn("agent-carol", carol);
        db.awaitEvaluated(other.orgId, "agent-carol");
        other.stateChanged("agent-carol", "AVAILABLE", "AGENT", null);
        db.awaitEvaluated(other.orgId, "agent-carol");
        graph.setPresence(ada, "Busy", "InACall");
        graph.setPresence(bob, "Busy", "InACall");
        graph.setPresence(carol, "Busy", "InACall");
        double clientState = Metrics.value("graph_notifications_rejected_total", "reason=\"client_state\"");
        double unknown = Metrics.value("graph_notifications_rejected_total", "reason=\"unknown_subscription\"");
        double tenant = Metrics.value("graph_notifications_rejected_total", "reason=\"tenant\"");
        int bobDecisions = scenario.decisions("agent-bob").size();

        post("/graph/notifications", collection(
                item(subscriptionId, "wrong-client-state", scenario.tenant, bob),
                item(UUID.randomUUID().toString(), CLIENT_STATE, scenario.tenant, bob),
                item(subscriptionId, CLIENT_STATE, other.tenant, bob),
                item(subscriptionId, CLIENT_STATE, scenario.tenant, ada),
                item(otherSubscription, "other-client-state", other.tenant, carol))).then().statusCode(202);

        awaitIdle("agent-ada", "idle-call");
        other.awaitAgent("agent-carol", Duration.ofSeconds(5), a -> "IDLE".equals(a.getString("state")));
        assertEquals(clientState + 1, Metrics.value("graph_notifications_rejected_total", "reason=\"client_state\""));
        assertEquals(unknown + 1, Metrics.value("graph_notifications_rejected_total", "reason=\"unknown_subscription\""));
        assertEquals(tenant + 1, Metrics.value("graph_notifications_rejected_total", "reason=\"tenant\""));
        assertEquals(bobDecisions, scenario.decisions("agent-bob").size(), "nothing was applied for bob");
        // stored as one delivery per subscription, each holding only its accepted items
        assertEquals(List.of(subscriptionId + " [" + ada + "]", otherSubscription + " [" + carol + "]").stream()
                        .sorted().toList(),
                db.query("SELECT subscription_id || ' [' || array_to_string(teams_user_ids, ', ') || ']' "
                        + "FROM notification_inbox WHERE org_id IN ($1, $2) ORDER BY 1", scenario.orgId, other.orgId)
                        .stream().map(row -> row.getString(0)).toList());
        assertEquals("AVAILABLE", scenario.agent("agent-bob").getString("state"));

        // only bad items: the same answer, stored nothing
        post("/graph/notifications", collection(item(subscriptionId, "wrong-client-state", scenario.tenant, bob)))
                .then().statusCode(202);
        assertEquals(0, db.count("SELECT count(*) FROM notification_inbox WHERE $1 = ANY(teams_user_ids)", bob));
    }

    @Test
    void theSameNotificationPostedConcurrentlyMakesOneDecision() throws Exception {
        graph.setPresence(ada, "Busy", "InACall");
        int before = scenario.decisions("agent-ada").size();
        String body = collection(item(subscriptionId, CLIENT_STATE, scenario.tenant, ada));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Callable<Integer> call = () -> {
                    start.await();
                    return post("/graph/notifications", body).statusCode();
                };
                answers.add(pool.submit(call));
            }
            start.countDown();
            for (Future<Integer> answer : answers) {
                assertEquals(202, answer.get());
            }
        } finally {
            pool.shutdownNow();
        }

        awaitIdle("agent-ada", "idle-call");
        await().atMost(Duration.ofSeconds(5)).until(() -> db.count("SELECT count(*) FROM notification_inbox "
                + "WHERE org_id = $1 AND processed_at IS NULL", scenario.orgId) == 0);
        List<Map<String, Object>> decisions = scenario.decisions("agent-ada");
        assertEquals(before + 1, decisions.size(), "one decision: " + decisions);
    }

    @Test
    void whenTheInboxCannotBeWrittenGraphIsAnswered503AndItsRetryIsAppliedOnce() throws Exception {
        graph.setPresence(ada, "Busy", "InACall");
        int before = scenario.decisions("agent-ada").size();
        String body = collection(item(subscriptionId, CLIENT_STATE, scenario.tenant, ada));

        try (AutoCloseable stopped = db.lock("notification_inbox")) {
            // answered while the inbox is still locked: the store's deadline, not the lock, ended the request
            post("/graph/notifications", body).then().statusCode(503).body("error", equalTo("UNAVAILABLE"))
                    .header("Retry-After", "5");
        }
        assertEquals(0, db.count("SELECT count(*) FROM notification_inbox WHERE org_id = $1", scenario.orgId),
                "the refused batch did not commit later");
        assertEquals("AVAILABLE", scenario.agent("agent-ada").getString("state"));

        post("/graph/notifications", body).then().statusCode(202);

        assertAdaIdleByOneMoreDecision(before);
    }

    @Test
    void notificationsLeftByAProcessThatDiedAreProcessedOnceByTheNext() {
        db.holdPolling(scenario.orgId);
        graph.setPresence(ada, "Busy", "InACall");
        int before = scenario.decisions("agent-ada").size();
        // claimed a minute ago by a process that never finished: its lease has run out
        db.update("INSERT INTO notification_inbox (dedupe_key, org_id, subscription_id, teams_user_ids, received_at, "
                + "claimed_at) VALUES ('left-by-a-dead-process', $1, $2, ARRAY[$3], now(), now() - interval '1 minute')",
                scenario.orgId, subscriptionId, ada);

        assertEquals(1, SyncScenario.syncTick().getInt("notificationsProcessed"));
        assertEquals(0, SyncScenario.syncTick().getInt("notificationsProcessed"));

        assertAdaIdleByOneMoreDecision(before);
    }

    @Test
    void whenGraphCannotBeReadTheNotificationWaitsForTheNextClaim() {
        db.holdPolling(scenario.orgId);
        graph.setPresence(ada, "Busy", "InACall");
        for (int attempt = 0; attempt < 3; attempt++) {
            graph.enqueue("POST", "/getPresencesByUserId", 503, Map.of());
        }

        post("/graph/notifications", collection(item(subscriptionId, CLIENT_STATE, scenario.tenant, ada)))
                .then().statusCode(202);

        await().atMost(Duration.ofSeconds(5)).until(() -> graph.scripted() == 0);
        assertEquals(0, SyncScenario.syncTick().getInt("notificationsProcessed"), "still held by its claim");
        assertEquals("AVAILABLE", scenario.agent("agent-ada").getString("state"));
        assertEquals(1, db.count("SELECT count(*) FROM notification_inbox WHERE $1 = ANY(teams_user_ids) "
                + "AND processed_at IS NULL", ada), "kept, not lost");

        db.update("UPDATE notification_inbox SET claimed_at = now() - interval '1 minute' "
                + "WHERE $1 = ANY(teams_user_ids)", ada);
        assertEquals(1, SyncScenario.syncTick().getInt("notificationsProcessed"));
        awaitIdle("agent-ada", "idle-call");
    }

    @Test
    void aSubscriptionWhoseServiceAccountIsGoneIsForgottenAtDeactivation() {
        // arranged without a service account: no token could delete it in Graph, where it expires alone
        scenario.deactivate();

        assertEquals(0, db.count("SELECT count(*) FROM presence_subscriptions WHERE org_id = $1", scenario.orgId));
        post("/graph/notifications", collection(item(subscriptionId, CLIENT_STATE, scenario.tenant, ada)))
                .then().statusCode(202);
        assertEquals(0, db.count("SELECT count(*) FROM notification_inbox WHERE org_id = $1", scenario.orgId));
    }

    @Test
    void malformedBodiesAre400AndOversizedOnes413() {
        post("/graph/notifications", "not json").then().statusCode(400).body("error", equalTo("BAD_REQUEST"));
        post("/graph/notifications", "{\"items\":[]}").then().statusCode(400);
        post("/graph/notifications", "{\"value\":{}}").then().statusCode(400);
        post("/graph/notifications", "[]").then().statusCode(400);
        post("/graph/lifecycle", "{}").then().statusCode(400);
        post("/graph/notifications", "").then().statusCode(400);
        String big = "{\"value\":[],\"padding\":\"" + "x".repeat(1024 * 1024) + "\"}";
        post("/graph/notifications", big).then().statusCode(413);
        assertEquals(0, db.count("SELECT count(*) FROM notification_inbox WHERE org_id = $1", scenario.orgId));
    }

    @Test
    void aMalformedItemIsDroppedAndTheRestStored() {
        graph.setPresence(ada, "Busy", "InACall");
        double malformed = Metrics.value("graph_notifications_rejected_total", "reason=\"malformed\"");

        post("/graph/notifications", collection("{\"subscriptionId\":\"" + subscriptionId + "\"}", "42",
                item(subscriptionId, CLIENT_STATE, scenario.tenant, ada).replace("communications/presences/" + ada,
                        "users/" + ada), item(subscriptionId, CLIENT_STATE, scenario.tenant, ada)))
                .then().statusCode(202);

        awaitIdle("agent-ada", "idle-call");
        assertEquals(malformed + 3, Metrics.value("graph_notifications_rejected_total", "reason=\"malformed\""));
    }

    @Test
    void aStreamOfBatchesIsReadFromGraphAtMostTenTimesASecond() {
        List<String> users = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            users.add(SyncScenario.newTeamsUser());
        }
        long start = System.nanoTime();
        for (String user : users) {
            post("/graph/notifications", collection(item(subscriptionId, CLIENT_STATE, scenario.tenant, user)))
                    .then().statusCode(202);
        }
        long postingMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        await().atMost(Duration.ofSeconds(10)).until(() -> db.count("SELECT count(*) FROM notification_inbox "
                + "WHERE org_id = $1 AND processed_at IS NULL", scenario.orgId) == 0);

        List<List<String>> reads = graph.presenceReads(scenario.tenant).stream()
                .filter(read -> read.stream().anyMatch(users::contains)).toList();
        assertEquals(users.stream().sorted().toList(),
                reads.stream().flatMap(List::stream).filter(users::contains).distinct().sorted().toList(),
                "every notified user's presence was read");
        // runs start at least 100 ms apart, and each reads its connector's users in one call
        long allowed = postingMillis / 100 + 2;
        assertTrue(reads.size() <= allowed, reads.size() + " presence reads for 30 batches posted in "
                + postingMillis + " ms (at most " + allowed + "): " + reads);
    }
}
