package io.teamsconnector.bench;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.teamsconnector.domain.TeamsPresence;
import io.teamsconnector.support.FakesResource;
import io.teamsconnector.support.GraphFake;
import io.teamsconnector.support.SyncScenario;
import io.teamsconnector.support.TestData;
import io.teamsconnector.support.TestDatabase;
import io.teamsconnector.sync.PresenceSyncService;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.teamsconnector.bench.Samples.ms;
import static io.teamsconnector.bench.Samples.percentile;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Presence-sync figures on this machine (bench/README.md): a reconciliation round of 1,500 agents,
 * agent-event latency and throughput, and the time from an agent becoming Available during a Teams
 * call to its Idle decision. Graph and the contact center are the local fakes; PostgreSQL is real.
 * Reports, never asserts a time: only that the work measured was really done.
 */
@QuarkusTest
class PresenceSyncBench {

    static final int AGENTS = 1_500;
    static final int ROUNDS = 20;
    static final List<String> REPORT = Collections.synchronizedList(new ArrayList<>());

    @Inject
    TestDatabase db;

    @Inject
    PresenceSyncService engine;

    @TestHTTPResource("/")
    URL base;

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterAll
    static void writeReport() throws IOException {
        String report = "| measure | median | p95 / p99 | throughput |\n|---|---|---|---|\n" + String.join("\n", REPORT) + "\n";
        System.out.println("\n" + report);
        Path out = Path.of("target", "bench", "presence-sync.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
    }

    private long post(String path, String json) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path.substring(1)))
                .header("Authorization", "Bearer " + TestData.API_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        long start = System.nanoTime();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        long took = System.nanoTime() - start;
        if (response.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
        }
        return took;
    }

    private static void report(String measure, List<Long> samples, double high, String throughput) {
        REPORT.add(String.format("| %s | %.1f ms | %.1f ms | %s |", measure, ms(percentile(samples, 0.5)),
                ms(percentile(samples, high)), throughput));
    }

    @Test
    void reconciliationRoundOf1500Agents() throws Exception {
        SyncScenario scenario = SyncScenario.active(db, "bench-poll");
        GraphFake graph = FakesResource.graph();
        db.update("INSERT INTO agents (org_id, agent_id, teams_user_id, profile_id, state, last_change_source, "
                + "last_change_at, created_at, updated_at) SELECT $1, 'bench-' || g, gen_random_uuid()::text, $2, "
                + "'AVAILABLE', 'AGENT', now(), now(), now() FROM generate_series(1, " + AGENTS + ") g",
                scenario.orgId, SyncScenario.PROFILE);
        List<String> users = db.query("SELECT teams_user_id FROM agents WHERE org_id = $1 ORDER BY agent_id",
                scenario.orgId).stream().map(r -> r.getString(0)).toList();
        users.forEach(u -> graph.setPresence(u, "Available", "Available"));
        // statistics as autovacuum keeps them on a live table; a freshly filled one misleads the planner
        db.update("ANALYZE agents");

        long first = post("/sync-tick", "{}");
        REPORT.add(String.format("| first round, %,d agents (all new: %,d decisions) | %.1f ms | | |", AGENTS, AGENTS,
                ms(first)));
        assertEquals(AGENTS, db.count("SELECT count(*) FROM decisions WHERE org_id = $1", scenario.orgId));

        List<Long> steady = new ArrayList<>();
        for (int i = 0; i < ROUNDS; i++) {
            db.pollDueNow(scenario.orgId);
            steady.add(post("/sync-tick", "{}"));
        }
        report(String.format("round, %,d agents, nothing changed (3 Graph calls)", AGENTS), steady, 0.95, "");

        List<Long> changing = new ArrayList<>();
        int changed = AGENTS / 10;
        for (int i = 0; i < ROUNDS; i++) {
            boolean call = i % 2 == 0;
            for (int u = 0; u < changed; u++) {
                graph.setPresence(users.get(u), call ? "Busy" : "Available", call ? "InACall" : "Available");
            }
            db.pollDueNow(scenario.orgId);
            changing.add(post("/sync-tick", "{}"));
        }
        report(String.format("round, %,d agents, %d changed (decisions, state changes, outbox)", AGENTS, changed),
                changing, 0.95, "");
        assertEquals(AGENTS + (long) ROUNDS * changed,
                db.count("SELECT count(*) FROM decisions WHERE org_id = $1", scenario.orgId));

        // the engine alone, without Graph: what the connector itself spends on a round's three batches
        List<Long> engineSteady = new ArrayList<>();
        List<Long> engineChanging = new ArrayList<>();
        boolean inCall = false;
        for (int i = 0; i < ROUNDS; i++) {
            engineSteady.add(applyAll(scenario.orgId, users, changed, inCall));
            inCall = !inCall;
            engineChanging.add(applyAll(scenario.orgId, users, changed, inCall));
        }
        report(String.format("engine only, %,d presences in 3 batches, nothing changed", AGENTS), engineSteady, 0.95, "");
        report(String.format("engine only, %,d presences in 3 batches, %d changed", AGENTS, changed), engineChanging,
                0.95, "");
        scenario.deactivate();
    }

    /**
     * Hands the engine every user's presence in batches of 650, as a poll does: the first {@code changed}
     * users in a Teams call or not, the others Available. Answers the time taken.
     */
    private long applyAll(String orgId, List<String> users, int changed, boolean inCall) {
        TeamsPresence call = new TeamsPresence("Busy", "InACall");
        TeamsPresence available = new TeamsPresence("Available", "Available");
        long start = System.nanoTime();
        for (int from = 0; from < users.size(); from += 650) {
            Map<String, TeamsPresence> batch = new HashMap<>();
            for (int u = from; u < Math.min(users.size(), from + 650); u++) {
                batch.put(users.get(u), u < changed && inCall ? call : available);
            }
            engine.applyPresences(orgId, batch, Instant.now()).await().indefinitely();
        }
        return System.nanoTime() - start;
    }

    @Test
    void agentEvents() throws Exception {
        SyncScenario scenario = SyncScenario.active(db, "bench-events");
        int agents = 200;
        int events = 4_000;
        for (int a = 0; a < agents; a++) {
            post("/agent-event", "{\"orgId\":\"" + scenario.orgId + "\",\"agentId\":\"e-" + a + "\",\"type\":\"SIGNED_IN\","
                    + "\"profileId\":\"p-off\"}");
        }
        String[] states = {"ENGAGED", "WRAP_UP"};
        List<Long> sequential = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < events / 2; i++) {
            sequential.add(post("/agent-event", event(scenario.orgId, i % agents, states[(i / agents) % 2])));
        }
        double perSecond = (events / 2) / ((System.nanoTime() - start) / 1e9);
        report("agent event, one client", sequential, 0.99, String.format("%,.0f events/s", perSecond));

        ExecutorService clients = Executors.newFixedThreadPool(8);
        List<Future<List<Long>>> runs = new ArrayList<>();
        start = System.nanoTime();
        for (int c = 0; c < 8; c++) {
            int client = c;
            runs.add(clients.submit(() -> {
                List<Long> took = new ArrayList<>();
                for (int i = 0; i < events / 2 / 8; i++) {
                    int agent = client * (agents / 8) + i % (agents / 8);
                    took.add(post("/agent-event", event(scenario.orgId, agent, states[(i / (agents / 8)) % 2])));
                }
                return took;
            }));
        }
        List<Long> concurrent = new ArrayList<>();
        for (Future<List<Long>> run : runs) {
            concurrent.addAll(run.get());
        }
        perSecond = (events / 2) / ((System.nanoTime() - start) / 1e9);
        clients.shutdown();
        report("agent event, 8 clients", concurrent, 0.99, String.format("%,.0f events/s", perSecond));
        scenario.deactivate();
    }

    private static String event(String orgId, int agent, String state) {
        return "{\"orgId\":\"" + orgId + "\",\"agentId\":\"e-" + agent + "\",\"type\":\"STATE_CHANGED\",\"state\":\""
                + state + "\",\"source\":\"SYSTEM\"}";
    }

    @Test
    void availableDuringATeamsCallToIdle() throws Exception {
        SyncScenario scenario = SyncScenario.active(db, "bench-read");
        GraphFake graph = FakesResource.graph();
        int agents = 100;
        List<String> users = new ArrayList<>();
        for (int a = 0; a < agents; a++) {
            String user = SyncScenario.newTeamsUser();
            users.add(user);
            graph.setPresence(user, "Busy", "InACall");
            scenario.signIn("r-" + a, user);
        }
        for (int a = 0; a < agents; a++) {
            db.awaitEvaluated(scenario.orgId, "r-" + a);
        }
        List<Long> latency = new ArrayList<>();
        for (int a = 0; a < agents; a++) {
            long start = System.nanoTime();
            post("/agent-event", "{\"orgId\":\"" + scenario.orgId + "\",\"agentId\":\"r-" + a
                    + "\",\"type\":\"STATE_CHANGED\",\"state\":\"AVAILABLE\",\"source\":\"AGENT\"}");
            while (db.count("SELECT count(*) FROM decisions WHERE org_id = $1 AND agent_id = $2 "
                    + "AND reason = 'APPLIED_IDLE'", scenario.orgId, "r-" + a) == 0) {
                if (System.nanoTime() - start > Duration.ofSeconds(10).toNanos()) {
                    throw new IllegalStateException("no decision for r-" + a);
                }
                Thread.onSpinWait();
            }
            latency.add(System.nanoTime() - start);
        }
        report("Available during a Teams call to Idle decision (read at once, 50 ms coalescing)", latency, 0.99, "");
        scenario.deactivate();
    }
}
