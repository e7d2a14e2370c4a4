package io.teamsconnector.functions.agent_event;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.teamsconnector.functions.FunctionContract;
import io.teamsconnector.functions.FunctionDatabase;
import io.teamsconnector.functions.Seed;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.util.List;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusIntegrationTest
@QuarkusTestResource(value = FunctionDatabase.class, restrictToAnnotatedClass = true)
class AgentEventFunctionIT extends FunctionContract {

    @Override
    protected String function() {
        return "agent-event";
    }

    @Test
    void aSignInIsStoredAndItsPresenceReadIsSignalledToSync() throws Exception {
        Seed.activeConnector("it-agents");
        try (Connection listening = Seed.listen()) {
            withApiKey().contentType("application/json")
                    .body("{\"orgId\":\"it-agents\",\"agentId\":\"ada\",\"type\":\"SIGNED_IN\","
                            + "\"teamsUserId\":\"11111111-2222-3333-4444-777777777777\",\"state\":\"AVAILABLE\"}")
                    .post("/agent-event")
                    .then().statusCode(200).body("agentId", equalTo("ada")).body("state", equalTo("AVAILABLE"));

            List<String> heard = Seed.heard(listening, 5_000);
            // the database's clock rides along: two sync replicas hear the same stamp and only one reads
            assertTrue(heard.stream().anyMatch(p -> p.matches("PRESENCE_READ\tit-agents\tada\t\\d{16}")),
                    "signals heard: " + heard);
        }
    }

    @Test
    void webexDeliveriesArePublicAndRefusedWithoutASubscriptionOfTheOrg() {
        // no API key: Webex sends none; the signature check answers instead
        io.restassured.RestAssured.given().contentType("application/json")
                .header("X-WebexCC-Signature", "00")
                .body("{\"id\":\"d-1\",\"type\":\"agent:login\",\"comciscoorgid\":\"it-nobody\","
                        + "\"data\":{\"agentId\":\"ada\"}}")
                .post("/webex/events")
                .then().statusCode(401).body("error", equalTo("UNKNOWN_ORG"));
        io.restassured.RestAssured.given().contentType("application/json").body("not json")
                .post("/webex/events")
                .then().statusCode(400);
    }

    @Test
    void anEventForAnUnknownConnectorIs404() {
        withApiKey().contentType("application/json")
                .body("{\"orgId\":\"it-nobody\",\"agentId\":\"ada\",\"type\":\"SIGNED_OUT\"}")
                .post("/agent-event")
                .then().statusCode(404);
    }
}
