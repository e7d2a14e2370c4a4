package io.teamsconnector.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;

/** Periodic jobs that one instance runs per period (table {@code job_leases}). */
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
}
