package io.teamsconnector.contactcenter.webex;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.oidc.client.OidcClient;
import io.quarkus.oidc.client.OidcClientConfigBuilder;
import io.quarkus.oidc.client.OidcClientException;
import io.quarkus.oidc.client.OidcClients;
import io.quarkus.oidc.client.Tokens;
import io.quarkus.oidc.client.runtime.OidcClientConfig;
import io.quarkus.oidc.common.runtime.config.OidcClientCommonConfig.Credentials.Secret.Method;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;
import io.teamsconnector.config.ConnectorConfig;
import io.teamsconnector.contactcenter.webex.WebexException.Kind;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Webex's OAuth token endpoint ({@code {webexUrl}/v1/access_token}) through quarkus-oidc-client: the
 * authorization-code grant of the link and the refresh-token grant. One client for the whole service (one
 * Webex integration). Blocking: call from a worker thread.
 */
@ApplicationScoped
public class WebexOAuth {

    /** Scopes of the link: idle codes, profiles and users; subscriptions; agent state; people/me. */
    public static final String SCOPES = "cjp:config_read cjp:config_write cjp:user spark:people_read";

    private static final Logger LOG = Logger.getLogger(WebexOAuth.class);
    private static final Pattern OAUTH_ERROR = Pattern.compile("\"error\"\\s*:\\s*\"([A-Za-z0-9_]{1,64})\"");

    private final OidcClients oidcClients;
    private final ConnectorConfig config;
    private final MeterRegistry meters;
    private volatile Uni<OidcClient> client;

    public WebexOAuth(OidcClients oidcClients, ConnectorConfig config, MeterRegistry meters) {
        this.oidcClients = oidcClients;
        this.config = config;
        this.meters = meters;
    }

    /** True when the Webex integration is configured (client id and secret). */
    public boolean configured() {
        return config.webexClientId().filter(s -> !s.isBlank()).isPresent()
                && config.webexClientSecret().filter(s -> !s.isBlank()).isPresent();
    }

    /** {@code {webexUrl}/v1/authorize}. */
    public String authorizeUrl() {
        return trimSlash(config.webexUrl()) + "/v1/authorize";
    }

