package io.teamsconnector.sync;

import io.micrometer.core.instrument.MeterRegistry;
import io.teamsconnector.config.ConnectorConfig;
import io.teamsconnector.domain.ConnectorStatus;
import io.teamsconnector.domain.TeamsPresence;
import io.teamsconnector.graph.GraphException;
import io.teamsconnector.graph.GraphGateway;
import io.teamsconnector.graph.RecentPresence;
import io.teamsconnector.graph.SdkGraphGateway;
import io.teamsconnector.store.InboxRepository;
import io.teamsconnector.store.InboxRepository.PendingNotification;
import io.teamsconnector.store.ReactiveBridge;
import io.teamsconnector.store.SyncConnectorRepository;
import io.teamsconnector.store.SyncConnectorRepository.SyncConnector;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Processes stored change notifications: per connector, the users of basic notifications are read in one
 * {@code getPresencesByUserId} call per 650, rich notifications bring their presence along, and all of it
 * goes to the engine in one transaction that also marks the items processed. A crash before that commit
 * leaves the items to be claimed again after the lease; after it, nothing is applied twice. Blocking.
 */
@ApplicationScoped
public class InboxProcessor {

    private static final Logger LOG = Logger.getLogger(InboxProcessor.class);
    /** Inbox rows (deliveries) claimed at a time. */
    static final int CLAIM = 200;
    /** A claim not finished within this is taken over by the next caller (the claimer is presumed dead). */
    static final Duration LEASE = Duration.ofSeconds(30);
    /** Runs start at least this far apart: at most 10 presence reads a second per connector from notifications. */
    static final Duration RUN_SPACING = Duration.ofMillis(100);

    private final InboxRepository inbox;
    private final SyncConnectorRepository connectors;
    private final PresenceSyncService engine;
    private final GraphGateway graph;
    private final ReactiveBridge bridge;
    private final DeliveryTrigger delivery;
    private final SyncWorkers workers;
    private final MeterRegistry meters;
    private final RecentPresence recent;
    private final ConnectorConfig config;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile long lastRunStart = System.nanoTime() - RUN_SPACING.toNanos();

    public InboxProcessor(InboxRepository inbox, SyncConnectorRepository connectors, PresenceSyncService engine,
                          GraphGateway graph, ReactiveBridge bridge, DeliveryTrigger delivery, SyncWorkers workers,
                          MeterRegistry meters, RecentPresence recent, ConnectorConfig config) {
        this.inbox = inbox;
        this.connectors = connectors;
        this.engine = engine;
        this.graph = graph;
        this.bridge = bridge;
        this.delivery = delivery;
        this.workers = workers;
        this.meters = meters;
        this.recent = recent;
        this.config = config;
    }

    /** What one run did: notifications processed and decisions recorded. */
    public record Processed(int notifications, int decisions) {
        static final Processed NONE = new Processed(0, 0);

        Processed plus(Processed other) {
            return new Processed(notifications + other.notifications, decisions + other.decisions);
        }
    }

    /**
     * Processes what is waiting, on a worker: right away when the last run started at least {@link #RUN_SPACING}
     * ago, else at that point; calls while one is queued are one run. The spacing is for Graph's presence budget:
     * each run reads the presence of what it claimed with one call per connector, so an intake taking a batch
     * every millisecond would otherwise spend the tenant's 1,400 reads per 30 s in seconds, and then wait for
     * room holding its claim until the lease ran out (the soak saw 6 % of the items processed twice that way).
     */
    public void soon() {
        if (scheduled.compareAndSet(false, true)) {
            long sinceLastRun = System.nanoTime() - lastRunStart;
            Duration wait = sinceLastRun >= RUN_SPACING.toNanos() ? Duration.ZERO
                    : RUN_SPACING.minusNanos(sinceLastRun);
            workers.schedule("Notification processing", wait, () -> {
                scheduled.set(false);
                lastRunStart = System.nanoTime();
                processPending();
            });
        }
    }

