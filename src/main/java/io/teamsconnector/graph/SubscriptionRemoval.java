package io.teamsconnector.graph;

import io.teamsconnector.domain.DomainException;
import io.teamsconnector.domain.PresenceMode;
import io.teamsconnector.store.ReactiveBridge;
import io.teamsconnector.store.SubscriptionRepository;
import io.teamsconnector.store.SubscriptionRepository.SubscriptionRow;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Deletes Graph presence subscriptions, in Graph first and then here. The subscription upkeep of the
 * sync function and the admin API (deactivate, delete) both remove subscriptions, so this lives below
 * both of them. Blocking.
 */
@ApplicationScoped
public class SubscriptionRemoval {

    private static final Logger LOG = Logger.getLogger(SubscriptionRemoval.class);

    private final SubscriptionRepository subscriptions;
    private final ServiceAccountTokens tokens;
    private final GraphGateway graph;
    private final ReactiveBridge bridge;

    public SubscriptionRemoval(SubscriptionRepository subscriptions, ServiceAccountTokens tokens, GraphGateway graph,
                               ReactiveBridge bridge) {
        this.subscriptions = subscriptions;
        this.tokens = tokens;
        this.graph = graph;
        this.bridge = bridge;
    }

    /**
     * Deletes all of the connector's subscriptions in Graph and here (deactivate, delete), and says the
     * connector polls. A subscription Graph could not be asked to delete stays recorded, and the next check
     * tries again; left alone, it expires within the hour and its notifications are dropped. Answers how
     * many were deleted.
     */
    public int removeAll(String orgId) {
        // not held: deleting twice is harmless, and a check running meanwhile is followed by another
        List<SubscriptionRow> rows = bridge.await(() -> subscriptions.list(orgId));
        int deleted = delete(rows);
        bridge.await(() -> subscriptions.presenceMode(orgId, PresenceMode.POLL));
        bridge.await(() -> subscriptions.dueWithin(orgId, Duration.ZERO));
        return deleted;
    }

    /** Deletes these subscriptions in Graph, then their rows; answers how many rows went. */
    public int delete(List<SubscriptionRow> rows) {
        int deleted = 0;
        for (SubscriptionRow row : rows) {
            try {
                graph.deleteSubscription(tokens.accessToken(row.orgId(), row.serviceAccountId()), row.id());
            } catch (ServiceAccountTokens.ServiceAccountGone e) {
                // the service account is gone, and with it the only token Graph would take: the subscription
                // expires within the hour, and its notifications are dropped as unknown meanwhile
                LOG.infof("Subscription %s of connector %s forgotten: its service account is gone", row.id(),
                        row.orgId());
            } catch (RuntimeException e) {
                if (row.expiresAt().isAfter(Instant.now())) {
                    LOG.warnf("Subscription %s of connector %s not deleted in Graph, retried later: %s", row.id(),
                            row.orgId(), e.getMessage());
                    continue;
                }
            }
            bridge.await(() -> subscriptions.delete(row.id()));
            deleted++;
        }
        return deleted;
    }
}
