package io.teamsconnector.graph;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Who signed in, from the id_token: only one for our app, from the connector's tenant, and not expired. */
class SignedInUserTest {

    static final String CLIENT = "11111111-0000-0000-0000-000000000001";
    static final String TENANT = "aaaaaaaa-0000-0000-0000-000000000001";
    static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    static JsonObject valid() {
        return new JsonObject().put("aud", CLIENT).put("iss", "https://login.microsoftonline.com/" + TENANT + "/v2.0")
                .put("tid", TENANT).put("oid", "user-1").put("preferred_username", "bot@contoso.example")
                .put("exp", NOW.plusSeconds(3600).getEpochSecond());
    }

    static String token(JsonObject claims) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8)) + ".sig";
    }

    static Optional<SignedInUser> read(JsonObject claims) {
        return SignedInUser.fromIdToken(token(claims), CLIENT, TENANT, NOW);
    }

    @Test
    void theUserOfAValidIdToken() {
        assertEquals(Optional.of(new SignedInUser("user-1", "bot@contoso.example")), read(valid()));
        assertEquals(Optional.of(new SignedInUser("user-1", null)), read(valid().put("preferred_username", null)));
    }

    @Test
    void noIdTokenIsNoAnswer() {
        assertEquals(Optional.empty(), SignedInUser.fromIdToken(null, CLIENT, TENANT, NOW));
        assertEquals(Optional.empty(), SignedInUser.fromIdToken("", CLIENT, TENANT, NOW));
    }

    @Test
    void anIdTokenForAnotherAppTenantOrTimeIsRefused() {
        assertRefused(valid().put("aud", "another-app"));
        assertRefused(valid().put("tid", "bbbbbbbb-0000-0000-0000-000000000002"));
        assertRefused(valid().put("iss", "https://login.microsoftonline.com/bbbbbbbb-0000-0000-0000-000000000002/v2.0"));
        assertRefused(valid().put("exp", NOW.minusSeconds(301).getEpochSecond()));
        assertRefused(valid().put("exp", "tomorrow"));
        assertRefused(valid().put("oid", null));
        GraphException notJwt = assertThrows(GraphException.class,
                () -> SignedInUser.fromIdToken("opaque", CLIENT, TENANT, NOW));
        assertEquals(GraphException.Kind.REJECTED, notJwt.kind());
    }

    @Test
    void aFewMinutesOfClockSkewAreForgiven() {
        assertEquals("user-1", read(valid().put("exp", NOW.minusSeconds(60).getEpochSecond())).orElseThrow().userId());
    }

    @Test
    void graphsMeNamesTheUser() {
        assertEquals(new SignedInUser("user-2", "b@contoso.example"),
                SignedInUser.fromMe(new JsonObject().put("id", "user-2").put("userPrincipalName", "b@contoso.example")));
        assertThrows(GraphException.class, () -> SignedInUser.fromMe(new JsonObject().put("userPrincipalName", "x")));
    }

    private static void assertRefused(JsonObject claims) {
        GraphException e = assertThrows(GraphException.class, () -> read(claims));
        assertEquals(GraphException.Kind.REJECTED, e.kind(), claims.encode());
    }
}
