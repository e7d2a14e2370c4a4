package io.teamsconnector.contactcenter;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.teamsconnector.support.ContactCenterFake;
import io.teamsconnector.support.FakesResource;
import io.teamsconnector.support.GraphFake;
import io.teamsconnector.support.LogCapture;
import io.teamsconnector.support.Metrics;
import io.teamsconnector.support.SyncScenario;
import io.teamsconnector.support.TestDatabase;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Outbound delivery to the webhook receiver fake: retries while it is down, delivery once it is back,
 * nothing lost, the idempotency key unchanged, failures kept, stale changes never sent.
 */
@QuarkusTest
class OutboxDeliveryTest {

    static final Duration SOON = Duration.ofSeconds(10);

    @Inject
    TestDatabase db;

    GraphFake graph;
    ContactCenterFake receiver;
    SyncScenario scenario;
    String user;

    @BeforeEach
    void setUp() {
        graph = FakesResource.graph();
        receiver = FakesResource.contactCenter();
        receiver.reset();
        scenario = SyncScenario.active(db, "outbox");
        user = SyncScenario.newTeamsUser();
        graph.setPresence(user, "Available", "Available");
        scenario.signIn("a-1", user);
        db.awaitEvaluated(scenario.orgId, "a-1");
    }

    @AfterEach
    void tearDown() {
        receiver.answer(202);
        scenario.deactivate();
    }

    /** The agent becomes Available during a Teams call: presence sync decides Idle at once. */
    private void teamsCallWhileAvailable() {
        graph.setPresence(user, "Busy", "InACall");
        scenario.stateChanged("a-1", "AVAILABLE", "AGENT", null);
        scenario.awaitReason("a-1", SOON, "APPLIED_IDLE");
    }

    private List<ContactCenterFake.Received> requests() {
        return receiver.about(scenario.orgId, "a-1");
    }

    private List<Row> outbox() {
        return db.query("SELECT id, status, attempts FROM outbox WHERE org_id = $1 ORDER BY seq", scenario.orgId);
    }

    /** Runs maintenance passes, as a cron would, until {@code done}. */
    private void tickUntil(java.util.concurrent.Callable<Boolean> done) {
        tickUntil(done, SOON);
    }

    private void tickUntil(java.util.concurrent.Callable<Boolean> done, Duration deadline) {
        await().atMost(deadline).pollInterval(Duration.ofMillis(50)).until(() -> {
            SyncScenario.syncTick();
            return done.call();
        });
    }

    @Test
    void aReceiverThatHangsTimesOutIsRetriedWithTheSameKeyAndHoldsUpNoOtherAgent() {
        receiver.hangAbout("a-1", Duration.ofSeconds(60));
        teamsCallWhileAvailable();
        await().atMost(SOON).until(() -> requests().size() == 1);

        // while a-1's receiver hangs, another agent's change goes out
        String other = SyncScenario.newTeamsUser();
        graph.setPresence(other, "Busy", "InACall");
        scenario.signIn("a-2", other);
        scenario.stateChanged("a-2", "AVAILABLE", "AGENT", null);
        scenario.awaitReason("a-2", SOON, "APPLIED_IDLE");
        tickUntil(() -> receiver.acceptedAbout(scenario.orgId, "a-2").size() == 1, Duration.ofSeconds(30));
        assertEquals(0, receiver.acceptedAbout(scenario.orgId, "a-1").size(), "a-1's receiver still hangs");

        // a-1's attempt gives up after the contact-center timeout (2 s here) and is tried again
        tickUntil(() -> requests().size() >= 2, Duration.ofSeconds(30));
        receiver.releaseHang();
        tickUntil(() -> "DELIVERED".equals(outbox().get(0).getString("status")), Duration.ofSeconds(30));
        Set<String> keys = requests().stream().map(r -> r.header("webhook-id")).collect(Collectors.toSet());
        assertEquals(Set.of(outbox().get(0).getUUID("id").toString()), keys, "every attempt carried the item's key");
        assertTrue(receiver.acceptedAbout(scenario.orgId, "a-1").size() >= 1, "the receiver took it at last");
    }

