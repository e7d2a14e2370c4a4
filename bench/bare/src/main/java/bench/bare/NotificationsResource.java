package bench.bare;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The reference of bench/webhook-throughput.sh: the connector's webhook route with nothing behind it. It reads
 * the body as the connector's does (bytes, on a worker thread) and answers {@code 202}.
 */
@Path("/graph")
public class NotificationsResource {

    @POST
    @Path("/notifications")
    @Consumes(MediaType.WILDCARD)
    public RestResponse<String> notifications(byte[] body) {
        return RestResponse.accepted();
    }
}
