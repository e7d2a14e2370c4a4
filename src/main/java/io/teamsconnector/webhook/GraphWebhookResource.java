package io.teamsconnector.webhook;

import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Microsoft Graph's webhooks (API.md), public: Graph cannot send our API key. The validation handshake is
 * answered before this, by {@link ValidationHandshake}. Who is who is settled per
 * item by subscription id and clientState, and for rich notifications by the signed validation tokens.
 * Change notifications are taken on the event loop (their volume is Graph's to choose); lifecycle events, rare,
 * on a worker thread, where they wait for the database.
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
        return intake.notifications(body).map(outcome -> RestResponse.accepted());
    }

    @POST
    @Blocking
    @Path("/lifecycle")
    @Consumes(MediaType.WILDCARD)
    public RestResponse<String> lifecycle(byte[] body) {
        intake.lifecycle(body);
        return RestResponse.accepted();
    }
}
