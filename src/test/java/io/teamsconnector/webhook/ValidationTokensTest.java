package io.teamsconnector.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.teamsconnector.support.GraphFake;
import io.teamsconnector.support.TestClock;
import io.teamsconnector.support.TestSigningKey;
import io.teamsconnector.webhook.ValidationTokens.Refusal;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The validation tokens of rich notifications: {@code validation-tokens.json} and tokens minted by the test key. */
class ValidationTokensTest {

    static final String CLIENT_ID = "11111111-2222-3333-4444-555555555555";
    static final String TENANT = "aaaaaaaa-0000-0000-0000-000000000001";
    static final String OTHER_TENANT = "bbbbbbbb-0000-0000-0000-000000000002";
    static final Duration MAX_AGE = Duration.ofHours(24);
    static final Duration MIN_REFRESH = Duration.ofMinutes(5);

    static final JsonNode FIXTURE = read(GraphFake.fixture("validation-tokens.json"));
    static final String FIXTURE_JWKS = GraphFake.fixture("test-jwks.json");
    /** What Entra's endpoint serves in these tests: the fixture's key and the test key. */
    static final String BOTH_KEYS = "{\"keys\":[" + read(FIXTURE_JWKS).get("keys").get(0) + ","
            + TestSigningKey.jwkJson() + "]}";

    // real time: the test key's tokens are minted for now; the fixture's are valid until 2100
    final TestClock clock = new TestClock(Instant.now());
    final AtomicReference<String> endpoint = new AtomicReference<>(BOTH_KEYS);
    final AtomicReference<IOException> outage = new AtomicReference<>();
    SigningKeys keys;
    ValidationTokens tokens;

    @BeforeEach
    void setUp() {
        keys = new SigningKeys(() -> {
            if (outage.get() != null) {
                throw outage.get();
            }
            return endpoint.get();
        }, MAX_AGE, MIN_REFRESH, clock);
        tokens = new ValidationTokens(keys, clock);
    }

    static String fixture(String name) {
        return FIXTURE.get(name).asText();
    }

    Optional<Refusal> check(String... list) {
        return tokens.check(Arrays.asList(list), CLIENT_ID, TENANT);
    }

    @Test
    void theValidFixtureTokenPasses() {
        assertEquals(Optional.empty(), check(fixture("valid")));
        assertEquals(1, keys.fetches());
    }

    @ParameterizedTest
    @CsvSource({
        "expired, EXPIRED",
        "wrongAudience, AUDIENCE",
        "wrongIssuer, ISSUER",
        "wrongPublisher, PUBLISHER",
        "unknownKid, UNKNOWN_KEY",
        "badSignature, SIGNATURE",
    })
    void everyOtherFixtureTokenIsRefusedForWhatIsWrongWithIt(String name, Refusal refusal) {
        assertEquals(Optional.of(refusal), check(fixture(name)));
    }

    @Test
    void theValidTokenIsRefusedForAnotherTenant() {
        assertEquals(Optional.of(Refusal.ISSUER), tokens.check(List.of(fixture("valid")), CLIENT_ID, OTHER_TENANT));
        assertEquals(Optional.of(Refusal.ISSUER), tokens.check(List.of(fixture("valid")), CLIENT_ID, null));
    }

    @Test
    void theValidTokenIsRefusedForAnotherClientId() {
        assertEquals(Optional.of(Refusal.AUDIENCE),
                tokens.check(List.of(fixture("valid")), "99999999-0000-0000-0000-000000000000", TENANT));
        assertEquals(Optional.of(Refusal.AUDIENCE), tokens.check(List.of(fixture("valid")), null, TENANT));
    }

    @Test
    void oneBadTokenRefusesTheWholeCollection() {
        assertEquals(Optional.of(Refusal.SIGNATURE), check(fixture("valid"), fixture("badSignature")));
        assertEquals(Optional.of(Refusal.EXPIRED), check(fixture("expired"), fixture("valid")));
        assertEquals(Optional.empty(), check(fixture("valid"), TestSigningKey.validationToken(TENANT, CLIENT_ID)));
    }

