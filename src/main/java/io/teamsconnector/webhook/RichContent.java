package io.teamsconnector.webhook;

import io.teamsconnector.security.Pem;
import io.teamsconnector.webhook.RichContentException.Reason;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

/**
 * Opens the {@code encryptedContent} of a rich change notification, exactly as Microsoft documents
 * it: RSA-OAEP (SHA-1) unwraps the symmetric key from {@code dataKey}; the HMAC-SHA256 of the
 * ciphertext under that key must equal {@code dataSignature}; AES-256-CBC with the first 16 key
 * bytes as IV gives the resource JSON.
 */
public final class RichContent {

    /** Graph's symmetric keys are 256 bits. */
    private static final int SYMMETRIC_KEY_BYTES = 32;
    private static final int IV_BYTES = 16;

    /** The {@code encryptedContent} object of one notification. */
    public record EncryptedContent(String data, String dataSignature, String dataKey, String encryptionCertificateId) {
    }

    private final Map<String, PrivateKey> keysByCertificateId;

    /** During a certificate rotation two keys are active: notifications name the one they were sealed for. */
    public RichContent(Map<String, PrivateKey> keysByCertificateId) {
        this.keysByCertificateId = Map.copyOf(keysByCertificateId);
    }

    /** The resource JSON (UTF-8 text) of the notification. */
    public String decrypt(EncryptedContent content) throws RichContentException {
        if (content == null) {
            throw new RichContentException(Reason.MALFORMED, "The notification has no encrypted content");
        }
        String certificateId = content.encryptionCertificateId();
        PrivateKey privateKey = certificateId == null ? null : keysByCertificateId.get(certificateId);
        if (privateKey == null) {
            throw new RichContentException(Reason.UNKNOWN_CERTIFICATE,
                    "The content is encrypted for a certificate id we hold no key for");
        }
        byte[] data = base64(content.data(), "data");
        byte[] expectedSignature = base64(content.dataSignature(), "dataSignature");
        byte[] symmetricKey = unwrap(privateKey, base64(content.dataKey(), "dataKey"));
        try {
            // authenticate before decrypting: never feed an attacker's ciphertext to the padding check
            if (!MessageDigest.isEqual(hmacSha256(symmetricKey, data), expectedSignature)) {
                throw new RichContentException(Reason.SIGNATURE, "The content's signature does not match its data");
            }
            return utf8(aesCbc(symmetricKey, data));
        } finally {
            Arrays.fill(symmetricKey, (byte) 0);
        }
    }

    private static byte[] unwrap(PrivateKey privateKey, byte[] dataKey) throws RichContentException {
        byte[] symmetricKey;
        try {
            Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPWithSHA-1AndMGF1Padding");
            rsa.init(Cipher.DECRYPT_MODE, privateKey);
            symmetricKey = rsa.doFinal(dataKey);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new RichContentException(Reason.MALFORMED, "The data key cannot be decrypted with our private key");
        }
        if (symmetricKey.length != SYMMETRIC_KEY_BYTES) {
            Arrays.fill(symmetricKey, (byte) 0);
            throw new RichContentException(Reason.MALFORMED, "The data key is not a 256-bit key");
        }
        return symmetricKey;
    }

    private static byte[] hmacSha256(byte[] key, byte[] data) throws RichContentException {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new RichContentException(Reason.MALFORMED, "The content's signature cannot be computed");
        }
    }

    private static byte[] aesCbc(byte[] key, byte[] data) throws RichContentException {
        try {
            Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
            aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
                    new IvParameterSpec(Arrays.copyOf(key, IV_BYTES)));
            return aes.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new RichContentException(Reason.MALFORMED, "The content cannot be decrypted");
        }
    }

    private static String utf8(byte[] plaintext) throws RichContentException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(plaintext)).toString();
        } catch (CharacterCodingException e) {
            throw new RichContentException(Reason.MALFORMED, "The decrypted content is not UTF-8 text");
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    private static byte[] base64(String value, String field) throws RichContentException {
        if (value == null || value.isEmpty()) {
            throw new RichContentException(Reason.MALFORMED, "The encrypted content has no " + field);
        }
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new RichContentException(Reason.MALFORMED, "The encrypted content's " + field + " is not base64");
        }
    }
}
