package io.teamsconnector.sync;

import io.teamsconnector.config.ConnectorConfig;
import io.teamsconnector.graph.ServiceAccountTokens;
import io.teamsconnector.domain.ConnectorStatus;
import io.teamsconnector.domain.PresenceMode;
import io.teamsconnector.graph.GraphException;
import io.teamsconnector.graph.GraphGateway;
import io.teamsconnector.graph.GraphGateway.PresenceSubscription;
import io.teamsconnector.graph.GraphGateway.SubscriptionRequest;
import io.teamsconnector.graph.SdkGraphGateway;
import io.teamsconnector.graph.SubscriptionRemoval;
import io.teamsconnector.security.ClientStates;
import io.teamsconnector.security.NotificationKeys;
import io.teamsconnector.store.AgentRepository;
import io.teamsconnector.store.ReactiveBridge;
import io.teamsconnector.store.ServiceAccountRepository;
import io.teamsconnector.store.ServiceAccountRepository.ServiceAccountRow;
import io.teamsconnector.store.SubscriptionRepository;
import io.teamsconnector.store.SubscriptionRepository.SubscriptionRow;
import io.teamsconnector.store.SyncConnectorRepository;
import io.teamsconnector.store.SyncConnectorRepository.SyncConnector;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Graph presence subscriptions of a connector (BEHAVIOR.md): one per presence service account, each
 * covering up to 650 of the Teams users followed by signed-in agents. A check renews what expires within
 * 15 minutes, answers {@code reauthorizationRequired}, covers users who signed in (on a free account, or by
 * recreating an account's subscription: Graph holds one presence subscription per user) and removes
 * subscriptions nobody needs, or all of them when the connector is not ACTIVE. Reconciliation polling
 * runs underneath whatever happens here. Blocking: Graph first, then the database.
 */
@ApplicationScoped
public class PresenceSubscriptions {

    private static final Logger LOG = Logger.getLogger(PresenceSubscriptions.class);

    /** Asked-for lifetime: Graph allows 60 minutes for presence; two are left for clock skew. */
    static final Duration LIFETIME = Duration.ofMinutes(58);
    static final Duration RENEW_BEFORE = Duration.ofMinutes(15);
    /** After a renewal or reauthorization, Graph is not asked for the other one this long. */
    static final Duration AUTHORIZATION_QUIET = Duration.ofMinutes(10);
    /** One check holds its connector at most this long; then another caller may take over. */
    static final Duration HOLD = Duration.ofMinutes(2);
    static final int CLAIM = 16;
    private static final Pattern FILTER_ID = Pattern.compile("'([0-9A-Fa-f-]{36})'");

    private final SubscriptionRepository subscriptions;
    private final SyncConnectorRepository connectors;
    private final ServiceAccountRepository accounts;
    private final AgentRepository agents;
    private final ServiceAccountTokens tokens;
    private final SubscriptionRemoval removal;
    private final GraphGateway graph;
    private final NotificationKeys keys;
    private final ReactiveBridge bridge;
    private final SyncWorkers workers;
    private final ConnectorConfig config;

    public PresenceSubscriptions(SubscriptionRepository subscriptions, SyncConnectorRepository connectors,
                                 ServiceAccountRepository accounts, AgentRepository agents,
                                 ServiceAccountTokens tokens, SubscriptionRemoval removal, GraphGateway graph, NotificationKeys keys,
                                 ReactiveBridge bridge, SyncWorkers workers, ConnectorConfig config) {
        this.subscriptions = subscriptions;
        this.connectors = connectors;
        this.accounts = accounts;
        this.agents = agents;
        this.tokens = tokens;
        this.removal = removal;
        this.graph = graph;
        this.keys = keys;
        this.bridge = bridge;
        this.workers = workers;
        this.config = config;
    }

    /** What checks did: subscriptions created, renewed (or reauthorized) and deleted. */
    public record Upkeep(int created, int renewed, int deleted) {
        static final Upkeep NONE = new Upkeep(0, 0, 0);

        Upkeep plus(Upkeep other) {
            return new Upkeep(created + other.created, renewed + other.renewed, deleted + other.deleted);
        }
    }

    /** Checks the connectors that are due and not held by another caller. */
    public Upkeep checkDue() {
        Upkeep total = Upkeep.NONE;
        List<String> due = bridge.await(() -> subscriptions.claimDue(config.subscriptionCheckInterval(), HOLD, CLAIM));
        for (String orgId : due) {
            total = total.plus(checkHeld(orgId));
        }
        return total;
    }

    /** Agents signed in: the connector's subscriptions are brought up to date shortly (a burst is one update). */
    public void signInsSeen(String orgId) {
        bridge.await(() -> subscriptions.dueWithin(orgId, config.subscriptionSettle()));
    }

    /** Something Graph said needs an answer (lifecycle events): checks the connector now, on a worker. */
    public void soon(String orgId) {
        bridge.await(() -> subscriptions.dueWithin(orgId, Duration.ZERO));
        workers.execute("Subscription check", this::checkDue);
    }

    private Upkeep checkHeld(String orgId) {
        try {
            return check(orgId);
        } catch (RuntimeException e) {
            LOG.warnf("Subscription check of connector %s failed: %s", orgId, e.getMessage());
            return Upkeep.NONE;
        } finally {
            bridge.await(() -> subscriptions.release(orgId));
        }
    }

    private Upkeep check(String orgId) {
        Optional<SyncConnector> connector = bridge.await(() -> connectors.find(orgId));
        List<SubscriptionRow> rows = bridge.await(() -> subscriptions.list(orgId));
        boolean wanted = connector.isPresent() && connector.get().status() == ConnectorStatus.ACTIVE
                && connector.get().presenceSync();
        List<ServiceAccountRow> serviceAccounts = wanted ? bridge.await(() -> accounts.list(orgId)) : List.of();
        List<String> desired = wanted && !serviceAccounts.isEmpty()
                ? bridge.await(() -> agents.trackedTeamsUsers(orgId)) : List.of();
        if (desired.isEmpty()) {
            int deleted = removal.delete(rows);
            bridge.await(() -> subscriptions.presenceMode(orgId, PresenceMode.POLL));
            return new Upkeep(0, 0, deleted);
        }
        Map<String, ServiceAccountRow> byAccount = new LinkedHashMap<>();
        serviceAccounts.forEach(a -> byAccount.put(a.userId(), a));
        Instant now = Instant.now();
        int created = 0;
        int renewed = 0;
        int deleted = 0;

        // subscriptions Graph dropped (expired) or whose account was removed are forgotten
        Map<String, SubscriptionRow> live = new LinkedHashMap<>();
        for (SubscriptionRow row : rows) {
            if (!row.expiresAt().isAfter(now) || !byAccount.containsKey(row.serviceAccountId())) {
                bridge.await(() -> subscriptions.delete(row.id()));
            } else {
                live.put(row.serviceAccountId(), row);
            }
        }

        for (SubscriptionRow row : List.copyOf(live.values())) {
            Renewal renewal = renewOrReauthorize(row, now);
            if (renewal == Renewal.GONE) {
                live.remove(row.serviceAccountId());
            } else if (renewal == Renewal.DONE) {
                renewed++;
            }
        }

        Set<String> wantedUsers = new LinkedHashSet<>(desired);
        Map<String, List<String>> keep = new LinkedHashMap<>();
        Set<String> covered = new LinkedHashSet<>();
        for (SubscriptionRow row : List.copyOf(live.values())) {
            List<String> still = row.userIds().stream().filter(wantedUsers::contains).toList();
            if (still.isEmpty()) {
                deleted += removal.delete(List.of(row));
                live.remove(row.serviceAccountId());
            } else {
                keep.put(row.serviceAccountId(), still);
                covered.addAll(still);
            }
        }
        List<String> missing = desired.stream().filter(user -> !covered.contains(user)).toList();
        int next = 0;
        // a free account first: nobody loses coverage
        for (ServiceAccountRow account : byAccount.values()) {
            if (next >= missing.size()) {
                break;
            }
            if (!live.containsKey(account.userId())) {
                List<String> users = missing.subList(next, Math.min(missing.size(), next + SdkGraphGateway.MAX_PRESENCE_IDS));
                if (create(orgId, account, users)) {
                    next += users.size();
                    created++;
                }
            }
        }
        // then an account with room: its subscription is recreated with the newcomers (one per account)
        for (SubscriptionRow row : List.copyOf(live.values())) {
            if (next >= missing.size()) {
                break;
            }
            List<String> still = keep.get(row.serviceAccountId());
            int room = SdkGraphGateway.MAX_PRESENCE_IDS - still.size();
            if (room <= 0) {
                continue;
            }
            List<String> users = new ArrayList<>(still);
            List<String> added = missing.subList(next, Math.min(missing.size(), next + room));
            users.addAll(added);
            deleted += removal.delete(List.of(row));
            live.remove(row.serviceAccountId());
            if (create(orgId, byAccount.get(row.serviceAccountId()), users)) {
                next += added.size();
                created++;
            }
            // a change during the swap is read by the next poll, which is made due now
            bridge.await(() -> connectors.pollNow(orgId));
        }
        if (next < missing.size()) {
            LOG.warnf("Connector %s: %d Teams users are beyond what its %d service accounts can subscribe to "
                    + "(650 each); they are followed by polling only", orgId, missing.size() - next, byAccount.size());
        }
        // kept or renewed ones are in live; every one made is counted in created
        boolean subscribed = !live.isEmpty() || created > 0;
        bridge.await(() -> subscriptions.presenceMode(orgId, subscribed ? PresenceMode.SUBSCRIBE : PresenceMode.POLL));
        return new Upkeep(created, renewed, deleted);
    }

    private enum Renewal { NOT_DUE, DONE, GONE, FAILED }

    /**
     * Renews a subscription expiring within 15 minutes; answers Graph's {@code reauthorizationRequired} by
     * reauthorizing, or by renewing when a renewal would be due within the next 10 minutes anyway (a renewal
     * also reauthorizes), and never does one within 10 minutes of the other.
     */
    private Renewal renewOrReauthorize(SubscriptionRow row, Instant now) {
        boolean renewalDue = row.expiresAt().isBefore(now.plus(RENEW_BEFORE));
        boolean reauthorization = row.reauthorizeRequestedAt() != null;
        if (!renewalDue && !reauthorization) {
            return Renewal.NOT_DUE;
        }
        if (!renewalDue && row.authorizedAt().isAfter(now.minus(AUTHORIZATION_QUIET))) {
            bridge.await(() -> subscriptions.clearReauthorizeRequest(row.id()));
            return Renewal.NOT_DUE;
        }
        boolean renew = renewalDue || row.expiresAt().isBefore(now.plus(RENEW_BEFORE).plus(AUTHORIZATION_QUIET));
        try {
            String token = tokens.accessToken(row.orgId(), row.serviceAccountId());
            if (renew) {
                Instant expiry = now.plus(LIFETIME).truncatedTo(ChronoUnit.SECONDS);
                PresenceSubscription renewed = graph.renewSubscription(token, row.id(), expiry);
                bridge.await(() -> subscriptions.authorized(row.id(), renewed.expiresAt(), now));
            } else {
                graph.reauthorizeSubscription(token, row.id());
                bridge.await(() -> subscriptions.authorized(row.id(), null, now));
            }
            return Renewal.DONE;
        } catch (GraphException e) {
            if (e.kind() == GraphException.Kind.NOT_FOUND) {
                LOG.infof("Subscription %s of connector %s is gone in Graph; it is recreated", row.id(), row.orgId());
                bridge.await(() -> subscriptions.delete(row.id()));
                return Renewal.GONE;
            }
            if (e.kind() == GraphException.Kind.CONFLICT) {
                return adopt(row);
            }
            LOG.warnf("%s of subscription %s (connector %s) failed, retried at the next check: %s",
                    renew ? "Renewal" : "Reauthorization", row.id(), row.orgId(), e.getMessage());
            return Renewal.FAILED;
        } catch (RuntimeException e) {
            LOG.warnf("Subscription %s of connector %s not renewed: %s", row.id(), row.orgId(), e.getMessage());
            return Renewal.FAILED;
        }
    }

    /** Graph answered 409 to a renewal: someone changed it meanwhile; what Graph now has is taken as it is. */
    private Renewal adopt(SubscriptionRow row) {
        String token = tokens.accessToken(row.orgId(), row.serviceAccountId());
        Optional<PresenceSubscription> current = graph.subscription(token, row.id());
        if (current.isEmpty()) {
            bridge.await(() -> subscriptions.delete(row.id()));
            return Renewal.GONE;
        }
        bridge.await(() -> subscriptions.expiry(row.id(), current.get().expiresAt()));
        bridge.await(() -> subscriptions.clearReauthorizeRequest(row.id()));
        return Renewal.DONE;
    }

    /** Creates the account's subscription for {@code users}; Graph validates our notification URL meanwhile. */
    private boolean create(String orgId, ServiceAccountRow account, List<String> users) {
        String clientState = ClientStates.random();
        Instant now = Instant.now();
        Optional<NotificationKeys.Certificate> certificate = keys.current();
        SubscriptionRequest request = new SubscriptionRequest(resource(users), url("/graph/notifications"),
                url("/graph/lifecycle"), clientState, now.plus(LIFETIME).truncatedTo(ChronoUnit.SECONDS),
                certificate.map(NotificationKeys.Certificate::base64Der).orElse(null),
                certificate.map(NotificationKeys.Certificate::id).orElse(null));
        try {
            String token = tokens.accessToken(orgId, account.userId());
            PresenceSubscription created;
            try {
                created = graph.createSubscription(token, request);
            } catch (GraphException e) {
                if (e.kind() != GraphException.Kind.CONFLICT) {
                    throw e;
                }
                Optional<PresenceSubscription> adopted = adoptExisting(orgId, account, token);
                if (adopted.isPresent()) {
                    return true;
                }
                created = graph.createSubscription(token, request);
            }
            PresenceSubscription made = created;
            bridge.await(() -> subscriptions.insert(new SubscriptionRow(made.id(), orgId, account.userId(),
                    ClientStates.hash(clientState), List.copyOf(users), certificate.isPresent(), made.expiresAt(),
                    now, null)));
            LOG.infof("Connector %s: subscription %s covers %d Teams users until %s", orgId, made.id(), users.size(),
                    made.expiresAt());
            return true;
        } catch (RuntimeException e) {
            // Graph refused, or the account's token could not be had (revoked sign-in): the others go on
            LOG.warnf("Connector %s: no subscription for service account %s (%d users stay polled): %s", orgId,
                    account.userId(), users.size(), e.getMessage());
            return false;
        }
    }

    /**
     * Graph answered 409 to a create: the account holds a presence subscription already (one of ours whose
     * record was lost, say). It is adopted when Graph tells its clientState; otherwise it is deleted, so
     * the create can be retried.
     */
    private Optional<PresenceSubscription> adoptExisting(String orgId, ServiceAccountRow account, String token) {
        for (PresenceSubscription existing : graph.subscriptions(token)) {
            if (existing.resource() == null || !existing.resource().toLowerCase(Locale.ROOT).contains("presences")) {
                continue;
            }
            if (existing.clientState() != null && existing.expiresAt() != null
                    && existing.expiresAt().isAfter(Instant.now().plus(RENEW_BEFORE))) {
                List<String> users = usersOf(existing.resource());
                bridge.await(() -> subscriptions.insert(new SubscriptionRow(existing.id(), orgId, account.userId(),
                        ClientStates.hash(existing.clientState()), users, keys.current().isPresent(),
                        existing.expiresAt(), Instant.now(), null)));
                LOG.infof("Connector %s: adopted existing subscription %s", orgId, existing.id());
                return Optional.of(existing);
            }
            graph.deleteSubscription(token, existing.id());
        }
        return Optional.empty();
    }

    /** Deletes in Graph, then here; answers how many were deleted. */

    static String resource(List<String> users) {
        StringBuilder filter = new StringBuilder("/communications/presences?$filter=id in (");
        for (int i = 0; i < users.size(); i++) {
            filter.append(i == 0 ? "" : ",").append('\'').append(users.get(i)).append('\'');
        }
        return filter.append(')').toString();
    }

    static List<String> usersOf(String resource) {
        List<String> users = new ArrayList<>();
        Matcher m = FILTER_ID.matcher(resource);
        while (m.find()) {
            users.add(m.group(1).toLowerCase(Locale.ROOT));
        }
        return users;
    }

    private String url(String path) {
        return config.publicBase() + path;
    }
}
