package io.teamsconnector.graph;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.teamsconnector.domain.TeamsPresence;
import io.teamsconnector.graph.GraphException.Kind;
import io.teamsconnector.graph.GraphGateway.PresenceSubscription;
import io.teamsconnector.graph.GraphGateway.SubscriptionRequest;
import io.teamsconnector.graph.GraphGateway.UsersDeltaPage;
import io.teamsconnector.support.EntraFake;
import io.teamsconnector.support.GraphFake;
import io.teamsconnector.support.FakesResource;
import io.teamsconnector.support.TestDatabase;
import io.teamsconnector.support.WebhookReceiver;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(FakesResource.class)
class SdkGraphGatewayTest {

    static final String ADA = "66825e03-7ef5-42da-9069-4da7d4f8e7a5";
    static final String BOB = "3b1e6d5a-1c1f-4e0b-9d5e-2b7c1f0e9a11";

    @Inject
    GraphGateway gateway;

    @Inject
    TestDatabase db;

    EntraFake entra;
    GraphFake graph;
    String tenant;

    @BeforeEach
    void setUp() {
        entra = FakesResource.entra();
        graph = FakesResource.graph();
        entra.reset();
        graph.reset();
        // a tenant of its own per test, so no token is cached from an earlier test
        tenant = UUID.randomUUID().toString();
    }

    @AfterEach
    void tearDown() {
        entra.releaseHang();
    }

    @Test
    void readsPresencesInBulkAndLeavesOutUnknownIds() {
        Map<String, TeamsPresence> presences = gateway.presencesByUserId(tenant, List.of(ADA, BOB, UUID.randomUUID().toString()));

        assertEquals(Map.of(ADA, new TeamsPresence("Busy", "InACall"), BOB, new TeamsPresence("Available", "Available")),
                presences);
        GraphFake.Request request = graph.requests().get(0);
        assertEquals("/v1.0/communications/getPresencesByUserId", request.path());
        assertTrue(request.body().contains(ADA) && request.body().contains(BOB));
    }

    @Test
    void parsesTheRecordedPresenceBatch() {
        graph.enqueue(new GraphFake.Scripted("POST", "/getPresencesByUserId", 200, Map.of(),
                GraphFake.fixture("get-presences-by-user-id.response.json")));

        Map<String, TeamsPresence> presences = gateway.presencesByUserId(tenant, List.of(ADA, BOB));

        assertEquals(Map.of(ADA, new TeamsPresence("Busy", "InACall"), BOB, new TeamsPresence("Available", "Available")),
                presences);
    }

    @Test
    void subscriptionRequestHasTheRecordedShape() throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode recorded = json.readTree(GraphFake.fixture("subscription-create.request.json"));
        SubscriptionRequest request = new SubscriptionRequest(recorded.get("resource").asText(),
                recorded.get("notificationUrl").asText(), recorded.get("lifecycleNotificationUrl").asText(),
                recorded.get("clientState").asText(), Instant.parse(recorded.get("expirationDateTime").asText()),
                recorded.get("encryptionCertificate").asText(), recorded.get("encryptionCertificateId").asText());
        // the recorded expiry has passed and example.com is not ours, so the fake would refuse, as Graph
        // would: only the shape of what is sent matters here
        graph.enqueue(new GraphFake.Scripted("POST", "/subscriptions", 201, Map.of(),
                "{\"id\":\"7f105c7d-2dc5-4530-97cd-4e7ae6534c07\",\"expirationDateTime\":\"2026-11-23T19:00:00Z\"}"));

        gateway.createSubscription("delegated-token-1", request);

