package io.teamsconnector.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * The contact center's side over real HTTP: a webhook receiver, or Webex Contact Center's agent state
 * API. Records every request with its headers; answers 202 unless told to answer something else (503:
 * the receiver is down).
 */
public final class ContactCenterFake implements AutoCloseable {

    /** The signing secret the connector is configured with in tests (Standard Webhooks form). */
    public static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile int status = 202;
    private volatile java.util.function.Consumer<Received> listener = r -> { };
    /** Requests about this agent are held, unanswered, until released (or at most the duration). */
    private volatile String hungAgent;
    private volatile java.util.concurrent.CountDownLatch hangRelease = new java.util.concurrent.CountDownLatch(0);
    private volatile Duration hangMax = Duration.ZERO;

    /** One request as received; header names lower case. */
    public record Received(String method, String path, Map<String, String> headers, String body, int answered) {
        public String header(String name) {
            return headers.get(name.toLowerCase());
        }
    }

    public ContactCenterFake() {
        this(0);
    }

    /** On a fixed port, for running the fakes by hand ({@link LocalFakes}). */
    public ContactCenterFake(int port) {
        server = FakeHttp.start(port, this::handle, executor);
    }

    /**
     * The signature a Standard Webhooks receiver expects for this request: {@code v1,} and the base64
     * HMAC-SHA256 of {@code id.timestamp.body}, keyed with the bytes after {@code whsec_}.
     */
    public static String expectedSignature(Received request) {
        try {
            byte[] key = Base64.getDecoder().decode(SECRET.substring("whsec_".length()));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            String signed = request.header("webhook-id") + "." + request.header("webhook-timestamp") + "." + request.body();
            return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The webhook URL the connector posts to in tests. */
    public String webhookUrl() {
        return baseUrl() + "/hooks/teams-connector";
    }

    public void reset() {
        received.clear();
        status = 202;
        releaseHang();
    }

    /**
     * Requests about this agent get no answer until {@link #releaseHang()} (or {@code max}): a receiver that hangs.
     * They are recorded as answered {@code 0} while held, and with their answer once released.
     */
    public void hangAbout(String agentId, Duration max) {
        hangRelease = new java.util.concurrent.CountDownLatch(1);
        hangMax = max;
        hungAgent = agentId;
    }

    public void releaseHang() {
        hungAgent = null;
        hangRelease.countDown();
    }

    /** Every further request is answered with this status (503: down; 202: up again). */
    public void answer(int status) {
        this.status = status;
    }

    /** Called with every request received, for running the fake by hand. */
    public void onReceived(java.util.function.Consumer<Received> listener) {
        this.listener = listener;
    }

    public List<Received> received() {
        return new ArrayList<>(received);
    }

    /** Requests about one agent of one organization (both ids appear in the body). */
    public List<Received> about(String orgId, String agentId) {
        return received.stream()
                .filter(r -> r.body().contains("\"" + agentId + "\"") && r.body().contains("\"" + orgId + "\""))
                .toList();
    }

    /** Requests about one agent that were answered 2xx. */
    public List<Received> acceptedAbout(String orgId, String agentId) {
        return about(orgId, agentId).stream().filter(r -> r.answered() >= 200 && r.answered() < 300).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = FakeHttp.body(exchange);
        Map<String, String> headers = exchange.getRequestHeaders().entrySet().stream()
                .collect(Collectors.toMap(e -> e.getKey().toLowerCase(), e -> String.join(",", e.getValue()),
                        (a, b) -> a));
        int answer = status;
        String hung = hungAgent;
        boolean held = hung != null && body.contains("\"" + hung + "\"");
        Received request = new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), headers, body,
                held ? 0 : answer);
        received.add(request);
        listener.accept(request);
        if (held) {
            try {
                hangRelease.await(hangMax.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            // answered at last: a sender still waiting takes this answer, one that gave up never sees it
            int at = received.indexOf(request);
            if (at >= 0) {
                received.set(at, new Received(request.method(), request.path(), request.headers(), request.body(), answer));
            }
        }
        FakeHttp.send(exchange, answer, "application/json", answer >= 300 ? "{\"error\":\"down\"}" : null, Map.of());
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
