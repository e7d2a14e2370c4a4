package io.teamsconnector.connector;

import io.teamsconnector.contactcenter.webex.WebexCatalog;
import io.teamsconnector.contactcenter.webex.WebexClient;
import io.teamsconnector.domain.DomainException;
import io.teamsconnector.store.ReactiveBridge;
import io.teamsconnector.store.WebexLinkRepository;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * While Webex is linked, a state mapping may only name active idle codes of the org (API.md,
 * {@code UNKNOWN_IDLE_CODE}); without a link, mapping values stay free text (webhook and none adapters).
 */
@ApplicationScoped
public class IdleCodeCheck {

    private final WebexLinkRepository links;
    private final WebexCatalog catalog;
    private final ReactiveBridge bridge;

    public IdleCodeCheck(WebexLinkRepository links, WebexCatalog catalog, ReactiveBridge bridge) {
        this.links = links;
        this.catalog = catalog;
        this.bridge = bridge;
    }

    /** Refuses the mapping with {@code 400 UNKNOWN_IDLE_CODE} when a value is not an active idle code of the org. */
    public void requireKnown(String orgId, Map<String, String> mapping) {
        boolean linked = bridge.await(() -> links.find(orgId))
                .filter(l -> WebexLinkRepository.LINKED.equals(l.status())).isPresent();
        if (!linked || mapping.isEmpty()) {
            return;
        }
        Set<String> ids = WebexAdminResource.webex(() -> catalog.idleCodes(orgId)).stream()
                .map(WebexClient.IdleCode::id).collect(Collectors.toSet());
        unknown(mapping, ids).ifPresent(entry -> {
            throw new DomainException(DomainException.Kind.INVALID, "UNKNOWN_IDLE_CODE", "stateMapping." + entry.getKey() + " is '"
                    + entry.getValue() + "', which is not an active idle code of Webex organization " + orgId
                    + " (GET /connectors/" + orgId + "/idle-codes lists them).");
        });
    }

    /** The first entry (by Teams state name) whose value is not among {@code ids}. */
    static Optional<Map.Entry<String, String>> unknown(Map<String, String> mapping, Set<String> ids) {
        return new TreeMap<>(mapping).entrySet().stream().filter(e -> !ids.contains(e.getValue())).findFirst();
    }
}
