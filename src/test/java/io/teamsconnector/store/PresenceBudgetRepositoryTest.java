package io.teamsconnector.store;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.teamsconnector.store.SqlValues.timestamp;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The budget's statements as PostgreSQL prepares them. */
@QuarkusTest
class PresenceBudgetRepositoryTest {

    @Inject
    Pool pool;

    /**
     * PostgreSQL prepares the take as written, each parameter with one type, as the client's prepared-statement
     * cache first asks it to. Before, it refused ("inconsistent types deduced for parameter $5"), and every take
     * cost a refused prepare, a second one and an error line in PostgreSQL's log.
     */
    @Test
    void theTakePreparesWithOneTypePerParameter() {
        String types = pool.withConnection(connection -> connection.query("PREPARE budget_take AS " + PresenceBudgetRepository.TAKE)
                        .execute()
                        .chain(() -> connection.query("SELECT parameter_types::text FROM pg_prepared_statements "
                                + "WHERE name = 'budget_take'").execute())
                        .call(() -> connection.query("DEALLOCATE budget_take").execute()))
                .map(rows -> rows.iterator().next().getString(0))
                .await().indefinitely();
        assertEquals("{text,\"timestamp with time zone\",\"timestamp with time zone\",\"timestamp with time zone\","
                + "integer,bigint}", types);
    }

    /**
     * A take or give-back commits without waiting for the disk (in its own transaction, synchronous_commit is off),
     * and the connection goes back to the pool as durable as it came: the inbox, written through the same pool,
     * must never commit without the flush.
     */
    @Test
    void countsCommitWithoutTheFlushAndLeaveTheConnectionDurable() {
        String tenant = "budget-" + UUID.randomUUID();
        Instant now = Instant.now();
        Tuple take = Tuple.of(tenant, timestamp(PresenceBudgetRepository.sliceOf(now)),
                timestamp(PresenceBudgetRepository.sliceOf(now).minusSeconds(30)), timestamp(now), 2, 1400);
        Tuple giveBack = Tuple.of(tenant, timestamp(PresenceBudgetRepository.sliceOf(now)), 1);
        List<String> settings = pool.withConnection(connection -> settingsAround(connection, PresenceBudgetRepository.TAKE, take)
                        .chain(inTake -> settingsAround(connection, PresenceBudgetRepository.GIVE_BACK, giveBack)
                                .map(inGiveBack -> List.of(inTake.get(0), inTake.get(1), inGiveBack.get(0), inGiveBack.get(1)))))
                .await().indefinitely();
        assertEquals(List.of("off", "on", "off", "on"), settings);
        assertEquals(1L, pool.preparedQuery("SELECT used FROM presence_budget WHERE tenant_id = $1").execute(Tuple.of(tenant))
                .await().indefinitely().iterator().next().getInteger(0).longValue(), "2 taken, 1 given back");
    }

    /** Runs {@code sql} in a transaction of its own: synchronous_commit right after it, and after the commit. */
    private static Uni<List<String>> settingsAround(SqlConnection connection, String sql, Tuple args) {
        return connection.query("BEGIN").execute()
                .chain(() -> connection.preparedQuery(sql).execute(args))
                .chain(() -> setting(connection))
                .call(() -> connection.query("COMMIT").execute())
                .chain(inside -> setting(connection).map(after -> List.of(inside, after)));
    }

    private static Uni<String> setting(SqlConnection connection) {
        return connection.query("SHOW synchronous_commit").execute().map(rows -> rows.iterator().next().getString(0));
    }
}
