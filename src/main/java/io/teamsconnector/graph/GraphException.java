package io.teamsconnector.graph;

import java.time.Duration;
import java.util.Optional;

/** A Graph or Entra failure in domain terms; no SDK type escapes the gateway. */
public class GraphException extends RuntimeException {

    /** What went wrong, as far as the caller needs to know. */
    public enum Kind {
        /** Token refused or consent missing (401/403, invalid_grant, AADSTS errors). */
        UNAUTHORIZED,
        /** The resource does not exist (404). */
        NOT_FOUND,
        /** The resource exists already (409). */
        CONFLICT,
        /** Still throttled (429) after honouring Retry-After. */
        THROTTLED,
        /** Graph or Entra unreachable, timing out or failing (5xx) after retries. */
        UNAVAILABLE,
        /** Any other refusal (400 and the like). */
        REJECTED
    }

    private final Kind kind;
    private final int status;
    private final Duration retryAfter;

    public GraphException(Kind kind, int status, String message) {
        this(kind, status, message, null, null);
    }

    public GraphException(Kind kind, int status, String message, Throwable cause) {
        this(kind, status, message, cause, null);
    }

    GraphException(Kind kind, int status, String message, Throwable cause, Duration retryAfter) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
        this.retryAfter = retryAfter;
    }

    public Kind kind() {
        return kind;
    }

    /** HTTP status when there was one, else 0. */
    public int status() {
        return status;
    }

    /** How long Graph asked the caller to wait ({@code Retry-After}), when it did. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
