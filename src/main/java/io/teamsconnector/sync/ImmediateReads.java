package io.teamsconnector.sync;

import io.micrometer.core.instrument.MeterRegistry;
import io.teamsconnector.contactcenter.webex.WebexAgents;
import io.teamsconnector.domain.ConnectorStatus;
import io.teamsconnector.store.AgentRepository;
import io.teamsconnector.store.AgentRow;
import io.teamsconnector.store.JobLeaseRepository;
import io.teamsconnector.store.ReactiveBridge;
import io.teamsconnector.store.SyncConnectorRepository;
import io.teamsconnector.store.SyncConnectorRepository.SyncConnector;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.HashMap;
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
 * active, sync off, profile disabled), no Graph call is made and the decision says why. A request heard as a
 * {@code NOTIFY} reaches every {@code sync} replica: each asks the database, and only one reads.
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
    private final JobLeaseRepository leases;
    private final MeterRegistry meters;
    private final WebexAgents webexAgents;
    /** orgId → agentId → the newest signal's stamp, or null when asked in-process (nobody else heard it) */
    private final Map<String, Map<String, Long>> pending = new ConcurrentHashMap<>();

    public ImmediateReads(SyncConnectorRepository connectors, AgentRepository agents, PresenceSyncService engine,
                          PresenceReader reader, TeamsUserResolver resolver, ReactiveBridge bridge,
                          SyncWorkers workers, PresenceSubscriptions subscriptions, JobLeaseRepository leases,
                          MeterRegistry meters, WebexAgents webexAgents) {
        this.connectors = connectors;
        this.agents = agents;
        this.engine = engine;
        this.reader = reader;
        this.resolver = resolver;
        this.bridge = bridge;
        this.workers = workers;
        this.subscriptions = subscriptions;
        this.leases = leases;
        this.meters = meters;
        this.webexAgents = webexAgents;
    }

    /** Asks for the agent's presence to be read and evaluated shortly; returns at once. */
    public void request(String orgId, String agentId) {
        request(orgId, agentId, null);
    }

    /**
     * The same, for a signal that other replicas may have heard too: {@code sentAt} is its stamp
     * ({@link io.teamsconnector.store.WorkSignal#sentAt}), null when it came from this process.
     */
    public void request(String orgId, String agentId, Long sentAt) {
        AtomicBoolean first = new AtomicBoolean();
        pending.compute(orgId, (org, agents) -> {
            Map<String, Long> ids = agents;
            if (ids == null) {
                ids = new HashMap<>();
                first.set(true);
            }
            boolean asked = ids.containsKey(agentId);
            Long known = ids.get(agentId);
            // asked in-process (null) wins: nobody else heard it, so this replica reads without a claim
            ids.put(agentId, sentAt == null || (asked && known == null) ? null
                    : asked ? Math.max(known, sentAt) : sentAt);
            return ids;
        });
        if (first.get()) {
            workers.schedule("Presence read for connector " + orgId, COALESCE, () -> read(orgId));
        }
    }

    private void read(String orgId) {
        Map<String, Long> requested = pending.remove(orgId);
        if (requested == null || requested.isEmpty()) {
            return;
        }
        Set<String> agentIds = ours(orgId, requested);
        if (agentIds.isEmpty()) {
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

    /** The requested agents this replica reads: those asked in-process, and the signalled ones it claimed. */
    private Set<String> ours(String orgId, Map<String, Long> requested) {
        Set<String> ours = new HashSet<>();
        Map<String, Long> marks = new HashMap<>();
        requested.forEach((agentId, sentAt) -> {
            if (sentAt == null) {
                ours.add(agentId);
            } else {
                marks.put(mark(orgId, agentId), sentAt);
            }
        });
        if (!marks.isEmpty()) {
            Set<String> claimed = bridge.await(() -> leases.claimSignalled(marks));
            requested.keySet().stream().filter(agentId -> claimed.contains(mark(orgId, agentId))).forEach(ours::add);
            int elsewhere = marks.size() - claimed.size();
            if (elsewhere > 0) {
                meters.counter("sync.signals.done.elsewhere", "kind", "presence_read").increment(elsewhere);
            }
        }
        return ours;
    }

    /** ids never hold a tab (see WorkSignal#payload) */
    private static String mark(String orgId, String agentId) {
        return "presence-read\t" + orgId + "\t" + agentId;
    }
}
