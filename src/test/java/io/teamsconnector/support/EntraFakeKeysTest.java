package io.teamsconnector.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.teamsconnector.webhook.SigningKeys;
import io.teamsconnector.webhook.ValidationTokens;
import io.vertx.mutiny.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Entra's signing keys as the fake serves them, read through {@link SigningKeys#http}. */
class EntraFakeKeysTest {

    static final String TENANT = "aaaaaaaa-0000-0000-0000-000000000001";
    static EntraFake entra;
    static Vertx vertx;

    @BeforeAll
    static void start() {
        entra = new EntraFake();
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        entra.close();
        vertx.closeAndAwait();
    }

    @BeforeEach
    void setUp() {
        entra.reset();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/common/discovery/v2.0/keys", "/" + TENANT + "/discovery/v2.0/keys", "/common/discovery/keys"})
    void servesTheFixtureKeyAndTheTestKey(String path) throws Exception {
        String jwks = SigningKeys.http(vertx, URI.create(entra.baseUrl() + path), Duration.ofSeconds(5)).fetch();

        List<String> kids = new ArrayList<>();
        for (JsonNode key : new ObjectMapper().readTree(jwks).get("keys")) {
            kids.add(key.get("kid").asText());
        }
        assertEquals(List.of("test-signing-kid-1", TestSigningKey.KID), kids);
        assertEquals(1, entra.keyFetches());
        assertEquals(0, entra.requests().size(), "key fetches are not token requests");
    }

    @Test
    void countsKeyFetchesUntilReset() throws Exception {
        SigningKeys.Fetcher fetcher = SigningKeys.http(vertx, URI.create(entra.keysUrl()), Duration.ofSeconds(5));
        fetcher.fetch();
        fetcher.fetch();
        assertEquals(2, entra.keyFetches());

        entra.reset();
        assertEquals(0, entra.keyFetches());
    }

    @Test
    void tokensOfBothKeysPassThroughTheHttpFetcher() throws Exception {
        SigningKeys keys = new SigningKeys(SigningKeys.http(vertx, URI.create(entra.keysUrl()), Duration.ofSeconds(5)),
                Duration.ofHours(24), Duration.ofMinutes(5), Clock.systemUTC());
        ValidationTokens tokens = new ValidationTokens(keys, Clock.systemUTC());
        String fixtureToken = new ObjectMapper().readTree(GraphFake.fixture("validation-tokens.json")).get("valid").asText();

        assertEquals(Optional.empty(), tokens.check(List.of(fixtureToken,
                TestSigningKey.validationToken(TENANT, EntraFake.CLIENT_ID)), EntraFake.CLIENT_ID, TENANT));
        assertEquals(1, entra.keyFetches());
    }

    @Test
    void theHttpFetcherRefusesAnythingButOk() {
        SigningKeys.Fetcher fetcher = SigningKeys.http(vertx,
                URI.create(entra.baseUrl() + "/common/discovery/v2.0/nokeys"), Duration.ofSeconds(5));

        IOException e = assertThrows(IOException.class, fetcher::fetch);
        assertEquals("The signing keys endpoint answered 404", e.getMessage());
    }

    @Test
    void theHttpFetcherGivesUpAfterItsTimeout() {
        entra.hangFor(Duration.ofSeconds(10));
        try {
            SigningKeys.Fetcher fetcher = SigningKeys.http(vertx, URI.create(entra.keysUrl()), Duration.ofMillis(300));
            assertThrows(IOException.class, fetcher::fetch);
            // the given-up request may reach the fake only now: let it be counted here, not in the next test
            await().atMost(Duration.ofSeconds(10)).until(() -> entra.keyFetches() == 1);
        } finally {
            entra.releaseHang();
        }
    }
}
