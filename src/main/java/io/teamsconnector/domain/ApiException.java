package io.teamsconnector.domain;

/**
 * A refusal the caller can act on: carries the HTTP status and the machine code of the error body.
 * Mapped once, to {@code {"error","message"}}.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String code;

    public ApiException(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "BAD_REQUEST", message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, "NOT_FOUND", message);
    }

    public static ApiException conflict(String code, String message) {
        return new ApiException(409, code, message);
    }

    /** The request was fine but could not be served now; the caller should retry. */
    public static ApiException unavailable(String message) {
        return new ApiException(503, "UNAVAILABLE", message);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
