package io.teamsconnector.support;

import io.teamsconnector.security.Pem;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.teamsconnector.support.GraphFake.FakeSubscription;
import io.teamsconnector.support.WebhookReceiver.Handshake;
import io.teamsconnector.support.WebhookReceiver.Received;

import io.teamsconnector.webhook.RichContent;
import io.teamsconnector.webhook.RichContent.EncryptedContent;
import io.teamsconnector.webhook.SigningKeys;
import io.teamsconnector.webhook.ValidationTokens;
import io.teamsconnector.webhook.ValidationTokens.Refusal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GraphFake's presence subscriptions against a webhook receiver: Graph's validation, handshake, expiry, delivery. */
class GraphFakeSubscriptionsTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String TENANT = "aaaaaaaa-0000-0000-0000-000000000001";
    static final String OTHER_TENANT = "bbbbbbbb-0000-0000-0000-000000000002";
    static final String SERVICE_ACCOUNT = "5e1f0c2a-0000-4000-8000-00000000aaaa";
    static final String ADA = "66825e03-7ef5-42da-9069-4da7d4f8e7a5";
    static final String BOB = "3b1e6d5a-1c1f-4e0b-9d5e-2b7c1f0e9a11";
    static final String TOKEN_PREFIX = "Validation: Testing client application reachability for subscription Request-Id: ";

    static GraphFake graph;
    static WebhookReceiver receiver;
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() {
        graph = new GraphFake();
    }

    @AfterAll
    static void stop() {
        graph.close();
    }

    @BeforeEach
    void setUp() {
        graph.reset();
        receiver = new WebhookReceiver();
    }

    @AfterEach
    void tearDown() {
        receiver.close();
    }

    @Test
    void createsTheSubscriptionOnceBothUrlsPassTheHandshake() throws Exception {
        Instant expiry = Instant.now().plus(45, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        Map<String, Object> request = basicRequest();
        request.put("expirationDateTime", expiry.toString());

        HttpResponse<String> response = call("POST", "/subscriptions", request, bearer(TENANT, SERVICE_ACCOUNT));

        assertEquals(201, response.statusCode(), response.body());
        JsonNode created = JSON.readTree(response.body());
        String id = created.get("id").asText();
        UUID.fromString(id);
        assertEquals(request.get("resource"), created.get("resource").asText());
        assertEquals("updated", created.get("changeType").asText());
        assertEquals("client-state-1", created.get("clientState").asText());
        assertEquals(receiver.url("/notifications"), created.get("notificationUrl").asText());
        assertEquals(receiver.url("/lifecycle"), created.get("lifecycleNotificationUrl").asText());
        assertEquals(expiry.toString(), created.get("expirationDateTime").asText(), "ISO-8601 UTC with Z");
        assertFalse(created.get("includeResourceData").asBoolean());
        assertEquals(EntraFake.CLIENT_ID, created.get("applicationId").asText());
        assertEquals(SERVICE_ACCOUNT, created.get("creatorId").asText());

        List<Received> handshakes = receiver.handshakes();
        assertEquals(List.of("/notifications", "/lifecycle"), handshakes.stream().map(Received::path).toList());
        for (Received handshake : handshakes) {
            assertEquals("text/plain", handshake.contentType());
            assertEquals("", handshake.body());
            assertTrue(handshake.validationToken().startsWith(TOKEN_PREFIX), handshake.validationToken());
            assertTrue(handshake.validationToken().endsWith(" %41 <>&+"), "characters that need escaping");
            assertTrue(handshake.rawQuery().contains("%2541") && handshake.rawQuery().contains("%2B"),
                    handshake.rawQuery());
        }
        assertNotEquals(handshakes.get(0).validationToken(), handshakes.get(1).validationToken(), "fresh per request");

        assertEquals(List.of(new FakeSubscription(id, List.of(ADA, BOB), "client-state-1", expiry,
                receiver.url("/notifications"), receiver.url("/lifecycle"), false, null, TENANT)),
                graph.liveSubscriptions(TENANT));
        assertEquals(List.of(), graph.liveSubscriptions(OTHER_TENANT));
    }

    @Test
    void withoutALifecycleUrlOnlyTheNotificationUrlIsValidated() throws Exception {
        Map<String, Object> request = basicRequest();
        request.remove("lifecycleNotificationUrl");

        HttpResponse<String> response = call("POST", "/subscriptions", request, bearer(TENANT, null));

        assertEquals(201, response.statusCode(), response.body());
        assertEquals(List.of("/notifications"), receiver.handshakes().stream().map(Received::path).toList());
        assertTrue(JSON.readTree(response.body()).get("creatorId").isNull(), "a token without oid has no creator");
        assertNull(graph.liveSubscriptions().get(0).lifecycleNotificationUrl());
    }

    @Test
    void aUrlThatHasAQueryGetsTheTokenAppendedWithAmpersand() throws Exception {
        Map<String, Object> request = basicRequest();
        request.put("notificationUrl", receiver.url("/notifications") + "?org=acme");

        assertEquals(201, call("POST", "/subscriptions", request, bearer(TENANT, null)).statusCode());

        String query = receiver.handshakes().get(0).rawQuery();
        assertTrue(query.startsWith("org=acme&validationToken="), query);
    }

    @ParameterizedTest
    @EnumSource(value = Handshake.class, names = {"WRONG_BODY", "WRONG_STATUS", "WRONG_CONTENT_TYPE"})
    void aWrongHandshakeAnswerOnEitherUrlRefusesTheSubscription(Handshake answer) throws Exception {
        for (String path : List.of("/notifications", "/lifecycle")) {
            graph.reset();
            receiver.handshake("/notifications", Handshake.ECHO);
            receiver.handshake("/lifecycle", Handshake.ECHO);
            receiver.handshake(path, answer);

            HttpResponse<String> response = call("POST", "/subscriptions", basicRequest(), bearer(TENANT, null));

            assertValidationError(response);
            assertEquals(List.of(), graph.liveSubscriptions(), path);
        }
    }

    @Test
    void anUnreachableEndpointRefusesTheSubscription() throws Exception {
        WebhookReceiver gone = new WebhookReceiver();
        String url = gone.url("/lifecycle");
        gone.close();
        Map<String, Object> request = basicRequest();
        request.put("lifecycleNotificationUrl", url);

        assertValidationError(call("POST", "/subscriptions", request, bearer(TENANT, null)));
        assertEquals(List.of(), graph.liveSubscriptions());
    }

    @Test
    void anEndpointThatDoesNotAnswerInTimeRefusesTheSubscription() throws Exception {
        graph.handshakeTimeout(Duration.ofMillis(300));
        receiver.handshake("/notifications", Handshake.HANG);

        HttpResponse<String> response = call("POST", "/subscriptions", basicRequest(), bearer(TENANT, null));
        receiver.release();

        assertValidationError(response);
        assertTrue(response.body().contains("did not answer"), response.body());
        assertEquals(List.of(), graph.liveSubscriptions());
    }

    static Stream<Arguments> invalidRequests() {
        String cert = Base64.getEncoder().encodeToString("not a certificate".getBytes(StandardCharsets.UTF_8));
        return Stream.of(
                invalid("another changeType", r -> r.put("changeType", "created")),
                invalid("no changeType", r -> r.remove("changeType")),
                invalid("another resource", r -> r.put("resource", "/users")),
                invalid("presences without a filter", r -> r.put("resource", "/communications/presences")),
                invalid("a filter without ids", r -> r.put("resource", "/communications/presences?$filter=id in ()")),
                invalid("unquoted ids", r -> r.put("resource", "/communications/presences?$filter=id in (" + ADA + ")")),
                invalid("651 ids", r -> r.put("resource", filter(651))),
                invalid("no clientState", r -> r.remove("clientState")),
                invalid("an empty clientState", r -> r.put("clientState", "")),
                invalid("a clientState of 129 characters", r -> r.put("clientState", "c".repeat(129))),
                invalid("no notificationUrl", r -> r.remove("notificationUrl")),
                invalid("a notificationUrl that is no URL", r -> r.put("notificationUrl", "not a url")),
                invalid("an ftp notificationUrl", r -> r.put("notificationUrl", "ftp://127.0.0.1/n")),
                invalid("a relative lifecycleNotificationUrl", r -> r.put("lifecycleNotificationUrl", "/lifecycle")),
                invalid("no expirationDateTime", r -> r.remove("expirationDateTime")),
                invalid("an expiry that is no date", r -> r.put("expirationDateTime", "in an hour")),
                invalid("an expiry in the past", r -> r.put("expirationDateTime", Instant.now().minusSeconds(60).toString())),
                invalid("an expiry 62 minutes away", r -> r.put("expirationDateTime",
                        Instant.now().plus(62, ChronoUnit.MINUTES).toString())),
                invalid("resource data without a certificate", r -> {
                    r.put("includeResourceData", true);
                    r.put("encryptionCertificateId", "test-encryption-1");
                }),
                invalid("resource data with a certificate that does not parse", r -> {
                    r.put("includeResourceData", true);
                    r.put("encryptionCertificate", cert);
                    r.put("encryptionCertificateId", "test-encryption-1");
                }),
                invalid("resource data with a certificate that is not base64", r -> {
                    r.put("includeResourceData", true);
                    r.put("encryptionCertificate", "%%%");
                    r.put("encryptionCertificateId", "test-encryption-1");
                }),
                invalid("resource data without a certificate id", r -> {
                    r.putAll(richRequest());
                    r.remove("encryptionCertificateId");
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRequests")
    void anInvalidRequestIsRefusedBeforeAnyHandshake(String what, Consumer<Map<String, Object>> change) throws Exception {
        Map<String, Object> request = basicRequest();
        change.accept(request);

        HttpResponse<String> response = call("POST", "/subscriptions", request, bearer(TENANT, null));

        assertEquals(400, response.statusCode(), response.body());
        assertEquals("InvalidRequest", JSON.readTree(response.body()).at("/error/code").asText());
        assertFalse(JSON.readTree(response.body()).at("/error/message").asText().isEmpty());
        assertEquals(List.of(), receiver.handshakes());
        assertEquals(List.of(), graph.liveSubscriptions());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{not json", "[]", ""})
    void aBodyThatIsNotAJsonObjectIsRefused(String body) throws Exception {
        HttpResponse<String> response = send("POST", "/subscriptions", body, bearer(TENANT, null));

        assertEquals(400, response.statusCode());
        assertEquals("InvalidRequest", JSON.readTree(response.body()).at("/error/code").asText());
    }

    @Test
    void theLimitsThemselvesAreAccepted() throws Exception {
        Map<String, Object> request = basicRequest();
        request.put("resource", filter(650));
        request.put("clientState", "c".repeat(128));
        // an hour, and Graph's minute of slack
        request.put("expirationDateTime", Instant.now().plus(60, ChronoUnit.MINUTES).plusSeconds(30).toString());

        HttpResponse<String> response = call("POST", "/subscriptions", request, bearer(TENANT, null));

        assertEquals(201, response.statusCode(), response.body());
        assertEquals(650, graph.liveSubscriptions().get(0).userIds().size());
    }

    @Test
    void aRequestWithoutBearerTokenIsUnauthorized() throws Exception {
        assertEquals(401, call("POST", "/subscriptions", basicRequest(), null).statusCode());
        assertEquals(List.of(), receiver.handshakes());
    }

    @Test
    void renewingMovesTheExpiry() throws Exception {
        String id = create(basicRequest(), TENANT);
        Instant later = Instant.now().plus(59, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);

        HttpResponse<String> response = call("PATCH", "/subscriptions/" + id,
                Map.of("expirationDateTime", later.toString()), bearer(TENANT, null));

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(later.toString(), JSON.readTree(response.body()).get("expirationDateTime").asText());
        assertEquals(id, JSON.readTree(response.body()).get("id").asText());
        assertEquals(later, graph.liveSubscriptions().get(0).expiresAt());
    }

    @Test
    void aRenewalBeyondAnHourOrIntoThePastIsRefused() throws Exception {
        String id = create(basicRequest(), TENANT);
        Instant before = graph.liveSubscriptions().get(0).expiresAt();

        for (Object expiry : new Object[] {Instant.now().plus(62, ChronoUnit.MINUTES).toString(),
            Instant.now().minusSeconds(5).toString(), "soon"}) {
            HttpResponse<String> response = call("PATCH", "/subscriptions/" + id,
                    Map.of("expirationDateTime", expiry), bearer(TENANT, null));
            assertEquals(400, response.statusCode(), String.valueOf(expiry));
            assertEquals("InvalidRequest", JSON.readTree(response.body()).at("/error/code").asText());
        }
        assertEquals(400, send("PATCH", "/subscriptions/" + id, "{}", bearer(TENANT, null)).statusCode());
        assertEquals(before, graph.liveSubscriptions().get(0).expiresAt());
    }

    @Test
    void renewingAnExpiredSubscriptionIsNotFoundAndItIsGone() throws Exception {
        String id = create(basicRequest(), TENANT);
        graph.expire(id);

        HttpResponse<String> response = call("PATCH", "/subscriptions/" + id,
                Map.of("expirationDateTime", Instant.now().plus(30, ChronoUnit.MINUTES).toString()), bearer(TENANT, null));

        assertEquals(404, response.statusCode());
        assertEquals("ResourceNotFound", JSON.readTree(response.body()).at("/error/code").asText());
        assertEquals(List.of(), graph.liveSubscriptions());
        assertThrows(IllegalArgumentException.class, () -> graph.setExpiry(id, Instant.now().plusSeconds(600)),
                "removed, not just hidden");
        assertEquals(404, call("PATCH", "/subscriptions/" + UUID.randomUUID(),
                Map.of("expirationDateTime", Instant.now().plusSeconds(600).toString()), bearer(TENANT, null)).statusCode());
    }

    @Test
    void readReauthorizeAndDelete() throws Exception {
        String id = create(basicRequest(), TENANT);
        String token = bearer(TENANT, null);

        HttpResponse<String> read = send("GET", "/subscriptions/" + id, null, token);
        assertEquals(200, read.statusCode());
        assertEquals("client-state-1", JSON.readTree(read.body()).get("clientState").asText());
        assertEquals(204, send("POST", "/subscriptions/" + id + "/reauthorize", null, token).statusCode());
        assertEquals(204, send("DELETE", "/subscriptions/" + id, null, token).statusCode());

        assertEquals(404, send("GET", "/subscriptions/" + id, null, token).statusCode());
        assertEquals(404, send("DELETE", "/subscriptions/" + id, null, token).statusCode());
        assertEquals(404, send("POST", "/subscriptions/" + id + "/reauthorize", null, token).statusCode());
        assertEquals(List.of(), graph.liveSubscriptions());
    }

    @Test
    void anExpiredSubscriptionCannotBeReadReauthorizedOrDeleted() throws Exception {
        String token = bearer(TENANT, null);
        String id = create(basicRequest(), TENANT);
        graph.expire(id);
        assertEquals(404, send("POST", "/subscriptions/" + id + "/reauthorize", null, token).statusCode());

        String other = create(basicRequest(), TENANT);
        graph.setExpiry(other, Instant.now().minusMillis(1));
        assertEquals(404, send("GET", "/subscriptions/" + other, null, token).statusCode());
        String third = create(basicRequest(), TENANT);
        graph.expire(third);
        assertEquals(404, send("DELETE", "/subscriptions/" + third, null, token).statusCode());
        assertEquals(Map.of(), graph.subscriptions());
    }

    @Test
    void anotherTenantsTokenDoesNotFindTheSubscription() throws Exception {
        String id = create(basicRequest(), TENANT);
        String foreign = bearer(OTHER_TENANT, null);

        assertEquals(404, send("GET", "/subscriptions/" + id, null, foreign).statusCode());
        assertEquals(404, send("DELETE", "/subscriptions/" + id, null, foreign).statusCode());
        assertEquals(1, graph.liveSubscriptions(TENANT).size());
    }

    @Test
    void notifyPresenceDeliversABasicNotificationShapedLikeGraphs() throws Exception {
        String id = create(basicRequest(), TENANT);
        FakeSubscription subscription = graph.liveSubscriptions().get(0);

        assertEquals(202, graph.notifyPresence(ADA));

        List<Received> delivered = receiver.notifications("/notifications");
        assertEquals(1, delivered.size());
        assertTrue(delivered.get(0).contentType().startsWith("application/json"));
        JsonNode collection = JSON.readTree(delivered.get(0).body());
        JsonNode recorded = JSON.readTree(GraphFake.fixture("notification-basic-presence.json"));
        assertEquals(fieldNames(recorded), fieldNames(collection));
        JsonNode item = collection.get("value").get(0);
        assertEquals(fieldNames(recorded.get("value").get(0)), fieldNames(item));
        assertEquals(id, item.get("subscriptionId").asText());
        assertEquals(subscription.expiresAt(),
                OffsetDateTime.parse(item.get("subscriptionExpirationDateTime").asText()).toInstant());
        assertEquals("updated", item.get("changeType").asText());
        assertEquals("communications/presences/" + ADA, item.get("resource").asText());
        assertEquals("client-state-1", item.get("clientState").asText());
        assertEquals(TENANT, item.get("tenantId").asText());
        assertEquals(JSON.readTree("{\"@odata.type\":\"#Microsoft.Graph.presence\",\"@odata.id\":"
                + "\"communications/presences/" + ADA + "\",\"id\":\"" + ADA + "\"}"), item.get("resourceData"));
    }

    @Test
    void notifyPresenceReachesOnlySubscriptionsCoveringTheUserAndReturnsTheirAnswer() throws Exception {
        create(basicRequest(), TENANT);
        receiver.notificationStatus(503);

        assertEquals(0, graph.notifyPresence(UUID.randomUUID().toString()));
        assertEquals(503, graph.notifyPresence(BOB));
        assertEquals(1, receiver.notifications("/notifications").size());
    }

    @Test
    void anExpiredSubscriptionGetsNoNotifications() throws Exception {
        String id = create(basicRequest(), TENANT);
        graph.expire(id);

        assertEquals(0, graph.notifyPresence(ADA));
        assertEquals(List.of(), receiver.notifications("/notifications"));
        assertEquals(List.of(), graph.liveSubscriptions());
    }

    @Test
    void aRichNotificationDecryptsToTheFakesPresenceAndItsTokenPasses() throws Exception {
        graph.setPresence(ADA, "DoNotDisturb", "Presenting");
        Map<String, Object> request = basicRequest();
        request.putAll(richRequest());
        String id = create(request, TENANT);
        assertTrue(graph.liveSubscriptions().get(0).includeResourceData());

        assertEquals(202, graph.notifyPresence(ADA));

        JsonNode collection = JSON.readTree(receiver.notifications("/notifications").get(0).body());
        JsonNode recorded = JSON.readTree(GraphFake.fixture("notification-rich-presence.json"));
        assertEquals(fieldNames(recorded), fieldNames(collection));
        JsonNode item = collection.get("value").get(0);
        assertEquals(fieldNames(recorded.get("value").get(0)), fieldNames(item));
        JsonNode sealed = item.get("encryptedContent");
        assertEquals(fieldNames(recorded.at("/value/0/encryptedContent")), fieldNames(sealed));
        assertEquals(id, item.get("subscriptionId").asText());
        assertEquals("test-encryption-1", sealed.get("encryptionCertificateId").asText());
        assertEquals(recorded.at("/value/0/encryptedContent/encryptionCertificateThumbprint").asText(),
                sealed.get("encryptionCertificateThumbprint").asText());

        RichContent richContent = new RichContent(Map.of("test-encryption-1",
                Pem.privateKey(GraphFake.fixture("test-encryption-key.pem"))));
        String presence = richContent.decrypt(new EncryptedContent(sealed.get("data").asText(),
                sealed.get("dataSignature").asText(), sealed.get("dataKey").asText(),
                sealed.get("encryptionCertificateId").asText()));
        assertEquals(JSON.readTree("{\"@odata.type\":\"#Microsoft.Graph.presence\",\"@odata.id\":"
                + "\"communications/presences/" + ADA + "\",\"id\":\"" + ADA
                + "\",\"availability\":\"DoNotDisturb\",\"activity\":\"Presenting\"}"), JSON.readTree(presence));

        List<String> tokens = new ArrayList<>();
        collection.get("validationTokens").forEach(t -> tokens.add(t.asText()));
        ValidationTokens validation = new ValidationTokens(new SigningKeys(TestSigningKey::jwksJson,
                Duration.ofHours(1), Duration.ofMinutes(5), Clock.systemUTC()), Clock.systemUTC());
        assertEquals(1, tokens.size());
        assertEquals(Optional.empty(), validation.check(tokens, EntraFake.CLIENT_ID, TENANT));
        assertEquals(Optional.of(Refusal.ISSUER), validation.check(tokens, EntraFake.CLIENT_ID, OTHER_TENANT));
    }

    @Test
    void eachRichNotificationIsSealedWithAFreshKey() throws Exception {
        Map<String, Object> request = basicRequest();
        request.putAll(richRequest());
        String id = create(request, TENANT);

        JsonNode first = JSON.readTree(graph.notificationBody(id, ADA)).at("/value/0/encryptedContent");
        JsonNode second = JSON.readTree(graph.notificationBody(id, ADA)).at("/value/0/encryptedContent");

        assertNotEquals(first.get("dataKey"), second.get("dataKey"));
        assertNotEquals(first.get("data"), second.get("data"));
    }

    @Test
    void aNotificationBodyCanBeSentTwiceOrAltered() throws Exception {
        String id = create(basicRequest(), TENANT);
        String body = graph.notificationBody(id, ADA);
        String forged = body.replace("client-state-1", "guessed-state");

        assertEquals(202, graph.post(receiver.url("/notifications"), body));
        assertEquals(202, graph.post(receiver.url("/notifications"), body));
        assertEquals(202, graph.post(receiver.url("/notifications"), forged));

        List<String> bodies = receiver.notifications("/notifications").stream().map(Received::body).toList();
        assertEquals(List.of(body, body, forged), bodies);
        assertThrows(IllegalArgumentException.class, () -> graph.notificationBody("no-such-subscription", ADA));
    }

    @Test
    void aLifecycleNotificationGoesToTheLifecycleUrlShapedLikeGraphs() throws Exception {
        String id = create(basicRequest(), TENANT);

        assertEquals(202, graph.lifecycle(id, "reauthorizationRequired"));

        List<Received> delivered = receiver.notifications("/lifecycle");
        assertEquals(1, delivered.size());
        assertEquals(List.of(), receiver.notifications("/notifications"));
        JsonNode item = JSON.readTree(delivered.get(0).body()).get("value").get(0);
        JsonNode recorded = JSON.readTree(GraphFake.fixture("lifecycle-reauthorization-required.json")).get("value").get(0);
        assertEquals(fieldNames(recorded), fieldNames(item));
        assertEquals(id, item.get("subscriptionId").asText());
        assertEquals(TENANT, item.get("tenantId").asText());
        assertEquals("client-state-1", item.get("clientState").asText());
        assertEquals("reauthorizationRequired", item.get("lifecycleEvent").asText());
    }

    @Test
    void aLifecycleNotificationNeedsALifecycleUrl() throws Exception {
        Map<String, Object> request = basicRequest();
        request.remove("lifecycleNotificationUrl");
        String id = create(request, TENANT);

        assertThrows(IllegalStateException.class, () -> graph.lifecycle(id, "reauthorizationRequired"));
        assertThrows(IllegalArgumentException.class, () -> graph.lifecycle("no-such-subscription", "missed"));
    }

    @Test
    void subscriptionsStillListsTheLiveOnesAsJsonAndResetClearsThem() throws Exception {
        String id = create(basicRequest(), TENANT);

        assertEquals(Set.of(id), graph.subscriptions().keySet());
        assertEquals("client-state-1", JSON.readTree(graph.subscriptions().get(id)).get("clientState").asText());

        graph.reset();
        assertEquals(Map.of(), graph.subscriptions());
        assertEquals(List.of(), graph.liveSubscriptions());
    }

    @Test
    void scriptedAnswersAreStillServedFirst() throws Exception {
        graph.enqueue("POST", "/subscriptions", 503, Map.of());

        assertEquals(503, call("POST", "/subscriptions", basicRequest(), bearer(TENANT, null)).statusCode());
        assertEquals(List.of(), receiver.handshakes());
        assertEquals(201, call("POST", "/subscriptions", basicRequest(), bearer(TENANT, null)).statusCode());
    }

    // --- helpers

    private static Arguments invalid(String what, Consumer<Map<String, Object>> change) {
        return Arguments.of(what, change);
    }

    private static Map<String, Object> basicRequest() {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("changeType", "updated");
        request.put("notificationUrl", receiver.url("/notifications"));
        request.put("lifecycleNotificationUrl", receiver.url("/lifecycle"));
        request.put("resource", "/communications/presences?$filter=id in ('" + ADA + "','" + BOB + "')");
        request.put("expirationDateTime", Instant.now().plus(45, ChronoUnit.MINUTES).toString());
        request.put("clientState", "client-state-1");
        return request;
    }

    private static Map<String, Object> richRequest() {
        Map<String, Object> rich = new LinkedHashMap<>();
        rich.put("includeResourceData", true);
        rich.put("encryptionCertificate", Pem.base64Der(Pem.certificate(GraphFake.fixture("test-encryption-cert.pem"))));
        rich.put("encryptionCertificateId", "test-encryption-1");
        return rich;
    }

    private static String filter(int ids) {
        return "/communications/presences?$filter=id in (" + IntStream.range(0, ids)
                .mapToObj(i -> "'" + new UUID(0, i) + "'").collect(Collectors.joining(",")) + ")";
    }

    /** Creates the subscription (handshake included) and answers its id. */
    private static String create(Map<String, Object> request, String tenant) throws Exception {
        HttpResponse<String> response = call("POST", "/subscriptions", request, bearer(tenant, null));
        assertEquals(201, response.statusCode(), response.body());
        return JSON.readTree(response.body()).get("id").asText();
    }

    private static void assertValidationError(HttpResponse<String> response) throws IOException {
        assertEquals(400, response.statusCode(), response.body());
        JsonNode error = JSON.readTree(response.body()).get("error");
        assertEquals("ValidationError", error.get("code").asText());
        assertTrue(error.get("message").asText().startsWith("Subscription validation request failed."),
                error.get("message").asText());
    }

    /** A token of the tenant (and user) as the Entra fake issues them: opaque, known to the Graph fake. */
    private static String bearer(String tenant, String oid) {
        return EntraFake.accessTokenFor(tenant, oid);
    }

    private static String base64Url(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> call(String method, String path, Map<String, Object> body, String token)
            throws Exception {
        return send(method, path, JSON.writeValueAsString(body), token);
    }

    private static HttpResponse<String> send(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(graph.baseUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
