package io.teamsconnector.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.teamsconnector.support.FakesResource;
import io.teamsconnector.support.GraphFake;
import io.teamsconnector.support.GraphFake.FakeSubscription;
import io.teamsconnector.support.NotificationBodies;
import io.teamsconnector.support.RichNotificationsProfile;
import io.teamsconnector.support.SyncScenario;
import io.teamsconnector.support.TestDatabase;
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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.awaitility.Awaitility.await;
import static io.teamsconnector.bench.Samples.ms;
import static io.teamsconnector.bench.Samples.percentile;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * How fast the Graph webhook answers a batch of 100 change notifications (Graph allows 3 s), basic and
 * rich (encrypted, with a signed validation token), from one client and from 4 at once; and how long
 * until a batch's decisions are recorded. PostgreSQL is real; Graph is the local fake. Reports, never
 * asserts a time: only that every notification was stored and applied.
 */
@QuarkusTest
@TestProfile(RichNotificationsProfile.class)
class NotificationIntakeBench {

    static final int BATCH = 100;
    static final int BATCHES = 200;
    static final List<String> REPORT = Collections.synchronizedList(new ArrayList<>());
    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    TestDatabase db;

    @TestHTTPResource("/")
    URL base;

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @AfterAll
    static void writeReport() throws IOException {
        String report = "| measure | median | p99 | max | throughput |\n|---|---|---|---|---|\n"
                + String.join("\n", REPORT) + "\n";
        System.out.println("\n" + report);
        Path out = Path.of("target", "bench", "notification-intake.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
    }

    private long post(String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "graph/notifications"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        long start = System.nanoTime();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        long took = System.nanoTime() - start;
        if (response.statusCode() != 202) {
            throw new IllegalStateException("answered " + response.statusCode() + ": " + response.body());
        }
        return took;
    }

    private static void report(String measure, List<Long> samples, long wallNanos) {
        List<Long> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        REPORT.add(String.format("| %s | %.1f ms | %.1f ms | %.1f ms | %,.0f notifications/s |", measure,
                ms(percentile(samples, 0.5)), ms(percentile(samples, 0.99)), ms(sorted.get(sorted.size() - 1)),
                samples.size() * (double) BATCH / (wallNanos / 1e9)));
    }

    /** Posts the batches from {@code clients} threads; answers each POST's time. */
    private List<Long> postAll(List<String> bodies, int clients) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<Long>> answers = new ArrayList<>();
            for (String body : bodies) {
                answers.add(pool.submit(() -> post(body)));
            }
            List<Long> times = new ArrayList<>();
            for (Future<Long> answer : answers) {
                times.add(answer.get());
            }
            return times;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Posts the batches, reports their answer times under {@code measure} (unless null), waits until all are processed. */
    private void measure(String measure, List<String> bodies, int clients, String orgId) throws Exception {
        long start = System.nanoTime();
        List<Long> times = postAll(bodies, clients);
        if (measure != null) {
            report(measure, times, System.nanoTime() - start);
        }
        awaitProcessed(orgId);
    }

    private void awaitProcessed(String orgId) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> db.count(
                "SELECT count(*) FROM notification_inbox WHERE org_id = $1 AND processed_at IS NULL", orgId) == 0);
    }

    @Test
    void basicBatchesOf100() throws Exception {
        SyncScenario scenario = SyncScenario.active(db, "bench-intake");
        GraphFake graph = FakesResource.graph();
        String subscription = UUID.randomUUID().toString();
        List<String> users = new ArrayList<>();
        for (int i = 0; i < 650; i++) {
            users.add(SyncScenario.newTeamsUser());
        }
        db.subscription(subscription, scenario.orgId, "bench-client-state", users.toArray(String[]::new));
        users.forEach(u -> graph.setPresence(u, "Busy", "InACall"));
        List<String> bodies = new ArrayList<>();
        for (int b = 0; b < BATCHES; b++) {
            List<String> items = new ArrayList<>();
            for (int i = 0; i < BATCH; i++) {
                items.add(NotificationBodies.item(subscription, "bench-client-state", scenario.tenant,
                        users.get((b * BATCH + i) % users.size())));
            }
            bodies.add(NotificationBodies.collection(items));
        }
        measure(null, bodies.subList(0, 20), 1, scenario.orgId); // warm-up
        measure("basic, batch of 100, 1 client", bodies, 1, scenario.orgId);
        measure("basic, batch of 100, 4 clients", bodies, 4, scenario.orgId);
        scenario.deactivate();
    }

    @Test
    void richBatchesOf100() throws Exception {
        SyncScenario scenario = SyncScenario.active(db, "bench-rich");
        GraphFake graph = FakesResource.graph();
        graph.reset();
        scenario.addServiceAccount();
        List<String> users = new ArrayList<>();
        for (int i = 0; i < BATCH; i++) {
            String user = SyncScenario.newTeamsUser();
            users.add(user);
            graph.setPresence(user, "Available", "Available");
            scenario.signIn("agent-" + i, user);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> db.count("SELECT count(*) FROM agents WHERE org_id = $1 "
                + "AND presence_observed_at IS NOT NULL", scenario.orgId) == BATCH);
        SyncScenario.syncTick();
        FakeSubscription subscription = graph.liveSubscriptions(scenario.tenant).get(0);
        assertEquals(BATCH, subscription.userIds().size());

        List<String> bodies = new ArrayList<>();
        for (int b = 0; b < 40; b++) {
            String presence = b % 2 == 0 ? "InACall" : "Available";
            users.forEach(u -> graph.setPresence(u, presence.equals("InACall") ? "Busy" : "Available", presence));
            ObjectNode collection = JSON.createObjectNode();
            ArrayNode value = collection.putArray("value");
            for (String user : users) {
                ObjectNode one = (ObjectNode) JSON.readTree(graph.notificationBody(subscription.id(), user));
                value.add(one.get("value").get(0));
                collection.set("validationTokens", one.get("validationTokens"));
            }
            bodies.add(JSON.writeValueAsString(collection));
        }
        measure(null, bodies.subList(0, 4), 1, scenario.orgId); // warm-up
        measure("rich (decrypted at intake), batch of 100, 1 client", bodies, 1, scenario.orgId);

        // from the answer to all 100 decisions recorded
        long before = db.count("SELECT count(*) FROM decisions WHERE org_id = $1", scenario.orgId);
        List<Long> applied = new ArrayList<>();
        for (int b = 0; b < 10; b++) {
            long decisions = db.count("SELECT count(*) FROM decisions WHERE org_id = $1", scenario.orgId);
            long t0 = System.nanoTime();
            post(bodies.get(b));
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(2)).until(() -> db.count(
                    "SELECT count(*) FROM decisions WHERE org_id = $1", scenario.orgId) >= decisions + BATCH);
            applied.add(System.nanoTime() - t0);
        }
        report("rich, batch of 100: POST to 100 decisions recorded", applied, applied.stream().mapToLong(Long::longValue).sum());
        assertEquals(before + 10L * BATCH, db.count("SELECT count(*) FROM decisions WHERE org_id = $1", scenario.orgId));
        scenario.deactivate();
    }
}
