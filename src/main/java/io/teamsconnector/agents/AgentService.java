package io.teamsconnector.agents;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.teamsconnector.domain.AgentState;
import io.teamsconnector.domain.DomainException;
import io.teamsconnector.store.AgentRepository;
import io.teamsconnector.store.AgentRow;
import io.teamsconnector.store.DecisionRepository;
import io.teamsconnector.store.OutboxRepository;
import io.teamsconnector.store.SyncConnectorRepository;
import io.teamsconnector.store.WriteBackRepository;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** Applies contact-center agent events to the stored agents, and shows agents and their decisions. */
@ApplicationScoped
public class AgentService {

    /** PostgreSQL's unique_violation: a concurrent event created the agent first. */
    private static final String UNIQUE_VIOLATION = "23505";

    private final Pool pool;
    private final SyncConnectorRepository connectors;
    private final AgentRepository agents;
    private final OutboxRepository outbox;
    private final DecisionRepository decisions;
    private final MeterRegistry meters;
    private final WriteBackRepository writeBacks;

    public AgentService(Pool pool, SyncConnectorRepository connectors, AgentRepository agents, OutboxRepository outbox,
                        DecisionRepository decisions, MeterRegistry meters, WriteBackRepository writeBacks) {
        this.pool = pool;
        this.connectors = connectors;
        this.agents = agents;
        this.outbox = outbox;
        this.decisions = decisions;
        this.meters = meters;
        this.writeBacks = writeBacks;
    }

    /**
     * The agent after the event, whether its presence should be read at once, and whether its Teams presence is to
     * be written (write-back on, and the agent changed): the sync side does it.
     */
    public record Applied(AgentView agent, boolean readPresence, boolean writeBack) {
    }

    /** Applies one event in one transaction, with the agent's row locked. */
    public Uni<Applied> apply(AgentEvent event) {
        return Uni.createFrom().deferred(() -> pool.withTransaction(tx -> connectors.findKept(tx, event.orgId())
                        .map(connector -> connector.orElseThrow(() -> noConnector(event.orgId())))
                        .flatMap(connector -> agents.lock(tx, event.orgId(), event.agentId())
                        .flatMap(current -> outbox.hasPending(tx, event.orgId(), event.agentId())
                                .flatMap(pending -> {
                                    AgentEventRules.Result result = AgentEventRules.apply(current, event, pending,
                                            AgentRepository.now());
                                    AgentRow stored = result.row().orElseGet(current::orElseThrow);
                                    Uni<Void> write = result.row().isEmpty() ? Uni.createFrom().voidItem()
                                            : current.isEmpty() ? agents.insert(tx, stored) : agents.update(tx, stored);
                                    // the agent changed (state, channel, Teams user): the sync side writes Teams
                                    boolean writeBack = connector.teamsWriteBack() && (result.row().isPresent()
                                            || (event.channel() != null && stored.state() == AgentState.ENGAGED));
                                    Uni<Void> mark = !writeBack ? Uni.createFrom().voidItem()
                                            : writeBacks.markDue(tx, event.orgId(), event.agentId(), stored.state(),
                                                    event.channel());
                                    return write.call(() -> mark).replaceWith(result).map(r -> {
                                        meters.counter("agent.events", "outcome", r.outcome().name().toLowerCase())
                                                .increment();
                                        return new Applied(AgentView.of(stored), r.readPresence(), writeBack);
                                    });
                                })))))
                // two first events of one agent at once: the loser reruns and finds the winner's row
                .onFailure(AgentService::isUniqueViolation).retry().atMost(2);
    }

    public Uni<AgentView> agent(String orgId, String agentId) {
        return requireAgent(orgId, agentId).map(AgentView::of);
    }

    /** The agent's newest decisions, newest first. */
    public Uni<List<DecisionView>> decisions(String orgId, String agentId, int limit) {
        return requireAgent(orgId, agentId)
                .flatMap(agent -> decisions.newest(orgId, agentId, limit))
                .map(rows -> rows.stream().map(DecisionView::of).toList());
    }

    /** An agent with its newest decision (null when presence sync never decided about it). */
    public record AgentLine(AgentView agent, DecisionView lastDecision) {
    }

    /** The org's agents, at most {@code limit}, each with its newest decision. */
    public Uni<List<AgentLine>> list(String orgId, int limit) {
        return connectors.find(orgId)
                .map(connector -> connector.orElseThrow(() -> noConnector(orgId)))
                .flatMap(connector -> agents.list(orgId, limit))
                .flatMap(rows -> decisions.latest(orgId, rows.stream().map(AgentRow::agentId).toList())
                        .map(latest -> {
                            java.util.Map<String, DecisionView> byAgent = new java.util.HashMap<>();
                            latest.forEach(d -> byAgent.put(d.agentId(), DecisionView.of(d)));
                            return rows.stream().map(r -> new AgentLine(AgentView.of(r), byAgent.get(r.agentId())))
                                    .toList();
                        }));
    }

    private Uni<AgentRow> requireAgent(String orgId, String agentId) {
        return connectors.find(orgId)
                .map(connector -> connector.orElseThrow(() -> noConnector(orgId)))
                .flatMap(connector -> agents.find(orgId, agentId))
                .map(agent -> agent.orElseThrow(() -> DomainException.notFound(
                        "No agent '" + agentId + "' in organization '" + orgId + "'.")));
    }

    private static DomainException noConnector(String orgId) {
        return DomainException.notFound("No connector for organization '" + orgId + "'.");
    }

    private static boolean isUniqueViolation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())) {
                return true;
            }
        }
        return false;
    }
}
