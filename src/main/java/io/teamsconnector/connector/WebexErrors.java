package io.teamsconnector.connector;

import io.teamsconnector.contactcenter.webex.WebexException;
import io.teamsconnector.domain.ApiException;

/** How a failed Webex call reads to an administrator. */
final class WebexErrors {

    private WebexErrors() {
    }

    static ApiException toApi(WebexException e) {
        return switch (e.kind()) {
            case NOT_LINKED -> ApiException.conflict("WEBEX_NOT_LINKED",
                    "The connector is not linked to Webex; link it with POST /connectors/{orgId}/webex/authorize.");
            case REAUTHORIZATION_REQUIRED -> ApiException.conflict("WEBEX_REAUTHORIZATION_REQUIRED",
                    "Webex refused the connector's token; an administrator must link Webex again "
                            + "(POST /connectors/{orgId}/webex/authorize).");
            case UNAUTHORIZED -> new ApiException(502, "WEBEX_REFUSED",
                    "Webex refused the connector's token or the integration (" + e.getMessage() + ").");
            default -> new ApiException(503, "WEBEX_UNAVAILABLE",
                    "Webex could not be read now (" + e.getMessage() + "); try again shortly.");
        };
    }
}
