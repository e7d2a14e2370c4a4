package io.teamsconnector.webhook;

import io.teamsconnector.config.ConnectorConfig;
import io.teamsconnector.security.NotificationKeys;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What the intake needs for rich notifications: the validation-token check against Entra's signing keys
 * (cached a day, refreshed once on an unknown key id) and decryption with the connector's key pairs.
 */
@ApplicationScoped
public class RichNotifications {

    static final Duration KEYS_MAX_AGE = Duration.ofHours(24);
    static final Duration KEYS_MIN_REFRESH = Duration.ofMinutes(1);

    private final ValidationTokens tokens;
    private final RichContent content;
    private final String clientId;

    public RichNotifications(ConnectorConfig config, NotificationKeys keys, Vertx vertx) {
        URI keysUrl = URI.create(config.signingKeysUrl()
                .orElse(config.loginUrl().replaceAll("/+$", "") + "/common/discovery/v2.0/keys"));
        this.tokens = new ValidationTokens(new SigningKeys(SigningKeys.http(vertx, keysUrl, config.entraTimeout()),
                KEYS_MAX_AGE, KEYS_MIN_REFRESH, Clock.systemUTC()), Clock.systemUTC());
        this.content = new RichContent(keys.privateKeys());
        this.clientId = config.clientId().orElse("");
    }

    /** Why the tokens do not prove a collection for {@code tenantId} came from Graph; empty if they do. */
    public Optional<ValidationTokens.Refusal> refusal(List<String> validationTokens, String tenantId) {
        return tokens.check(validationTokens, clientId, tenantId);
    }

    /** The decrypted resource JSON; throws when the content is not ours or was tampered with. */
    public String decrypt(RichContent.EncryptedContent encrypted) throws RichContentException {
        return content.decrypt(encrypted);
    }
}
