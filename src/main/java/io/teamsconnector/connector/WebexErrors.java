package io.teamsconnector.connector;

import io.teamsconnector.contactcenter.webex.WebexException;
import io.teamsconnector.domain.DomainException;

/** How a failed Webex call reads to an administrator. */
final class WebexErrors {

    private WebexErrors() {
    }

    static DomainException toApi(WebexException e) {
        return switch (e.kind()) {
            case NOT_LINKED -> DomainException.conflict("WEBEX_NOT_LINKED",
                    "The connector is not linked to Webex; link it with POST /connectors/{orgId}/webex/authorize.");
            case REAUTHORIZATION_REQUIRED -> DomainException.conflict("WEBEX_REAUTHORIZATION_REQUIRED",
                    "Webex refused the connector's token; an administrator must link Webex again "
                            + "(POST /connectors/{orgId}/webex/authorize).");
            case UNAUTHORIZED -> new DomainException(DomainException.Kind.UPSTREAM_REFUSED, "WEBEX_REFUSED",
                    "Webex refused the connector's token or the integration (" + e.getMessage() + ").");
            default -> new DomainException(DomainException.Kind.UNAVAILABLE, "WEBEX_UNAVAILABLE",
                    "Webex could not be read now (" + e.getMessage() + "); try again shortly.");
        };
    }
}
