package io.teamsconnector.sync;

import io.quarkus.test.junit.QuarkusTest;
import io.teamsconnector.store.WorkSignal;
import io.teamsconnector.support.FakesResource;
import io.teamsconnector.support.GraphFake;
import io.teamsconnector.support.Metrics;
import io.teamsconnector.support.SyncScenario;
import io.teamsconnector.support.TestDatabase;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A sign-in heard as a {@code NOTIFY} reaches every {@code sync} replica. Each replica's receiver gets the same
 * signal, with the same stamp: the presence is read once, and a later signal is read again.
 */
@QuarkusTest
class SignalledReadsTest {

    static final Duration SOON = Duration.ofSeconds(5);
    static final String DONE_ELSEWHERE = "sync_signals_done_elsewhere_total";

    @Inject
    TestDatabase db;

    @Inject
    Event<WorkSignal> receivers;

    GraphFake graph;
    SyncScenario scenario;

    @BeforeEach
    void setUp() {
        graph = FakesResource.graph();
        scenario = SyncScenario.active(db, "signalled");
    }

    @AfterEach
    void tearDown() {
        scenario.deactivate();
    }

    @Test
    void twoReplicasHearingOneSignInReadThePresenceOnce() {
        String user = SyncScenario.newTeamsUser();
        graph.setPresence(user, "Available", "Available");
        scenario.signIn("a-1", user);
        await().atMost(SOON).until(() -> graph.presenceReads(scenario.tenant).size() == 1);
        long sentAt = System.currentTimeMillis() * 1000;

        // the first replica's receiver claims the signal and reads
        receivers.fire(new WorkSignal(WorkSignal.Kind.PRESENCE_READ, scenario.orgId, "a-1", sentAt));
        await().atMost(SOON).until(() -> graph.presenceReads(scenario.tenant).size() == 2);
        // the second replica heard the same NOTIFY: it leaves the read to the first
        double before = Metrics.value(DONE_ELSEWHERE, "kind=\"presence_read\"");
        receivers.fire(new WorkSignal(WorkSignal.Kind.PRESENCE_READ, scenario.orgId, "a-1", sentAt));
        await().atMost(SOON).until(() -> Metrics.value(DONE_ELSEWHERE, "kind=\"presence_read\"") == before + 1);
        assertEquals(2, graph.presenceReads(scenario.tenant).size());

        // a later sign-in of the same agent is a new signal: read again
        receivers.fire(new WorkSignal(WorkSignal.Kind.PRESENCE_READ, scenario.orgId, "a-1", sentAt + 1));
        await().atMost(SOON).until(() -> graph.presenceReads(scenario.tenant).size() == 3);
    }

    @Test
    void theDatabaseStampTravelsInTheNotifyPayload() {
        WorkSignal sent = WorkSignal.presenceRead("org-1", "a-1");
        assertNull(sent.sentAt());
        WorkSignal heard = WorkSignal.parse(sent.payload() + "\t1764633600123456");
        assertEquals(new WorkSignal(WorkSignal.Kind.PRESENCE_READ, "org-1", "a-1", 1764633600123456L), heard);
        assertEquals(sent, WorkSignal.parse(sent.payload()));
        assertNull(WorkSignal.parse(sent.payload() + "\tnot-a-stamp"));
    }
}
