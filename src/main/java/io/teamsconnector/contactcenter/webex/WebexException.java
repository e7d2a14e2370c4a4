package io.teamsconnector.contactcenter.webex;

import java.time.Duration;

/** A Webex call that did not succeed; the message is safe to log and show (never a token or a body). */
public class WebexException extends RuntimeException {

    /** What went wrong, as far as the caller must tell apart. */
    public enum Kind {
        /** The connector has no Webex link. */
        NOT_LINKED,
        /** Webex refused the refresh token (invalid_grant): an administrator must link again. */
        REAUTHORIZATION_REQUIRED,
        /** Webex refused the access token or the client (401 after a refresh, invalid_client). */
        UNAUTHORIZED,
        /** Webex asked us to slow down ({@link #retryAfter()}). */
        THROTTLED,
        /** No answer, a timeout or a 5xx: worth another attempt later. */
        UNAVAILABLE,
        /** Webex refused the request itself (another 4xx). */
        REJECTED,
        /** The resource does not exist (404). */
        NOT_FOUND
    }

    private final Kind kind;
    private final int status;
    private final Duration retryAfter;

    public WebexException(Kind kind, int status, String message) {
        this(kind, status, message, Duration.ZERO);
    }

    public WebexException(Kind kind, int status, String message, Duration retryAfter) {
        super(message, null, false, false);
        this.kind = kind;
        this.status = status;
        this.retryAfter = retryAfter;
    }

    public Kind kind() {
        return kind;
    }

    /** Webex's HTTP status, 0 when there was no answer. */
    public int status() {
        return status;
    }

    /** How long Webex asked us to wait (429), else zero. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