    /** Processes every item waiting now. */
    public Processed processPending() {
        Processed total = Processed.NONE;
        while (true) {
            List<PendingNotification> claimed = bridge.await(() -> inbox.claim(CLAIM, LEASE));
            if (claimed.isEmpty()) {
                return total;
            }
            Map<String, List<PendingNotification>> byConnector = new LinkedHashMap<>();
            claimed.forEach(item -> byConnector.computeIfAbsent(item.orgId(), org -> new ArrayList<>()).add(item));
            for (Map.Entry<String, List<PendingNotification>> entry : byConnector.entrySet()) {
                total = total.plus(process(entry.getKey(), entry.getValue()));
            }
            if (claimed.stream().mapToLong(PendingNotification::seq).distinct().count() < CLAIM) {
                return total;
            }
        }
    }

    private Processed process(String orgId, List<PendingNotification> items) {
        Optional<SyncConnector> found = bridge.await(() -> connectors.find(orgId));
        // the rows claimed, and those with an item whose presence could not be read: a row is marked processed
        // only when every item of it was read or brought its presence along
        Set<Long> rows = new LinkedHashSet<>();
        Set<Long> unread = new HashSet<>();
        items.forEach(item -> rows.add(item.seq()));
        if (found.isEmpty() || found.get().status() != ConnectorStatus.ACTIVE || !found.get().presenceSync()) {
            // nothing to apply them to: the connector is gone or off, and its subscriptions are being removed
            int marked = bridge.await(() -> inbox.markProcessed(rows));
            return new Processed(marked, 0);
        }
        Map<String, PresenceSyncService.Observed> observed = new HashMap<>();
        Map<String, List<Long>> basicByUser = new LinkedHashMap<>();
        for (PendingNotification item : items) {
            if (item.rich()) {
                // in the order received: the later of two for one user wins
                observed.put(item.teamsUserId(), new PresenceSyncService.Observed(
                        new TeamsPresence(item.availability(), item.activity()), item.receivedAt()));
            } else {
                basicByUser.computeIfAbsent(item.teamsUserId(), user -> new ArrayList<>()).add(item.seq());
            }
        }
        List<String> users = new ArrayList<>(basicByUser.keySet());
        for (int from = 0; from < users.size(); from += SdkGraphGateway.MAX_PRESENCE_IDS) {
            List<String> batch = users.subList(from, Math.min(users.size(), from + SdkGraphGateway.MAX_PRESENCE_IDS));
            Instant readAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
            Map<String, TeamsPresence> read;
            try {
                read = graph.presencesByUserId(found.get().tenantId(), batch);
            } catch (GraphException e) {
                meters.counter("sync.poll.batches", "trigger", "notification", "outcome",
                        e.kind().name().toLowerCase()).increment();
                // left claimed: taken up again when the lease ends; polling corrects meanwhile
                LOG.infof("Presence read for %d notified users of connector %s failed: %s", users.size() - from,
                        orgId, e.getMessage());
                users.subList(from, users.size()).forEach(user -> unread.addAll(basicByUser.get(user)));
                break;
            }
            meters.counter("sync.poll.batches", "trigger", "notification", "outcome", "ok").increment();
            recent.observed(found.get().tenantId(), read, config.pollInterval().multipliedBy(2));
            // read after every rich item was received: newer than any of them
            read.forEach((user, presence) -> observed.put(user, new PresenceSyncService.Observed(presence, readAt)));
        }
        Set<Long> marked = new LinkedHashSet<>(rows);
        marked.removeAll(unread);
        int markedItems = (int) items.stream().filter(item -> marked.contains(item.seq())).count();
        AtomicInteger newlyMarked = new AtomicInteger();
        PresenceSyncService.Applied applied = bridge.await(() -> engine.applyObserved(orgId, observed,
                tx -> inbox.markProcessed(tx, marked).invoke(newlyMarked::set).replaceWithVoid()));
        if (applied.queued() > 0) {
            delivery.soon();
        }
        meters.counter("graph.notifications.processed").increment(newlyMarked.get());
        if (newlyMarked.get() < markedItems) {
            // held past the lease and taken over: the other claimer marked them first (the engine's evaluation
            // is of state, so the second changes nothing the first did not)
            meters.counter("graph.notifications.reprocessed").increment(markedItems - newlyMarked.get());
            LOG.infof("%d notifications of connector %s had been processed by another claimer meanwhile",
                    markedItems - newlyMarked.get(), orgId);
        }
        return new Processed(newlyMarked.get(), applied.decisions());
    }
}
