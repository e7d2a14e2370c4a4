package io.teamsconnector.graph;

import io.teamsconnector.graph.GraphException.Kind;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Keeps presence reads under Graph's limit of 1,500 requests per 30 s per app and tenant: a sliding
 * window of the request times of each tenant in this process, and a pause when Graph answered 429
 * anyway (another instance, another app). A caller waits for a free slot up to a bound, else gets a
 * {@link Kind#THROTTLED} failure and tries again at its next round.
 */
final class PresenceRateLimiter {

    /** Graph's window. */
    static final Duration WINDOW = Duration.ofSeconds(30);
    /** Requests allowed per window and tenant: under Graph's 1,500, leaving room for other instances' single reads. */
    static final int LIMIT = 1_400;

    private final int limit;
    private final long windowNanos;
    private final LongSupplier nanoClock;
    private final Consumer<Duration> sleeper;
    private final Map<String, TenantWindow> tenants = new ConcurrentHashMap<>();

    PresenceRateLimiter(int limit, Duration window, LongSupplier nanoClock, Consumer<Duration> sleeper) {
        this.limit = limit;
        this.windowNanos = window.toNanos();
        this.nanoClock = nanoClock;
        this.sleeper = sleeper;
    }

    static PresenceRateLimiter standard() {
        return new PresenceRateLimiter(LIMIT, WINDOW, System::nanoTime, Backoff::pause);
    }

    /** Takes a slot for one request to the tenant, waiting at most {@code maxWait} for one. */
    void acquire(String tenant, Duration maxWait) {
        TenantWindow window = tenants.computeIfAbsent(tenant, t -> new TenantWindow());
        long deadline = nanoClock.getAsLong() + maxWait.toNanos();
        while (true) {
            long wait;
            synchronized (window) {
                long now = nanoClock.getAsLong();
                wait = window.waitNanos(now);
                if (wait == 0) {
                    window.sent.addLast(now);
                    return;
                }
                if (now + wait > deadline) {
                    throw new GraphException(Kind.THROTTLED, 429, "Presence reads for this tenant are at Graph's "
                            + "rate limit; retry in " + Math.max(1, Duration.ofNanos(wait).toSeconds()) + " s",
                            null, Duration.ofNanos(wait));
                }
            }
            sleeper.accept(Duration.ofNanos(wait));
        }
    }

    /** No request to the tenant for {@code duration} (Graph answered 429 with this Retry-After). */
    void pause(String tenant, Duration duration) {
        TenantWindow window = tenants.computeIfAbsent(tenant, t -> new TenantWindow());
        synchronized (window) {
            long until = nanoClock.getAsLong() + duration.toNanos();
            // nano times are compared by difference only: they may be negative
            if (!window.paused || until - window.pausedUntil > 0) {
                window.pausedUntil = until;
            }
            window.paused = true;
        }
    }

    /** The request times of one tenant within the window, oldest first. */
    private final class TenantWindow {
        private final ArrayDeque<Long> sent = new ArrayDeque<>();
        private boolean paused;
        private long pausedUntil;

        /** 0 when a request may go now, else how long until one may. */
        long waitNanos(long now) {
            while (!sent.isEmpty() && now - sent.peekFirst() >= windowNanos) {
                sent.removeFirst();
            }
            long paused = this.paused ? pausedUntil - now : 0;
            long full = sent.size() >= limit ? sent.peekFirst() + windowNanos - now : 0;
            return Math.max(0, Math.max(paused, full));
        }
    }
}
