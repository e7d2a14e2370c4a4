package io.teamsconnector.consent;

import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

/**
 * The public pages of the Webex link (API.md, Webex Contact Center): {@code start} binds the browser with a
 * cookie and redirects to Webex, {@code callback} checks and applies Webex's answer. Worker threads.
 */
@Path("/webex")
@Blocking
public class WebexLinkResource {

    private final WebexLinkService service;
    private final ConsentService consent;

    public WebexLinkResource(WebexLinkService service, ConsentService consent) {
        this.service = service;
        this.consent = consent;
    }

    @GET
    @Path("/start")
    public Response start(@QueryParam("ticket") String ticket) {
        try {
            return ConsentResource.redirect(service.start(ticket), "/webex", consent.secureCookie());
        } catch (ConsentRefusedException e) {
            return ConsentPages.refused(e.getMessage());
        }
    }

    @GET
    @Path("/callback")
    public Response callback(@QueryParam("state") String state, @QueryParam("code") String code,
                             @QueryParam("error") String error, @QueryParam("error_description") String errorDescription,
                             @CookieParam(ConsentService.COOKIE) String browser) {
        try {
            String done = service.callback(state, code, error, errorDescription, browser);
            return Response.fromResponse(ConsentPages.page(200, "Teams Connector: Webex linked", done))
                    .header("Set-Cookie", ConsentResource.cookie("/webex", "", 0, consent.secureCookie())).build();
        } catch (ConsentRefusedException e) {
            return ConsentPages.refused(e.getMessage());
        }
    }
}
