package io.teamsconnector.sync;

import io.teamsconnector.graph.GraphException;
import io.teamsconnector.graph.GraphGateway;
import io.teamsconnector.store.AgentRepository;
import io.teamsconnector.store.AgentRow;
import io.teamsconnector.store.ReactiveBridge;
import io.teamsconnector.store.SyncConnectorRepository.SyncConnector;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Optional;

/**
 * Finds the Teams (Entra) user of agents known by email only, once per agent: the id is stored, and so
 * is a "no such user" answer until the agent signs in again or its email changes. Blocking.
 */
@ApplicationScoped
public class TeamsUserResolver {

    private static final Logger LOG = Logger.getLogger(TeamsUserResolver.class);

    private final GraphGateway graph;
    private final AgentRepository agents;
    private final ReactiveBridge bridge;

    public TeamsUserResolver(GraphGateway graph, AgentRepository agents, ReactiveBridge bridge) {
        this.graph = graph;
        this.agents = agents;
        this.bridge = bridge;
    }

    /** Looks up the agents that have an email but no Teams user; answers how many were found. */
    public int resolve(SyncConnector connector, List<AgentRow> candidates) {
        int found = 0;
        for (AgentRow agent : candidates) {
            if (agent.teamsUserId() != null || agent.email() == null || agent.teamsUserOrigin() != null) {
                continue;
            }
            Optional<String> user;
            try {
                user = graph.userIdByEmail(connector.tenantId(), agent.email());
            } catch (GraphException e) {
                // Graph unreachable or refusing: the next round tries again
                LOG.debugf("Teams user of agent %s of %s not resolved now: %s", agent.agentId(), connector.orgId(),
                        e.getMessage());
                return found;
            }
            String id = user.map(String::toLowerCase).orElse(null);
            if (bridge.await(() -> agents.resolveTeamsUser(connector.orgId(), agent.agentId(), agent.email(), id))
                    && id != null) {
                found++;
            }
            if (id == null) {
                LOG.infof("No Entra user has the email of agent %s of %s; presence sync cannot follow it",
                        agent.agentId(), connector.orgId());
            }
        }
        return found;
    }
}
