package io.teamsconnector.experts;

import io.teamsconnector.domain.ConnectorStatus;
import io.teamsconnector.experts.ExpertLookupResult.UnavailableReason;

import java.util.Optional;

/** Whether an agent may look experts up (API.md, {@code /expert-lookup}). Plain Java. */
public final class ExpertRules {

    private ExpertRules() {
    }

    /**
     * Why lookup is unavailable, if it is.
     *
     * @param status           the connector's status, null when there is no connector
     * @param agentGiven       whether the request named an agent
     * @param profileEnabled   whether that agent's desktop profile has the Teams integration on (null: agent or
     *                         profile unknown, which does not count as on)
     */
    public static Optional<UnavailableReason> unavailable(ConnectorStatus status, boolean showUserDetails,
                                                          boolean agentGiven, Boolean profileEnabled) {
        if (status == null) {
            return Optional.of(UnavailableReason.NO_CONNECTOR);
        }
        if (status != ConnectorStatus.ACTIVE) {
            return Optional.of(UnavailableReason.CONNECTOR_INACTIVE);
        }
        if (!showUserDetails) {
            return Optional.of(UnavailableReason.USER_DETAILS_DISABLED);
        }
        if (agentGiven && !Boolean.TRUE.equals(profileEnabled)) {
            return Optional.of(UnavailableReason.PROFILE_DISABLED);
        }
        return Optional.empty();
    }
}
