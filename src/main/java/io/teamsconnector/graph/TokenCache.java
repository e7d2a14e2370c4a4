package io.teamsconnector.graph;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Access tokens in memory (a Caffeine cache), each until its renewal time, shortly before it expires. One
 * fetch per key at a time: the first caller fetches on its own thread, callers of the same key meanwhile wait
 * for that fetch and share its outcome, callers of other keys do not wait; a failed fetch is not kept.
 * Blocking: call from a worker thread.
 */
final class TokenCache<V> {

    /** What one fetch brought: a token, or the failure its waiting callers get too. */
    private record Fetched<V>(V token, RuntimeException failure) {
    }

    private final AsyncCache<String, Fetched<V>> tokens;

    /** {@code renewAt}: when a token stops being served from the cache. */
    TokenCache(Function<V, Instant> renewAt) {
        this.tokens = Caffeine.newBuilder()
                .expireAfter(Expiry.creating((String key, Fetched<V> fetched) ->
                        fetched.failure() != null ? Duration.ZERO : until(renewAt.apply(fetched.token()))))
                .buildAsync();
    }

    private static Duration until(Instant instant) {
        Duration left = Duration.between(Instant.now(), instant);
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** The cached token, else the one {@code fetch} brings; a failed fetch is thrown as it is. */
    V get(String key, Function<String, V> fetch) {
        CompletableFuture<Fetched<V>> mine = new CompletableFuture<>();
        CompletableFuture<Fetched<V>> current = tokens.get(key, (k, executor) -> mine);
        if (current == mine) {
            try {
                mine.complete(new Fetched<>(fetch.apply(key), null));
            } catch (RuntimeException e) {
                mine.complete(new Fetched<>(null, e));
            } catch (Error e) {
                mine.completeExceptionally(e);
                throw e;
            }
        }
        Fetched<V> fetched = current.join();
        if (fetched.failure() != null) {
            throw fetched.failure();
        }
        return fetched.token();
    }

    /** Forgets the key's token: the next caller fetches a new one. */
    void evict(String key) {
        tokens.synchronous().invalidate(key);
    }
}
