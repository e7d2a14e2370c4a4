package io.teamsconnector.consent;

import io.teamsconnector.config.ConnectorConfig;
import io.teamsconnector.domain.ConsentKind;
import io.teamsconnector.graph.DelegatedTokens;
import io.teamsconnector.graph.EntraTokens;
import io.teamsconnector.graph.GraphException;
import io.teamsconnector.graph.ServiceAccountTokens;
import io.teamsconnector.security.Hashes;
import io.teamsconnector.security.RandomTokens;
import io.teamsconnector.security.SecretCipher;
import io.teamsconnector.store.ConsentRequestRepository;
import io.teamsconnector.store.ConnectorStates;
import io.teamsconnector.store.ConnectorStates.ConnectorState;
import io.teamsconnector.store.ConsentRequestRepository.ConsentRequest;
import io.teamsconnector.store.ReactiveBridge;
import io.teamsconnector.store.ServiceAccountRepository;
import io.teamsconnector.store.SubscriptionRepository;
import io.teamsconnector.store.WorkSignal;
import io.teamsconnector.store.WorkSignals;
import io.teamsconnector.store.WriteBackRepository;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Admin consent and service-account sign-in (API.md, Consent). Blocking: runs on worker threads, waits
 * for the database through {@link ReactiveBridge}, and calls Entra before, never inside, a transaction.
 */
@ApplicationScoped
public class ConsentService {

    /** How long a state is accepted after the browser was sent to Microsoft (normative: 10 minutes). */
    public static final Duration STATE_TTL = Duration.ofMinutes(10);
    /** Name of the cookie that binds the browser to its consent transaction. */
    public static final String COOKIE = "tc_consent";

    private static final Logger LOG = Logger.getLogger(ConsentService.class);

    private final ConsentRequestRepository requests;
    private final ConnectorStates connectors;
    private final ServiceAccountRepository serviceAccounts;
    private final SubscriptionRepository subscriptions;
    private final ReactiveBridge bridge;
    private final EntraTokens entra;
    private final SecretCipher cipher;
    private final ConnectorConfig config;
    private final RandomTokens random;
    private final WriteBackRepository writeBacks;
    private final WorkSignals signals;

    public ConsentService(ConsentRequestRepository requests, ConnectorStates connectors,
                          ServiceAccountRepository serviceAccounts, SubscriptionRepository subscriptions,
                          ReactiveBridge bridge, EntraTokens entra, SecretCipher cipher, RandomTokens random,
                          ConnectorConfig config, WriteBackRepository writeBacks, WorkSignals signals) {
        this.requests = requests;
        this.connectors = connectors;
        this.serviceAccounts = serviceAccounts;
        this.subscriptions = subscriptions;
        this.bridge = bridge;
        this.random = random;
        this.entra = entra;
        this.cipher = cipher;
        this.config = config;
        this.writeBacks = writeBacks;
        this.signals = signals;
    }

    /** Where the browser goes, and the cookie value binding it to the transaction. */
    public record Redirect(String location, String browserSecret) {
        @Override
        public String toString() {
            return "Redirect[location hidden]";
        }
    }

    /** The callback's query parameters. */
    public record Callback(String state, String error, String errorDescription, String adminConsent, String tenant,
                           String code) {
    }

    /** A redeemed ticket: its transaction and connector, the fresh state, and the browser secret for the cookie. */
    public record Started(ConsentKind kind, ConnectorState connector, String state, String browserSecret) {
        @Override
        public String toString() {
            return "Started[kind=" + kind + ", orgId=" + connector.orgId() + "]";
        }
    }

    /** Redeems the one-time ticket (once) and binds its transaction to a fresh state and this browser. */
    public Started redeem(String ticket, ConsentKind expected) {
        if (ticket == null || ticket.isBlank() || ticket.length() > 128) {
            throw new ConsentRefusedException("This link has no valid ticket. Ask for a new authorize URL.");
        }
        String state = random.next();
        String browser = random.next();
        ConsentRequest request = bridge.await(() -> requests.start(hash(ticket), hash(state), hash(browser)))
                .orElseThrow(() -> new ConsentRefusedException(
                        "This link is unknown, expired or was already used. Ask for a new authorize URL."));
        ConsentKind kind = ConsentKind.valueOf(request.kind());
        if ((kind == ConsentKind.WEBEX_LINK) != (expected == ConsentKind.WEBEX_LINK)) {
            throw new ConsentRefusedException("This link belongs to another sign-in. Ask for a new authorize URL.");
        }
        ConnectorState connector = bridge.await(() -> connectors.find(request.orgId()))
                .orElseThrow(() -> new ConsentRefusedException("The connector no longer exists."));
        return new Started(kind, connector, state, browser);
    }

