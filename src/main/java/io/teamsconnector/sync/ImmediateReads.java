package io.teamsconnector.sync;

import io.teamsconnector.contactcenter.webex.WebexAgents;
import io.teamsconnector.domain.ConnectorStatus;
import io.teamsconnector.store.AgentRepository;
import io.teamsconnector.store.AgentRow;
import io.teamsconnector.store.ReactiveBridge;
import io.teamsconnector.store.SyncConnectorRepository;
import io.teamsconnector.store.SyncConnectorRepository.SyncConnector;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads an agent's presence at once when it signs in or becomes Available, instead of at the next poll.
 * Requests of one connector arriving within a few milliseconds are coalesced into one Graph call, so a
 * shift starting does not cost a call per agent. Where presence sync does not apply (connector not
 * active, sync off, profile disabled), no Graph call is made and the decision says why.
 */
@ApplicationScoped
public class ImmediateReads {

    /** How long requests of one connector are collected before they are read together. */
    static final Duration COALESCE = Duration.ofMillis(50);

    private final SyncConnectorRepository connectors;
    private final AgentRepository agents;
    private final PresenceSyncService engine;
    private final PresenceReader reader;
    private final TeamsUserResolver resolver;
    private final ReactiveBridge bridge;
    private final SyncWorkers workers;
    private final PresenceSubscriptions subscriptions;
    private final WebexAgents webexAgents;
    private final Map<String, Set<String>> pending = new ConcurrentHashMap<>();

    public ImmediateReads(SyncConnectorRepository connectors, AgentRepository agents, PresenceSyncService engine,
                          PresenceReader reader, TeamsUserResolver resolver, ReactiveBridge bridge,
                          SyncWorkers workers, PresenceSubscriptions subscriptions, WebexAgents webexAgents) {
        this.connectors = connectors;
        this.agents = agents;
        this.engine = engine;
        this.reader = reader;
        this.resolver = resolver;
        this.bridge = bridge;
        this.workers = workers;
        this.subscriptions = subscriptions;
        this.webexAgents = webexAgents;
    }

    /** Asks for the agent's presence to be read and evaluated shortly; returns at once. */
    public void request(String orgId, String agentId) {
        AtomicBoolean first = new AtomicBoolean();
        pending.compute(orgId, (org, agentIds) -> {
            Set<String> ids = agentIds;
            if (ids == null) {
                ids = new HashSet<>();
                first.set(true);
            }
            ids.add(agentId);
            return ids;
        });
        if (first.get()) {
            workers.schedule("Presence read for connector " + orgId, COALESCE, () -> read(orgId));
        }
    }

    private void read(String orgId) {
        Set<String> agentIds = pending.remove(orgId);
        if (agentIds == null || agentIds.isEmpty()) {
            return;
        }
        Optional<SyncConnector> found = bridge.await(() -> connectors.find(orgId));
        if (found.isEmpty()) {
            return;
        }
        SyncConnector connector = found.get();
        // Webex agents are known by their CI id only: their email and desktop profile come from Webex, before
        // the gate looks at the profile
        webexAgents.identify(orgId, bridge.await(() -> agents.findSignedIn(orgId, agentIds)));
        bridge.await(() -> engine.recordGated(orgId, agentIds));
        if (connector.status() != ConnectorStatus.ACTIVE || !connector.presenceSync()) {
            return;
        }
        List<AgentRow> signedIn = bridge.await(() -> agents.findSignedIn(orgId, agentIds));
        if (resolver.resolve(connector, signedIn.stream().filter(AgentRow::profileEnabled).toList()) > 0) {
            signedIn = bridge.await(() -> agents.findSignedIn(orgId, agentIds));
        }
        List<String> teamsUsers = signedIn.stream()
                .filter(a -> a.profileEnabled() && a.teamsUserId() != null)
                .map(AgentRow::teamsUserId)
                .distinct()
                .toList();
        reader.read(connector, teamsUsers, "sign-in");
        // newly followed users join the subscriptions shortly (a connector without service accounts is skipped there)
        subscriptions.signInsSeen(orgId);
    }
}
