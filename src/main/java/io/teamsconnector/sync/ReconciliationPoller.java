package io.teamsconnector.sync;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.teamsconnector.config.ConnectorConfig;
import io.teamsconnector.store.AgentRepository;
import io.teamsconnector.store.ReactiveBridge;
import io.teamsconnector.store.SyncConnectorRepository;
import io.teamsconnector.store.SyncConnectorRepository.SyncConnector;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.List;

/**
 * Reconciliation polling (BEHAVIOR.md): every poll interval, each ACTIVE connector with presence sync on
 * has the presence of its signed-in agents read in bulk, and every agent whose presence changed (or whose
 * state made a decision due) evaluated. Always on, with or without subscriptions: it corrects whatever a
 * lost or reordered notification left wrong. Each connector is claimed for one interval, so of several
 * instances exactly one polls it. Blocking.
 */
@ApplicationScoped
public class ReconciliationPoller {

    /** Connectors claimed at a time: small, so several instances share a large set between them. */
    static final int CLAIM = 4;
    /** Agents known by email only, looked up per connector and round. */
    static final int RESOLVE_PER_ROUND = 20;

    private final SyncConnectorRepository connectors;
    private final AgentRepository agents;
    private final PresenceReader reader;
    private final TeamsUserResolver resolver;
    private final ReactiveBridge bridge;
    private final ConnectorConfig config;
    private final MeterRegistry meters;

    public ReconciliationPoller(SyncConnectorRepository connectors, AgentRepository agents, PresenceReader reader,
                                TeamsUserResolver resolver, ReactiveBridge bridge, ConnectorConfig config,
                                MeterRegistry meters) {
        this.connectors = connectors;
        this.agents = agents;
        this.reader = reader;
        this.resolver = resolver;
        this.bridge = bridge;
        this.config = config;
        this.meters = meters;
    }

    /** What one pass did: connectors polled, presences read, decisions recorded. */
    public record Pass(int polled, int presences, int decisions) {
        static final Pass NONE = new Pass(0, 0, 0);

        Pass plus(Pass other) {
            return new Pass(polled + other.polled, presences + other.presences, decisions + other.decisions);
        }
    }

    /** Polls every connector that is due and not claimed by another caller. */
    public Pass pollDue() {
        Pass pass = Pass.NONE;
        while (true) {
            List<SyncConnector> claimed = bridge.await(() -> connectors.claimDue(config.pollInterval(), early(), CLAIM));
            if (claimed.isEmpty()) {
                return pass;
            }
            for (SyncConnector connector : claimed) {
                pass = pass.plus(poll(connector));
            }
        }
    }

    /**
     * Polls start up to one schedule tick before they are due, so a change waits at most one interval.
     * Not with intervals this short: a poll claimed early would be due again at once.
     */
    private Duration early() {
        return config.pollInterval().compareTo(SyncSchedule.TICK.multipliedBy(4)) >= 0 ? SyncSchedule.TICK
                : Duration.ZERO;
    }

    private Pass poll(SyncConnector connector) {
        Timer.Sample sample = Timer.start(meters);
        resolver.resolve(connector, bridge.await(() -> agents.awaitingTeamsUser(connector.orgId(), RESOLVE_PER_ROUND)));
        List<String> teamsUsers = bridge.await(() -> agents.trackedTeamsUsers(connector.orgId()));
        PresenceReader.Read read = reader.read(connector, teamsUsers, "poll");
        sample.stop(Timer.builder("sync.poll.duration")
                .description("One reconciliation round of one connector")
                .tag("outcome", read.complete() ? "complete" : "partial")
                .register(meters));
        return new Pass(1, read.presences(), read.applied().decisions());
    }
}
