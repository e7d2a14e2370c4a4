package io.teamsconnector.experts;

import io.micrometer.core.instrument.MeterRegistry;
import io.teamsconnector.config.ConnectorConfig;
import io.teamsconnector.domain.TeamsPresence;
import io.teamsconnector.graph.GraphException;
import io.teamsconnector.graph.GraphGateway;
import io.teamsconnector.graph.RecentPresence;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.eclipse.microprofile.context.ThreadContext;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Teams presence for a page of lookup results: what this process read lately (agents it follows, earlier
 * lookups) when still fresh, else one {@code getPresencesByUserId} call for the rest of the page, waited for
 * at most {@code connector.expert-presence-timeout}, and only when the tenant's presence budget has room at
 * once (else the page goes without presence: a lookup never waits for the budget). A late answer still fills
 * the cache for the next lookup.
 */
@ApplicationScoped
public class ExpertPresence {

    private static final Logger LOG = Logger.getLogger(ExpertPresence.class);
    /** Graph reads under way at once, and waiting, per process. */
    static final int READS = 4;
    static final int WAITING = 64;

    private final GraphGateway graph;
    private final RecentPresence recent;
    private final ConnectorConfig config;
    private final MeterRegistry meters;
    /**
     * Bounded: when Graph is slow, lookups do not pile up threads, they answer without presence. A view of
     * Quarkus' worker pool (no threads of its own), with nothing of the lookup's context carried along.
     */
    private final ManagedExecutor reads;

    public ExpertPresence(GraphGateway graph, RecentPresence recent, ConnectorConfig config, MeterRegistry meters) {
        this.graph = graph;
        this.recent = recent;
        this.config = config;
        this.meters = meters;
        this.reads = ManagedExecutor.builder().maxAsync(READS).maxQueued(WAITING)
                .propagated(ThreadContext.NONE).cleared(ThreadContext.ALL_REMAINING).build();
    }

    /** Presence by user id; users whose presence could not be had in time are absent. */
    public Map<String, TeamsPresence> of(String tenantId, List<String> userIds) {
        Map<String, TeamsPresence> out = new HashMap<>();
        List<String> missing = new ArrayList<>();
        for (String user : userIds) {
            recent.fresh(tenantId, user).ifPresentOrElse(p -> out.put(user, p), () -> missing.add(user));
        }
        if (missing.isEmpty()) {
            meters.counter("expert.presence", "source", "cache").increment();
            return out;
        }
        try {
            CompletableFuture<Map<String, TeamsPresence>> read = reads.supplyAsync(() -> {
                // no wait for room in the tenant's budget: a lookup shows its results without presence instead
                Map<String, TeamsPresence> found = graph.presencesByUserIdIfRoom(tenantId, missing);
                recent.observed(tenantId, found, config.expertPresenceTtl());
                return found;
            });
            out.putAll(read.get(config.expertPresenceTimeout().toMillis(), TimeUnit.MILLISECONDS));
            meters.counter("expert.presence", "source", "graph").increment();
        } catch (TimeoutException e) {
            meters.counter("expert.presence", "source", "timeout").increment();
        } catch (RejectedExecutionException | ExecutionException e) {
            boolean throttled = e.getCause() instanceof GraphException g && g.kind() == GraphException.Kind.THROTTLED;
            meters.counter("expert.presence", "source", throttled ? "throttled" : "failed").increment();
            LOG.debugf("Presence for lookup results not read: %s", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out;
    }

    @PreDestroy
    void stop() {
        reads.shutdownNow();
    }
}
