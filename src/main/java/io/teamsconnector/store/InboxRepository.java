package io.teamsconnector.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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

    /**
     * The group's insert: one row per item, the requests in the order they were gathered and each one's items in
     * the order Graph listed them; an item whose key is waiting already (stored before, or earlier in this very
     * statement) is skipped. Answers the keys it stored.
     */
    private static final String INSERT = "INSERT INTO notification_inbox (dedupe_key, org_id, subscription_id, "
            + "teams_user_id, availability, activity, received_at) "
            + "SELECT k, o, s, u, a, t, r FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], "
            + "$5::text[], $6::text[], $7::timestamptz[]) WITH ORDINALITY AS i(k, o, s, u, a, t, r, pos) ORDER BY pos "
            + "ON CONFLICT (dedupe_key) WHERE claimed_at IS NULL DO NOTHING RETURNING dedupe_key";

    /** Transactions of gathered requests at once: enough to keep a commit in flight while the next one fills. */
    static final int STORES_IN_FLIGHT = 2;
    /** Items in one gathered insert at most (a request of Graph's holds up to 1,000, and is never split). */
    static final int ITEMS_PER_COMMIT = 2_000;

    private final GroupCommit<InboxWrite> commits = new GroupCommit<>(this::commit, InboxWrite::deadline,
            write -> write.items().size(), STORES_IN_FLIGHT, ITEMS_PER_COMMIT, Clock.systemUTC());

    /** One request's accepted items. */
    private record InboxWrite(List<NewNotification> items, Instant receivedAt, Instant deadline) {
    }

    /**
     * Stores the items; one still waiting with the same key is not stored again. Answers how many were new,
     * once committed. Requests that arrive while others are being committed are gathered into one transaction
     * ({@link GroupCommit}): PostgreSQL flushes its WAL once per commit, and one commit per request capped the
     * intake. The database gives up at the earliest deadline of a group (the time left when its commands are
     * sent), so a statement Graph was told failed does not commit later.
     * <p>
     * One round trip per group: {@code BEGIN; SET LOCAL statement_timeout}, the insert and {@code COMMIT} are sent
     * at once, pipelined on one connection, and run in that order. An insert that fails (the timeout) leaves the
     * transaction aborted, and its {@code COMMIT} rolls it back; every request of the group then fails with the
     * insert's error. The wake-up signal is the caller's, after the commit ({@link WorkSignals#sendSoon}): a
     * {@code NOTIFY} in this transaction would make every intake commit wait for the others' (PostgreSQL
     * serialises notifying commits).
     */
    public Uni<Integer> store(List<NewNotification> items, Instant receivedAt, Instant deadline) {
        if (items.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return commits.submit(new InboxWrite(List.copyOf(items), receivedAt, deadline));
    }

    @SuppressWarnings("unchecked")
    private Uni<List<Integer>> commit(List<InboxWrite> writes) {
        int n = 0;
        Instant deadline = null;
        for (InboxWrite write : writes) {
            n += write.items().size();
            deadline = deadline == null || write.deadline().isBefore(deadline) ? write.deadline() : deadline;
        }
        String[] keys = new String[n];
        String[] orgs = new String[n];
        String[] subscriptions = new String[n];
        String[] users = new String[n];
        String[] availabilities = new String[n];
        String[] activities = new String[n];
        OffsetDateTime[] receivedAts = new OffsetDateTime[n];
        int i = 0;
        for (InboxWrite write : writes) {
            OffsetDateTime receivedAt = timestamp(write.receivedAt());
            for (NewNotification item : write.items()) {
                keys[i] = item.dedupeKey();
                orgs[i] = item.orgId();
                subscriptions[i] = item.subscriptionId();
                users[i] = item.teamsUserId();
                availabilities[i] = item.availability();
                activities[i] = item.activity();
                receivedAts[i] = receivedAt;
                i++;
            }
        }
        Tuple args = Tuple.from(new Object[] {keys, orgs, subscriptions, users, availabilities, activities,
                receivedAts});
        Instant groupDeadline = deadline;
        return pool.withConnection(conn -> {
            // what is left of the deadline once a connection is had: waiting for one is not the database's time
            long timeoutMillis = Math.max(1, Duration.between(Instant.now(), groupDeadline).toMillis());
            Uni<Set<String>> inserted = conn.preparedQuery(INSERT).execute(args).map(rows -> {
                Set<String> stored = new HashSet<>(rows.rowCount() * 2);
                rows.forEach(row -> stored.add(row.getString(0)));
                return stored;
            });
            List<Uni<?>> pipeline = new ArrayList<>(3);
            pipeline.add(conn.query("BEGIN; SET LOCAL statement_timeout = " + timeoutMillis).execute());
            pipeline.add(inserted);
            pipeline.add(conn.query("COMMIT").execute());
            // any failure (the insert's, the commit's) fails the group, once every command has answered
            return Uni.combine().all().unis(pipeline).collectFailures()
                    .with(results -> storedPerWrite(writes, (Set<String>) results.get(1)));
        });
    }

    /** How many items each request stored: a key stored once belongs to the first request that listed it. */
    private static List<Integer> storedPerWrite(List<InboxWrite> writes, Set<String> storedKeys) {
        List<Integer> counts = new ArrayList<>(writes.size());
        for (InboxWrite write : writes) {
            int stored = 0;
            for (NewNotification item : write.items()) {
                if (storedKeys.remove(item.dedupeKey())) {
                    stored++;
                }
            }
            counts.add(stored);
        }
        return counts;
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
