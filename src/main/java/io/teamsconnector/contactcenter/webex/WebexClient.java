package io.teamsconnector.contactcenter.webex;

import io.teamsconnector.config.ConnectorConfig;
import io.teamsconnector.contactcenter.webex.WebexException.Kind;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Webex calls the connector makes (BEHAVIOR.md, Webex Contact Center), each with the connector's own
 * token, and the one error policy: 429 is {@code THROTTLED} with Webex's {@code Retry-After}, 5xx and 408
 * {@code UNAVAILABLE}, 404 {@code NOT_FOUND}, other refusals {@code REJECTED}. Blocking.
 */
@ApplicationScoped
public class WebexClient {

    /** Webex's page size limit for configuration lists. */
    static final int PAGE_SIZE = 100;
    /** A safety stop: no org has more pages of idle codes or profiles than this. */
    static final int MAX_PAGES = 100;

    private final WebexLinks links;
    private final WebexHttp http;
    private final ConnectorConfig config;

    public WebexClient(WebexLinks links, WebexHttp http, ConnectorConfig config) {
        this.links = links;
        this.http = http;
        this.config = config;
    }

    /** The signed-in person of {@code GET /v1/people/me}. */
    public record Person(String id, String email, String displayName, String orgId) {
    }

    /** An active idle code of the org. */
    public record IdleCode(String id, String name, boolean isDefault) {
    }

    /** A desktop (agent) profile of the org. */
    public record Profile(String id, String name) {
    }

    /** A Contact Center user (agent) found by CI id. */
    public record User(String email, String agentProfileId) {
    }

    /** A registered subscription and Webex's status of it ({@code active} or {@code inactive}). */
    public record Subscription(String id, String status) {
    }

    /** The person a freshly issued token belongs to; with that token, before any link is stored. */
    public Person peopleMe(String accessToken) {
        return me(accessToken).person();
    }

    /** people/me with the person's role ids (an org administrator's roles; empty for everyone else). */
    public record Me(Person person, List<String> roles) {
    }

    public Me me(String accessToken) {
        WebexHttp.Answer answer = http.call(HttpMethod.GET, base() + "/v1/people/me", accessToken, Map.of(), null);
        requireOk(answer, "reading people/me");
        JsonObject me = answer.body();
        JsonArray emails = me.getJsonArray("emails");
        String email = emails == null || emails.isEmpty() ? null : emails.getString(0);
        JsonArray roles = me.getJsonArray("roles");
        List<String> roleIds = roles == null ? List.of() : roles.stream().map(String::valueOf).toList();
        return new Me(new Person(me.getString("id"), email, me.getString("displayName"), me.getString("orgId")),
                roleIds);
    }

    public Subscription createSubscription(String orgId, String name, String description, List<String> eventTypes,
                                           String destinationUrl, String secret) {
        JsonObject body = new JsonObject().put("name", name).put("description", description)
                .put("eventTypes", new JsonArray(eventTypes)).put("destinationUrl", destinationUrl).put("secret", secret);
        WebexHttp.Answer answer = links.call(orgId, HttpMethod.POST, cc() + "/v1/subscriptions", Map.of(), body);
        requireOk(answer, "registering the subscription");
        return subscription(answer.body());
    }

    /** The subscription, or empty when Webex no longer has it. */
    public Optional<Subscription> subscription(String orgId, String id) {
        WebexHttp.Answer answer = links.call(orgId, HttpMethod.GET, cc() + "/v1/subscriptions/" + encode(id),
                Map.of(), null);
        if (answer.status() == 404) {
            return Optional.empty();
        }
        requireOk(answer, "reading the subscription");
        return Optional.of(subscription(answer.body()));
    }

    /** Deletes the subscription; one Webex no longer has counts as deleted. */
    public void deleteSubscription(String orgId, String id) {
        WebexHttp.Answer answer = links.call(orgId, HttpMethod.DELETE, cc() + "/v1/subscriptions/" + encode(id),
                Map.of(), null);
        if (answer.status() != 404) {
            requireOk(answer, "deleting the subscription");
        }
    }

