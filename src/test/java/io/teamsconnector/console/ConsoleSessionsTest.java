package io.teamsconnector.console;

import io.teamsconnector.security.RandomTokens;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The console's session cookie and CSRF token, without HTTP: what opens, what does not. */
class ConsoleSessionsTest {

    static final byte[] KEY = Base64.getDecoder().decode("JiUUbVQZmNX0xEqC9SjsNw7SwiOnVNnhM2qbbSYn2+E=");
    static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

    final ConsoleSessions sessions = sessions(KEY, NOW);

    static ConsoleSessions sessions(byte[] key, Instant now) {
        return new ConsoleSessions(Optional.of(key), new RandomTokens(), Clock.fixed(now, ZoneOffset.UTC), true);
    }

    @Test
    void aSealedSessionOpensAsItWas() {
        ConsoleSession admin = sessions.orgAdmin("admin@acme.example", "acme");
        ConsoleSession opened = sessions.open(sessions.seal(admin)).orElseThrow();
        assertEquals(admin, opened);
        assertTrue(opened.canSee("acme"));
        assertFalse(opened.canSee("globex"));
        assertTrue(sessions.open(sessions.seal(sessions.operator())).orElseThrow().canSee("globex"));
    }

    @Test
    void aChangedCookieDoesNotOpen() {
        String sealed = sessions.seal(sessions.orgAdmin("admin@acme.example", "acme"));
        // the org part rewritten to another org: the signature no longer matches
        String[] parts = sealed.split("\\.");
        parts[3] = Base64.getUrlEncoder().withoutPadding().encodeToString("globex".getBytes());
        assertEquals(Optional.empty(), sessions.open(String.join(".", parts)));
        assertEquals(Optional.empty(), sessions.open(sealed.replace("ORG_ADMIN", "OPERATOR")));
        assertEquals(Optional.empty(), sessions.open(sealed + "x"));
        assertEquals(Optional.empty(), sessions.open("garbage"));
        assertEquals(Optional.empty(), sessions.open(null));
        // signed with another key
        byte[] other = KEY.clone();
        other[0] ^= 1;
        assertEquals(Optional.empty(), sessions(other, NOW).open(sealed));
    }

    @Test
    void aSessionEndsAfterEightHours() {
        String sealed = sessions.seal(sessions.operator());
        assertTrue(sessions(KEY, NOW.plus(Duration.ofHours(8)).minusSeconds(1)).open(sealed).isPresent());
        assertEquals(Optional.empty(), sessions(KEY, NOW.plus(Duration.ofHours(8))).open(sealed));
    }

    @Test
    void theCsrfTokenBelongsToOneSession() {
        ConsoleSession one = sessions.operator();
        ConsoleSession two = sessions.operator();
        assertTrue(sessions.validCsrf(one, sessions.csrfToken(one)));
        assertNotEquals(sessions.csrfToken(one), sessions.csrfToken(two));
        assertFalse(sessions.validCsrf(one, sessions.csrfToken(two)));
        assertFalse(sessions.validCsrf(one, null));
        assertFalse(sessions.validCsrf(one, ""));
    }

    @Test
    void cookiesAreHttpOnlyStrictAndSecureExceptOnLocalhost() {
        String cookie = sessions.sessionCookie(sessions.operator());
        assertTrue(cookie.contains("; Path=/console; Max-Age=28800; HttpOnly; SameSite=Strict; Secure"), cookie);
        assertTrue(sessions.clearedSessionCookie().contains("Max-Age=0"));
        assertTrue(ConsoleSessions.secureCookies("https://connector.example.com"));
        assertTrue(ConsoleSessions.secureCookies("http://connector.example.com"));
        assertFalse(ConsoleSessions.secureCookies("http://localhost:8080"));
        assertFalse(ConsoleSessions.secureCookies("http://localhost"));
        assertTrue(ConsoleSessions.secureCookies("http://localhost.evil.example"));
    }

    @Test
    void aSignInComesBackWithTheValueOfItsBrowser() {
        assertTrue(ConsoleSessions.sameSignIn("abc", "abc"));
        assertFalse(ConsoleSessions.sameSignIn("abc", "abd"));
        assertFalse(ConsoleSessions.sameSignIn(null, "abc"));
        assertFalse(ConsoleSessions.sameSignIn("", ""));
    }
}
