package io.teamsconnector.security;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.teamsconnector.support.TestData;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
class ApiKeySecurityTest {

    @Test
    void adminRoutesRefuseMissingAndWrongKeysWithJson401() {
        String orgId = TestData.newOrgId("sec");
        given().contentType("application/json").body("{}").put("/connectors/" + orgId).then()
                .statusCode(401).contentType(ContentType.JSON).body("error", equalTo("UNAUTHORIZED"));
        given().header("Authorization", "Bearer wrong-key").contentType("application/json").body("{}")
                .put("/connectors/" + orgId).then().statusCode(401).body("error", equalTo("UNAUTHORIZED"));
        given().header("Authorization", "Basic " + TestData.API_KEY).get("/connectors/" + orgId).then().statusCode(401);
        given().header("Authorization", "Bearer " + TestData.API_KEY + "x").get("/connectors/" + orgId).then().statusCode(401);
        // nothing was created by the refused calls
        TestData.api().get("/connectors/" + orgId).then().statusCode(404);
    }

    @Test
    void everyConfiguredKeyIsAccepted() {
        String orgId = TestData.newOrgId("keys");
        given().header("Authorization", "Bearer " + TestData.API_KEY).contentType("application/json").body("{}")
                .put("/connectors/" + orgId).then().statusCode(201);
        given().header("Authorization", "Bearer " + TestData.OTHER_API_KEY).get("/connectors/" + orgId).then().statusCode(200);
    }

    @Test
    void functionRoutesRefuseMissingAndWrongKeys() {
        given().contentType("application/json").body("{\"orgId\":\"x\",\"query\":\"a\"}").post("/expert-lookup").then()
                .statusCode(401).contentType(ContentType.JSON).body("error", equalTo("UNAUTHORIZED"));
        given().header("Authorization", "Bearer nope").contentType("application/json")
                .body("{\"orgId\":\"x\",\"query\":\"a\"}").post("/expert-lookup").then().statusCode(401);
    }

    @Test
    void healthStaysPublic() {
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);
    }
}
