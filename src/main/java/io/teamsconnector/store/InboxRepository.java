package io.teamsconnector.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.teamsconnector.store.SqlValues.instant;
import static io.teamsconnector.store.SqlValues.timestamp;

/**
 * Change notifications received from Graph (table {@code notification_inbox}): stored before Graph is
 * answered, claimed for processing with a lease and {@code SKIP LOCKED}, marked processed in the
 * transaction that applied them.
 */
@ApplicationScoped
public class InboxRepository {

    private final Pool pool;

    public InboxRepository(Pool pool) {
        this.pool = pool;
    }

    /** A notification accepted by the intake; availability and activity only for a rich one. */
    public record NewNotification(String dedupeKey, String orgId, String subscriptionId, String teamsUserId,
                                  String availability, String activity) {
    }

    /** A claimed notification. */
    public record PendingNotification(long seq, String orgId, String subscriptionId, String teamsUserId,
                                      String availability, String activity, Instant receivedAt) {
        public boolean rich() {
            return availability != null;
        }
    }

    /** The batch insert: one row per item, in the order Graph listed them; a waiting duplicate is skipped. */
    private static final String INSERT = "INSERT INTO notification_inbox (dedupe_key, org_id, subscription_id, "
            + "teams_user_id, availability, activity, received_at) "
            + "SELECT k, o, s, u, a, t, $7 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], "
            + "$5::text[], $6::text[]) WITH ORDINALITY AS i(k, o, s, u, a, t, pos) ORDER BY pos "
            + "ON CONFLICT (dedupe_key) WHERE claimed_at IS NULL DO NOTHING";

    /**
     * Stores the items in one statement; one still waiting with the same key is not stored again. Answers
     * how many were new, once committed. The database gives up at {@code deadline} (the time left when the
     * commands are sent), so a statement Graph was told failed does not commit later.
     * <p>
     * One round trip: {@code BEGIN; SET LOCAL statement_timeout}, the insert and {@code COMMIT} are sent at once,
     * pipelined on one connection, and run in that order. An insert that fails (the timeout) leaves the
     * transaction aborted, and its {@code COMMIT} rolls it back; the store then fails with the insert's error.
     * The wake-up signal is the caller's, after the commit ({@link WorkSignals#sendSoon}): a {@code NOTIFY} in this
     * transaction would make every intake commit wait for the others' (PostgreSQL serialises notifying commits).
     */
    public Uni<Integer> store(List<NewNotification> items, Instant receivedAt, Instant deadline) {
        if (items.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        int n = items.size();
        String[] keys = new String[n];
        String[] orgs = new String[n];
        String[] subscriptions = new String[n];
        String[] users = new String[n];
        String[] availabilities = new String[n];
        String[] activities = new String[n];
        for (int i = 0; i < n; i++) {
            NewNotification item = items.get(i);
            keys[i] = item.dedupeKey();
            orgs[i] = item.orgId();
            subscriptions[i] = item.subscriptionId();
            users[i] = item.teamsUserId();
            availabilities[i] = item.availability();
            activities[i] = item.activity();
        }
        Tuple args = Tuple.from(new Object[] {keys, orgs, subscriptions, users, availabilities, activities,
                timestamp(receivedAt)});
        return pool.withConnection(conn -> {
            // what is left of the deadline once a connection is had: waiting for one is not the database's time
            long timeoutMillis = Math.max(1, Duration.between(Instant.now(), deadline).toMillis());
            Uni<Integer> inserted = conn.preparedQuery(INSERT).execute(args).map(rows -> rows.rowCount());
            List<Uni<?>> pipeline = new ArrayList<>(4);
            pipeline.add(conn.query("BEGIN; SET LOCAL statement_timeout = " + timeoutMillis).execute());
            pipeline.add(inserted);
            pipeline.add(conn.query("COMMIT").execute());
            // any failure (the insert's, the commit's) fails the store, once every command has answered
            return Uni.combine().all().unis(pipeline).collectFailures().with(results -> (Integer) results.get(1));
        });
    }

    /** Claims up to {@code limit} unprocessed items, oldest first, not claimed by others within {@code lease}. */
    public Uni<List<PendingNotification>> claim(int limit, Duration lease) {
        return pool.preparedQuery("UPDATE notification_inbox SET claimed_at = now() WHERE seq IN ("
                        + "SELECT seq FROM notification_inbox WHERE processed_at IS NULL "
                        + "AND (claimed_at IS NULL OR claimed_at < now() - make_interval(secs => $2)) "
                        + "ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED) "
                        + "RETURNING seq, org_id, subscription_id, teams_user_id, availability, activity, received_at")
                .execute(Tuple.of(limit, lease.toMillis() / 1000.0))
                .map(rows -> {
                    List<PendingNotification> out = new ArrayList<>(rows.size());
                    rows.forEach(r -> out.add(new PendingNotification(r.getLong("seq"), r.getString("org_id"),
                            r.getString("subscription_id"), r.getString("teams_user_id"), r.getString("availability"),
                            r.getString("activity"), instant(r, "received_at"))));
                    out.sort((a, b) -> Long.compare(a.seq(), b.seq()));
                    return out;
                });
    }

    /**
     * Marks the items processed; answers how many this call marked. An item another claimer marked already
     * (it held the item past its lease) is left as it is and not counted: the caller's transaction waits for
     * the other's, so each item is marked, and counted, once.
     */
    public Uni<Integer> markProcessed(SqlClient tx, List<Long> seqs) {
        if (seqs.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return tx.preparedQuery("UPDATE notification_inbox SET processed_at = now() WHERE seq = ANY($1) "
                        + "AND processed_at IS NULL")
                .execute(Tuple.of(seqs.toArray(Long[]::new)))
                .map(rows -> rows.rowCount());
    }

    public Uni<Integer> markProcessed(List<Long> seqs) {
        return markProcessed(pool, seqs);
    }

    /** Items not processed yet, for the metrics. */
    public Uni<Long> backlog() {
        return pool.preparedQuery("SELECT count(*) FROM notification_inbox WHERE processed_at IS NULL")
                .execute()
                .map(rows -> rows.iterator().next().getLong(0));
    }

    public Uni<Integer> deleteProcessedOlderThan(Duration age) {
        return pool.preparedQuery("DELETE FROM notification_inbox WHERE processed_at < now() - make_interval(secs => $1)")
                .execute(Tuple.of((double) age.toSeconds()))
                .map(rows -> rows.rowCount());
    }
}
