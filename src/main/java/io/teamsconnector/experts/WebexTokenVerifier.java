package io.teamsconnector.experts;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.quarkus.security.AuthenticationFailedException;
import io.smallrye.mutiny.Uni;
import io.teamsconnector.config.ConnectorConfig;
import io.teamsconnector.domain.DomainException;
import io.teamsconnector.security.Hashes;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;

/**
 * Verifies a Webex access token by asking Webex who it belongs to ({@code GET {webex-url}/v1/people/me}),
 * without blocking. A verified token's caller is kept for {@link #CACHE_FOR}, keyed by the token's SHA-256 (the
 * token itself is neither kept nor logged). Webex refusing
 * the token is an {@link AuthenticationFailedException} (401); Webex not answering, or answering 5xx or 429,
 * is {@code UNAVAILABLE} (503), and nothing is cached.
 */
@ApplicationScoped
public class WebexTokenVerifier {

    /** The longest a token is trusted without asking Webex again. */
    static final Duration CACHE_FOR = Duration.ofMinutes(5);

    private final WebClient http;
    private final String peopleMe;
    private final Duration timeout;
    private final Cache<String, WebexCaller> verified = Caffeine.newBuilder()
            .expireAfterWrite(CACHE_FOR)
            .maximumSize(10_000)
            .build();

    public WebexTokenVerifier(Vertx vertx, ConnectorConfig config) {
        this.timeout = config.contactCenterTimeout();
        this.peopleMe = stripSlash(config.webexUrl()) + "/v1/people/me";
        this.http = WebClient.create(vertx, new WebClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .setFollowRedirects(false));
    }

    /** The caller the token belongs to. */
    public Uni<WebexCaller> verify(String token) {
        String key = Hashes.sha256Hex(token);
        WebexCaller known = verified.getIfPresent(key);
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        return askWebex(token).invoke(caller -> verified.put(key, caller));
    }

    private Uni<WebexCaller> askWebex(String token) {
        return http.getAbs(peopleMe).timeout(timeout.toMillis())
                .putHeader("Authorization", "Bearer " + token)
                .putHeader("Accept", "application/json")
                .send()
                .onFailure().transform(e -> DomainException.unavailable(
                        "Webex did not answer the access token check; try again shortly."))
                .map(WebexTokenVerifier::caller);
    }

    private static WebexCaller caller(HttpResponse<Buffer> response) {
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            throw new AuthenticationFailedException("Webex refused the access token (" + status + ")");
        }
        if (status < 200 || status >= 300) {
            throw DomainException.unavailable("Webex could not check the access token now (" + status
                    + "); try again shortly.");
        }
        JsonObject me;
        try {
            me = response.bodyAsJsonObject();
        } catch (RuntimeException e) {
            me = null;
        }
        WebexCaller caller = me == null ? null : WebexCaller.of(me.getString("id"), me.getString("orgId"));
        if (caller == null) {
            throw new AuthenticationFailedException("Webex's people/me named no person and org for the token");
        }
        return caller;
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @PreDestroy
    void close() {
        http.close();
    }
}
