package io.teamsconnector.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.teamsconnector.domain.DomainException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The one mapping from failures to {@code {"error","message"}}; no class name or stack trace leaves the service. */
public class ErrorMapper {

    private static final Logger LOG = Logger.getLogger(ErrorMapper.class);

    @ServerExceptionMapper
    public RestResponse<String> api(DomainException e) {
        return body(ErrorBodies.statusFor(e.kind()), e.code(), e.getMessage());
    }

    @ServerExceptionMapper
    public RestResponse<String> json(JsonProcessingException e) {
        return body(400, "BAD_REQUEST", ErrorBodies.describe(e));
    }

    /** quarkus-rest-jackson has a built-in mapper for this subtype; ours must be at least as specific. */
    @ServerExceptionMapper
    public RestResponse<String> mismatched(MismatchedInputException e) {
        return json(e);
    }

    @ServerExceptionMapper
    public RestResponse<String> web(WebApplicationException e) {
        Throwable cause = e.getCause();
        if (cause instanceof JsonProcessingException json) {
            return json(json);
        }
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        return body(status, ErrorBodies.codeFor(status), ErrorBodies.messageFor(status));
    }

    @ServerExceptionMapper
    public RestResponse<String> unexpected(Throwable e) {
        if (e instanceof DomainException api) {
            return api(api);
        }
        LOG.error("Unexpected failure", e);
        return body(500, "INTERNAL_ERROR", "The request could not be completed; see the service log.");
    }

    /** Written as text by {@link ErrorBodies#json}: a function without quarkus-rest-jackson maps errors too. */
    static RestResponse<String> body(int status, String code, String message) {
        RestResponse.ResponseBuilder<String> response = RestResponse.ResponseBuilder.<String>create(status)
                .entity(ErrorBodies.json(code, message))
                .type(MediaType.APPLICATION_JSON_TYPE);
        if (status == 503) {
            response.header("Retry-After", ErrorBodies.RETRY_AFTER_SECONDS);
        }
        return response.build();
    }
}
