package io.teamsconnector.graph;

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

    public GraphException(Kind kind, int status, String message) {
        super(message);
        this.kind = kind;
        this.status = status;
    }

    public GraphException(Kind kind, int status, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
    }

    public Kind kind() {
        return kind;
    }

    /** HTTP status when there was one, else 0. */
    public int status() {
        return status;
    }
}
