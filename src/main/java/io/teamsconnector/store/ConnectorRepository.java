package io.teamsconnector.store;

import io.quarkus.hibernate.reactive.panache.Panache;
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

    /**
     * Writes the connector's pending changes and reads it again, so that what the database derives (status,
     * tenant, presence mode: view {@code connector_states}) is current. The instance answered replaces the one
     * given, which is detached.
     */
    public Uni<ConnectorEntity> saved(ConnectorEntity connector) {
        // detach and find rather than refresh: Hibernate 7 logs a deprecation warning on every refresh
        return flush().flatMap(ignored -> Panache.getSession())
                .flatMap(session -> session.detach(connector).find(ConnectorEntity.class, connector.orgId));
    }
}
