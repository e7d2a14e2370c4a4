package io.teamsconnector.console;

import io.smallrye.common.annotation.Blocking;
import io.teamsconnector.config.ConnectorConfig;
import io.teamsconnector.connector.ConnectorService;
import io.teamsconnector.contactcenter.webex.WebexClient;
import io.teamsconnector.contactcenter.webex.WebexException;
import io.teamsconnector.contactcenter.webex.WebexOAuth;
import io.teamsconnector.domain.DomainException;
import io.teamsconnector.security.ApiKeys;
import io.teamsconnector.store.ReactiveBridge;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

import java.net.URI;

/**
 * Signing in to the console, two ways (README, The admin console): an operator pastes an API key (checked in
 * constant time, as the API checks it); an org administrator signs in with Webex (authorization code with
 * {@code openid email spark:people_read}, then people/me: the org and the roles). Sign-out clears the session.
 */
@Path("/console")
@Produces(MediaType.TEXT_HTML)
@Blocking
public class ConsoleSignInResource {

    /** What the console asks Webex for: who the person is, and their org and roles. */
    public static final String SCOPES = "openid email spark:people_read";

    private static final Logger LOG = Logger.getLogger(ConsoleSignInResource.class);

    private final ConsoleSessions sessions;
    private final ConsoleGuard guard;
    private final ApiKeys apiKeys;
    private final WebexOAuth oauth;
    private final WebexClient webex;
    private final ConnectorService connectors;
    private final ReactiveBridge bridge;
    private final ConnectorConfig config;

    public ConsoleSignInResource(ConsoleSessions sessions, ConsoleGuard guard, ApiKeys apiKeys, WebexOAuth oauth,
                                 WebexClient webex, ConnectorService connectors, ReactiveBridge bridge,
                                 ConnectorConfig config) {
        this.sessions = sessions;
        this.guard = guard;
        this.apiKeys = apiKeys;
        this.oauth = oauth;
        this.webex = webex;
        this.connectors = connectors;
        this.bridge = bridge;
        this.config = config;
    }

    /** Signed in: the connectors. Otherwise the sign-in page, bound to this browser by a one-time cookie. */
    @GET
    public Response home(@BeanParam ConsoleRequest request) {
        if (sessions.open(request.session).isPresent()) {
            return seeOther("/console/connectors");
        }
        return signInPage(200, null);
    }

    @POST
    @Path("/sign-in")
    public Response signIn(@FormParam("apiKey") String apiKey, @FormParam("signIn") String signIn,
                           @CookieParam(ConsoleSessions.SIGN_IN_COOKIE) String signInCookie) {
        if (!ConsoleSessions.sameSignIn(signInCookie, signIn)) {
            return signInPage(403, "This sign-in form has expired or was not opened in this browser. Try again.");
        }
        if (!apiKeys.accepts(apiKey == null ? null : apiKey.trim())) {
            LOG.info("Console sign-in with an API key refused");
            return signInPage(401, "That API key is not valid.");
        }
        ConsoleSession session = sessions.operator();
        LOG.info("Operator signed in to the console with an API key");
        return Response.seeOther(URI.create("/console/connectors"))
                .header("Set-Cookie", sessions.sessionCookie(session))
                .header("Set-Cookie", sessions.clearedSignInCookie())
                .build();
    }

    /** Sends the browser to Webex's authorize page with a fresh state, kept in a cookie of this browser. */
    @GET
    @Path("/sign-in/webex")
    public Response webexSignIn() {
        if (!oauth.configured()) {
            return signInPage(503, "Sign-in with Webex is not configured on this service (CONNECTOR_WEBEX_CLIENT_ID "
                    + "and CONNECTOR_WEBEX_CLIENT_SECRET).");
        }
        String state = sessions.signInValue();
        return Response.seeOther(URI.create(oauth.authorizeLocation(webexRedirectUri(), SCOPES, state)))
                .header("Set-Cookie", sessions.signInCookie(state))
                .build();
    }

    /** Webex's answer: the person must be a full administrator of an org that has a connector. */
    @GET
    @Path("/sign-in/webex/callback")
    public Response webexCallback(@QueryParam("code") String code, @QueryParam("state") String state,
                                  @QueryParam("error") String error,
                                  @CookieParam(ConsoleSessions.SIGN_IN_COOKIE) String signInCookie) {
        if (!ConsoleSessions.sameSignIn(signInCookie, state)) {
            return refused("This Webex sign-in was not started in this browser, or it took longer than 10 minutes. "
                    + "Start again from the sign-in page.");
        }
        if (error != null || code == null || code.isBlank() || code.length() > 2048) {
            return refused("Webex did not sign you in" + (error == null ? "." : " (" + error + ")."));
        }
        WebexClient.Me me;
        try {
            me = webex.me(oauth.redeemCode(code, webexRedirectUri()).accessToken());
        } catch (WebexException e) {
            return refused("Webex could not confirm who you are (" + e.getMessage() + "). Try again in a few minutes.");
        }
        OrgAdmins.Verdict verdict = OrgAdmins.judge(me);
        if (verdict.refusal() != null) {
            return refused(verdict.refusal());
        }
        String orgId = verdict.orgId();
        try {
            bridge.await(() -> connectors.get(orgId));
        } catch (DomainException e) {
            return refused("Webex organization " + orgId + " has no connector yet. Ask the operator of this service "
                    + "to create one.");
        }
        ConsoleSession session = sessions.orgAdmin(verdict.who(), orgId);
        LOG.infof("Administrator of Webex organization %s signed in to the console", orgId);
        String target = "/console/connectors/" + orgId;
        // a page of ours, not a redirect: the navigation that follows is same-site, so the Strict cookie is sent
        return Response.ok(ConsoleTemplates.signedIn(ConsolePage.signedOut(), target).render())
                .header("Set-Cookie", sessions.sessionCookie(session))
                .header("Set-Cookie", sessions.clearedSignInCookie())
                .build();
    }

    @POST
    @Path("/sign-out")
    public Response signOut(@BeanParam ConsoleRequest request, @FormParam("csrf") String csrf) {
        guard.writer(request, csrf);
        return Response.seeOther(URI.create("/console"))
                .header("Set-Cookie", sessions.clearedSessionCookie())
                .build();
    }

    private Response signInPage(int status, String error) {
        String value = sessions.signInValue();
        return Response.status(status)
                .entity(ConsoleTemplates.signIn(ConsolePage.signedOut(), value, error, oauth.configured()).render())
                .type(MediaType.TEXT_HTML_TYPE)
                .header("Set-Cookie", sessions.signInCookie(value))
                .build();
    }

    private Response refused(String message) {
        return Response.status(403)
                .entity(ConsoleTemplates.refused(ConsolePage.signedOut(), "You cannot use this console", message)
                        .render())
                .type(MediaType.TEXT_HTML_TYPE)
                .header("Set-Cookie", sessions.clearedSignInCookie())
                .build();
    }

    /** {@code {publicUrl}/console/sign-in/webex/callback}: registered as a redirect URI of the Webex integration. */
    String webexRedirectUri() {
        return config.publicBase() + "/console/sign-in/webex/callback";
    }

    static Response seeOther(String path) {
        return Response.seeOther(URI.create(path)).build();
    }
}
