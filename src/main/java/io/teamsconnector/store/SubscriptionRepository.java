package io.teamsconnector.store;

import io.smallrye.mutiny.Uni;
import io.teamsconnector.domain.ConnectorStatus;
import io.teamsconnector.domain.PresenceMode;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.teamsconnector.store.SqlValues.instant;
import static io.teamsconnector.store.SqlValues.timestamp;

/**
 * Graph presence subscriptions (table {@code presence_subscriptions}) and when each connector's are next
 * checked, with how presence reaches it (table {@code subscription_checks}). A check is claimed by one caller
 * at a time.
 */
@ApplicationScoped
public class SubscriptionRepository {

    private final Pool pool;

    public SubscriptionRepository(Pool pool) {
        this.pool = pool;
    }

    /** One subscription as the connector keeps it; only a hash of its clientState. */
    public record SubscriptionRow(String id, String orgId, String serviceAccountId, String clientStateHash,
                                  List<String> userIds, boolean includeResourceData, Instant expiresAt,
                                  Instant authorizedAt, Instant reauthorizeRequestedAt) {
    }

    /**
     * What the webhook intake checks a notification against: the subscription and its connector's state. A
     * small read projection for the intake hot path (one query per batch, before Graph is answered;
     * {@code graph-webhook} has no Hibernate).
     */
    public record NotificationTarget(String subscriptionId, String orgId, String tenantId, ConnectorStatus status,
                                     String clientStateHash) {
    }

    public Uni<List<SubscriptionRow>> list(String orgId) {
        return pool.preparedQuery("SELECT * FROM presence_subscriptions WHERE org_id = $1 ORDER BY created_at, id")
                .execute(Tuple.of(orgId))
                .map(rows -> {
                    List<SubscriptionRow> out = new ArrayList<>(rows.size());
                    rows.forEach(r -> out.add(row(r)));
                    return out;
                });
    }

    /** The subscriptions among {@code ids} that exist, by id, with their connector. */
    public Uni<Map<String, NotificationTarget>> targets(Collection<String> ids) {
        return pool.preparedQuery("SELECT s.id, s.org_id, s.client_state_hash, c.tenant_id, c.status "
                        + "FROM presence_subscriptions s JOIN connector_states c ON c.org_id = s.org_id "
                        + "WHERE s.id = ANY($1)")
                .execute(Tuple.of(ids.toArray(String[]::new)))
                .map(rows -> {
                    Map<String, NotificationTarget> out = new HashMap<>();
                    rows.forEach(r -> out.put(r.getString("id"), new NotificationTarget(r.getString("id"),
                            r.getString("org_id"), r.getString("tenant_id"),
                            ConnectorStatus.valueOf(r.getString("status")), r.getString("client_state_hash"))));
                    return out;
                });
    }

    public Uni<Void> insert(SubscriptionRow s) {
        return pool.preparedQuery("INSERT INTO presence_subscriptions (id, org_id, service_account_id, "
                        + "client_state_hash, user_ids, include_resource_data, expires_at, authorized_at, created_at) "
                        + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) ON CONFLICT (id) DO NOTHING")
                .execute(Tuple.from(new Object[] {s.id(), s.orgId(), s.serviceAccountId(), s.clientStateHash(),
                        s.userIds().toArray(String[]::new), s.includeResourceData(), timestamp(s.expiresAt()),
                        timestamp(s.authorizedAt())}))
                .replaceWithVoid();
    }

    /** A renewal (which also reauthorizes) or a reauthorization went through at {@code at}. */
    public Uni<Void> authorized(String id, Instant expiresAt, Instant at) {
        return pool.preparedQuery("UPDATE presence_subscriptions SET expires_at = COALESCE($2, expires_at), "
                        + "authorized_at = $3, reauthorize_requested_at = NULL WHERE id = $1")
                .execute(Tuple.of(id, timestamp(expiresAt), timestamp(at)))
                .replaceWithVoid();
    }

    /** Graph reported an expiry (an adopted subscription): kept, without counting as an authorization. */
    public Uni<Void> expiry(String id, Instant expiresAt) {
        return pool.preparedQuery("UPDATE presence_subscriptions SET expires_at = $2 WHERE id = $1")
                .execute(Tuple.of(id, timestamp(expiresAt)))
                .replaceWithVoid();
    }

    public Uni<Void> clearReauthorizeRequest(String id) {
        return pool.preparedQuery("UPDATE presence_subscriptions SET reauthorize_requested_at = NULL WHERE id = $1")
                .execute(Tuple.of(id))
                .replaceWithVoid();
    }

    /** Marks Graph's {@code reauthorizationRequired} on these subscriptions; answers their connectors. */
    public Uni<List<String>> requestReauthorization(Collection<String> ids) {
        return pool.preparedQuery("UPDATE presence_subscriptions SET reauthorize_requested_at = now() "
                        + "WHERE id = ANY($1) RETURNING org_id")
                .execute(Tuple.of(ids.toArray(String[]::new)))
                .map(rows -> {
                    List<String> out = new ArrayList<>();
                    rows.forEach(r -> out.add(r.getString(0)));
                    return out.stream().distinct().toList();
                });
    }

