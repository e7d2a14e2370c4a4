package io.teamsconnector.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A subscriber's webhook endpoints over real HTTP, for tests of {@link GraphFake}'s subscriptions that
 * do not involve the connector: answers Graph's validation handshake (correctly by default, or in one
 * of the ways Graph refuses) and records every request.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** How a path answers {@code POST ?validationToken=...}. */
    public enum Handshake {
        /** {@code 200 text/plain} with the decoded token: what Graph requires. */
        ECHO,
        /** {@code 200 text/plain} with the token still URL-encoded. */
        WRONG_BODY,
        /** {@code 202} with the token. */
        WRONG_STATUS,
        /** {@code 200 application/json} with the token. */
        WRONG_CONTENT_TYPE,
        /** No answer until {@link #release()} (or 30 s). */
        HANG
    }

    /** One request as received; {@code validationToken} is the decoded query parameter, null for notifications. */
    public record Received(String path, String rawQuery, String contentType, String body, String validationToken) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, Handshake> handshakes = new ConcurrentHashMap<>();
    private final CountDownLatch hang = new CountDownLatch(1);
    private volatile int notificationStatus = 202;

    public WebhookReceiver() {
        server = FakeHttp.start(0, this::handle, executor);
    }

    /** The absolute URL of a path on this receiver, e.g. {@code url("/notifications")}. */
    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public void handshake(String path, Handshake answer) {
        handshakes.put(path, answer);
    }

    /** What notifications (anything without a validation token) are answered with; 202 unless set. */
    public void notificationStatus(int status) {
        this.notificationStatus = status;
    }

    /** Lets hanging handshakes go. */
    public void release() {
        hang.countDown();
    }

    public List<Received> handshakes() {
        return received.stream().filter(r -> r.validationToken() != null).toList();
    }

    public List<Received> notifications(String path) {
        return received.stream().filter(r -> r.validationToken() == null && r.path().equals(path)).toList();
    }

    public List<Received> all() {
        return new ArrayList<>(received);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String rawQuery = exchange.getRequestURI().getRawQuery();
        String token = FakeHttp.form(rawQuery).get("validationToken");
        received.add(new Received(path, rawQuery, exchange.getRequestHeaders().getFirst("Content-Type"),
                FakeHttp.body(exchange), token));
        if (token == null) {
            FakeHttp.send(exchange, notificationStatus, null, null, Map.of());
            return;
        }
        switch (handshakes.getOrDefault(path, Handshake.ECHO)) {
            case ECHO -> FakeHttp.send(exchange, 200, "text/plain; charset=utf-8", token, Map.of());
            case WRONG_BODY -> FakeHttp.send(exchange, 200, "text/plain", rawQuery.substring(
                    rawQuery.indexOf("validationToken=") + "validationToken=".length()), Map.of());
            case WRONG_STATUS -> FakeHttp.send(exchange, 202, "text/plain", token, Map.of());
            case WRONG_CONTENT_TYPE -> FakeHttp.json(exchange, 200, token);
            case HANG -> {
                try {
                    hang.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                FakeHttp.send(exchange, 200, "text/plain", token, Map.of());
            }
        }
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        executor.shutdownNow();
    }
}
