package io.teamsconnector.store;

import io.smallrye.mutiny.Uni;
import io.teamsconnector.domain.ConnectorStatus;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

/**
 * A connector's effective state as the view {@code connector_states} derives it, for the functions without
 * Hibernate ({@code consent}, and the token refresh of {@code graph}). Reads only: the {@code connectors} row
 * is written by {@code ConnectorEntity}, the consent by {@link ConsentRequestRepository#recordConsent}.
 */
@ApplicationScoped
public class ConnectorStates {

    private final Pool pool;

    public ConnectorStates(Pool pool) {
        this.pool = pool;
    }

    /**
     * A small read projection of one connector: its status and the tenant that consented (null before).
     * The consent flow needs no more than this, and reads it without the entity (no Hibernate there).
     */
    public record ConnectorState(String orgId, ConnectorStatus status, String tenantId) {

        public boolean active() {
            return status == ConnectorStatus.ACTIVE;
        }
    }

    /** The connector's state, or empty when it does not exist. */
    public Uni<Optional<ConnectorState>> find(String orgId) {
        return pool.preparedQuery("SELECT status, tenant_id FROM connector_states WHERE org_id = $1")
                .execute(Tuple.of(orgId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.empty();
                    }
                    Row row = rows.iterator().next();
                    return Optional.of(new ConnectorState(orgId, ConnectorStatus.valueOf(row.getString("status")),
                            row.getString("tenant_id")));
                });
    }
}
