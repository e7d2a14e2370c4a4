package io.teamsconnector.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Verifies the {@code validationTokens} of a rich change-notification collection: each one is a JWT
 * that Entra issued to Microsoft Graph's change-notification publisher for our app, in the tenant the
 * notification claims to come from. Without this check anyone who learns the notification URL and a
 * client state could feed us presence.
 */
public final class ValidationTokens {

    /** Microsoft Graph's change-notification publisher: the {@code appid} (v1) or {@code azp} (v2) of the tokens. */
    public static final String GRAPH_PUBLISHER_APP_ID = "0bf30f3b-4a52-48df-9a82-234910c4a086";

    /** Entra's tokens are a little over a kilobyte; anything far larger is not worth parsing. */
    private static final int MAX_TOKEN_CHARS = 16 * 1024;
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Why a collection's tokens were refused. */
    public enum Refusal {
        MISSING, MALFORMED, UNKNOWN_KEY, SIGNATURE, EXPIRED, AUDIENCE, ISSUER, PUBLISHER,
        /** Not a verdict on the token: Entra's keys were not at hand in time. Graph should deliver again. */
        KEYS_UNAVAILABLE
    }

    private final SigningKeys keys;
    private final Clock clock;

    public ValidationTokens(SigningKeys keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    /** Empty when every token passed; otherwise why the first failing one was refused. */
    public Optional<Refusal> check(List<String> tokens, String clientId, String tenantId) {
        if (tokens == null || tokens.isEmpty()) {
            return Optional.of(Refusal.MISSING);
        }
        for (String token : tokens) {
            Optional<Refusal> refusal = checkOne(token, clientId, tenantId);
            if (refusal.isPresent()) {
                return refusal;
            }
        }
        return Optional.empty();
    }

    private Optional<Refusal> checkOne(String token, String clientId, String tenantId) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
            return Optional.of(Refusal.MALFORMED);
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
            return Optional.of(Refusal.MALFORMED);
        }
        JsonNode header = jsonObject(parts[0]);
        if (header == null) {
            return Optional.of(Refusal.MALFORMED);
        }
        // only what Entra uses: "none" or HS256 (keyed with our public key) would let anyone sign
        JsonNode alg = header.get("alg");
        if (alg == null || !alg.isTextual() || !"RS256".equals(alg.asText())) {
            return Optional.of(Refusal.SIGNATURE);
        }
        JsonNode kid = header.get("kid");
        SigningKeys.Lookup lookup = kid != null && kid.isTextual() ? keys.key(kid.asText()) : SigningKeys.UNKNOWN;
        if (lookup instanceof SigningKeys.Lookup.Unavailable) {
            return Optional.of(Refusal.KEYS_UNAVAILABLE);
        }
        if (!(lookup instanceof SigningKeys.Lookup.Found found)) {
            return Optional.of(Refusal.UNKNOWN_KEY);
        }
        PublicKey key = found.key();
        byte[] signature;
        try {
            signature = Base64.getUrlDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            return Optional.of(Refusal.MALFORMED);
        }
        if (!verifies(key, parts[0] + "." + parts[1], signature)) {
            return Optional.of(Refusal.SIGNATURE);
        }
        // from here on the claims are Entra's
        JsonNode claims = jsonObject(parts[1]);
        if (claims == null) {
            return Optional.of(Refusal.MALFORMED);
        }
        if (!audienceIs(claims.get("aud"), clientId)) {
            return Optional.of(Refusal.AUDIENCE);
        }
        String issuer = text(claims, "iss");
        if (tenantId == null || issuer == null || !(issuer.equals("https://sts.windows.net/" + tenantId + "/")
                || issuer.equals("https://login.microsoftonline.com/" + tenantId + "/v2.0"))) {
            return Optional.of(Refusal.ISSUER);
        }
        String publisher = claims.has("appid") ? text(claims, "appid") : text(claims, "azp");
        if (!GRAPH_PUBLISHER_APP_ID.equals(publisher)) {
            return Optional.of(Refusal.PUBLISHER);
        }
        return timeRefusal(claims);
    }

    private Optional<Refusal> timeRefusal(JsonNode claims) {
        JsonNode exp = claims.get("exp");
        JsonNode nbf = claims.get("nbf");
        if (exp == null || !exp.isNumber() || (nbf != null && !nbf.isNumber())) {
            return Optional.of(Refusal.MALFORMED);
        }
        Instant now = clock.instant();
        if (!Instant.ofEpochSecond(exp.asLong()).plus(CLOCK_SKEW).isAfter(now)) {
            return Optional.of(Refusal.EXPIRED);
        }
        if (nbf != null && Instant.ofEpochSecond(nbf.asLong()).minus(CLOCK_SKEW).isAfter(now)) {
            return Optional.of(Refusal.EXPIRED);
        }
        return Optional.empty();
    }

    private static boolean verifies(PublicKey key, String signedPart, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance("SHA256withRSA");
            verifier.initVerify(key);
            verifier.update(signedPart.getBytes(StandardCharsets.US_ASCII));
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static boolean audienceIs(JsonNode aud, String clientId) {
        if (clientId == null || aud == null) {
            return false;
        }
        if (aud.isTextual()) {
            return clientId.equals(aud.asText());
        }
        if (aud.isArray()) {
            for (JsonNode one : aud) {
                if (one.isTextual() && clientId.equals(one.asText())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String text(JsonNode claims, String name) {
        JsonNode value = claims.get(name);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    /** The decoded base64url JSON object, or null when it is not one. */
    private static JsonNode jsonObject(String base64Url) {
        try {
            JsonNode node = JSON.readTree(Base64.getUrlDecoder().decode(base64Url));
            return node != null && node.isObject() ? node : null;
        } catch (IllegalArgumentException | IOException e) {
            return null;
        }
    }
}
