package io.teamsconnector.console;

import java.time.Instant;

/**
 * Who is signed in to the console: an operator (an API key; every connector) or a Webex org administrator
 * (only the connector of their org). {@code id} is random per sign-in; the CSRF token is derived from it.
 */
public record ConsoleSession(Kind kind, String who, String orgId, Instant expiresAt, String id) {

    /** How the person signed in. */
    public enum Kind {
        OPERATOR, ORG_ADMIN
    }

    /** True when this session may see and change the connector of {@code org}. */
    public boolean canSee(String org) {
        return kind == Kind.OPERATOR || (orgId != null && orgId.equals(org));
    }

    public boolean operator() {
        return kind == Kind.OPERATOR;
    }
}
