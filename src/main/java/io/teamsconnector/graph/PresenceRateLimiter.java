package io.teamsconnector.graph;

import io.teamsconnector.graph.GraphException.Kind;
import io.teamsconnector.store.PresenceBudgetRepository;
import io.teamsconnector.store.PresenceBudgetRepository.Grant;
import io.teamsconnector.store.ReactiveBridge;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Keeps presence reads under Graph's limit of 1,500 requests per 30 s per app and tenant, together with every
 * other instance: the tenant's budget is kept in PostgreSQL ({@link PresenceBudgetRepository}), and a pause
 * after Graph answered 429 anyway (another app) holds back every instance. A caller waits for room up to a
 * bound, else gets a {@link Kind#THROTTLED} failure and tries again at its next round. Blocking. The
 * instances' clocks are assumed in step (NTP): a skew of milliseconds only moves a slice's border.
 */
@ApplicationScoped
class PresenceRateLimiter {

    /** Graph's window. */
    static final Duration WINDOW = Duration.ofSeconds(30);
    /** Requests allowed per window and tenant: under Graph's 1,500, leaving room for other single reads. */
    static final int LIMIT = 1_400;

    private final PresenceBudgetRepository budget;
    private final ReactiveBridge bridge;
    private final int limit;
    private final Supplier<Instant> clock;
    private final Consumer<Duration> sleeper;

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
        while (true) {
            Instant now = clock.get();
            Grant grant = bridge.await(() -> budget.take(tenant, now, 1, limit, WINDOW));
            if (grant.granted()) {
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
        bridge.await(() -> budget.pause(tenant, until));
    }
}
