package io.teamsconnector.graph;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.teamsconnector.domain.TeamsPresence;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Teams presences this process read lately (polling, notifications, expert lookups), each until it goes
 * stale: expert lookup shows them instead of asking Graph again. In memory only (a Caffeine cache), each
 * entry with its own freshness, at most {@value #MAX_ENTRIES} of them.
 */
@ApplicationScoped
public class RecentPresence {

    static final int MAX_ENTRIES = 200_000;

    private record Entry(TeamsPresence presence, Duration ttl) {
    }

    private final Cache<String, Entry> entries = Caffeine.newBuilder()
            .maximumSize(MAX_ENTRIES)
            .expireAfter(Expiry.writing((String key, Entry entry) -> entry.ttl()))
            .build();

    /** Presences read now, fresh for {@code ttl}. */
    public void observed(String tenantId, Map<String, TeamsPresence> presenceByUser, Duration ttl) {
        presenceByUser.forEach((user, presence) -> entries.put(key(tenantId, user), new Entry(presence, ttl)));
    }

    /** The user's presence if read within its freshness. */
    public Optional<TeamsPresence> fresh(String tenantId, String userId) {
        return Optional.ofNullable(entries.getIfPresent(key(tenantId, userId))).map(Entry::presence);
    }

    private static String key(String tenantId, String userId) {
        return tenantId + "/" + userId;
    }
}
