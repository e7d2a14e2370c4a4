package io.teamsconnector.graph;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.microsoft.graph.core.requests.GraphClientFactory;
import com.microsoft.graph.core.requests.options.GraphClientOption;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.authentication.AccessTokenProvider;
import com.microsoft.kiota.authentication.AllowedHostsValidator;
import com.microsoft.kiota.authentication.BaseBearerTokenAuthenticationProvider;
import com.microsoft.kiota.http.middleware.RetryHandler;
import io.teamsconnector.config.ConnectorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The raw Graph SDK clients: one {@link GraphServiceClient} per tenant for app-only calls (kept while
 * it is used, dropped after {@link #IDLE} without use), a throw-away one per delegated call, all on one
 * shared HTTP client whose call timeout is {@code connector.graph-timeout}. The SDK's own retry handler
 * is left out: {@link GraphCallPolicy} owns retries. Tokens are sent only to the configured Graph host.
 */
@ApplicationScoped
class GraphClients {

    /** A tenant's client is dropped after this long without a call (a deleted connector's, say). */
    static final Duration IDLE = Duration.ofHours(1);

    private final EntraTokens tokens;
    private final String baseUrl;
    private final String graphHost;
    private final OkHttpClient http;
    private final Cache<String, GraphServiceClient> appClients = Caffeine.newBuilder().expireAfterAccess(IDLE).build();

    GraphClients(EntraTokens tokens, ConnectorConfig config) {
        this.tokens = tokens;
        this.baseUrl = EntraTokens.trimSlash(config.graphUrl());
        this.graphHost = URI.create(baseUrl).getHost();
        Interceptor[] interceptors = Arrays.stream(
                        GraphClientFactory.createDefaultGraphInterceptors(new GraphClientOption()))
                .filter(i -> !(i instanceof RetryHandler))
                .toArray(Interceptor[]::new);
        this.http = GraphClientFactory.create(interceptors)
                .callTimeout(config.graphTimeout())
                .connectTimeout(config.graphTimeout())
                .readTimeout(config.graphTimeout())
                .build();
    }

    /** Base URL of Graph, without a trailing slash. */
    String baseUrl() {
        return baseUrl;
    }

    /** App-only client of the tenant, authenticated with its cached client-credentials token. */
    GraphServiceClient app(String tenantId) {
        return appClients.get(tenantId,
                t -> client(new HostBoundTokenProvider(() -> tokens.appAccessToken(t), graphHost)));
    }

    /** A client acting with a delegated (service-account) access token. */
    GraphServiceClient delegated(String accessToken) {
        return client(new HostBoundTokenProvider(() -> accessToken, graphHost));
    }

    private GraphServiceClient client(AccessTokenProvider provider) {
        GraphServiceClient client = new GraphServiceClient(new BaseBearerTokenAuthenticationProvider(provider), http);
        client.getRequestAdapter().setBaseUrl(baseUrl);
        return client;
    }

    /** Supplies the bearer token, but only for requests to the Graph host. */
    static final class HostBoundTokenProvider implements AccessTokenProvider {
        private final Supplier<String> token;
        private final AllowedHostsValidator allowedHosts;

        HostBoundTokenProvider(Supplier<String> token, String graphHost) {
            this.token = token;
            this.allowedHosts = new AllowedHostsValidator(graphHost);
        }

        @Override
        public String getAuthorizationToken(URI uri, Map<String, Object> additionalAuthenticationContext) {
            if (uri == null || !allowedHosts.isUrlHostValid(uri)) {
                return "";
            }
            return token.get();
        }

        @Override
        public AllowedHostsValidator getAllowedHostsValidator() {
            return allowedHosts;
        }
    }
}
