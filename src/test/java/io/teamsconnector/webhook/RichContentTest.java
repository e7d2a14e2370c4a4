package io.teamsconnector.webhook;

import io.teamsconnector.security.Pem;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.teamsconnector.support.GraphFake;
import io.teamsconnector.webhook.RichContent.EncryptedContent;
import io.teamsconnector.webhook.RichContentException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Opening {@code encryptedContent}: the recorded notification, tampering, foreign and broken content, key rotation. */
class RichContentTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String CERTIFICATE_ID = "test-encryption-1";
    static final PrivateKey FIXTURE_KEY = Pem.privateKey(GraphFake.fixture("test-encryption-key.pem"));
    static final PublicKey FIXTURE_PUBLIC_KEY = Pem.certificate(GraphFake.fixture("test-encryption-cert.pem"))
            .getPublicKey();
    static final String PRESENCE = "{\"id\":\"66825e03-7ef5-42da-9069-4da7d4f8e7a5\",\"availability\":\"Busy\"}";

    final RichContent richContent = new RichContent(Map.of(CERTIFICATE_ID, FIXTURE_KEY));

    @Test
    void theRecordedNotificationDecryptsToTheRecordedPresence() throws Exception {
        String json = richContent.decrypt(encryptedContent("notification-rich-presence.json"));

        assertEquals(JSON.readTree(GraphFake.fixture("notification-rich-presence.decrypted.json")), JSON.readTree(json));
    }

    @Test
    void oneFlippedBitOfDataFailsTheSignatureCheck() throws Exception {
        EncryptedContent tampered = encryptedContent("notification-rich-presence-tampered.json");

        RichContentException e = assertThrows(RichContentException.class, () -> richContent.decrypt(tampered));

        assertEquals(Reason.SIGNATURE, e.reason());
    }

    @Test
    void aReplacedSignatureFailsTheSignatureCheck() throws Exception {
        EncryptedContent recorded = encryptedContent("notification-rich-presence.json");
        byte[] signature = Base64.getDecoder().decode(recorded.dataSignature());
        signature[31] ^= 1;
        EncryptedContent forged = new EncryptedContent(recorded.data(), Base64.getEncoder().encodeToString(signature),
                recorded.dataKey(), recorded.encryptionCertificateId());

        EncryptedContent truncated = new EncryptedContent(recorded.data(),
                Base64.getEncoder().encodeToString(Arrays.copyOf(signature, 16)), recorded.dataKey(),
                recorded.encryptionCertificateId());

        assertEquals(Reason.SIGNATURE, refusal(richContent, forged));
        assertEquals(Reason.SIGNATURE, refusal(richContent, truncated));
    }

    @Test
    void contentForACertificateWeDoNotHoldIsUnknown() throws Exception {
        EncryptedContent recorded = encryptedContent("notification-rich-presence.json");

        assertEquals(Reason.UNKNOWN_CERTIFICATE, refusal(richContent, new EncryptedContent(recorded.data(),
                recorded.dataSignature(), recorded.dataKey(), "someone-elses-certificate")));
        assertEquals(Reason.UNKNOWN_CERTIFICATE, refusal(richContent, new EncryptedContent(recorded.data(),
                recorded.dataSignature(), recorded.dataKey(), null)));
        assertEquals(Reason.UNKNOWN_CERTIFICATE, refusal(new RichContent(Map.of()), recorded));
    }

    @ParameterizedTest
    @ValueSource(strings = {"data", "dataSignature", "dataKey"})
    void garbageBase64IsMalformed(String field) throws Exception {
        assertEquals(Reason.MALFORMED, refusal(richContent, withField(field, "not base64 at all!")));
        assertEquals(Reason.MALFORMED, refusal(richContent, withField(field, null)));
        assertEquals(Reason.MALFORMED, refusal(richContent, withField(field, "")));
    }

    @Test
    void noContentAtAllIsMalformed() {
        assertEquals(Reason.MALFORMED, refusal(richContent, null));
    }

    @Test
    void aDataKeyOurPrivateKeyCannotOpenIsMalformed() throws Exception {
        PublicKey stranger = rsaKeyPair().getPublic();
        EncryptedContent sealedForSomeoneElse = seal(stranger, randomKey(32), PRESENCE, CERTIFICATE_ID);

        assertEquals(Reason.MALFORMED, refusal(richContent, sealedForSomeoneElse));
        assertEquals(Reason.MALFORMED, refusal(richContent, withField("dataKey",
                Base64.getEncoder().encodeToString(new byte[256]))));
    }

    @ParameterizedTest
    @ValueSource(ints = {16, 24, 31, 33, 64})
    void aSymmetricKeyOfTheWrongLengthIsMalformed(int keyBytes) throws Exception {
        // correctly wrapped and signed, but Graph's keys are 256 bits
        EncryptedContent content = seal(FIXTURE_PUBLIC_KEY, randomKey(keyBytes), PRESENCE, CERTIFICATE_ID);

        assertEquals(Reason.MALFORMED, refusal(richContent, content));
    }

    @Test
    void signedDataThatDoesNotDecryptIsMalformed() throws Exception {
        byte[] key = randomKey(32);
        byte[] notCiphertext = Arrays.copyOf("seventeen bytes..".getBytes(StandardCharsets.UTF_8), 17);
        EncryptedContent content = new EncryptedContent(Base64.getEncoder().encodeToString(notCiphertext),
                Base64.getEncoder().encodeToString(hmac(key, notCiphertext)), wrap(FIXTURE_PUBLIC_KEY, key),
                CERTIFICATE_ID);

        assertEquals(Reason.MALFORMED, refusal(richContent, content));
    }

    @Test
    void plaintextThatIsNotUtf8IsMalformed() throws Exception {
        EncryptedContent content = seal(FIXTURE_PUBLIC_KEY, randomKey(32), new byte[] {(byte) 0xC3, (byte) 0x28},
                CERTIFICATE_ID);

        assertEquals(Reason.MALFORMED, refusal(richContent, content));
    }

    @Test
    void contentSealedHereOpens() throws Exception {
        String json = richContent.decrypt(seal(FIXTURE_PUBLIC_KEY, randomKey(32), PRESENCE, CERTIFICATE_ID));

        assertEquals(PRESENCE, json);
    }

    @Test
    void duringARotationTheKeyIsPickedByCertificateId() throws Exception {
        KeyPair next = rsaKeyPair();
        RichContent rotating = new RichContent(Map.of(CERTIFICATE_ID, FIXTURE_KEY, "test-encryption-2",
                next.getPrivate()));
        String newer = "{\"id\":\"3b1e6d5a-1c1f-4e0b-9d5e-2b7c1f0e9a11\",\"availability\":\"Available\"}";

        assertEquals(JSON.readTree(GraphFake.fixture("notification-rich-presence.decrypted.json")),
                JSON.readTree(rotating.decrypt(encryptedContent("notification-rich-presence.json"))));
        assertEquals(newer, rotating.decrypt(seal(next.getPublic(), randomKey(32), newer, "test-encryption-2")));
        assertEquals(Reason.MALFORMED, refusal(rotating, seal(next.getPublic(), randomKey(32), newer, CERTIFICATE_ID)),
                "the id names the key: the other one does not open it");
    }

    @Test
    void refusalsNeverCarryKeyMaterialOrPlaintext() throws Exception {
        EncryptedContent tampered = encryptedContent("notification-rich-presence-tampered.json");
        byte[] key = randomKey(16);
        EncryptedContent shortKey = seal(FIXTURE_PUBLIC_KEY, key, PRESENCE, CERTIFICATE_ID);

        for (EncryptedContent content : new EncryptedContent[] {tampered, shortKey}) {
            String message = assertThrows(RichContentException.class, () -> richContent.decrypt(content)).getMessage();
            for (String secret : new String[] {content.data(), content.dataKey(), content.dataSignature(),
                Base64.getEncoder().encodeToString(key), "Busy", "availability"}) {
                assertFalse(message.contains(secret), message);
            }
        }
    }

    private static Reason refusal(RichContent richContent, EncryptedContent content) {
        return assertThrows(RichContentException.class, () -> richContent.decrypt(content)).reason();
    }

    private static EncryptedContent encryptedContent(String fixture) throws Exception {
        JsonNode c = JSON.readTree(GraphFake.fixture(fixture)).get("value").get(0).get("encryptedContent");
        return new EncryptedContent(c.get("data").asText(), c.get("dataSignature").asText(), c.get("dataKey").asText(),
                c.get("encryptionCertificateId").asText());
    }

    private static EncryptedContent withField(String field, String value) throws Exception {
        EncryptedContent c = encryptedContent("notification-rich-presence.json");
        return new EncryptedContent(field.equals("data") ? value : c.data(),
                field.equals("dataSignature") ? value : c.dataSignature(),
                field.equals("dataKey") ? value : c.dataKey(), c.encryptionCertificateId());
    }

    /** Seals as Graph does (written here again, not shared with the code under test). */
    private static EncryptedContent seal(PublicKey publicKey, byte[] key, String plaintext, String certificateId)
            throws Exception {
        return seal(publicKey, key, plaintext.getBytes(StandardCharsets.UTF_8), certificateId);
    }

    private static EncryptedContent seal(PublicKey publicKey, byte[] key, byte[] plaintext, String certificateId)
            throws Exception {
        // AES takes 16, 24 or 32 bytes; other lengths are sealed with a cut or padded AES key, as a broken sender might
        byte[] aesKey = Arrays.copyOf(key, key.length >= 32 ? 32 : key.length >= 24 ? 24 : 16);
        Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
        aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(aesKey, "AES"), new IvParameterSpec(Arrays.copyOf(key, 16)));
        byte[] data = aes.doFinal(plaintext);
        return new EncryptedContent(Base64.getEncoder().encodeToString(data),
                Base64.getEncoder().encodeToString(hmac(key, data)), wrap(publicKey, key), certificateId);
    }

    private static String wrap(PublicKey publicKey, byte[] key) throws Exception {
        Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPWithSHA-1AndMGF1Padding");
        rsa.init(Cipher.ENCRYPT_MODE, publicKey);
        return Base64.getEncoder().encodeToString(rsa.doFinal(key));
    }

    private static byte[] hmac(byte[] key, byte[] data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }

    private static byte[] randomKey(int bytes) {
        byte[] key = new byte[bytes];
        new SecureRandom().nextBytes(key);
        return key;
    }

    private static KeyPair rsaKeyPair() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }
}
