package io.teamsconnector.webhook;

import io.teamsconnector.config.ConnectorConfig;
import io.teamsconnector.security.NotificationKeys;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What the intake needs for rich notifications: the validation-token check against Entra's signing keys
 * (fetched at start-up and every day in the background, again on an unknown key id, at most once a minute; a
 * request waits at most a second for them) and decryption with the connector's key pairs.
 */
@ApplicationScoped
public class RichNotifications {

    static final Duration KEYS_MAX_AGE = Duration.ofHours(24);
    static final Duration KEYS_MIN_REFRESH = Duration.ofMinutes(1);
    static final Duration KEYS_MAX_WAIT = Duration.ofSeconds(1);
    /**
     * The start-up fetch waits this long after start, so that it does not slow the first answer of a cold start
     * (Graph's handshake, a basic notification); a rich notification sooner than that starts it itself.
     */
    static final Duration KEYS_FIRST_FETCH_DELAY = Duration.ofSeconds(1);

    private final SigningKeys signingKeys;
    private final ValidationTokens tokens;
    private final RichContent content;
    private final String clientId;

    public RichNotifications(ConnectorConfig config, NotificationKeys keys, Vertx vertx) {
        URI keysUrl = URI.create(config.signingKeysUrl()
                .orElse(config.loginUrl().replaceAll("/+$", "") + "/common/discovery/v2.0/keys"));
        // fetches block (up to the Entra timeout): on a worker, never on the request's thread
        this.signingKeys = new SigningKeys(SigningKeys.http(vertx, keysUrl, config.entraTimeout()),
                KEYS_MAX_AGE, KEYS_MIN_REFRESH, Clock.systemUTC(), Infrastructure.getDefaultWorkerPool(), KEYS_MAX_WAIT);
        this.tokens = new ValidationTokens(signingKeys, Clock.systemUTC());
        this.content = new RichContent(keys.privateKeys());
        this.clientId = config.clientId().orElse("");
    }

    /** Static, with the bean as a client proxy: nothing of it is created before the first fetch. */
    static void start(@Observes StartupEvent event, Vertx vertx, RichNotifications rich) {
        vertx.setTimer(KEYS_FIRST_FETCH_DELAY.toMillis(), id -> rich.refreshKeys());
        vertx.setPeriodic(KEYS_MAX_AGE.toMillis(), id -> rich.refreshKeys());
    }

    /** Fetches Entra's signing keys in the background; returns at once. */
    public void refreshKeys() {
        signingKeys.refresh();
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
