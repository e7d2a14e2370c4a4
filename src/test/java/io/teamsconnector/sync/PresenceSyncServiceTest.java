package io.teamsconnector.sync;

import io.quarkus.test.junit.QuarkusTest;
import io.teamsconnector.domain.TeamsPresence;
import io.teamsconnector.support.FakesResource;
import io.teamsconnector.support.SyncScenario;
import io.teamsconnector.support.TestDatabase;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The engine's entry, as every presence source uses it: idempotent for duplicates, and a read that
 * started before the stored presence was observed never overwrites it.
 */
@QuarkusTest
class PresenceSyncServiceTest {

    static final TeamsPresence IN_A_CALL = new TeamsPresence("Busy", "InACall");
    static final TeamsPresence AVAILABLE = new TeamsPresence("Available", "Available");

    @Inject
    PresenceSyncService engine;

    @Inject
    TestDatabase db;

    SyncScenario scenario;
    String user;

    @BeforeEach
    void setUp() {
        scenario = SyncScenario.active(db, "engine");
        user = SyncScenario.newTeamsUser();
        FakesResource.graph().setPresence(user, "Available", "Available");
        scenario.signIn("a-1", user);
        scenario.stateChanged("a-1", "AVAILABLE", "AGENT", null);
        db.awaitEvaluated(scenario.orgId, "a-1");
    }

    @AfterEach
    void tearDown() {
        scenario.deactivate();
    }

    private PresenceSyncService.Applied apply(TeamsPresence presence, Instant readAt) {
        return engine.applyPresences(scenario.orgId, Map.of(user, presence), readAt).await().indefinitely();
    }

    @Test
    void theSamePresenceTwiceIsOneDecision() {
        int before = scenario.decisions("a-1").size();

        PresenceSyncService.Applied first = apply(IN_A_CALL, Instant.now());
        PresenceSyncService.Applied second = apply(IN_A_CALL, Instant.now());

        assertEquals(1, first.decisions());
        assertEquals(1, first.changes());
        assertEquals(1, first.queued());
        assertEquals(0, second.decisions());
        assertEquals(before + 1, scenario.decisions("a-1").size());
    }

    @Test
    void theSamePresenceAppliedConcurrentlyIsOneDecision() {
        int before = scenario.decisions("a-1").size();
        Instant readAt = Instant.now();
        List<CompletableFuture<PresenceSyncService.Applied>> runs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            runs.add(engine.applyPresences(scenario.orgId, Map.of(user, IN_A_CALL), readAt).subscribeAsCompletionStage());
        }

        int decisions = runs.stream().mapToInt(run -> run.join().decisions()).sum();

        assertEquals(1, decisions);
        assertEquals(before + 1, scenario.decisions("a-1").size());
        assertEquals(1, db.count("SELECT count(*) FROM outbox WHERE org_id = $1", scenario.orgId));
    }

    @Test
    void aReadThatStartedEarlierThanTheStoredOneIsIgnored() {
        Instant early = Instant.now();
        Instant late = early.plusMillis(200);
        apply(IN_A_CALL, late);

        // the earlier read (the call had not begun then) completes last
        PresenceSyncService.Applied stale = apply(AVAILABLE, early);

        assertEquals(0, stale.decisions());
        assertEquals("IDLE", scenario.agent("a-1").getString("state"));
        assertEquals("InACall", scenario.agent("a-1").getString("teamsPresence.activity"));
    }

    @Test
    void presencesOfUsersNoAgentFollowsAreIgnored() {
        PresenceSyncService.Applied applied = engine.applyPresences(scenario.orgId,
                Map.of(SyncScenario.newTeamsUser(), IN_A_CALL), Instant.now()).await().indefinitely();

        assertEquals(0, applied.decisions());
    }
}
