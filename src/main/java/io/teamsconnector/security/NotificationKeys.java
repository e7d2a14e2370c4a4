package io.teamsconnector.security;

import io.teamsconnector.config.ConnectorConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The key pair Graph encrypts rich notifications with (BEHAVIOR.md): the current certificate goes with
 * new subscriptions; the current and, during a rotation, the previous private key decrypt. Read from
 * config once; a half-configured pair stops start-up rather than silently falling back to basic
 * notifications. Key material is never logged.
 */
@ApplicationScoped
public class NotificationKeys {

    /** The certificate new subscriptions are given: its id and base64 DER, as Graph wants them. */
    public record Certificate(String id, String base64Der) {
    }

    private final Certificate current;
    private final Map<String, PrivateKey> privateKeys;

    public NotificationKeys(ConnectorConfig config) {
        Map<String, PrivateKey> keys = new HashMap<>();
        Optional<String> id = config.encryptionKeyId();
        Optional<String> certificate = config.encryptionCertificate();
        Optional<String> privateKey = config.encryptionPrivateKey();
        if (id.isPresent() || certificate.isPresent() || privateKey.isPresent()) {
            if (id.isEmpty() || certificate.isEmpty() || privateKey.isEmpty()) {
                throw new IllegalStateException("Rich notifications need all three of CONNECTOR_ENCRYPTION_KEY_ID, "
                        + "CONNECTOR_ENCRYPTION_CERTIFICATE and CONNECTOR_ENCRYPTION_PRIVATE_KEY");
            }
            X509Certificate parsed = Pem.certificate(certificate.get());
            keys.put(id.get(), Pem.privateKey(privateKey.get()));
            current = new Certificate(id.get(), Pem.base64Der(parsed));
        } else {
            current = null;
        }
        if (config.previousEncryptionKeyId().isPresent() != config.previousEncryptionPrivateKey().isPresent()) {
            throw new IllegalStateException("A previous encryption key needs both CONNECTOR_PREVIOUS_ENCRYPTION_KEY_ID "
                    + "and CONNECTOR_PREVIOUS_ENCRYPTION_PRIVATE_KEY");
        }
        config.previousEncryptionKeyId().ifPresent(previous ->
                keys.put(previous, Pem.privateKey(config.previousEncryptionPrivateKey().get())));
        privateKeys = Map.copyOf(keys);
    }

    /** The certificate for new subscriptions; empty when rich notifications are not configured. */
    public Optional<Certificate> current() {
        return Optional.ofNullable(current);
    }

    /** Private keys by certificate id. */
    public Map<String, PrivateKey> privateKeys() {
        return privateKeys;
    }
}
