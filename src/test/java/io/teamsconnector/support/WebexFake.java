package io.teamsconnector.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Webex (platform and Contact Center) over real HTTP, following Cisco's documented contract
 * (BEHAVIOR.md, Webex Contact Center):
 * <ul>
 *   <li>OAuth: {@code GET /v1/authorize} signs in the person set by {@link #signInAs} and redirects back
 *   with a code; {@code POST /v1/access_token} with the {@code authorization_code} and {@code refresh_token}
 *   grants (expiry, optional rotation of refresh tokens, {@code invalid_grant} for revoked ones);</li>
 *   <li>{@code GET /v1/people/me};</li>
 *   <li>under {@link #ccBaseUrl()}: subscriptions, paged idle codes and agent profiles, users by CI id, and the
 *   agent state API ({@code 202}; {@code 429} with {@code Retry-After} on demand);</li>
 *   <li>signed deliveries to a subscription's destination, version 1 and 2 ({@link #deliver}).</li>
 * </ul>
 * Access tokens are opaque. Every API call needs a live token of the org it names. The Contact Center API
 * lives under {@code /cc}, so a call sent to the wrong base fails. One deviation: destination URLs may be
 * plain HTTP on any port (the service under test listens on localhost).
 */
public final class WebexFake implements AutoCloseable {

    public static final String CLIENT_ID = "C0ffee0000webexintegration0000000000000000000000000000000000000000";
    public static final String CLIENT_SECRET = "fake-webex-client-secret";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CC_ORG = Pattern.compile(
            "/cc/organization/([^/]+)/v2/(auxiliary-code|agent-profile|user/by-ci-user-id/([^/]+))");
    private static final Pattern CC_SUBSCRIPTION = Pattern.compile("/cc/v1/subscriptions(?:/([^/]+))?");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final AtomicInteger serial = new AtomicInteger();
    private final Map<String, Org> orgs = new ConcurrentHashMap<>();
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();
    private final Map<String, Grant> refreshTokens = new ConcurrentHashMap<>();
    private final Map<String, AccessToken> accessTokens = new ConcurrentHashMap<>();
    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final List<StateRequest> stateRequests = new CopyOnWriteArrayList<>();
    private volatile Person signedIn;
    private final Map<String, List<String>> roles = new ConcurrentHashMap<>();
    private volatile int expiresIn = 1_209_599;
    private volatile boolean rotateRefreshTokens;
    private volatile int throttleStateRequests;
    private volatile int retryAfterSeconds = 1;
    private volatile boolean peopleMeDown;
    private volatile java.util.concurrent.CountDownLatch refreshHold = new java.util.concurrent.CountDownLatch(0);
    private final java.util.concurrent.atomic.AtomicInteger refreshesHeld = new java.util.concurrent.atomic.AtomicInteger();

    /** A Webex user: {@code orgId} is the org their token works in. */
    public record Person(String id, String email, String displayName, String orgId) {
    }

    /** One idle (or wrap-up) code of an org. */
    public record AuxCode(String id, String name, boolean active, boolean defaultCode, String workTypeCode) {
    }

    /** A Contact Center user (agent): the CI id is the agent id in events. */
    public record User(String ciUserId, String email, String agentProfileId) {
    }

    /** One request to the fake: method, path with query, the grant for token requests. */
    public record Call(String method, String path, String grantType, int answered) {
    }

    /** One agent state request as Webex received it, with its headers (lower-case names). */
    public record StateRequest(String orgId, String token, JsonNode body, Map<String, String> headers, int answered) {
        public String header(String name) {
            return headers.get(name.toLowerCase());
        }
    }

    /** A registered subscription; {@code secret} signs its deliveries. */
    public record Subscription(String id, String orgId, String name, List<String> eventTypes, String destinationUrl,
                               String secret, String status, String resourceVersion) {
    }

    /** A delivery as sent: its body, headers, and the status the destination answered. */
    public record Delivery(String id, String body, Map<String, String> headers, int answered) {
    }

    private record Grant(Person person, String redirectUri) {
    }

    private record AccessToken(Person person, Instant expiresAt) {
    }

    private static final class Org {
        final List<AuxCode> auxCodes = new CopyOnWriteArrayList<>();
        final Map<String, String> profiles = new ConcurrentHashMap<>();
        final Map<String, User> users = new ConcurrentHashMap<>();
    }

    public WebexFake() {
        this(0);
    }

    /** On a fixed port, for running the fakes by hand ({@link LocalFakes}). */
    public WebexFake(int port) {
        server = FakeHttp.start(port, this::handle, executor);
    }

    /** {@code connector.webex-url}: platform and OAuth base. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** {@code connector.webex-cc-url}: the Contact Center API base. */
    public String ccBaseUrl() {
        return baseUrl() + "/cc";
    }

    /** Back to a Webex that knows no codes, tokens, subscriptions or orgs. */
    public void reset() {
        orgs.clear();
        codes.clear();
        refreshTokens.clear();
        accessTokens.clear();
        subscriptions.clear();
        calls.clear();
        stateRequests.clear();
        signedIn = null;
        roles.clear();
        expiresIn = 1_209_599;
        rotateRefreshTokens = false;
        throttleStateRequests = 0;
        peopleMeDown = false;
        refreshHold.countDown();
        refreshesHeld.set(0);
    }

    // ---- arranging ---------------------------------------------------------------------------------------

    /** The person who completes the next {@code /v1/authorize} in the browser. */
    public void signInAs(Person person) {
        this.signedIn = person;
    }

    /**
     * An access token of {@code person}, as the Desktop holds after the agent signed in ({@code $STORE.auth.accessToken});
     * it lives as long as tokens issued now do ({@link #expiresIn}).
     */
    public String issueAccessToken(Person person) {
        String access = "wx-at-" + serial.incrementAndGet() + "-" + UUID.randomUUID();
        accessTokens.put(access, new AccessToken(person, Instant.now().plusSeconds(expiresIn)));
        return access;
    }

    /** {@code GET /v1/people/me} answers {@code 503} (Webex in trouble) while {@code down}. */
    public void peopleMeDown(boolean down) {
        this.peopleMeDown = down;
    }

    /** Webex's role id of an org's full administrator, as people/me lists it (base64 of its platform URI). */
    public static final String FULL_ADMIN_ROLE = java.util.Base64.getEncoder().withoutPadding()
            .encodeToString("ciscospark://us/ROLE/id_full_admin".getBytes(StandardCharsets.UTF_8));

    /** The person's roles in people/me from now on (none by default: an ordinary user). */
    public void roles(Person person, String... roleIds) {
        roles.put(person.id(), List.of(roleIds));
    }

    /** Lifetime of access tokens issued from now on. */
    public void expiresIn(int seconds) {
        this.expiresIn = seconds;
    }

    /** Every refresh answers a new refresh token and revokes the one used. */
    public void rotateRefreshTokens(boolean rotate) {
        this.rotateRefreshTokens = rotate;
    }

    /**
     * Refresh requests wait, unanswered, until the returned handle is closed (at most 10 s): concurrent callers
     * of the connector then overlap with a refresh in flight.
     */
    public AutoCloseable holdRefreshes() {
        java.util.concurrent.CountDownLatch hold = new java.util.concurrent.CountDownLatch(1);
        refreshHold = hold;
        return hold::countDown;
    }

    /** Refresh requests that arrived while refreshes were held. */
    public int refreshesHeld() {
        return refreshesHeld.get();
    }

    /** Revokes every refresh and access token of the org: the next refresh is {@code invalid_grant}. */
    public void revokeTokens(String orgId) {
        refreshTokens.values().removeIf(g -> g.person().orgId().equals(orgId));
        accessTokens.values().removeIf(t -> t.person().orgId().equals(orgId));
    }

    /** Every access token of the org stops working now (Webex answers 401) while refresh tokens stay good. */
    public void expireAccessTokens(String orgId) {
        accessTokens.values().removeIf(t -> t.person().orgId().equals(orgId));
    }

    public void idleCode(String orgId, String id, String name, boolean isDefault) {
        org(orgId).auxCodes.add(new AuxCode(id, name, true, isDefault, "IDLE_CODE"));
    }

    public void auxCode(String orgId, AuxCode code) {
        org(orgId).auxCodes.add(code);
    }

    public void agentProfile(String orgId, String id, String name) {
        org(orgId).profiles.put(id, name);
    }

    public void user(String orgId, User user) {
        org(orgId).users.put(user.ciUserId(), user);
    }

    /** The next {@code n} agent state requests are answered {@code 429} with {@code Retry-After: seconds}. */
    public void throttleStateRequests(int n, int seconds) {
        this.throttleStateRequests = n;
        this.retryAfterSeconds = seconds;
    }

    /** Webex lost the subscription (a later GET is 404). */
    public void loseSubscription(String id) {
        subscriptions.remove(id);
    }

    /** Webex stopped delivering to the subscription (too many failures): its status becomes inactive. */
    public void deactivateSubscription(String id) {
        subscriptions.computeIfPresent(id, (k, s) -> new Subscription(s.id(), s.orgId(), s.name(), s.eventTypes(),
                s.destinationUrl(), s.secret(), "inactive", s.resourceVersion()));
    }

    // ---- observing ---------------------------------------------------------------------------------------

    public List<Call> calls() {
        return new ArrayList<>(calls);
    }

    public long count(String method, String pathPrefix) {
        return calls.stream().filter(c -> c.method().equals(method) && c.path().startsWith(pathPrefix)).count();
    }

    public long tokenRequests(String grantType) {
        return calls.stream().filter(c -> grantType.equals(c.grantType())).count();
    }

    public List<StateRequest> stateRequests() {
        return new ArrayList<>(stateRequests);
    }

    public List<Subscription> subscriptions(String orgId) {
        return subscriptions.values().stream().filter(s -> s.orgId().equals(orgId)).toList();
    }

    public boolean isLiveRefreshToken(String token) {
        return refreshTokens.containsKey(token);
    }

    // ---- deliveries --------------------------------------------------------------------------------------

    /**
     * An agent event of the subscription, signed as Webex signs it: version 1 ({@code agent:login},
     * {@code agent:logout}, {@code agent:state_change}) or version 2 (adds {@code comciscotimestamp} and the
     * {@code X-WebExCC-Timestamp} header). Not sent: see {@link #deliver}.
     */
    public Delivery signed(Subscription subscription, String type, Map<String, Object> data, boolean v2,
                           Instant timestamp) {
        ObjectNode body = JSON.createObjectNode();
        String id = UUID.randomUUID().toString();
        body.put("id", id);
        body.put("specversion", "1.0");
        body.put("type", type);
        body.put("source", "/com/cisco/wxcc/" + subscription.id());
        body.put("comciscoorgid", subscription.orgId());
        body.put("datacontenttype", "application/json");
        if (v2) {
            body.put("comciscotimestamp", timestamp.toEpochMilli());
        }
        body.set("data", JSON.valueToTree(data));
        String text = body.toString();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("X-WebexCC-Signature", hmacHex(subscription.secret(), text));
        if (v2) {
            headers.put("X-WebExCC-Timestamp", Long.toString(timestamp.toEpochMilli()));
        }
        return new Delivery(id, text, headers, 0);
    }

    /** Posts a delivery to the subscription's destination URL, as Webex does; answers what the destination said. */
    public Delivery deliver(Subscription subscription, Delivery delivery) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(subscription.destinationUrl()))
                .timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.ofString(delivery.body()));
        delivery.headers().forEach(request::header);
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Delivery(delivery.id(), delivery.body(), delivery.headers(), response.statusCode());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Lowercase hex HMAC-SHA256 of the body, keyed with the secret's UTF-8 bytes. */
    public static String hmacHex(String secret, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- the HTTP side -----------------------------------------------------------------------------------

    private Org org(String orgId) {
        return orgs.computeIfAbsent(orgId, k -> new Org());
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        String body = FakeHttp.body(exchange);
        int[] status = {0};
        String grant = null;
        try {
            if ("GET".equals(method) && "/v1/authorize".equals(path)) {
                status[0] = authorize(exchange);
            } else if ("POST".equals(method) && "/v1/access_token".equals(path)) {
                Map<String, String> form = FakeHttp.form(body);
                grant = form.getOrDefault("grant_type", "");
                status[0] = accessToken(exchange, form);
            } else {
                status[0] = api(exchange, method, path, body);
            }
        } finally {
            String query = exchange.getRequestURI().getRawQuery();
            calls.add(new Call(method, query == null ? path : path + "?" + query, grant, status[0]));
        }
    }

    private int authorize(HttpExchange exchange) {
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        if (!"code".equals(query.get("response_type")) || !CLIENT_ID.equals(query.get("client_id"))
                || query.get("redirect_uri") == null) {
            return error(exchange, 400, "invalid_request", "response_type=code, client_id and redirect_uri are required");
        }
        Person person = signedIn;
        if (person == null) {
            return error(exchange, 401, "access_denied", "nobody signed in to the Webex fake");
        }
        String code = "code-" + serial.incrementAndGet() + "-" + UUID.randomUUID();
        codes.put(code, new Grant(person, query.get("redirect_uri")));
        String location = query.get("redirect_uri") + "?code=" + code + "&state="
                + URLEncoder.encode(query.getOrDefault("state", ""), StandardCharsets.UTF_8);
        FakeHttp.send(exchange, 302, null, null, Map.of("Location", location));
        return 302;
    }

    private int accessToken(HttpExchange exchange, Map<String, String> form) {
        if (!CLIENT_ID.equals(form.get("client_id")) || !CLIENT_SECRET.equals(form.get("client_secret"))) {
            return error(exchange, 401, "invalid_client", "The client id or secret is wrong.");
        }
        switch (form.getOrDefault("grant_type", "")) {
            case "authorization_code" -> {
                Grant code = codes.remove(form.getOrDefault("code", ""));
                if (code == null || !code.redirectUri().equals(form.get("redirect_uri"))) {
                    return error(exchange, 400, "invalid_grant", "The authorization code is invalid or was used.");
                }
                return tokens(exchange, code, null);
            }
            case "refresh_token" -> {
                awaitRefreshHold();
                String used = form.getOrDefault("refresh_token", "");
                Grant owner = rotateRefreshTokens ? refreshTokens.remove(used) : refreshTokens.get(used);
                if (owner == null) {
                    return error(exchange, 400, "invalid_grant",
                            "The refresh token provided is expired, revoked, malformed, or invalid.");
                }
                return tokens(exchange, owner, rotateRefreshTokens ? null : used);
            }
            default -> {
                return error(exchange, 400, "unsupported_grant_type", "Unsupported grant type.");
            }
        }
    }

    private int tokens(HttpExchange exchange, Grant grant, String keepRefreshToken) {
        String access = issueAccessToken(grant.person());
        String refresh = keepRefreshToken;
        if (refresh == null) {
            refresh = "wx-rt-" + serial.incrementAndGet() + "-" + UUID.randomUUID();
            refreshTokens.put(refresh, grant);
        }
        ObjectNode answer = JSON.createObjectNode();
        answer.put("access_token", access);
        answer.put("expires_in", expiresIn);
        answer.put("refresh_token", refresh);
        answer.put("refresh_token_expires_in", 7_775_999);
        answer.put("token_type", "Bearer");
        answer.put("scope", "cjp:config_read cjp:config_write cjp:user spark:people_read");
        FakeHttp.json(exchange, 200, answer.toString());
        return 200;
    }

    private int api(HttpExchange exchange, String method, String path, String body) {
        Person caller = caller(exchange);
        if (caller == null) {
            return message(exchange, 401, "The request requires a valid access token set in the Authorization request header.");
        }
        if ("GET".equals(method) && "/v1/people/me".equals(path)) {
            if (peopleMeDown) {
                return message(exchange, 503, "Service Unavailable");
            }
            ObjectNode me = JSON.createObjectNode();
            me.put("id", caller.id());
            me.putArray("emails").add(caller.email());
            me.put("displayName", caller.displayName());
            me.put("orgId", caller.orgId());
            me.put("type", "person");
            ArrayNode roleIds = me.putArray("roles");
            roles.getOrDefault(caller.id(), List.of()).forEach(roleIds::add);
            FakeHttp.json(exchange, 200, me.toString());
            return 200;
        }
        if ("PUT".equals(method) && "/cc/v1/agents/session/state".equals(path)) {
            return state(exchange, caller, body);
        }
        Matcher subscription = CC_SUBSCRIPTION.matcher(path);
        if (subscription.matches()) {
            return subscription(exchange, caller, method, subscription.group(1), body);
        }
        Matcher org = CC_ORG.matcher(path);
        if (org.matches() && "GET".equals(method)) {
            if (!org.group(1).equals(caller.orgId())) {
                return message(exchange, 403, "The token does not belong to organization " + org.group(1) + ".");
            }
            Org data = org(org.group(1));
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            if (org.group(2).equals("auxiliary-code")) {
                String filter = query.get("filter");
                List<ObjectNode> items = data.auxCodes.stream()
                        .filter(c -> filter == null || filter.equals("workTypeCode==\"" + c.workTypeCode() + "\""))
                        .map(WebexFake::auxCodeJson).toList();
                return page(exchange, path, query, items);
            }
            if (org.group(2).equals("agent-profile")) {
                List<ObjectNode> items = data.profiles.entrySet().stream()
                        .sorted(Map.Entry.comparingByKey())
                        .map(e -> {
                            ObjectNode p = JSON.createObjectNode();
                            p.put("id", e.getKey());
                            p.put("name", e.getValue());
                            p.put("active", true);
                            return p;
                        }).toList();
                return page(exchange, path, query, items);
            }
            User user = data.users.get(org.group(3));
            if (user == null) {
                return message(exchange, 404, "User not found.");
            }
            ObjectNode u = JSON.createObjectNode();
            u.put("id", "cc-" + user.ciUserId());
            u.put("ciUserId", user.ciUserId());
            u.put("email", user.email());
            u.put("firstName", "Agent");
            u.put("lastName", user.ciUserId());
            u.put("agentProfileId", user.agentProfileId());
            u.put("contactCenterEnabled", true);
            FakeHttp.json(exchange, 200, u.toString());
            return 200;
        }
        return message(exchange, 404, "No such resource in the Webex fake: " + method + " " + path);
    }

    private int state(HttpExchange exchange, Person caller, String body) {
        Map<String, String> headers = exchange.getRequestHeaders().entrySet().stream()
                .collect(Collectors.toMap(e -> e.getKey().toLowerCase(), e -> String.join(",", e.getValue()),
                        (a, b) -> a));
        String token = headers.getOrDefault("authorization", "").substring("Bearer ".length());
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (IOException e) {
            json = null;
        }
        int status;
        if (throttleStateRequests > 0) {
            throttleStateRequests--;
            status = 429;
            stateRequests.add(new StateRequest(caller.orgId(), token, json, headers, status));
            FakeHttp.send(exchange, status, "application/json", "{\"message\":\"Too many requests\"}",
                    Map.of("Retry-After", Integer.toString(retryAfterSeconds)));
            return status;
        }
        String problem = stateProblem(caller, json);
        status = problem == null ? 202 : 400;
        stateRequests.add(new StateRequest(caller.orgId(), token, json, headers, status));
        if (problem != null) {
            return message(exchange, 400, problem);
        }
        FakeHttp.json(exchange, 202, "{\"data\":{\"agentId\":" + FakeHttp.quote(json.get("agentId").asText())
                + "},\"trackingId\":" + FakeHttp.quote(headers.getOrDefault("trackingid", "")) + "}");
        return status;
    }

    private String stateProblem(Person caller, JsonNode json) {
        if (json == null || !json.isObject()) {
            return "The body must be a JSON object.";
        }
        String state = json.path("state").asText("");
        if (!state.equals("Idle") && !state.equals("Available")) {
            return "state must be Idle or Available.";
        }
        String agentId = json.path("agentId").asText("");
        if (agentId.isEmpty()) {
            return "agentId is required.";
        }
        if (json.path("lastStateChangeReason").asText("").length() > 128) {
            return "lastStateChangeReason is at most 128 characters.";
        }
        String auxCodeId = json.path("auxCodeId").asText("");
        if (auxCodeId.isEmpty() || auxCodeId.length() > 36) {
            return "auxCodeId is required, at most 36 characters.";
        }
        boolean known = org(caller.orgId()).auxCodes.stream()
                .anyMatch(c -> c.id().equals(auxCodeId) && c.active() && "IDLE_CODE".equals(c.workTypeCode()));
        return known ? null : "auxCodeId " + auxCodeId + " is not an active idle code of the organization.";
    }

    private int subscription(HttpExchange exchange, Person caller, String method, String id, String body) {
        if (id == null && "POST".equals(method)) {
            JsonNode json;
            try {
                json = JSON.readTree(body);
            } catch (IOException e) {
                return message(exchange, 400, "The body must be JSON.");
            }
            String problem = subscriptionProblem(json);
            if (problem != null) {
                return message(exchange, 400, problem);
            }
            List<String> types = new ArrayList<>();
            json.get("eventTypes").forEach(t -> types.add(t.asText()));
            Subscription created = new Subscription(UUID.randomUUID().toString(), caller.orgId(),
                    json.get("name").asText(), types, json.get("destinationUrl").asText(),
                    json.get("secret").asText(), "active", json.path("resourceVersion").asText(null));
            subscriptions.put(created.id(), created);
            FakeHttp.json(exchange, 201, subscriptionJson(created));
            return 201;
        }
        Subscription existing = id == null ? null : subscriptions.get(id);
        if (existing == null || !existing.orgId().equals(caller.orgId())) {
            return message(exchange, 404, "Subscription not found.");
        }
        if ("GET".equals(method)) {
            FakeHttp.json(exchange, 200, subscriptionJson(existing));
            return 200;
        }
        if ("DELETE".equals(method)) {
            subscriptions.remove(id);
            FakeHttp.send(exchange, 204, null, null, Map.of());
            return 204;
        }
        return message(exchange, 405, "Method not allowed.");
    }

    private static String subscriptionProblem(JsonNode json) {
        if (json == null || !json.isObject()) {
            return "The body must be a JSON object.";
        }
        if (json.path("name").asText("").isBlank()) {
            return "name is required.";
        }
        JsonNode types = json.get("eventTypes");
        if (types == null || !types.isArray() || types.isEmpty() || types.size() > 32) {
            return "eventTypes must list 1 to 32 event types.";
        }
        String destination = json.path("destinationUrl").asText("");
        if (!destination.startsWith("http://") && !destination.startsWith("https://") || destination.contains("?")) {
            return "destinationUrl must be an absolute URL without a query.";
        }
        int secret = json.path("secret").asText("").length();
        if (secret < 32 || secret > 256) {
            return "secret must have 32 to 256 characters.";
        }
        return null;
    }

    private static String subscriptionJson(Subscription s) {
        ObjectNode answer = JSON.createObjectNode();
        answer.putObject("meta").put("orgId", s.orgId());
        ObjectNode data = answer.putObject("data");
        data.put("id", s.id());
        data.put("name", s.name());
        ArrayNode types = data.putArray("eventTypes");
        s.eventTypes().forEach(types::add);
        data.put("destinationUrl", s.destinationUrl());
        data.put("status", s.status());
        data.put("createdTime", Instant.now().toEpochMilli());
        if (s.resourceVersion() != null) {
            data.put("resourceVersion", s.resourceVersion());
        }
        return answer.toString();
    }

    private static ObjectNode auxCodeJson(AuxCode c) {
        ObjectNode code = JSON.createObjectNode();
        code.put("id", c.id());
        code.put("name", c.name());
        code.put("active", c.active());
        code.put("defaultCode", c.defaultCode());
        code.put("isSystemCode", false);
        code.put("workTypeCode", c.workTypeCode());
        return code;
    }

    /** Webex's paging: {@code page} from 0, {@code pageSize} (default 100), {@code meta.links.next} while more. */
    private int page(HttpExchange exchange, String path, Map<String, String> query, List<ObjectNode> items) {
        int page = Integer.parseInt(query.getOrDefault("page", "0"));
        int size = Integer.parseInt(query.getOrDefault("pageSize", "100"));
        int totalPages = Math.max(1, (items.size() + size - 1) / size);
        ObjectNode answer = JSON.createObjectNode();
        ObjectNode meta = answer.putObject("meta");
        meta.put("orgid", path.split("/")[3]);
        meta.put("page", page);
        meta.put("pageSize", size);
        meta.put("totalPages", totalPages);
        meta.put("totalRecords", items.size());
        ObjectNode links = meta.putObject("links");
        String filter = query.containsKey("filter")
                ? "&filter=" + URLEncoder.encode(query.get("filter"), StandardCharsets.UTF_8) : "";
        // relative to the API base, as Webex writes them
        String relative = path.substring("/cc".length());
        links.put("self", relative + "?page=" + page + "&pageSize=" + size + filter);
        if (page + 1 < totalPages) {
            links.put("next", relative + "?page=" + (page + 1) + "&pageSize=" + size + filter);
        }
        ArrayNode data = answer.putArray("data");
        items.stream().skip((long) page * size).limit(size).forEach(data::add);
        FakeHttp.json(exchange, 200, answer.toString());
        return 200;
    }

    private Person caller(HttpExchange exchange) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return null;
        }
        AccessToken token = accessTokens.get(authorization.substring(7));
        return token == null || token.expiresAt().isBefore(Instant.now()) ? null : token.person();
    }

    private static int error(HttpExchange exchange, int status, String error, String description) {
        FakeHttp.json(exchange, status, "{\"error\":" + FakeHttp.quote(error) + ",\"error_description\":"
                + FakeHttp.quote(description) + ",\"trackingId\":\"fake_" + UUID.randomUUID() + "\"}");
        return status;
    }

    private static int message(HttpExchange exchange, int status, String message) {
        FakeHttp.json(exchange, status, "{\"message\":" + FakeHttp.quote(message) + ",\"trackingId\":\"fake_"
                + UUID.randomUUID() + "\"}");
        return status;
    }

    private void awaitRefreshHold() {
        java.util.concurrent.CountDownLatch hold = refreshHold;
        if (hold.getCount() > 0) {
            refreshesHeld.incrementAndGet();
            try {
                hold.await(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                    eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
