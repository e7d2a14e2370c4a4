package io.teamsconnector.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Optional;

/**
 * Consent transactions (table {@code consent_requests}). Tickets and states are consumed by single
 * conditional {@code UPDATE ... RETURNING} statements, so two instances or a replay can never use one
 * twice. Only hashes are stored; expiry is judged by the database clock.
 */
@ApplicationScoped
public class ConsentRequestRepository {

    private final Pool pool;

    public ConsentRequestRepository(Pool pool) {
        this.pool = pool;
    }

    /** A consent transaction as far as its consumer needs it. */
    public record ConsentRequest(String orgId, String kind) {
    }

    /** Why a state was not accepted. */
    public enum StateProblem {
        UNKNOWN, USED, EXPIRED, OTHER_BROWSER
    }

    /** Stores a new transaction and forgets transactions older than a day. */
    public Uni<Void> create(String id, String orgId, String kind, String ticketHash, Duration ticketTtl) {
        return pool.withTransaction(conn -> conn
                .preparedQuery("DELETE FROM consent_requests WHERE created_at < now() - interval '1 day'")
                .execute()
                .flatMap(ignored -> conn.preparedQuery("INSERT INTO consent_requests "
                                + "(id, org_id, kind, ticket_hash, ticket_expires_at, created_at) "
                                + "VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5), now())")
                        .execute(Tuple.of(id, orgId, kind, ticketHash, (double) ticketTtl.toMillis() / 1000))))
                .replaceWithVoid();
    }

    /** Redeems an unused, unexpired ticket once and binds the transaction to a state and a browser. */
    public Uni<Optional<ConsentRequest>> start(String ticketHash, String stateHash, String browserHash) {
        return pool.preparedQuery("UPDATE consent_requests SET state_hash = $2, browser_hash = $3, started_at = now() "
                        + "WHERE ticket_hash = $1 AND started_at IS NULL AND ticket_expires_at > now() "
                        + "RETURNING org_id, kind")
                .execute(Tuple.of(ticketHash, stateHash, browserHash))
                .map(ConsentRequestRepository::first);
    }

    /** Consumes a started, unused state younger than {@code ttl} that belongs to this browser; once. */
    public Uni<Optional<ConsentRequest>> consume(String stateHash, String browserHash, Duration ttl) {
        return pool.preparedQuery("UPDATE consent_requests SET used_at = now() "
                        + "WHERE state_hash = $1 AND browser_hash = $2 AND used_at IS NULL "
                        + "AND started_at > now() - make_interval(secs => $3) RETURNING org_id, kind")
                .execute(Tuple.of(stateHash, browserHash, (double) ttl.toMillis() / 1000))
                .map(ConsentRequestRepository::first);
    }

    /** Tells why {@link #consume} found nothing, for the administrator's error page. */
    public Uni<StateProblem> diagnose(String stateHash, String browserHash, Duration ttl) {
        return pool.preparedQuery("SELECT used_at IS NOT NULL AS used, browser_hash = $2 AS same_browser, "
                        + "started_at <= now() - make_interval(secs => $3) AS expired "
                        + "FROM consent_requests WHERE state_hash = $1")
                .execute(Tuple.of(stateHash, browserHash == null ? "" : browserHash, (double) ttl.toMillis() / 1000))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return StateProblem.UNKNOWN;
                    }
                    Row row = rows.iterator().next();
                    if (Boolean.TRUE.equals(row.getBoolean("used"))) {
                        return StateProblem.USED;
                    }
                    if (!Boolean.TRUE.equals(row.getBoolean("same_browser"))) {
                        return StateProblem.OTHER_BROWSER;
                    }
                    return Boolean.TRUE.equals(row.getBoolean("expired")) ? StateProblem.EXPIRED : StateProblem.UNKNOWN;
                });
    }

    /** Status and tenant of a connector, or empty when it does not exist. */
    public Uni<Optional<ConnectorRef>> connector(String orgId) {
        return pool.preparedQuery("SELECT status, tenant_id FROM connectors WHERE org_id = $1")
                .execute(Tuple.of(orgId))
                .map(rows -> rows.size() == 0 ? Optional.<ConnectorRef>empty()
                        : Optional.of(new ConnectorRef(orgId, rows.iterator().next().getString("status"),
                        rows.iterator().next().getString("tenant_id"))));
    }

    /** What the consent flow needs to know about a connector. */
    public record ConnectorRef(String orgId, String status, String tenantId) {
    }

    /**
     * Sets the connector {@code ACTIVE} for the tenant in one statement (one transaction): only a
     * connector waiting for consent, or an active one of the same tenant (re-consent), changes.
     * Bumps the version so a concurrent Hibernate update of the same row fails its optimistic check.
     */
    public Uni<Boolean> activate(String orgId, String tenantId) {
        return pool.withTransaction(conn -> conn.preparedQuery("UPDATE connectors SET status = 'ACTIVE', "
                        + "tenant_id = $2, updated_at = $3, version = version + 1 WHERE org_id = $1 "
                        + "AND (status = 'PENDING_CONSENT' OR (status = 'ACTIVE' AND tenant_id = $2))")
                .execute(Tuple.of(orgId, tenantId, SqlValues.timestamp(SqlValues.now()))))
                .map(rows -> rows.rowCount() == 1);
    }

    private static Optional<ConsentRequest> first(RowSet<Row> rows) {
        if (rows.size() == 0) {
            return Optional.empty();
        }
        Row row = rows.iterator().next();
        return Optional.of(new ConsentRequest(row.getString("org_id"), row.getString("kind")));
    }
}
