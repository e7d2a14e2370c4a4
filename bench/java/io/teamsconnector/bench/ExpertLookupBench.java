package io.teamsconnector.bench;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.teamsconnector.config.ConnectorConfig;
import io.teamsconnector.support.FakesResource;
import io.teamsconnector.support.GraphFake;
import io.teamsconnector.support.SyncScenario;
import io.teamsconnector.support.TestData;
import io.teamsconnector.support.TestDatabase;
import com.sun.management.OperatingSystemMXBean;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static io.teamsconnector.bench.Samples.ms;
import static io.teamsconnector.bench.Samples.percentile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Expert lookup over a directory mirror of 100,000 generated experts: 1,000 lookups of mixed queries
 * (name, surname, department and job-title prefixes of 1 to 4 letters, full phone numbers, filters), each
 * through {@code POST /expert-lookup} with the presence of its page (Graph is the local fake), once with one client
 * and 5 times with 4 at once, after a warm-up that lasts until the JIT has settled. Reports median and p99 latency
 * and lookups per second; asserts only that the lookups found experts.
 */
@QuarkusTest
class ExpertLookupBench {

    static final int USERS = 100_000;
    /** Lookups in each measured phase ({@code -Dbench.lookups=}). */
    static final int LOOKUPS = Integer.getInteger("bench.lookups", 1_000);
    /** Lookups before the measured ones ({@code -Dbench.warmup=}). */
    static final int WARMUP_LOOKUPS = Integer.getInteger("bench.warmup", 20_000);
    /** Warm-up rounds at least, and at most while the JIT is still busy ({@code -Dbench.maxWarmupRounds=}). */
    static final int WARMUP_ROUNDS = 4;
    static final int MAX_WARMUP_ROUNDS = Integer.getInteger("bench.maxWarmupRounds", 16);
    /**
     * The warm-up ends once the JIT compiled for less than this share of a round's wall time: C2's thresholds
     * grow with its queue, so on two cores code run once per lookup still waited for C2 after 20,000 lookups.
     */
    static final double JIT_SETTLED = 0.05;
    /** Measured 4-client phases of {@link #LOOKUPS} lookups each ({@code -Dbench.phases=}). */
    static final int FOUR_CLIENT_PHASES = Integer.getInteger("bench.phases", 5);
    static final String[] GIVEN = {"Ada", "Adam", "Alan", "Alice", "Amir", "Anna", "Ben", "Bea", "Carl", "Chloe",
            "Dan", "Dora", "Eli", "Emma", "Finn", "Gita", "Hugo", "Ines", "Ivan", "Jana", "Jon", "Kai", "Lena", "Leo",
            "Mara", "Max", "Nina", "Noah", "Olga", "Omar", "Pia", "Raj", "Rosa", "Sam", "Sara", "Tom", "Una", "Vera",
            "Will", "Yara", "Zoe", "Zeno"};
    static final String[] SURNAME = {"Adams", "Baker", "Becker", "Brown", "Castro", "Chen", "Costa", "Dubois",
            "Evans", "Fischer", "Garcia", "Gupta", "Hansen", "Ito", "Jansen", "Kim", "Kowalski", "Lopez", "Martin",
            "Meyer", "Moreau", "Murphy", "Nakamura", "Novak", "Olsen", "Patel", "Perez", "Rossi", "Schmidt", "Silva",
            "Smith", "Suzuki", "Tanaka", "Taylor", "Ueda", "Varga", "Wagner", "Walsh", "Weber", "Wilson", "Yilmaz",
            "Young", "Zhang", "Ziegler"};
    static final String[] DEPARTMENT = {"Sales", "Support", "Billing", "Engineering", "Legal", "Finance",
            "Marketing", "Operations", "Research", "Logistics", "Procurement", "Security", "Training", "Claims",
            "Underwriting", "Human Resources", "Facilities", "Quality", "Compliance", "Product"};
    static final String[] TITLE = {"Analyst", "Architect", "Account Executive", "Advisor", "Consultant",
            "Coordinator", "Director", "Engineer", "Specialist", "Manager", "Lead", "Officer", "Representative",
            "Technician", "Underwriter", "Agent", "Planner", "Auditor", "Designer", "Scientist"};