    /** Redeems the one-time ticket and sends the browser to Microsoft with a fresh state. */
    public Redirect start(String ticket) {
        Started started = redeem(ticket, ConsentKind.ADMIN_CONSENT);
        ConsentKind kind = started.kind();
        ConnectorState connector = started.connector();
        String state = started.state();
        String browser = started.browserSecret();
        String login = base(config.loginUrl());
        String clientId = config.clientId().orElseThrow(
                () -> new ConsentRefusedException("The connector has no Entra application configured (client id)."));
        Map<String, String> query = new LinkedHashMap<>();
        query.put("client_id", clientId);
        String location;
        if (kind == ConsentKind.ADMIN_CONSENT) {
            String tenant = connector.tenantId() != null ? connector.tenantId() : EntraTokens.ANY_ORGANIZATION;
            query.put("scope", EntraTokens.APP_SCOPE);
            query.put("redirect_uri", redirectUri());
            query.put("state", state);
            location = login + "/" + tenant + "/v2.0/adminconsent?" + encode(query);
        } else {
            if (connector.tenantId() == null) {
                throw new ConsentRefusedException("The connector is not connected to a tenant yet.");
            }
            query.put("response_type", "code");
            query.put("redirect_uri", redirectUri());
            query.put("response_mode", "query");
            query.put("scope", EntraTokens.DELEGATED_SCOPE);
            query.put("state", state);
            query.put("prompt", "select_account");
            location = login + "/" + connector.tenantId() + "/oauth2/v2.0/authorize?" + encode(query);
        }
        return new Redirect(location, browser);
    }

    /**
     * Consumes the state of a callback, once: it must be known, unexpired, unused and bound to this browser.
     * Answers its transaction, or throws a refusal naming the problem.
     */
    public ConsentRequest consume(String state, String browserSecret, String who) {
        if (state == null || state.isBlank()) {
            throw refuse(null, "The answer from " + who + " has no state. Start again from a new authorize URL.");
        }
        if (state.length() > 128) {
            throw refuse(null, "The state is not one this connector issued.");
        }
        if (browserSecret == null || browserSecret.isBlank()) {
            throw refuse(null, "This browser did not start the sign-in (its consent cookie is missing). "
                    + "Open the authorize URL and finish the sign-in in the same browser.");
        }
        String stateHash = hash(state);
        String browserHash = hash(browserSecret);
        Optional<ConsentRequest> consumed = bridge.await(() -> requests.consume(stateHash, browserHash, STATE_TTL));
        if (consumed.isEmpty()) {
            ConsentRequestRepository.StateProblem problem =
                    bridge.await(() -> requests.diagnose(stateHash, browserHash, STATE_TTL));
            throw refuse(null, switch (problem) {
                case UNKNOWN -> "The state is not one this connector issued.";
                case USED -> "This answer was already used. Start again from a new authorize URL.";
                case EXPIRED -> "The sign-in took longer than 10 minutes. Start again from a new authorize URL.";
                case OTHER_BROWSER -> "This sign-in was started in another browser. "
                        + "Finish it in the browser that opened the authorize URL.";
            });
        }
        return consumed.get();
    }

    /** Checks Microsoft's answer and applies it; answers the success text, or throws a refusal. */
    public String callback(Callback answer, String browserSecret) {
        ConsentRequest request = consume(answer.state(), browserSecret, "Microsoft");
        if (ConsentKind.valueOf(request.kind()) == ConsentKind.WEBEX_LINK) {
            throw refuse(request.orgId(), "This answer belongs to a Webex link, not to a Microsoft consent.");
        }
        String orgId = request.orgId();
        if (answer.error() != null) {
            String description = answer.errorDescription() == null ? "" : ": " + answer.errorDescription();
            throw refuse(orgId, "Microsoft Entra did not grant the request (" + answer.error() + description + ").");
        }
        return ConsentKind.valueOf(request.kind()) == ConsentKind.ADMIN_CONSENT
                ? adminConsent(orgId, answer)
                : serviceAccount(orgId, answer);
    }

