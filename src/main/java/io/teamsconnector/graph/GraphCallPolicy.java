package io.teamsconnector.graph;

import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.kiota.ApiException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.teamsconnector.config.ConnectorConfig;
import io.teamsconnector.graph.GraphException.Kind;
import io.vertx.core.Context;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The error policy of every Graph call: retries idempotent calls on 5xx and timeouts with
 * exponential backoff, honours {@code 429 Retry-After} (up to a bound) on every call, and turns
 * SDK failures into {@link GraphException}s. The HTTP timeout itself is set on the shared client.
 */
@ApplicationScoped
class GraphCallPolicy {

    private static final Logger LOG = Logger.getLogger(GraphCallPolicy.class);

    private final ConnectorConfig config;
    private final MeterRegistry meters;
    private final RetryPause pause;

    GraphCallPolicy(ConnectorConfig config, MeterRegistry meters, RetryPause pause) {
        this.config = config;
        this.meters = meters;
        this.pause = pause;
    }

    /**
     * Runs one Graph call.
     *
     * @param operation      name for messages and logs
     * @param idempotent     whether a 5xx or timeout may be retried (a 429 always may: Graph did nothing)
     * @param onUnauthorized run once on a 401 before one more attempt (drops a stale token), or null
     */
    <T> T call(String operation, boolean idempotent, Runnable onUnauthorized, Supplier<T> call) {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("Graph calls block; never call them on the event loop");
        }
        int attempts = Math.max(1, config.graphMaxAttempts());
        boolean reauthorized = false;
        for (int attempt = 1; ; attempt++) {
            Failure failure;
            Timer.Sample sample = Timer.start(meters);
            try {
                T result = call.get();
                sample.stop(timer(operation, "ok"));
                return result;
            } catch (RuntimeException e) {
                failure = classify(operation, e);
                sample.stop(timer(operation, failure.exception().kind().name().toLowerCase()));
            }
            if (failure.status() == 401 && onUnauthorized != null && !reauthorized) {
                reauthorized = true;
                onUnauthorized.run();
                attempt--;
                continue;
            }
            boolean retriable = failure.throttled() || (idempotent && failure.transientFailure());
            if (!retriable || attempt >= attempts) {
                throw failure.exception();
            }
            Duration wait = failure.retryAfter() != null
                    ? failure.retryAfter()
                    : config.graphRetryBackoff().multipliedBy(1L << (attempt - 1));
            if (wait.compareTo(config.graphMaxRetryAfter()) > 0) {
                throw new GraphException(Kind.THROTTLED, failure.status(),
                        "Graph " + operation + " asked to retry after " + wait.toSeconds() + " s, longer than allowed",
                        null, wait);
            }
            LOG.debugf("Graph %s failed with %d (attempt %d of %d), retrying in %d ms", operation, failure.status(),
                    attempt, attempts, wait.toMillis());
            pause.pause(wait);
        }
    }

    /** {@code graph.calls}: one sample per HTTP attempt, by operation and outcome. */
    private Timer timer(String operation, String outcome) {
        return Timer.builder("graph.calls").description("Microsoft Graph calls (each attempt)")
                .tag("operation", operation).tag("outcome", outcome).register(meters);
    }

    /** What one failed attempt means. */
    record Failure(GraphException exception, boolean transientFailure, boolean throttled, Duration retryAfter) {
        int status() {
            return exception.status();
        }
    }

    static Failure classify(String operation, RuntimeException e) {
        GraphException own = find(e, GraphException.class);
        if (own != null) {
            // token failures were already retried by EntraTokens
            return new Failure(own, false, false, null);
        }
        ApiException api = find(e, ApiException.class);
        if (api != null) {
            int status = api.getResponseStatusCode();
            String detail = "HTTP " + status + errorCode(api);
            Duration retryAfter = retryAfter(api);
            if (status == 429) {
                return new Failure(new GraphException(Kind.THROTTLED, status, "Graph " + operation + " throttled: " + detail,
                        null, retryAfter), true, true, retryAfter);
            }
            if (status >= 500 || status == 0) {
                boolean overloaded = status == 503 && retryAfter != null;
                return new Failure(new GraphException(Kind.UNAVAILABLE, status, "Graph " + operation + " failed: " + detail,
                        null, retryAfter), true, overloaded, retryAfter);
            }
            Kind kind = switch (status) {
                case 401, 403 -> Kind.UNAUTHORIZED;
                case 404 -> Kind.NOT_FOUND;
                case 409 -> Kind.CONFLICT;
                default -> Kind.REJECTED;
            };
            return new Failure(new GraphException(kind, status, "Graph " + operation + " refused: " + detail),
                    false, false, null);
        }
        if (find(e, IOException.class) != null) {
            return new Failure(new GraphException(Kind.UNAVAILABLE, 0,
                    "Graph " + operation + " did not answer in time or could not be reached"), true, false, null);
        }
        LOG.debugf("Graph %s failed unexpectedly: %s", operation, e.getClass().getSimpleName());
        return new Failure(new GraphException(Kind.UNAVAILABLE, 0, "Graph " + operation + " failed"), false, false, null);
    }

    private static String errorCode(ApiException api) {
        if (api instanceof ODataError odata && odata.getError() != null && odata.getError().getCode() != null) {
            return " " + odata.getError().getCode();
        }
        return "";
    }

    /** {@code Retry-After} in seconds or as an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(ApiException api) {
        if (api.getResponseHeaders() == null) {
            return null;
        }
        Set<String> values = api.getResponseHeaders().get("Retry-After");
        if (values == null || values.isEmpty()) {
            return null;
        }
        return parseRetryAfter(values.iterator().next());
    }

    static Duration parseRetryAfter(String value) {
        String v = value.trim();
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(v)));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration d = Duration.between(ZonedDateTime.now(),
                        ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
                return d.isNegative() ? Duration.ZERO : d;
            } catch (RuntimeException notDate) {
                return null;
            }
        }
    }

    private static <X extends Throwable> X find(Throwable e, Class<X> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }
}
