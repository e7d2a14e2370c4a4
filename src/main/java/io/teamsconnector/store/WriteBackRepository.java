package io.teamsconnector.store;

import io.smallrye.mutiny.Uni;
import io.teamsconnector.domain.AgentState;
import io.teamsconnector.domain.ChangeSource;
import io.teamsconnector.domain.ConnectorStatus;
import io.teamsconnector.domain.DesktopState;
import io.teamsconnector.domain.TeamsPresence;
import io.teamsconnector.domain.WriteBackSession;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.teamsconnector.store.SqlValues.enumValue;
import static io.teamsconnector.store.SqlValues.instant;
import static io.teamsconnector.store.SqlValues.timestamp;

/**
 * Write-back's operational state, and its only writer: the agents to look at (tables {@code write_back_sessions}),
 * the presence sessions the connector holds in Teams, and the permissions Graph refused
 * ({@code write_back_refusals}). The agent-event side asks for a look ({@link #markDue}), the sync side claims
 * the due agents, calls Graph, and records what it did; the consent callback clears refusals
 * ({@link #permissionGranted}). Never writes {@code connectors}.
 */
@ApplicationScoped
public class WriteBackRepository {

    /** The permission a write needs. */
    public static final String PERMISSION = "Presence.ReadWrite.All";

    private static final String SESSION_COLUMNS = "s.teams_user_id, s.written_availability, s.written_activity, "
            + "s.written_until, s.settle_until";

    private final Pool pool;

    public WriteBackRepository(Pool pool) {
        this.pool = pool;
    }

    /** An agent claimed for a look, with what the decision needs: its state, its connector, our session. */
    public record Due(String orgId, String agentId, long dueSeq, String channel, DesktopState desktop,
                      String teamsUserId, String tenantId, ConnectorStatus status, boolean teamsWriteBack,
                      Map<String, String> writeBackMapping, boolean refused, WriteBackSession session) {
    }

    /**
     * In the agent event's transaction: look at this agent's Teams presence soon. {@code channel} is the channel
     * of the contact it is ENGAGED on (kept through wrap-up, forgotten in any other state).
     */
    public Uni<Void> markDue(SqlClient tx, String orgId, String agentId, AgentState state, String channel) {
        boolean onContact = state == AgentState.ENGAGED || state == AgentState.WRAP_UP;
        return tx.preparedQuery("INSERT INTO write_back_sessions (org_id, agent_id, channel, due_at, updated_at) "
                        + "VALUES ($1, $2, $3, now(), now()) ON CONFLICT (org_id, agent_id) DO UPDATE SET "
                        + "channel = CASE WHEN $4 THEN COALESCE(EXCLUDED.channel, write_back_sessions.channel) END, "
                        + "due_at = now(), due_seq = write_back_sessions.due_seq + 1, updated_at = now()")
                .execute(Tuple.of(orgId, agentId, onContact ? channel : null, onContact))
                .replaceWithVoid();
    }

    /**
     * A connector's write-back settings or status changed: look at every agent with a session of ours, and
     * every agent on a contact (whom a switch turned on concerns).
     */
    public Uni<Integer> markConnectorDue(String orgId) {
        return pool.preparedQuery("INSERT INTO write_back_sessions (org_id, agent_id, due_at, updated_at) "
                        + "SELECT a.org_id, a.agent_id, now(), now() FROM agents a WHERE a.org_id = $1 "
                        + "AND (a.state IN ('ENGAGED', 'WRAP_UP') OR EXISTS (SELECT 1 FROM write_back_sessions s "
                        + "WHERE s.org_id = a.org_id AND s.agent_id = a.agent_id AND s.written_until IS NOT NULL)) "
                        + "ON CONFLICT (org_id, agent_id) DO UPDATE SET due_at = now(), "
                        + "due_seq = write_back_sessions.due_seq + 1, updated_at = now()")
                .execute(Tuple.of(orgId))
                .map(rows -> rows.rowCount());
    }

