package io.teamsconnector.experts;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.teamsconnector.domain.ConnectorStatus;
import io.teamsconnector.experts.ExpertLookupResult.UnavailableReason;
import io.teamsconnector.store.ConnectorRepository;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** Expert lookup: gating by connector state and toggles, then the directory search. */
@ApplicationScoped
public class ExpertLookupService {

    private final ConnectorRepository connectors;

    public ExpertLookupService(ConnectorRepository connectors) {
        this.connectors = connectors;
    }

    @WithSession
    public Uni<ExpertLookupResult> lookup(ExpertQuery query) {
        return connectors.findById(query.orgId()).map(connector -> {
            if (connector == null) {
                return ExpertLookupResult.unavailable(UnavailableReason.NO_CONNECTOR);
            }
            if (connector.status != ConnectorStatus.ACTIVE) {
                return ExpertLookupResult.unavailable(UnavailableReason.CONNECTOR_INACTIVE);
            }
            if (!connector.showUserDetails) {
                return ExpertLookupResult.unavailable(UnavailableReason.USER_DETAILS_DISABLED);
            }
            // The directory mirror arrives with the expert lookup issue; until then nobody matches.
            return ExpertLookupResult.of(List.of());
        });
    }
}
