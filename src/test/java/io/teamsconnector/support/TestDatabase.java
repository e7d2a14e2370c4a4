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

    /** Keeps maintenance passes from polling the connector for an hour: only notifications bring presence. */
    public void holdPolling(String orgId) {
        update("INSERT INTO presence_polls (org_id, next_poll_at) VALUES ($1, now() + interval '1 hour') "
                + "ON CONFLICT (org_id) DO UPDATE SET next_poll_at = EXCLUDED.next_poll_at", orgId);
    }

    /** Waits until the agent's presence was read and no evaluation of it is due any more. */
    public void awaitEvaluated(String orgId, String agentId) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> count(
                "SELECT count(*) FROM agents WHERE org_id = $1 AND agent_id = $2 AND NOT evaluation_due "
                        + "AND presence_observed_at IS NOT NULL", orgId, agentId) == 1);
    }

    /**
     * Holds an exclusive lock on {@code table} until closed, on a connection of its own: whoever writes
     * to the table meanwhile waits, as if the database had stopped answering.
     */
    public AutoCloseable lock(String table) {
        io.vertx.mutiny.sqlclient.SqlConnection connection = pool.getConnection().await().indefinitely();
        connection.query("BEGIN").execute().await().indefinitely();
        connection.query("LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE").execute().await().indefinitely();
        return () -> {
            connection.query("ROLLBACK").execute().await().indefinitely();
            connection.close().await().indefinitely();
        };
    }

    /**
     * Runs {@code sql} in a transaction of its own connection and keeps that transaction open, with the row
     * locks it took, until closed (then rolls it back).
     */
    public AutoCloseable holding(String sql, Object... args) {
        io.vertx.mutiny.sqlclient.SqlConnection connection = pool.getConnection().await().indefinitely();
        connection.query("BEGIN").execute().await().indefinitely();
        connection.preparedQuery(sql).execute(Tuple.from(args)).await().indefinitely();
        return () -> {
            connection.query("ROLLBACK").execute().await().indefinitely();
            connection.close().await().indefinitely();
        };
    }

    /** A subscription as the upkeep would have stored it, for the intake tests. */
    public void subscription(String id, String orgId, String clientState, String... teamsUserIds) {
        update("INSERT INTO presence_subscriptions (id, org_id, service_account_id, client_state_hash, user_ids, "
                        + "include_resource_data, expires_at, authorized_at, created_at) "
                        + "VALUES ($1, $2, 'sa-test', $3, $4, false, now() + interval '50 minutes', now(), now())",
                id, orgId, io.teamsconnector.security.ClientStates.hash(clientState), teamsUserIds);
    }

    /** Stands in for a successful admin consent (what the consent flow records). */
    public void activate(String orgId, String tenantId) {
        update("INSERT INTO entra_consents (org_id, tenant_id, granted_at) VALUES ($1, $2, now())", orgId, tenantId);
    }
}