    @Inject
    TestDatabase db;
    @Inject
    ConnectorConfig config;

    @TestHTTPResource("/")
    URL base;

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private long lookup(String body, int[] found) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "expert-lookup"))
                .header("Authorization", "Bearer " + TestData.API_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        long start = System.nanoTime();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        long took = System.nanoTime() - start;
        if (response.statusCode() != 200 || response.body().contains("\"unavailableReason\":\"")) {
            throw new IllegalStateException("answered " + response.statusCode() + ": " + response.body());
        }
        if (response.body().contains("\"id\"")) {
            found[0]++;
        }
        return took;
    }

    /**
     * The service's metrics, read with the lookups' own HTTP client: rest-assured (Groovy) between the phases had
     * the JIT compiling its code while a measured phase began.
     */
    private String metrics() throws Exception {
        HttpResponse<String> response = http.send(get("q/metrics"), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }

    private HttpRequest get(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + TestData.API_KEY)
                .GET().build();
    }

    /** One readiness probe and one metrics scrape. */
    private void probe() {
        try {
            for (String path : List.of("q/health/ready", "q/metrics")) {
                http.send(get(path), HttpResponse.BodyHandlers.discarding());
            }
        } catch (Exception e) {
            Thread.currentThread().interrupt(); // the warm-up is over
        }
    }

    /** A lookup body and what kind of query it is. */
    record Query(String kind, String body) {
    }

    /** Seconds the service spent in one phase of lookups so far ({@code expert_lookup_phase_seconds_sum}). */
    private double phaseSeconds(String phase) throws Exception {
        String metrics = metrics();
        for (String line : metrics.split("\n")) {
            if (line.startsWith("expert_lookup_phase_seconds_sum{phase=\"" + phase + "\"")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return Double.NaN;
    }

    /** How the service got its pages' presence so far ({@code expert_presence_total{source}}). */
    private String presenceSources() throws Exception {
        String metrics = metrics();
        StringBuilder out = new StringBuilder();
        for (String line : metrics.split("\n")) {
            if (line.startsWith("expert_presence_total{")) {
                String source = line.substring(line.indexOf("source=\"") + 8);
                out.append(out.isEmpty() ? "" : ", ").append(source, 0, source.indexOf('"')).append(' ')
                        .append((long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            }
        }
        return out.toString();
    }

    /** CPU time of the whole machine so far (every process: this JVM, PostgreSQL), in clock ticks. */
    private static long machineTicks() throws Exception {
        String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long busy = 0;
        for (int i = 1; i < cpu.length; i++) {
            if (i != 4 && i != 5) { // idle, iowait
                busy += Long.parseLong(cpu[i]);
            }
        }
        return busy;
    }

    /** CPU time of this JVM so far (benchmark client, Graph fake and service), in nanoseconds. */
    private static long processNanos() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Milliseconds this JVM's JIT compilers have compiled so far (C1 and C2 threads together). */
    private static long jitMillis() {
        return ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
    }

    /** The benchmark's own reading between measured phases: metrics, CPU by thread, the machine's CPU. */
    private void between() throws Exception {
        phaseSeconds("search");
        presenceSources();
        PhaseCost cost = new PhaseCost();
        cost.begin();
        cost.end();
        cost.threadsPer(1);
    }

    /**
     * What measured spans of lookups cost, added up over the spans (the pauses between them left out): wall time,
     * the machine's and this JVM's CPU, the JIT's compiling, collections, and this JVM's CPU by thread kind.
     */
    private static final class PhaseCost {
        long wallNanos;
        long jitMs;
        long collections;
        long collectionMs;
        private long machine;
        private long jvmNanos;
        private final Map<String, Long> threadTicks = new HashMap<>();
        private long wallAtBegin;
        private long machineAtBegin;
        private long jvmAtBegin;
        private long jitAtBegin;
        private long[] gcAtBegin;
        private Map<String, Long> threadsAtBegin;

        /** Starts a span; returns its start ({@link System#nanoTime()}). */
        long begin() throws Exception {
            machineAtBegin = machineTicks();
            jvmAtBegin = processNanos();
            jitAtBegin = jitMillis();
            threadsAtBegin = ThreadCpu.now();
            gcAtBegin = gcPauses();
            wallAtBegin = System.nanoTime();
            return wallAtBegin;
        }

        /** Ends the span and adds it up; returns its wall time in nanoseconds. */
        long end() throws Exception {
            long wall = System.nanoTime() - wallAtBegin;
            wallNanos += wall;
            long[] gc = gcPauses();
            collections += gc[0] - gcAtBegin[0];
            collectionMs += gc[1] - gcAtBegin[1];
            ThreadCpu.add(threadTicks, ThreadCpu.since(threadsAtBegin));
            jitMs += jitMillis() - jitAtBegin;
            machine += machineTicks() - machineAtBegin;
            jvmNanos += processNanos() - jvmAtBegin;
            return wall;
        }

        double machineMsPer(int lookups) {
            return machine * 10.0 / lookups; // USER_HZ 100
        }

        double jvmMsPer(int lookups) {
            return jvmNanos / 1e6 / lookups;
        }

        String threadsPer(int lookups) {
            return ThreadCpu.format(threadTicks, lookups);
        }
    }

    /** Collections of this JVM so far and the milliseconds they took (pauses, for G1's young collector). */
    private static long[] gcPauses() {
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, collector.getCollectionCount());
            millis += Math.max(0, collector.getCollectionTime());
        }
        return new long[] {count, millis};
    }

    /** Mixed queries, as agents type them, reproducibly. */
    static List<Query> queries(String orgId, int count) {
        return queries(orgId, count, 42);
    }

    static List<Query> queries(String orgId, int count, long seed) {
        Random random = new Random(seed);
        String[] kinds = {"given-name prefix", "given-name prefix", "given-name prefix", "given-name prefix",
                "surname prefix", "surname prefix", "department prefix", "job-title prefix", "full phone number",
                "prefix and department filter"};
        List<Query> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int kind = random.nextInt(10);
            String field;
            if (kind < 4) {
                field = "\"query\":\"" + prefix(GIVEN[random.nextInt(GIVEN.length)], random) + "\"";
            } else if (kind < 6) {
                field = "\"query\":\"" + prefix(SURNAME[random.nextInt(SURNAME.length)], random).toLowerCase() + "\"";
            } else if (kind < 7) {
                field = "\"query\":\"" + prefix(DEPARTMENT[random.nextInt(DEPARTMENT.length)], random) + "\"";
            } else if (kind < 8) {
                field = "\"query\":\"" + prefix(TITLE[random.nextInt(TITLE.length)], random) + "\"";
            } else if (kind < 9) {
                field = "\"query\":\"+1 415 " + String.format("%07d", 1 + random.nextInt(USERS)).replaceFirst("(\\d{3})", "$1 ") + "\"";
            } else {
                field = "\"query\":\"" + prefix(GIVEN[random.nextInt(GIVEN.length)], random) + "\",\"department\":\""
                        + DEPARTMENT[random.nextInt(DEPARTMENT.length)] + "\"";
            }
            out.add(new Query(kinds[kind], "{\"orgId\":\"" + orgId + "\"," + field + "}"));
        }
        return out;
    }

    private static String prefix(String word, Random random) {
        return word.substring(0, Math.min(word.length(), 1 + random.nextInt(4)));
    }

    /**
     * The tenant's Graph presence budget as a new 30 s window would find it: the warm-up's thousands of lookups
     * used it up, and a measured phase without room would measure lookups that skip presence.
     */
    private void freshPresenceBudget() {
        db.update("DELETE FROM presence_budget");
        db.update("DELETE FROM presence_budget_pauses");
    }

    /**
     * Lets the presence cache empty before a measured phase ({@code connector.expert-presence-ttl}), so that each
     * phase reads Graph for the pages it shows first, as a burst of lookups after a quiet spell would: the pages of
     * the warm-up and of the one-client phase are largely the same, and the four clients would otherwise find
     * every one of them cached.
     */
    private void presenceCacheEmptied() throws InterruptedException {
        Thread.sleep(config.expertPresenceTtl().toMillis() + 100);
    }

    /** The lookups' answer times, in order, with 4 clients at once; {@code started} gets when each began. */
    private List<Long> fourClients(List<Query> queries, List<Long> started) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<long[]>> answers = new ArrayList<>();
            for (Query q : queries) {
                answers.add(pool.submit(() -> new long[] {System.nanoTime(), lookup(q.body(), new int[1])}));
            }
            List<Long> times = new ArrayList<>();
            for (Future<long[]> answer : answers) {
                long[] startAndTime = answer.get();
                started.add(startAndTime[0]);
                times.add(startAndTime[1]);
            }
            return times;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void lookupsIn100000Experts() throws Exception {
        SyncScenario scenario = SyncScenario.active(db, "bench-experts");
        TestData.api().body("{\"showUserDetails\":true}").patch("/connectors/" + scenario.orgId).then().statusCode(200);
        // the mirror as a directory round leaves it (the bench measures lookups, not Graph's delta)
        db.update("UPDATE directory_syncs SET next_sync_at = now() + interval '1 day' WHERE org_id = $1", scenario.orgId);
        db.update("INSERT INTO directory_syncs (org_id, next_sync_at, full_sync) VALUES ($1, now() + interval '1 day', false) "
                + "ON CONFLICT (org_id) DO NOTHING", scenario.orgId);
        db.update("INSERT INTO directory_users (org_id, user_id, display_name, given_name, surname, job_title, department, "
                + "mail, business_phones, account_enabled, searchable, business_phone, e164_phones, search_display, "
                + "search_given, search_surname, search_department, search_job_title, sync_generation, updated_at) "
                + "SELECT $1, gen_random_uuid()::text, g || ' ' || s, g, s, t, d, lower(g) || n || '@contoso.example', "
                + "ARRAY[p], true, true, p, ARRAY[p], lower(g || ' ' || s), lower(g), lower(s), lower(d), lower(t), 1, now() "
                + "FROM (SELECT n, ($2::text[])[1 + n % array_length($2::text[], 1)] AS g, "
                + "($3::text[])[1 + (n / 7) % array_length($3::text[], 1)] AS s, "
                + "($4::text[])[1 + (n / 11) % array_length($4::text[], 1)] AS d, "
                + "($5::text[])[1 + (n / 13) % array_length($5::text[], 1)] AS t, "
                + "'+1415' || lpad(n::text, 7, '0') AS p FROM generate_series(1, " + USERS + ") n) x",
                scenario.orgId, GIVEN, SURNAME, DEPARTMENT, TITLE);
        // what autovacuum does to a table this size
        db.update("VACUUM ANALYZE directory_users");
        GraphFake graph = FakesResource.graph();
        db.query("SELECT user_id FROM directory_users WHERE org_id = $1", scenario.orgId)
                .forEach(r -> graph.setPresence(r.getString(0), "Available", "Available"));

        int[] found = new int[1];
        // warm-up: other queries of the same kinds (other seeds, so that no measured page's presence is cached by
        // it) until the JIT has compiled the lookup's path: with 200 lookups the compiler threads still took more
        // CPU than the service during the measured lookups, and code run once or twice per lookup reaches C2's
        // thresholds (5,000 to 15,000 calls) only after several thousand (JFR, 2026-12-02). In rounds that start as
        // the measured phases do (presence cache empty, fresh budget), 4 clients then 1: one long run used up the
        // budget, its last thousands of lookups skipped Graph, and the measured phases then paid for deoptimising
        // and recompiling that path again (C2 2.0 ms of CPU per lookup with 1 client, 0.9 ms with 4)
        // Probes and scrapes meanwhile (GET /q/health/ready, /q/metrics), as a deployment has them: with POSTs only,
        // the JIT compiled the HTTP path for POSTs, the bench's GET of the metrics before a measured phase
        // deoptimised it (JFR: unstable_if in Http1Request.headers, HttpMethod.equals, the path matchers), and C2
        // spent up to 2 ms of CPU per measured lookup recompiling it (VertxHandler.channelRead alone 462 ms)
        ScheduledExecutorService probes = Executors.newSingleThreadScheduledExecutor();
        probes.scheduleWithFixedDelay(this::probe, 0, 20, TimeUnit.MILLISECONDS);
        int rounds = 0;
        double jitShare = 1;
        try {
            while (rounds < WARMUP_ROUNDS || (jitShare >= JIT_SETTLED && rounds < MAX_WARMUP_ROUNDS)) {
                presenceCacheEmptied();
                long jitBefore = jitMillis();
                long roundStart = System.nanoTime();
                freshPresenceBudget();
                fourClients(queries(scenario.orgId, WARMUP_LOOKUPS / WARMUP_ROUNDS, 7 + rounds), new ArrayList<>());
                for (Query q : queries(scenario.orgId, LOOKUPS / 2, 107 + rounds)) {
                    lookup(q.body(), found);
                }
                // what the benchmark itself does between measured phases, so that the JIT has compiled it too
                // (JFR: String.split of its /proc and metrics reading went to C2 as a measured phase began)
                between();
                jitShare = (jitMillis() - jitBefore) / ms(System.nanoTime() - roundStart);
                rounds++;
            }
        } finally {
            probes.shutdownNow();
            probes.awaitTermination(5, TimeUnit.SECONDS);
        }
        String warmup = String.format("Warm-up: %d rounds; the JIT compiled for %.1f %% of the last one's wall time.%n",
                rounds, jitShare * 100);
        List<Query> queries = queries(scenario.orgId, LOOKUPS);
        found[0] = 0;
        presenceCacheEmptied();
        freshPresenceBudget();
        List<Long> one = new ArrayList<>();
        double searchBefore = phaseSeconds("search");
        double presenceBefore = phaseSeconds("presence");
        PhaseCost oneCost = new PhaseCost();
        oneCost.begin();
        for (Query q : queries) {
            one.add(lookup(q.body(), found));
        }
        long oneWall = oneCost.end();
        String oneSources = presenceSources();
        Map<String, List<Long>> byKind = new TreeMap<>();
        for (int i = 0; i < LOOKUPS; i++) {
            byKind.computeIfAbsent(queries.get(i).kind(), k -> new ArrayList<>()).add(one.get(i));
        }
        double searchSeconds = phaseSeconds("search") - searchBefore;
        double presenceSeconds = phaseSeconds("presence") - presenceBefore;
        assertTrue(found[0] > LOOKUPS * 8 / 10, "most lookups find experts: " + found[0]);

        List<Long> four = new ArrayList<>();
        List<Long> fourStarted = new ArrayList<>();
        List<String> phaseP99 = new ArrayList<>();
        PhaseCost fourCost = new PhaseCost();
        for (int phase = 0; phase < FOUR_CLIENT_PHASES; phase++) {
            presenceCacheEmptied();
            freshPresenceBudget();
            System.out.println("4-client phase " + (phase + 1) + " starts at JVM uptime "
                    + ManagementFactory.getRuntimeMXBean().getUptime() + " ms"); // to find it in a JFR recording
            long start = fourCost.begin();
            List<Long> started = new ArrayList<>();
            List<Long> times = fourClients(queries, started);
            fourCost.end();
            assertEquals(LOOKUPS, times.size());
            four.addAll(times);
            for (long s : started) {
                fourStarted.add(s - start);
            }
            phaseP99.add(String.format("%.1f", ms(percentile(times, 0.99))));
        }
        int fourLookups = LOOKUPS * FOUR_CLIENT_PHASES;
        Map<String, List<Long>> byKindFour = new TreeMap<>();
        for (int i = 0; i < fourLookups; i++) {
            byKindFour.computeIfAbsent(queries.get(i % LOOKUPS).kind(), k -> new ArrayList<>()).add(four.get(i));
        }

        String report = "| measure | median | p99 | throughput |\n|---|---|---|---|\n"
                + String.format("| %,d mixed lookups in 100,000 experts, 1 client | %.1f ms | %.1f ms | %,.0f lookups/s |%n",
                LOOKUPS, ms(percentile(one, 0.5)), ms(percentile(one, 0.99)), LOOKUPS / (oneWall / 1e9))
                + String.format("| the same, 4 clients, %d times | %.1f ms | %.1f ms | %,.0f lookups/s |%n",
                FOUR_CLIENT_PHASES, ms(percentile(four, 0.5)), ms(percentile(four, 0.99)), fourLookups / (fourCost.wallNanos / 1e9))
                + "\n" + warmup + "\nThe 4-client phases one by one, p99: " + String.join(", ", phaseP99)
                + String.format(" ms. The JIT compiled for %.0f ms in them (%.1f %% of their wall time).%n", (double) fourCost.jitMs,
                fourCost.jitMs / ms(fourCost.wallNanos) * 100);
        StringBuilder kinds = new StringBuilder("\n| query kind | lookups (1 client) | 1 client: median | p99 | 4 clients: median | p99 |\n"
                + "|---|---|---|---|---|---|\n");
        byKind.forEach((kind, times) -> {
            List<Long> fourTimes = byKindFour.get(kind);
            kinds.append(String.format("| %s | %d | %.1f ms | %.1f ms | %.1f ms | %.1f ms |%n", kind, times.size(),
                    ms(percentile(times, 0.5)), ms(percentile(times, 0.99)), ms(percentile(fourTimes, 0.5)),
                    ms(percentile(fourTimes, 0.99))));
        });
        report += kinds + String.format("%nIn the service, per lookup on average (the measured ones): search %.2f ms, "
                + "presence %.2f ms.%n", searchSeconds * 1000 / LOOKUPS, presenceSeconds * 1000 / LOOKUPS)
                + String.format("%nGarbage collections of this JVM during the measured lookups: 1 client %d (%d ms in all), "
                + "4 clients %d (%d ms in all).%n", oneCost.collections, oneCost.collectionMs, fourCost.collections,
                fourCost.collectionMs)
                + String.format("%nCPU per lookup, 1 client: %.1f ms of the machine, %.1f ms of them in this JVM; "
                + "4 clients: %.1f ms, %.1f ms in this JVM.%n", oneCost.machineMsPer(LOOKUPS), oneCost.jvmMsPer(LOOKUPS),
                fourCost.machineMsPer(fourLookups), fourCost.jvmMsPer(fourLookups))
                + "\nThis JVM's CPU per lookup by thread kind, 1 client: " + oneCost.threadsPer(LOOKUPS) + ".\n"
                + "\nThe same, 4 clients: " + fourCost.threadsPer(fourLookups) + ".\n"
                + "\nPresence of the pages, from the start: after 1 client " + oneSources + "; after 4 clients "
                + presenceSources() + ".\n";
        System.out.println("\n" + report);
        Path out = Path.of("target", "bench", "expert-lookup.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        // each 4-client lookup: when it began (ms into the phase), its answer time and its kind, to see whether
        // the slow ones come together (a pause of the whole process) or apart
        StringBuilder trace = new StringBuilder("phase\tstarted_ms\tanswer_ms\tkind\n");
        for (int i = 0; i < fourLookups; i++) {
            trace.append(String.format("%d\t%.1f\t%.2f\t%s%n", 1 + i / LOOKUPS, ms(fourStarted.get(i)), ms(four.get(i)),
                    queries.get(i % LOOKUPS).kind()));
        }
        Files.writeString(out.resolveSibling("expert-lookup-4-clients.tsv"), trace);
        scenario.deactivate();
    }
}