    @Test
    void noTokensAtAllIsMissing() {
        assertEquals(Optional.of(Refusal.MISSING), tokens.check(List.of(), CLIENT_ID, TENANT));
        assertEquals(Optional.of(Refusal.MISSING), tokens.check(null, CLIENT_ID, TENANT));
        assertEquals(0, keys.fetches(), "nothing to check, nothing fetched");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not-a-jwt", "a.b", "a.b.c.d", "..", "e30.e30.", "!!!.e30.c2ln", "bm90IGpzb24.e30.c2ln",
        "WzFd.e30.c2ln"})
    void somethingThatIsNotAJwsIsMalformed(String token) {
        assertEquals(Optional.of(Refusal.MALFORMED), check(token));
    }

    @Test
    void aNullOrHugeTokenIsMalformed() {
        assertEquals(Optional.of(Refusal.MALFORMED), tokens.check(Arrays.asList((String) null), CLIENT_ID, TENANT));
        String valid = fixture("valid");
        String huge = valid.substring(0, valid.lastIndexOf('.')) + "." + "A".repeat(20_000);
        assertEquals(Optional.of(Refusal.MALFORMED), check(huge));
    }

    @Test
    void aSignatureThatIsNotBase64UrlIsMalformed() {
        String valid = fixture("valid");
        assertEquals(Optional.of(Refusal.MALFORMED), check(valid.substring(0, valid.lastIndexOf('.')) + ".***"));
    }

    @Test
    void claimsThatAreNotJsonAreMalformedEvenWhenSigned() {
        String header = TestSigningKey.mint(Map.of(), Map.of()).split("\\.")[0];
        // correctly signed, but a payload that is not a JSON object is still not a token
        assertEquals(Optional.of(Refusal.MALFORMED), check(resign(header, base64Url("not json"))));
        assertEquals(Optional.of(Refusal.MALFORMED), check(resign(header, base64Url("[1,2]"))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "HS256", "RS384", "PS256", "rs256"})
    void onlyRs256IsAccepted(String alg) {
        String token = TestSigningKey.mint(Map.of("alg", alg), TestSigningKey.validationClaims(TENANT, CLIENT_ID));
        assertEquals(Optional.of(Refusal.SIGNATURE), check(token));
    }

    @Test
    void aTokenWithoutAlgIsRefused() {
        String valid = TestSigningKey.validationToken(TENANT, CLIENT_ID);
        String payload = valid.split("\\.")[1];
        assertEquals(Optional.of(Refusal.SIGNATURE), check(resign(base64Url("{\"typ\":\"JWT\",\"kid\":\""
                + TestSigningKey.KID + "\"}"), payload)));
    }

    @Test
    void anUnsignedTokenWithTheAlgNoneTrickIsRefused() {
        String payload = TestSigningKey.validationToken(TENANT, CLIENT_ID).split("\\.")[1];
        String header = base64Url("{\"alg\":\"none\",\"kid\":\"" + TestSigningKey.KID + "\"}");
        assertEquals(Optional.of(Refusal.MALFORMED), check(header + "." + payload + "."));
        assertEquals(Optional.of(Refusal.SIGNATURE), check(header + "." + payload + ".c2ln"));
    }

    @Test
    void aTokenWithoutKidIsUnknownKey() {
        Map<String, Object> claims = TestSigningKey.validationClaims(TENANT, CLIENT_ID);
        String payload = TestSigningKey.mint(Map.of(), claims).split("\\.")[1];
        assertEquals(Optional.of(Refusal.UNKNOWN_KEY), check(resign(base64Url("{\"alg\":\"RS256\"}"), payload)));
        assertEquals(Optional.of(Refusal.UNKNOWN_KEY),
                check(TestSigningKey.mint(Map.of("kid", 42), claims)));
    }

    @Test
    void theSignatureIsCheckedBeforeAnyClaim() {
        // wrong audience AND a signature over other claims: the signature decides, the claims are never read
        String[] wrongAudience = fixture("wrongAudience").split("\\.");
        String[] valid = fixture("valid").split("\\.");
        assertEquals(Optional.of(Refusal.SIGNATURE), check(wrongAudience[0] + "." + wrongAudience[1] + "." + valid[2]));
    }

    @Test
    void aTokenSignedByAnotherKeyWithAKnownKidIsRefused() {
        // the test key's signature, claiming the fixture key's kid
        String token = TestSigningKey.mint(Map.of("kid", "test-signing-kid-1"),
                TestSigningKey.validationClaims(TENANT, CLIENT_ID));
        assertEquals(Optional.of(Refusal.SIGNATURE), check(token));
    }

    @Test
    void aV2TokenWithAzpAndAnAudienceListPasses() {
        Map<String, Object> claims = TestSigningKey.validationClaims(TENANT, CLIENT_ID);
        claims.remove("appid");
        claims.put("azp", ValidationTokens.GRAPH_PUBLISHER_APP_ID);
        claims.put("aud", List.of("api://something-else", CLIENT_ID));
        claims.put("iss", "https://login.microsoftonline.com/" + TENANT + "/v2.0");
        claims.put("ver", "2.0");
        assertEquals(Optional.empty(), tokens.check(List.of(TestSigningKey.mint(Map.of(), claims)), CLIENT_ID, TENANT));
    }

    @Test
    void aV2TokenFromAnotherPublisherIsRefused() {
        Map<String, Object> claims = TestSigningKey.validationClaims(TENANT, CLIENT_ID);
        claims.remove("appid");
        claims.put("azp", "12345678-0000-0000-0000-000000000000");
        assertEquals(Optional.of(Refusal.PUBLISHER), check(TestSigningKey.mint(Map.of(), claims)));
        claims.remove("azp");
        assertEquals(Optional.of(Refusal.PUBLISHER), check(TestSigningKey.mint(Map.of(), claims)));
    }

    @Test
    void anAudienceListWithoutOurClientIdIsRefused() {
        Map<String, Object> claims = TestSigningKey.validationClaims(TENANT, CLIENT_ID);
        claims.put("aud", List.of("api://something-else"));
        assertEquals(Optional.of(Refusal.AUDIENCE), check(TestSigningKey.mint(Map.of(), claims)));
        claims.remove("aud");
        assertEquals(Optional.of(Refusal.AUDIENCE), check(TestSigningKey.mint(Map.of(), claims)));
    }

    @Test
    void anIssuerOfTheRightTenantInAnotherFormIsRefused() {
        Map<String, Object> claims = TestSigningKey.validationClaims(TENANT, CLIENT_ID);
        claims.put("iss", "https://sts.windows.net/" + TENANT);
        assertEquals(Optional.of(Refusal.ISSUER), check(TestSigningKey.mint(Map.of(), claims)));
        claims.put("iss", "https://evil.example/" + TENANT + "/");
        assertEquals(Optional.of(Refusal.ISSUER), check(TestSigningKey.mint(Map.of(), claims)));
    }

    @ParameterizedTest
    @CsvSource({
        // seconds relative to now; 5 minutes of clock skew are allowed either way
        "-240, -3600, ",
        "-360, -3600, EXPIRED",
        "3600, 240, ",
        "3600, 360, EXPIRED",
    })
    void expiryAndNotBeforeAllowFiveMinutesOfSkew(long expIn, long nbfIn, Refusal expected) {
        Map<String, Object> claims = TestSigningKey.validationClaims(TENANT, CLIENT_ID);
        long now = clock.instant().getEpochSecond();
        claims.put("exp", now + expIn);
        claims.put("nbf", now + nbfIn);
        assertEquals(Optional.ofNullable(expected), check(TestSigningKey.mint(Map.of(), claims)));
    }

    @Test
    void aTokenWithoutExpiryOrWithATextualOneIsMalformed() {
        Map<String, Object> claims = TestSigningKey.validationClaims(TENANT, CLIENT_ID);
        claims.put("exp", "tomorrow");
        assertEquals(Optional.of(Refusal.MALFORMED), check(TestSigningKey.mint(Map.of(), claims)));
        claims.remove("exp");
        assertEquals(Optional.of(Refusal.MALFORMED), check(TestSigningKey.mint(Map.of(), claims)));
        claims.put("exp", clock.instant().getEpochSecond() + 3600);
        claims.put("nbf", "yesterday");
        assertEquals(Optional.of(Refusal.MALFORMED), check(TestSigningKey.mint(Map.of(), claims)));
    }

    @Test
    void anUnknownKidCausesOneExtraFetchAndAnotherWithinTheIntervalNone() {
        assertEquals(Optional.empty(), check(fixture("valid")));
        assertEquals(1, keys.fetches());

        clock.advance(MIN_REFRESH);
        assertEquals(Optional.of(Refusal.UNKNOWN_KEY), check(fixture("unknownKid")));
        assertEquals(2, keys.fetches(), "an unknown kid may mean Entra rotated: one more look");

        clock.advance(Duration.ofMinutes(1));
        String madeUp = TestSigningKey.mint(Map.of("kid", "made-up-by-an-attacker"),
                TestSigningKey.validationClaims(TENANT, CLIENT_ID));
        assertEquals(Optional.of(Refusal.UNKNOWN_KEY), check(madeUp));
        assertEquals(Optional.of(Refusal.UNKNOWN_KEY), check(fixture("unknownKid")));
        assertEquals(2, keys.fetches(), "made-up kids do not make us hammer Entra");
        assertEquals(Optional.empty(), check(fixture("valid")), "known keys keep working meanwhile");
        assertEquals(2, keys.fetches());

        clock.advance(MIN_REFRESH);
        assertEquals(Optional.of(Refusal.UNKNOWN_KEY), check(madeUp));
        assertEquals(3, keys.fetches());
    }

    @Test
    void anUnknownKidRightAfterAFetchWaitsForTheInterval() {
        assertEquals(Optional.empty(), check(fixture("valid")));
        assertEquals(Optional.of(Refusal.UNKNOWN_KEY), check(fixture("unknownKid")));
        assertEquals(1, keys.fetches(), "the keys are seconds old: another fetch now would tell nothing new");
    }

    @Test
    void keysRotatedAtTheEndpointArePickedUpOnAnUnknownKid() {
        endpoint.set(FIXTURE_JWKS);
        assertEquals(Optional.empty(), check(fixture("valid")));
        String signedWithTheNewKey = TestSigningKey.validationToken(TENANT, CLIENT_ID);

        endpoint.set(TestSigningKey.jwksJson());
        clock.advance(MIN_REFRESH);
        assertEquals(Optional.empty(), tokens.check(List.of(signedWithTheNewKey), CLIENT_ID, TENANT));
        assertEquals(2, keys.fetches());
        clock.advance(MIN_REFRESH);
        assertEquals(Optional.of(Refusal.UNKNOWN_KEY), check(fixture("valid")), "the retired key is gone");
    }

    @Test
    void keysAreFetchedAgainOnceTheyAreOlderThanMaxAge() {
        assertEquals(Optional.empty(), check(fixture("valid")));
        clock.advance(MAX_AGE.minusSeconds(1));
        assertEquals(Optional.empty(), check(fixture("valid")));
        assertEquals(1, keys.fetches());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(Optional.empty(), check(fixture("valid")));
        assertEquals(2, keys.fetches());
    }

    @Test
    void aFetchFailureKeepsTheKeysWeHad() {
        assertEquals(Optional.empty(), check(fixture("valid")));
        outage.set(new IOException("Entra is down"));
        clock.advance(MAX_AGE.plusMinutes(1));

        assertEquals(Optional.empty(), check(fixture("valid")));
        assertEquals(2, keys.fetches());

        outage.set(null);
        endpoint.set("<html>a captive portal, not JSON</html>");
        clock.advance(MAX_AGE.plusMinutes(1));
        assertEquals(Optional.empty(), check(fixture("valid")), "a broken document is a failed fetch too");

        endpoint.set("{\"keys\":[{\"kty\":\"EC\",\"kid\":\"ec-only\",\"crv\":\"P-256\",\"x\":\"AA\",\"y\":\"AA\"}]}");
        clock.advance(MAX_AGE.plusMinutes(1));
        assertEquals(Optional.empty(), check(fixture("valid")), "a document without RSA keys too");
        assertEquals(4, keys.fetches());
    }

    @Test
    void aFirstFetchThatFailsIsRetriedOnlyAfterTheInterval() {
        outage.set(new IOException("Entra is down"));
        // no keys at all is no verdict on the token: the intake answers 503 and Graph delivers again
        assertEquals(Optional.of(Refusal.KEYS_UNAVAILABLE), check(fixture("valid")));
        assertEquals(Optional.of(Refusal.KEYS_UNAVAILABLE), check(fixture("valid")));
        assertEquals(1, keys.fetches());

        outage.set(null);
        clock.advance(MIN_REFRESH);
        assertEquals(Optional.empty(), check(fixture("valid")));
        assertEquals(2, keys.fetches());
    }

    @Test
    void nonRsaAndBrokenKeysAreSkippedAndTheRestKept() {
        JsonNode fixtureKey = read(FIXTURE_JWKS).get("keys").get(0);
        endpoint.set("{\"keys\":[{\"kty\":\"EC\",\"kid\":\"ec\",\"crv\":\"P-256\",\"x\":\"AA\",\"y\":\"AA\"},"
                + "{\"kty\":\"RSA\",\"kid\":\"broken\",\"n\":\"***\",\"e\":\"AQAB\"},"
                + "{\"kty\":\"RSA\",\"kid\":\"encryption\",\"use\":\"enc\",\"n\":\"AQAB\",\"e\":\"AQAB\"},"
                + fixtureKey + "]}");
        assertEquals(Optional.empty(), check(fixture("valid")));
        assertEquals(SigningKeys.UNKNOWN, keys.key("ec"));
        assertEquals(SigningKeys.UNKNOWN, keys.key("broken"));
        assertEquals(SigningKeys.UNKNOWN, keys.key("encryption"));
        assertEquals(SigningKeys.UNKNOWN, keys.key(null));
    }

    @Test
    void concurrentUnknownKidsStillFetchOnce() throws Exception {
        assertEquals(Optional.empty(), check(fixture("valid")));
        clock.advance(MIN_REFRESH);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Optional<Refusal>>> calls = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                String token = TestSigningKey.mint(Map.of("kid", "made-up-" + i),
                        TestSigningKey.validationClaims(TENANT, CLIENT_ID));
                calls.add(() -> check(token));
            }
            for (Future<Optional<Refusal>> result : pool.invokeAll(calls)) {
                assertEquals(Optional.of(Refusal.UNKNOWN_KEY), result.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(2, keys.fetches());
    }

    /** The header and payload as given, with the test key's signature over them. */
    private static String resign(String header, String payload) {
        return header + "." + payload + "." + TestSigningKey.signature(header + "." + payload);
    }

    private static String base64Url(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode read(String json) {
        try {
            return new ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
