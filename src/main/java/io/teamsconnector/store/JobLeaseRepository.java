package io.teamsconnector.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Work that one instance does while several could (table {@code job_leases}): periodic jobs, once per period,
 * and signalled work that every instance heard, once per signal.
 */
@ApplicationScoped
public class JobLeaseRepository {

    private final Pool pool;

    public JobLeaseRepository(Pool pool) {
        this.pool = pool;
    }

    /** True for exactly one caller per {@code period}: that caller runs the job now. */
    public Uni<Boolean> claim(String name, Duration period) {
        return pool.preparedQuery("INSERT INTO job_leases (name, next_run_at) VALUES ($1, now() + make_interval(secs => $2)) "
                        + "ON CONFLICT (name) DO UPDATE SET next_run_at = EXCLUDED.next_run_at "
                        + "WHERE job_leases.next_run_at <= now() RETURNING name")
                .execute(Tuple.of(name, (double) period.toSeconds()))
                .map(rows -> rows.size() == 1);
    }

    /**
     * Of the given marks (name → the signal's {@link WorkSignal#sentAt}), the names this caller claimed: a mark
     * is claimed by the first caller that brings a newer stamp than the last one claimed, so every instance that
     * heard the same signal asks, and exactly one does the work. A mark is one row per name, reused.
     */
    public Uni<Set<String>> claimSignalled(Map<String, Long> stamps) {
        if (stamps.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        List<String> names = List.copyOf(stamps.keySet());
        return pool.preparedQuery("INSERT INTO job_leases (name, next_run_at) "
                        + "SELECT n, timestamptz 'epoch' + s * interval '1 microsecond' FROM unnest($1::text[], $2::bigint[]) AS t(n, s) "
                        + "ON CONFLICT (name) DO UPDATE SET next_run_at = EXCLUDED.next_run_at "
                        + "WHERE job_leases.next_run_at < EXCLUDED.next_run_at RETURNING name")
                .execute(Tuple.of(names.toArray(String[]::new), names.stream().map(stamps::get).toArray(Long[]::new)))
                .map(rows -> {
                    Set<String> claimed = new HashSet<>();
                    rows.forEach(row -> claimed.add(row.getString("name")));
                    return claimed;
                });
    }
}
