package io.teamsconnector.graph;

import io.teamsconnector.graph.GraphException.Kind;
import io.teamsconnector.store.PresenceBudgetRepository;
import io.teamsconnector.store.PresenceBudgetRepository.Grant;
import io.teamsconnector.store.ReactiveBridge;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Keeps presence reads under Graph's limit of 1,500 requests per 30 s per app and tenant, together with every
 * other instance: the tenant's budget is kept in PostgreSQL ({@link PresenceBudgetRepository}), and a pause
 * after Graph answered 429 anyway (another app) holds back every instance. A caller waits for room up to a
 * bound, else gets a {@link Kind#THROTTLED} failure and tries again at its next round. Blocking. The
 * instances' clocks are assumed in step (NTP): a skew of milliseconds only moves a slice's border.
 *
 * <p>An instance that reads often leases room for several requests at once, for the current one-second slice
 * only: the first request of a second takes room for itself, each later one for as many as the second has
 * taken so far, up to {@link #BLOCK} (1, 1, 2, 4, 8, 10, 10, ...), so a stream of reads writes the budget
 * about a tenth as often. What a lease has left when its second ends is given back at the instance's next
 * request. So another instance may be refused, for the rest of a second, room this one holds and will not
 * use (at most {@code BLOCK - 1} requests), and a pause set elsewhere holds this one back from its next lease
 * on (within a second); the limit itself is never passed.
 */
@ApplicationScoped
class PresenceRateLimiter {

    /** Graph's window. */
    static final Duration WINDOW = Duration.ofSeconds(30);
    /** Requests allowed per window and tenant: under Graph's 1,500, leaving room for other single reads. */
    static final int LIMIT = 1_400;
    /** The most requests one lease takes room for. */
    static final int BLOCK = 10;

    private final PresenceBudgetRepository budget;
    private final ReactiveBridge bridge;
    private final int limit;
    private final Supplier<Instant> clock;
    private final Consumer<Duration> sleeper;
    private final Map<String, Lease> leases = new ConcurrentHashMap<>();

    /** Room this instance holds for one tenant in one slice. Guarded by itself. */
    private static final class Lease {
        Instant slice;
        int taken;
        int left;
    }

    @Inject
    PresenceRateLimiter(PresenceBudgetRepository budget, ReactiveBridge bridge, RetryPause pause) {
        this(budget, bridge, LIMIT, Instant::now, pause::pause);
    }

    PresenceRateLimiter(PresenceBudgetRepository budget, ReactiveBridge bridge, int limit, Supplier<Instant> clock,
                        Consumer<Duration> sleeper) {
        this.budget = budget;
        this.bridge = bridge;
        this.limit = limit;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** Takes room for one request to the tenant, waiting at most {@code maxWait} for it. */
    void acquire(String tenant, Duration maxWait) {
        Instant deadline = clock.get().plus(maxWait);
        Lease lease = leases.computeIfAbsent(tenant, t -> new Lease());
        while (true) {
            Instant now = clock.get();
            Instant slice = PresenceBudgetRepository.sliceOf(now);
            int block;
            Instant unusedSlice = null;
            int unused = 0;
            synchronized (lease) {
                if (slice.equals(lease.slice) && lease.left > 0) {
                    lease.left--;
                    return;
                }
                if (!slice.equals(lease.slice)) {
                    unusedSlice = lease.slice;
                    unused = lease.left;
                    lease.slice = slice;
                    lease.taken = 0;
                    lease.left = 0;
                }
                block = Math.min(BLOCK, Math.max(1, lease.taken));
            }
            if (unused > 0) {
                int givenBack = unused;
                Instant from = unusedSlice;
                bridge.await(() -> budget.giveBack(tenant, from, givenBack));
            }
            Grant grant = bridge.await(() -> budget.take(tenant, now, block, limit, WINDOW));
            int granted = block;
            if (!grant.granted() && block > 1) {
                // less room than a lease: the last requests of the window are taken one by one
                grant = bridge.await(() -> budget.take(tenant, now, 1, limit, WINDOW));
                granted = 1;
            }
            if (grant.granted()) {
                synchronized (lease) {
                    if (slice.equals(lease.slice)) {
                        lease.taken += granted;
                        lease.left += granted - 1;
                    }
                }
                return;
            }
            Duration wait = Duration.between(now, grant.freeAt());
            if (grant.freeAt().isAfter(deadline)) {
                throw new GraphException(Kind.THROTTLED, 429, "Presence reads for this tenant are at Graph's "
                        + "rate limit; retry in " + Math.max(1, wait.toSeconds()) + " s", null, wait);
            }
            sleeper.accept(wait);
        }
    }

    /** No request to the tenant, from any instance, for {@code duration} (Graph answered 429 with this Retry-After). */
    void pause(String tenant, Duration duration) {
        Instant until = clock.get().plus(duration);
        Lease lease = leases.get(tenant);
        if (lease != null) {
            synchronized (lease) {
                lease.left = 0; // counted, not made: Graph said stop
            }
        }
        bridge.await(() -> budget.pause(tenant, until));
    }
}
