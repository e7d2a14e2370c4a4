package io.teamsconnector.contactcenter.webex;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The small readings of Webex's answers, without HTTP. */
class WebexRulesTest {

    @Test
    void theOAuthErrorIsReadFromTheBodyWithoutLoggingIt() {
        assertEquals("invalid_grant", WebexOAuth.oauthError(
                "{\"error\": \"invalid_grant\",\"error_description\":\"The refresh token provided is expired\"}"));
        assertNull(WebexOAuth.oauthError("<html>bad gateway</html>"));
        assertNull(WebexOAuth.oauthError(null));
    }

    @Test
    void retryAfterIsInSecondsAndAnythingElseIsZero() {
        assertEquals(Duration.ofSeconds(7), WebexHttp.retryAfter(" 7"));
        assertEquals(Duration.ZERO, WebexHttp.retryAfter("Wed, 21 Oct 2026 07:28:00 GMT"));
        assertEquals(Duration.ZERO, WebexHttp.retryAfter(null));
    }

    @Test
    void answersAreClassifiedForTheCaller() {
        assertEquals(WebexException.Kind.THROTTLED,
                WebexClient.failure(new WebexHttp.Answer(429, null, Duration.ofSeconds(3)), "x").kind());
        assertEquals(Duration.ofSeconds(3),
                WebexClient.failure(new WebexHttp.Answer(429, null, Duration.ofSeconds(3)), "x").retryAfter());
        assertEquals(WebexException.Kind.UNAVAILABLE, WebexClient.failure(new WebexHttp.Answer(503, null, Duration.ZERO), "x").kind());
        assertEquals(WebexException.Kind.NOT_FOUND, WebexClient.failure(new WebexHttp.Answer(404, null, Duration.ZERO), "x").kind());
        assertEquals(WebexException.Kind.UNAUTHORIZED, WebexClient.failure(new WebexHttp.Answer(403, null, Duration.ZERO), "x").kind());
        assertEquals(WebexException.Kind.REJECTED, WebexClient.failure(new WebexHttp.Answer(400, null, Duration.ZERO), "x").kind());
    }
}
