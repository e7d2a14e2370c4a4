package io.teamsconnector.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Entra's JWT signing keys (a JWKS document), cached. Keys are fetched on first use and again once
 * they are older than {@code maxAge}; a kid we do not know triggers one more fetch, because Entra
 * may have rotated. Fetches never happen more often than once per {@code minRefreshInterval}, so
 * made-up kids in forged tokens cannot make us hammer Entra. A failed fetch keeps the keys we had.
 */
public final class SigningKeys {

    private static final System.Logger LOG = System.getLogger(SigningKeys.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads the JWKS document. */
    public interface Fetcher {
        String fetch() throws IOException;
    }

    private final Fetcher fetcher;
    private final Duration maxAge;
    private final Duration minRefreshInterval;
    private final Clock clock;

    // guarded by this
    private Map<String, PublicKey> keys = Map.of();
    private Instant fetchedAt;
    private Instant lastAttempt;
    private int fetches;

    public SigningKeys(Fetcher fetcher, Duration maxAge, Duration minRefreshInterval, Clock clock) {
        this.fetcher = fetcher;
        this.maxAge = maxAge;
        this.minRefreshInterval = minRefreshInterval;
        this.clock = clock;
    }

    /**
     * {@code GET jwksUrl} with a web client of its own, waiting at most {@code timeout} (blocking: never on the
     * event loop); anything but {@code 200} is a failed fetch.
     */
    public static Fetcher http(Vertx vertx, URI jwksUrl, Duration timeout) {
        WebClient client = WebClient.create(vertx, new WebClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .setFollowRedirects(false));
        return () -> {
            HttpResponse<?> response;
            try {
                response = client.getAbs(jwksUrl.toString())
                        .putHeader("Accept", "application/json")
                        .timeout(timeout.toMillis())
                        .send()
                        .await().atMost(timeout);
            } catch (RuntimeException e) {
                throw new IOException("The signing keys endpoint did not answer: " + e.getClass().getSimpleName(), e);
            }
            if (response.statusCode() != 200) {
                throw new IOException("The signing keys endpoint answered " + response.statusCode());
            }
            return response.bodyAsString();
        };
    }

    /** The RSA public key with this kid, fetching the keys when they are stale or the kid is new. */
    public synchronized Optional<PublicKey> key(String kid) {
        if (kid == null || kid.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        boolean stale = fetchedAt == null || !now.isBefore(fetchedAt.plus(maxAge));
        if (stale && mayFetch(now)) {
            fetch(now);
        }
        PublicKey key = keys.get(kid);
        if (key == null && mayFetch(now)) {
            fetch(now);
            key = keys.get(kid);
        }
        return Optional.ofNullable(key);
    }

    /** How many fetches were attempted, failed ones included. */
    public synchronized int fetches() {
        return fetches;
    }

    private boolean mayFetch(Instant now) {
        return lastAttempt == null || !now.isBefore(lastAttempt.plus(minRefreshInterval));
    }

    private void fetch(Instant now) {
        lastAttempt = now;
        fetches++;
        try {
            Map<String, PublicKey> parsed = parse(fetcher.fetch());
            if (parsed.isEmpty()) {
                throw new IOException("The signing keys document has no RSA keys");
            }
            keys = parsed;
            fetchedAt = now;
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not refresh Entra signing keys, keeping the "
                    + keys.size() + " cached: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static Map<String, PublicKey> parse(String jwks) throws IOException {
        JsonNode list = JSON.readTree(jwks == null ? "" : jwks).path("keys");
        if (!list.isArray()) {
            throw new IOException("The signing keys document has no 'keys' array");
        }
        Map<String, PublicKey> parsed = new HashMap<>();
        for (JsonNode jwk : list) {
            String kid = jwk.path("kid").asText("");
            String use = jwk.path("use").asText("sig");
            if (!"RSA".equals(jwk.path("kty").asText()) || kid.isEmpty() || !"sig".equals(use)) {
                continue;
            }
            try {
                BigInteger modulus = new BigInteger(1, Base64.getUrlDecoder().decode(jwk.path("n").asText()));
                BigInteger exponent = new BigInteger(1, Base64.getUrlDecoder().decode(jwk.path("e").asText()));
                if (modulus.signum() == 0 || exponent.signum() == 0) {
                    continue;
                }
                parsed.put(kid, KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(modulus, exponent)));
            } catch (IllegalArgumentException | GeneralSecurityException e) {
                // one broken entry does not cost us the others
            }
        }
        return Map.copyOf(parsed);
    }
}
