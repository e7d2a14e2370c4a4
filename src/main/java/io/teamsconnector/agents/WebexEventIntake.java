package io.teamsconnector.agents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.teamsconnector.domain.DomainException;
import io.teamsconnector.security.SecretCipher;
import io.teamsconnector.store.ReactiveBridge;
import io.teamsconnector.store.WebexDeliveryRepository;
import io.teamsconnector.store.WebexLinkRepository;
import io.teamsconnector.store.WebexLinkRepository.WebexLinkRow;
import io.teamsconnector.store.WorkSignal;
import io.teamsconnector.store.WorkSignals;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * Deliveries of Webex's agent-event subscriptions (API.md, {@code POST /webex/events}). Accepted only when
 * {@code X-WebexCC-Signature} is the HMAC-SHA256 of the raw body keyed with the subscription secret of the
 * connector named by {@code comciscoorgid} (compared in constant time), and, for version 2, when
 * {@code X-WebExCC-Timestamp} equals {@code comciscotimestamp} and is at most 5 minutes old. An accepted
 * delivery is stored first, under Webex's id, so a repeated one is applied once. Blocking.
 */
@ApplicationScoped
public class WebexEventIntake {

    /** A version-2 delivery older (or further ahead) than this is a replay. */
    static final Duration MAX_AGE = Duration.ofMinutes(5);
    private static final Logger LOG = Logger.getLogger(WebexEventIntake.class);

    private final WebexLinkRepository links;
    private final WebexDeliveryRepository deliveries;
    private final SecretCipher cipher;
    private final AgentService agents;
    private final WorkSignals signals;
    private final ReactiveBridge bridge;
    private final ObjectMapper json;
    private final MeterRegistry meters;

    public WebexEventIntake(WebexLinkRepository links, WebexDeliveryRepository deliveries, SecretCipher cipher,
                            AgentService agents, WorkSignals signals, ReactiveBridge bridge, ObjectMapper json,
                            MeterRegistry meters) {
        this.links = links;
        this.deliveries = deliveries;
        this.cipher = cipher;
        this.agents = agents;
        this.signals = signals;
        this.bridge = bridge;
        this.json = json;
        this.meters = meters;
    }

    /** Why a delivery was refused: the {@code error} of the 401 answer. */
    public enum Refusal {
        BAD_SIGNATURE, UNKNOWN_ORG, STALE
    }

    /** A refused delivery; nothing was stored or applied. */
    public static final class RefusedException extends RuntimeException {
        private final Refusal refusal;

        RefusedException(Refusal refusal, String message) {
            super(message, null, false, false);
            this.refusal = refusal;
        }

        public Refusal refusal() {
            return refusal;
        }
    }

    /** What became of an accepted delivery. */
    public record Accepted(String id, boolean duplicate) {
    }

    /**
     * Checks, stores and applies one delivery. Throws {@link RefusedException} (401) or a 400
     * {@link DomainException} for a body that is not a JSON object.
     */
    public Accepted accept(byte[] raw, String signature, String timestampHeader, Instant now) {
        JsonNode body = parse(raw);
        String orgId = text(body, "comciscoorgid");
        Optional<WebexLinkRow> link = orgId == null || orgId.length() > 64 ? Optional.empty()
                : bridge.await(() -> links.find(orgId));
        if (link.isEmpty() || link.get().secretCiphertext() == null) {
            throw refuse(Refusal.UNKNOWN_ORG, "No connector with a Webex subscription for this organization.");
        }
        String secret = cipher.open(new SecretCipher.Sealed(link.get().secretKeyId(), link.get().secretCiphertext()),
                secretContext(orgId));
        if (signature == null || !MessageDigest.isEqual(hmacHex(secret, raw).getBytes(StandardCharsets.US_ASCII),
                signature.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
            throw refuse(Refusal.BAD_SIGNATURE, "X-WebexCC-Signature is missing or does not match the body.");
        }
        JsonNode stamp = body.get("comciscotimestamp");
        if (stamp != null && !stamp.isNull() && !freshTimestamp(stamp, timestampHeader, now)) {
            throw refuse(Refusal.STALE, "X-WebExCC-Timestamp does not match comciscotimestamp or is older than 5 minutes.");
        }
        String id = text(body, "id");
        if (id == null || id.length() > 128) {
            throw DomainException.invalid("A Webex delivery needs an id of at most 128 characters.");
        }
        String type = Optional.ofNullable(text(body, "type")).orElse("");
        String text = new String(raw, StandardCharsets.UTF_8);
        boolean stored = bridge.await(() -> deliveries.store(id, orgId, type.length() > 64 ? type.substring(0, 64)
                : type, text));
        if (!stored) {
            meters.counter("webex.deliveries", "outcome", "duplicate").increment();
            return new Accepted(id, true);
        }
        String outcome;
        try {
            outcome = apply(orgId, body, now);
        } catch (RuntimeException e) {
            // not applied (the database failed): Webex is answered 5xx and delivers again, which must apply it
            bridge.await(() -> deliveries.forget(id));
            throw e;
        }
        bridge.await(() -> deliveries.applied(id, outcome));
        meters.counter("webex.deliveries", "outcome", "accepted").increment();
        return new Accepted(id, false);
    }

    /** Applies the stored delivery; answers what it did. A delivery that cannot be applied stays stored with why. */
    private String apply(String orgId, JsonNode body, Instant now) {
        try {
            AgentEvent event = AgentEvents.parse(new AgentEventRequest(null, null, text(body, "type"), null, null,
                    null, null, null, text(body, "source"), null, body.get("time"), text(body, "id"),
                    text(body, "specversion"), orgId, body.get("comciscotimestamp"), body.get("data"), null), now);
            if (!orgId.equals(event.orgId())) {
                return "not applied: data.orgId names another organization";
            }
            AgentService.Applied applied = bridge.await(() -> agents.apply(event));
            if (applied.readPresence()) {
                signals.send(WorkSignal.presenceRead(event.orgId(), event.agentId()));
            }
            if (applied.writeBack()) {
                signals.send(WorkSignal.writeBack(event.orgId()));
            }
            return "applied: " + applied.agent().state();
        } catch (DomainException e) {
            LOG.debugf("Webex delivery for %s not applied: %s", orgId, e.getMessage());
            return "not applied: " + e.getMessage();
        }
    }

    /** Associated data of the sealed subscription secret (as the Webex link stores it). */
    static String secretContext(String orgId) {
        return WebexLinkRepository.sealContext(orgId, WebexLinkRepository.SUBSCRIPTION_SECRET);
    }

    static boolean freshTimestamp(JsonNode stamp, String header, Instant now) {
        String value = stamp.isNumber() ? stamp.asText() : stamp.isTextual() ? stamp.asText().trim() : null;
        if (value == null || header == null || !value.matches("\\d{1,15}") || !value.equals(header.trim())) {
            return false;
        }
        Instant at = Instant.ofEpochMilli(Long.parseLong(value));
        return Duration.between(at, now).abs().compareTo(MAX_AGE) <= 0;
    }

    static String hmacHex(String secret, byte[] raw) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(raw));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }

    private RefusedException refuse(Refusal refusal, String message) {
        meters.counter("webex.deliveries", "outcome", refusal.name().toLowerCase(Locale.ROOT)).increment();
        return new RefusedException(refusal, message);
    }

    private JsonNode parse(byte[] raw) {
        try {
            JsonNode body = json.readTree(raw);
            if (body != null && body.isObject()) {
                return body;
            }
        } catch (IOException e) {
            // answered below
        }
        throw DomainException.invalid("A Webex delivery must be a JSON object.");
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        return value != null && value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }
}
