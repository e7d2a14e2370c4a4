package io.teamsconnector.store;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of a function that does not migrate: the schema must be at the version this build was written
 * for. Only {@code admin} and the all-in-one run the migrations; every other function reports not-ready,
 * and says why, until they have run.
 */
@Readiness
@ApplicationScoped
public class SchemaReadiness implements AsyncHealthCheck {

    /** The newest migration (db/migration/V{n}__*.sql) this code needs. A test keeps it in step. */
    public static final int EXPECTED_VERSION = 12;

    private final Pool pool;

    public SchemaReadiness(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return pool.query("SELECT coalesce(max(version::int), 0) AS v FROM flyway_schema_history WHERE success")
                .execute()
                .map(rows -> verdict(rows.iterator().next().getInteger("v")))
                .onFailure().recoverWithItem(e -> down("The schema has no migration history yet (" + e.getMessage()
                        + "). Run the migrations first: the admin function or the migrate Job."));
    }

    static HealthCheckResponse verdict(int version) {
        if (version >= EXPECTED_VERSION) {
            return HealthCheckResponse.named("Database schema").up().withData("version", version).build();
        }
        return down("The schema is at version " + version + "; this build needs " + EXPECTED_VERSION
                + ". Run the migrations first: the admin function or the migrate Job.");
    }

    private static HealthCheckResponse down(String reason) {
        return HealthCheckResponse.named("Database schema").down().withData("reason", reason).build();
    }
}
