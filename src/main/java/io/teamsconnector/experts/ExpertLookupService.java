package io.teamsconnector.experts;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.teamsconnector.domain.DirectoryRules;
import io.teamsconnector.domain.TeamsPresence;
import io.teamsconnector.experts.ExpertLookupResult.Expert;
import io.teamsconnector.experts.ExpertLookupResult.Presence;
import io.teamsconnector.experts.ExpertLookupResult.UnavailableReason;
import io.teamsconnector.store.DirectoryRepository;
import io.teamsconnector.store.DirectoryRepository.ExpertSearch;
import io.teamsconnector.store.DirectoryRepository.GatedHits;
import io.teamsconnector.store.DirectoryRepository.Hit;
import io.teamsconnector.store.DirectoryRepository.LookupGate;
import io.teamsconnector.store.ReactiveBridge;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Expert lookup: gating and the search in the directory mirror (never Graph per keystroke), in one round trip,
 * then the presence of the page. Blocking (the function's worker thread).
 */
@ApplicationScoped
public class ExpertLookupService {

    private final DirectoryRepository directory;
    private final ExpertPresence presence;
    private final ReactiveBridge bridge;
    private final Timer searchTime;
    private final Timer presenceTime;

    public ExpertLookupService(DirectoryRepository directory, ExpertPresence presence, ReactiveBridge bridge,
                               MeterRegistry meters) {
        this.directory = directory;
        this.presence = presence;
        this.bridge = bridge;
        this.searchTime = Timer.builder("expert.lookup.phase").tag("phase", "search")
                .description("Expert lookup: gating and the search in the mirror").register(meters);
        this.presenceTime = Timer.builder("expert.lookup.phase").tag("phase", "presence")
                .description("Expert lookup: the presence of the page").register(meters);
    }

    /** What to search the mirror for; null when the query folds to nothing (only combining marks). */
    static ExpertSearch search(ExpertQuery query) {
        String department = DirectoryRules.fold(query.department());
        String jobTitle = DirectoryRules.fold(query.jobTitle());
        if (query.query() == null) {
            return new ExpertSearch.ByFilters(department, jobTitle, query.limit());
        }
        Optional<String> phone = DirectoryRules.phoneQuery(query.query());
        if (phone.isPresent()) {
            return new ExpertSearch.ByPhone(phone.get(), department, jobTitle, query.limit());
        }
        String prefix = DirectoryRules.fold(query.query());
        return prefix.isEmpty() ? null : new ExpertSearch.ByPrefix(prefix, department, jobTitle, query.limit());
    }

    public ExpertLookupResult lookup(ExpertQuery query) {
        long start = System.nanoTime();
        GatedHits found = bridge.await(() -> directory.gatedSearch(query.orgId(), query.agentId(), search(query)));
        LookupGate gate = found.gate();
        Optional<UnavailableReason> unavailable = ExpertRules.unavailable(gate.status(), gate.showUserDetails(),
                query.agentId() != null, gate.profileEnabled());
        if (unavailable.isPresent()) {
            return ExpertLookupResult.unavailable(unavailable.get());
        }
        List<Hit> page = ExpertRanking.rank(found.hits(), query.limit());
        long searched = System.nanoTime();
        searchTime.record(searched - start, TimeUnit.NANOSECONDS);
        Map<String, TeamsPresence> presences = page.isEmpty() ? Map.of()
                : presence.of(gate.tenantId(), page.stream().map(Hit::userId).toList());
        presenceTime.record(System.nanoTime() - searched, TimeUnit.NANOSECONDS);
        return ExpertLookupResult.of(page.stream().map(hit -> {
            TeamsPresence p = presences.get(hit.userId());
            return new Expert(hit.userId(), hit.displayName(), hit.jobTitle(), hit.department(), hit.businessPhone(),
                    p == null ? null : new Presence(p.availability(), p.activity()));
        }).toList());
    }
}