        JsonNode sent = json.readTree(graph.requests().get(0).body());
        recorded.fieldNames().forEachRemaining(field -> {
            if (field.equals("expirationDateTime")) {
                assertEquals(Instant.parse(recorded.get(field).asText()), Instant.parse(sent.get(field).asText()));
            } else {
                assertEquals(recorded.get(field), sent.get(field), field);
            }
        });
    }

    @Test
    void oneTokenRequestServesManyGraphCalls() {
        for (int i = 0; i < 5; i++) {
            gateway.presencesByUserId(tenant, List.of(ADA));
        }

        assertEquals(1, entra.count(tenant, "client_credentials"));
        assertEquals(5, graph.count("POST", "/getPresencesByUserId"));
        Set<String> authorizations = graph.requests().stream().map(GraphFake.Request::authorization)
                .collect(Collectors.toSet());
        assertEquals(1, authorizations.size());
        EntraFake.TokenRequest tokenRequest = entra.requests().get(0);
        assertEquals("https://graph.microsoft.com/.default", tokenRequest.form().get("scope"));
        assertEquals(EntraFake.CLIENT_ID, tokenRequest.form().get("client_id"));
    }

    @Test
    void concurrentCallsShareOneTokenRequest() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Map<String, TeamsPresence>>> calls = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                calls.add(() -> gateway.presencesByUserId(tenant, List.of(ADA)));
            }
            for (Future<Map<String, TeamsPresence>> f : pool.invokeAll(calls)) {
                assertEquals(1, f.get().size());
            }
        } finally {
            pool.shutdownNow();
        }

        assertEquals(1, entra.count(tenant, "client_credentials"));
        assertEquals(16, graph.count("POST", "/getPresencesByUserId"));
    }

    @Test
    void graphCallsAreMeasured() {
        gateway.presencesByUserId(tenant, List.of(ADA));

        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("graph_calls_seconds_count{operation=\"getPresencesByUserId\",outcome=\"ok\"}"))
                .body(containsString("entra_token_requests_total{grant=\"client_credentials\",outcome=\"ok\"}"));
    }

    @Test
    void tokensAreRenewedShortlyBeforeExpiry() {
        entra.expiresIn(60); // inside the 5 minute renewal skew: every call needs a new token
        gateway.presencesByUserId(tenant, List.of(ADA));
        gateway.presencesByUserId(tenant, List.of(ADA));

        assertEquals(2, entra.count(tenant, "client_credentials"));
    }

    @Test
    void honoursRetryAfterOn429() {
        List<Duration> waits = recordPauses();
        graph.enqueue("POST", "/getPresencesByUserId", 429, Map.of("Retry-After", "1"));

        Map<String, TeamsPresence> presences = gateway.presencesByUserId(tenant, List.of(ADA));

        assertEquals(new TeamsPresence("Busy", "InACall"), presences.get(ADA));
        assertEquals(2, graph.count("POST", "/getPresencesByUserId"));
        assertEquals(List.of(Duration.ofSeconds(1)), waits, "Graph's Retry-After, waited once");
    }

    /** The retry waits asked for from now on, recorded instead of slept. */
    private static List<Duration> recordPauses() {
        List<Duration> waits = new java.util.concurrent.CopyOnWriteArrayList<>();
        QuarkusMock.installMockForType(new RetryPause() {
            @Override
            public void pause(Duration delay) {
                waits.add(delay);
            }
        }, RetryPause.class);
        return waits;
    }

    @Test
    void retryAfterLongerThanTheBoundEndsAsThrottled() {
        graph.enqueue("POST", "/getPresencesByUserId", 429, Map.of("Retry-After", "3600"));

        GraphException e = assertThrows(GraphException.class, () -> gateway.presencesByUserId(tenant, List.of(ADA)));

        assertEquals(Kind.THROTTLED, e.kind());
        assertEquals(1, graph.count("POST", "/getPresencesByUserId"));
    }

    @Test
    void retries5xxWithBackoff() {
        List<Duration> waits = recordPauses();
        graph.enqueue("POST", "/getPresencesByUserId", 503, Map.of());
        graph.enqueue("POST", "/getPresencesByUserId", 500, Map.of());

        Map<String, TeamsPresence> presences = gateway.presencesByUserId(tenant, List.of(BOB));

        assertEquals(new TeamsPresence("Available", "Available"), presences.get(BOB));
        assertEquals(3, graph.count("POST", "/getPresencesByUserId"));
        // %test.connector.graph-retry-backoff=10ms, doubling
        assertEquals(List.of(Duration.ofMillis(10), Duration.ofMillis(20)), waits);
    }

    @Test
    void persistent5xxEndsAsUnavailableWithoutSdkTypes() {
        for (int i = 0; i < 3; i++) {
            graph.enqueue("POST", "/getPresencesByUserId", 502, Map.of());
        }

        GraphException e = assertThrows(GraphException.class, () -> gateway.presencesByUserId(tenant, List.of(BOB)));

        assertEquals(Kind.UNAVAILABLE, e.kind());
        assertEquals(502, e.status());
        assertEquals(3, graph.count("POST", "/getPresencesByUserId"));
        assertEquals(null, e.getCause());
        assertTrue(!e.getMessage().contains("microsoft"), e.getMessage());
    }

    @Test
    void entraTimeoutIsUnavailable() {
        entra.hangFor(Duration.ofSeconds(30));

        GraphException e = assertThrows(GraphException.class, () -> gateway.verifyAppConsent(tenant));

        assertEquals(Kind.UNAVAILABLE, e.kind());
    }

    @Test
    void refusedTenantIsUnauthorized() {
        entra.refuseTenant(tenant, 400, "unauthorized_client", "AADSTS700016");

        GraphException e = assertThrows(GraphException.class, () -> gateway.verifyAppConsent(tenant));

        assertEquals(Kind.UNAUTHORIZED, e.kind());
        assertTrue(e.getMessage().contains("AADSTS700016"), e.getMessage());
        assertEquals(1, entra.count(tenant, "client_credentials"), "a refusal is not retried");
    }

    @Test
    void malformedTenantNeverReachesEntra() {
        GraphException e = assertThrows(GraphException.class, () -> gateway.verifyAppConsent("../evil/x"));

        assertEquals(Kind.REJECTED, e.kind());
        assertEquals(0, entra.requests().size());
    }

    @Test
    void unauthorizedFromGraphDropsTheCachedTokenOnce() {
        gateway.presencesByUserId(tenant, List.of(ADA));
        graph.enqueue("POST", "/getPresencesByUserId", 401, Map.of());

        gateway.presencesByUserId(tenant, List.of(ADA));

        assertEquals(2, entra.count(tenant, "client_credentials"));
        List<GraphFake.Request> calls = graph.requests();
        assertNotEquals(calls.get(0).authorization(), calls.get(2).authorization());
    }

    @Test
    void setsAndClearsTheApplicationsPresenceSessionWithinTheTenantsBudget() throws Exception {
        gateway.setPresence(tenant, ADA, new TeamsPresence("Busy", "InACall"), Duration.ofHours(1));

        GraphFake.Request set = graph.requests().get(graph.requests().size() - 1);
        assertEquals("/v1.0/users/" + ADA + "/presence/setPresence", set.path());
        JsonNode body = new ObjectMapper().readTree(set.body());
        assertEquals(EntraFake.CLIENT_ID, body.get("sessionId").asText(), "the session is the application's own");
        assertEquals("Busy", body.get("availability").asText());
        assertEquals("InACall", body.get("activity").asText());
        assertEquals("PT1H", body.get("expirationDuration").asText());
        assertEquals(List.of("Busy", "InACall"), List.of(graph.presenceOf(ADA)), "Teams shows our session");

        gateway.clearPresence(tenant, ADA);
        GraphFake.Request clear = graph.requests().get(graph.requests().size() - 1);
        assertEquals("/v1.0/users/" + ADA + "/presence/clearPresence", clear.path());
        assertEquals(null, graph.presenceSessions().session(ADA));
        gateway.clearPresence(tenant, ADA); // Graph's 404: nothing left to clear counts as cleared
        // (room is leased a few requests at a time: at least the three requests made are counted)
        assertTrue(budgetUsed() >= 3, "writes count against the tenant's presence budget, as reads do");
    }

    @Test
    void aTenantWithoutPresenceReadWriteAllIsRefusedAsUnauthorized() {
        graph.presenceSessions().denyWrite(tenant);

        GraphException e = assertThrows(GraphException.class,
                () -> gateway.setPresence(tenant, ADA, new TeamsPresence("Busy", "InACall"), Duration.ofHours(1)));

        assertEquals(Kind.UNAUTHORIZED, e.kind());
        assertEquals(403, e.status());
    }

    private long budgetUsed() {
        return db.count("SELECT COALESCE(sum(used), 0) FROM presence_budget WHERE tenant_id = $1", tenant);
    }

    @Test
    void findsUserByMail() {
        graph.addUser(ADA, "ada@contoso.example");

        assertEquals(Optional.of(ADA), gateway.userIdByEmail(tenant, "Ada@contoso.example"));
        assertEquals(Optional.empty(), gateway.userIdByEmail(tenant, "o'brien@contoso.example"));
        assertTrue(graph.requests().get(1).query().contains("o%27%27brien") || graph.requests().get(1).query().contains("o''brien"));
    }

    @Test
    void pagesUsersDeltaOnTheConfiguredHost() {
        UsersDeltaPage first = gateway.usersDelta(tenant, null);

        assertEquals(1, first.users().size());
        assertEquals("Ada Lovelace", first.users().get(0).displayName());
        assertEquals(List.of("+44 20 7946 0018"), first.users().get(0).businessPhones());
        assertEquals(List.of("0c1f7b3e-8f4a-4d5c-a1b2-c3d4e5f60718"), first.removedIds());
        assertTrue(first.nextLink().contains("skiptoken=pageTwoToken"));
        assertTrue(graph.requests().get(0).query().contains("select"));

        UsersDeltaPage second = gateway.usersDelta(tenant, first.nextLink());

        assertEquals(List.of(), second.users());
        assertEquals(null, second.nextLink());
        assertTrue(second.deltaLink().contains("deltatoken=round1"));
        assertEquals(2, graph.requests().stream().filter(r -> r.path().startsWith("/v1.0/users/delta")).count(),
                "the link was followed on the fake, not on graph.microsoft.com");
    }

    @Test
    void managesSubscriptionsWithADelegatedToken() {
        // endpoints that answer Graph's validation handshake, or the fake refuses the subscription
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            Instant expiry = Instant.now().plus(30, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
            SubscriptionRequest request = new SubscriptionRequest("/communications/presences?$filter=id in ('" + ADA + "')",
                    receiver.url("/graph/notifications"), receiver.url("/graph/lifecycle"),
                    "client-state-1", expiry, null, null);

            PresenceSubscription created = gateway.createSubscription("delegated-token-1", request);
            assertEquals(expiry, created.expiresAt());
            assertEquals(request.resource(), created.resource());
            GraphFake.Request create = graph.requests().get(0);
            assertEquals("Bearer delegated-token-1", create.authorization());
            assertTrue(create.body().contains("\"changeType\":\"updated\""), create.body());
            assertTrue(create.body().contains("client-state-1"));

            assertEquals(2, receiver.handshakes().size());

            Instant later = expiry.plus(25, ChronoUnit.MINUTES);
            assertEquals(later, gateway.renewSubscription("delegated-token-1", created.id(), later).expiresAt());
            gateway.reauthorizeSubscription("delegated-token-1", created.id());
            gateway.deleteSubscription("delegated-token-1", created.id());
            gateway.deleteSubscription("delegated-token-1", created.id()); // already gone: still fine
            assertEquals(Map.of(), graph.subscriptions());

            GraphException e = assertThrows(GraphException.class,
                    () -> gateway.renewSubscription("delegated-token-1", "unknown", later));
            assertEquals(Kind.NOT_FOUND, e.kind());
        }
    }

    @Test
    void subscriptionCreateIsNotRetriedOn5xx() {
        graph.enqueue("POST", "/subscriptions", 503, Map.of());
        SubscriptionRequest request = new SubscriptionRequest("/communications/presences?$filter=id in ('" + ADA + "')",
                "https://c.example/graph/notifications", "https://c.example/graph/lifecycle", "cs",
                Instant.now().plus(50, ChronoUnit.MINUTES), null, null);

        GraphException e = assertThrows(GraphException.class, () -> gateway.createSubscription("t", request));

        assertEquals(Kind.UNAVAILABLE, e.kind());
        assertEquals(1, graph.count("POST", "/subscriptions"));
    }
}
