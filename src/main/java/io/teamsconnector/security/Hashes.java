package io.teamsconnector.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256, for what is stored in place of a secret (tickets, states, clientStates) and for dedupe keys. */
public final class Hashes {

    private Hashes() {
    }

    /** The SHA-256 of the UTF-8 bytes, 64 lower-case hex digits. */
    public static String sha256Hex(String value) {
        return HexFormat.of().formatHex(sha256().digest(value.getBytes(StandardCharsets.UTF_8)));
    }

    /** A new SHA-256 digest, for a key fed in parts. */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
