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
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
