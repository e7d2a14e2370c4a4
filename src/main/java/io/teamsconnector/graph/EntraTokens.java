package io.teamsconnector.graph;

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
import io.teamsconnector.graph.GraphException.Kind;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Entra ID tokens through quarkus-oidc-client: app-only (client-credentials) tokens per tenant,
 * cached until shortly before expiry (one token request at a time per tenant), and the delegated
 * authorization-code and refresh-token grants of presence service accounts. One {@link OidcClient} per
 * tenant and grant, created on demand and reused. Blocking: call from a worker thread.
 */
@ApplicationScoped
public class EntraTokens {

    /** Scope of app-only Graph tokens: every application permission the tenant consented to. */
    public static final String APP_SCOPE = "https://graph.microsoft.com/.default";
    /** Scopes of the delegated service-account sign-in: {@code openid} brings the id_token that says who it is. */
    public static final String DELEGATED_SCOPE = "openid offline_access Presence.Read.All";
    /** Authority segment for "any work or school tenant" before the tenant is known. */
    public static final String ANY_ORGANIZATION = "organizations";

    private static final Logger LOG = Logger.getLogger(EntraTokens.class);
    /** A tenant GUID or verified domain; anything else never reaches a URL. */
    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]{0,99}");

    private final OidcClients oidcClients;
    private final ConnectorConfig config;
    private final MeterRegistry meters;
    private final Vertx vertx;
    private final RetryPause pause;
    private volatile WebClient graph;
    private final Map<String, Uni<OidcClient>> clients = new ConcurrentHashMap<>();
    private final TokenCache<AppToken> appTokens = new TokenCache<>(AppToken::renewAt);

    public EntraTokens(OidcClients oidcClients, ConnectorConfig config, MeterRegistry meters, Vertx vertx,
                       RetryPause pause) {
        this.oidcClients = oidcClients;
        this.config = config;
        this.meters = meters;
        this.vertx = vertx;
        this.pause = pause;
    }

    /** An app-only access token and when to stop using it. */
    private record AppToken(String token, Instant renewAt) {
        @Override
        public String toString() {
            return "AppToken[renewAt=" + renewAt + "]";
        }
    }

    /** True when the value can be used as a tenant in an Entra URL (GUID or domain name). */
    public static boolean isValidTenant(String tenant) {
        return tenant != null && TENANT.matcher(tenant).matches();
    }

    /** An app-only Graph token for the tenant, from the cache while it is fresh. */
    public String appAccessToken(String tenantId) {
        requireTenant(tenantId);
        return appTokens.get(tenantId, this::fetchAppToken).token();
    }

    /** Forgets the cached app token of the tenant (Graph refused it). */
    public void evictAppToken(String tenantId) {
        appTokens.evict(tenantId);
    }

    /**
     * Redeems an authorization code of the service-account sign-in. Who signed in comes from the id_token that
     * came with the tokens, or, when Entra sent none, from {@code GET /me} with the new access token.
     */
    public DelegatedTokens redeemCode(String tenant, String code, String redirectUri) {
        requireTenant(tenant);
        Tokens tokens = withRetries("authorization_code", tenant, OidcClientConfig.Grant.Type.CODE,
                client -> client.getTokens(Map.of("code", code, "redirect_uri", redirectUri)));
        SignedInUser user = SignedInUser.fromIdToken(tokens.get("id_token"), config.clientId().orElse(null), tenant,
                        Instant.now())
                .orElseGet(() -> me(tokens.getAccessToken()));
        return delegated(tokens, user);
    }

    /** {@code GET /me?$select=id,userPrincipalName} on behalf of the user who just signed in. */
    private SignedInUser me(String accessToken) {
        Duration timeout = config.graphTimeout();
        try {
            HttpResponse<Buffer> response = graphClient()
                    .getAbs(config.graphUrl().replaceAll("/+$", "") + "/me?$select=id,userPrincipalName")
                    .bearerTokenAuthentication(accessToken)
                    .putHeader("Accept", "application/json")
                    .timeout(timeout.toMillis())
                    .send().await().atMost(timeout.plusSeconds(1));
            if (response.statusCode() != 200) {
                throw new GraphException(response.statusCode() == 401 || response.statusCode() == 403
                        ? Kind.UNAUTHORIZED : Kind.UNAVAILABLE, response.statusCode(),
                        "Graph answered " + response.statusCode() + " to /me");
            }
            return SignedInUser.fromMe(response.bodyAsJsonObject());
        } catch (GraphException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new GraphException(Kind.UNAVAILABLE, 0, "Graph did not answer /me", e);
        }
    }

    private WebClient graphClient() {
        WebClient client = graph;
        if (client == null) {
            synchronized (this) {
                if (graph == null) {
                    graph = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false));
                }
                client = graph;
            }
        }
        return client;
    }

    /** Trades a refresh token for fresh delegated tokens (Entra may rotate the refresh token). */
    public DelegatedTokens refresh(String tenant, String refreshToken) {
        requireTenant(tenant);
        Tokens tokens = withRetries("refresh_token", tenant, OidcClientConfig.Grant.Type.CODE,
                client -> client.refreshTokens(refreshToken));
        // who it is was recorded at sign-in; the refresh only renews the tokens
        DelegatedTokens fresh = delegated(tokens, null);
        if (fresh.refreshToken() == null) {
            return new DelegatedTokens(fresh.accessToken(), refreshToken, fresh.expiresAt(), fresh.userId(),
                    fresh.userPrincipalName());
        }
        return fresh;
    }

    @PreDestroy
    void close() {
        clients.keySet().forEach(this::dropClient);
        WebClient client = graph;
        if (client != null) {
            client.close();
        }
    }

    private AppToken fetchAppToken(String tenantId) {
        Tokens tokens = withRetries("client_credentials", tenantId, OidcClientConfig.Grant.Type.CLIENT,
                OidcClient::getTokens);
        Long expiresAt = tokens.getAccessTokenExpiresAt();
        Instant expiry = expiresAt != null ? Instant.ofEpochSecond(expiresAt) : Instant.now().plusSeconds(300);
        return new AppToken(tokens.getAccessToken(), expiry.minus(config.tokenRefreshSkew()));
    }

    private Tokens withRetries(String grant, String tenant, OidcClientConfig.Grant.Type type,
                               java.util.function.Function<OidcClient, Uni<Tokens>> request) {
        int attempts = Math.max(1, config.graphMaxAttempts());
        Duration backoff = config.graphRetryBackoff();
        for (int attempt = 1; ; attempt++) {
            try {
                OidcClient client = client(tenant, type);
                Tokens tokens = request.apply(client).await().atMost(config.entraTimeout());
                count(grant, "ok");
                return tokens;
            } catch (RuntimeException e) {
                GraphException failure = classify(grant, tenant, e);
                count(grant, failure.kind().name().toLowerCase());
                if (failure.kind() == Kind.UNAUTHORIZED && type == OidcClientConfig.Grant.Type.CLIENT) {
                    // a refused tenant (forged, never consented) must not keep a client alive (nor a token:
                    // a failed fetch is not cached)
                    dropClient(key(tenant, type));
                }
                if (failure.kind() != Kind.UNAVAILABLE || attempt >= attempts) {
                    throw failure;
                }
                LOG.debugf("Entra %s token request for tenant %s failed (attempt %d), retrying", grant, tenant, attempt);
                pause.pause(backoff.multipliedBy(1L << (attempt - 1)));
            }
        }
    }

    /** {@code entra.token.requests}: token requests by grant and outcome. */
    private void count(String grant, String outcome) {
        meters.counter("entra.token.requests", "grant", grant, "outcome", outcome).increment();
    }

    private OidcClient client(String tenant, OidcClientConfig.Grant.Type type) {
        String key = key(tenant, type);
        Uni<OidcClient> client = clients.computeIfAbsent(key,
                k -> oidcClients.newClient(clientConfig(k, tenant, type)).memoize().indefinitely());
        try {
            return client.await().atMost(config.entraTimeout());
        } catch (RuntimeException e) {
            clients.remove(key, client);
            throw e;
        }
    }

    private OidcClientConfig clientConfig(String id, String tenant, OidcClientConfig.Grant.Type type) {
        String clientId = config.clientId().orElseThrow(
                () -> new GraphException(Kind.UNAUTHORIZED, 0, "connector.client-id is not configured"));
        String secret = config.clientSecret().orElseThrow(
                () -> new GraphException(Kind.UNAUTHORIZED, 0, "connector.client-secret is not configured"));
        OidcClientConfigBuilder builder = new OidcClientConfigBuilder()
                .id(id)
                .tokenPath(tokenUrl(tenant))
                .discoveryEnabled(false)
                .clientId(clientId)
                .credentials().clientSecret(secret, Method.POST).end()
                .connectionTimeout(config.entraTimeout())
                .connectionRetryCount(1)
                .grant(type);
        if (type == OidcClientConfig.Grant.Type.CLIENT) {
            builder.scopes(List.of(APP_SCOPE));
        } else {
            builder.scopes(List.of(DELEGATED_SCOPE.split(" ")));
        }
        return builder.build();
    }

    /** {@code {loginUrl}/{tenant}/oauth2/v2.0/token}. */
    public String tokenUrl(String tenant) {
        return trimSlash(config.loginUrl()) + "/" + tenant + "/oauth2/v2.0/token";
    }

    private void dropClient(String key) {
        Uni<OidcClient> removed = clients.remove(key);
        if (removed != null) {
            removed.subscribe().with(c -> {
                try {
                    c.close();
                } catch (IOException | RuntimeException e) {
                    LOG.debugf("Closing OIDC client %s failed: %s", key, e.getMessage());
                }
            }, t -> { });
        }
    }

    private static String key(String tenant, OidcClientConfig.Grant.Type type) {
        return (type == OidcClientConfig.Grant.Type.CLIENT ? "entra-app-" : "entra-delegated-") + tenant;
    }

    /** Turns an OIDC client failure into a domain failure; the error body is parsed, never logged whole. */
    static GraphException classify(String grant, String tenant, Throwable e) {
        if (e instanceof GraphException ge) {
            return ge;
        }
        if (e instanceof TimeoutException || e.getCause() instanceof java.util.concurrent.TimeoutException) {
            return new GraphException(Kind.UNAVAILABLE, 0, "Entra did not answer the " + grant + " request in time");
        }
        if (e instanceof OidcClientException) {
            String body = e.getMessage();
            JsonObject json = parseJson(body);
            if (json != null && json.getValue("error") instanceof String error) {
                if ("temporarily_unavailable".equals(error) || "server_error".equals(error)) {
                    return new GraphException(Kind.UNAVAILABLE, 503, "Entra is temporarily unavailable (" + error + ")");
                }
                String aadsts = aadstsCode(json.getString("error_description", ""));
                LOG.infof("Entra refused the %s grant for tenant %s: %s %s", grant, tenant, error, aadsts);
                return new GraphException(Kind.UNAUTHORIZED, 400,
                        "Entra refused the token request: " + error + (aadsts.isEmpty() ? "" : " (" + aadsts + ")"));
            }
            return new GraphException(Kind.UNAVAILABLE, 0, "Entra is not available");
        }
        LOG.debugf("Entra %s token request for tenant %s failed: %s", grant, tenant, e.getClass().getName());
        return new GraphException(Kind.UNAVAILABLE, 0, "Entra token request failed", e);
    }

    private static JsonObject parseJson(String body) {
        if (body == null || !body.trim().startsWith("{")) {
            return null;
        }
        try {
            return new JsonObject(body);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String aadstsCode(String description) {
        var m = Pattern.compile("AADSTS\\d+").matcher(description);
        return m.find() ? m.group() : "";
    }

    private static DelegatedTokens delegated(Tokens tokens, SignedInUser user) {
        Long expiresAt = tokens.getAccessTokenExpiresAt();
        Instant expiry = expiresAt != null ? Instant.ofEpochSecond(expiresAt) : Instant.now().plusSeconds(3000);
        return new DelegatedTokens(tokens.getAccessToken(), tokens.getRefreshToken(), expiry,
                user == null ? null : user.userId(), user == null ? null : user.userPrincipalName());
    }

    private static void requireTenant(String tenant) {
        if (!isValidTenant(tenant)) {
            throw new GraphException(Kind.REJECTED, 0, "Not a valid Entra tenant id");
        }
    }

    static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
