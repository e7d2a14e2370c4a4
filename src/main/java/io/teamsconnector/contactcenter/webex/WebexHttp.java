package io.teamsconnector.contactcenter.webex;

import io.teamsconnector.config.ConnectorConfig;
import io.teamsconnector.contactcenter.webex.WebexException.Kind;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Map;

/**
 * One Webex HTTP call with a given bearer token, through the Vert.x web client (the project's one HTTP
 * client stack). Answers every status; only a call that got no answer fails ({@code UNAVAILABLE}). Bodies
 * are parsed, never logged. Blocking: call from a worker thread.
 */
@ApplicationScoped
public class WebexHttp {

    private final WebClient http;
    private final Duration timeout;

    public WebexHttp(Vertx vertx, ConnectorConfig config) {
        this.timeout = config.contactCenterTimeout();
        this.http = WebClient.create(vertx, new WebClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .setFollowRedirects(false));
    }

    /** An answer: status, JSON body (null when none or not JSON), and {@code Retry-After} (zero when absent). */
    public record Answer(int status, JsonObject body, Duration retryAfter) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    public Answer call(HttpMethod method, String url, String token, Map<String, String> headers, JsonObject body) {
        HttpRequest<Buffer> request = http.requestAbs(method, url).timeout(timeout.toMillis())
                .putHeader("Authorization", "Bearer " + token)
                .putHeader("Accept", "application/json");
        headers.forEach(request::putHeader);
        try {
            HttpResponse<Buffer> response = (body == null ? request.send()
                    : request.putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(body.encode())))
                    .await().atMost(timeout.plusSeconds(1));
            return new Answer(response.statusCode(), json(response), retryAfter(response.getHeader("Retry-After")));
        } catch (RuntimeException e) {
            throw new WebexException(Kind.UNAVAILABLE, 0, "Webex did not answer " + method + " in time or refused "
                    + "the connection (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static JsonObject json(HttpResponse<Buffer> response) {
        Buffer body = response.body();
        if (body == null || body.length() == 0) {
            return null;
        }
        try {
            return new JsonObject(body.toString());
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** {@code Retry-After} in seconds (Webex sends seconds); zero when absent or unreadable. */
    static Duration retryAfter(String value) {
        if (value == null || !value.trim().matches("\\d{1,6}")) {
            return Duration.ZERO;
        }
        return Duration.ofSeconds(Long.parseLong(value.trim()));
    }

    @PreDestroy
    void close() {
        http.close();
    }
}
