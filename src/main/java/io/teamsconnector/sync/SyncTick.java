package io.teamsconnector.sync;

import io.teamsconnector.config.ConnectorConfig;
import io.teamsconnector.contactcenter.webex.WebexSubscriptions;
import io.teamsconnector.contactcenter.OutboxDelivery;
import io.teamsconnector.store.DecisionRepository;
import io.teamsconnector.store.InboxRepository;
import io.teamsconnector.store.JobLeaseRepository;
import io.teamsconnector.store.OutboxRepository;
import io.teamsconnector.store.PresenceBudgetRepository;
import io.teamsconnector.store.ReactiveBridge;
import io.teamsconnector.store.WebexDeliveryRepository;
import io.teamsconnector.store.SyncConnectorRepository;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;

/**
 * One maintenance pass, the same whether the in-process schedule or {@code POST /sync-tick} runs it:
 * stored change notifications, subscription checks (renewal, coverage), reconciliation polling of the
 * connectors that are due, agents back to Available after a switch, Teams presence written
 * for agents on a contact (write-back: writes, renewals, clears), delivery of due state changes, directory rounds for expert lookup, and, once
 * an hour across all instances, retention clean-up (old decisions, deliveries, notifications and presence
 * budget slices). Safe to run concurrently: every piece is claimed.
 */
@ApplicationScoped
public class SyncTick {

    static final Duration CLEAN_UP_PERIOD = Duration.ofHours(1);
    /** Delivered and superseded state changes are kept this long, for the record. */
    static final Duration FINISHED_DELIVERY_RETENTION = Duration.ofDays(7);
    /** Processed notifications are kept this long, to look into what Graph sent. */
    static final Duration PROCESSED_NOTIFICATION_RETENTION = Duration.ofDays(1);
    /** Slices of Graph's presence budget are kept this long; only the last 31 s count. */
    static final Duration PRESENCE_BUDGET_RETENTION = Duration.ofMinutes(5);
    /** Webex deliveries are kept this long: Webex repeats a delivery within hours, never days. */
    static final Duration WEBEX_DELIVERY_RETENTION = Duration.ofDays(2);

    private final ReconciliationPoller poller;
    private final InboxProcessor inboxProcessor;
    private final PresenceSubscriptions subscriptions;
    private final InboxRepository inbox;
    private final DirectorySync directory;
    private final OutboxDelivery delivery;
    private final SyncConnectorRepository connectors;
    private final DecisionRepository decisions;
    private final OutboxRepository outbox;
    private final JobLeaseRepository leases;
    private final PresenceBudgetRepository presenceBudget;
    private final ReactiveBridge bridge;
    private final ConnectorConfig config;
    private final SyncOffRestorer restorer;
    private final WebexSubscriptions webex;
    private final WebexDeliveryRepository webexDeliveries;
    private final TeamsWriteBack writeBack;

    public SyncTick(ReconciliationPoller poller, InboxProcessor inboxProcessor, PresenceSubscriptions subscriptions,
                    InboxRepository inbox, DirectorySync directory, OutboxDelivery delivery,
                    SyncConnectorRepository connectors, DecisionRepository decisions, OutboxRepository outbox, JobLeaseRepository leases,
                    PresenceBudgetRepository presenceBudget, ReactiveBridge bridge, ConnectorConfig config,
                    SyncOffRestorer restorer, WebexSubscriptions webex, WebexDeliveryRepository webexDeliveries,
                    TeamsWriteBack writeBack) {
        this.poller = poller;
        this.inboxProcessor = inboxProcessor;
        this.subscriptions = subscriptions;
        this.inbox = inbox;
        this.directory = directory;
        this.delivery = delivery;
        this.connectors = connectors;
        this.decisions = decisions;
        this.outbox = outbox;
        this.leases = leases;
        this.presenceBudget = presenceBudget;
        this.bridge = bridge;
        this.config = config;
        this.restorer = restorer;
        this.webex = webex;
        this.webexDeliveries = webexDeliveries;
        this.writeBack = writeBack;
    }

    /**
     * Answer of {@code POST /sync-tick}: active connectors, connectors polled by this pass, presences read,
     * decisions recorded, state changes delivered, subscriptions renewed and created.
     */
    public record Result(int connectors, int polled, int presencesRead, int decisions, int delivered,
                         int subscriptionsRenewed, int subscriptionsCreated, int notificationsProcessed,
                         int directoryUsersSynced) {
    }

    /** The full pass of {@code POST /sync-tick}. */
    public Result run() {
        restorer.sweep();
        Work work = work();
        DirectorySync.Synced synced = directory.syncDue();
        housekeeping();
        int active = bridge.await(connectors::countActive);
        return new Result(active, work.pass().polled(), work.pass().presences(),
                work.pass().decisions() + work.notifications().decisions(), work.delivered(),
                work.upkeep().renewed(), work.upkeep().created(), work.notifications().notifications(),
                synced.users() + synced.removed());
    }

    /**
     * What is due now: stored notifications, subscription checks, polling and delivery. The in-process
     * schedule runs this several times a second.
     */
    Work work() {
        InboxProcessor.Processed notifications = inboxProcessor.processPending();
        PresenceSubscriptions.Upkeep upkeep = subscriptions.checkDue();
        ReconciliationPoller.Pass pass = poller.pollDue();
        restorer.sweepDue();
        writeBack.runDue();
        int delivered = delivery.deliverDue();
        return new Work(pass, notifications, upkeep, delivered);
    }

    /** Directory rounds that are due (expert lookup's mirror); long ones, so the schedule runs them apart. */
    void directory() {
        directory.syncDue();
    }

    /**
     * The check of the connectors' Webex subscriptions (once per check interval across all instances): one
     * Webex lost is registered again, an inactive one is shown on the connector.
     */
    void webexSubscriptions() {
        if (bridge.await(() -> leases.claim("webex-subscription-check", config.subscriptionCheckInterval()))) {
            webex.check();
        }
    }

    /** Retention clean-up (once an hour across all instances), the Webex subscription check and the outbox gauges. */
    void housekeeping() {
        webexSubscriptions();
        if (bridge.await(() -> leases.claim("retention-clean-up", CLEAN_UP_PERIOD))) {
            bridge.await(() -> decisions.deleteOlderThan(config.decisionRetention()));
            bridge.await(() -> outbox.deleteFinishedOlderThan(FINISHED_DELIVERY_RETENTION));
            bridge.await(() -> inbox.deleteProcessedOlderThan(PROCESSED_NOTIFICATION_RETENTION));
            bridge.await(() -> presenceBudget.deleteOlderThan(Instant.now().minus(PRESENCE_BUDGET_RETENTION)));
            bridge.await(() -> webexDeliveries.deleteOlderThan(WEBEX_DELIVERY_RETENTION));
        }
        delivery.refreshGauges();
    }

    /** What one run of the due work did. */
    record Work(ReconciliationPoller.Pass pass, InboxProcessor.Processed notifications,
                PresenceSubscriptions.Upkeep upkeep, int delivered) {
    }
}
