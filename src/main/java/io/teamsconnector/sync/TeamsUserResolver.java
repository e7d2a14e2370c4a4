package io.teamsconnector.sync;

import io.teamsconnector.graph.GraphException;
import io.teamsconnector.graph.GraphGateway;
import io.teamsconnector.store.AgentRepository;
import io.teamsconnector.store.AgentRow;
import io.teamsconnector.store.DecisionRepository;
import io.teamsconnector.store.DecisionRow;
import io.teamsconnector.domain.DecisionReason;
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
    private final DecisionRepository decisions;

    public TeamsUserResolver(GraphGateway graph, AgentRepository agents, ReactiveBridge bridge,
                             DecisionRepository decisions) {
        this.graph = graph;
        this.agents = agents;
        this.bridge = bridge;
        this.decisions = decisions;
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
            boolean stored = bridge.await(() -> agents.resolveTeamsUser(connector.orgId(), agent.agentId(),
                    agent.email(), id));
            if (stored && id != null) {
                found++;
            }
            if (stored && id == null) {
                LOG.infof("No Entra user has the email of agent %s of %s; presence sync cannot follow it until "
                        + "its next sign-in", agent.agentId(), connector.orgId());
                // the operator's answer to "why does this agent not follow Teams?"; recorded once per sign-in
                bridge.await(() -> decisions.record(new DecisionRow(connector.orgId(), agent.agentId(),
                        AgentRepository.now(), null, null, agent.desktop(), DecisionReason.SKIPPED_NO_TEAMS_USER,
                        agent.desktop())));
            }
        }
        return found;
    }
}
