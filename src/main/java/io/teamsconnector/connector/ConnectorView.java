package io.teamsconnector.connector;

import io.teamsconnector.domain.ConnectorStatus;
import io.teamsconnector.domain.PresenceMode;
import io.teamsconnector.store.ConnectorEntity;
import io.teamsconnector.store.WebexLinkRepository.WebexLinkRow;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The connector object of API.md. */
public record ConnectorView(String orgId, String tenantId, ConnectorStatus status, boolean presenceSync,
                            boolean showUserDetails, Map<String, String> stateMapping, PresenceMode presenceMode,
                            Instant createdAt, Instant updatedAt, WebexView webex, boolean teamsWriteBack,
                            Map<String, String> writeBackMapping, List<String> missingPermissions) {

    /**
     * The connector's Webex link: {@code NOT_LINKED}, {@code LINKED} or {@code REAUTHORIZATION_REQUIRED}.
     * {@code subscriptionStatus} is Webex's status of the subscription at the last check ({@code inactive}:
     * Webex stopped delivering agent events). Never a token.
     */
    public record WebexView(String status, String linkedBy, Instant linkedAt, String subscriptionId,
                            String subscriptionStatus) {

        static final WebexView NOT_LINKED = new WebexView("NOT_LINKED", null, null, null, null);

        static WebexView of(Optional<WebexLinkRow> link) {
            return link.map(l -> new WebexView(l.status(), l.linkedBy(), l.linkedAt(), l.subscriptionId(),
                    l.subscriptionStatus())).orElse(NOT_LINKED);
        }
    }

    public static ConnectorView of(ConnectorEntity connector) {
        return new ConnectorView(connector.orgId, connector.tenantId, connector.status, connector.presenceSync,
                connector.showUserDetails, new TreeMap<>(connector.stateMapping), connector.presenceMode,
                connector.createdAt, connector.updatedAt, WebexView.NOT_LINKED, connector.teamsWriteBack,
                new TreeMap<>(connector.writeBackMapping), List.of());
    }

    /** This view with the connector's Webex link. */
    public ConnectorView withWebex(Optional<WebexLinkRow> link) {
        return new ConnectorView(orgId, tenantId, status, presenceSync, showUserDetails, stateMapping, presenceMode,
                createdAt, updatedAt, WebexView.of(link), teamsWriteBack, writeBackMapping, missingPermissions);
    }

    /**
     * This view with the permissions Graph found missing when the connector wrote to Teams (write-back), until
     * a new admin consent grants them.
     */
    public ConnectorView withMissingPermissions(List<String> missing) {
        return new ConnectorView(orgId, tenantId, status, presenceSync, showUserDetails, stateMapping, presenceMode,
                createdAt, updatedAt, webex, teamsWriteBack, writeBackMapping, List.copyOf(missing));
    }
}
