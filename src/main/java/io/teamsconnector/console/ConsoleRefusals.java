package io.teamsconnector.console;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** A refused console request reads as a page: the sign-in for an ended session, a clear refusal otherwise. */
public class ConsoleRefusals {

    @ServerExceptionMapper
    public Response refused(ConsoleRefusal e, HttpHeaders headers) {
        if (e.kind == ConsoleRefusal.Kind.SIGN_IN) {
            // htmx follows HX-Redirect; a browser follows the 303
            return "true".equals(headers.getHeaderString("HX-Request"))
                    ? Response.status(401).header("HX-Redirect", "/console").build()
                    : Response.seeOther(java.net.URI.create("/console")).build();
        }
        return Response.status(e.kind.status).type(MediaType.TEXT_HTML_TYPE)
                .entity(ConsoleTemplates.refused(ConsolePage.signedOut(), e.kind.title, e.getMessage()).render())
                .build();
    }
}
