package io.teamsconnector.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Microsoft Graph v1.0 over real HTTP, for the calls the connector makes: presence in bulk, users by
 * mail, users delta paging, presence subscriptions. Scripted answers (429 with Retry-After, 5xx)
 * are served first, in order; every request is recorded.
 *
 * <p>Subscriptions behave like Graph's: the request is validated as Graph validates presence
 * subscriptions, both webhook URLs must pass the validation handshake before the subscription is
 * created, and a subscription whose expiry passed is gone. Tests then make Graph call the connector:
 * {@link #notifyPresence} (basic or rich, encrypted and with validation tokens) and {@link #lifecycle}.
 */
public final class GraphFake implements AutoCloseable {

    /** {@code PUT /fake/presences/{userId}} with {@code {"availability","activity"}} sets a presence. */
    public static final String CONTROL = "/fake/presences/";

    /** Presence subscriptions live at most an hour; Graph lets a request overshoot by about a minute. */
    public static final Duration MAX_LIFETIME = Duration.ofMinutes(60);
    public static final Duration LIFETIME_SLACK = Duration.ofMinutes(1);
    public static final int MAX_SUBSCRIBED_IDS = 650;
    public static final int MAX_CLIENT_STATE = 128;
    public static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    /** What Graph answers to {@code GET /subscriptions/{id}} for {@code applicationId}: our app. */
    public static final String APPLICATION_ID = EntraFake.CLIENT_ID;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern PRESENCE_FILTER =
            Pattern.compile("/?communications/presences\\?\\$filter=id in \\((.*)\\)");
    private static final Pattern QUOTED_ID = Pattern.compile("\\s*'([^',]+)'\\s*");
    /** Graph writes notification expiries with an offset, {@code 2026-11-23T19:00:00+00:00}. */
    private static final DateTimeFormatter OFFSET_TIME = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME).appendOffset("+HH:MM", "+00:00").toFormatter(Locale.ROOT);

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Deque<Scripted> script = new ConcurrentLinkedDeque<>();
    private final Map<String, String[]> presences = new ConcurrentHashMap<>();
    private volatile String[] presenceOfOthers;
    private final PresenceSessions presenceSessions = new PresenceSessions(Instant::now);
    private final Map<String, String> usersByMail = new ConcurrentHashMap<>();
    private final Map<String, StoredSubscription> subscriptions = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private volatile Duration handshakeTimeout = HANDSHAKE_TIMEOUT;

    /** One request as received; {@code tenant} is the {@code tid} of its bearer token, when it has one. */
    public record Request(String method, String path, String query, String authorization, String body, String tenant) {
    }

    /**
     * A scripted answer for the next request whose method matches, whose path ends with {@code pathSuffix}
     * and, unless {@code tenant} is null, whose token is the tenant's.
     */
    public record Scripted(String method, String pathSuffix, int status, Map<String, String> headers, String body,
                           String tenant) {
        public Scripted(String method, String pathSuffix, int status, Map<String, String> headers, String body) {
            this(method, pathSuffix, status, headers, body, null);
        }
    }

    /**
     * A subscription as the fake holds it. {@code tenant} is the {@code tid} of the token that created
     * it (null for a token without one); {@code userIds} are the ids of its filter.
     */
    public record FakeSubscription(String id, List<String> userIds, String clientState, Instant expiresAt,
                                   String notificationUrl, String lifecycleNotificationUrl,
                                   boolean includeResourceData, String encryptionCertificateId, String tenant) {
        public FakeSubscription {
            userIds = List.copyOf(userIds);
        }

        boolean liveAt(Instant now) {
            return expiresAt.isAfter(now);
        }
    }

    /** What Graph keeps beyond the test view: the resource as asked, the creator, the certificate. */
    private record StoredSubscription(FakeSubscription view, String resource, String creatorId,
                                      PublicKey certificateKey, String certificateThumbprint) {
        StoredSubscription withExpiry(Instant expiresAt) {
            FakeSubscription v = view;
            return new StoredSubscription(new FakeSubscription(v.id(), v.userIds(), v.clientState(), expiresAt,
                    v.notificationUrl(), v.lifecycleNotificationUrl(), v.includeResourceData(),
                    v.encryptionCertificateId(), v.tenant()), resource, creatorId, certificateKey,
                    certificateThumbprint);
        }
    }

    public GraphFake() {
        this(0);
    }

    /** On a fixed port, for running the fakes by hand ({@link LocalFakes}). */
    public GraphFake(int port) {
        server = FakeHttp.start(port, this::handle, executor);
        reset();
    }

    /** Base URL to use as {@code connector.graph-url}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1.0";
    }

    /** Back to the fixture presences, no users, no subscriptions, no script, no recorded requests. */
    public void reset() {
        requests.clear();
        script.clear();
        directories.clear();
        presences.clear();
        presenceOfOthers = null;
        usersByMail.clear();
        subscriptions.clear();
        presenceSessions.reset();
        handshakeTimeout = HANDSHAKE_TIMEOUT;
        presences.put("66825e03-7ef5-42da-9069-4da7d4f8e7a5", new String[] {"Busy", "InACall"});
        presences.put("3b1e6d5a-1c1f-4e0b-9d5e-2b7c1f0e9a11", new String[] {"Available", "Available"});
    }

    public void setPresence(String userId, String availability, String activity) {
        presences.put(userId, new String[] {availability, activity});
    }

    /** The application presence sessions ({@code setPresence}, {@code clearPresence}) and their controls. */
    public PresenceSessions presenceSessions() {
        return presenceSessions;
    }

    /** The user's presence as Graph reports it now: its own, aggregated with application sessions. */
    public String[] presenceOf(String userId) {
        String[] own = presences.get(userId);
        return presenceSessions.aggregate(userId, own == null ? presenceOfOthers : own);
    }

    /**
     * What Graph reports for every user given no presence of their own: none (the default: the user is not
     * known) or this one, for a benchmark over more users than it would set one by one.
     */
    public void presenceOfOthers(String availability, String activity) {
        presenceOfOthers = new String[] {availability, activity};
    }

    public void addUser(String id, String mailOrUpn) {
        usersByMail.put(mailOrUpn.toLowerCase(), id);
    }

    public void enqueue(Scripted answer) {
        script.add(answer);
    }

    /** Shortcut: the next matching request gets {@code status} with the given headers and an OData error. */
    public void enqueue(String method, String pathSuffix, int status, Map<String, String> headers) {
        enqueue(new Scripted(method, pathSuffix, status, headers,
                "{\"error\":{\"code\":\"scripted" + status + "\",\"message\":\"scripted by the test\"}}"));
    }

    /** A recorded Graph payload from {@code src/test/resources/graph/}. */
    public static String fixture(String name) {
        return FakeHttp.resource(name);
    }

    /** Scripted answers not yet served. */
    public int scripted() {
        return script.size();
    }

    public List<Request> requests() {
        return new ArrayList<>(requests);
    }

    public long count(String method, String pathSuffix) {
        return requests.stream().filter(r -> r.method().equals(method) && r.path().endsWith(pathSuffix)).count();
    }

    /** The tenant's requests, oldest first. */
    public List<Request> requests(String tenant) {
        return requests.stream().filter(r -> tenant.equals(r.tenant())).toList();
    }

    /** The tenant's presence reads, each as the ids it asked for. */
    public List<List<String>> presenceReads(String tenant) {
        return requests(tenant).stream()
                .filter(r -> r.method().equals("POST") && r.path().endsWith("/getPresencesByUserId"))
                .map(r -> {
                    List<String> ids = new ArrayList<>();
                    Matcher m = GUID.matcher(r.body());
                    while (m.find()) {
                        ids.add(m.group(1));
                    }
                    return ids;
                })
                .toList();
    }

    /** The live subscriptions, each as the JSON Graph answers for it. */
    public Map<String, String> subscriptions() {
        Map<String, String> live = new LinkedHashMap<>();
        liveStored().forEach(s -> live.put(s.view().id(), json(subscriptionJson(s))));
        return Map.copyOf(live);
    }

    /** Subscriptions whose expiry has not passed. */
    public List<FakeSubscription> liveSubscriptions() {
        return liveStored().stream().map(StoredSubscription::view).toList();
    }

    /** The tenant's live subscriptions. */
    public List<FakeSubscription> liveSubscriptions(String tenant) {
        return liveSubscriptions().stream().filter(s -> tenant.equals(s.tenant())).toList();
    }

    /** The subscription's expiry passes now: Graph treats it as gone. */
    public void expire(String subscriptionId) {
        setExpiry(subscriptionId, Instant.now().minusSeconds(1));
    }

    public void setExpiry(String subscriptionId, Instant expiresAt) {
        if (subscriptions.computeIfPresent(subscriptionId, (id, s) -> s.withExpiry(expiresAt)) == null) {
            throw new IllegalArgumentException("no subscription " + subscriptionId);
        }
    }

    /** How long the validation handshake may take before Graph gives up (Graph: 10 s). */
    public void handshakeTimeout(Duration timeout) {
        this.handshakeTimeout = timeout;
    }

    /**
     * Graph noticed a presence change of the user: one change-notification collection to every live
     * subscription whose filter covers the user, rich (encrypted presence, validation tokens) where the
     * subscription asked for resource data.
     *
     * @return the HTTP status of the last delivery, 0 when no live subscription covers the user
     */
    public int notifyPresence(String userId) {
        int status = 0;
        for (StoredSubscription s : liveStored()) {
            if (s.view().userIds().contains(userId)) {
                status = post(s.view().notificationUrl(), notificationBody(s, userId));
            }
        }
        return status;
    }

    /**
     * The collection {@link #notifyPresence} would send for the user to this subscription, to tamper with
     * or resend with {@link #post}; also for an expired subscription, as a late delivery would carry it.
     */
    public String notificationBody(String subscriptionId, String userId) {
        return notificationBody(stored(subscriptionId), userId);
    }

    /** A lifecycle notification (e.g. {@code reauthorizationRequired}) to the subscription's lifecycle URL. */
    public int lifecycle(String subscriptionId, String lifecycleEvent) {
        StoredSubscription s = stored(subscriptionId);
        if (s.view().lifecycleNotificationUrl() == null) {
            throw new IllegalStateException("subscription " + subscriptionId + " has no lifecycleNotificationUrl");
        }
        ObjectNode item = JSON.createObjectNode()
                .put("subscriptionId", s.view().id())
                .put("subscriptionExpirationDateTime", OFFSET_TIME.format(
                        OffsetDateTime.ofInstant(s.view().expiresAt(), ZoneOffset.UTC)))
                .put("tenantId", s.view().tenant())
                .put("clientState", s.view().clientState())
                .put("lifecycleEvent", lifecycleEvent);
        ObjectNode collection = JSON.createObjectNode();
        collection.putArray("value").add(item);
        return post(s.view().lifecycleNotificationUrl(), json(collection));
    }

    /** POSTs a JSON body as Graph delivers notifications; the HTTP status of the answer (no answer: an exception). */
    public int post(String url, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException("delivery to " + url + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new InterruptedIOException("interrupted delivering to " + url));
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        String query = exchange.getRequestURI().getRawQuery();
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        String body = FakeHttp.body(exchange);
        String tenant = tenantOf(auth);
        requests.add(new Request(method, path, query, auth, body, tenant));

        if (method.equals("PUT") && path.startsWith(CONTROL)) {
            // not Graph: how a person trying the connector by hand changes a user's Teams presence
            Matcher m = Pattern.compile("\"availability\"\\s*:\\s*\"(\\w+)\".*\"activity\"\\s*:\\s*\"(\\w+)\"")
                    .matcher(body);
            if (!m.find()) {
                FakeHttp.json(exchange, 400, "{\"error\":\"body must be {\\\"availability\\\":...,\\\"activity\\\":...}\"}");
                return;
            }
            setPresence(path.substring(CONTROL.length()), m.group(1), m.group(2));
            FakeHttp.send(exchange, 204, null, null, Map.of());
            return;
        }
        for (Scripted s : script) {
            if (s.method().equals(method) && path.endsWith(s.pathSuffix())
                    && (s.tenant() == null || s.tenant().equals(tenant)) && script.remove(s)) {
                FakeHttp.send(exchange, s.status(), "application/json", s.body(), s.headers());
                return;
            }
        }
        if (auth == null || !auth.startsWith("Bearer ") || auth.length() <= "Bearer ".length()) {
            FakeHttp.json(exchange, 401, "{\"error\":{\"code\":\"InvalidAuthenticationToken\",\"message\":\"Access token is empty.\"}}");
            return;
        }
        String p = path.startsWith("/v1.0") ? path.substring("/v1.0".length()) : path;
        if (method.equals("GET") && p.equals("/me")) {
            me(exchange, auth);
        } else if (method.equals("POST") && p.equals("/communications/getPresencesByUserId")) {
            presences(exchange, body);
        } else if (method.equals("POST") && PRESENCE_SESSION.matcher(p).matches()) {
            presenceSession(exchange, p, body, tenant);
        } else if (method.equals("GET") && p.equals("/users")) {
            usersByMail(exchange, query);
        } else if (method.equals("GET") && (p.equals("/users/delta") || p.equals("/users/delta()"))) {
            if (directories.containsKey(String.valueOf(tenant))) {
                directories.get(String.valueOf(tenant)).delta(exchange, query);
            } else {
                usersDelta(exchange, query);
            }
        } else if (method.equals("GET") && p.equals("/subscriptions")) {
            listSubscriptions(exchange, auth, tenant);
        } else if (method.equals("POST") && p.equals("/subscriptions")) {
            createSubscription(exchange, body, auth, tenant);
        } else if (p.startsWith("/subscriptions/")) {
            subscription(exchange, method, p.substring("/subscriptions/".length()), body, tenant);
        } else {
            FakeHttp.json(exchange, 404, "{\"error\":{\"code\":\"ResourceNotFound\",\"message\":\"no such path\"}}");
        }
    }

    private static final Pattern GUID = Pattern.compile("\"([0-9a-fA-F-]{8,})\"");

    /** The {@code tid} claim of the fake Entra's bearer tokens. */
    private static String tenantOf(String authorization) {
        return claimOf(authorization, "tid");
    }

    /** What Entra knows of a bearer token it issued (tokens are opaque: Graph asks its issuer, it never decodes). */
    private static String claimOf(String authorization, String claim) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return null;
        }
        return EntraFake.claimOfIssued(authorization.substring("Bearer ".length()), claim);
    }

    /** {@code GET /me}: the signed-in user of a delegated token; an app-only token has no "me". */
    private static void me(HttpExchange exchange, String authorization) {
        String oid = claimOf(authorization, "oid");
        if (oid == null) {
            FakeHttp.json(exchange, 401, "{\"error\":{\"code\":\"InvalidAuthenticationToken\",\"message\":\"Access token validation failure.\"}}");
            return;
        }
        String upn = claimOf(authorization, "upn");
        FakeHttp.json(exchange, 200, "{\"id\":" + FakeHttp.quote(oid) + ",\"userPrincipalName\":"
                + (upn == null ? "null" : FakeHttp.quote(upn)) + "}");
    }

    private static final Pattern PRESENCE_SESSION = Pattern.compile("/users/([^/]+)/presence/(setPresence|clearPresence)");

    /** {@code setPresence} / {@code clearPresence} of an application's session ({@link PresenceSessions}). */
    private void presenceSession(HttpExchange exchange, String path, String body, String tenant) {
        Matcher m = PRESENCE_SESSION.matcher(path);
        m.matches();
        Map<String, String> fields = new HashMap<>();
        try {
            JSON.readTree(body).fields().forEachRemaining(f -> fields.put(f.getKey(), f.getValue().asText(null)));
        } catch (JsonProcessingException e) {
            invalidRequest(exchange, "The body is not JSON.");
            return;
        }
        PresenceSessions.Answer answer = m.group(2).equals("setPresence")
                ? presenceSessions.set(tenant, m.group(1), APPLICATION_ID, fields)
                : presenceSessions.clear(tenant, m.group(1), APPLICATION_ID, fields);
        if (answer.body() == null) {
            FakeHttp.send(exchange, answer.status(), null, null, Map.of());
        } else {
            FakeHttp.json(exchange, answer.status(), answer.body());
        }
    }

    private volatile java.util.concurrent.CountDownLatch presenceHold;

    /** Presence reads wait (up to 10 s) until the returned handle is closed: Graph being slow. */
    public AutoCloseable holdPresenceReads() {
        java.util.concurrent.CountDownLatch hold = new java.util.concurrent.CountDownLatch(1);
        presenceHold = hold;
        return () -> {
            presenceHold = null;
            hold.countDown();
        };
    }

    private void presences(HttpExchange exchange, String body) {
        java.util.concurrent.CountDownLatch hold = presenceHold;
        if (hold != null) {
            try {
                hold.await(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Matcher m = GUID.matcher(body);
        StringBuilder out = new StringBuilder("{\"value\":[");
        boolean first = true;
        while (m.find()) {
            String[] p = presenceOf(m.group(1));
            if (p == null) {
                continue;
            }
            out.append(first ? "" : ",").append("{\"id\":\"").append(m.group(1)).append("\",\"availability\":\"")
                    .append(p[0]).append("\",\"activity\":\"").append(p[1])
                    .append("\",\"outOfOfficeSettings\":{\"message\":null,\"isOutOfOffice\":false}}");
            first = false;
        }
        FakeHttp.json(exchange, 200, out.append("]}").toString());
    }

    private void usersByMail(HttpExchange exchange, String query) {
        String filter = queryParam(query, "$filter");
        Matcher m = Pattern.compile("mail eq '((?:[^']|'')*)'").matcher(filter == null ? "" : filter);
        String id = m.find() ? usersByMail.get(m.group(1).replace("''", "'").toLowerCase()) : null;
        FakeHttp.json(exchange, 200, id == null ? "{\"value\":[]}" : "{\"value\":[{\"id\":\"" + id + "\"}]}");
    }

    private final Map<String, Directory> directories = new ConcurrentHashMap<>();

    /**
     * A tenant's users for {@code /users/delta}, with Graph's behaviour: a full sync pages through every user
     * ({@code $skiptoken}), ends with a delta link ({@code $deltatoken}); a round from a delta link returns the
     * users changed since, each with only the properties that changed, and {@code @removed} entries.
     */
    public final class Directory {
        private final Map<String, ObjectNode> users = new java.util.TreeMap<>();
        private final Map<String, Long> changedAt = new HashMap<>();
        private final Map<String, java.util.Set<String>> changedFields = new HashMap<>();
        private final Map<String, Long> removedAt = new HashMap<>();
        private long version;
        private int pageSize = 2;
        private long expiredBefore = -1;
        private String failingSkipToken;
        private int failures;

        /** Adds or replaces a user (JSON with id and any of the selected properties). */
        public synchronized Directory put(String userJson) {
            ObjectNode user = (ObjectNode) jsonObject(userJson);
            String id = user.get("id").asText();
            users.put(id, user);
            removedAt.remove(id);
            changedAt.put(id, ++version);
            java.util.Set<String> fields = new java.util.LinkedHashSet<>();
            user.fieldNames().forEachRemaining(fields::add);
            changedFields.put(id, fields);
            return this;
        }

        /** Changes some properties of a user; a delta round sends only these. */
        public synchronized Directory update(String id, String partialJson) {
            ObjectNode partial = (ObjectNode) jsonObject(partialJson);
            users.get(id).setAll(partial);
            changedAt.put(id, ++version);
            java.util.Set<String> fields = new java.util.LinkedHashSet<>();
            fields.add("id");
            partial.fieldNames().forEachRemaining(fields::add);
            changedFields.put(id, fields);
            return this;
        }

        public synchronized Directory remove(String id) {
            users.remove(id);
            changedAt.remove(id);
            removedAt.put(id, ++version);
            return this;
        }

        public synchronized Directory pageSize(int size) {
            pageSize = size;
            return this;
        }

        /** The next {@code times} requests for the full-sync page after {@code offset} users answer 503. */
        public synchronized Directory failPage(int offset, int times) {
            failingSkipToken = "s" + offset;
            failures = times;
            return this;
        }

        /** Delta links issued so far are refused from now on (as when Graph's sync state expires). */
        public synchronized Directory expireDeltaLinks() {
            expiredBefore = version + 1;
            return this;
        }

        private synchronized void delta(HttpExchange exchange, String query) {
            String skip = queryParam(query, "$skiptoken");
            String delta = queryParam(query, "$deltatoken");
            if (skip != null && skip.equals(failingSkipToken) && failures > 0) {
                failures--;
                error(exchange, 503, "ServiceUnavailable", "scripted by the test");
                return;
            }
            ObjectNode page = JSON.createObjectNode();
            com.fasterxml.jackson.databind.node.ArrayNode value = page.putArray("value");
            String base = "https://graph.microsoft.com/v1.0/users/delta?";
            if (delta != null) {
                long since = Long.parseLong(delta.substring(1));
                if (since < expiredBefore) {
                    error(exchange, 410, "SyncStateNotFound", "The sync state is no longer valid; resync.");
                    return;
                }
                changedAt.forEach((id, at) -> {
                    if (at > since) {
                        ObjectNode partial = JSON.createObjectNode();
                        ObjectNode full = users.get(id);
                        changedFields.get(id).forEach(f -> partial.set(f, full.get(f)));
                        partial.put("id", id);
                        value.add(partial);
                    }
                });
                removedAt.forEach((id, at) -> {
                    if (at > since) {
                        value.addObject().put("id", id).putObject("@removed").put("reason", "deleted");
                    }
                });
                page.put("@odata.deltaLink", base + "$deltatoken=d" + version);
            } else {
                int offset = skip == null ? 0 : Integer.parseInt(skip.substring(1));
                List<ObjectNode> all = new ArrayList<>(users.values());
                for (int i = offset; i < Math.min(all.size(), offset + pageSize); i++) {
                    value.add(all.get(i));
                }
                if (offset + pageSize < all.size()) {
                    page.put("@odata.nextLink", base + "$skiptoken=s" + (offset + pageSize));
                } else {
                    page.put("@odata.deltaLink", base + "$deltatoken=d" + version);
                }
            }
            FakeHttp.json(exchange, 200, json(page));
        }
    }

    /** The tenant's directory; from its first use, {@code /users/delta} for the tenant is served from it. */
    public Directory directory(String tenant) {
        return directories.computeIfAbsent(tenant, t -> new Directory());
    }

    private void usersDelta(HttpExchange exchange, String query) {
        if (query != null && query.contains("skiptoken=pageTwoToken")) {
            FakeHttp.json(exchange, 200, "{\"value\":[],\"@odata.deltaLink\":\"https://graph.microsoft.com/v1.0/users/delta?$deltatoken=round1\"}");
            return;
        }
        // the recorded page, links as Graph writes them (its own host)
        FakeHttp.json(exchange, 200, FakeHttp.resource("users-delta.page.json"));
    }

    private void createSubscription(HttpExchange exchange, String body, String authorization, String tenant) {
        JsonNode request = jsonObject(body);
        if (request == null) {
            invalidRequest(exchange, "The request body is not a JSON object.");
            return;
        }
        if (!"updated".equals(text(request, "changeType"))) {
            invalidRequest(exchange, "Presence subscriptions support changeType 'updated' only.");
            return;
        }
        String resource = text(request, "resource");
        List<String> userIds = resource == null ? null : filteredIds(resource);
        if (userIds == null) {
            invalidRequest(exchange, "resource must be /communications/presences?$filter=id in ('id1','id2',...).");
            return;
        }
        if (userIds.size() > MAX_SUBSCRIBED_IDS) {
            invalidRequest(exchange, "A presence subscription covers at most " + MAX_SUBSCRIBED_IDS
                    + " ids; the filter has " + userIds.size() + ".");
            return;
        }
        String clientState = text(request, "clientState");
        if (clientState == null || clientState.isEmpty() || clientState.length() > MAX_CLIENT_STATE) {
            invalidRequest(exchange, "clientState is required and at most " + MAX_CLIENT_STATE + " characters.");
            return;
        }
        String notificationUrl = text(request, "notificationUrl");
        if (!isHttpUrl(notificationUrl)) {
            invalidRequest(exchange, "notificationUrl is required and must be an absolute http(s) URL.");
            return;
        }
        String lifecycleUrl = text(request, "lifecycleNotificationUrl");
        if (lifecycleUrl != null && !isHttpUrl(lifecycleUrl)) {
            invalidRequest(exchange, "lifecycleNotificationUrl must be an absolute http(s) URL.");
            return;
        }
        Instant expiresAt = instant(text(request, "expirationDateTime"));
        String lifetimeProblem = lifetimeProblem(expiresAt);
        if (lifetimeProblem != null) {
            invalidRequest(exchange, lifetimeProblem);
            return;
        }
        boolean includeResourceData = request.path("includeResourceData").asBoolean(false);
        String certificateId = null;
        PublicKey certificateKey = null;
        String thumbprint = null;
        if (includeResourceData) {
            X509Certificate certificate = certificate(text(request, "encryptionCertificate"));
            if (certificate == null) {
                invalidRequest(exchange, "includeResourceData requires encryptionCertificate: base64 of an X.509 "
                        + "certificate (DER).");
                return;
            }
            certificateId = text(request, "encryptionCertificateId");
            if (certificateId == null || certificateId.isEmpty()) {
                invalidRequest(exchange, "includeResourceData requires encryptionCertificateId.");
                return;
            }
            certificateKey = certificate.getPublicKey();
            thumbprint = thumbprint(certificate);
        }
        // Graph holds one presence subscription per user (and app): a second one is a 409
        String creator = claimOf(authorization, "oid");
        if (creator != null && liveStored().stream().anyMatch(s -> creator.equals(s.creatorId())
                && java.util.Objects.equals(tenant, s.view().tenant()))) {
            error(exchange, 409, "ExtensionError", "Operation: Create; Exception: [Status Code: Conflict; Reason: "
                    + "A subscripton already exists. It must be deleted before a another can be made.]");
            return;
        }
        // Graph creates nothing until both endpoints prove they are the subscriber's
        String refused = handshakeFailure(notificationUrl, "notificationUrl");
        if (refused == null && lifecycleUrl != null) {
            refused = handshakeFailure(lifecycleUrl, "lifecycleNotificationUrl");
        }
        if (refused != null) {
            error(exchange, 400, "ValidationError", "Subscription validation request failed. " + refused);
            return;
        }
        String id = UUID.randomUUID().toString();
        StoredSubscription created = new StoredSubscription(new FakeSubscription(id, userIds, clientState, expiresAt,
                notificationUrl, lifecycleUrl, includeResourceData, certificateId, tenant), resource,
                claimOf(authorization, "oid"), certificateKey, thumbprint);
        subscriptions.put(id, created);
        FakeHttp.json(exchange, 201, json(subscriptionJson(created)));
    }

    private void subscription(HttpExchange exchange, String method, String rest, String body, String tenant) {
        boolean reauthorize = rest.endsWith("/reauthorize");
        String id = reauthorize ? rest.substring(0, rest.length() - "/reauthorize".length()) : rest;
        StoredSubscription existing = visible(id, tenant);
        if (existing == null) {
            error(exchange, 404, "ResourceNotFound", "The object was not found.");
            return;
        }
        if (reauthorize && method.equals("POST")) {
            FakeHttp.send(exchange, 204, null, null, Map.of());
        } else if (reauthorize) {
            error(exchange, 405, "MethodNotAllowed", "reauthorize is POST only.");
        } else if (method.equals("GET")) {
            FakeHttp.json(exchange, 200, json(subscriptionJson(existing)));
        } else if (method.equals("PATCH")) {
            JsonNode patch = jsonObject(body);
            Instant expiresAt = patch == null ? null : instant(text(patch, "expirationDateTime"));
            String lifetimeProblem = lifetimeProblem(expiresAt);
            if (lifetimeProblem != null) {
                invalidRequest(exchange, lifetimeProblem);
                return;
            }
            StoredSubscription renewed = subscriptions.computeIfPresent(id, (k, s) -> s.withExpiry(expiresAt));
            if (renewed == null) {
                error(exchange, 404, "ResourceNotFound", "The object was not found.");
                return;
            }
            FakeHttp.json(exchange, 200, json(subscriptionJson(renewed)));
        } else if (method.equals("DELETE")) {
            subscriptions.remove(id);
            FakeHttp.send(exchange, 204, null, null, Map.of());
        } else {
            error(exchange, 405, "MethodNotAllowed", "");
        }
    }

    /** {@code GET /subscriptions}: the caller's live subscriptions in its tenant. */
    private void listSubscriptions(HttpExchange exchange, String authorization, String tenant) {
        String caller = claimOf(authorization, "oid");
        ObjectNode page = JSON.createObjectNode();
        com.fasterxml.jackson.databind.node.ArrayNode value = page.putArray("value");
        for (StoredSubscription s : liveStored()) {
            if (java.util.Objects.equals(tenant, s.view().tenant()) && (caller == null || caller.equals(s.creatorId()))) {
                value.add(subscriptionJson(s));
            }
        }
        FakeHttp.json(exchange, 200, json(page));
    }

    /** The subscription as the caller's tenant sees it: another tenant's, or an expired one, is not found. */
    private StoredSubscription visible(String id, String tenant) {
        StoredSubscription s = subscriptions.get(id);
        if (s == null || (s.view().tenant() != null && !s.view().tenant().equals(tenant))) {
            return null;
        }
        if (!s.view().liveAt(Instant.now())) {
            subscriptions.remove(id, s);
            return null;
        }
        return s;
    }

    private List<StoredSubscription> liveStored() {
        Instant now = Instant.now();
        return subscriptions.values().stream().filter(s -> s.view().liveAt(now)).toList();
    }

    private StoredSubscription stored(String subscriptionId) {
        StoredSubscription s = subscriptions.get(subscriptionId);
        if (s == null) {
            throw new IllegalArgumentException("no subscription " + subscriptionId);
        }
        return s;
    }

    /** Null when the expiry is one Graph accepts for presence: in the future, at most an hour (and slack) away. */
    private static String lifetimeProblem(Instant expiresAt) {
        if (expiresAt == null) {
            return "expirationDateTime is required, as an ISO-8601 date and time.";
        }
        Instant now = Instant.now();
        if (!expiresAt.isAfter(now)) {
            return "expirationDateTime must be in the future.";
        }
        if (expiresAt.isAfter(now.plus(MAX_LIFETIME).plus(LIFETIME_SLACK))) {
            return "expirationDateTime must be at most " + MAX_LIFETIME.toMinutes()
                    + " minutes from now for presence subscriptions.";
        }
        return null;
    }

    /** The ids of {@code /communications/presences?$filter=id in ('a','b')}, or null for anything else. */
    private static List<String> filteredIds(String resource) {
        Matcher filter = PRESENCE_FILTER.matcher(resource);
        if (!filter.matches()) {
            return null;
        }
        List<String> ids = new ArrayList<>();
        for (String quoted : filter.group(1).split(",", -1)) {
            Matcher id = QUOTED_ID.matcher(quoted);
            if (!id.matches()) {
                return null;
            }
            ids.add(id.group(1));
        }
        return ids;
    }

    /**
     * Graph's validation handshake: {@code POST url?validationToken=...} with an empty text body; the
     * endpoint must answer {@code 200 text/plain} with the decoded token, in time. Null when it did.
     */
    private String handshakeFailure(String url, String field) {
        String token = "Validation: Testing client application reachability for subscription Request-Id: "
                + UUID.randomUUID() + " %41 <>&+";
        Duration timeout = handshakeTimeout;
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + (url.contains("?") ? "&" : "?")
                        + "validationToken=" + URLEncoder.encode(token, StandardCharsets.UTF_8)))
                .timeout(timeout)
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        CompletableFuture<HttpResponse<String>> pending = http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> response;
        try {
            response = pending.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            return field + " did not answer the validation request within " + timeout.toMillis() + " ms.";
        } catch (ExecutionException e) {
            // The request's own timeout can fire before get()'s on a loaded machine: the same "no answer in time".
            if (e.getCause() instanceof HttpTimeoutException
                    && !(e.getCause() instanceof HttpConnectTimeoutException)) {
                return field + " did not answer the validation request within " + timeout.toMillis() + " ms.";
            }
            return field + " could not be reached.";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return field + " was not validated (interrupted).";
        }
        if (response.statusCode() != 200) {
            return "Notification endpoint must respond with 200 OK to validation request (" + field + " answered "
                    + response.statusCode() + ").";
        }
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        if (!contentType.split(";", 2)[0].trim().equalsIgnoreCase("text/plain")) {
            return "Response must be text/plain (" + field + " answered '" + contentType + "').";
        }
        if (!token.equals(response.body())) {
            return "Response must exactly match validationToken query parameter (" + field + ").";
        }
        return null;
    }

    private static ObjectNode subscriptionJson(StoredSubscription s) {
        FakeSubscription v = s.view();
        return JSON.createObjectNode()
                .put("@odata.context", "https://graph.microsoft.com/v1.0/$metadata#subscriptions/$entity")
                .put("id", v.id())
                .put("resource", s.resource())
                .put("applicationId", APPLICATION_ID)
                .put("changeType", "updated")
                .put("clientState", v.clientState())
                .put("notificationUrl", v.notificationUrl())
                .put("lifecycleNotificationUrl", v.lifecycleNotificationUrl())
                .put("expirationDateTime", v.expiresAt().toString())
                .put("creatorId", s.creatorId())
                .put("includeResourceData", v.includeResourceData())
                .put("encryptionCertificateId", v.encryptionCertificateId());
    }

    private String notificationBody(StoredSubscription s, String userId) {
        FakeSubscription v = s.view();
        String resource = "communications/presences/" + userId;
        ObjectNode item = JSON.createObjectNode()
                .put("subscriptionId", v.id())
                .put("subscriptionExpirationDateTime", OFFSET_TIME.format(
                        OffsetDateTime.ofInstant(v.expiresAt(), ZoneOffset.UTC)))
                .put("changeType", "updated")
                .put("resource", resource)
                .put("clientState", v.clientState())
                .put("tenantId", v.tenant());
        item.putObject("resourceData")
                .put("@odata.type", "#Microsoft.Graph.presence")
                .put("@odata.id", resource)
                .put("id", userId);
        ObjectNode collection = JSON.createObjectNode();
        collection.putArray("value").add(item);
        if (v.includeResourceData()) {
            item.set("encryptedContent", encryptedContent(s, userId, resource));
            collection.putArray("validationTokens").add(TestSigningKey.validationToken(v.tenant(), EntraFake.CLIENT_ID));
        }
        return json(collection);
    }

    /** The user's current presence, sealed as Graph seals rich notifications for the subscription's certificate. */
    private ObjectNode encryptedContent(StoredSubscription s, String userId, String resource) {
        String[] shown = presenceOf(userId);
        String[] presence = shown != null ? shown : new String[] {"PresenceUnknown", "PresenceUnknown"};
        String plaintext = json(JSON.createObjectNode()
                .put("@odata.type", "#Microsoft.Graph.presence")
                .put("@odata.id", resource)
                .put("id", userId)
                .put("availability", presence[0])
                .put("activity", presence[1]));
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        try {
            Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(Arrays.copyOf(key, 16)));
            byte[] data = aes.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(key, "HmacSHA256"));
            Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPWithSHA-1AndMGF1Padding");
            rsa.init(Cipher.ENCRYPT_MODE, s.certificateKey());
            Base64.Encoder base64 = Base64.getEncoder();
            return JSON.createObjectNode()
                    .put("data", base64.encodeToString(data))
                    .put("dataSignature", base64.encodeToString(hmac.doFinal(data)))
                    .put("dataKey", base64.encodeToString(rsa.doFinal(key)))
                    .put("encryptionCertificateId", s.view().encryptionCertificateId())
                    .put("encryptionCertificateThumbprint", s.certificateThumbprint());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate certificate(String base64Der) {
        if (base64Der == null || base64Der.isEmpty()) {
            return null;
        }
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(base64Der)));
        } catch (CertificateException | IllegalArgumentException | ClassCastException e) {
            return null;
        }
    }

    /** Uppercase hex SHA-1 of the certificate's DER, as Graph names the certificate it used. */
    private static String thumbprint(X509Certificate certificate) {
        try {
            return HexFormat.of().withUpperCase().formatHex(
                    MessageDigest.getInstance("SHA-1").digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isHttpUrl(String url) {
        if (url == null) {
            return false;
        }
        try {
            URI uri = new URI(url);
            return uri.isAbsolute() && uri.getHost() != null
                    && ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static Instant instant(String value) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static JsonNode jsonObject(String body) {
        try {
            JsonNode node = JSON.readTree(body == null ? "" : body);
            return node != null && node.isObject() ? node : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    private static String json(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void invalidRequest(HttpExchange exchange, String message) {
        error(exchange, 400, "InvalidRequest", message);
    }

    private static void error(HttpExchange exchange, int status, String code, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("code", code).put("message", message);
        FakeHttp.json(exchange, status, json(body));
    }

    private static String queryParam(String rawQuery, String name) {
        if (rawQuery == null) {
            return null;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (k.equals(name)) {
                return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
