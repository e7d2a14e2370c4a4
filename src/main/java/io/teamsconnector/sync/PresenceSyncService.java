package io.teamsconnector.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.teamsconnector.contactcenter.OutboxDelivery;
import io.teamsconnector.contactcenter.StateChange;
import io.teamsconnector.domain.DecisionReason;
import io.teamsconnector.domain.TeamsPresence;
import io.teamsconnector.domain.WriteBackSession;
import io.teamsconnector.store.AgentRepository;
import io.teamsconnector.store.AgentRow;
import io.teamsconnector.store.DecisionRepository;
import io.teamsconnector.store.DecisionRow;
import io.teamsconnector.store.OutboxRepository;
import io.teamsconnector.store.SyncConnectorRepository;
import io.teamsconnector.store.SyncConnectorRepository.SyncConnector;
import io.teamsconnector.store.WriteBackRepository;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The engine's entry for observed Teams presence, whatever brought it (polling, a read at sign-in,
 * notifications). Reactive and free of Graph calls: callers read Graph first, then hand the result
 * here. The agents to evaluate are locked in one transaction, the rule is evaluated on their current
 * state, and decisions, new states and outbound deliveries are stored together.
 */
@ApplicationScoped
public class PresenceSyncService {

    private final Pool pool;
    private final SyncConnectorRepository connectors;
    private final AgentRepository agents;
    private final DecisionRepository decisions;
    private final OutboxRepository outbox;
    private final OutboxDelivery delivery;
    private final ObjectMapper json;
    private final MeterRegistry meters;
    private final WriteBackRepository writeBacks;

    public PresenceSyncService(Pool pool, SyncConnectorRepository connectors, AgentRepository agents,
                               DecisionRepository decisions, OutboxRepository outbox, OutboxDelivery delivery,
                               ObjectMapper json, MeterRegistry meters, WriteBackRepository writeBacks) {
        this.pool = pool;
        this.connectors = connectors;
        this.agents = agents;
        this.decisions = decisions;
        this.outbox = outbox;
        this.delivery = delivery;
        this.json = json;
        this.meters = meters;
        this.writeBacks = writeBacks;
    }

    /** What one call recorded: decisions, state changes applied, and changes queued for the contact center. */
    public record Applied(int decisions, int changes, int queued) {
        public static final Applied NONE = new Applied(0, 0, 0);

        public Applied plus(Applied other) {
            return new Applied(decisions + other.decisions, changes + other.changes, queued + other.queued);
        }
    }

    /** A presence as observed, and when the read (or notification) that brought it started. */
    public record Observed(TeamsPresence presence, Instant readAt) {
    }

    /**
     * Evaluates the sync rule for every signed-in agent of the connector whose Teams user id is a key of
     * {@code presenceByTeamsUserId}, if its presence changed, its state made a decision due, or the
     * connector's settings (mapping, toggles, profiles) changed since its last evaluation. A read that
     * started before the stored presence was observed is stale and ignored.
     *
     * @param readAt when the read that produced these presences started
     */
    public Uni<Applied> applyPresences(String orgId, Map<String, TeamsPresence> presenceByTeamsUserId,
                                       Instant readAt) {
        Map<String, Observed> observed = new HashMap<>(presenceByTeamsUserId.size() * 2);
        presenceByTeamsUserId.forEach((user, presence) -> observed.put(user, new Observed(presence, readAt)));
        return applyObserved(orgId, observed, null);
    }

