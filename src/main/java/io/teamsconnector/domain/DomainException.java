package io.teamsconnector.domain;

/**
 * A refusal the caller can act on, said in the domain's terms: what kind of refusal it is and its machine code
 * (the {@code error} of the error body). Domain, store and engine code throw it; only the web edge
 * ({@code ErrorMapper}, {@code FunctionErrorHandler}) turns a kind into an HTTP status.
 */
public class DomainException extends RuntimeException {

    /** What kind of refusal: the edge maps each to one status. */
    public enum Kind {
        /** The request itself is wrong (a value, a missing field, an unknown idle code). */
        INVALID,
        /** What the request names does not exist. */
        NOT_FOUND,
        /** The request clashes with the current state (not active, still active, concurrent change). */
        CONFLICT,
        /** It could not be done now (a dependency down, a key missing); trying later may work. */
        UNAVAILABLE,
        /** A service we depend on refused us (a revoked link, say). */
        UPSTREAM_REFUSED,
        /** The caller is who they say, but may not act for what the request names (another org or agent). */
        FORBIDDEN
    }

    private final Kind kind;
    private final String code;

    public DomainException(Kind kind, String code, String message) {
        super(message, null, false, false);
        this.kind = kind;
        this.code = code;
    }

    public static DomainException invalid(String message) {
        return new DomainException(Kind.INVALID, "BAD_REQUEST", message);
    }

    public static DomainException notFound(String message) {
        return new DomainException(Kind.NOT_FOUND, "NOT_FOUND", message);
    }

    public static DomainException conflict(String code, String message) {
        return new DomainException(Kind.CONFLICT, code, message);
    }

    /** The request was fine but could not be served now; the caller should retry. */
    public static DomainException unavailable(String message) {
        return new DomainException(Kind.UNAVAILABLE, "UNAVAILABLE", message);
    }

    public static DomainException forbidden(String code, String message) {
        return new DomainException(Kind.FORBIDDEN, code, message);
    }

    public Kind kind() {
        return kind;
    }

    public String code() {
        return code;
    }
}
