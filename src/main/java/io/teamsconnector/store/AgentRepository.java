package io.teamsconnector.store;

import io.smallrye.mutiny.Uni;
import io.teamsconnector.domain.AgentState;
import io.teamsconnector.domain.ChangeSource;
import io.teamsconnector.domain.TeamsPresence;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.teamsconnector.store.SqlValues.enumValue;
import static io.teamsconnector.store.SqlValues.instant;
import static io.teamsconnector.store.SqlValues.name;
import static io.teamsconnector.store.SqlValues.timestamp;

/**
 * Tracked agents (table {@code agents}). Methods taking a {@link SqlClient} run inside the caller's
 * transaction; the row locks they take ({@code FOR UPDATE}) serialize an agent's events and evaluations.
 */
@ApplicationScoped
public class AgentRepository {

    private static final String COLUMNS = "a.org_id, a.agent_id, a.teams_user_id, a.teams_user_origin, a.email, "
            + "a.profile_id, a.state, a.idle_code, a.last_change_source, a.last_change_at, a.last_event_at, "
            + "a.presence_availability, a.presence_activity, a.presence_observed_at, a.evaluation_due, "
            + "a.evaluated_stamp, a.version, "
            + "a.created_at, a.updated_at, COALESCE(p.teams_integration, FALSE) AS profile_enabled";
    private static final String FROM = " FROM agents a LEFT JOIN desktop_profiles p "
            + "ON p.org_id = a.org_id AND p.profile_id = a.profile_id ";

    private final Pool pool;

    public AgentRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Optional<AgentRow>> find(String orgId, String agentId) {
        return pool.preparedQuery("SELECT " + COLUMNS + FROM + "WHERE a.org_id = $1 AND a.agent_id = $2")
                .execute(Tuple.of(orgId, agentId))
                .map(AgentRepository::first);
    }

    /** The agent, locked until the caller's transaction ends. */
    public Uni<Optional<AgentRow>> lock(SqlClient tx, String orgId, String agentId) {
        return tx.preparedQuery("SELECT " + COLUMNS + FROM + "WHERE a.org_id = $1 AND a.agent_id = $2 FOR UPDATE OF a")
                .execute(Tuple.of(orgId, agentId))
                .map(AgentRepository::first);
    }

    /** Signed-in agents following one of these Teams users. */
    public Uni<List<AgentRow>> signedInByTeamsUsers(String orgId, Collection<String> teamsUserIds) {
        return pool.preparedQuery("SELECT " + COLUMNS + FROM + "WHERE a.org_id = $1 AND a.teams_user_id = ANY($2) "
                        + "AND a.state <> 'SIGNED_OUT'")
                .execute(Tuple.of(orgId, teamsUserIds.toArray(new String[0])))
                .map(AgentRepository::all);
    }

    /** These agents (signed in), locked until the caller's transaction ends. */
    public Uni<List<AgentRow>> lockSignedIn(SqlClient tx, String orgId, Collection<String> agentIds) {
        return tx.preparedQuery("SELECT " + COLUMNS + FROM + "WHERE a.org_id = $1 AND a.agent_id = ANY($2) "
                        + "AND a.state <> 'SIGNED_OUT' ORDER BY a.agent_id FOR UPDATE OF a")
                .execute(Tuple.of(orgId, agentIds.toArray(new String[0])))
                .map(AgentRepository::all);
    }

    /** These agents, if signed in. */
    public Uni<List<AgentRow>> findSignedIn(String orgId, Collection<String> agentIds) {
        return pool.preparedQuery("SELECT " + COLUMNS + FROM + "WHERE a.org_id = $1 AND a.agent_id = ANY($2) "
                        + "AND a.state <> 'SIGNED_OUT' ORDER BY a.agent_id")
                .execute(Tuple.of(orgId, agentIds.toArray(new String[0])))
                .map(AgentRepository::all);
    }

    /** The org's agents by id, at most {@code limit} (the console's table). */
    public Uni<List<AgentRow>> list(String orgId, int limit) {
        return pool.preparedQuery("SELECT " + COLUMNS + FROM + "WHERE a.org_id = $1 ORDER BY a.agent_id LIMIT $2")
                .execute(Tuple.of(orgId, limit))
                .map(AgentRepository::all);
    }