    /**
     * Webex's authorize page for this integration: {@code response_type=code}, the client id, the redirect URI,
     * the scopes and the state.
     */
    public String authorizeLocation(String redirectUri, String scopes, String state) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", clientId());
        query.put("redirect_uri", redirectUri);
        query.put("scope", scopes);
        query.put("state", state);
        return authorizeUrl() + "?" + query.entrySet().stream()
                // colons stay as they are (allowed in a query): the scopes read as Webex documents them
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8).replace("+", "%20")
                        .replace("%3A", ":"))
                .collect(Collectors.joining("&"));
    }

    /** The integration's client id; refused when none is configured. */
    public String clientId() {
        return config.webexClientId().filter(s -> !s.isBlank()).orElseThrow(() -> new WebexException(
                Kind.UNAUTHORIZED, 0, "No Webex integration is configured (CONNECTOR_WEBEX_CLIENT_ID)."));
    }

    /** Redeems the authorization code of a link. */
    public WebexTokens redeemCode(String code, String redirectUri) {
        return request("authorization_code", c -> c.getTokens(Map.of("code", code, "redirect_uri", redirectUri)));
    }

    /** Trades the refresh token for fresh tokens; Webex may answer a new refresh token (rotation). */
    public WebexTokens refresh(String refreshToken) {
        WebexTokens fresh = request("refresh_token", c -> c.refreshTokens(refreshToken));
        return fresh.refreshToken() != null ? fresh
                : new WebexTokens(fresh.accessToken(), fresh.accessExpiresAt(), refreshToken, null);
    }

    private WebexTokens request(String grant, Function<OidcClient, Uni<Tokens>> call) {
        try {
            Tokens tokens = call.apply(client()).await().atMost(config.contactCenterTimeout());
            count(grant, "ok");
            return tokens(tokens);
        } catch (RuntimeException e) {
            WebexException failure = classify(grant, e);
            count(grant, failure.kind().name().toLowerCase());
            throw failure;
        }
    }

    /** {@code webex.token.requests}: token requests by grant and outcome. */
    private void count(String grant, String outcome) {
        meters.counter("webex.token.requests", "grant", grant, "outcome", outcome).increment();
    }

    private OidcClient client() {
        Uni<OidcClient> current = client;
        if (current == null) {
            synchronized (this) {
                if (client == null) {
                    client = oidcClients.newClient(clientConfig()).memoize().indefinitely();
                }
                current = client;
            }
        }
        try {
            return current.await().atMost(config.contactCenterTimeout());
        } catch (RuntimeException e) {
            client = null;
            throw e;
        }
    }

    private OidcClientConfig clientConfig() {
        String secret = config.webexClientSecret().filter(s -> !s.isBlank()).orElseThrow(() -> new WebexException(
                Kind.UNAUTHORIZED, 0, "No Webex integration is configured (CONNECTOR_WEBEX_CLIENT_SECRET)."));
        return new OidcClientConfigBuilder()
                .id("webex")
                .tokenPath(trimSlash(config.webexUrl()) + "/v1/access_token")
                .discoveryEnabled(false)
                .clientId(clientId())
                // Webex reads client_id and client_secret from the form
                .credentials().clientSecret(secret, Method.POST).end()
                .connectionTimeout(config.contactCenterTimeout())
                .connectionRetryCount(1)
                .grant(OidcClientConfig.Grant.Type.CODE)
                .build();
    }

    private static WebexTokens tokens(Tokens tokens) {
        Long expiresAt = tokens.getAccessTokenExpiresAt();
        Instant accessExpiry = expiresAt != null ? Instant.ofEpochSecond(expiresAt) : Instant.now().plusSeconds(3600);
        String refreshIn = tokens.get("refresh_token_expires_in");
        Instant refreshExpiry = null;
        if (refreshIn != null && refreshIn.matches("\\d{1,12}")) {
            refreshExpiry = Instant.now().plusSeconds(Long.parseLong(refreshIn));
        }
        return new WebexTokens(tokens.getAccessToken(), accessExpiry, tokens.getRefreshToken(), refreshExpiry);
    }

    /** Turns an OIDC client failure into a Webex failure; the error body is parsed, never logged whole. */
    static WebexException classify(String grant, Throwable e) {
        if (e instanceof WebexException we) {
            return we;
        }
        if (e instanceof TimeoutException || e.getCause() instanceof java.util.concurrent.TimeoutException) {
            return new WebexException(Kind.UNAVAILABLE, 0, "Webex did not answer the " + grant + " request in time");
        }
        if (e instanceof OidcClientException) {
            String error = oauthError(e.getMessage());
            if ("invalid_grant".equals(error)) {
                return new WebexException(Kind.REAUTHORIZATION_REQUIRED, 400,
                        "Webex refused the " + grant.replace('_', ' ') + " (invalid_grant)");
            }
            if ("invalid_client".equals(error) || "unauthorized_client".equals(error)) {
                return new WebexException(Kind.UNAUTHORIZED, 401,
                        "Webex refused the integration's client id or secret (" + error + ")");
            }
            if (error != null) {
                return new WebexException(Kind.REJECTED, 400, "Webex refused the " + grant + " request (" + error + ")");
            }
            return new WebexException(Kind.UNAVAILABLE, 0, "Webex is not available");
        }
        LOG.debugf("Webex %s token request failed: %s", grant, e.getClass().getName());
        return new WebexException(Kind.UNAVAILABLE, 0, "Webex token request failed");
    }

    /** The OAuth {@code error} of a token endpoint's error body, or null. */
    static String oauthError(String body) {
        if (body == null) {
            return null;
        }
        Matcher m = OAUTH_ERROR.matcher(body);
        return m.find() ? m.group(1) : null;
    }

    static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @PreDestroy
    void close() {
        Uni<OidcClient> current = client;
        if (current != null) {
            current.subscribe().with(c -> {
                try {
                    c.close();
                } catch (IOException | RuntimeException e) {
                    LOG.debugf("Closing the Webex OIDC client failed: %s", e.getMessage());
                }
            }, t -> { });
        }
    }
}
