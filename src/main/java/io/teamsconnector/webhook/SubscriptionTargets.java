package io.teamsconnector.webhook;

import io.smallrye.mutiny.Uni;
import io.teamsconnector.domain.ConnectorStatus;
import io.teamsconnector.store.SubscriptionRepository.NotificationTarget;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What the intake read lately of active subscriptions, so that a batch of a known subscription is checked
 * without a database round trip. Only subscriptions of an ACTIVE connector are kept, each for {@code ttl}:
 * an unknown id or an inactive connector is read every time. A subscription that ends or whose connector
 * is deactivated within the ttl may still have items stored; processing drops what belongs to no active
 * connector. A subscription's clientState hash and tenant never change (a new clientState is a new
 * subscription). Bounded: at {@link #MAX} entries it starts afresh, so ids made up by a prober cost memory
 * only when they are real.
 */
final class SubscriptionTargets {

    static final int MAX = 10_000;

    private record Entry(NotificationTarget target, long until) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final long ttlNanos;

    SubscriptionTargets(Duration ttl) {
        this.ttlNanos = ttl.toNanos();
    }

    /** The targets of {@code ids} that exist: from memory when fresh, the rest from {@code read} (one call). */
    Uni<Map<String, NotificationTarget>> get(Collection<String> ids,
                                             Function<Set<String>, Uni<Map<String, NotificationTarget>>> read) {
        long now = System.nanoTime();
        Map<String, NotificationTarget> out = new HashMap<>();
        Set<String> missing = new LinkedHashSet<>();
        for (String id : ids) {
            Entry entry = ttlNanos > 0 ? entries.get(id) : null;
            if (entry != null && entry.until() - now > 0) {
                out.put(id, entry.target());
            } else {
                missing.add(id);
            }
        }
        if (missing.isEmpty()) {
            return Uni.createFrom().item(out);
        }
        return read.apply(missing).map(read1 -> {
            out.putAll(read1);
            remember(read1);
            return out;
        });
    }

    private void remember(Map<String, NotificationTarget> read1) {
        if (ttlNanos > 0) {
            if (entries.size() >= MAX) {
                entries.clear();
            }
            long until = System.nanoTime() + ttlNanos;
            read1.forEach((id, target) -> {
                if (target.status() == ConnectorStatus.ACTIVE) {
                    entries.put(id, new Entry(target, until));
                }
            });
        }
    }
}
