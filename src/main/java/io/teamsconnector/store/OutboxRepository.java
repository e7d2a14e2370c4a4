package io.teamsconnector.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.teamsconnector.store.SqlValues.instant;
import static io.teamsconnector.store.SqlValues.timestamp;

/**
 * State changes waiting for delivery to the contact center (table {@code outbox}). Written in the
 * transaction that changed the agent; claimed for delivery with a lease and {@code SKIP LOCKED}, so
 * several instances never send one item at the same time, and an agent's items go out in order.
 */
@ApplicationScoped
public class OutboxRepository {

    private final Pool pool;

    public OutboxRepository(Pool pool) {
        this.pool = pool;
    }

    /** An item to write: {@code agentVersion} is the agent's version right after the change. */
    public record NewItem(UUID id, String orgId, String agentId, long agentVersion, String payload) {
    }

    /** A claimed item; {@code attempts} counts this attempt. */
    public record OutboxItem(UUID id, String orgId, String agentId, String payload, int attempts, Instant createdAt) {
    }

    /** Items waiting and items kept as failed, for the metrics. */
    public record Counts(long backlog, long failed) {
    }

    public Uni<Void> insert(SqlClient tx, List<NewItem> items) {
        if (items.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Instant now = SqlValues.now();
        List<Tuple> batch = new ArrayList<>(items.size());
        for (NewItem item : items) {
            batch.add(Tuple.from(new Object[] {item.id(), item.orgId(), item.agentId(), item.agentVersion(),
                item.payload(), timestamp(now)}));
        }
        return tx.preparedQuery("INSERT INTO outbox (id, org_id, agent_id, agent_version, payload, next_attempt_at, "
                        + "created_at) VALUES ($1, $2, $3, $4, $5, $6, $6)")
                .executeBatch(batch)
                .replaceWithVoid();
    }

    /** True while a change decided by presence sync is still on its way to the contact center. */
    public Uni<Boolean> hasPending(SqlClient tx, String orgId, String agentId) {
        return tx.preparedQuery("SELECT 1 FROM outbox WHERE org_id = $1 AND agent_id = $2 AND status = 'PENDING' LIMIT 1")
                .execute(Tuple.of(orgId, agentId))
                .map(rows -> rows.size() > 0);
    }

    /**
     * Claims due items for {@code lease}. First supersedes items the agent has moved on from (its version
     * is no longer the item's); then claims, oldest first, items of agents with no other item in flight.
     */
    public Uni<List<OutboxItem>> claimDue(int limit, Duration lease) {
        return pool.withTransaction(tx -> tx.preparedQuery("UPDATE outbox o SET status = 'SUPERSEDED', "
                                + "finished_at = now(), lease_until = NULL WHERE o.status = 'PENDING' "
                                + "AND o.next_attempt_at <= now() AND (o.lease_until IS NULL OR o.lease_until < now()) "
                                + "AND NOT EXISTS (SELECT 1 FROM agents a WHERE a.org_id = o.org_id "
                                + "AND a.agent_id = o.agent_id AND a.version = o.agent_version)")
                        .execute()
                        .flatMap(superseded -> tx.preparedQuery("UPDATE outbox SET attempts = attempts + 1, "
                                        + "lease_until = now() + make_interval(secs => $2) WHERE id IN ("
                                        + "SELECT o.id FROM outbox o WHERE o.status = 'PENDING' "
                                        + "AND o.next_attempt_at <= now() "
                                        + "AND (o.lease_until IS NULL OR o.lease_until < now()) "
                                        + "AND NOT EXISTS (SELECT 1 FROM outbox f WHERE f.org_id = o.org_id "
                                        + "AND f.agent_id = o.agent_id AND f.id <> o.id AND f.status = 'PENDING' "
                                        + "AND f.lease_until >= now()) "
                                        + "ORDER BY o.seq LIMIT $1 FOR UPDATE SKIP LOCKED) "
                                        + "RETURNING id, org_id, agent_id, payload, attempts, created_at")
                                .execute(Tuple.of(limit, (double) lease.toMillis() / 1000))))
                .map(rows -> {
                    List<OutboxItem> out = new ArrayList<>(rows.size());
                    rows.forEach(r -> out.add(item(r)));
                    return out;
                });
    }

    public Uni<Void> delivered(UUID id) {
        return pool.preparedQuery("UPDATE outbox SET status = 'DELIVERED', finished_at = now(), lease_until = NULL, "
                        + "last_error = NULL WHERE id = $1")
                .execute(Tuple.of(id))
                .replaceWithVoid();
    }

    public Uni<Void> retryLater(UUID id, Duration delay, String error) {
        return pool.preparedQuery("UPDATE outbox SET lease_until = NULL, "
                        + "next_attempt_at = now() + make_interval(secs => $2), last_error = $3 WHERE id = $1")
                .execute(Tuple.of(id, (double) delay.toMillis() / 1000, SqlValues.shortText(error)))
                .replaceWithVoid();
    }

    /** Keeps the item as failed: never dropped, visible in the metrics. */
    public Uni<Void> failed(UUID id, String error) {
        return pool.preparedQuery("UPDATE outbox SET status = 'FAILED', finished_at = now(), lease_until = NULL, "
                        + "last_error = $2 WHERE id = $1")
                .execute(Tuple.of(id, SqlValues.shortText(error)))
                .replaceWithVoid();
    }

    /**
     * Keeps the item waiting for the connector's contact-center link to be made again (an administrator must
     * act): neither failed nor lost, and not tried again until {@link #requeueWaiting}.
     */
    public Uni<Void> waitForLink(UUID id, String error) {
        return pool.preparedQuery("UPDATE outbox SET status = 'WAITING', lease_until = NULL, last_error = $2 "
                        + "WHERE id = $1")
                .execute(Tuple.of(id, SqlValues.shortText(error)))
                .replaceWithVoid();
    }

    /** The connector is linked again: its waiting items are due now, with every attempt ahead of them. */
    public Uni<Integer> requeueWaiting(String orgId) {
        return pool.preparedQuery("UPDATE outbox SET status = 'PENDING', attempts = 0, next_attempt_at = now() "
                        + "WHERE org_id = $1 AND status = 'WAITING'")
                .execute(Tuple.of(orgId))
                .map(rows -> rows.rowCount());
    }

    /** An item as the admin API lists it. */
    public record Listed(UUID id, String agentId, String payload, String status, int attempts, String lastError,
                         Instant createdAt) {
    }

    /** The connector's items in this status, oldest first (at most {@code limit}). */
    public Uni<List<Listed>> list(String orgId, String status, int limit) {
        return pool.preparedQuery("SELECT id, agent_id, payload, status, attempts, last_error, created_at FROM outbox "
                        + "WHERE org_id = $1 AND status = $2 ORDER BY seq LIMIT $3")
                .execute(Tuple.of(orgId, status, limit))
                .map(rows -> {
                    List<Listed> out = new ArrayList<>(rows.size());
                    rows.forEach(r -> out.add(new Listed(r.getUUID("id"), r.getString("agent_id"),
                            r.getString("payload"), r.getString("status"), r.getInteger("attempts"),
                            r.getString("last_error"), instant(r, "created_at"))));
                    return out;
                });
    }

    /** What became of a retry request. */
    public enum Retry {
        QUEUED, SUPERSEDED, NOT_FAILED, NOT_FOUND
    }

    /**
     * Puts a failed item back in the queue, with every attempt ahead of it, unless its agent has moved on
     * since (the agent's version is no longer the item's): then the item is superseded instead.
     */
    public Uni<Retry> retry(String orgId, UUID id) {
        return pool.withTransaction(tx -> tx.preparedQuery("SELECT o.status, EXISTS (SELECT 1 FROM agents a "
                                + "WHERE a.org_id = o.org_id AND a.agent_id = o.agent_id "
                                + "AND a.version = o.agent_version) AS current "
                                + "FROM outbox o WHERE o.id = $1 AND o.org_id = $2 FOR UPDATE")
                .execute(Tuple.of(id, orgId))
                .flatMap(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().item(Retry.NOT_FOUND);
                    }
                    Row r = rows.iterator().next();
                    String status = r.getString("status");
                    if ("PENDING".equals(status)) {
                        return Uni.createFrom().item(Retry.QUEUED);
                    }
                    if (!"FAILED".equals(status)) {
                        return Uni.createFrom().item("SUPERSEDED".equals(status) ? Retry.SUPERSEDED : Retry.NOT_FAILED);
                    }
                    boolean current = Boolean.TRUE.equals(r.getBoolean("current"));
                    String sql = current
                            ? "UPDATE outbox SET status = 'PENDING', attempts = 0, next_attempt_at = now(), "
                            + "finished_at = NULL, lease_until = NULL WHERE id = $1"
                            : "UPDATE outbox SET status = 'SUPERSEDED', finished_at = now() WHERE id = $1";
                    return tx.preparedQuery(sql).execute(Tuple.of(id))
                            .replaceWith(current ? Retry.QUEUED : Retry.SUPERSEDED);
                }));
    }

    public Uni<Counts> counts() {
        return pool.preparedQuery("SELECT (SELECT count(*) FROM outbox WHERE status = 'PENDING') AS backlog, "
                        + "(SELECT count(*) FROM outbox WHERE status = 'FAILED') AS failed")
                .execute()
                .map(rows -> {
                    Row r = rows.iterator().next();
                    return new Counts(r.getLong("backlog"), r.getLong("failed"));
                });
    }

    /** Forgets delivered and superseded items older than {@code retention}; failed ones stay. */
    public Uni<Integer> deleteFinishedOlderThan(Duration retention) {
        return pool.preparedQuery("DELETE FROM outbox WHERE status IN ('DELIVERED', 'SUPERSEDED') "
                        + "AND finished_at < now() - make_interval(secs => $1)")
                .execute(Tuple.of((double) retention.toSeconds()))
                .map(rows -> rows.rowCount());
    }

    private static OutboxItem item(Row r) {
        return new OutboxItem(r.getUUID("id"), r.getString("org_id"), r.getString("agent_id"), r.getString("payload"),
                r.getInteger("attempts"), instant(r, "created_at"));
    }
}
