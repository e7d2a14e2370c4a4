package io.teamsconnector.consent;

import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import java.net.URI;

/**
 * The public consent pages (API.md, Consent): {@code start} binds the browser with a cookie and
 * redirects to Microsoft, {@code callback} checks and applies Microsoft's answer. Protected by the
 * one-time ticket, the state and the cookie, not by the API key. Worker threads: these calls wait
 * for Entra and the database.
 */
@Path("/consent")
@Blocking
public class ConsentResource {

    private final ConsentService service;

    public ConsentResource(ConsentService service) {
        this.service = service;
    }

    @GET
    @Path("/start")
    public Response start(@QueryParam("ticket") String ticket) {
        try {
            return redirect(service.start(ticket), "/consent", service.secureCookie());
        } catch (ConsentRefusedException e) {
            return ConsentPages.refused(e.getMessage());
        }
    }

    @GET
    @Path("/callback")
    public Response callback(@QueryParam("state") String state, @QueryParam("error") String error,
                             @QueryParam("error_description") String errorDescription,
                             @QueryParam("admin_consent") String adminConsent, @QueryParam("tenant") String tenant,
                             @QueryParam("code") String code, @CookieParam(ConsentService.COOKIE) String browser) {
        try {
            String done = service.callback(
                    new ConsentService.Callback(state, error, errorDescription, adminConsent, tenant, code), browser);
            return Response.fromResponse(ConsentPages.page(200, "Teams Connector: connected", done))
                    .header("Set-Cookie", cookie("", 0)).build();
        } catch (ConsentRefusedException e) {
            return ConsentPages.refused(e.getMessage());
        }
    }

    /**
     * Sends the browser on to the sign-in, with the cookie binding it to the transaction. The location is built
     * from configuration only (login or Webex URL), never from the request: no open redirect.
     */
    static Response redirect(ConsentService.Redirect redirect, String cookiePath, boolean secure) {
        return Response.status(302).location(URI.create(redirect.location()))
                .header("Set-Cookie", cookie(cookiePath, redirect.browserSecret(),
                        (int) ConsentService.STATE_TTL.toSeconds(), secure))
                .header("Cache-Control", "no-store")
                .header("Referrer-Policy", "no-referrer")
                .build();
    }

    private String cookie(String value, int maxAge) {
        return cookie("/consent", value, maxAge, service.secureCookie());
    }

    /** The cookie binding a browser to its transaction, valid for the pages under {@code path} only. */
    static String cookie(String path, String value, int maxAge, boolean secure) {
        return ConsentService.COOKIE + "=" + value + "; Path=" + path + "; Max-Age=" + maxAge + "; HttpOnly; SameSite=Lax"
                + (secure ? "; Secure" : "");
    }
}
