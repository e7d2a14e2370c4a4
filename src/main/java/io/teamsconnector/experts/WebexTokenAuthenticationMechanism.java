package io.teamsconnector.experts;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.teamsconnector.security.ApiKeys;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Set;

/**
 * {@code Authorization: Bearer <Webex access token>} on {@code POST /expert-lookup} only: the agent's widget
 * calls with the Desktop's token, so no API key is ever in a browser. Tried after the API-key mechanism, and
 * only for a bearer value that is not an API key. The identity carries the {@link WebexCaller}; the function
 * binds the request to it. A token Webex refuses is a 401 (the API-key mechanism writes the challenge), Webex
 * not answering a 503. Every other route accepts API keys alone.
 */
@ApplicationScoped
public class WebexTokenAuthenticationMechanism implements HttpAuthenticationMechanism {

    static final String PATH = "/expert-lookup";
    private static final String BEARER = "Bearer ";

    private final ApiKeys apiKeys;
    private final WebexTokenVerifier verifier;

    public WebexTokenAuthenticationMechanism(ApiKeys apiKeys, WebexTokenVerifier verifier) {
        this.apiKeys = apiKeys;
        this.verifier = verifier;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        if (!PATH.equals(context.normalizedPath())) {
            return Uni.createFrom().nullItem();
        }
        String header = context.request().getHeader(HttpHeaderNames.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Uni.createFrom().nullItem();
        }
        String token = header.substring(BEARER.length()).trim();
        if (token.isEmpty() || apiKeys.accepts(token)) {
            return Uni.createFrom().nullItem();
        }
        return verifier.verify(token).map(caller -> QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal("webex:" + caller.agentId()))
                .addRole("widget")
                .addAttribute(WebexCaller.ATTRIBUTE, caller)
                .build());
    }

    /** After the API-key mechanism (priority 1000), which also writes the 401 for both. */
    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY - 100;
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer"));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of();
    }
}
