package io.teamsconnector.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * Entra ID's token endpoint over real HTTP: {@code POST /{tenant}/oauth2/v2.0/token} for the
 * client_credentials, authorization_code and refresh_token grants. Tenants can be refused with an
 * AADSTS error, and the whole endpoint can be made to hang (Entra down). Counts every request.
 * Also serves the token signing keys ({@code GET /common/discovery/v2.0/keys}): the fixture's key
 * and {@link TestSigningKey}'s; key fetches are counted apart from token requests.
 */
public final class EntraFake implements AutoCloseable {

    public static final String CLIENT_ID = "11111111-2222-3333-4444-555555555555";
    public static final String CLIENT_SECRET = "fake-client-secret";

    /** {@code /common/discovery/v2.0/keys}, {@code /{tenant}/discovery/v2.0/keys}, {@code /common/discovery/keys}. */
    private static final Pattern KEYS_PATH = Pattern.compile("/[^/]+/discovery(/v2\\.0)?/keys");
    private static final String JWKS = jwks();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private final List<TokenRequest> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Refusal> refusals = new ConcurrentHashMap<>();
    private final Map<String, IssuedCode> codes = new ConcurrentHashMap<>();
    private final Map<String, IssuedCode> refreshTokens = new ConcurrentHashMap<>();
    private final AtomicInteger serial = new AtomicInteger();
    private final AtomicReference<Hang> hang = new AtomicReference<>();
    private final AtomicLong keyFetches = new AtomicLong();
    private volatile int expiresIn = 3599;
    /** Every access token this fake (any instance) issued, opaque to its holder, with what Graph knows of it. */
    private static final Map<String, Map<String, String>> ISSUED = new ConcurrentHashMap<>();
    private volatile boolean omitIdTokens;
    private volatile String consentingTenant;
    private final Map<String, Object> idTokenOverrides = new ConcurrentHashMap<>();

    /** One token request as received; form values include secrets, so tests only read what they need. */
    public record TokenRequest(String tenant, String grantType, Map<String, String> form) {
    }

    /** A refusal Entra answers for a tenant. */
    public record Refusal(int status, String error, String aadsts) {
    }

    private record IssuedCode(String tenant, String userId, String upn, String redirectUri) {
    }

    private record Hang(CountDownLatch release, Duration max) {
    }

    public EntraFake() {
        this(0);
    }

    /** On a fixed port, for running the fakes by hand ({@link LocalFakes}). */
    public EntraFake(int port) {
        server = FakeHttp.start(port, this::handle, executor);
    }

    /** Base URL to use as {@code connector.login-url}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Where the connector reads Entra's signing keys. */
    public String keysUrl() {
        return baseUrl() + "/common/discovery/v2.0/keys";
    }

    /** How many times the signing keys were fetched since the last {@link #reset()}. */
    public long keyFetches() {
        return keyFetches.get();
    }

    /** Back to a healthy Entra that knows no codes and refuses nobody. */
    public void reset() {
        releaseHang();
        requests.clear();
        refusals.clear();
        codes.clear();
        refreshTokens.clear();
        keyFetches.set(0);
        omitIdTokens = false;
        consentingTenant = null;
        idTokenOverrides.clear();
        expiresIn = 3599;
    }

    /**
     * A browser opening the admin-consent page ({@code /{tenant}/v2.0/adminconsent}) is an administrator of
     * {@code tenant} who grants the consent at once: the page redirects to the {@code redirect_uri} with
     * {@code admin_consent=True}, the tenant and the state, as Microsoft does.
     */
    public void grantConsentsAs(String tenant) {
        this.consentingTenant = tenant;
    }

    /** Every token request for the tenant is refused (a forged tenant, consent not granted). */
    public void refuseTenant(String tenant, int status, String error, String aadsts) {
        refusals.put(tenant, new Refusal(status, error, aadsts));
    }

    /** Every request waits this long before it is answered (or until {@link #releaseHang()}). */
    public void hangFor(Duration max) {
        hang.set(new Hang(new CountDownLatch(1), max));
    }

    public void releaseHang() {
        Hang h = hang.getAndSet(null);
        if (h != null) {
            h.release().countDown();
        }
    }

    /** Token answers of the code grant carry no id_token (as when {@code openid} was not asked for). */
    public void omitIdTokens() {
        omitIdTokens = true;
    }

