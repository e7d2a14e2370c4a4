package io.teamsconnector.contactcenter.webex;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.teamsconnector.store.AgentRepository;
import io.teamsconnector.store.AgentRow;
import io.teamsconnector.store.ReactiveBridge;
import io.teamsconnector.store.WebexLinkRepository;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Who a Webex agent is: Webex events carry the agent's CI id only, so at sign-in the agent is looked up with
 * {@code users/by-ci-user-id}, and its email and desktop profile are stored on the agent (the Teams user is
 * then resolved from the email through Graph, as for any agent). An answer is reused for {@link #BURST} only,
 * so a burst of sign-in and state changes reads Webex once, and the next sign-in reads it again. Blocking.
 */
@ApplicationScoped
public class WebexAgents {

    /** How long one answer about an agent is reused. */
    static final Duration BURST = Duration.ofSeconds(10);
    private static final Logger LOG = Logger.getLogger(WebexAgents.class);

    private final WebexClient webex;
    private final WebexLinkRepository links;
    private final AgentRepository agents;
    private final ReactiveBridge bridge;
    private final Cache<String, Optional<WebexClient.User>> users;

    public WebexAgents(WebexClient webex, WebexLinkRepository links, AgentRepository agents, ReactiveBridge bridge) {
        this.webex = webex;
        this.links = links;
        this.agents = agents;
        this.bridge = bridge;
        this.users = Caffeine.newBuilder().expireAfterWrite(BURST).maximumSize(100_000).build();
    }

    /**
     * Looks up, in Webex, the agents whose Teams user no event gave; stores what changed. Answers how many
     * agents changed. A connector without a working Webex link is left as it is.
     */
    public int identify(String orgId, List<AgentRow> signedIn) {
        boolean linked = bridge.await(() -> links.find(orgId))
                .filter(l -> WebexLinkRepository.LINKED.equals(l.status())).isPresent();
        if (!linked) {
            return 0;
        }
        int changed = 0;
        for (AgentRow agent : signedIn) {
            if (AgentRow.GIVEN.equals(agent.teamsUserOrigin())) {
                continue;
            }
            Optional<WebexClient.User> user;
            try {
                user = users.get(orgId + "/" + agent.agentId(), k -> webex.userByCiId(orgId, agent.agentId()));
            } catch (WebexException e) {
                LOG.debugf("Webex user of agent %s of %s not read now: %s", agent.agentId(), orgId, e.getMessage());
                return changed;
            }
            if (user.isEmpty() || user.get().email() == null) {
                continue;
            }
            if (bridge.await(() -> agents.identify(orgId, agent.agentId(), user.get().email(),
                    user.get().agentProfileId()))) {
                changed++;
            }
        }
        return changed;
    }
}
