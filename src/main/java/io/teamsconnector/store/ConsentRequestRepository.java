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
 * twice. Only hashes are stored; expiry is judged by the database clock. Also the one writer of
 * {@code entra_consents}, the admin consents proven by the consent flow.
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

    /**
     * Records a proven admin consent of {@code tenantId} (table {@code entra_consents}, written here alone):
     * the connector then counts as ACTIVE (view {@code connector_states}). Only a connector that is not
     * deactivated and has no consent yet, or has one of the same tenant (a re-consent, which moves
     * {@code granted_at}), is consented; false otherwise. The {@code connectors} row is only read (and kept
     * by the foreign key for the statement), so an administrator's concurrent change of it is not disturbed.
     */
    public Uni<Boolean> recordConsent(String orgId, String tenantId) {
        return pool.preparedQuery("INSERT INTO entra_consents (org_id, tenant_id, granted_at) "
                        + "SELECT c.org_id, $2, $3 FROM connectors c WHERE c.org_id = $1 AND NOT c.deactivated "
                        + "ON CONFLICT (org_id) DO UPDATE SET granted_at = EXCLUDED.granted_at "
                        + "WHERE entra_consents.tenant_id = EXCLUDED.tenant_id")
                .execute(Tuple.of(orgId, tenantId, SqlValues.timestamp(SqlValues.now())))
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
