package io.teamsconnector.experts;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.teamsconnector.support.TestDatabase;
import io.teamsconnector.support.TestData;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static io.teamsconnector.support.TestData.api;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
class ExpertLookupFunctionTest {

    @Inject
    TestDatabase db;

    private static String lookup(String orgId) {
        return "{\"orgId\":\"" + orgId + "\",\"query\":\"ada\"}";
    }

    @Test
    void noConnector() {
        api().body(lookup(TestData.newOrgId("none"))).post("/expert-lookup").then()
                .statusCode(200)
                .body("experts", empty())
                .body("unavailableReason", equalTo("NO_CONNECTOR"));
    }

    @Test
    void connectorNotActive() {
        String orgId = TestData.newOrgId("pending");
        api().body("{}").put("/connectors/" + orgId).then().statusCode(201);
        api().body(lookup(orgId)).post("/expert-lookup").then()
                .statusCode(200).body("experts", empty()).body("unavailableReason", equalTo("CONNECTOR_INACTIVE"));
        db.activate(orgId, TestData.TENANT_ID);
        api().post("/connectors/" + orgId + "/deactivate").then().statusCode(200);
        api().body(lookup(orgId)).post("/expert-lookup").then()
                .body("unavailableReason", equalTo("CONNECTOR_INACTIVE"));
    }

    @Test
    void userDetailsDisabledUntilTheToggleIsOn() {
        String orgId = TestData.newOrgId("details");
        api().body("{}").put("/connectors/" + orgId).then().statusCode(201);
        db.activate(orgId, TestData.TENANT_ID);
        api().body(lookup(orgId)).post("/expert-lookup").then()
                .statusCode(200).body("experts", empty()).body("unavailableReason", equalTo("USER_DETAILS_DISABLED"));
        api().body("{\"showUserDetails\":true}").patch("/connectors/" + orgId).then().statusCode(200);
        api().body(lookup(orgId)).post("/expert-lookup").then()
                .statusCode(200).body("unavailableReason", nullValue());
        api().post("/connectors/" + orgId + "/deactivate").then().statusCode(200);
    }

    @Test
    void badInputIs400WithAnErrorBody() {
        String orgId = TestData.newOrgId("bad");
        for (String body : new String[] {
                "{\"orgId\":\"" + orgId + "\"}",
                "{\"orgId\":\"" + orgId + "\",\"query\":\"   \"}",
                "{\"orgId\":\"" + orgId + "\",\"query\":\"a\",\"limit\":0}",
                "{\"orgId\":\"" + orgId + "\",\"query\":\"a\",\"limit\":51}",
                "{\"orgId\":\"" + orgId + "\",\"query\":\"a\",\"limit\":\"ten\"}",
                "{\"orgId\":\"bad id\",\"query\":\"a\"}",
                "{\"query\":\"a\"}",
                "{\"orgId\":",
                "not json"}) {
            api().body(body).post("/expert-lookup").then()
                    .statusCode(400)
                    .contentType(ContentType.JSON)
                    .body("error", equalTo("BAD_REQUEST"));
        }
    }

    @Test
    void departmentAloneIsAQuery() {
        api().body("{\"orgId\":\"" + TestData.newOrgId("dep") + "\",\"department\":\"Sales\"}").post("/expert-lookup")
                .then().statusCode(200).body("unavailableReason", equalTo("NO_CONNECTOR"));
    }
}
