package io.teamsconnector.agents;

import io.smallrye.common.annotation.Blocking;
import io.teamsconnector.domain.DomainException;
import io.teamsconnector.web.ErrorBodies;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Instant;

/**
 * {@code POST /webex/events}: public (Webex sends no API key), protected by the subscription's signature.
 * The raw body is what is signed, so it is read as bytes. Worker thread: the delivery is stored before the
 * answer.
 */
@Path("/webex/events")
@Blocking
public class WebexEventsResource {

    private final WebexEventIntake intake;

    public WebexEventsResource(WebexEventIntake intake) {
        this.intake = intake;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response deliver(byte[] body, @HeaderParam("X-WebexCC-Signature") String signature,
                            @HeaderParam("X-WebExCC-Timestamp") String timestamp) {
        try {
            WebexEventIntake.Accepted accepted = intake.accept(body == null ? new byte[0] : body, signature, timestamp,
                    Instant.now());
            return json(200, "{\"stored\":true,\"duplicate\":" + accepted.duplicate() + "}");
        } catch (WebexEventIntake.RefusedException e) {
            return error(401, e.refusal().name(), e.getMessage());
        } catch (DomainException e) {
            return error(ErrorBodies.statusFor(e.kind()), e.code(), e.getMessage());
        }
    }

    private static Response error(int status, String code, String message) {
        return json(status, ErrorBodies.json(code, message));
    }

    private static Response json(int status, String body) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body).build();
    }
}