    /**
     * {@link #applyPresences} with a read time per user, and {@code alsoInTransaction} (may be null) run in
     * the same transaction as the decisions: what it records commits with them or not at all.
     */
    public Uni<Applied> applyObserved(String orgId, Map<String, Observed> observed,
                                      Function<SqlClient, Uni<Void>> alsoInTransaction) {
        if (observed.isEmpty() && alsoInTransaction == null) {
            return Uni.createFrom().item(Applied.NONE);
        }
        // most reads change nothing: find the agents to evaluate without locks, then lock only those
        return connectors.find(orgId).flatMap(found -> found.isEmpty() || observed.isEmpty()
                ? evaluateLocked(orgId, List.of(), alsoInTransaction, (batch, row) -> { })
                : agents.signedInByTeamsUsers(orgId, observed.keySet()).flatMap(rows -> {
                    List<String> candidates = rows.stream()
                            .filter(row -> due(row, observed, found.get()))
                            .map(AgentRow::agentId)
                            .toList();
                    return evaluateLocked(orgId, candidates, alsoInTransaction, (batch, row) -> {
                        // checked again on the locked row: an event may have come in between
                        if (due(row, observed, batch.connector)) {
                            Observed seen = observed.get(row.teamsUserId());
                            batch.evaluate(row, seen.presence(),
                                    seen.presence().equals(row.presence()) ? row.presenceObservedAt() : seen.readAt());
                        }
                    });
                }));
    }

    /**
     * Whether the observed presence is to be evaluated for the agent: the read is not older than the stored
     * presence, and the presence changed, the agent's state made a decision due, or the settings changed.
     */
    private static boolean due(AgentRow row, Map<String, Observed> observed, SyncConnector connector) {
        Observed seen = observed.get(row.teamsUserId());
        if (seen == null || (row.presenceObservedAt() != null && seen.readAt().isBefore(row.presenceObservedAt()))) {
            return false;
        }
        return !seen.presence().equals(row.presence()) || row.evaluationDue()
                || !connector.settingsStamp().equals(row.evaluatedStamp());
    }

    /**
     * Records a decision for each of these agents whose evaluation is due but to whom presence sync does
     * not apply (connector not active, sync off, profile disabled), without reading Graph: the decision
     * says why, with the last presence known. Agents presence sync does apply to are left for a read.
     */
    public Uni<Applied> recordGated(String orgId, Collection<String> agentIds) {
        return evaluateLocked(orgId, agentIds, null, (batch, row) -> {
            if (row.evaluationDue() && SyncRule.gate(batch.settings(row)).isPresent()) {
                batch.evaluate(row, row.presence(), row.presenceObservedAt());
            }
        });
    }

    /**
     * Back to Available, with the reason {@code RESTORED_SYNC_OFF}, for each of these agents that presence sync
     * made Idle and no longer applies to; checked again on the locked rows, so a change by anyone else since
     * the agents were found is left alone.
     */
    public Uni<Applied> restoreSwitchedOff(String orgId, Collection<String> agentIds) {
        return evaluateLocked(orgId, agentIds, null, (batch, row) -> {
            if (SyncRule.madeIdleBySync(row.desktop()) && SyncRule.gate(batch.settings(row)).isPresent()) {
                batch.evaluate(row, row.presence(), row.presenceObservedAt());
            }
        });
    }

    /**
     * One transaction: locks the signed-in agents among {@code agentIds}, lets {@code evaluation} evaluate
     * those it should, and stores decisions, new states and queued changes together.
     */
    private Uni<Applied> evaluateLocked(String orgId, Collection<String> agentIds,
                                        Function<SqlClient, Uni<Void>> alsoInTransaction,
                                        BiConsumer<Batch, AgentRow> evaluation) {
        if (agentIds.isEmpty() && alsoInTransaction == null) {
            return Uni.createFrom().item(Applied.NONE);
        }
        Function<SqlClient, Uni<Void>> also = alsoInTransaction != null ? alsoInTransaction
                : tx -> Uni.createFrom().voidItem();
        return pool.withTransaction(tx -> (agentIds.isEmpty() ? Uni.createFrom().item(Stored.NONE)
                        : connectors.findKept(tx, orgId).flatMap(connector -> connector.isEmpty()
                                ? Uni.createFrom().item(Stored.NONE)
                                : agents.lockSignedIn(tx, orgId, agentIds).flatMap(rows -> rows.isEmpty()
                                        ? Uni.createFrom().item(Stored.NONE)
                                        : writeBacks.sessions(tx, orgId, agentIds).flatMap(sessions -> {
                                            Batch batch = new Batch(connector.get(), sessions);
                                            rows.forEach(row -> evaluation.accept(batch, row));
                                            return batch.store(tx);
                                        }))))
                        .flatMap(stored -> also.apply(tx).replaceWith(stored)))
                .map(this::counted);
    }

