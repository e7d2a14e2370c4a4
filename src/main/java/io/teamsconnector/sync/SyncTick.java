package io.teamsconnector.sync;

import io.teamsconnector.config.ConnectorConfig;
import io.teamsconnector.contactcenter.OutboxDelivery;
import io.teamsconnector.store.DecisionRepository;
import io.teamsconnector.store.JobLeaseRepository;
import io.teamsconnector.store.OutboxRepository;
import io.teamsconnector.store.ReactiveBridge;
import io.teamsconnector.store.SyncConnectorRepository;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;

/**
 * One maintenance pass, the same whether the in-process schedule or {@code POST /sync-tick} runs it:
 * reconciliation polling of the connectors that are due, delivery of due state changes, and, once an
 * hour across all instances, retention clean-up. Safe to run concurrently: every piece is claimed.
 */
@ApplicationScoped
public class SyncTick {

    static final Duration CLEAN_UP_PERIOD = Duration.ofHours(1);
    /** Delivered and superseded state changes are kept this long, for the record. */
    static final Duration FINISHED_DELIVERY_RETENTION = Duration.ofDays(7);

    private final ReconciliationPoller poller;
    private final OutboxDelivery delivery;
    private final SyncConnectorRepository connectors;
    private final DecisionRepository decisions;
    private final OutboxRepository outbox;
    private final JobLeaseRepository leases;
    private final ReactiveBridge bridge;
    private final ConnectorConfig config;

    public SyncTick(ReconciliationPoller poller, OutboxDelivery delivery, SyncConnectorRepository connectors,
                    DecisionRepository decisions, OutboxRepository outbox, JobLeaseRepository leases,
                    ReactiveBridge bridge, ConnectorConfig config) {
        this.poller = poller;
        this.delivery = delivery;
        this.connectors = connectors;
        this.decisions = decisions;
        this.outbox = outbox;
        this.leases = leases;
        this.bridge = bridge;
        this.config = config;
    }

    /**
     * Answer of {@code POST /sync-tick}: active connectors, connectors polled by this pass, presences read,
     * decisions recorded, state changes delivered, subscriptions renewed and created.
     */
    public record Result(int connectors, int polled, int presencesRead, int decisions, int delivered,
                         int subscriptionsRenewed, int subscriptionsCreated) {
    }

    /** The full pass of {@code POST /sync-tick}. */
    public Result run() {
        Work work = work();
        housekeeping();
        int active = bridge.await(connectors::countActive);
        return new Result(active, work.pass().polled(), work.pass().presences(), work.pass().decisions(),
                work.delivered(), 0, 0);
    }

    /** What is due now: polling and delivery. The in-process schedule runs this several times a second. */
    Work work() {
        ReconciliationPoller.Pass pass = poller.pollDue();
        int delivered = delivery.deliverDue();
        return new Work(pass, delivered);
    }

    /** Retention clean-up (once an hour across all instances) and the outbox gauges. */
    void housekeeping() {
        if (bridge.await(() -> leases.claim("retention-clean-up", CLEAN_UP_PERIOD))) {
            bridge.await(() -> decisions.deleteOlderThan(config.decisionRetention()));
            bridge.await(() -> outbox.deleteFinishedOlderThan(FINISHED_DELIVERY_RETENTION));
        }
        delivery.refreshGauges();
    }

    /** What one run of the due work did. */
    record Work(ReconciliationPoller.Pass pass, int delivered) {
    }
}