    /**
     * Claims up to {@code limit} agents to look at: those asked for or due for renewal, and those with a session
     * of ours whose connector no longer writes (a lost switch signal). Each is held for {@code lease}.
     */
    public Uni<List<Due>> claimDue(int limit, Duration lease) {
        return pool.preparedQuery("WITH due AS (SELECT s.org_id, s.agent_id FROM write_back_sessions s "
                        + "JOIN connectors c ON c.org_id = s.org_id JOIN connector_states cs ON cs.org_id = s.org_id "
                        + "WHERE (s.lease_until IS NULL OR s.lease_until < now()) AND (s.due_at <= now() "
                        + "OR (s.written_until IS NOT NULL AND NOT (cs.status = 'ACTIVE' AND c.teams_write_back))) "
                        + "ORDER BY s.due_at NULLS FIRST LIMIT $1 FOR UPDATE OF s SKIP LOCKED), "
                        + "claimed AS (UPDATE write_back_sessions s SET lease_until = now() + make_interval(secs => $2) "
                        + "FROM due WHERE s.org_id = due.org_id AND s.agent_id = due.agent_id RETURNING s.*) "
                        + "SELECT s.org_id, s.agent_id, s.due_seq, s.channel, " + SESSION_COLUMNS + ", "
                        + "a.state, a.idle_code, a.last_change_source, a.teams_user_id AS agent_user, cs.tenant_id, "
                        + "cs.status, c.teams_write_back, c.write_back_mapping, "
                        + "EXISTS (SELECT 1 FROM write_back_refusals r WHERE r.org_id = s.org_id) AS refused "
                        + "FROM claimed s JOIN agents a ON a.org_id = s.org_id AND a.agent_id = s.agent_id "
                        + "JOIN connectors c ON c.org_id = s.org_id JOIN connector_states cs ON cs.org_id = s.org_id")
                .execute(Tuple.of(limit, (double) lease.toMillis() / 1000))
                .map(rows -> {
                    List<Due> out = new ArrayList<>(rows.size());
                    rows.forEach(r -> out.add(new Due(r.getString("org_id"), r.getString("agent_id"),
                            r.getLong("due_seq"), r.getString("channel"),
                            new DesktopState(enumValue(AgentState.class, r.getString("state")),
                                    r.getString("idle_code"),
                                    enumValue(ChangeSource.class, r.getString("last_change_source"))),
                            r.getString("agent_user"), r.getString("tenant_id"),
                            ConnectorStatus.valueOf(r.getString("status")), r.getBoolean("teams_write_back"),
                            StateMappingJson.fromText(r.getString("write_back_mapping")), r.getBoolean("refused"),
                            session(r))));
                    return out;
                });
    }

    /** In the caller's transaction: Graph took our presence for the agent's user, until {@code until}. */
    public Uni<Void> written(SqlClient tx, Due due, TeamsPresence presence, Instant until, Instant nextDue) {
        return finish(tx, due, "teams_user_id = $4, written_availability = $5, written_activity = $6, "
                + "written_until = $7, settle_until = NULL", nextDue, due.teamsUserId(), presence.availability(),
                presence.activity(), timestamp(until));
    }

    /** In the caller's transaction: our session is cleared; its echo is ours until {@code settleUntil}. */
    public Uni<Void> cleared(SqlClient tx, Due due, Instant settleUntil, Instant nextDue) {
        return finish(tx, due, "written_until = NULL, settle_until = $4", nextDue, timestamp(settleUntil));
    }

    /** Nothing to do for the agent; looked at again at {@code nextDue} (null: when asked). */
    public Uni<Void> settled(Due due, Instant nextDue) {
        return pool.withTransaction(tx -> finish(tx, due, null, nextDue));
    }

    /**
     * In the caller's transaction: Graph refused for lack of {@link #PERMISSION}. The connector writes no more
     * until a new admin consent; a session we had is left to expire (it cannot be cleared either).
     */
    public Uni<Void> refused(SqlClient tx, Due due) {
        return tx.preparedQuery("INSERT INTO write_back_refusals (org_id, permission, refused_at) "
                        + "VALUES ($1, $2, now()) ON CONFLICT (org_id) DO NOTHING")
                .execute(Tuple.of(due.orgId(), PERMISSION))
                .flatMap(ignored -> finish(tx, due, "written_until = NULL", null));
    }

