package io.teamsconnector.graph;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-tenant window of presence reads, on a clock the test moves. */
class PresenceRateLimiterTest {

    final AtomicLong clock = new AtomicLong(-5_000_000_000L);
    final List<Duration> waits = new ArrayList<>();
    final PresenceRateLimiter limiter = new PresenceRateLimiter(PresenceRateLimiter.LIMIT, PresenceRateLimiter.WINDOW,
            clock::get, wait -> {
                waits.add(wait);
                clock.addAndGet(wait.toNanos());
            });

    @Test
    void neverMoreThanTheLimitWithinThirtySeconds() {
        int sent = 0;
        for (int i = 0; i < 2_000; i++) {
            try {
                limiter.acquire("t1", Duration.ZERO);
                sent++;
            } catch (GraphException e) {
                assertEquals(GraphException.Kind.THROTTLED, e.kind());
            }
            clock.addAndGet(Duration.ofMillis(10).toNanos());
        }
        // 2,000 attempts over 20 s: the window admits 1,400 of them, under Graph's 1,500
        assertEquals(PresenceRateLimiter.LIMIT, sent);
        assertTrue(PresenceRateLimiter.LIMIT < 1_500);
    }

    @Test
    void theWindowSlides() {
        for (int i = 0; i < PresenceRateLimiter.LIMIT; i++) {
            limiter.acquire("t1", Duration.ZERO);
        }
        assertThrows(GraphException.class, () -> limiter.acquire("t1", Duration.ZERO));

        clock.addAndGet(Duration.ofSeconds(30).toNanos());

        limiter.acquire("t1", Duration.ZERO);
    }

    @Test
    void aCallerWaitsForAFreeSlotWithinItsBound() {
        for (int i = 0; i < PresenceRateLimiter.LIMIT; i++) {
            limiter.acquire("t1", Duration.ZERO);
        }
        clock.addAndGet(Duration.ofSeconds(25).toNanos());

        limiter.acquire("t1", Duration.ofSeconds(10));

        assertEquals(List.of(Duration.ofSeconds(5)), waits);
    }

    @Test
    void tenantsHaveWindowsOfTheirOwn() {
        for (int i = 0; i < PresenceRateLimiter.LIMIT; i++) {
            limiter.acquire("t1", Duration.ZERO);
        }

        limiter.acquire("t2", Duration.ZERO);
    }

    @Test
    void aPauseAfterA429HoldsEveryCallerBack() {
        limiter.pause("t1", Duration.ofSeconds(60));

        GraphException refused = assertThrows(GraphException.class, () -> limiter.acquire("t1", Duration.ofSeconds(5)));
        assertEquals(GraphException.Kind.THROTTLED, refused.kind());
        assertEquals(Duration.ofSeconds(60), refused.retryAfter().orElseThrow());

        clock.addAndGet(Duration.ofSeconds(61).toNanos());
        limiter.acquire("t1", Duration.ZERO);
    }
}
