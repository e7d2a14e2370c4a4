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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Entra's JWT signing keys (a JWKS document), cached and refreshed in the background: at start-up, once they are
 * older than {@code maxAge}, and when a kid we do not know appears, because Entra may have rotated. Fetches run
 * on {@code fetchExecutor}, one at a time, and never more often than once per {@code minRefreshInterval}, so
 * made-up kids in forged tokens cannot make us hammer Entra. A failed fetch keeps the keys we had.
 * A caller waits at most {@code maxWait} for a fetch it needs (Graph gives the whole webhook answer 3 s); if the
 * keys are still not there it learns that they are {@link Lookup.Unavailable}, not that the kid is unknown.
 */
public final class SigningKeys {

    private static final System.Logger LOG = System.getLogger(SigningKeys.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads the JWKS document; blocking, so it only ever runs on the fetch executor. */
    public interface Fetcher {
        String fetch() throws IOException;
    }

    /** What a kid comes to. */
    public sealed interface Lookup {
        /** The key with that kid. */
        record Found(PublicKey key) implements Lookup {
        }

        /** The keys are here and this kid is not among them: not a key of Entra's. */
        record Unknown() implements Lookup {
        }

        /** No keys to judge by in time (Entra slow or down): nothing can be said about the token yet. */
        record Unavailable() implements Lookup {
        }
    }

    public static final Lookup UNKNOWN = new Lookup.Unknown();
    public static final Lookup UNAVAILABLE = new Lookup.Unavailable();

    private final Fetcher fetcher;
    private final Duration maxAge;
    private final Duration minRefreshInterval;
    private final Clock clock;
    private final Executor fetchExecutor;
    private final Duration maxWait;

    // guarded by this
    private Map<String, PublicKey> keys = Map.of();
    private Instant fetchedAt;
    private Instant lastAttempt;
    private int fetches;
    private CompletableFuture<Void> inFlight;

    /** Fetches on the caller's thread: for tests of the caching rules, where every fetch is done when it returns. */
    public SigningKeys(Fetcher fetcher, Duration maxAge, Duration minRefreshInterval, Clock clock) {
        this(fetcher, maxAge, minRefreshInterval, clock, Runnable::run, Duration.ZERO);
    }

    public SigningKeys(Fetcher fetcher, Duration maxAge, Duration minRefreshInterval, Clock clock,
                       Executor fetchExecutor, Duration maxWait) {
        this.fetcher = fetcher;
        this.maxAge = maxAge;
        this.minRefreshInterval = minRefreshInterval;
        this.clock = clock;
        this.fetchExecutor = fetchExecutor;
        this.maxWait = maxWait;
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

    /** Starts a fetch in the background unless one runs or one was tried within the interval; returns at once. */
    public synchronized void refresh() {
        Instant now = clock.instant();
        if (inFlight == null && mayFetch(now)) {
            start(now);
        }
    }

    /**
     * The RSA public key with this kid. Stale keys still answer while fresh ones are fetched in the background; a
     * kid we do not know waits up to {@code maxWait} for the fetch it starts (or the one running).
     */
    public Lookup key(String kid) {
        if (kid == null || kid.isEmpty()) {
            return UNKNOWN;
        }
        CompletableFuture<Void> fetch;
        synchronized (this) {
            Instant now = clock.instant();
            boolean stale = fetchedAt == null || !now.isBefore(fetchedAt.plus(maxAge));
            if (stale && inFlight == null && mayFetch(now)) {
                start(now);
            }
            PublicKey key = keys.get(kid);
            if (key != null) {
                return new Lookup.Found(key);
            }
            if (inFlight == null && mayFetch(now)) {
                start(now);
            }
            fetch = inFlight;
        }
        if (fetch != null) {
            try {
                fetch.get(maxWait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // judged below on what we have
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            PublicKey key = keys.get(kid);
            if (key != null) {
                return new Lookup.Found(key);
            }
            return keys.isEmpty() || inFlight != null ? UNAVAILABLE : UNKNOWN;
        }
    }

    /** How many fetches were attempted, failed ones included. */
    public synchronized int fetches() {
        return fetches;
    }

    private boolean mayFetch(Instant now) {
        return lastAttempt == null || !now.isBefore(lastAttempt.plus(minRefreshInterval));
    }

    // called holding this
    private void start(Instant now) {
        lastAttempt = now;
        fetches++;
        CompletableFuture<Void> done = new CompletableFuture<>();
        inFlight = done;
        try {
            fetchExecutor.execute(() -> fetch(now, done));
        } catch (RuntimeException e) {
            inFlight = null;
            done.complete(null);
            LOG.log(System.Logger.Level.WARNING, "Could not start a fetch of Entra signing keys: " + e);
        }
    }

    private void fetch(Instant startedAt, CompletableFuture<Void> done) {
        try {
            Map<String, PublicKey> parsed = parse(fetcher.fetch());
            if (parsed.isEmpty()) {
                throw new IOException("The signing keys document has no RSA keys");
            }
            synchronized (this) {
                keys = parsed;
                fetchedAt = startedAt;
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not refresh Entra signing keys, keeping the "
                    + keyCount() + " cached: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        } finally {
            synchronized (this) {
                if (inFlight == done) {
                    inFlight = null;
                }
            }
            done.complete(null);
        }
    }

    private synchronized int keyCount() {
        return keys.size();
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
