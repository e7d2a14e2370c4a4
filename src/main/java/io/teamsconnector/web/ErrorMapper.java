package io.teamsconnector.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.teamsconnector.domain.ApiException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The one mapping from failures to {@code {"error","message"}}; no class name or stack trace leaves the service. */
public class ErrorMapper {

    private static final Logger LOG = Logger.getLogger(ErrorMapper.class);

    /** The error body of API.md. */
    @RegisterForReflection // Json.encode writes it outside endpoints (function, handshake errors): native must be told
    public record ErrorBody(String error, String message) {
    }

    @ServerExceptionMapper
    public RestResponse<ErrorBody> api(ApiException e) {
        return body(e.status(), e.code(), e.getMessage());
    }

    @ServerExceptionMapper
    public RestResponse<ErrorBody> json(JsonProcessingException e) {
        return body(400, "BAD_REQUEST", describe(e));
    }

    /** quarkus-rest-jackson has a built-in mapper for this subtype; ours must be at least as specific. */
    @ServerExceptionMapper
    public RestResponse<ErrorBody> mismatched(MismatchedInputException e) {
        return json(e);
    }

    @ServerExceptionMapper
    public RestResponse<ErrorBody> web(WebApplicationException e) {
        Throwable cause = e.getCause();
        if (cause instanceof JsonProcessingException json) {
            return json(json);
        }
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        return body(status, codeFor(status), messageFor(status));
    }

    @ServerExceptionMapper
    public RestResponse<ErrorBody> unexpected(Throwable e) {
        if (e instanceof ApiException api) {
            return api(api);
        }
        LOG.error("Unexpected failure", e);
        return body(500, "INTERNAL_ERROR", "The request could not be completed; see the service log.");
    }

    static RestResponse<ErrorBody> body(int status, String code, String message) {
        return RestResponse.ResponseBuilder.<ErrorBody>create(status)
                .entity(new ErrorBody(code, message))
                .type(MediaType.APPLICATION_JSON_TYPE).build();
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
            default -> Response.Status.fromStatusCode(status) == null ? "Request failed."
                    : Response.Status.fromStatusCode(status).getReasonPhrase() + ".";
        };
    }
}