    /** The Teams users followed by signed-in agents whose desktop profile has the integration on. */
    public Uni<List<String>> trackedTeamsUsers(String orgId) {
        return pool.preparedQuery("SELECT DISTINCT a.teams_user_id FROM agents a JOIN desktop_profiles p "
                        + "ON p.org_id = a.org_id AND p.profile_id = a.profile_id AND p.teams_integration "
                        + "WHERE a.org_id = $1 AND a.state <> 'SIGNED_OUT' AND a.teams_user_id IS NOT NULL "
                        + "ORDER BY a.teams_user_id")
                .execute(Tuple.of(orgId))
                .map(rows -> {
                    List<String> out = new ArrayList<>(rows.size());
                    rows.forEach(r -> out.add(r.getString(0)));
                    return out;
                });
    }

    /**
     * Agents presence sync made Idle (last change its own) to whom it no longer applies: connector not active,
     * sync off, or the profile's Teams integration off. Of one connector when {@code orgId} is given, else of all;
     * org id to agent ids, at most {@code limit} agents.
     */
    public Uni<Map<String, List<String>>> idleBySyncSwitchedOff(String orgId, int limit) {
        return pool.preparedQuery("SELECT a.org_id, a.agent_id FROM agents a JOIN connectors c ON c.org_id = a.org_id "
                        + "JOIN connector_states s ON s.org_id = a.org_id "
                        + "LEFT JOIN desktop_profiles p ON p.org_id = a.org_id AND p.profile_id = a.profile_id "
                        + "WHERE a.state = 'IDLE' AND a.last_change_source = 'PRESENCE_SYNC' "
                        + "AND ($1::text IS NULL OR a.org_id = $1) "
                        + "AND (s.status <> 'ACTIVE' OR NOT c.presence_sync OR NOT COALESCE(p.teams_integration, FALSE)) "
                        + "ORDER BY a.org_id LIMIT $2")
                .execute(Tuple.of(orgId, limit))
                .map(rows -> {
                    Map<String, List<String>> byOrg = new LinkedHashMap<>();
                    rows.forEach(r -> byOrg.computeIfAbsent(r.getString("org_id"), org -> new ArrayList<>())
                            .add(r.getString("agent_id")));
                    return byOrg;
                });
    }

    /** Signed-in agents with an email but no Teams user yet (and no earlier "not found"), oldest first. */
    public Uni<List<AgentRow>> awaitingTeamsUser(String orgId, int limit) {
        return pool.preparedQuery("SELECT " + COLUMNS + FROM + "WHERE a.org_id = $1 AND a.state <> 'SIGNED_OUT' "
                        + "AND a.teams_user_id IS NULL AND a.email IS NOT NULL AND a.teams_user_origin IS NULL "
                        + "ORDER BY a.updated_at LIMIT $2")
                .execute(Tuple.of(orgId, limit))
                .map(AgentRepository::all);
    }

    /**
     * Stores the Teams user resolved from the agent's email, unless the agent changed meanwhile (another
     * email, or a Teams user given by an event). A null id records that Graph knows no such user.
     */
    public Uni<Boolean> resolveTeamsUser(String orgId, String agentId, String email, String teamsUserId) {
        return pool.preparedQuery("UPDATE agents SET teams_user_id = $4, teams_user_origin = $5, "
                        + "evaluation_due = evaluation_due OR $7, updated_at = $6 "
                        + "WHERE org_id = $1 AND agent_id = $2 AND email = $3 AND teams_user_id IS NULL "
                        // of two concurrent lookups (sign-in read and poll) only the first is stored
                        + "AND teams_user_origin IS NULL")
                .execute(Tuple.from(new Object[] {orgId, agentId, email, teamsUserId,
                    teamsUserId == null ? AgentRow.NOT_FOUND : AgentRow.RESOLVED, timestamp(SqlValues.now()),
                    teamsUserId != null}))
                .map(rows -> rows.rowCount() == 1);
    }

