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
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.teamsconnector.store.SqlValues.instant;
import static io.teamsconnector.store.SqlValues.timestamp;

/**
 * The directory mirror (table {@code directory_users}), its users-delta state per connector (table
 * {@code directory_syncs}) and the expert search over it, served by indexes only.
 */
@ApplicationScoped
public class DirectoryRepository {

    private static final String ENTRY_COLUMNS = "user_id, display_name, given_name, surname, job_title, department, "
            + "mail, business_phones, account_enabled";
    private static final String HIT_COLUMNS = "user_id, display_name, job_title, department, business_phone, search_display";

    private final Pool pool;

    public DirectoryRepository(Pool pool) {
        this.pool = pool;
    }

    public Pool pool() {
        return pool;
    }

    /** A user as Graph describes it (null: not known). */
    public record DirectoryEntry(String userId, String displayName, String givenName, String surname, String jobTitle,
                                 String department, String mail, List<String> businessPhones, Boolean accountEnabled) {
    }

    /** What search needs of an entry, derived by the caller: searchable, the shown phone, folded fields. */
    public record SearchFields(boolean searchable, String businessPhone, List<String> e164Phones, String display,
                               String given, String surname, String department, String jobTitle) {
    }

    /** One expert found; {@code rank} 0 for a display-name prefix match. */
    public record Hit(String userId, String displayName, String jobTitle, String department, String businessPhone,
                      String sortKey, int rank) {
    }

    /** Where a connector's delta stands. */
    public record SyncState(String orgId, String tenantId, String nextLink, String deltaLink, long generation,
                            boolean fullSync, java.time.Instant lastFullSyncAt) {
    }

    /**
     * What lookup gating reads: the connector (null status: none) and the agent's profile switch. A small read
     * projection for the expert-lookup hot path (one query per lookup; that function has no Hibernate).
     */
    public record LookupGate(ConnectorStatus status, boolean showUserDetails, String tenantId, Boolean profileEnabled) {
    }

    /** What a lookup searches the mirror for, folded by the caller; the repository writes the statement. */
    public sealed interface ExpertSearch {
        /** By the exact filters alone (null for none), in display-name order. */
        record ByFilters(String department, String jobTitle, int limit) implements ExpertSearch {
        }

        /** Holders of an E.164 business phone. */
        record ByPhone(String e164, String department, String jobTitle, int limit) implements ExpertSearch {
        }

        /** A prefix of the display name, given name, surname, department or job title. */
        record ByPrefix(String prefix, String department, String jobTitle, int limit) implements ExpertSearch {
        }
    }

    /** A lookup's gate and what its search found (to be dropped when the gate is closed). */
    public record GatedHits(LookupGate gate, List<Hit> hits) {
    }

    /**
     * The gate and the search sent together on one connection: the client pipelines them, so PostgreSQL answers
     * both in one round trip (two round trips, each waking the caller, were most of a lookup's wait on a busy
     * machine). The search runs whatever the gate says; a null search (nothing to match) only reads the gate.
     */
    public Uni<GatedHits> gatedSearch(String orgId, String agentId, ExpertSearch search) {
        if (search == null) {
            return gate(pool, orgId, agentId).map(gate -> new GatedHits(gate, List.of()));
        }
        return pool.withConnection(connection -> Uni.combine().all()
                        .unis(gate(connection, orgId, agentId), search(connection, orgId, search)).asTuple())
                .map(both -> new GatedHits(both.getItem1(), both.getItem2()));
    }

