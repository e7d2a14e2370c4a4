package io.teamsconnector.consent;

import io.teamsconnector.config.ConnectorConfig;
import io.teamsconnector.contactcenter.webex.WebexCatalog;
import io.teamsconnector.contactcenter.webex.WebexClient;
import io.teamsconnector.contactcenter.webex.WebexException;
import io.teamsconnector.contactcenter.webex.WebexLinks;
import io.teamsconnector.contactcenter.webex.WebexOAuth;
import io.teamsconnector.contactcenter.webex.WebexOrgs;
import io.teamsconnector.contactcenter.webex.WebexSubscriptions;
import io.teamsconnector.contactcenter.webex.WebexTokens;
import io.teamsconnector.domain.ConnectorStatus;
import io.teamsconnector.domain.ConsentKind;
import io.teamsconnector.domain.WebexIds;
import io.teamsconnector.store.ConsentRequestRepository.ConsentRequest;
import io.teamsconnector.store.OutboxRepository;
import io.teamsconnector.store.ReactiveBridge;
import io.teamsconnector.store.WebexLinkRepository;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;


/**
 * The Webex link (API.md, Webex Contact Center): the same one-time ticket, browser cookie and single-use
 * state as the admin consent, then Webex's authorization code. The person who signs in must belong to the
 * connector's Webex org. Blocking: Webex is called before, never inside, a transaction.
 */
@ApplicationScoped
public class WebexLinkService {

    private static final Logger LOG = Logger.getLogger(WebexLinkService.class);

    private final ConsentService consent;
    private final WebexOAuth oauth;
    private final WebexClient webex;
    private final WebexLinks tokens;
    private final WebexSubscriptions subscriptions;
    private final WebexCatalog catalog;
    private final WebexLinkRepository links;
    private final OutboxRepository outbox;
    private final ReactiveBridge bridge;
    private final ConnectorConfig config;

    public WebexLinkService(ConsentService consent, WebexOAuth oauth, WebexClient webex, WebexLinks tokens,
                            WebexSubscriptions subscriptions, WebexCatalog catalog, WebexLinkRepository links,
                            OutboxRepository outbox, ReactiveBridge bridge, ConnectorConfig config) {
        this.consent = consent;
        this.oauth = oauth;
        this.webex = webex;
        this.tokens = tokens;
        this.subscriptions = subscriptions;
        this.catalog = catalog;
        this.links = links;
        this.outbox = outbox;
        this.bridge = bridge;
        this.config = config;
    }

    /** Redeems the ticket and sends the browser to Webex's authorize page with a fresh state. */
    public ConsentService.Redirect start(String ticket) {
        ConsentService.Started started = consent.redeem(ticket, ConsentKind.WEBEX_LINK);
        if (!oauth.configured()) {
            throw new ConsentRefusedException("No Webex integration is configured (CONNECTOR_WEBEX_CLIENT_ID and "
                    + "CONNECTOR_WEBEX_CLIENT_SECRET).");
        }
        String location = oauth.authorizeLocation(redirectUri(), WebexOAuth.SCOPES, started.state());
        return new ConsentService.Redirect(location, started.browserSecret());
    }

    /** Webex's answer: the code is redeemed, the person's org checked, the tokens stored; answers the success text. */
    public String callback(String state, String code, String error, String errorDescription, String browserSecret) {
        ConsentRequest request = consent.consume(state, browserSecret, "Webex");
        String orgId = request.orgId();
        if (ConsentKind.valueOf(request.kind()) != ConsentKind.WEBEX_LINK) {
            throw ConsentService.refuse(orgId, "This answer belongs to a Microsoft consent, not to a Webex link.");
        }
        if (error != null) {
            String description = errorDescription == null ? "" : ": " + errorDescription;
            throw ConsentService.refuse(orgId, "Webex did not grant the request (" + error + description + ").");
        }
        if (code == null || code.isBlank() || code.length() > 2048) {
            throw ConsentService.refuse(orgId, "The answer from Webex has no authorization code.");
        }
        WebexTokens issued;
        WebexClient.Person person;
        try {
            issued = oauth.redeemCode(code, redirectUri());
            if (issued.refreshToken() == null) {
                throw ConsentService.refuse(orgId, "Webex did not return a refresh token; the link could not last.");
            }
            person = webex.peopleMe(issued.accessToken());
        } catch (WebexException e) {
            throw ConsentService.refuse(orgId, switch (e.kind()) {
                case UNAVAILABLE, THROTTLED -> "Webex could not be reached. Try again in a few minutes.";
                case UNAUTHORIZED -> "Webex refused the integration (client id or secret).";
                default -> "Webex refused the sign-in code.";
            });
        }
        if (!sameOrg(person.orgId(), orgId)) {
            throw ConsentService.refuse(orgId, "The Webex account " + (person.email() == null ? "" : person.email() + " ")
                    + "belongs to another Webex organization than connector " + orgId + ". Sign in with an "
                    + "administrator of organization " + orgId + ".");
        }
        String status = bridge.await(() -> consent.connectorStatus(orgId));
        if (status == null) {
            throw ConsentService.refuse(orgId, "The connector no longer exists.");
        }
        String linkedBy = person.email() != null ? person.email() : person.id();
        bridge.await(() -> links.link(orgId, linkedBy, tokens.seal(orgId, issued)));
        catalog.forget(orgId);
        LOG.infof("Connector %s linked to its Webex org by %s", orgId, linkedBy);
        if (!ConnectorStatus.INACTIVE.name().equals(status)) {
            subscriptions.registerQuietly(orgId);
        }
        int waiting = bridge.await(() -> outbox.requeueWaiting(orgId));
        if (waiting > 0) {
            LOG.infof("%d state changes of connector %s that waited for the Webex link are queued again", waiting, orgId);
        }
        return "Connector " + orgId + " is linked to Webex (signed in as " + linkedBy + "). You may close this window.";
    }

    /** Exactly {@code {publicUrl}/webex/callback}, as registered in the Webex integration. */
    public String redirectUri() {
        return config.publicBase() + "/webex/callback";
    }

    /** The person's org is the connector's org ({@link WebexOrgs#sameOrg}). */
    static boolean sameOrg(String personOrgId, String orgId) {
        return WebexOrgs.sameOrg(personOrgId, orgId);
    }
}