    /**
     * Stores the email and desktop profile the contact center knows the agent by (looked up at sign-in). A new
     * email forgets a Teams user resolved from the old one (not one given by an event). False when nothing changed.
     */
    public Uni<Boolean> identify(String orgId, String agentId, String email, String profileId) {
        return pool.preparedQuery("UPDATE agents SET email = $3, profile_id = COALESCE($4, profile_id), "
                        + "teams_user_id = CASE WHEN teams_user_origin = 'GIVEN' OR email IS NOT DISTINCT FROM $3 "
                        + "THEN teams_user_id END, "
                        + "teams_user_origin = CASE WHEN teams_user_origin = 'GIVEN' OR email IS NOT DISTINCT FROM $3 "
                        + "THEN teams_user_origin END, updated_at = $5 "
                        + "WHERE org_id = $1 AND agent_id = $2 "
                        + "AND (email IS DISTINCT FROM $3 OR profile_id IS DISTINCT FROM COALESCE($4, profile_id))")
                .execute(Tuple.from(new Object[] {orgId, agentId, email, profileId, timestamp(SqlValues.now())}))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Inserts a new agent; fails with a unique violation when a concurrent event created it first. */
    public Uni<Void> insert(SqlClient tx, AgentRow a) {
        return tx.preparedQuery("INSERT INTO agents (" + WRITTEN + ", created_at, org_id, agent_id) "
                        + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)")
                .execute(written(a).addValue(timestamp(a.createdAt())).addValue(a.orgId()).addValue(a.agentId()))
                .replaceWithVoid();
    }

    /** Replaces a stored agent (locked by the caller): identity, state, event time, evaluation flag, version. */
    public Uni<Void> update(SqlClient tx, AgentRow a) {
        return tx.preparedQuery("UPDATE agents SET (" + WRITTEN + ") = "
                        + "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) "
                        + "WHERE org_id = $17 AND agent_id = $18")
                .execute(written(a).addValue(a.orgId()).addValue(a.agentId()))
                .replaceWithVoid();
    }

    private static final String WRITTEN = "teams_user_id, teams_user_origin, email, profile_id, state, idle_code, "
            + "last_change_source, last_change_at, last_event_at, presence_availability, presence_activity, "
            + "presence_observed_at, evaluation_due, evaluated_stamp, version, updated_at";

    private static Tuple written(AgentRow a) {
        return Tuple.from(new Object[] {a.teamsUserId(), a.teamsUserOrigin(), a.email(), a.profileId(),
            name(a.state()), a.idleCode(), name(a.lastChangeSource()), timestamp(a.lastChangeAt()),
            timestamp(a.lastEventAt()), a.presence() == null ? null : a.presence().availability(),
            a.presence() == null ? null : a.presence().activity(), timestamp(a.presenceObservedAt()),
            a.evaluationDue(), a.evaluatedStamp(), a.version(), timestamp(a.updatedAt())});
    }

    /** Stores the outcome of evaluations: presence, state, cleared evaluation flag, version; one round trip. */
    public Uni<Void> saveEvaluated(SqlClient tx, List<AgentRow> evaluated) {
        if (evaluated.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> batch = new ArrayList<>(evaluated.size());
        for (AgentRow a : evaluated) {
            batch.add(Tuple.from(new Object[] {a.orgId(), a.agentId(),
                a.presence() == null ? null : a.presence().availability(),
                a.presence() == null ? null : a.presence().activity(), timestamp(a.presenceObservedAt()),
                name(a.state()), a.idleCode(), name(a.lastChangeSource()), timestamp(a.lastChangeAt()), a.version(),
                a.evaluationDue(), a.evaluatedStamp(), timestamp(a.updatedAt())}));
        }
        return tx.preparedQuery("UPDATE agents SET presence_availability = $3, presence_activity = $4, "
                        + "presence_observed_at = $5, state = $6, idle_code = $7, last_change_source = $8, "
                        + "last_change_at = $9, version = $10, evaluation_due = $11, evaluated_stamp = $12, "
                        + "updated_at = $13 "
                        + "WHERE org_id = $1 AND agent_id = $2")
                .executeBatch(batch)
                .replaceWithVoid();
    }

    private static Optional<AgentRow> first(RowSet<Row> rows) {
        return rows.size() == 0 ? Optional.empty() : Optional.of(row(rows.iterator().next()));
    }

    private static List<AgentRow> all(RowSet<Row> rows) {
        List<AgentRow> out = new ArrayList<>(rows.size());
        rows.forEach(r -> out.add(row(r)));
        return out;
    }

    private static AgentRow row(Row r) {
        String availability = r.getString("presence_availability");
        String activity = r.getString("presence_activity");
        TeamsPresence presence = availability == null && activity == null ? null
                : new TeamsPresence(availability, activity);
        return new AgentRow(r.getString("org_id"), r.getString("agent_id"), r.getString("teams_user_id"),
                r.getString("teams_user_origin"), r.getString("email"), r.getString("profile_id"),
                enumValue(AgentState.class, r.getString("state")), r.getString("idle_code"),
                enumValue(ChangeSource.class, r.getString("last_change_source")), instant(r, "last_change_at"),
                instant(r, "last_event_at"), presence, instant(r, "presence_observed_at"),
                r.getBoolean("evaluation_due"), r.getString("evaluated_stamp"), r.getLong("version"),
                instant(r, "created_at"),
                instant(r, "updated_at"), r.getBoolean("profile_enabled"));
    }

    /** Time source for rows written by callers: microsecond precision, as stored. */
    public static Instant now() {
        return SqlValues.now();
    }
}
