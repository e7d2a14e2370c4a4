package io.teamsconnector.contactcenter.webex;

import io.micrometer.core.instrument.MeterRegistry;
import io.teamsconnector.config.ConnectorConfig;
import io.teamsconnector.contactcenter.webex.WebexException.Kind;
import io.teamsconnector.security.SecretCipher;
import io.teamsconnector.store.ReactiveBridge;
import io.teamsconnector.store.WebexLinkRepository;
import io.teamsconnector.store.WebexLinkRepository.SealedTokens;
import io.teamsconnector.store.WebexLinkRepository.WebexLinkRow;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each connector's Webex tokens: stored encrypted, refreshed before they expire (one refresh at a time per
 * connector in this process; across instances the conditional update lets one refresh win and the others
 * read its tokens), a rotated refresh token stored at once. A {@code 401} from Webex leads to one refresh and
 * one retry; {@code invalid_grant} leaves the link {@code REAUTHORIZATION_REQUIRED}, logged and counted.
 * Blocking: call from a worker thread.
 */
@ApplicationScoped
public class WebexLinks {

    private static final Logger LOG = Logger.getLogger(WebexLinks.class);

    private final WebexLinkRepository links;
    private final ReactiveBridge bridge;
    private final SecretCipher cipher;
    private final WebexOAuth oauth;
    private final WebexHttp http;
    private final MeterRegistry meters;
    private final ConnectorConfig config;
    private final Map<String, Object> refreshLocks = new ConcurrentHashMap<>();

    public WebexLinks(WebexLinkRepository links, ReactiveBridge bridge, SecretCipher cipher, WebexOAuth oauth,
                      WebexHttp http, MeterRegistry meters, ConnectorConfig config) {
        this.links = links;
        this.bridge = bridge;
        this.cipher = cipher;
        this.oauth = oauth;
        this.http = http;
        this.meters = meters;
        this.config = config;
    }

    /** Associated data binding a ciphertext to its connector and purpose: a ciphertext moved elsewhere does not open. */
    public static String context(String orgId, String what) {
        return WebexLinkRepository.sealContext(orgId, what);
    }

    /** Seals both tokens for storage. */
    public SealedTokens seal(String orgId, WebexTokens tokens) {
        SecretCipher.Sealed access = cipher.seal(tokens.accessToken(), context(orgId, "access"));
        SecretCipher.Sealed refresh = cipher.seal(tokens.refreshToken(), context(orgId, "refresh"));
        return new SealedTokens(access.keyId(), access.ciphertext(), tokens.accessExpiresAt(), refresh.ciphertext(),
                tokens.refreshExpiresAt());
    }

    public Optional<WebexLinkRow> find(String orgId) {
        return bridge.await(() -> links.find(orgId));
    }

    /**
     * Calls Webex for the connector with its access token. A {@code 401} is answered by one refresh and one
     * retry. Every other answer is returned as it is.
     */
    public WebexHttp.Answer call(String orgId, HttpMethod method, String url, Map<String, String> headers,
                                 JsonObject body) {
        String token = accessToken(orgId);
        WebexHttp.Answer answer = http.call(method, url, token, headers, body);
        if (answer.status() != 401) {
            return answer;
        }
        LOG.debugf("Webex refused the access token of connector %s; refreshing once", orgId);
        answer = http.call(method, url, refreshed(orgId, token), headers, body);
        if (answer.status() == 401) {
            throw new WebexException(Kind.UNAUTHORIZED, 401, "Webex refused a freshly refreshed access token");
        }
        return answer;
    }

    /** A live access token of the connector, refreshed first when it expires soon. */
    public String accessToken(String orgId) {
        WebexLinkRow row = requireLinked(orgId);
        if (row.accessExpiresAt().minus(config.tokenRefreshSkew()).isAfter(Instant.now())) {
            return cipher.open(new SecretCipher.Sealed(row.keyId(), row.accessTokenCiphertext()), context(orgId, "access"));
        }
        return refreshed(orgId, null);
    }

    /**
     * A fresh access token: refreshes unless another caller did so since {@code staleToken} was read (or, with
     * {@code staleToken} null, since the stored token was found expiring).
     */
    String refreshed(String orgId, String staleToken) {
        synchronized (refreshLocks.computeIfAbsent(orgId, k -> new Object())) {
            WebexLinkRow row = requireLinked(orgId);
            String current = cipher.open(new SecretCipher.Sealed(row.keyId(), row.accessTokenCiphertext()),
                    context(orgId, "access"));
            boolean fresh = row.accessExpiresAt().minus(config.tokenRefreshSkew()).isAfter(Instant.now());
            if (fresh && (staleToken == null || !staleToken.equals(current))) {
                return current;
            }
            String refreshToken = cipher.open(new SecretCipher.Sealed(row.keyId(), row.refreshTokenCiphertext()),
                    context(orgId, "refresh"));
            WebexTokens tokens;
            try {
                tokens = oauth.refresh(refreshToken);
            } catch (WebexException e) {
                if (e.kind() == Kind.REAUTHORIZATION_REQUIRED) {
                    return afterRefusedRefresh(orgId, row);
                }
                throw e;
            }
            SealedTokens sealed = seal(orgId, tokens);
            boolean stored = bridge.await(() -> links.replaceTokens(orgId, row.refreshTokenCiphertext(), sealed));
            if (!stored) {
                // another instance refreshed meanwhile (or the link was removed): its tokens are the current ones
                LOG.debugf("Webex tokens of connector %s were replaced concurrently", orgId);
            }
            return tokens.accessToken();
        }
    }

    /** Webex refused the refresh token: unless another instance refreshed meanwhile, an administrator must act. */
    private String afterRefusedRefresh(String orgId, WebexLinkRow used) {
        WebexLinkRow now = requireLinked(orgId);
        if (!now.refreshTokenCiphertext().equals(used.refreshTokenCiphertext())) {
            return cipher.open(new SecretCipher.Sealed(now.keyId(), now.accessTokenCiphertext()), context(orgId, "access"));
        }
        if (bridge.await(() -> links.requireReauthorization(orgId, used.refreshTokenCiphertext()))) {
            meters.counter("webex.reauthorization.required").increment();
            LOG.warnf("Webex refused the refresh token of connector %s (invalid_grant): the link is "
                    + "REAUTHORIZATION_REQUIRED. State changes wait until an administrator links Webex again "
                    + "(POST /connectors/%s/webex/authorize).", orgId, orgId);
        }
        throw new WebexException(Kind.REAUTHORIZATION_REQUIRED, 400,
                "The Webex link of connector " + orgId + " needs an administrator to link Webex again");
    }

    private WebexLinkRow requireLinked(String orgId) {
        WebexLinkRow row = find(orgId).orElseThrow(() -> new WebexException(Kind.NOT_LINKED, 0,
                "Connector " + orgId + " is not linked to Webex"));
        if (WebexLinkRepository.REAUTHORIZATION_REQUIRED.equals(row.status())) {
            throw new WebexException(Kind.REAUTHORIZATION_REQUIRED, 0,
                    "The Webex link of connector " + orgId + " needs an administrator to link Webex again");
        }
        return row;
    }
}
