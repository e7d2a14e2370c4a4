package io.teamsconnector.store;

import io.smallrye.mutiny.Uni;
import io.teamsconnector.domain.ConnectorStatus;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What presence sync reads of connectors, and its polling schedule (table {@code presence_polls}).
 * A connector is claimed for one interval by a single conditional upsert: of several instances (or
 * concurrent {@code sync-tick} calls) exactly one gets it.
 */
@ApplicationScoped
public class SyncConnectorRepository {

    /**
     * The settings stamp: the connector's version (settings, deactivation), when consent was granted (the
     * consent flow does not touch the connector row) and the newest desktop profile change.
     */
    private static final String STAMP = "c.version || '/' || COALESCE((extract(epoch FROM s.consented_at) * 1000000)"
            + "::bigint::text, '-') || '/' || COALESCE((SELECT max(d.updated_at)::text "
            + "FROM desktop_profiles d WHERE d.org_id = c.org_id), '-')";
    /** The columns of {@link SyncConnector}, of {@code connectors c} joined with {@code connector_states s}. */
    private static final String COLUMNS = "c.org_id, s.tenant_id, s.status, c.presence_sync, c.state_mapping, "
            + "c.teams_write_back, c.write_back_mapping, " + STAMP + " AS stamp";

    private final Pool pool;

    public SyncConnectorRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * The connector as presence sync sees it: a small read projection for the sync hot path (every
     * notification batch, poll and agent event reads it with plain SQL; {@code sync} and {@code agent-event}
     * have no Hibernate). The full view is {@code ConnectorEntity}.
     *
     * @param settingsStamp changes whenever the connector (mapping, toggles, status) or one of its
     *                      desktop profiles changes
     */
    public record SyncConnector(String orgId, String tenantId, ConnectorStatus status, boolean presenceSync,
                                Map<String, String> stateMapping, boolean teamsWriteBack,
                                Map<String, String> writeBackMapping, String settingsStamp) {
    }

    public Uni<Optional<SyncConnector>> find(String orgId) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM connectors c "
                        + "JOIN connector_states s ON s.org_id = c.org_id WHERE c.org_id = $1")
                .execute(Tuple.of(orgId))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(connector(rows.iterator().next())));
    }

    /**
     * The connector, read in the caller's transaction and kept from being deleted until it ends, so what
     * the transaction writes for its agents cannot meet a connector half gone.
     */
    public Uni<Optional<SyncConnector>> findKept(SqlClient tx, String orgId) {
        return tx.preparedQuery("SELECT " + COLUMNS + " FROM connectors c "
                        + "JOIN connector_states s ON s.org_id = c.org_id WHERE c.org_id = $1 FOR KEY SHARE OF c")
                .execute(Tuple.of(orgId))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(connector(rows.iterator().next())));
    }

    /** Number of ACTIVE connectors. */
    public Uni<Integer> countActive() {
        return pool.preparedQuery("SELECT count(*) FROM connector_states WHERE status = 'ACTIVE'")
                .execute()
                .map(rows -> rows.iterator().next().getLong(0).intValue());
    }

    /**
     * Claims up to {@code limit} ACTIVE connectors with presence sync on whose poll is due within
     * {@code early}, and makes each due again only after {@code interval}. A connector another caller
     * claimed first is not returned.
     */
    public Uni<List<SyncConnector>> claimDue(Duration interval, Duration early, int limit) {
        return pool.preparedQuery("WITH due AS (SELECT c.org_id FROM connectors c "
                        + "JOIN connector_states s ON s.org_id = c.org_id "
                        + "LEFT JOIN presence_polls p ON p.org_id = c.org_id "
                        + "WHERE s.status = 'ACTIVE' AND c.presence_sync AND s.tenant_id IS NOT NULL "
                        + "AND (p.next_poll_at IS NULL OR p.next_poll_at <= now() + make_interval(secs => $3)) "
                        + "ORDER BY p.next_poll_at NULLS FIRST LIMIT $2), "
                        + "claimed AS (INSERT INTO presence_polls (org_id, next_poll_at) "
                        + "SELECT org_id, now() + make_interval(secs => $1) FROM due "
                        + "ON CONFLICT (org_id) DO UPDATE SET next_poll_at = EXCLUDED.next_poll_at "
                        + "WHERE presence_polls.next_poll_at <= now() + make_interval(secs => $3) RETURNING org_id) "
                        + "SELECT " + COLUMNS + " FROM claimed JOIN connectors c ON c.org_id = claimed.org_id "
                        + "JOIN connector_states s ON s.org_id = c.org_id")
                .execute(Tuple.of((double) interval.toMillis() / 1000, limit, (double) early.toMillis() / 1000))
                .map(rows -> {
                    List<SyncConnector> out = new ArrayList<>(rows.size());
                    rows.forEach(r -> out.add(connector(r)));
                    return out;
                });
    }

    /** Makes the connector's next reconciliation poll due now (Graph said notifications were missed). */
    public Uni<Void> pollNow(String orgId) {
        return pool.preparedQuery("UPDATE presence_polls SET next_poll_at = now() WHERE org_id = $1")
                .execute(Tuple.of(orgId))
                .replaceWithVoid();
    }

    private static SyncConnector connector(Row r) {
        return new SyncConnector(r.getString("org_id"), r.getString("tenant_id"),
                ConnectorStatus.valueOf(r.getString("status")), r.getBoolean("presence_sync"),
                StateMappingJson.fromText(r.getString("state_mapping")), r.getBoolean("teams_write_back"),
                StateMappingJson.fromText(r.getString("write_back_mapping")), r.getString("stamp"));
    }
}
