package io.teamsconnector.sync;

import io.micrometer.core.instrument.MeterRegistry;
import io.teamsconnector.config.ConnectorConfig;
import io.teamsconnector.domain.TeamsPresence;
import io.teamsconnector.graph.GraphException;
import io.teamsconnector.graph.GraphGateway;
import io.teamsconnector.graph.RecentPresence;
import io.teamsconnector.graph.SdkGraphGateway;
import io.teamsconnector.store.ReactiveBridge;
import io.teamsconnector.store.SyncConnectorRepository.SyncConnector;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * Reads the presence of a connector's Teams users in batches of at most 650 ids and hands each batch
 * to the engine: call Graph, then persist, batch by batch. A Graph failure ends the read; what was not
 * read is read at the next round. Blocking.
 */
@ApplicationScoped
public class PresenceReader {

    private static final Logger LOG = Logger.getLogger(PresenceReader.class);

    private final GraphGateway graph;
    private final PresenceSyncService engine;
    private final ReactiveBridge bridge;
    private final DeliveryTrigger delivery;
    private final MeterRegistry meters;
    private final RecentPresence recent;
    private final ConnectorConfig config;

    public PresenceReader(GraphGateway graph, PresenceSyncService engine, ReactiveBridge bridge,
                          DeliveryTrigger delivery, MeterRegistry meters, RecentPresence recent, ConnectorConfig config) {
        this.graph = graph;
        this.engine = engine;
        this.bridge = bridge;
        this.delivery = delivery;
        this.meters = meters;
        this.recent = recent;
        this.config = config;
    }

    /** What one read did; {@code complete} is false when Graph failed before the last batch. */
    public record Read(int batches, int presences, PresenceSyncService.Applied applied, boolean complete) {
    }

    /** @param trigger {@code poll} or {@code sign-in}, for the metrics */
    public Read read(SyncConnector connector, List<String> teamsUserIds, String trigger) {
        int batches = 0;
        int presences = 0;
        PresenceSyncService.Applied applied = PresenceSyncService.Applied.NONE;
        for (int from = 0; from < teamsUserIds.size(); from += SdkGraphGateway.MAX_PRESENCE_IDS) {
            List<String> batch = teamsUserIds.subList(from,
                    Math.min(teamsUserIds.size(), from + SdkGraphGateway.MAX_PRESENCE_IDS));
            Instant readAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
            Map<String, TeamsPresence> read;
            try {
                read = graph.presencesByUserId(connector.tenantId(), batch);
            } catch (GraphException e) {
                meters.counter("sync.poll.batches", "trigger", trigger, "outcome", e.kind().name().toLowerCase())
                        .increment();
                LOG.infof("Presence read for connector %s stopped after %d of %d users: %s", connector.orgId(),
                        from, teamsUserIds.size(), e.getMessage());
                return new Read(batches, presences, applied, false);
            }
            meters.counter("sync.poll.batches", "trigger", trigger, "outcome", "ok").increment();
            // read again within two intervals while the agents stay signed in
            recent.observed(connector.tenantId(), read, config.pollInterval().multipliedBy(2));
            batches++;
            presences += read.size();
            PresenceSyncService.Applied batchApplied = bridge.await(
                    () -> engine.applyPresences(connector.orgId(), read, readAt));
            applied = applied.plus(batchApplied);
            if (batchApplied.queued() > 0) {
                delivery.soon();
            }
        }
        return new Read(batches, presences, applied, true);
    }
}
