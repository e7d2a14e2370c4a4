package io.teamsconnector.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.teamsconnector.store.SqlValues.instant;
import static io.teamsconnector.store.SqlValues.timestamp;

/**
 * Change notifications received from Graph (table {@code notification_inbox}): stored before Graph is
 * answered, one row per delivery and subscription (the request's items for that subscription, in Graph's order),
 * claimed for processing with a lease and {@code SKIP LOCKED}, marked processed in the transaction that applied
 * them. A row is one write for PostgreSQL however many items it holds (V12).
 */
@ApplicationScoped
public class InboxRepository {

    private final Pool pool;

    public InboxRepository(Pool pool) {
        this.pool = pool;
    }

    /** One accepted item; availability and activity only for a rich one. */
    public record NewNotification(String teamsUserId, String availability, String activity) {
        boolean rich() {
            return availability != null;
        }
    }

    /**
     * The accepted items of one delivery for one subscription, in the order Graph listed them: one row. A row still
     * waiting with the same key (Graph delivering the same request again) is not stored twice.
     */
    public record NewDelivery(String dedupeKey, String orgId, String subscriptionId, List<NewNotification> items) {
        public NewDelivery {
            items = List.copyOf(items);
        }

        /** The items of all the deliveries. */
        public static int items(List<NewDelivery> deliveries) {
            int n = 0;
            for (NewDelivery delivery : deliveries) {
                n += delivery.items().size();
            }
            return n;
        }
    }

    /** A claimed item, with the row ({@code seq}) it came in. */
    public record PendingNotification(long seq, String orgId, String subscriptionId, String teamsUserId,
                                      String availability, String activity, Instant receivedAt) {
        public boolean rich() {
            return availability != null;
        }
    }

    /**
     * The group's insert: one row per delivery, the requests in the order they were gathered. The items travel
     * flattened, each row taking its slice ({@code first..last}); availabilities and activities only for a row with
     * a rich item. A row whose key is waiting already (stored before, or earlier in this very statement) is
     * skipped. Answers the keys it stored.
     */
    private static final String INSERT = "INSERT INTO notification_inbox (dedupe_key, org_id, subscription_id, "
            + "teams_user_ids, availabilities, activities, received_at) "
            + "SELECT k, o, s, ($4::text[])[f:l], CASE WHEN rich THEN ($5::text[])[f:l] END, "
            + "CASE WHEN rich THEN ($6::text[])[f:l] END, r "
            + "FROM unnest($1::text[], $2::text[], $3::text[], $7::int[], $8::int[], $9::bool[], $10::timestamptz[]) "
            + "WITH ORDINALITY AS d(k, o, s, f, l, rich, r, pos) ORDER BY pos "
            + "ON CONFLICT (dedupe_key) WHERE claimed_at IS NULL DO NOTHING RETURNING dedupe_key";

    /** Transactions of gathered requests at once: enough to keep a commit in flight while the next one fills. */
    static final int STORES_IN_FLIGHT = 2;
    /** Items in one gathered insert at most (a request of Graph's holds up to 1,000, and is never split). */
    static final int ITEMS_PER_COMMIT = 2_000;

    private final GroupCommit<InboxWrite> commits = new GroupCommit<>(this::commit, InboxWrite::deadline,
            InboxWrite::items, STORES_IN_FLIGHT, ITEMS_PER_COMMIT, Clock.systemUTC());

    /** One request's accepted deliveries. */
    private record InboxWrite(List<NewDelivery> deliveries, Instant receivedAt, Instant deadline) {
        int items() {
            return NewDelivery.items(deliveries);
        }
    }

