package io.teamsconnector.sync;

import io.teamsconnector.store.AgentRepository;
import io.teamsconnector.store.ReactiveBridge;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * No agent stays Idle because of a switch: when presence sync stops applying to agents it made Idle (sync turned
 * off, a profile's Teams integration turned off, the connector deactivated), they go back to Available. The admin
 * side signals the switch ({@code SETTINGS}) and the connector's agents are restored at once; a sweep every few
 * seconds catches a signal that was lost.
 */
@ApplicationScoped
public class SyncOffRestorer {

    static final int BATCH = 500;
    static final Duration SWEEP_INTERVAL = Duration.ofSeconds(5);

    private final AgentRepository agents;
    private final PresenceSyncService engine;
    private final ReactiveBridge bridge;
    private final SyncWorkers workers;
    private final DeliveryTrigger delivery;
    private final AtomicReference<Instant> nextSweep = new AtomicReference<>(Instant.MIN);

    public SyncOffRestorer(AgentRepository agents, PresenceSyncService engine, ReactiveBridge bridge,
                           SyncWorkers workers, DeliveryTrigger delivery) {
        this.agents = agents;
        this.engine = engine;
        this.bridge = bridge;
        this.workers = workers;
        this.delivery = delivery;
    }

    /** A switch of this connector changed: restore its agents on a worker; returns at once. */
    public void soon(String orgId) {
        workers.execute("Agents back to Available after a switch of connector " + orgId, () -> restore(orgId));
    }

    /** All connectors, when the last sweep of this instance is a few seconds old; the agents restored. */
    public int sweepDue() {
        Instant now = Instant.now();
        Instant due = nextSweep.get();
        if (now.isBefore(due) || !nextSweep.compareAndSet(due, now.plus(SWEEP_INTERVAL))) {
            return 0;
        }
        return restore(null);
    }

    /** All connectors, now ({@code POST /sync-tick}); the agents restored. */
    public int sweep() {
        nextSweep.set(Instant.now().plus(SWEEP_INTERVAL));
        return restore(null);
    }

    private int restore(String orgId) {
        Map<String, List<String>> found = bridge.await(() -> agents.idleBySyncSwitchedOff(orgId, BATCH));
        int restored = 0;
        for (Map.Entry<String, List<String>> connector : found.entrySet()) {
            restored += bridge.await(() -> engine.restoreSwitchedOff(connector.getKey(), connector.getValue())).changes();
        }
        if (restored > 0) {
            delivery.soon();
        }
        return restored;
    }
}
