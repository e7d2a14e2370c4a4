package io.teamsconnector.webhook;

import io.teamsconnector.support.EntraFake;
import io.teamsconnector.support.TestClock;
import io.teamsconnector.support.TestSigningKey;
import io.vertx.mutiny.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Entra's keys are fetched in the background, through the real HTTP fetcher: a JWKS endpoint that hangs costs a
 * request at most the wait (1 s), never Entra's 10 s timeout, and Graph is told to come back rather than refused.
 */
class SigningKeysRefreshTest {

    /** long, so that a request that waited for the fetch itself would be told apart with a generous margin */
    static final Duration ENTRA_TIMEOUT = Duration.ofSeconds(60);
    static final Duration MAX_WAIT = Duration.ofSeconds(1);

    static EntraFake entra;
    static Vertx vertx;
    ExecutorService fetches;
    SigningKeys keys;

    @BeforeAll
    static void startFakes() {
        entra = new EntraFake();
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopFakes() {
        entra.close();
        vertx.closeAndAwait();
    }

    @BeforeEach
    void setUp() {
        entra.reset();
        fetches = Executors.newSingleThreadExecutor();
        keys = new SigningKeys(SigningKeys.http(vertx, URI.create(entra.keysUrl()), ENTRA_TIMEOUT),
                Duration.ofHours(24), Duration.ofMinutes(1), Clock.systemUTC(), fetches, MAX_WAIT);
    }

    @AfterEach
    void tearDown() {
        entra.releaseHang();
        fetches.shutdownNow();
    }

    @Test
    void keysFetchedAtStartUpAreThereForTheFirstRequestWithoutWaiting() {
        keys.refresh();
        await().atMost(Duration.ofSeconds(5)).until(() -> entra.keyFetches() == 1);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> keys.key(TestSigningKey.KID) instanceof SigningKeys.Lookup.Found);

        entra.hangFor(Duration.ofSeconds(120));
        assertInstanceOf(SigningKeys.Lookup.Found.class, keys.key(TestSigningKey.KID));
        assertEquals(1, keys.fetches(), "the cached keys answered: no fetch, so no wait");
    }

    @Test
    void aHangingEndpointCostsARequestAtMostTheWaitAndSaysUnavailable() {
        entra.hangFor(Duration.ofSeconds(120));
        keys.refresh();

        Instant asked = Instant.now();
        SigningKeys.Lookup lookup = keys.key(TestSigningKey.KID);
        Duration took = Duration.between(asked, Instant.now());

        assertEquals(SigningKeys.UNAVAILABLE, lookup, "no keys is no verdict: Graph should deliver again");
        assertTrue(took.compareTo(MAX_WAIT) >= 0, "it gave the fetch its second: " + took);
        assertTrue(took.compareTo(ENTRA_TIMEOUT.dividedBy(2)) < 0, "it did not wait for Entra's timeout: " + took);
        assertEquals(1, keys.fetches(), "the request waited for the fetch already running, it did not start one");

        // once Entra answers, the same kid is found
        entra.releaseHang();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> keys.key(TestSigningKey.KID) instanceof SigningKeys.Lookup.Found);
    }

    @Test
    void anUnknownKidWhileEntraHangsIsUnavailableNotUnknown() {
        TestClock clock = new TestClock(Instant.now());
        keys = new SigningKeys(SigningKeys.http(vertx, URI.create(entra.keysUrl()), ENTRA_TIMEOUT),
                Duration.ofHours(24), Duration.ofMinutes(1), clock, fetches, MAX_WAIT);
        keys.refresh();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> keys.key(TestSigningKey.KID) instanceof SigningKeys.Lookup.Found);
        assertEquals(SigningKeys.UNKNOWN, keys.key("rotated-kid"), "within a minute of a fetch: not Entra's");
        assertEquals(1, keys.fetches());

        clock.advance(Duration.ofMinutes(1));
        entra.hangFor(Duration.ofSeconds(120));
        assertEquals(SigningKeys.UNAVAILABLE, keys.key("rotated-kid"), "Entra may have rotated: we cannot tell yet");
        assertEquals(2, keys.fetches());
        assertInstanceOf(SigningKeys.Lookup.Found.class, keys.key(TestSigningKey.KID), "known keys keep working");
    }
}
