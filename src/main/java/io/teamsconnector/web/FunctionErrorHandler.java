package io.teamsconnector.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.teamsconnector.domain.DomainException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Funqy functions are Vert.x routes, not REST resources: their failures reach the router, not
 * {@code ErrorMapper}. This failure handler gives them the same {@code {"error","message"}} bodies.
 */
@ApplicationScoped
public class FunctionErrorHandler {

    private static final Logger LOG = Logger.getLogger(FunctionErrorHandler.class);

    void register(@Observes Router router) {
        router.route().failureHandler(this::handle);
    }

    void handle(RoutingContext context) {
        if (context.response().ended() || context.response().headWritten()) {
            return;
        }
        Throwable failure = unwrap(context.failure());
        int status;
        String code;
        String message;
        if (failure instanceof DomainException api) {
            status = ErrorBodies.statusFor(api.kind());
            code = api.code();
            message = api.getMessage();
        } else if (failure instanceof JsonProcessingException json) {
            status = 400;
            code = "BAD_REQUEST";
            message = ErrorBodies.describe(json);
        } else if (failure == null && context.statusCode() >= 400 && context.statusCode() < 500) {
            status = context.statusCode();
            code = ErrorBodies.codeFor(status);
            message = status == 400 ? "The body is not well-formed JSON of the expected shape."
                    : ErrorBodies.messageFor(status);
        } else {
            if (failure != null) {
                LOG.error("Unexpected failure in " + context.request().path(), failure);
            }
            status = 500;
            code = "INTERNAL_ERROR";
            message = "The request could not be completed; see the service log.";
        }
        if (status == 503) {
            context.response().putHeader("Retry-After", String.valueOf(ErrorBodies.RETRY_AFTER_SECONDS));
        }
        context.response().setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(ErrorBodies.json(code, message));
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while (t != null && !(t instanceof DomainException) && !(t instanceof JsonProcessingException)
                && t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t instanceof DomainException || t instanceof JsonProcessingException ? t : failure;
    }
}
