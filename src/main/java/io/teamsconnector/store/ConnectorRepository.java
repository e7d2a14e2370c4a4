package io.teamsconnector.store;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.teamsconnector.domain.DomainException;
import jakarta.enterprise.context.ApplicationScoped;

/** Connectors by organization id. */
@ApplicationScoped
@WithSession
public class ConnectorRepository implements PanacheRepositoryBase<ConnectorEntity, String> {

    /** The connector, or a {@code 404 NOT_FOUND} refusal. */
    public Uni<ConnectorEntity> require(String orgId) {
        return findById(orgId).onItem().ifNull()
                .failWith(() -> DomainException.notFound("No connector for organization '" + orgId + "'."));
    }
}
