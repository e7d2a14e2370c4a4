package io.teamsconnector.sync;

import io.micrometer.core.instrument.MeterRegistry;
import io.teamsconnector.config.ConnectorConfig;
import io.teamsconnector.domain.DirectoryRules;
import io.teamsconnector.graph.GraphException;
import io.teamsconnector.graph.GraphGateway;
import io.teamsconnector.graph.GraphGateway.DirectoryUser;
import io.teamsconnector.graph.GraphGateway.UsersDeltaPage;
import io.teamsconnector.store.DirectoryRepository;
import io.teamsconnector.store.DirectoryRepository.DirectoryEntry;
import io.teamsconnector.store.DirectoryRepository.SearchFields;
import io.teamsconnector.store.DirectoryRepository.SyncState;
import io.teamsconnector.store.ReactiveBridge;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps each lookup-enabled connector's directory mirror up to date from Graph's users delta query: a full
 * sync first (and once a day), then rounds from the stored delta link. A page is applied in one transaction
 * with the link that follows it, so an interrupted round resumes where it stopped. Removed and disabled
 * users leave the search; so does a user who loses the last E.164 phone, title or department. Blocking.
 */
@ApplicationScoped
public class DirectorySync {

    private static final Logger LOG = Logger.getLogger(DirectorySync.class);
    static final Duration HOLD = Duration.ofMinutes(5);
    static final Duration RETRY_AFTER_FAILURE = Duration.ofMinutes(1);
    static final int CLAIM = 4;
    /** A round stops after this long and goes on at the next pass: a first sync of a large tenant takes many. */
    static final Duration ROUND_BUDGET = Duration.ofSeconds(20);

    private final DirectoryRepository directory;
    private final GraphGateway graph;
    private final ReactiveBridge bridge;
    private final ConnectorConfig config;
    private final MeterRegistry meters;

    public DirectorySync(DirectoryRepository directory, GraphGateway graph, ReactiveBridge bridge,
                         ConnectorConfig config, MeterRegistry meters) {
        this.directory = directory;
        this.graph = graph;
        this.bridge = bridge;
        this.config = config;
        this.meters = meters;
    }

    /** What rounds did: connectors synced, users written, users removed. */
    public record Synced(int connectors, int users, int removed) {
        static final Synced NONE = new Synced(0, 0, 0);

        Synced plus(Synced other) {
            return new Synced(connectors + other.connectors, users + other.users, removed + other.removed);
        }
    }

    /** Runs the rounds that are due. */
    public Synced syncDue() {
        Synced total = Synced.NONE;
        for (SyncState state : bridge.await(() -> directory.claimDue(HOLD, CLAIM))) {
            total = total.plus(round(state));
        }
        return total;
    }

    private Synced round(SyncState state) {
        boolean resuming = state.nextLink() != null;
        boolean full = state.fullSync() || state.deltaLink() == null || (!resuming && state.lastFullSyncAt() != null
                && state.lastFullSyncAt().isBefore(Instant.now().minus(config.directoryFullSyncInterval())));
        long generation = full && !resuming ? state.generation() + 1 : state.generation();
        if (full && !resuming) {
            bridge.await(() -> directory.startFullSync(state.orgId(), generation));
        }
        String link = resuming ? state.nextLink() : (full ? null : state.deltaLink());
        int users = 0;
        int removed = 0;
        long deadline = System.nanoTime() + ROUND_BUDGET.toNanos();
        try {
            while (true) {
                UsersDeltaPage page = graph.usersDelta(state.tenantId(), link);
                int[] counts = bridge.await(() -> apply(state.orgId(), page, full, generation));
                users += counts[0];
                removed += counts[1];
                if (page.nextLink() != null && System.nanoTime() - deadline > 0) {
                    // the stored next link resumes it at the next pass
                    bridge.await(() -> directory.release(state.orgId(), Duration.ZERO));
                    meters.counter("directory.rounds", "outcome", "continued").increment();
                    return new Synced(0, users, removed);
                }
                if (page.nextLink() != null) {
                    link = page.nextLink();
                    continue;
                }
                String deltaLink = page.deltaLink();
                bridge.await(() -> directory.roundDone(state.orgId(), deltaLink, full, generation,
                        config.directorySyncInterval()));
                meters.counter("directory.rounds", "outcome", full ? "full" : "delta").increment();
                return new Synced(1, users, removed);
            }
        } catch (GraphException e) {
            if (!full && (e.kind() == GraphException.Kind.REJECTED || e.kind() == GraphException.Kind.NOT_FOUND)) {
                // Graph no longer knows the delta token (expired, or the tenant's sync state was reset)
                LOG.infof("Directory delta of connector %s refused (%s); a full sync follows", state.orgId(),
                        e.getMessage());
                bridge.await(() -> directory.needFullSync(state.orgId()));
                bridge.await(() -> directory.release(state.orgId(), Duration.ZERO));
                meters.counter("directory.rounds", "outcome", "resync").increment();
            } else {
                LOG.warnf("Directory sync of connector %s stopped after %d users, resumed later: %s", state.orgId(),
                        users, e.getMessage());
                bridge.await(() -> directory.release(state.orgId(), RETRY_AFTER_FAILURE));
                meters.counter("directory.rounds", "outcome", "failed").increment();
            }
            return new Synced(0, users, removed);
        } catch (RuntimeException e) {
            bridge.await(() -> directory.release(state.orgId(), RETRY_AFTER_FAILURE));
            throw e;
        }
    }

