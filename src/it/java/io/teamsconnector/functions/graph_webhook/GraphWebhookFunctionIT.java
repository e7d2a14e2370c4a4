package io.teamsconnector.functions.graph_webhook;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;
import io.teamsconnector.functions.FunctionContract;
import io.teamsconnector.functions.FunctionDatabase;
import io.teamsconnector.functions.Seed;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.util.List;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusIntegrationTest
@QuarkusTestResource(value = FunctionDatabase.class, restrictToAnnotatedClass = true)
class GraphWebhookFunctionIT extends FunctionContract {

    @Override
    protected String function() {
        return "graph-webhook";
    }

    @Test
    void answersGraphsValidationHandshakeOnBothUrls() {
        RestAssured.given().queryParam("validationToken", "Validation: token 1")
                .post("/graph/notifications")
                .then().statusCode(200).contentType("text/plain").body(equalTo("Validation: token 1"));
        RestAssured.given().queryParam("validationToken", "lifecycle token")
                .post("/graph/lifecycle")
                .then().statusCode(200).body(equalTo("lifecycle token"));
    }

    @Test
    void storesAnAcceptedNotificationAndSignalsTheSyncFunction() throws Exception {
        String userId = "11111111-2222-3333-4444-555555555555";
        subscribed("sub-it-1", "client-state-1", userId);
        String body = notification("sub-it-1", "client-state-1", userId);
        try (Connection listening = Seed.listen()) {
            postAccepted(body);

            assertEquals(1, Seed.count("SELECT count(*) FROM notification_inbox WHERE subscription_id = ?", "sub-it-1"),
                    "stored before the 202");
            List<String> heard = Seed.heard(listening, 5_000);
            assertTrue(heard.stream().anyMatch(p -> p.startsWith("INBOX")), "signals heard: " + heard);
        }
    }

    @Test
    void dropsANotificationWithAnotherClientState() throws Exception {
        String userId = "11111111-2222-3333-4444-666666666666";
        subscribed("sub-it-2", "client-state-2", userId);
        String body = notification("sub-it-2", "client-state-X", userId);
        postAccepted(body);
        assertEquals(0, Seed.count("SELECT count(*) FROM notification_inbox WHERE subscription_id = ?", "sub-it-2"));
    }

    @Test
    void storesALargeCollectionWhole() throws Exception {
        String userId = "11111111-2222-3333-4444-777777777777";
        subscribed("sub-it-3", "client-state-3", userId);
        // 400 items, about 80 KB: larger than RESTEasy's default input buffer, which cut such bodies short
        String item = item("sub-it-3", "client-state-3", userId);
        String body = "{\"value\":[" + String.join(",", java.util.Collections.nCopies(400, item)) + "]}";
        postAccepted(body);
        assertEquals(400, Seed.count("SELECT coalesce(sum(cardinality(teams_user_ids)), 0) FROM notification_inbox "
                + "WHERE subscription_id = ?", "sub-it-3"), "every item stored before the 202");
    }

    /** Connector it-hook, active, with one presence subscription of {@code userId}. */
    private static void subscribed(String subscriptionId, String clientState, String userId) throws Exception {
        Seed.activeConnector("it-hook");
        Seed.subscription("it-hook", subscriptionId, clientState, userId);
    }

    /** Posts a collection to the notification URL; Graph's answer must be 202. */
    private static void postAccepted(String body) {
        RestAssured.given().contentType("application/json").body(body)
                .post("/graph/notifications")
                .then().statusCode(202);
    }

    /** One basic presence change notification, in the shape Graph posts it. */
    private static String notification(String subscriptionId, String clientState, String userId) {
        return "{\"value\":[" + item(subscriptionId, clientState, userId) + "]}";
    }

    private static String item(String subscriptionId, String clientState, String userId) {
        return "{\"subscriptionId\":\"" + subscriptionId + "\",\"changeType\":\"updated\","
                + "\"resource\":\"communications/presences/" + userId + "\",\"clientState\":\"" + clientState + "\","
                + "\"tenantId\":\"" + Seed.TENANT + "\",\"resourceData\":{\"id\":\"" + userId + "\"}}";
    }
}
