package io.teamsconnector.support;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

/**
 * Direct SQL on the real test database, for arranging states no API reaches yet and for checking
 * what was stored. Called from test threads, never from the event loop.
 */
@ApplicationScoped
public class TestDatabase {

    private final Pool pool;

    public TestDatabase(Pool pool) {
        this.pool = pool;
    }

    public int update(String sql, Object... args) {
        return pool.preparedQuery(sql).execute(Tuple.from(args)).await().indefinitely().rowCount();
    }

    public List<Row> query(String sql, Object... args) {
        List<Row> rows = new ArrayList<>();
        pool.preparedQuery(sql).execute(Tuple.from(args)).await().indefinitely().forEach(rows::add);
        return rows;
    }

    public long count(String sql, Object... args) {
        return query(sql, args).get(0).getLong(0);
    }

    /** Lets the poll interval pass for the connector: its next maintenance pass polls it. */
    public void pollDueNow(String orgId) {
        update("UPDATE presence_polls SET next_poll_at = now() WHERE org_id = $1", orgId);
    }

    /** Waits until the agent's presence was read and no evaluation of it is due any more. */
    public void awaitEvaluated(String orgId, String agentId) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> count(
                "SELECT count(*) FROM agents WHERE org_id = $1 AND agent_id = $2 AND NOT evaluation_due "
                        + "AND presence_observed_at IS NOT NULL", orgId, agentId) == 1);
    }

    /** Stands in for a successful admin consent. */
    public void activate(String orgId, String tenantId) {
        update("UPDATE connectors SET status = 'ACTIVE', tenant_id = $2 WHERE org_id = $1", orgId, tenantId);
    }
}