    /** Counts decisions by reason once their transaction committed. */
    private Applied counted(Stored stored) {
        stored.reasons().forEach(reason -> meters.counter("sync.decisions", "reason", reason.name()).increment());
        return stored.applied();
    }

    /** What a committed batch stored. */
    private record Stored(Applied applied, List<DecisionReason> reasons) {
        static final Stored NONE = new Stored(Applied.NONE, List.of());
    }

    /** Decisions, agent updates and queued changes of one transaction. */
    private final class Batch {
        private final SyncConnector connector;
        private final Instant now = AgentRepository.now();
        private final List<AgentRow> updated = new ArrayList<>();
        private final List<DecisionRow> recorded = new ArrayList<>();
        private final List<OutboxRepository.NewItem> queued = new ArrayList<>();
        private final List<DecisionReason> reasons = new ArrayList<>();
        /** Our write-back sessions (active or settling) of the batch's agents: the loop guard's knowledge. */
        private final Map<String, WriteBackSession> sessions;
        private final List<String> settled = new ArrayList<>();
        private int changes;

        Batch(SyncConnector connector, Map<String, WriteBackSession> sessions) {
            this.connector = connector;
            this.sessions = sessions;
        }

        SyncRule.Settings settings(AgentRow row) {
            return new SyncRule.Settings(connector.status(), connector.presenceSync(), row.profileEnabled(),
                    connector.stateMapping());
        }

        void evaluate(AgentRow row, TeamsPresence presence, Instant observedAt) {
            SyncRule.Settings settings = settings(row);
            WriteBackSession session = sessions.get(row.agentId());
            // the loop guard: what we wrote to Teams coming back is never mapped
            boolean ownEcho = SyncRule.gate(settings).isEmpty() && WriteBackRule.ownEcho(session, presence, now);
            SyncRule.Decision decision = ownEcho
                    ? new SyncRule.Decision(DecisionReason.SKIPPED_OWN_WRITE_BACK, row.desktop(), row.desktop())
                    : SyncRule.decide(settings, row.desktop(), presence);
            if (WriteBackRule.endsSettle(session, presence, now)) {
                settled.add(row.agentId());
            }
            recorded.add(new DecisionRow(row.orgId(), row.agentId(), now, presence, observedAt, decision.before(),
                    decision.reason(), decision.after()));
            reasons.add(decision.reason());
            AgentRow next = row.evaluated(presence, observedAt, connector.settingsStamp(), now);
            if (decision.applied()) {
                changes++;
                next = next.changedTo(decision.after(), now);
                if (delivery.enabled()) {
                    queued.add(new OutboxRepository.NewItem(UUID.randomUUID(), row.orgId(), row.agentId(),
                            next.version(), payload(new StateChange(row.orgId(), row.agentId(), next.state(),
                            next.idleCode(), decision.reason(), presence, now))));
                }
            }
            updated.add(next);
        }

        Uni<Stored> store(SqlClient tx) {
            Stored stored = new Stored(new Applied(recorded.size(), changes, queued.size()), reasons);
            return agents.saveEvaluated(tx, updated)
                    .flatMap(ignored -> decisions.insert(tx, recorded))
                    .flatMap(ignored -> writeBacks.endSettle(tx, connector.orgId(), settled))
                    .flatMap(ignored -> outbox.insert(tx, queued))
                    .replaceWith(stored);
        }
    }

    private String payload(StateChange change) {
        try {
            return json.writeValueAsString(change);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("state change not serializable", e);
        }
    }
}
