package io.teamsconnector.sync;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.teamsconnector.config.ConnectorConfig;
import io.teamsconnector.domain.DecisionReason;
import io.teamsconnector.domain.TeamsPresence;
import io.teamsconnector.domain.WriteBackSession;
import io.teamsconnector.graph.GraphException;
import io.teamsconnector.graph.GraphGateway;
import io.teamsconnector.store.AgentRepository;
import io.teamsconnector.store.DecisionRepository;
import io.teamsconnector.store.DecisionRow;
import io.teamsconnector.store.ReactiveBridge;
import io.teamsconnector.store.WriteBackRepository;
import io.teamsconnector.store.WriteBackRepository.Due;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Contact center to Teams: the agents the agent-event side marked (a state change), the sessions due for renewal
 * and the sessions a switch no longer allows are claimed, {@link WriteBackRule} says what to do, Graph is called
 * on this worker thread, and then what was done is stored with its decision, in one transaction. Blocking.
 */
@ApplicationScoped
public class TeamsWriteBack {

    private static final Logger LOG = Logger.getLogger(TeamsWriteBack.class);

    static final int BATCH = 100;
    /** How long one instance holds an agent it looks at. */
    static final Duration LEASE = Duration.ofSeconds(30);
    /** After Graph failed (unreachable, throttled), the agent is looked at again this much later. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(30);

    private final WriteBackRepository writeBacks;
    private final DecisionRepository decisions;
    private final GraphGateway graph;
    private final Pool pool;
    private final ReactiveBridge bridge;
    private final SyncWorkers workers;
    private final MeterRegistry meters;
    private final Duration settle;

    public TeamsWriteBack(WriteBackRepository writeBacks, DecisionRepository decisions, GraphGateway graph, Pool pool,
                          ReactiveBridge bridge, SyncWorkers workers, MeterRegistry meters, ConnectorConfig config) {
        this.writeBacks = writeBacks;
        this.decisions = decisions;
        this.graph = graph;
        this.pool = pool;
        this.bridge = bridge;
        this.workers = workers;
        this.meters = meters;
        this.settle = config.writeBackSettle();
    }

    /** Agents were marked by an agent event: look at them on a worker; returns at once. */
    public void soon() {
        workers.execute("Teams write-back", this::runDue);
    }

    /** A connector's switches changed: its agents with a session, or on a contact, are looked at on a worker. */
    public void settingsChanged(String orgId) {
        workers.execute("Teams write-back after a switch of connector " + orgId, () -> {
            bridge.await(() -> writeBacks.markConnectorDue(orgId));
            runDue();
        });
    }

    /** Every agent due now; answers how many had Graph called for them. */
    public int runDue() {
        int called = 0;
        while (true) {
            List<Due> due = bridge.await(() -> writeBacks.claimDue(BATCH, LEASE));
            for (Due agent : due) {
                called += handle(agent) ? 1 : 0;
            }
            if (due.size() < BATCH) {
                return called;
            }
        }
    }

    private boolean handle(Due due) {
        Instant now = AgentRepository.now();
        WriteBackRule.Settings settings = new WriteBackRule.Settings(due.status(), due.teamsWriteBack(),
                due.writeBackMapping());
        Optional<TeamsPresence> wanted = WriteBackRule.wanted(settings, due.desktop().state(), due.channel());
        WriteBackRule.Action action = WriteBackRule.next(wanted, due.session(), due.teamsUserId(), now);
        switch (action.kind()) {
            case WRITE -> {
                if (due.refused() || due.tenantId() == null) {
                    // the switch stays on without writing until a new admin consent
                    bridge.await(() -> writeBacks.settled(due, null));
                    return false;
                }
                write(due, action.presence(), now);
                return true;
            }
            case CLEAR -> {
                clear(due, action.presence(), wanted.isPresent(), now);
                return true;
            }
            default -> {
                WriteBackSession session = due.session();
                bridge.await(() -> writeBacks.settled(due, session != null && session.active(now)
                        ? WriteBackRule.renewAt(session.writtenUntil()) : null));
                return false;
            }
        }
    }

    private void write(Due due, TeamsPresence presence, Instant now) {
        WriteBackSession session = due.session();
        boolean renewal = session != null && session.active(now) && presence.equals(session.written());
        try {
            graph.setPresence(due.tenantId(), due.teamsUserId(), presence, WriteBackRule.EXPIRY);
        } catch (GraphException e) {
            failed(due, presence, e);
            return;
        }
        Instant until = now.plus(WriteBackRule.EXPIRY);
        store(due, presence, DecisionReason.WROTE_TEAMS_PRESENCE,
                tx -> writeBacks.written(tx, due, presence, until, WriteBackRule.renewAt(until)));
        count(renewal ? "renewed" : "written");
    }

    private void clear(Due due, TeamsPresence cleared, boolean writeAfter, Instant now) {
        try {
            graph.clearPresence(due.tenantId(), due.session().teamsUserId());
        } catch (GraphException e) {
            failed(due, cleared, e);
            return;
        }
        // a session on the agent's previous Teams user is cleared first; the new one is written right after
        store(due, cleared, DecisionReason.CLEARED_TEAMS_PRESENCE,
                tx -> writeBacks.cleared(tx, due, now.plus(settle), writeAfter ? now : null));
        count("cleared");
    }

    /** A 403 is the missing permission: refused until a new consent. Anything else is tried again later. */
    private void failed(Due due, TeamsPresence presence, GraphException e) {
        if (e.kind() == GraphException.Kind.UNAUTHORIZED && e.status() == 403) {
            LOG.warnf("Graph refused to write Teams presence for connector %s (403): its admin consent lacks %s. "
                    + "Write-back waits for a new admin consent (Authorize again).", due.orgId(),
                    WriteBackRepository.PERMISSION);
            store(due, presence, DecisionReason.WRITE_BACK_REFUSED, tx -> writeBacks.refused(tx, due));
            count("refused");
            return;
        }
        LOG.debugf("Teams write-back for agent %s of connector %s failed, retried in %d s: %s", due.agentId(),
                due.orgId(), RETRY_AFTER.toSeconds(), e.getMessage());
        bridge.await(() -> writeBacks.retryLater(due, RETRY_AFTER));
        count("failed");
    }

    /**
     * What was done, and its decision in the agent's log, in one transaction (after the Graph call). The decision
     * first: its row holds the agent's key before the session row is locked, the order in which an agent event
     * takes them (agent, then session), so the two never wait on each other in a circle.
     */
    private void store(Due due, TeamsPresence presence, DecisionReason reason,
                       Function<SqlClient, Uni<Void>> record) {
        DecisionRow decision = new DecisionRow(due.orgId(), due.agentId(), AgentRepository.now(), presence, null,
                due.desktop(), reason, due.desktop());
        bridge.await(() -> pool.withTransaction(tx -> decisions.insert(tx, List.of(decision))
                .flatMap(ignored -> record.apply(tx))));
    }

    private void count(String outcome) {
        meters.counter("teams.write.back", "outcome", outcome).increment();
    }
}
