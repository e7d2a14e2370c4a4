package io.teamsconnector.connector;

import io.teamsconnector.domain.ConnectorStatus;
import io.teamsconnector.domain.PresenceMode;
import io.teamsconnector.store.ConnectorEntity;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/** The connector object of API.md. */
public record ConnectorView(String orgId, String tenantId, ConnectorStatus status, boolean presenceSync,
                            boolean showUserDetails, Map<String, String> stateMapping, PresenceMode presenceMode,
                            Instant createdAt, Instant updatedAt) {

    public static ConnectorView of(ConnectorEntity connector) {
        return new ConnectorView(connector.orgId, connector.tenantId, connector.status, connector.presenceSync,
                connector.showUserDetails, new TreeMap<>(connector.stateMapping), connector.presenceMode,
                connector.createdAt, connector.updatedAt);
    }
}