    private String adminConsent(String orgId, Callback answer) {
        if (!"True".equalsIgnoreCase(answer.adminConsent())) {
            throw refuse(orgId, "Microsoft Entra did not report an admin consent.");
        }
        String tenant = answer.tenant();
        if (!EntraTokens.isValidTenant(tenant)) {
            throw refuse(orgId, "The answer names no valid tenant.");
        }
        try {
            // proof: an app-only token for that tenant. Outside any transaction, on this worker thread.
            entra.evictAppToken(tenant);
            entra.appAccessToken(tenant);
        } catch (GraphException e) {
            throw refuse(orgId, e.kind() == GraphException.Kind.UNAUTHORIZED
                    ? "Microsoft Entra refused a token for tenant " + tenant + ", so the consent is not proven."
                    : "Microsoft Entra could not be reached to prove the consent. Try again in a few minutes.");
        }
        boolean activated = bridge.await(() -> requests.recordConsent(orgId, tenant));
        if (!activated) {
            throw refuse(orgId, "The connector was deleted, deactivated or is connected to another tenant.");
        }
        LOG.infof("Admin consent proven: connector %s is ACTIVE for tenant %s", orgId, tenant);
        // a new consent may grant what Graph refused the write-back for: it writes again
        if (bridge.await(() -> writeBacks.permissionGranted(orgId))) {
            signals.send(WorkSignal.writeBack(orgId));
        }
        return "Connector " + orgId + " is active for tenant " + tenant + ". You may close this window.";
    }

    private String serviceAccount(String orgId, Callback answer) {
        if (answer.code() == null || answer.code().isBlank()) {
            throw refuse(orgId, "The answer from Microsoft has no authorization code.");
        }
        ConnectorState connector = bridge.await(() -> connectors.find(orgId))
                .filter(c -> c.active() && c.tenantId() != null)
                .orElseThrow(() -> refuse(orgId, "The connector is no longer active."));
        DelegatedTokens tokens;
        try {
            tokens = entra.redeemCode(connector.tenantId(), answer.code(), redirectUri());
        } catch (GraphException e) {
            throw refuse(orgId, switch (e.kind()) {
                case UNAUTHORIZED -> "Microsoft Entra refused the sign-in code.";
                case REJECTED -> "The sign-in is not one of this connector's tenant for this app. Sign in again with "
                        + "an account of the connector's tenant.";
                default -> "Microsoft Entra could not be reached. Try again in a few minutes.";
            });
        }
        if (tokens.userId() == null || tokens.refreshToken() == null) {
            throw refuse(orgId, "Microsoft Entra did not return a usable sign-in (user or refresh token missing).");
        }
        SecretCipher.Sealed sealed = cipher.seal(tokens.refreshToken(), ServiceAccountTokens.context(orgId, tokens.userId()));
        bridge.await(() -> serviceAccounts.upsert(orgId, tokens.userId(), tokens.userPrincipalName(), sealed.keyId(),
                sealed.ciphertext()));
        LOG.infof("Presence service account %s added to connector %s", tokens.userId(), orgId);
        // its subscription is made at the next maintenance pass
        bridge.await(() -> subscriptions.dueWithin(orgId, Duration.ZERO));
        String who = tokens.userPrincipalName() != null ? tokens.userPrincipalName() : tokens.userId();
        return "Presence service account " + who + " is signed in for connector " + orgId + ". You may close this window.";
    }

    static ConsentRefusedException refuse(String orgId, String reason) {
        LOG.infof("Consent callback refused%s: %s", orgId == null ? "" : " for connector " + orgId, reason);
        return new ConsentRefusedException(reason);
    }

    /** The connector's status, or null when it does not exist. */
    public io.smallrye.mutiny.Uni<String> connectorStatus(String orgId) {
        return connectors.find(orgId).map(c -> c.map(state -> state.status().name()).orElse(null));
    }

    /** Exactly {@code {publicUrl}/consent/callback}, as registered in Entra. */
    public String redirectUri() {
        return config.publicBase() + "/consent/callback";
    }

    /** True when the cookie must carry {@code Secure} (the public URL is HTTPS). */
    public boolean secureCookie() {
        return config.publicUrl().startsWith("https:");
    }

    static String hash(String value) {
        return Hashes.sha256Hex(value);
    }

    private static String encode(Map<String, String> query) {
        return query.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8).replace("+", "%20"))
                .collect(Collectors.joining("&"));
    }

    private static String base(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
