package io.teamsconnector.graph;

import io.teamsconnector.domain.TeamsPresence;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Teams presences this process read lately (polling, notifications, expert lookups), each until it goes
 * stale: expert lookup shows them instead of asking Graph again. In memory only; bounded.
 */
@ApplicationScoped
public class RecentPresence {

    static final int MAX_ENTRIES = 200_000;

    private record Entry(TeamsPresence presence, long staleAtNanos) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    /** Presences read now, fresh for {@code ttl}. */
    public void observed(String tenantId, Map<String, TeamsPresence> presenceByUser, Duration ttl) {
        if (entries.size() + presenceByUser.size() > MAX_ENTRIES) {
            long now = System.nanoTime();
            entries.values().removeIf(e -> e.staleAtNanos() - now <= 0);
            if (entries.size() + presenceByUser.size() > MAX_ENTRIES) {
                entries.clear();
            }
        }
        long staleAt = System.nanoTime() + ttl.toNanos();
        presenceByUser.forEach((user, presence) -> entries.put(key(tenantId, user), new Entry(presence, staleAt)));
    }

    /** The user's presence if read within its freshness. */
    public Optional<TeamsPresence> fresh(String tenantId, String userId) {
        Entry entry = entries.get(key(tenantId, userId));
        return entry != null && entry.staleAtNanos() - System.nanoTime() > 0 ? Optional.of(entry.presence())
                : Optional.empty();
    }

    private static String key(String tenantId, String userId) {
        return tenantId + "/" + userId;
    }
}
