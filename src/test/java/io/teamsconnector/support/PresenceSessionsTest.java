package io.teamsconnector.support;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The Graph fake's presence sessions follow Graph's documented contract of setPresence and clearPresence. */
class PresenceSessionsTest {

    static final String APP = EntraFake.CLIENT_ID;
    static final String USER = "66825e03-7ef5-42da-9069-4da7d4f8e7a5";
    static final String TENANT = "aaaaaaaa-0000-0000-0000-000000000001";

    final TestClock clock = new TestClock(Instant.parse("2026-12-02T10:00:00Z"));
    final PresenceSessions sessions = new PresenceSessions(clock::instant);

    private PresenceSessions.Answer set(String availability, String activity, String expiration) {
        Map<String, String> body = new java.util.HashMap<>(Map.of("sessionId", APP, "availability", availability,
                "activity", activity));
        if (expiration != null) {
            body.put("expirationDuration", expiration);
        }
        return sessions.set(TENANT, USER, APP, body);
    }

    @Test
    void onlyTheDocumentedPairsAreAccepted() {
        for (String pair : PresenceSessions.ALLOWED) {
            String[] p = pair.split("/");
            assertEquals(200, set(p[0], p[1], null).status(), pair);
        }
        assertEquals(400, set("Busy", "InAMeeting", null).status());
        assertEquals(400, set("DoNotDisturb", "DoNotDisturb", null).status());
    }

    @Test
    void theSessionIdMustBeTheApplications() {
        assertEquals(400, sessions.set(TENANT, USER, APP, Map.of("sessionId", "someone-else", "availability", "Busy",
                "activity", "InACall")).status());
    }

    @Test
    void expirationIsFiveMinutesByDefaultAndFromFiveMinutesToFourHours() {
        set("Busy", "InACall", null);
        assertEquals(Duration.ofMinutes(5), sessions.session(USER).expiration());
        assertEquals(400, set("Busy", "InACall", "PT4M").status());
        assertEquals(400, set("Busy", "InACall", "PT4H1M").status());
        assertEquals(200, set("Busy", "InACall", "PT4H").status());
        assertEquals(200, set("Busy", "InACall", "PT1H").status());
    }

    @Test
    void anExpiredSessionIsGone() {
        set("Busy", "InACall", "PT1H");
        clock.advance(Duration.ofMinutes(59));
        assertArrayEquals(new String[] {"Busy", "InACall"}, sessions.aggregate(USER, new String[] {"Available", "Available"}));
        clock.advance(Duration.ofMinutes(1));
        assertNull(sessions.session(USER));
        assertArrayEquals(new String[] {"Available", "Available"}, sessions.aggregate(USER, new String[] {"Available", "Available"}));
        assertEquals(404, sessions.clear(TENANT, USER, APP, Map.of("sessionId", APP)).status());
    }

    @Test
    void sessionsAggregateByPrecedenceAndTheUsersOwnPresenceWinsATie() {
        set("Busy", "InACall", null);
        assertArrayEquals(new String[] {"Busy", "InACall"}, sessions.aggregate(USER, new String[] {"Available", "Available"}));
        assertArrayEquals(new String[] {"DoNotDisturb", "Presenting"},
                sessions.aggregate(USER, new String[] {"DoNotDisturb", "Presenting"}));
        assertArrayEquals(new String[] {"Busy", "InAMeeting"}, sessions.aggregate(USER, new String[] {"Busy", "InAMeeting"}));
        assertArrayEquals(new String[] {"Busy", "InACall"}, sessions.aggregate(USER, null));
    }

    @Test
    void clearRemovesTheSessionAndA404SaysThereWasNone() {
        set("Busy", "InACall", null);
        assertEquals(200, sessions.clear(TENANT, USER, APP, Map.of("sessionId", APP)).status());
        assertNull(sessions.aggregate(USER, null));
        assertEquals(404, sessions.clear(TENANT, USER, APP, Map.of("sessionId", APP)).status());
    }

    @Test
    void withLagAClearedSessionShowsUntilGraphCatchesUp() {
        sessions.lagClears(true);
        set("Busy", "InACall", null);
        sessions.clear(TENANT, USER, APP, Map.of("sessionId", APP));
        assertNull(sessions.session(USER));
        assertArrayEquals(new String[] {"Busy", "InACall"}, sessions.aggregate(USER, new String[] {"Available", "Available"}));
        sessions.settleClears();
        assertArrayEquals(new String[] {"Available", "Available"}, sessions.aggregate(USER, new String[] {"Available", "Available"}));
    }

    @Test
    void aTenantWithoutThePermissionIsRefused403() {
        sessions.denyWrite(TENANT);
        assertEquals(403, set("Busy", "InACall", null).status());
        assertEquals(403, sessions.clear(TENANT, USER, APP, Map.of("sessionId", APP)).status());
        sessions.grantWrite(TENANT);
        assertEquals(200, set("Busy", "InACall", null).status());
    }
}