    /** Graph failed (unreachable, throttled): the agent is looked at again after {@code pause}. */
    public Uni<Void> retryLater(Due due, Duration pause) {
        return pool.preparedQuery("UPDATE write_back_sessions SET lease_until = now() + make_interval(secs => $3), "
                        + "updated_at = now() WHERE org_id = $1 AND agent_id = $2")
                .execute(Tuple.of(due.orgId(), due.agentId(), (double) pause.toMillis() / 1000))
                .replaceWithVoid();
    }

    /**
     * Releases the claim with {@code set} applied ($4.. are {@code values}); the agent is due next at
     * {@code nextDue}, unless someone asked for a look since the claim: then it stays due now.
     */
    private Uni<Void> finish(SqlClient tx, Due due, String set, Instant nextDue, Object... values) {
        List<Object> params = new ArrayList<>(List.of(due.orgId(), due.agentId(), due.dueSeq()));
        params.addAll(java.util.Arrays.asList(values));
        params.add(timestamp(nextDue));
        int next = params.size();
        return tx.preparedQuery("UPDATE write_back_sessions SET " + (set == null ? "" : set + ", ")
                        + "due_at = CASE WHEN due_seq = $3 THEN $" + next + "::timestamptz ELSE due_at END, "
                        + "lease_until = NULL, updated_at = now() WHERE org_id = $1 AND agent_id = $2")
                .execute(Tuple.from(params))
                .replaceWithVoid();
    }

    /** The permissions Graph refused the connector's writes for, since its latest admin consent. */
    public Uni<List<String>> missingPermissions(String orgId) {
        return pool.preparedQuery("SELECT permission FROM write_back_refusals WHERE org_id = $1")
                .execute(Tuple.of(orgId))
                .map(rows -> {
                    List<String> out = new ArrayList<>();
                    rows.forEach(r -> out.add(r.getString("permission")));
                    return out;
                });
    }

    /**
     * A new admin consent was proven: refusals are forgotten, and the agents that should show in Teams are looked
     * at again. Answers whether the connector had a refusal.
     */
    public Uni<Boolean> permissionGranted(String orgId) {
        return pool.preparedQuery("DELETE FROM write_back_refusals WHERE org_id = $1")
                .execute(Tuple.of(orgId))
                .flatMap(rows -> rows.rowCount() == 0 ? Uni.createFrom().item(false)
                        : markConnectorDue(orgId).replaceWith(true));
    }

    /**
     * In the caller's transaction: the sessions (active or settling) of these agents, for the loop guard. Agents
     * without one are absent.
     */
    public Uni<Map<String, WriteBackSession>> sessions(SqlClient tx, String orgId, Collection<String> agentIds) {
        return tx.preparedQuery("SELECT s.agent_id, " + SESSION_COLUMNS + " FROM write_back_sessions s "
                        + "WHERE s.org_id = $1 AND s.agent_id = ANY($2) AND s.written_activity IS NOT NULL "
                        + "AND (s.written_until IS NOT NULL OR s.settle_until > now())")
                .execute(Tuple.of(orgId, agentIds.toArray(new String[0])))
                .map(rows -> {
                    Map<String, WriteBackSession> out = new HashMap<>();
                    rows.forEach(r -> out.put(r.getString("agent_id"), session(r)));
                    return out;
                });
    }

    /** In the caller's transaction: a reading without our activity ended these agents' settle windows. */
    public Uni<Void> endSettle(SqlClient tx, String orgId, Collection<String> agentIds) {
        if (agentIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery("UPDATE write_back_sessions SET settle_until = NULL, updated_at = now() "
                        + "WHERE org_id = $1 AND agent_id = ANY($2) AND written_until IS NULL")
                .execute(Tuple.of(orgId, agentIds.toArray(new String[0])))
                .replaceWithVoid();
    }

    private static WriteBackSession session(Row r) {
        String availability = r.getString("written_availability");
        String activity = r.getString("written_activity");
        return new WriteBackSession(r.getString("teams_user_id"),
                availability == null && activity == null ? null : new TeamsPresence(availability, activity),
                instant(r, "written_until"), instant(r, "settle_until"));
    }
}
