package io.teamsconnector.security;

import io.teamsconnector.config.ConnectorConfig;
import io.teamsconnector.support.GraphFake;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rich-notification key pair from config: all of it, none of it, or start-up stops. */
class NotificationKeysTest {

    static final String CERTIFICATE = GraphFake.fixture("test-encryption-cert.pem");
    static final String KEY = GraphFake.fixture("test-encryption-key.pem");

    /** A config with only the given encryption settings (method name to value); everything else unset. */
    static ConnectorConfig config(Map<String, String> values) {
        return (ConnectorConfig) Proxy.newProxyInstance(ConnectorConfig.class.getClassLoader(),
                new Class<?>[] {ConnectorConfig.class}, (proxy, method, args) -> {
                    if (method.getReturnType() == Optional.class) {
                        return Optional.ofNullable(values.get(method.getName()));
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void noPairMeansBasicNotifications() {
        NotificationKeys keys = new NotificationKeys(config(Map.of()));

        assertTrue(keys.current().isEmpty());
        assertTrue(keys.privateKeys().isEmpty());
    }

    @Test
    void aPairGivesTheCertificateForSubscriptionsAndTheKeyForDecryption() {
        NotificationKeys keys = new NotificationKeys(config(Map.of("encryptionKeyId", "k-2",
                "encryptionCertificate", CERTIFICATE, "encryptionPrivateKey", KEY,
                "previousEncryptionKeyId", "k-1", "previousEncryptionPrivateKey", KEY)));

        assertEquals("k-2", keys.current().orElseThrow().id());
        assertFalse(keys.current().orElseThrow().base64Der().contains("BEGIN"), "base64 DER, as Graph wants it");
        assertEquals(java.util.Set.of("k-1", "k-2"), keys.privateKeys().keySet(), "both decrypt during a rotation");
    }

    @Test
    void halfAPairStopsStartUp() {
        assertThrows(IllegalStateException.class, () -> new NotificationKeys(config(Map.of(
                "encryptionKeyId", "k-2", "encryptionCertificate", CERTIFICATE))));
        assertThrows(IllegalStateException.class, () -> new NotificationKeys(config(Map.of(
                "encryptionKeyId", "k-2", "encryptionCertificate", CERTIFICATE, "encryptionPrivateKey", KEY,
                "previousEncryptionKeyId", "k-1"))));
        IllegalArgumentException garbled = assertThrows(IllegalArgumentException.class, () -> new NotificationKeys(
                config(Map.of("encryptionKeyId", "k-2", "encryptionCertificate", CERTIFICATE,
                        "encryptionPrivateKey", "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----"))));
        assertFalse(garbled.getMessage().contains("bm90IGEga2V5"), "no key material in the message");
    }
}