    private static Uni<LookupGate> gate(SqlClient client, String orgId, String agentId) {
        return client.preparedQuery("SELECT s.status, c.show_user_details, s.tenant_id, (SELECT p.teams_integration "
                        + "FROM agents a JOIN desktop_profiles p ON p.org_id = a.org_id AND p.profile_id = a.profile_id "
                        + "WHERE a.org_id = c.org_id AND a.agent_id = $2) AS profile_enabled "
                        + "FROM connectors c JOIN connector_states s ON s.org_id = c.org_id WHERE c.org_id = $1")
                .execute(Tuple.of(orgId, agentId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return new LookupGate(null, false, null, null);
                    }
                    Row r = rows.iterator().next();
                    return new LookupGate(ConnectorStatus.valueOf(r.getString("status")),
                            r.getBoolean("show_user_details"), r.getString("tenant_id"), r.getBoolean("profile_enabled"));
                });
    }

    /** The stored entries among {@code userIds}, locked for the caller's transaction. */
    public Uni<Map<String, DirectoryEntry>> lock(SqlClient tx, String orgId, Collection<String> userIds) {
        return tx.preparedQuery("SELECT " + ENTRY_COLUMNS + " FROM directory_users WHERE org_id = $1 "
                        + "AND user_id = ANY($2) FOR UPDATE")
                .execute(Tuple.of(orgId, userIds.toArray(String[]::new)))
                .map(rows -> {
                    Map<String, DirectoryEntry> out = new HashMap<>();
                    rows.forEach(r -> out.put(r.getString("user_id"), new DirectoryEntry(r.getString("user_id"),
                            r.getString("display_name"), r.getString("given_name"), r.getString("surname"),
                            r.getString("job_title"), r.getString("department"), r.getString("mail"),
                            Arrays.asList(r.getArrayOfStrings("business_phones")), r.getBoolean("account_enabled"))));
                    return out;
                });
    }

    /** Writes the entries with their search fields, marked with the sync generation that saw them. */
    public Uni<Void> upsert(SqlClient tx, String orgId, List<DirectoryEntry> entries, List<SearchFields> fields,
                            long generation) {
        if (entries.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> batch = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            DirectoryEntry e = entries.get(i);
            SearchFields f = fields.get(i);
            batch.add(Tuple.from(new Object[] {orgId, e.userId(), e.displayName(), e.givenName(), e.surname(),
                    e.jobTitle(), e.department(), e.mail(), e.businessPhones().toArray(String[]::new),
                    e.accountEnabled(), f.searchable(), f.businessPhone(), f.e164Phones().toArray(String[]::new),
                    f.display(), f.given(), f.surname(), f.department(), f.jobTitle(), generation,
                    timestamp(SqlValues.now())}));
        }
        return tx.preparedQuery("INSERT INTO directory_users (org_id, user_id, display_name, given_name, surname, "
                        + "job_title, department, mail, business_phones, account_enabled, searchable, business_phone, "
                        + "e164_phones, search_display, search_given, search_surname, search_department, "
                        + "search_job_title, sync_generation, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
                        + "$10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20) ON CONFLICT (org_id, user_id) DO UPDATE "
                        + "SET display_name = EXCLUDED.display_name, given_name = EXCLUDED.given_name, "
                        + "surname = EXCLUDED.surname, job_title = EXCLUDED.job_title, department = EXCLUDED.department, "
                        + "mail = EXCLUDED.mail, business_phones = EXCLUDED.business_phones, "
                        + "account_enabled = EXCLUDED.account_enabled, searchable = EXCLUDED.searchable, "
                        + "business_phone = EXCLUDED.business_phone, e164_phones = EXCLUDED.e164_phones, "
                        + "search_display = EXCLUDED.search_display, search_given = EXCLUDED.search_given, "
                        + "search_surname = EXCLUDED.search_surname, search_department = EXCLUDED.search_department, "
                        + "search_job_title = EXCLUDED.search_job_title, sync_generation = EXCLUDED.sync_generation, "
                        + "updated_at = EXCLUDED.updated_at")
                .executeBatch(batch)
                .replaceWithVoid();
    }

    public Uni<Void> delete(SqlClient tx, String orgId, Collection<String> userIds) {
        if (userIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery("DELETE FROM directory_users WHERE org_id = $1 AND user_id = ANY($2)")
                .execute(Tuple.of(orgId, userIds.toArray(String[]::new)))
                .replaceWithVoid();
    }

    // ---- sync state ----

    /**
     * Claims up to {@code limit} connectors whose directory round is due: ACTIVE, with user details shown
     * (lookup on), and not held by another caller; holds each for {@code hold}.
     */
    public Uni<List<SyncState>> claimDue(Duration hold, int limit) {
        return pool.preparedQuery("WITH due AS (SELECT c.org_id FROM connectors c "
                        + "JOIN connector_states cs ON cs.org_id = c.org_id "
                        + "LEFT JOIN directory_syncs s ON s.org_id = c.org_id "
                        + "WHERE cs.status = 'ACTIVE' AND c.show_user_details AND cs.tenant_id IS NOT NULL "
                        + "AND (s.org_id IS NULL OR (s.next_sync_at <= now() AND (s.held_until IS NULL OR s.held_until < now()))) "
                        + "ORDER BY s.next_sync_at NULLS FIRST LIMIT $2), "
                        + "claimed AS (INSERT INTO directory_syncs (org_id, next_sync_at, held_until) "
                        + "SELECT org_id, now(), now() + make_interval(secs => $1) FROM due "
                        + "ON CONFLICT (org_id) DO UPDATE SET held_until = EXCLUDED.held_until "
                        + "WHERE directory_syncs.next_sync_at <= now() "
                        + "AND (directory_syncs.held_until IS NULL OR directory_syncs.held_until < now()) "
                        + "RETURNING org_id, next_link, delta_link, generation, full_sync, last_full_sync_at) "
                        + "SELECT claimed.*, cs.tenant_id FROM claimed JOIN connector_states cs ON cs.org_id = claimed.org_id")
                .execute(Tuple.of(hold.toMillis() / 1000.0, limit))
                .map(rows -> {
                    List<SyncState> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new SyncState(r.getString("org_id"), r.getString("tenant_id"),
                            r.getString("next_link"), r.getString("delta_link"), r.getLong("generation"),
                            r.getBoolean("full_sync"), instant(r, "last_full_sync_at"))));
                    return out;
                });
    }

    /** A full sync starts: entries not seen again by the end of it are deleted. */
    public Uni<Void> startFullSync(String orgId, long generation) {
        return pool.preparedQuery("UPDATE directory_syncs SET generation = $2, full_sync = TRUE, next_link = NULL "
                        + "WHERE org_id = $1")
                .execute(Tuple.of(orgId, generation))
                .replaceWithVoid();
    }

    /** A page was applied; the round resumes from {@code nextLink} if it is interrupted. */
    public Uni<Void> pageApplied(SqlClient tx, String orgId, String nextLink) {
        return tx.preparedQuery("UPDATE directory_syncs SET next_link = $2 WHERE org_id = $1")
                .execute(Tuple.of(orgId, nextLink))
                .replaceWithVoid();
    }

    /**
     * The round reached its delta link: the next round starts from it after {@code interval}; after a full
     * sync, the entries it did not see are deleted.
     */
    public Uni<Void> roundDone(String orgId, String deltaLink, boolean full, long generation, Duration interval) {
        return pool.withTransaction(tx -> (full
                        ? tx.preparedQuery("DELETE FROM directory_users WHERE org_id = $1 AND sync_generation < $2")
                                .execute(Tuple.of(orgId, generation)).replaceWithVoid()
                        : Uni.createFrom().voidItem())
                .flatMap(ignored -> tx.preparedQuery("UPDATE directory_syncs SET delta_link = $2, next_link = NULL, "
                                + "full_sync = FALSE, last_synced_at = now(), "
                                + "last_full_sync_at = CASE WHEN $3 THEN now() ELSE last_full_sync_at END, "
                                + "next_sync_at = now() + make_interval(secs => $4), held_until = NULL WHERE org_id = $1")
                        .execute(Tuple.of(orgId, deltaLink, full, interval.toMillis() / 1000.0))
                        .replaceWithVoid()));
    }

    /** The stored delta link is no longer accepted: the next round is a full sync. */
    public Uni<Void> needFullSync(String orgId) {
        return pool.preparedQuery("UPDATE directory_syncs SET full_sync = TRUE, next_link = NULL, delta_link = NULL "
                        + "WHERE org_id = $1")
                .execute(Tuple.of(orgId))
                .replaceWithVoid();
    }

    /** Ends the hold without finishing the round (Graph failed): retried after {@code delay}. */
    public Uni<Void> release(String orgId, Duration delay) {
        return pool.preparedQuery("UPDATE directory_syncs SET held_until = NULL, "
                        + "next_sync_at = now() + make_interval(secs => $2) WHERE org_id = $1")
                .execute(Tuple.of(orgId, delay.toMillis() / 1000.0))
                .replaceWithVoid();
    }

    // ---- search ----

    private static Uni<List<Hit>> search(SqlClient client, String orgId, ExpertSearch search) {
        if (search instanceof ExpertSearch.ByFilters f) {
            return hits(client, "SELECT " + HIT_COLUMNS + ", 0 AS rank FROM directory_users WHERE org_id = $1 "
                    + "AND searchable" + filters(f.department(), f.jobTitle(), 2) + " ORDER BY search_display LIMIT $4",
                    Tuple.of(orgId, f.department(), f.jobTitle(), f.limit()));
        }
        if (search instanceof ExpertSearch.ByPhone p) {
            // the few holders of the number first (GIN index), then their order: else the planner walks the
            // display-name index through every expert looking for them
            return hits(client, "WITH holders AS MATERIALIZED (SELECT " + HIT_COLUMNS + " FROM directory_users "
                    + "WHERE org_id = $1 AND searchable AND e164_phones @> ARRAY[$2::text]"
                    + filters(p.department(), p.jobTitle(), 3) + ") "
                    + "SELECT *, 0 AS rank FROM holders ORDER BY search_display LIMIT $5",
                    Tuple.of(orgId, p.e164(), p.department(), p.jobTitle(), p.limit()));
        }
        ExpertSearch.ByPrefix p = (ExpertSearch.ByPrefix) search;
        return hits(client, prefixSearchSql(p.department(), p.jobTitle()), Tuple.from(new Object[] {orgId, p.prefix(),
                upperBound(p.prefix()), p.department(), p.jobTitle(), p.limit()}));
    }

    /**
     * Experts whose display name, given name, surname, department or job title starts with {@code $2} (folded),
     * below {@code $3}, at most {@code $6} per field, each field in its index order; optional exact filters.
     */
    private static String prefixSearchSql(String department, String jobTitle) {
        String filters = filters(department, jobTitle, 4);
        String[][] fields = {{"search_display", "0"}, {"search_given", "1"}, {"search_surname", "1"},
                {"search_department", "1"}, {"search_job_title", "1"}};
        StringBuilder sql = new StringBuilder();
        for (String[] field : fields) {
            // a range, not LIKE: a prepared statement's plan uses the index whatever the prefix
            sql.append(sql.length() == 0 ? "" : " UNION ALL ")
                    .append("(SELECT ").append(HIT_COLUMNS).append(", ").append(field[1]).append(" AS rank ")
                    .append("FROM directory_users WHERE org_id = $1 AND searchable AND ").append(field[0])
                    .append(" >= $2 AND ").append(field[0]).append(" < $3").append(filters).append(" ORDER BY ")
                    .append(field[0]).append(field[0].equals("search_display") ? "" : ", search_display")
                    .append(" LIMIT $6)");
        }
        return sql.toString();
    }

    /** The exact filters as parameters {@code $first} (department) and {@code $first+1} (job title), both always bound. */
    private static String filters(String department, String jobTitle, int first) {
        String d = "$" + first;
        String t = "$" + (first + 1);
        return (department != null ? " AND search_department = " + d : " AND " + d + "::text IS NULL")
                + (jobTitle != null ? " AND search_job_title = " + t : " AND " + t + "::text IS NULL");
    }

    private static Uni<List<Hit>> hits(SqlClient client, String sql, Tuple args) {
        return client.preparedQuery(sql).execute(args).map(rows -> {
            List<Hit> out = new ArrayList<>(rows.size());
            rows.forEach(r -> out.add(new Hit(r.getString("user_id"), r.getString("display_name"),
                    r.getString("job_title"), r.getString("department"), r.getString("business_phone"),
                    r.getString("search_display"), r.getInteger("rank"))));
            return out;
        });
    }

    /**
     * The least string above every string that starts with {@code prefix}, in the "C" collation (code point
     * order): the prefix with its last code point one higher.
     */
    static String upperBound(String prefix) {
        int last = prefix.codePointBefore(prefix.length());
        String head = prefix.substring(0, prefix.length() - Character.charCount(last));
        if (last == Character.MAX_CODE_POINT) {
            return head.isEmpty() ? prefix + "\uffff" : upperBound(head);
        }
        int next = last + 1;
        if (next >= Character.MIN_SURROGATE && next <= Character.MAX_SURROGATE) {
            next = Character.MAX_SURROGATE + 1;
        }
        return head + new String(Character.toChars(next));
    }
}
