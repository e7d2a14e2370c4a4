package io.teamsconnector.webhook;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestResponse;

import java.util.function.Supplier;

/**
 * Microsoft Graph's webhooks (API.md), public: Graph cannot send our API key. The validation handshake is
 * answered before this, by {@link ValidationHandshake}. Who is who is settled per
 * item by subscription id and clientState, and for rich notifications by the signed validation tokens.
 * The body is read without blocking; storing it happens on a worker thread.
 */
@Path("/graph")
public class GraphWebhookResource {

    private final NotificationIntake intake;

    public GraphWebhookResource(NotificationIntake intake) {
        this.intake = intake;
    }

    @POST
    @Path("/notifications")
    @Consumes(MediaType.WILDCARD)
    public Uni<RestResponse<String>> notifications(byte[] body) {
        return onWorker(() -> intake.notifications(body));
    }

    @POST
    @Path("/lifecycle")
    @Consumes(MediaType.WILDCARD)
    public Uni<RestResponse<String>> lifecycle(byte[] body) {
        return onWorker(() -> intake.lifecycle(body));
    }

    /** The intake waits for the database, on a worker thread. */
    private static Uni<RestResponse<String>> onWorker(Supplier<?> work) {
        return Uni.createFrom().item(() -> {
                    work.get();
                    return RestResponse.<String>accepted();
                })
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }
}
