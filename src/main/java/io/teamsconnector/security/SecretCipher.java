package io.teamsconnector.security;

import io.teamsconnector.config.ConnectorConfig;
import io.teamsconnector.domain.DomainException;
import jakarta.enterprise.context.ApplicationScoped;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Encrypts secrets at rest with AES-256-GCM. The key comes from {@code connector.secret-key}; every
 * ciphertext is stored with the id of its key, so a new key can be introduced while old
 * ciphertexts stay readable ({@code connector.secret-old-keys}). A context string (for example the
 * row's identity) is bound as associated data: a ciphertext copied to another row does not open.
 */
@ApplicationScoped
public class SecretCipher {

    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecureRandom random = new SecureRandom();
    private final String currentKeyId;
    private final Map<String, SecretKeySpec> keys = new HashMap<>();

    /** A ciphertext (base64 of IV and sealed bytes) and the id of the key that sealed it. */
    public record Sealed(String keyId, String ciphertext) {
    }

    public SecretCipher(ConnectorConfig config) {
        this.currentKeyId = config.secretKeyId();
        config.secretKey().ifPresent(k -> keys.put(currentKeyId, key(currentKeyId, k)));
        config.secretOldKeys().ifPresent(list -> list.forEach(entry -> {
            int colon = entry.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("connector.secret-old-keys entries are id:base64key");
            }
            String id = entry.substring(0, colon).trim();
            keys.putIfAbsent(id, key(id, entry.substring(colon + 1).trim()));
        }));
    }

    /** True when a current key is configured. */
    public boolean configured() {
        return keys.containsKey(currentKeyId);
    }

    public Sealed seal(String plaintext, String context) {
        SecretKeySpec key = keys.get(currentKeyId);
        if (key == null) {
            throw new DomainException(DomainException.Kind.UNAVAILABLE, "SECRET_KEY_MISSING",
                    "No encryption key is configured (CONNECTOR_SECRET_KEY); secrets cannot be stored.");
        }
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array();
            return new Sealed(currentKeyId, Base64.getEncoder().encodeToString(out));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    /** Opens a ciphertext; fails when its key is unknown or it was tampered with or moved. */
    public String open(Sealed sealed, String context) {
        SecretKeySpec key = keys.get(sealed.keyId());
        if (key == null) {
            throw new IllegalStateException("No key with id '" + sealed.keyId() + "' is configured");
        }
        try {
            byte[] in = Base64.getDecoder().decode(sealed.ciphertext());
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, IV_BYTES));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("A stored secret could not be decrypted (wrong key or tampered)");
        }
    }

    /** True when the ciphertext was sealed with an older key and should be sealed again. */
    public boolean needsRotation(Sealed sealed) {
        return !currentKeyId.equals(sealed.keyId());
    }

    private static SecretKeySpec key(String id, String base64) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Secret key '" + id + "' is not base64");
        }
        if (bytes.length != 32) {
            throw new IllegalArgumentException("Secret key '" + id + "' must be 32 bytes (AES-256)");
        }
        return new SecretKeySpec(bytes, "AES");
    }
}