    public Uni<Void> delete(String id) {
        return pool.preparedQuery("DELETE FROM presence_subscriptions WHERE id = $1")
                .execute(Tuple.of(id))
                .replaceWithVoid();
    }

    /**
     * Records how presence reaches the connector (column {@code subscription_checks.presence_mode}, written here
     * alone): operational state of the upkeep, not a setting, so the connector row is left alone.
     */
    public Uni<Void> presenceMode(String orgId, PresenceMode mode) {
        return pool.preparedQuery("INSERT INTO subscription_checks (org_id, next_check_at, presence_mode) "
                        + "SELECT org_id, now(), $2 FROM connectors WHERE org_id = $1 "
                        + "ON CONFLICT (org_id) DO UPDATE SET presence_mode = EXCLUDED.presence_mode "
                        + "WHERE subscription_checks.presence_mode <> EXCLUDED.presence_mode")
                .execute(Tuple.of(orgId, mode.name()))
                .replaceWithVoid();
    }

    /**
     * Claims up to {@code limit} connectors whose subscriptions are due for a check: ACTIVE ones with a
     * service account, and any that still has subscriptions (to remove them). Each is held for {@code hold}
     * (or until {@link #release}) and due again after {@code interval}.
     */
    public Uni<List<String>> claimDue(Duration interval, Duration hold, int limit) {
        return pool.preparedQuery("WITH candidates AS (SELECT c.org_id FROM connector_states c WHERE "
                        + "(c.status = 'ACTIVE' AND EXISTS (SELECT 1 FROM service_accounts a WHERE a.org_id = c.org_id)) "
                        + "OR EXISTS (SELECT 1 FROM presence_subscriptions s WHERE s.org_id = c.org_id)), "
                        + "due AS (SELECT d.org_id FROM candidates d LEFT JOIN subscription_checks k ON k.org_id = d.org_id "
                        + "WHERE k.org_id IS NULL OR (k.next_check_at <= now() AND (k.held_until IS NULL OR k.held_until < now())) "
                        + "ORDER BY k.next_check_at NULLS FIRST LIMIT $3) "
                        + "INSERT INTO subscription_checks (org_id, next_check_at, held_until) "
                        + "SELECT org_id, now() + make_interval(secs => $1), now() + make_interval(secs => $2) FROM due "
                        + "ON CONFLICT (org_id) DO UPDATE SET next_check_at = EXCLUDED.next_check_at, "
                        + "held_until = EXCLUDED.held_until WHERE subscription_checks.next_check_at <= now() "
                        + "AND (subscription_checks.held_until IS NULL OR subscription_checks.held_until < now()) "
                        + "RETURNING org_id")
                .execute(Tuple.of(seconds(interval), seconds(hold), limit))
                .map(rows -> {
                    List<String> out = new ArrayList<>();
                    rows.forEach(r -> out.add(r.getString(0)));
                    return out;
                });
    }

    /** Holds the connector's check for {@code hold} whether or not it is due; false if another caller holds it. */
    public Uni<Boolean> hold(String orgId, Duration interval, Duration hold) {
        return pool.preparedQuery("INSERT INTO subscription_checks (org_id, next_check_at, held_until) "
                        + "VALUES ($1, now() + make_interval(secs => $2), now() + make_interval(secs => $3)) "
                        + "ON CONFLICT (org_id) DO UPDATE SET next_check_at = EXCLUDED.next_check_at, "
                        + "held_until = EXCLUDED.held_until "
                        + "WHERE subscription_checks.held_until IS NULL OR subscription_checks.held_until < now() "
                        + "RETURNING org_id")
                .execute(Tuple.of(orgId, seconds(interval), seconds(hold)))
                .map(rows -> rows.size() == 1);
    }

    public Uni<Void> release(String orgId) {
        return pool.preparedQuery("UPDATE subscription_checks SET held_until = NULL WHERE org_id = $1")
                .execute(Tuple.of(orgId))
                .replaceWithVoid();
    }

    /** Makes the connector's check due within {@code delay}, unless it is due sooner already. */
    public Uni<Void> dueWithin(String orgId, Duration delay) {
        return pool.preparedQuery("INSERT INTO subscription_checks (org_id, next_check_at) "
                        + "SELECT org_id, now() + make_interval(secs => $2) FROM connectors WHERE org_id = $1 "
                        + "ON CONFLICT (org_id) DO UPDATE SET next_check_at = "
                        + "LEAST(subscription_checks.next_check_at, EXCLUDED.next_check_at)")
                .execute(Tuple.of(orgId, seconds(delay)))
                .replaceWithVoid();
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }

    private static SubscriptionRow row(Row r) {
        return new SubscriptionRow(r.getString("id"), r.getString("org_id"), r.getString("service_account_id"),
                r.getString("client_state_hash"), Arrays.asList(r.getArrayOfStrings("user_ids")),
                r.getBoolean("include_resource_data"), instant(r, "expires_at"), instant(r, "authorized_at"),
                instant(r, "reauthorize_requested_at"));
    }
}
