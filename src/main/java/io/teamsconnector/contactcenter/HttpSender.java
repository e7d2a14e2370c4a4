package io.teamsconnector.contactcenter;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.WebClient;
import io.vertx.mutiny.ext.web.codec.BodyCodec;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * Sends one outbound request through the Vert.x web client and classifies the answer; the response body is
 * discarded, never logged. One client per adapter: connecting and waiting for an answer are each bounded by
 * the timeout; redirects are not followed.
 */
final class HttpSender {

    private final WebClient http;
    private final Duration timeout;

    HttpSender(Vertx vertx, Duration timeout) {
        this.timeout = timeout;
        this.http = WebClient.create(vertx, new WebClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .setFollowRedirects(false));
    }

    /** Sends {@code body} (JSON, UTF-8); never completes exceptionally. */
    CompletableFuture<Delivery> send(HttpMethod method, URI url, Map<String, String> headers, String body) {
        try {
            HttpRequest<Void> request = http.requestAbs(method, url.toString())
                    .timeout(timeout.toMillis())
                    .as(BodyCodec.none());
            headers.forEach(request::putHeader);
            return request.sendBuffer(Buffer.buffer(body))
                    .map(response -> Delivery.ofStatus(response.statusCode()))
                    .onFailure().recoverWithItem(HttpSender::failure)
                    .subscribeAsCompletionStage();
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(failure(e));
        }
    }

    private static Delivery failure(Throwable cause) {
        if (cause instanceof TimeoutException || cause instanceof ConnectTimeoutException) {
            return Delivery.unreachable("no answer in time");
        }
        if (cause instanceof ConnectException) {
            return Delivery.unreachable("connection refused");
        }
        if (cause instanceof IOException) {
            return Delivery.unreachable("I/O error: " + cause.getClass().getSimpleName());
        }
        return Delivery.unreachable("request failed: " + cause.getClass().getSimpleName());
    }
}
