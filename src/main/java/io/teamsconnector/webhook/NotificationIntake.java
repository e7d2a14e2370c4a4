package io.teamsconnector.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.teamsconnector.config.ConnectorConfig;
import io.teamsconnector.domain.DomainException;
import io.teamsconnector.domain.ConnectorStatus;
import io.teamsconnector.security.ClientStates;
import io.teamsconnector.security.Hashes;
import io.teamsconnector.store.InboxRepository;
import io.teamsconnector.store.InboxRepository.NewDelivery;
import io.teamsconnector.store.InboxRepository.NewNotification;
import io.teamsconnector.store.ReactiveBridge;
import io.teamsconnector.store.SubscriptionRepository;
import io.teamsconnector.store.SubscriptionRepository.NotificationTarget;
import io.teamsconnector.store.SyncConnectorRepository;
import io.teamsconnector.store.WorkSignal;
import io.teamsconnector.store.WorkSignals;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The Graph webhook intake (API.md): checks each item against its subscription, verifies and decrypts
 * rich ones, and stores the accepted ones before Graph is answered. No Graph call and no rule evaluation
 * here: the sync engine does that right after, woken by a {@link WorkSignal}. An item that is not ours is dropped and counted,
 * never answered differently, so a prober learns nothing. Change notifications are taken without a thread of
 * their own (see {@link #notifications}); lifecycle events, rare, block a worker thread.
 */
@ApplicationScoped
public class NotificationIntake {

    private static final Logger LOG = Logger.getLogger(NotificationIntake.class);
    /** How long past the store deadline the intake waits for the inbox's commit (Graph allows 3 s in all). */
    static final Duration COMMIT_GRACE = Duration.ofMillis(800);

    private final SubscriptionRepository subscriptions;
    private final SyncConnectorRepository syncConnectors;
    private final InboxRepository inbox;
    private final RichNotifications rich;
    private final WorkSignals signals;
    private final ReactiveBridge bridge;
    private final ObjectMapper json;
    private final ConnectorConfig config;
    private final MeterRegistry meters;
    private final SubscriptionTargets recentTargets;

    public NotificationIntake(SubscriptionRepository subscriptions, SyncConnectorRepository syncConnectors,
                              InboxRepository inbox, RichNotifications rich,
                              WorkSignals signals,
                              ReactiveBridge bridge, ObjectMapper json, ConnectorConfig config, MeterRegistry meters) {
        this.subscriptions = subscriptions;
        this.syncConnectors = syncConnectors;
        this.inbox = inbox;
        this.rich = rich;
        this.signals = signals;
        this.bridge = bridge;
        this.json = json;
        this.config = config;
        this.meters = meters;
        this.recentTargets = new SubscriptionTargets(config.notificationTargetTtl());
    }

    /** What one collection came to: items accepted and stored anew, duplicates of waiting items, items dropped. */
    public record Outcome(int stored, int duplicates, int dropped) {
    }

    /** The items a collection's checks accepted, as one delivery per subscription, and how many they dropped. */
    private record Checked(List<NewDelivery> accepted, int dropped) {
    }

    /**
     * Change notifications: every accepted item is stored when the answer comes; else a 503 {@link DomainException}
     * (a 400 one, at once, for a body that is no notification collection). Runs on the event loop, as a bare
     * endpoint does: a batch of basic notifications is parsed, checked against the subscriptions read lately and
     * handed to the inbox's gathered commit without a worker thread. A batch with rich items is checked on a worker
     * thread: decryption costs CPU, and the signing keys may take up to a second.
     */
    public Uni<Outcome> notifications(byte[] body) {
        Instant receivedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Instant deadline = receivedAt.plus(config.notificationStoreTimeout());
        NotificationCollection collection = NotificationCollection.parse(json, body, false);
        meters.counter("graph.notifications.received", "kind", "change").increment(collection.items().size());
        Context context = Vertx.currentContext();
        Uni<Outcome> outcome = recentTargets(collection, deadline)
                .chain(targets -> collection.items().stream().anyMatch(item -> item.encrypted() != null)
                        ? Uni.createFrom().item(() -> checkAll(collection, targets))
                                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                        : Uni.createFrom().item(checkAll(collection, targets)))
                .chain(checked -> stored(checked, receivedAt, deadline));
        // answered on the request's own event loop, whichever connection's commit completed the store
        return context == null ? outcome : outcome.emitOn(task -> context.runOnContext(ignored -> task.run()));
    }

    /** Every item of the collection checked (and a rich one decrypted): what is accepted, and how many were dropped. */
    private Checked checkAll(NotificationCollection collection, Map<String, NotificationTarget> targets) {
        Map<String, Optional<ValidationTokens.Refusal>> tokenVerdicts = new HashMap<>();
        // by subscription, in the order Graph listed them: one inbox row per subscription of the collection
        Map<String, DeliveryBuilder> accepted = new LinkedHashMap<>();
        // a batch's items mostly share one subscription and clientState: each pair is hashed and compared once
        Map<String, Boolean> clientStates = new HashMap<>();
        int dropped = 0;
        for (NotificationCollection.Item item : collection.items()) {
            NotificationTarget target = checked(item, targets, clientStates);
            if (target == null) {
                dropped++;
                continue;
            }
            String availability = null;
            String activity = null;
            if (item.encrypted() != null) {
                Optional<ValidationTokens.Refusal> refusal = tokenVerdicts.computeIfAbsent(target.tenantId(),
                        tenant -> rich.refusal(collection.validationTokens(), tenant));
                if (refusal.isPresent() && refusal.get() == ValidationTokens.Refusal.KEYS_UNAVAILABLE) {
                    // nothing is known about the tokens yet: store nothing, and let Graph deliver again
                    meters.counter("graph.notifications.deferred", "reason", "signing_keys_unavailable").increment();
                    LOG.warn("Entra's signing keys are not at hand: answering 503 so that Graph delivers again");
                    throw DomainException.unavailable("The notifications cannot be verified yet; retry later.");
                }
                if (refusal.isPresent()) {
                    dropped += rejected("validation_token_" + refusal.get().name().toLowerCase());
                    continue;
                }
                JsonNode resource;
                try {
                    resource = json.readTree(rich.decrypt(item.encrypted()));
                } catch (RichContentException e) {
                    dropped += rejected("encrypted_content_" + e.reason().name().toLowerCase());
                    continue;
                } catch (java.io.IOException e) {
                    dropped += rejected("encrypted_content_malformed");
                    continue;
                }
                availability = text(resource, "availability");
                activity = text(resource, "activity");
                if (availability == null || activity == null || !item.teamsUserId().equalsIgnoreCase(text(resource, "id"))) {
                    dropped += rejected("encrypted_content_malformed");
                    continue;
                }
            }
            accepted.computeIfAbsent(item.subscriptionId(), id -> new DeliveryBuilder(target.orgId(), id))
                    .add(item, new NewNotification(item.teamsUserId(), availability, activity));
        }
        List<NewDelivery> deliveries = new ArrayList<>(accepted.size());
        accepted.values().forEach(builder -> deliveries.add(builder.build()));
        return new Checked(deliveries, dropped);
    }

    /**
     * One subscription's accepted items of a collection, and their key: the SHA-256 of the subscription and of each
     * item's user and (for a rich one) content, in order, so that the same delivery made again has the same key.
     */
    private static final class DeliveryBuilder {
        private final String orgId;
        private final String subscriptionId;
        private final List<NewNotification> items = new ArrayList<>();
        private final MessageDigest key = Hashes.sha256();

        DeliveryBuilder(String orgId, String subscriptionId) {
            this.orgId = orgId;
            this.subscriptionId = subscriptionId;
            key.update(subscriptionId.getBytes(StandardCharsets.UTF_8));
        }

        void add(NotificationCollection.Item item, NewNotification notification) {
            items.add(notification);
            key.update((byte) '\n');
            key.update(item.teamsUserId().getBytes(StandardCharsets.UTF_8));
            key.update((byte) '\n');
            if (item.encrypted() != null) {
                key.update(item.encrypted().data().getBytes(StandardCharsets.UTF_8));
            }
        }

        NewDelivery build() {
            return new NewDelivery(HexFormat.of().formatHex(key.digest()), orgId, subscriptionId, items);
        }
    }

    private Uni<Outcome> stored(Checked checked, Instant receivedAt, Instant deadline) {
        List<NewDelivery> accepted = checked.accepted();
        if (accepted.isEmpty()) {
            return Uni.createFrom().item(new Outcome(0, 0, checked.dropped()));
        }
        int items = NewDelivery.items(accepted);
        return storeSoon(() -> inbox.store(accepted, receivedAt, deadline), deadline, COMMIT_GRACE).map(stored -> {
            meters.counter("graph.notifications.stored").increment(stored);
            meters.counter("graph.notifications.duplicates").increment(items - stored);
            // also when every item was a duplicate still waiting: a nudge is cheap, and gathered with the others
            signals.sendSoon(WorkSignal.inbox());
            return new Outcome(stored, items - stored, checked.dropped());
        });
    }

    /** Lifecycle notifications: {@code reauthorizationRequired} and the like are noted for the subscription upkeep. */
    public Outcome lifecycle(byte[] body) {
        Instant deadline = Instant.now().plus(config.notificationStoreTimeout());
        NotificationCollection collection = NotificationCollection.parse(json, body, true);
        // read every time: a lifecycle event acts on the subscription as it stands
        Map<String, NotificationTarget> targets = targets(collection, deadline);
        Set<String> reauthorize = new LinkedHashSet<>();
        Set<String> removed = new LinkedHashSet<>();
        Set<String> missed = new LinkedHashSet<>();
        int dropped = 0;
        for (NotificationCollection.Item item : collection.items()) {
            meters.counter("graph.notifications.received", "kind", "lifecycle").increment();
            NotificationTarget target = checked(item, targets, new HashMap<>());
            if (target == null) {
                dropped++;
                continue;
            }
            meters.counter("graph.lifecycle.events", "event", item.lifecycleEvent()).increment();
            switch (item.lifecycleEvent()) {
                case "reauthorizationRequired" -> reauthorize.add(item.subscriptionId());
                case "subscriptionRemoved" -> removed.add(item.subscriptionId());
                case "missed" -> missed.add(target.orgId());
                default -> LOG.debugf("Lifecycle event %s ignored", item.lifecycleEvent());
            }
        }
        Set<String> orgs = new LinkedHashSet<>();
        if (!reauthorize.isEmpty()) {
            orgs.addAll(store(() -> subscriptions.requestReauthorization(reauthorize), deadline));
        }
        for (String id : removed) {
            store(() -> subscriptions.expiry(id, Instant.now()), deadline);
            orgs.add(targets.get(id).orgId());
        }
        for (String orgId : missed) {
            store(() -> syncConnectors.pollNow(orgId), deadline);
        }
        orgs.forEach(orgId -> signals.send(WorkSignal.subscriptions(orgId)));
        int handled = reauthorize.size() + removed.size() + missed.size();
        return new Outcome(handled, 0, dropped);
    }

    /**
     * The item's subscription and connector when the item is ours: known subscription, the clientState it
     * was created with (constant time), the connector's tenant, an active connector. Else null, counted.
     * {@code clientStates} holds the verdicts of the request so far, by subscription and presented clientState.
     */
    private NotificationTarget checked(NotificationCollection.Item item, Map<String, NotificationTarget> targets,
                                       Map<String, Boolean> clientStates) {
        NotificationTarget target = item.subscriptionId() == null ? null : targets.get(item.subscriptionId());
        String storedHash = target == null ? null : target.clientStateHash();
        boolean clientStateMatches = clientStates.computeIfAbsent(storedHash + "\n" + item.clientState(),
                pair -> ClientStates.matches(item.clientState(), storedHash));
        String reason;
        if (item.malformed()) {
            reason = "malformed";
        } else if (target == null) {
            reason = "unknown_subscription";
        } else if (!clientStateMatches) {
            reason = "client_state";
        } else if (!item.tenantId().equalsIgnoreCase(target.tenantId())) {
            reason = "tenant";
        } else if (target.status() != ConnectorStatus.ACTIVE) {
            reason = "connector_inactive";
        } else {
            return target;
        }
        rejected(reason);
        return null;
    }

    private int rejected(String reason) {
        meters.counter("graph.notifications.rejected", "reason", reason).increment();
        return 1;
    }

    /** The items' subscriptions that exist, with their connector, read afresh (lifecycle events). */
    private Map<String, NotificationTarget> targets(NotificationCollection collection, Instant deadline) {
        Set<String> ids = subscriptionIds(collection);
        return ids.isEmpty() ? Map.of() : store(() -> subscriptions.targets(ids), deadline);
    }

    /** The same for change notifications, which may use the subscriptions read lately. */
    private Uni<Map<String, NotificationTarget>> recentTargets(NotificationCollection collection, Instant deadline) {
        Set<String> ids = subscriptionIds(collection);
        if (ids.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return recentTargets.get(ids, missing -> storeSoon(() -> subscriptions.targets(missing), deadline, Duration.ZERO));
    }

    private static Set<String> subscriptionIds(NotificationCollection collection) {
        Set<String> ids = new LinkedHashSet<>();
        for (NotificationCollection.Item item : collection.items()) {
            if (item.subscriptionId() != null && item.subscriptionId().length() <= 128) {
                ids.add(item.subscriptionId());
            }
        }
        return ids;
    }

    /** Runs database work within the intake's deadline, from a worker thread; any failure is a 503, which Graph retries. */
    private <T> T store(Supplier<Uni<T>> work, Instant deadline) {
        return bridge.await(() -> storeSoon(work, deadline, Duration.ZERO));
    }

    /**
     * The same without a thread, waiting up to {@code grace} past the deadline for work whose database side ends
     * itself at the deadline (the inbox insert's statement timeout): its {@code COMMIT} may answer a little after,
     * and an answer of 503 for a batch that did commit would have Graph deliver it again (the soak saw that happen
     * on a machine at a load of 30).
     */
    private <T> Uni<T> storeSoon(Supplier<Uni<T>> work, Instant deadline, Duration grace) {
        Duration left = Duration.between(Instant.now(), deadline);
        Uni<T> attempt = left.isNegative() || left.isZero()
                ? Uni.createFrom().failure(new IllegalStateException("deadline passed"))
                : Uni.createFrom().deferred(work::get).ifNoItem().after(left.plus(grace)).fail();
        return attempt.onFailure().transform(e -> {
            meters.counter("graph.notifications.store_failures").increment();
            LOG.warnf("Graph notifications not stored, answering 503 so Graph retries: %s", e.toString());
            return DomainException.unavailable("The notifications could not be stored; retry later.");
        });
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }
}
