package io.teamsconnector.contactcenter;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Sends one outbound request and classifies the answer; the response body is discarded, never logged. */
final class HttpSender {

    private final HttpClient http;
    private final Duration timeout;

    HttpSender(Duration timeout) {
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    HttpRequest.Builder request() {
        return HttpRequest.newBuilder().timeout(timeout);
    }

    CompletableFuture<Delivery> send(HttpRequest request) {
        try {
            return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .thenApply(response -> Delivery.ofStatus(response.statusCode()))
                    .exceptionally(HttpSender::failure);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(failure(e));
        }
    }

    private static Delivery failure(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof HttpTimeoutException) {
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
