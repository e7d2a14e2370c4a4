package io.teamsconnector.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The {@code clientState} secret of Graph subscriptions: random per subscription, kept only as a
 * SHA-256 hash, compared in constant time. Never logged.
 */
public final class ClientStates {

    /** A hash no clientState has, compared against when the subscription is unknown: same work either way. */
    private static final String NO_SUBSCRIPTION = "0".repeat(64);

    private ClientStates() {
    }

    /** A fresh clientState: 43 URL-safe characters (Graph allows up to 128). */
    public static String random() {
        byte[] bytes = new byte[32];
        // per call, never static: a native image runs static initialisers at build time and would ship one seed to all
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String hash(String clientState) {
        return Hashes.sha256Hex(clientState);
    }

    /** Whether {@code presented} is the clientState whose hash is {@code storedHash} (null: unknown subscription). */
    public static boolean matches(String presented, String storedHash) {
        byte[] expected = (storedHash == null ? NO_SUBSCRIPTION : storedHash).getBytes(StandardCharsets.US_ASCII);
        byte[] actual = hash(presented == null ? "" : presented).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, actual) && storedHash != null && presented != null;
    }
}
