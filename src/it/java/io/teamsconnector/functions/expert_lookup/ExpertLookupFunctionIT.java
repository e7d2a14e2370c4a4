package io.teamsconnector.functions.expert_lookup;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;
import io.teamsconnector.functions.FunctionContract;
import io.teamsconnector.functions.FunctionDatabase;
import org.junit.jupiter.api.Test;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

@QuarkusIntegrationTest
@QuarkusTestResource(value = FunctionDatabase.class, restrictToAnnotatedClass = true)
class ExpertLookupFunctionIT extends FunctionContract {

    @Override
    protected String function() {
        return "expert-lookup";
    }

    @Test
    void aLookupForAnUnknownConnectorSaysWhy() {
        withApiKey().contentType("application/json").body("{\"orgId\":\"it-nobody\",\"query\":\"ann\"}")
                .post("/expert-lookup")
                .then().statusCode(200).body("unavailableReason", equalTo("NO_CONNECTOR"));
    }

    @Test
    void servesTheAgentsWidgetToAnyoneAndCorsToTheDesktopOnly() {
        RestAssured.get("/widget/expert-lookup.js").then().statusCode(200)
                .contentType(containsString("javascript"))
                .body(containsString("customElements.define('teams-expert-lookup'"));
        String desktop = "https://desktop.wxcc-us1.cisco.com";
        RestAssured.given().header("Origin", desktop).header("Access-Control-Request-Method", "POST")
                .options("/expert-lookup").then().statusCode(204)
                .header("Access-Control-Allow-Origin", desktop);
        RestAssured.given().header("Origin", "https://evil.example").header("Access-Control-Request-Method", "POST")
                .options("/expert-lookup").then().statusCode(403);
    }

    @Test
    void aLookupNeedsTheApiKey() {
        RestAssured.given().contentType("application/json").body("{\"orgId\":\"it-nobody\",\"query\":\"ann\"}")
                .post("/expert-lookup")
                .then().statusCode(401);
    }
}
