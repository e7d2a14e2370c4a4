package io.teamsconnector.store;

import io.smallrye.mutiny.Uni;
import io.teamsconnector.domain.AgentState;
import io.teamsconnector.domain.ChangeSource;
import io.teamsconnector.domain.DecisionReason;
import io.teamsconnector.domain.DesktopState;
import io.teamsconnector.domain.TeamsPresence;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import static io.teamsconnector.store.SqlValues.enumValue;
import static io.teamsconnector.store.SqlValues.instant;
import static io.teamsconnector.store.SqlValues.name;
import static io.teamsconnector.store.SqlValues.timestamp;

/** Recorded sync-rule decisions (table {@code decisions}), newest first per agent. */
@ApplicationScoped
public class DecisionRepository {

    private final Pool pool;

    public DecisionRepository(Pool pool) {
        this.pool = pool;
    }

    /** Records decisions in the caller's transaction; one round trip. */
    public Uni<Void> insert(SqlClient tx, List<DecisionRow> decisions) {
        if (decisions.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> batch = new ArrayList<>(decisions.size());
        for (DecisionRow d : decisions) {
            batch.add(Tuple.from(new Object[] {d.orgId(), d.agentId(), timestamp(d.at()),
                d.presence() == null ? null : d.presence().availability(),
                d.presence() == null ? null : d.presence().activity(), timestamp(d.presenceObservedAt()),
                name(d.before().state()), d.before().idleCode(), name(d.before().source()), d.reason().name(),
                name(d.after().state()), d.after().idleCode(), name(d.after().source())}));
        }
        return tx.preparedQuery("INSERT INTO decisions (org_id, agent_id, at, presence_availability, "
                        + "presence_activity, presence_observed_at, before_state, before_idle_code, before_source, "
                        + "reason, after_state, after_idle_code, after_source) "
                        + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)")
                .executeBatch(batch)
                .replaceWithVoid();
    }

    /** Records one decision in a transaction of its own (a decision no state change goes with). */
    public Uni<Void> record(DecisionRow decision) {
        return pool.withTransaction(tx -> insert(tx, List.of(decision)));
    }

    /** The agent's newest decisions, newest first. */
    public Uni<List<DecisionRow>> newest(String orgId, String agentId, int limit) {
        return pool.preparedQuery("SELECT * FROM decisions WHERE org_id = $1 AND agent_id = $2 ORDER BY id DESC LIMIT $3")
                .execute(Tuple.of(orgId, agentId, limit))
                .map(rows -> {
                    List<DecisionRow> out = new ArrayList<>(rows.size());
                    rows.forEach(r -> out.add(row(r)));
                    return out;
                });
    }

    /** The newest decision of each of the agents (those without one are absent). */
    public Uni<List<DecisionRow>> latest(String orgId, Collection<String> agentIds) {
        return pool.preparedQuery("SELECT DISTINCT ON (agent_id) * FROM decisions WHERE org_id = $1 "
                        + "AND agent_id = ANY($2) ORDER BY agent_id, id DESC")
                .execute(Tuple.of(orgId, agentIds.toArray(new String[0])))
                .map(rows -> {
                    List<DecisionRow> out = new ArrayList<>(rows.size());
                    rows.forEach(r -> out.add(row(r)));
                    return out;
                });
    }

    /** Forgets decisions older than {@code retention}; answers how many. */
    public Uni<Integer> deleteOlderThan(Duration retention) {
        return pool.preparedQuery("DELETE FROM decisions WHERE at < now() - make_interval(secs => $1)")
                .execute(Tuple.of((double) retention.toSeconds()))
                .map(rows -> rows.rowCount());
    }

    private static DecisionRow row(Row r) {
        String availability = r.getString("presence_availability");
        String activity = r.getString("presence_activity");
        TeamsPresence presence = availability == null && activity == null ? null
                : new TeamsPresence(availability, activity);
        return new DecisionRow(r.getString("org_id"), r.getString("agent_id"), instant(r, "at"), presence,
                instant(r, "presence_observed_at"),
                new DesktopState(enumValue(AgentState.class, r.getString("before_state")),
                        r.getString("before_idle_code"), enumValue(ChangeSource.class, r.getString("before_source"))),
                enumValue(DecisionReason.class, r.getString("reason")),
                new DesktopState(enumValue(AgentState.class, r.getString("after_state")),
                        r.getString("after_idle_code"), enumValue(ChangeSource.class, r.getString("after_source"))));
    }
}
