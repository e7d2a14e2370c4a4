package io.teamsconnector.contactcenter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.teamsconnector.domain.AgentState;
import io.teamsconnector.domain.ChangeSource;
import io.teamsconnector.domain.DecisionReason;
import io.teamsconnector.domain.TeamsPresence;
import io.vertx.core.http.HttpMethod;
import io.vertx.mutiny.core.Vertx;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * {@code webhook}: {@code POST} JSON to a configured URL, signed the Standard Webhooks way:
 * {@code webhook-id} (the idempotency key, the same on every retry), {@code webhook-timestamp} (seconds,
 * of this attempt) and {@code webhook-signature: v1,<base64 HMAC-SHA256 of id.timestamp.body>}.
 */
final class WebhookContactCenter implements ContactCenterAdapter {

    /** A secret written as {@code whsec_<base64>} is that key; any other text is used as its UTF-8 bytes. */
    static final String KEY_PREFIX = "whsec_";

    private final URI url;
    private final byte[] key;
    private final HttpSender sender;
    private final ObjectMapper json;
    private final Clock clock;

    WebhookContactCenter(Vertx vertx, URI url, String secret, Duration timeout, ObjectMapper json, Clock clock) {
        this.url = url;
        this.key = signingKey(secret);
        this.sender = new HttpSender(vertx, timeout);
        this.json = json;
        this.clock = clock;
    }

    /** The body the receiver gets. */
    @RegisterForReflection // an ObjectMapper writes it outside any endpoint: native must be told
    record Body(String type, String id, String orgId, String agentId, AgentState state, String idleCode,
                String reason, DecisionReason decision, TeamsPresence teamsPresence, Instant decidedAt) {
    }

    @Override
    public boolean sendsChanges() {
        return true;
    }

    @Override
    public CompletableFuture<Delivery> send(UUID idempotencyKey, StateChange change) {
        String id = idempotencyKey.toString();
        String body;
        try {
            body = json.writeValueAsString(new Body("agent.state.change", id, change.orgId(), change.agentId(),
                    change.state(), change.idleCode(), ChangeSource.PRESENCE_SYNC_REASON, change.decision(),
                    change.teamsPresence(), change.decidedAt()));
        } catch (JsonProcessingException e) {
            return CompletableFuture.completedFuture(new Delivery(Delivery.Outcome.REJECTED, "not serializable"));
        }
        long timestamp = clock.instant().getEpochSecond();
        return sender.send(HttpMethod.POST, url, Map.of(
                "Content-Type", "application/json",
                "webhook-id", id,
                "webhook-timestamp", Long.toString(timestamp),
                "webhook-signature", "v1," + sign(key, id + "." + timestamp + "." + body)), body);
    }

    static byte[] signingKey(String secret) {
        if (secret.startsWith(KEY_PREFIX)) {
            return Base64.getDecoder().decode(secret.substring(KEY_PREFIX.length()));
        }
        return secret.getBytes(StandardCharsets.UTF_8);
    }

    private static String sign(byte[] key, String content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "WebhookContactCenter[" + url + "]";
    }
}