    /**
     * Stores the deliveries; one still waiting with the same key is not stored again. Answers how many items were
     * new, once committed. Requests that arrive while others are being committed are gathered into one transaction
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
    public Uni<Integer> store(List<NewDelivery> deliveries, Instant receivedAt, Instant deadline) {
        if (deliveries.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return commits.submit(new InboxWrite(List.copyOf(deliveries), receivedAt, deadline));
    }

    @SuppressWarnings("unchecked")
    private Uni<List<Integer>> commit(List<InboxWrite> writes) {
        int rows = 0;
        int items = 0;
        Instant deadline = null;
        for (InboxWrite write : writes) {
            rows += write.deliveries().size();
            items += write.items();
            deadline = deadline == null || write.deadline().isBefore(deadline) ? write.deadline() : deadline;
        }
        String[] keys = new String[rows];
        String[] orgs = new String[rows];
        String[] subscriptions = new String[rows];
        Integer[] firsts = new Integer[rows];
        Integer[] lasts = new Integer[rows];
        Boolean[] rich = new Boolean[rows];
        OffsetDateTime[] receivedAts = new OffsetDateTime[rows];
        String[] users = new String[items];
        String[] availabilities = new String[items];
        String[] activities = new String[items];
        int row = 0;
        int item = 0;
        for (InboxWrite write : writes) {
            OffsetDateTime receivedAt = timestamp(write.receivedAt());
            for (NewDelivery delivery : write.deliveries()) {
                keys[row] = delivery.dedupeKey();
                orgs[row] = delivery.orgId();
                subscriptions[row] = delivery.subscriptionId();
                firsts[row] = item + 1;                      // SQL arrays count from 1
                boolean anyRich = false;
                for (NewNotification notification : delivery.items()) {
                    users[item] = notification.teamsUserId();
                    availabilities[item] = notification.availability();
                    activities[item] = notification.activity();
                    anyRich |= notification.rich();
                    item++;
                }
                lasts[row] = item;
                rich[row] = anyRich;
                receivedAts[row] = receivedAt;
                row++;
            }
        }
        Tuple args = Tuple.from(new Object[] {keys, orgs, subscriptions, users, availabilities, activities,
                firsts, lasts, rich, receivedAts});
        Instant groupDeadline = deadline;
        return pool.withConnection(conn -> {
            // what is left of the deadline once a connection is had: waiting for one is not the database's time
            long timeoutMillis = Math.max(1, Duration.between(Instant.now(), groupDeadline).toMillis());
            Uni<Set<String>> inserted = conn.preparedQuery(INSERT).execute(args).map(result -> {
                Set<String> stored = new HashSet<>(result.rowCount() * 2);
                result.forEach(r -> stored.add(r.getString(0)));
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
            for (NewDelivery delivery : write.deliveries()) {
                if (storedKeys.remove(delivery.dedupeKey())) {
                    stored += delivery.items().size();
                }
            }
            counts.add(stored);
        }
        return counts;
    }

    /**
     * Claims up to {@code limit} unprocessed rows, oldest first, not claimed by others within {@code lease}, and
     * answers their items, each with its row's {@code seq}, in the order received.
     */
    public Uni<List<PendingNotification>> claim(int limit, Duration lease) {
        return pool.preparedQuery("UPDATE notification_inbox SET claimed_at = now() WHERE seq IN ("
                        + "SELECT seq FROM notification_inbox WHERE processed_at IS NULL "
                        + "AND (claimed_at IS NULL OR claimed_at < now() - make_interval(secs => $2)) "
                        + "ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED) "
                        + "RETURNING seq, org_id, subscription_id, teams_user_ids, availabilities, activities, "
                        + "received_at")
                .execute(Tuple.of(limit, lease.toMillis() / 1000.0))
                .map(rows -> {
                    List<Row> claimed = new ArrayList<>(rows.size());
                    rows.forEach(claimed::add);
                    claimed.sort(Comparator.comparingLong(r -> r.getLong("seq")));
                    List<PendingNotification> out = new ArrayList<>();
                    for (Row r : claimed) {
                        String[] users = r.getArrayOfStrings("teams_user_ids");
                        String[] availabilities = r.getArrayOfStrings("availabilities");
                        String[] activities = r.getArrayOfStrings("activities");
                        Instant receivedAt = instant(r, "received_at");
                        for (int i = 0; i < users.length; i++) {
                            out.add(new PendingNotification(r.getLong("seq"), r.getString("org_id"),
                                    r.getString("subscription_id"), users[i],
                                    availabilities == null ? null : availabilities[i],
                                    activities == null ? null : activities[i], receivedAt));
                        }
                    }
                    return out;
                });
    }

    /**
     * Marks the rows processed; answers how many items this call marked. A row another claimer marked already (it
     * held the row past its lease) is left as it is and not counted: the caller's transaction waits for the other's,
     * so each row is marked, and counted, once.
     */
    public Uni<Integer> markProcessed(SqlClient tx, Collection<Long> seqs) {
        if (seqs.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return tx.preparedQuery("WITH marked AS (UPDATE notification_inbox SET processed_at = now() "
                        + "WHERE seq = ANY($1) AND processed_at IS NULL RETURNING cardinality(teams_user_ids) AS n) "
                        + "SELECT coalesce(sum(n), 0)::int FROM marked")
                .execute(Tuple.of(seqs.toArray(Long[]::new)))
                .map(rows -> rows.iterator().next().getInteger(0));
    }

    public Uni<Integer> markProcessed(Collection<Long> seqs) {
        return markProcessed(pool, seqs);
    }

    /** Items not processed yet, for the metrics. */
    public Uni<Long> backlog() {
        return pool.preparedQuery("SELECT coalesce(sum(cardinality(teams_user_ids)), 0) FROM notification_inbox "
                        + "WHERE processed_at IS NULL")
                .execute()
                .map(rows -> rows.iterator().next().getLong(0));
    }

    public Uni<Integer> deleteProcessedOlderThan(Duration age) {
        return pool.preparedQuery("DELETE FROM notification_inbox WHERE processed_at < now() - make_interval(secs => $1)")
                .execute(Tuple.of((double) age.toSeconds()))
                .map(rows -> rows.rowCount());
    }
}
