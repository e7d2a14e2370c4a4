package io.teamsconnector.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;

import static io.teamsconnector.store.SqlValues.instant;
import static io.teamsconnector.store.SqlValues.timestamp;

/**
 * Each tenant's budget of Graph presence requests, shared by every instance (tables {@code presence_budget}
 * and {@code presence_budget_pauses}). Requests are counted per one-second slice; a request counts against
 * the window from the start of its slice until {@code window} after the slice ends, so any {@code window}
 * of real time holds at most {@code limit} requests, whatever the slices' borders.
 */
@ApplicationScoped
public class PresenceBudgetRepository {

    /** The slices requests are counted in. */
    public static final Duration SLICE = Duration.ofSeconds(1);
    /** When a refusal's reason was not visible yet (a concurrent taker), how soon to ask again. */
    static final Duration RECHECK = Duration.ofMillis(100);

    /**
     * Makes the statement's own transaction commit without waiting for the disk ({@code synchronous_commit} off
     * until its commit, and only for it). Other instances see a count as soon as it commits, as always; only a
     * crash of PostgreSQL could lose the last fraction of a second of counts, and Graph's own 429 covers that.
     * Waiting for the flush put 10 to 40 ms of this machine's disk into the lookups that took room, several at
     * once. In the statement itself rather than a {@code SET LOCAL}: that would need a transaction of four round
     * trips where one does.
     */
    private static final String COUNT_WITHOUT_FLUSH = "SELECT set_config('synchronous_commit', 'off', true) AS quick";

    /**
     * {@code $5} is cast where it is used: without a type, PostgreSQL deduces bigint (beside a sum) and integer
     * (the column) for it and refuses to prepare the statement; the client then prepared it again with types of its
     * own, on every take, and each refusal was an error in PostgreSQL's log.
     */
    static final String TAKE = "WITH quick AS (" + COUNT_WITHOUT_FLUSH + "), " + """
            state AS (
                SELECT COALESCE((SELECT sum(used) FROM presence_budget
                                 WHERE tenant_id = $1 AND slice_start >= $3 AND slice_start < $2), 0) AS earlier,
                       (SELECT paused_until FROM presence_budget_pauses
                        WHERE tenant_id = $1 AND paused_until > $4) AS paused_until
            ), taken AS (
                INSERT INTO presence_budget AS b (tenant_id, slice_start, used)
                SELECT $1, $2, $5::int FROM state WHERE state.paused_until IS NULL AND state.earlier + $5::int <= $6
                ON CONFLICT (tenant_id, slice_start) DO UPDATE SET used = b.used + EXCLUDED.used
                WHERE b.used + EXCLUDED.used + (SELECT earlier FROM state) <= $6
                RETURNING used
            )
            SELECT (SELECT count(*) FROM taken) = 1 AS granted, state.paused_until, counted.used, counted.oldest
            FROM quick, state, (SELECT COALESCE(sum(used), 0) AS used, min(slice_start) AS oldest FROM presence_budget
                         WHERE tenant_id = $1 AND slice_start >= $3) AS counted""";

    static final String GIVE_BACK = "UPDATE presence_budget SET used = GREATEST(used - $3, 1) FROM (" + COUNT_WITHOUT_FLUSH
            + ") AS quick WHERE tenant_id = $1 AND slice_start = $2";

    private final Pool pool;

    public PresenceBudgetRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * The answer to a request for room: granted, or when room may be free again (a pause ending, or the
     * oldest slice in the window leaving it); the caller asks again then.
     */
    public record Grant(boolean granted, Instant freeAt) {
    }

    /**
     * Takes room for {@code requests} requests to the tenant at {@code at}, if the window holds fewer than
     * {@code limit} with them and the tenant is not paused. Atomic: of concurrent callers (in any
     * instance) only as many as there is room for are granted.
     */
    public Uni<Grant> take(String tenantId, Instant at, int requests, int limit, Duration window) {
        Instant slice = sliceOf(at);
        Instant countedFrom = slice.minus(window);
        return pool.preparedQuery(TAKE)
                .execute(Tuple.of(tenantId, timestamp(slice), timestamp(countedFrom), timestamp(at), requests, limit))
                .map(rows -> grant(rows.iterator().next(), at, slice, requests, limit, window));
    }

    private static Grant grant(Row row, Instant at, Instant slice, int requests, int limit, Duration window) {
        if (row.getBoolean("granted")) {
            return new Grant(true, at);
        }
        Instant freeAt = null;
        Instant pausedUntil = instant(row, "paused_until");
        if (pausedUntil != null) {
            freeAt = pausedUntil;
        }
        if (row.getLong("used") + requests > limit) {
            // room comes back when the oldest slice counted leaves the window
            Instant oldest = instant(row, "oldest");
            Instant leaves = (oldest != null ? oldest : slice).plus(SLICE).plus(window);
            freeAt = freeAt == null || leaves.isAfter(freeAt) ? leaves : freeAt;
        }
        // neither: another instance filled the slice after this statement began; its effect shows next time
        return new Grant(false, freeAt != null ? freeAt : at.plus(RECHECK));
    }

    /** No request to the tenant before {@code until} (Graph answered 429); an earlier end is not brought forward. */
    public Uni<Void> pause(String tenantId, Instant until) {
        return pool.preparedQuery("INSERT INTO presence_budget_pauses (tenant_id, paused_until) VALUES ($1, $2) "
                        + "ON CONFLICT (tenant_id) DO UPDATE SET paused_until = "
                        + "GREATEST(presence_budget_pauses.paused_until, EXCLUDED.paused_until)")
                .execute(Tuple.of(tenantId, timestamp(until)))
                .replaceWithVoid();
    }

    /** Deletes slices that started before {@code cutoff} and pauses that ended before it; answers the rows deleted. */
    public Uni<Integer> deleteOlderThan(Instant cutoff) {
        return pool.preparedQuery("WITH slices AS (DELETE FROM presence_budget WHERE slice_start < $1 RETURNING 1), "
                        + "pauses AS (DELETE FROM presence_budget_pauses WHERE paused_until < $1 RETURNING 1) "
                        + "SELECT (SELECT count(*) FROM slices) + (SELECT count(*) FROM pauses) AS deleted")
                .execute(Tuple.of(timestamp(cutoff)))
                .map(rows -> rows.iterator().next().getLong("deleted").intValue());
    }

    /**
     * Gives back {@code requests} taken for the slice that holds {@code at} and not made (what was left of a
     * caller's lease when that second ended), so that they count for nobody.
     */
    public Uni<Void> giveBack(String tenantId, Instant at, int requests) {
        return pool.preparedQuery(GIVE_BACK)
                .execute(Tuple.of(tenantId, timestamp(sliceOf(at)), requests))
                .replaceWithVoid();
    }

    /** The slice that holds {@code at}. */
    public static Instant sliceOf(Instant at) {
        return Instant.ofEpochSecond(at.getEpochSecond());
    }
}