    /** The next id_tokens carry these claims instead of the right ones (another audience, tenant, an old exp). */
    public void idTokenClaims(Map<String, Object> overrides) {
        idTokenOverrides.putAll(overrides);
    }

    /**
     * A claim ({@code tid}, {@code oid}, {@code upn}, {@code kind}) of an access token this fake issued, as Graph
     * knows it; null for a token it never issued. Access tokens are opaque: nothing but this reads them.
     */
    public static String claimOfIssued(String accessToken, String claim) {
        Map<String, String> claims = accessToken == null ? null : ISSUED.get(accessToken);
        return claims == null ? null : claims.get(claim);
    }

    public void expiresIn(int seconds) {
        this.expiresIn = seconds;
    }

    /** Makes Entra accept this authorization code once, as if the user had just signed in. */
    public void issueCode(String code, String tenant, String userId, String upn, String redirectUri) {
        codes.put(code, new IssuedCode(tenant, userId, upn, redirectUri));
    }

    public List<TokenRequest> requests() {
        return new ArrayList<>(requests);
    }

    public long count(String tenant, String grantType) {
        return requests.stream().filter(r -> r.tenant().equals(tenant) && r.grantType().equals(grantType)).count();
    }

    /** True when the refresh token is one this fake issued and has not yet rotated away. */
    public boolean isLiveRefreshToken(String token) {
        return refreshTokens.containsKey(token);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if ("GET".equals(exchange.getRequestMethod()) && KEYS_PATH.matcher(path).matches()) {
            keyFetches.incrementAndGet();
            awaitHang();
            FakeHttp.json(exchange, 200, JWKS);
            return;
        }
        if ("GET".equals(exchange.getRequestMethod()) && path.endsWith("/v2.0/adminconsent")) {
            adminConsent(exchange);
            return;
        }
        String[] parts = path.split("/");
        // "", tenant, oauth2, v2.0, token
        if (!"POST".equals(exchange.getRequestMethod()) || parts.length != 5 || !path.endsWith("/oauth2/v2.0/token")) {
            FakeHttp.json(exchange, 404, "{\"error\":\"not_found\"}");
            return;
        }
        String tenant = parts[1];
        Map<String, String> form = FakeHttp.form(FakeHttp.body(exchange));
        String grant = form.getOrDefault("grant_type", "");
        requests.add(new TokenRequest(tenant, grant, Map.copyOf(form)));

        awaitHang();
        if (!clientAuthenticated(exchange, form)) {
            error(exchange, 401, "invalid_client", "AADSTS7000215", "Invalid client secret provided.");
            return;
        }
        Refusal refusal = refusals.get(tenant);
        if (refusal != null) {
            error(exchange, refusal.status(), refusal.error(), refusal.aadsts(), "Refused by the fake for this tenant.");
            return;
        }
        switch (grant) {
            case "client_credentials" -> {
                if (!"https://graph.microsoft.com/.default".equals(form.get("scope"))) {
                    error(exchange, 400, "invalid_scope", "AADSTS1002012", "The provided value for scope is not valid.");
                    return;
                }
                FakeHttp.json(exchange, 200, "{\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn
                        + ",\"ext_expires_in\":" + expiresIn + ",\"access_token\":"
                        + FakeHttp.quote(opaque(tenant, null, null, "app")) + "}");
            }
            case "authorization_code" -> {
                IssuedCode code = codes.remove(form.getOrDefault("code", ""));
                if (code == null || !code.redirectUri().equals(form.get("redirect_uri"))) {
                    error(exchange, 400, "invalid_grant", "AADSTS70000", "The provided authorization code is invalid.");
                    return;
                }
                delegatedTokens(exchange, code);
            }
            case "refresh_token" -> {
                IssuedCode owner = refreshTokens.remove(form.getOrDefault("refresh_token", ""));
                if (owner == null) {
                    error(exchange, 400, "invalid_grant", "AADSTS70008", "The refresh token has expired or is invalid.");
                    return;
                }
                delegatedTokens(exchange, owner);
            }
            default -> error(exchange, 400, "unsupported_grant_type", "AADSTS70003", "Unsupported grant type.");
        }
    }

