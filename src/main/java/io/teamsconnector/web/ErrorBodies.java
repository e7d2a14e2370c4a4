package io.teamsconnector.web;

import io.teamsconnector.domain.DomainException;
import io.vertx.core.json.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The {@code {"error","message"}} bodies of API.md, for every edge: REST resources ({@code ErrorMapper}),
 * functions and router handlers ({@link FunctionErrorHandler}). Plain Java, so a function without
 * quarkus-rest ships it too.
 */
public final class ErrorBodies {

    private ErrorBodies() {
    }

    /** The error body of API.md. */
    @RegisterForReflection // Json.encode writes it outside endpoints (function, handshake errors): native must be told
    public record ErrorBody(String error, String message) {
    }

    /** Seconds a caller told 503 waits before it tries again (Graph delivers a notification again after a 503). */
    public static final int RETRY_AFTER_SECONDS = 5;

    /** The one writer of the error body's JSON, for edges that write bytes themselves. */
    public static String json(String code, String message) {
        return Json.encode(new ErrorBody(code, message));
    }

    /** The HTTP status of a domain refusal: the only place a kind becomes a status. */
    public static int statusFor(DomainException.Kind kind) {
        return switch (kind) {
            case INVALID -> 400;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case UNAVAILABLE -> 503;
            case UPSTREAM_REFUSED -> 502;
            case FORBIDDEN -> 403;
        };
    }

    /** Says which field was wrong without echoing Jackson's internals. */
    public static String describe(JsonProcessingException e) {
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            StringBuilder field = new StringBuilder();
            for (JsonMappingException.Reference ref : mapping.getPath()) {
                if (ref.getFieldName() != null) {
                    field.append(field.length() == 0 ? "" : ".").append(ref.getFieldName());
                } else if (ref.getIndex() >= 0) {
                    field.append('[').append(ref.getIndex()).append(']');
                }
            }
            return "Field '" + field + "' has the wrong type or value.";
        }
        return "The body is not well-formed JSON of the expected shape.";
    }

    public static String codeFor(int status) {
        return switch (status) {
            case 400 -> "BAD_REQUEST";
            case 401 -> "UNAUTHORIZED";
            case 403 -> "FORBIDDEN";
            case 404 -> "NOT_FOUND";
            case 405 -> "METHOD_NOT_ALLOWED";
            case 406 -> "NOT_ACCEPTABLE";
            case 409 -> "CONFLICT";
            case 413 -> "PAYLOAD_TOO_LARGE";
            case 415 -> "UNSUPPORTED_MEDIA_TYPE";
            case 503 -> "UNAVAILABLE";
            default -> status >= 500 ? "INTERNAL_ERROR" : "BAD_REQUEST";
        };
    }

    public static String messageFor(int status) {
        return switch (status) {
            case 400 -> "The request is malformed.";
            case 401 -> "A valid API key is required: Authorization: Bearer <key>.";
            case 404 -> "No such resource.";
            case 405 -> "This method is not allowed on this resource.";
            case 406 -> "This resource answers application/json.";
            case 413 -> "The body is too large.";
            case 415 -> "The body must be application/json.";
            case 403 -> "Forbidden.";
            case 409 -> "Conflict.";
            case 503 -> "Service Unavailable.";
            default -> status >= 500 ? "Internal Server Error." : "Request failed.";
        };
    }
}
