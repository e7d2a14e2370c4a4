package io.teamsconnector.sync;

import io.smallrye.mutiny.Uni;
import io.teamsconnector.domain.TeamsPresence;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;

/**
 * The engine's entry for observed Teams presence, whatever brought it (polling, basic or rich
 * notifications). Reactive and free of Graph calls: callers read Graph first, then hand the result here.
 */
@ApplicationScoped
public class PresenceSyncService {

    /**
     * Evaluates the sync rule for every tracked agent of the connector whose Teams user id is a key of
     * {@code presenceByTeamsUserId}, records a decision per evaluation, stores applied changes and their
     * outbound deliveries in one transaction. Answers the number of decisions recorded.
     */
    public Uni<Integer> applyPresences(String orgId, Map<String, TeamsPresence> presenceByTeamsUserId) {
        // filled in by the presence sync issue
        return Uni.createFrom().item(0);
    }
}