    private void adminConsent(HttpExchange exchange) {
        Map<String, String> query = FakeHttp.form(exchange.getRequestURI().getRawQuery());
        String tenant = consentingTenant;
        if (tenant == null || !CLIENT_ID.equals(query.get("client_id")) || query.get("redirect_uri") == null) {
            FakeHttp.json(exchange, 400, "{\"error\":\"invalid_request\"}");
            return;
        }
        String location = query.get("redirect_uri") + "?admin_consent=True&tenant=" + tenant + "&state="
                + java.net.URLEncoder.encode(query.getOrDefault("state", ""), StandardCharsets.UTF_8);
        FakeHttp.send(exchange, 302, null, null, Map.of("Location", location));
    }

    private void awaitHang() {
        Hang h = hang.get();
        if (h != null) {
            try {
                h.release().await(h.max().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The fixture's key (it signed {@code validation-tokens.json}) and {@link TestSigningKey}'s. */
    private static String jwks() {
        ObjectMapper json = new ObjectMapper();
        try {
            ObjectNode document = (ObjectNode) json.readTree(FakeHttp.resource("test-jwks.json"));
            ((ArrayNode) document.get("keys")).add(json.readTree(TestSigningKey.jwkJson()));
            return json.writeValueAsString(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void delegatedTokens(HttpExchange exchange, IssuedCode who) {
        String refresh = "rt-" + who.userId() + "-" + serial.incrementAndGet() + "-secret";
        refreshTokens.put(refresh, who);
        FakeHttp.json(exchange, 200, "{\"token_type\":\"Bearer\",\"scope\":\"Presence.Read.All\",\"expires_in\":"
                + expiresIn + ",\"access_token\":" + FakeHttp.quote(opaque(who.tenant(), who.userId(), who.upn(), "user"))
                + ",\"refresh_token\":" + FakeHttp.quote(refresh)
                + (omitIdTokens ? "" : ",\"id_token\":" + FakeHttp.quote(idToken(who))) + "}");
    }

    private boolean clientAuthenticated(HttpExchange exchange, Map<String, String> form) {
        String basic = exchange.getRequestHeaders().getFirst("Authorization");
        if (basic != null && basic.startsWith("Basic ")) {
            String pair = new String(Base64.getDecoder().decode(basic.substring(6)), StandardCharsets.UTF_8);
            return pair.equals(CLIENT_ID + ":" + CLIENT_SECRET);
        }
        return CLIENT_ID.equals(form.get("client_id")) && CLIENT_SECRET.equals(form.get("client_secret"));
    }

    /**
     * An access token of the tenant (delegated for {@code oid}, app-only when it is null), as if this fake had issued
     * it: for tests that call a Graph fake directly.
     */
    public static String accessTokenFor(String tenant, String oid) {
        return opaque(tenant, oid, null, oid == null ? "app" : "user");
    }

    /** An access token as a client sees it: a string that tells nothing (Entra's may be encrypted). */
    private static String opaque(String tenant, String oid, String upn, String kind) {
        String token = "EwB" + java.util.UUID.randomUUID().toString().replace("-", "");
        Map<String, String> claims = new java.util.HashMap<>();
        claims.put("tid", tenant);
        claims.put("kind", kind);
        if (oid != null) {
            claims.put("oid", oid);
        }
        if (upn != null) {
            claims.put("upn", upn);
        }
        ISSUED.put(token, Map.copyOf(claims));
        return token;
    }

    /** The id_token of a sign-in: for our client id, from the user's tenant, valid for an hour. */
    private String idToken(IssuedCode who) {
        long now = java.time.Instant.now().getEpochSecond();
        Map<String, Object> claims = new java.util.LinkedHashMap<>();
        claims.put("aud", CLIENT_ID);
        claims.put("iss", "https://login.microsoftonline.com/" + who.tenant() + "/v2.0");
        claims.put("tid", who.tenant());
        claims.put("oid", who.userId());
        claims.put("preferred_username", who.upn());
        claims.put("iat", now);
        claims.put("nbf", now);
        claims.put("exp", now + 3600);
        claims.putAll(idTokenOverrides);
        try {
            return b64("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"fake\"}") + "."
                    + b64(new ObjectMapper().writeValueAsString(claims)) + ".not-checked-by-clients";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static void error(HttpExchange exchange, int status, String error, String aadsts, String text) {
        FakeHttp.json(exchange, status, "{\"error\":" + FakeHttp.quote(error) + ",\"error_description\":"
                + FakeHttp.quote(aadsts + ": " + text) + ",\"error_codes\":[" + aadsts.substring(6) + "]}");
    }

    @Override
    public void close() {
        releaseHang();
        server.stop(0);
        executor.shutdownNow();
    }
}