    /** The org's active idle codes, every page. */
    public List<IdleCode> idleCodes(String orgId) {
        List<IdleCode> codes = new ArrayList<>();
        for (JsonObject code : pages(orgId, "auxiliary-code", "filter="
                + encode("workTypeCode==\"IDLE_CODE\"") + "&")) {
            if (code.getBoolean("active", true) && "IDLE_CODE".equals(code.getString("workTypeCode", "IDLE_CODE"))) {
                codes.add(new IdleCode(code.getString("id"), code.getString("name"),
                        code.getBoolean("defaultCode", false)));
            }
        }
        return codes;
    }

    /** The org's desktop profiles, every page. */
    public List<Profile> profiles(String orgId) {
        return pages(orgId, "agent-profile", "").stream()
                .map(p -> new Profile(p.getString("id"), p.getString("name")))
                .toList();
    }

    /** The agent's Contact Center user, or empty when Webex knows no user with that CI id. */
    public Optional<User> userByCiId(String orgId, String agentId) {
        WebexHttp.Answer answer = links.call(orgId, HttpMethod.GET, org(orgId) + "/v2/user/by-ci-user-id/"
                + encode(agentId), Map.of(), null);
        if (answer.status() == 404) {
            return Optional.empty();
        }
        requireOk(answer, "reading the agent's user");
        return Optional.of(new User(answer.body().getString("email"), answer.body().getString("agentProfileId")));
    }

    /** {@code PUT /v1/agents/session/state}; answers Webex's answer for the caller to classify. */
    public WebexHttp.Answer setState(String orgId, JsonObject body, String trackingId) {
        return links.call(orgId, HttpMethod.PUT, cc() + "/v1/agents/session/state", Map.of("TrackingID", trackingId),
                body);
    }

    /** Follows {@code meta.totalPages} (and {@code meta.links.next}) from page 0. */
    private List<JsonObject> pages(String orgId, String list, String query) {
        List<JsonObject> items = new ArrayList<>();
        for (int page = 0; page < MAX_PAGES; page++) {
            WebexHttp.Answer answer = links.call(orgId, HttpMethod.GET, org(orgId) + "/v2/" + list + "?" + query
                    + "page=" + page + "&pageSize=" + PAGE_SIZE, Map.of(), null);
            requireOk(answer, "listing " + list);
            JsonArray data = answer.body().getJsonArray("data", new JsonArray());
            for (int i = 0; i < data.size(); i++) {
                items.add(data.getJsonObject(i));
            }
            JsonObject meta = answer.body().getJsonObject("meta", new JsonObject());
            JsonObject pageLinks = meta.getJsonObject("links", new JsonObject());
            int totalPages = meta.getInteger("totalPages", 1);
            if (data.isEmpty() || (page + 1 >= totalPages && pageLinks.getString("next") == null)) {
                break;
            }
        }
        return items;
    }

    private static Subscription subscription(JsonObject body) {
        JsonObject data = body == null ? null : body.getJsonObject("data", body);
        if (data == null || data.getString("id") == null) {
            throw new WebexException(Kind.REJECTED, 0, "Webex answered a subscription without an id");
        }
        return new Subscription(data.getString("id"), data.getString("status", "active"));
    }

    /** Throws the classified failure unless the answer is 2xx with a body where one is expected. */
    static void requireOk(WebexHttp.Answer answer, String what) {
        if (answer.ok()) {
            if (answer.body() == null && answer.status() != 202 && answer.status() != 204) {
                throw new WebexException(Kind.UNAVAILABLE, answer.status(), "Webex answered no JSON " + what);
            }
            return;
        }
        throw failure(answer, what);
    }

    static WebexException failure(WebexHttp.Answer answer, String what) {
        int status = answer.status();
        String message = "Webex answered HTTP " + status + " " + what;
        if (status == 429) {
            return new WebexException(Kind.THROTTLED, status, message, answer.retryAfter());
        }
        if (status >= 500 || status == 408) {
            return new WebexException(Kind.UNAVAILABLE, status, message);
        }
        if (status == 404) {
            return new WebexException(Kind.NOT_FOUND, status, message);
        }
        if (status == 401 || status == 403) {
            return new WebexException(Kind.UNAUTHORIZED, status, message);
        }
        return new WebexException(Kind.REJECTED, status, message);
    }

    private String base() {
        return WebexOAuth.trimSlash(config.webexUrl());
    }

    private String cc() {
        return WebexOAuth.trimSlash(config.webexCcUrl());
    }

    private String org(String orgId) {
        return cc() + "/organization/" + encode(orgId);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
