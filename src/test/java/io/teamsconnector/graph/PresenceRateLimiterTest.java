package io.teamsconnector.graph;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.teamsconnector.store.PresenceBudgetRepository;
import io.teamsconnector.store.PresenceBudgetRepository.Grant;
import io.vertx.mutiny.sqlclient.Pool;
import io.teamsconnector.store.ReactiveBridge;
import io.teamsconnector.support.TestDatabase;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.teamsconnector.graph.PresenceRateLimiter.LIMIT;
import static io.teamsconnector.graph.PresenceRateLimiter.WINDOW;
import static io.teamsconnector.store.PresenceBudgetRepository.SLICE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The per-tenant budget of presence reads, in the real database, on a clock the test moves. Each limiter
 * stands for one instance ("replica") of the service.
 */
@QuarkusTest
class PresenceRateLimiterTest {

    @Inject
    PresenceBudgetRepository budget;
    @Inject
    ReactiveBridge bridge;
    @Inject
    TestDatabase db;
    @Inject
    Pool pool;

    final AtomicReference<Instant> clock = new AtomicReference<>(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    final List<Duration> waits = new ArrayList<>();
    String tenant;
    PresenceRateLimiter limiter;

    @BeforeEach
    void setUp() {
        // a tenant of its own per test: the budget table is shared by the whole run
        tenant = UUID.randomUUID().toString();
        limiter = replica();
    }

    /** Another instance: same database, same clock. */
    PresenceRateLimiter replica() {
        return new PresenceRateLimiter(budget, bridge, LIMIT, clock::get, wait -> {
            synchronized (waits) {
                waits.add(wait);
            }
            clock.updateAndGet(now -> now.plus(wait));
        });
    }

    void take(PresenceRateLimiter replica, int requests) {
        for (int i = 0; i < requests; i++) {
            replica.acquire(tenant, Duration.ZERO);
        }
    }

    long used() {
        return db.count("SELECT COALESCE(sum(used), 0) FROM presence_budget WHERE tenant_id = $1", tenant);
    }

    @Test
    void neverMoreThanTheLimitWithinThirtySeconds() {
        int sent = 0;
        for (int i = 0; i < 2_000; i++) {
            try {
                limiter.acquire(tenant, Duration.ZERO);
                sent++;
            } catch (GraphException e) {
                assertEquals(GraphException.Kind.THROTTLED, e.kind());
            }
            clock.updateAndGet(now -> now.plusMillis(10));
        }
        // 2,000 attempts over 20 s: the window admits 1,400 of them, under Graph's 1,500
        assertEquals(LIMIT, sent);
        assertTrue(LIMIT < 1_500);
    }

    @Test
    void theWindowSlides() {
        take(limiter, LIMIT);
        assertThrows(GraphException.class, () -> limiter.acquire(tenant, Duration.ZERO));

        // a request counts for the window after the end of its one-second slice: any 30 s of real time,
        // wherever the slices' borders fall, holds at most the limit
        clock.updateAndGet(now -> now.plus(WINDOW));
        assertThrows(GraphException.class, () -> limiter.acquire(tenant, Duration.ZERO));
        clock.updateAndGet(now -> now.plus(SLICE));

        limiter.acquire(tenant, Duration.ZERO);
    }

    @Test
    void aCallerWaitsForAFreeSlotWithinItsBound() {
        take(limiter, LIMIT);
        clock.updateAndGet(now -> now.plusSeconds(25));

        limiter.acquire(tenant, Duration.ofSeconds(10));

        assertEquals(List.of(WINDOW.plus(SLICE).minusSeconds(25)), waits);
    }

    @Test
    void aCallerThatCannotWaitLongEnoughIsToldWhenToRetry() {
        take(limiter, LIMIT);
        clock.updateAndGet(now -> now.plusSeconds(10));

        GraphException refused = assertThrows(GraphException.class,
                () -> limiter.acquire(tenant, Duration.ofSeconds(5)));

        assertEquals(GraphException.Kind.THROTTLED, refused.kind());
        assertEquals(WINDOW.plus(SLICE).minusSeconds(10), refused.retryAfter().orElseThrow());
        assertEquals(List.of(), waits);
    }

    @Test
    void tenantsHaveWindowsOfTheirOwn() {
        take(limiter, LIMIT);

        limiter.acquire(UUID.randomUUID().toString(), Duration.ZERO);
    }

    @Test
    void aPauseAfterA429HoldsEveryCallerBack() {
        limiter.pause(tenant, Duration.ofSeconds(60));

        GraphException refused = assertThrows(GraphException.class,
                () -> limiter.acquire(tenant, Duration.ofSeconds(5)));
        assertEquals(GraphException.Kind.THROTTLED, refused.kind());
        assertEquals(Duration.ofSeconds(60), refused.retryAfter().orElseThrow());
        GraphException elsewhere = assertThrows(GraphException.class, () -> replica().acquire(tenant, Duration.ZERO));
        assertEquals(Duration.ofSeconds(60), elsewhere.retryAfter().orElseThrow());

        clock.updateAndGet(now -> now.plusSeconds(61));
        limiter.acquire(tenant, Duration.ZERO);
    }

    @Test
    void aShorterPauseDoesNotShortenALongerOne() {
        limiter.pause(tenant, Duration.ofSeconds(60));
        replica().pause(tenant, Duration.ofSeconds(5));

        GraphException refused = assertThrows(GraphException.class, () -> limiter.acquire(tenant, Duration.ZERO));
        assertEquals(Duration.ofSeconds(60), refused.retryAfter().orElseThrow());
    }

    @Test
    void twoReplicasShareOneBudget() {
        PresenceRateLimiter other = replica();

        int granted = 0;
        boolean oneRefused = false;
        boolean otherRefused = false;
        while (!oneRefused || !otherRefused) {
            // turn about, as two instances reading in the same seconds
            if (!oneRefused) {
                oneRefused = !tryAcquire(limiter);
                granted += oneRefused ? 0 : 1;
            }
            if (!otherRefused) {
                otherRefused = !tryAcquire(other);
                granted += otherRefused ? 0 : 1;
            }
        }

        assertEquals(LIMIT, granted, "together, the whole budget and no more");
        assertEquals(LIMIT, used());
    }

    private boolean tryAcquire(PresenceRateLimiter replica) {
        try {
            replica.acquire(tenant, Duration.ZERO);
            return true;
        } catch (GraphException e) {
            assertEquals(GraphException.Kind.THROTTLED, e.kind());
            return false;
        }
    }

    @Test
    void aStreamOfReadsTakesRoomInLeasesAndGivesBackWhatItDidNotUse() {
        AtomicInteger takes = new AtomicInteger();
        PresenceBudgetRepository counted = new PresenceBudgetRepository(pool) {
            @Override
            public Uni<Grant> take(String tenantId, Instant at, int requests, int limit, Duration window) {
                takes.incrementAndGet();
                return super.take(tenantId, at, requests, limit, window);
            }
        };
        PresenceRateLimiter reader = new PresenceRateLimiter(counted, bridge, LIMIT, clock::get, waits::add);

        for (int i = 0; i < 100; i++) {
            reader.acquire(tenant, Duration.ZERO);
        }

        // leases of 1, 1, 2, 4, 8, then 10 at a time
        assertEquals(14, takes.get(), "100 reads in one second write the budget 14 times");
        assertTrue(used() >= 100 && used() < 100 + PresenceRateLimiter.BLOCK, "room for what was leased: " + used());

        clock.updateAndGet(now -> now.plus(SLICE));
        reader.acquire(tenant, Duration.ZERO);
        assertEquals(101, used(), "what the last second's lease did not use is given back");
    }

    @Test
    void aPauseStopsTheInstanceThatSawThe429AtOnce() {
        take(limiter, 10); // a lease with room left in it
        limiter.pause(tenant, Duration.ofSeconds(60));

        GraphException refused = assertThrows(GraphException.class, () -> limiter.acquire(tenant, Duration.ZERO));
        assertEquals(Duration.ofSeconds(60), refused.retryAfter().orElseThrow());
    }

    @Test
    void replicasRacingForTheLastRoomGetNoMoreThanTheLimit() throws Exception {
        take(limiter, LIMIT - 100);
        List<PresenceRateLimiter> replicas = List.of(limiter, replica(), replica(), replica());
        ExecutorService pool = Executors.newFixedThreadPool(replicas.size());
        try {
            List<Callable<Integer>> racers = new ArrayList<>();
            for (PresenceRateLimiter replica : replicas) {
                racers.add(() -> {
                    int granted = 0;
                    for (int i = 0; i < 50; i++) {
                        try {
                            replica.acquire(tenant, Duration.ZERO);
                            granted++;
                        } catch (GraphException e) {
                            assertEquals(GraphException.Kind.THROTTLED, e.kind());
                        }
                    }
                    return granted;
                });
            }
            int granted = 0;
            for (Future<Integer> racer : pool.invokeAll(racers)) {
                granted += racer.get();
            }

            // each replica may end holding room from its last lease that it had no attempt left to use
            assertTrue(granted <= 100 && granted > 100 - replicas.size() * PresenceRateLimiter.BLOCK,
                    "200 attempts for the last 100 requests of the window: " + granted);
            assertEquals(LIMIT, used(), "never more than the limit");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theCleanUpDeletesSlicesLongPast() {
        clock.updateAndGet(now -> now.minus(Duration.ofMinutes(10)));
        take(limiter, 3);
        clock.updateAndGet(now -> now.plus(Duration.ofMinutes(10)));
        take(limiter, 2);

        bridge.await(() -> budget.deleteOlderThan(clock.get().minus(Duration.ofMinutes(5))));

        assertEquals(2, used());
    }
}
