package io.teamsconnector.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.teamsconnector.webhook.ValidationTokens;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stands in for Entra's token signing key: an RSA-2048 pair made once per JVM. {@link EntraFake}
 * publishes its public half next to the fixture's key, and {@link GraphFake} signs the validation
 * tokens of its rich notifications with it, so tests mint tokens for any tenant and time.
 */
public final class TestSigningKey {

    public static final String KID = "connector-test-kid";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final KeyPair PAIR = generate();

    private TestSigningKey() {
    }

    /** The public JWK, as Entra's keys endpoint lists it. */
    public static String jwkJson() {
        RSAPublicKey key = (RSAPublicKey) PAIR.getPublic();
        Map<String, Object> jwk = new LinkedHashMap<>();
        jwk.put("kty", "RSA");
        jwk.put("use", "sig");
        jwk.put("kid", KID);
        jwk.put("n", base64Url(unsigned(key.getModulus())));
        jwk.put("e", base64Url(unsigned(key.getPublicExponent())));
        return json(jwk);
    }

    /** A JWKS document holding only this key. */
    public static String jwksJson() {
        return "{\"keys\":[" + jwkJson() + "]}";
    }

    /**
     * An RS256-signed JWT. The header is taken as given, with {@code alg} RS256, {@code typ} JWT and
     * {@code kid} {@value #KID} filled in where absent: a test can claim another alg or kid and still
     * get this key's signature.
     */
    public static String mint(Map<String, Object> header, Map<String, Object> claims) {
        Map<String, Object> fullHeader = new LinkedHashMap<>();
        fullHeader.put("typ", "JWT");
        fullHeader.put("alg", "RS256");
        fullHeader.put("kid", KID);
        fullHeader.putAll(header);
        String signed = base64Url(json(fullHeader).getBytes(StandardCharsets.UTF_8)) + "."
                + base64Url(json(claims).getBytes(StandardCharsets.UTF_8));
        return signed + "." + signature(signed);
    }

    /** The base64url RS256 signature of {@code header.payload} as given, for tests that build odd tokens by hand. */
    public static String signature(String signingInput) {
        try {
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(PAIR.getPrivate());
            signer.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return base64Url(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A v1 validation token as Entra issues it to Graph's publisher for notifications to {@code clientId}. */
    public static String validationToken(String tenantId, String clientId) {
        return mint(Map.of(), validationClaims(tenantId, clientId));
    }

    /** The claims of {@link #validationToken}, for tests that change one of them. */
    public static Map<String, Object> validationClaims(String tenantId, String clientId) {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("aud", clientId);
        claims.put("iss", "https://sts.windows.net/" + tenantId + "/");
        claims.put("iat", now);
        claims.put("nbf", now);
        claims.put("exp", Instant.ofEpochSecond(now).plus(1, ChronoUnit.HOURS).getEpochSecond());
        claims.put("appid", ValidationTokens.GRAPH_PUBLISHER_APP_ID);
        claims.put("appidacr", "2");
        claims.put("idp", "https://sts.windows.net/" + tenantId + "/");
        claims.put("tid", tenantId);
        claims.put("ver", "1.0");
        return claims;
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Big-endian magnitude without the sign byte {@link BigInteger#toByteArray()} may add. */
    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes[0] == 0 && bytes.length > 1 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