    @Test
    void aChangeIsDeliveredOnceTheReceiverIsBackWithTheSameKeyEveryTime() {
        receiver.answer(503);
        teamsCallWhileAvailable();
        tickUntil(() -> requests().size() >= 3);
        assertEquals("PENDING", outbox().get(0).getString("status"));

        receiver.answer(202);
        tickUntil(() -> receiver.acceptedAbout(scenario.orgId, "a-1").size() == 1);
        SyncScenario.syncTick();

        List<ContactCenterFake.Received> all = requests();
        Set<String> keys = all.stream().map(r -> r.header("webhook-id")).collect(Collectors.toSet());
        assertEquals(Set.of(outbox().get(0).getUUID("id").toString()), keys, "one idempotency key, the item's");
        for (ContactCenterFake.Received request : all) {
            assertEquals(ContactCenterFake.expectedSignature(request), request.header("webhook-signature"));
        }
        JsonPath delivered = JsonPath.from(receiver.acceptedAbout(scenario.orgId, "a-1").get(0).body());
        assertEquals("IDLE", delivered.getString("state"));
        assertEquals("idle-call", delivered.getString("idleCode"));
        assertEquals(1, receiver.acceptedAbout(scenario.orgId, "a-1").size(), "delivered once");
        Row item = outbox().get(0);
        assertEquals("DELIVERED", item.getString("status"));
        assertEquals(all.size(), item.getInteger("attempts"));
    }

    @Test
    void afterTheLastAttemptTheChangeIsKeptAsFailedAndCounted() {
        double failedBefore = Metrics.value("outbox_deliveries_total", "outcome=\"failed\"");
        receiver.answer(503);
        try (LogCapture logs = LogCapture.start()) {
            teamsCallWhileAvailable();

            tickUntil(() -> "FAILED".equals(outbox().get(0).getString("status")));

            assertTrue(logs.contains("kept as failed"), "the failure is logged");
            assertFalse(logs.contains(ContactCenterFake.SECRET.substring("whsec_".length())), "never the signing secret");
        }

        assertEquals(6, outbox().get(0).getInteger("attempts"));
        assertEquals(6, requests().size());
        assertEquals(failedBefore + 1, Metrics.value("outbox_deliveries_total", "outcome=\"failed\""));
        assertTrue(Metrics.value("outbox_failed") >= 1, "failures stay visible");
        receiver.answer(202);
        SyncScenario.syncTick();
        assertEquals(6, requests().size(), "a failed change is kept, not sent again by itself");
    }

    @Test
    void aRefusedChangeFailsAtOnce() {
        receiver.answer(422);
        teamsCallWhileAvailable();

        tickUntil(() -> "FAILED".equals(outbox().get(0).getString("status")));

        assertEquals(1, requests().size());
    }

    @Test
    void aChangeTheAgentMovedOnFromIsNeverSent() {
        receiver.answer(503);
        teamsCallWhileAvailable();
        tickUntil(() -> requests().size() >= 1);

        // the contact center puts the agent on a contact before our Idle got through
        scenario.stateChanged("a-1", "ENGAGED", "SYSTEM", null);
        receiver.answer(202);
        tickUntil(() -> "SUPERSEDED".equals(outbox().get(0).getString("status")));

        assertTrue(receiver.acceptedAbout(scenario.orgId, "a-1").isEmpty(), "never sent over the agent's contact");
        assertEquals("ENGAGED", scenario.agent("a-1").getString("state"));
    }

    @Test
    void ofTwoQueuedChangesOnlyTheNewerIsSent() {
        receiver.answer(503);
        teamsCallWhileAvailable();
        tickUntil(() -> requests().size() >= 1);
        graph.setPresence(user, "Available", "Available");
        db.pollDueNow(scenario.orgId);
        SyncScenario.syncTick();
        assertEquals("RESTORED_AVAILABLE", scenario.lastReason("a-1"));

        receiver.answer(202);
        tickUntil(() -> receiver.acceptedAbout(scenario.orgId, "a-1").size() == 1);
        SyncScenario.syncTick();

        List<ContactCenterFake.Received> accepted = receiver.acceptedAbout(scenario.orgId, "a-1");
        assertEquals(1, accepted.size());
        assertEquals("AVAILABLE", JsonPath.from(accepted.get(0).body()).getString("state"));
        assertEquals(List.of("SUPERSEDED", "DELIVERED"), outbox().stream().map(r -> r.getString("status")).toList());
    }

    @Test
    void theBacklogIsVisibleInTheMetrics() {
        receiver.answer(503);
        teamsCallWhileAvailable();
        tickUntil(() -> requests().size() >= 1);

        assertTrue(Metrics.value("outbox_backlog") >= 1);
        assertTrue(Metrics.value("sync_decisions_total", "reason=\"APPLIED_IDLE\"") >= 1);
        assertTrue(Metrics.value("sync_poll_batches_total", "trigger=\"sign-in\"", "outcome=\"ok\"") >= 1);
        assertTrue(Metrics.value("graph_calls_seconds_count", "operation=\"getPresencesByUserId\"", "outcome=\"ok\"") >= 1);

        receiver.answer(202);
        tickUntil(() -> receiver.acceptedAbout(scenario.orgId, "a-1").size() == 1);
        assertTrue(Metrics.value("outbox_deliveries_total", "outcome=\"delivered\"") >= 1);
    }
}