    /** One page in one transaction, with the link after it: users written and users removed. */
    private io.smallrye.mutiny.Uni<int[]> apply(String orgId, UsersDeltaPage page, boolean full, long generation) {
        List<String> ids = new ArrayList<>();
        page.users().forEach(u -> ids.add(u.id()));
        return directory.pool().withTransaction(tx -> directory.lock(tx, orgId, ids).flatMap(stored -> {
            List<DirectoryEntry> entries = new ArrayList<>();
            List<SearchFields> fields = new ArrayList<>();
            for (DirectoryUser user : page.users()) {
                DirectoryEntry entry = full ? entry(user) : merged(stored.get(user.id()), user);
                entries.add(entry);
                fields.add(searchFields(entry));
            }
            return directory.upsert(tx, orgId, entries, fields, generation)
                    .flatMap(ignored -> directory.delete(tx, orgId, page.removedIds()))
                    .flatMap(ignored -> directory.pageApplied(tx, orgId, page.nextLink()))
                    .replaceWith(new int[] {entries.size(), page.removedIds().size()});
        }));
    }

    /** A user of a full sync: what Graph did not send is not set. */
    static DirectoryEntry entry(DirectoryUser user) {
        return new DirectoryEntry(user.id(), user.displayName(), user.givenName(), user.surname(), user.jobTitle(),
                user.department(), user.mail(), user.businessPhones() == null ? List.of() : user.businessPhones(),
                user.accountEnabled());
    }

    /**
     * A user of a delta round over what is stored: Graph sends what changed, so a property it left out keeps
     * its stored value (an empty {@code businessPhones} list is sent, and clears the phones).
     */
    public static DirectoryEntry merged(DirectoryEntry stored, DirectoryUser user) {
        if (stored == null) {
            return entry(user);
        }
        return new DirectoryEntry(user.id(), or(user.displayName(), stored.displayName()),
                or(user.givenName(), stored.givenName()), or(user.surname(), stored.surname()),
                or(user.jobTitle(), stored.jobTitle()), or(user.department(), stored.department()),
                or(user.mail(), stored.mail()), or(user.businessPhones(), stored.businessPhones()),
                or(user.accountEnabled(), stored.accountEnabled()));
    }

    public static SearchFields searchFields(DirectoryEntry e) {
        List<String> phones = DirectoryRules.e164Phones(e.businessPhones());
        return new SearchFields(DirectoryRules.isExpert(e.accountEnabled(), e.jobTitle(), e.department(),
                e.businessPhones()), phones.isEmpty() ? null : phones.get(0), phones,
                DirectoryRules.fold(e.displayName()), DirectoryRules.fold(e.givenName()),
                DirectoryRules.fold(e.surname()), DirectoryRules.fold(e.department()),
                DirectoryRules.fold(e.jobTitle()));
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
