package io.teamsconnector.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Microsoft Graph v1.0 over real HTTP, for the calls the connector makes: presence in bulk, users by
 * mail, users delta paging, presence subscriptions. Scripted answers (429 with Retry-After, 5xx)
 * are served first, in order; every request is recorded.
 */
public final class GraphFake implements AutoCloseable {

    /** {@code PUT /fake/presences/{userId}} with {@code {"availability","activity"}} sets a presence. */
    public static final String CONTROL = "/fake/presences/";

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Deque<Scripted> script = new ConcurrentLinkedDeque<>();
    private final Map<String, String[]> presences = new ConcurrentHashMap<>();
    private final Map<String, String> usersByMail = new ConcurrentHashMap<>();
    private final Map<String, String> subscriptions = new ConcurrentHashMap<>();

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
        presences.clear();
        usersByMail.clear();
        subscriptions.clear();
        presences.put("66825e03-7ef5-42da-9069-4da7d4f8e7a5", new String[] {"Busy", "InACall"});
        presences.put("3b1e6d5a-1c1f-4e0b-9d5e-2b7c1f0e9a11", new String[] {"Available", "Available"});
    }

    public void setPresence(String userId, String availability, String activity) {
        presences.put(userId, new String[] {availability, activity});
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

    public Map<String, String> subscriptions() {
        return Map.copyOf(subscriptions);
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
        if (method.equals("POST") && p.equals("/communications/getPresencesByUserId")) {
            presences(exchange, body);
        } else if (method.equals("GET") && p.equals("/users")) {
            usersByMail(exchange, query);
        } else if (method.equals("GET") && (p.equals("/users/delta") || p.equals("/users/delta()"))) {
            usersDelta(exchange, query);
        } else if (method.equals("POST") && p.equals("/subscriptions")) {
            String id = UUID.randomUUID().toString();
            String created = body.replaceFirst("\\{", "{\"id\":\"" + id + "\",");
            subscriptions.put(id, created);
            FakeHttp.json(exchange, 201, created);
        } else if (p.startsWith("/subscriptions/")) {
            subscription(exchange, method, p.substring("/subscriptions/".length()), body);
        } else {
            FakeHttp.json(exchange, 404, "{\"error\":{\"code\":\"ResourceNotFound\",\"message\":\"no such path\"}}");
        }
    }

    private static final Pattern GUID = Pattern.compile("\"([0-9a-fA-F-]{8,})\"");

    /** The {@code tid} claim of the fake Entra's bearer tokens. */
    private static String tenantOf(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return null;
        }
        String[] parts = authorization.substring("Bearer ".length()).split("\\.");
        if (parts.length < 2) {
            return null;
        }
        try {
            String claims = new String(java.util.Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
            Matcher m = Pattern.compile("\"tid\"\\s*:\\s*\"([^\"]+)\"").matcher(claims);
            return m.find() ? m.group(1) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private void presences(HttpExchange exchange, String body) {
        Matcher m = GUID.matcher(body);
        StringBuilder out = new StringBuilder("{\"value\":[");
        boolean first = true;
        while (m.find()) {
            String[] p = presences.get(m.group(1));
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

    private void usersDelta(HttpExchange exchange, String query) {
        if (query != null && query.contains("skiptoken=pageTwoToken")) {
            FakeHttp.json(exchange, 200, "{\"value\":[],\"@odata.deltaLink\":\"https://graph.microsoft.com/v1.0/users/delta?$deltatoken=round1\"}");
            return;
        }
        // the recorded page, links as Graph writes them (its own host)
        FakeHttp.json(exchange, 200, FakeHttp.resource("users-delta.page.json"));
    }

    private void subscription(HttpExchange exchange, String method, String rest, String body) {
        boolean reauthorize = rest.endsWith("/reauthorize");
        String id = reauthorize ? rest.substring(0, rest.length() - "/reauthorize".length()) : rest;
        String existing = subscriptions.get(id);
        if (existing == null) {
            FakeHttp.json(exchange, 404, "{\"error\":{\"code\":\"ResourceNotFound\",\"message\":\"subscription not found\"}}");
            return;
        }
        if (reauthorize && method.equals("POST")) {
            FakeHttp.send(exchange, 204, null, null, Map.of());
        } else if (method.equals("PATCH")) {
            Matcher m = Pattern.compile("\"expirationDateTime\"\\s*:\\s*\"([^\"]+)\"").matcher(body);
            String expiry = m.find() ? m.group(1) : "";
            String updated = existing.replaceFirst("\"expirationDateTime\"\\s*:\\s*\"[^\"]*\"",
                    "\"expirationDateTime\":\"" + expiry + "\"");
            subscriptions.put(id, updated);
            FakeHttp.json(exchange, 200, updated);
        } else if (method.equals("DELETE")) {
            subscriptions.remove(id);
            FakeHttp.send(exchange, 204, null, null, Map.of());
        } else {
            FakeHttp.json(exchange, 405, "{\"error\":{\"code\":\"MethodNotAllowed\",\"message\":\"\"}}");
        }
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
