package io.teamsconnector.graph;

import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * Who signed in, read from the id_token the token endpoint returned with the tokens (scope {@code openid}).
 * The access token is never read: it is meant for Graph, and Microsoft may encrypt it or change its format at any
 * time. The id_token arrives straight from Entra over TLS, so its signature needs no check; its audience (our
 * client id), tenant ({@code tid}, and {@code iss} when given) and expiry do.
 *
 * @param userId            the user's Entra object id ({@code oid})
 * @param userPrincipalName the sign-in name ({@code preferred_username}), when the token has it
 */
public record SignedInUser(String userId, String userPrincipalName) {

    /** Entra's clock and ours may differ a little. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    /**
     * The user of this id_token; empty when there is none. Throws when there is one that is not for this client,
     * this tenant or now.
     */
    public static Optional<SignedInUser> fromIdToken(String idToken, String clientId, String tenantId, Instant now) {
        if (idToken == null || idToken.isBlank()) {
            return Optional.empty();
        }
        JsonObject claims = claims(idToken);
        if (claims == null) {
            throw rejected("Entra's id_token is not a JWT");
        }
        if (clientId == null || !clientId.equals(claims.getValue("aud"))) {
            throw rejected("Entra's id_token is for another application");
        }
        String tid = claims.getValue("tid") instanceof String t ? t : null;
        String iss = claims.getValue("iss") instanceof String i ? i : null;
        if (tid == null || !tid.equalsIgnoreCase(tenantId)
                || (iss != null && !iss.equalsIgnoreCase("https://login.microsoftonline.com/" + tid + "/v2.0"))) {
            throw rejected("Entra's id_token is from another tenant");
        }
        if (!(claims.getValue("exp") instanceof Number exp)
                || !Instant.ofEpochSecond(exp.longValue()).plus(CLOCK_SKEW).isAfter(now)) {
            throw rejected("Entra's id_token has expired");
        }
        if (!(claims.getValue("oid") instanceof String oid) || oid.isBlank()) {
            throw rejected("Entra's id_token names no user");
        }
        String name = claims.getValue("preferred_username") instanceof String n && !n.isBlank() ? n : null;
        return Optional.of(new SignedInUser(oid, name));
    }

    /** The user of {@code GET /me?$select=id,userPrincipalName}'s answer. */
    public static SignedInUser fromMe(JsonObject me) {
        if (me == null || !(me.getValue("id") instanceof String id) || id.isBlank()) {
            throw new GraphException(GraphException.Kind.REJECTED, 0, "Graph's /me names no user");
        }
        return new SignedInUser(id, me.getValue("userPrincipalName") instanceof String upn ? upn : null);
    }

    private static JsonObject claims(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length < 2) {
            return null;
        }
        try {
            return new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static GraphException rejected(String why) {
        return new GraphException(GraphException.Kind.REJECTED, 0, why);
    }
}
