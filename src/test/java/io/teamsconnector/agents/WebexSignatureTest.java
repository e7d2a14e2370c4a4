package io.teamsconnector.agents;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.teamsconnector.support.WebexFake;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Webex's signature and version-2 timestamp rules, without HTTP. */
class WebexSignatureTest {

    @Test
    void theSignatureIsTheLowercaseHexHmacOfTheRawBody() {
        String body = "{\"id\":\"1\",  \"type\":\"agent:login\"}";
        String secret = "s".repeat(64);

        assertEquals(WebexFake.hmacHex(secret, body),
                WebexEventIntake.hmacHex(secret, body.getBytes(StandardCharsets.UTF_8)));
        assertEquals(64, WebexEventIntake.hmacHex(secret, new byte[0]).length());
    }

    @Test
    void aVersionTwoTimestampMustMatchTheHeaderAndBeRecent() {
        Instant now = Instant.parse("2026-12-01T10:00:00Z");
        long ms = now.minusSeconds(299).toEpochMilli();
        var stamp = JsonNodeFactory.instance.numberNode(ms);

        assertTrue(WebexEventIntake.freshTimestamp(stamp, Long.toString(ms), now));
        assertTrue(WebexEventIntake.freshTimestamp(JsonNodeFactory.instance.textNode(Long.toString(ms)),
                Long.toString(ms), now));
        assertFalse(WebexEventIntake.freshTimestamp(stamp, Long.toString(ms + 1), now), "header differs");
        assertFalse(WebexEventIntake.freshTimestamp(stamp, null, now), "no header");
        long old = now.minusSeconds(301).toEpochMilli();
        assertFalse(WebexEventIntake.freshTimestamp(JsonNodeFactory.instance.numberNode(old), Long.toString(old), now),
                "older than 5 minutes");
        long ahead = now.plusSeconds(301).toEpochMilli();
        assertFalse(WebexEventIntake.freshTimestamp(JsonNodeFactory.instance.numberNode(ahead), Long.toString(ahead),
                now), "far ahead");
    }
}
