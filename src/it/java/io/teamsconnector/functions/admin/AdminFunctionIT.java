package io.teamsconnector.functions.admin;

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
class AdminFunctionIT extends FunctionContract {

    @Override
    protected String function() {
        return "admin";
    }

    @Test
    void createsReadsAndAuthorizesAConnector() {
        withApiKey().contentType("application/json").body("{}").put("/connectors/it-admin")
                .then().statusCode(201).body("status", equalTo("PENDING_CONSENT"));
        withApiKey().get("/connectors/it-admin").then().statusCode(200).body("orgId", equalTo("it-admin"));
        withApiKey().post("/connectors/it-admin/authorize")
                .then().statusCode(200).body("authorizeUrl", containsString("/consent/start?ticket="));
    }

    @Test
    void theAdminApiNeedsTheApiKey() {
        RestAssured.get("/connectors/it-admin").then().statusCode(401);
    }

    @Test
    void servesTheOpenApiDocument() {
        RestAssured.get("/q/openapi").then().statusCode(200).body(containsString("/connectors"));
    }
}
