package io.teamsconnector.experts;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.teamsconnector.support.FakesResource;
import io.teamsconnector.support.LogCapture;
import io.teamsconnector.support.TestDatabase;
import io.teamsconnector.support.WebexFake;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.restassured.RestAssured.given;
import static io.teamsconnector.support.TestData.api;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * {@code /expert-lookup} with the agent's Webex access token, CORS for the Desktop's origin, and the widget's
 * script (API.md, /expert-lookup; README, The agent's widget).
 */
@QuarkusTest
class WidgetAccessTest {

    static final String DESKTOP = "https://desktop.wxcc-us1.cisco.com";

    @Inject
    TestDatabase db;

    WidgetFixture fixture;
    WebexFake webex;

    @BeforeEach
    void setUp() {
        fixture = new WidgetFixture(db, "widget");
        webex = FakesResource.webex();
    }

    @AfterEach
    void tearDown() {
        webex.peopleMeDown(false);
        fixture.scenario.deactivate();
    }

    private static RequestSpecification withToken(String token) {
        return given().header("Authorization", "Bearer " + token).contentType("application/json");
    }

    private long peopleMeCalls() {
        return webex.count("GET", "/v1/people/me");
    }

    @Test
    void aWebexTokenFindsExpertsOfItsOwnOrgAsItsOwnAgent() {
        withToken(fixture.token).body("{\"query\":\"ada\"}").post("/expert-lookup").then()
                .statusCode(200).body("unavailableReason", nullValue())
                .body("experts.displayName", equalTo(List.of("Ada Lovelace", "Adam Smith")))
                .body("experts[0].businessPhone", equalTo("+442079460018"));
        withToken(fixture.token).body("{\"orgId\":\"" + fixture.scenario.orgId + "\",\"agentId\":\"" + fixture.agentId
                + "\",\"query\":\"elod\"}").post("/expert-lookup").then()
                .statusCode(200).body("experts.displayName", equalTo(List.of("Élodie Brûlé")));
    }

    @Test
    void theAgentIsTheTokensSoItsProfileGatesTheLookup() {
        api().body("{\"teamsIntegration\":false}").put("/connectors/" + fixture.scenario.orgId + "/profiles/p-1")
                .then().statusCode(200);
        withToken(fixture.token).body("{\"query\":\"ada\"}").post("/expert-lookup").then()
                .statusCode(200).body("unavailableReason", equalTo("PROFILE_DISABLED"));
        String stranger = webex.issueAccessToken(new WebexFake.Person("someone-else", "x@example.com", "X",
                fixture.person.orgId()));
        api().body("{\"teamsIntegration\":true}").put("/connectors/" + fixture.scenario.orgId + "/profiles/p-1")
                .then().statusCode(200);
        withToken(stranger).body("{\"query\":\"ada\"}").post("/expert-lookup").then()
                .statusCode(200).body("unavailableReason", equalTo("PROFILE_DISABLED"));
    }

    @Test
    void aBodyNamingAnotherOrgOrAgentIsForbidden() {
        withToken(fixture.token).body("{\"orgId\":\"another-org\",\"query\":\"ada\"}").post("/expert-lookup").then()
                .statusCode(403).contentType(ContentType.JSON).body("error", equalTo("FORBIDDEN"))
                .body("message", containsString("another org"));
        withToken(fixture.token).body("{\"agentId\":\"another-agent\",\"query\":\"ada\"}").post("/expert-lookup")
                .then().statusCode(403).body("error", equalTo("FORBIDDEN"))
                .body("message", containsString("another agent"));
    }

    @Test
    void anInvalidOrExpiredTokenIs401() {
        withToken("wx-at-made-up").body("{\"query\":\"ada\"}").post("/expert-lookup").then()
                .statusCode(401).contentType(ContentType.JSON).body("error", equalTo("UNAUTHORIZED"));
        webex.expireAccessTokens(fixture.person.orgId());
        String expired = webex.issueAccessToken(fixture.person);
        webex.expireAccessTokens(fixture.person.orgId());
        withToken(expired).body("{\"query\":\"ada\"}").post("/expert-lookup").then().statusCode(401);
    }

    @Test
    void aVerifiedTokenIsAskedOnceAndOnlyForTheExpertLookup() {
        long before = peopleMeCalls();
        withToken(fixture.token).body("{\"query\":\"ada\"}").post("/expert-lookup").then().statusCode(200);
        withToken(fixture.token).body("{\"query\":\"adam\"}").post("/expert-lookup").then().statusCode(200);
        assertEquals(before + 1, peopleMeCalls(), "the second lookup used the verified token's cached caller");

        withToken(fixture.token).get("/connectors/" + fixture.scenario.orgId).then().statusCode(401);
        withToken(fixture.token).body("{}").post("/sync-tick").then().statusCode(401);
        api().body("{\"orgId\":\"" + fixture.scenario.orgId + "\",\"query\":\"ada\"}").post("/expert-lookup").then()
                .statusCode(200).body("experts.size()", equalTo(2));
        assertEquals(before + 1, peopleMeCalls(), "the API key and other routes never ask Webex");
    }

    @Test
    void webexUnreachableIs503WithRetryAfterAndNothingIsCached() {
        webex.peopleMeDown(true);
        withToken(fixture.token).body("{\"query\":\"ada\"}").post("/expert-lookup").then()
                .statusCode(503).header("Retry-After", "5").contentType(ContentType.JSON)
                .body("error", equalTo("UNAVAILABLE"));
        webex.peopleMeDown(false);
        withToken(fixture.token).body("{\"query\":\"ada\"}").post("/expert-lookup").then().statusCode(200);
    }

    @Test
    void theTokenIsNeverLogged() {
        try (LogCapture log = LogCapture.start()) {
            withToken(fixture.token).body("{\"orgId\":\"another-org\",\"query\":\"ada\"}").post("/expert-lookup")
                    .then().statusCode(403);
            webex.peopleMeDown(true);
            String fresh = webex.issueAccessToken(fixture.person);
            withToken(fresh).body("{\"query\":\"ada\"}").post("/expert-lookup").then().statusCode(503);
            withToken(fresh + "x").body("{\"query\":\"ada\"}").post("/expert-lookup").then().statusCode(401);
            assertFalse(log.contains(fixture.token) || log.contains(fresh), "a Webex token reached the log");
        }
    }

    @Test
    void theDesktopsOriginGetsCorsOnTheLookupAndTheWidgetOnly() {
        given().header("Origin", DESKTOP).header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type")
                .options("/expert-lookup").then().statusCode(204)
                .header("Access-Control-Allow-Origin", DESKTOP)
                .header("Access-Control-Allow-Headers", containsString("Authorization"))
                .header("Access-Control-Allow-Methods", containsString("POST"));
        withToken(fixture.token).header("Origin", DESKTOP).body("{\"query\":\"ada\"}").post("/expert-lookup").then()
                .statusCode(200).header("Access-Control-Allow-Origin", DESKTOP);
        given().header("Origin", DESKTOP).get("/widget/expert-lookup.js").then().statusCode(200)
                .header("Access-Control-Allow-Origin", DESKTOP);

        given().header("Origin", "https://evil.example").header("Access-Control-Request-Method", "POST")
                .options("/expert-lookup").then().statusCode(403)
                .header("Access-Control-Allow-Origin", nullValue());
        given().header("Origin", DESKTOP).header("Access-Control-Request-Method", "GET")
                .options("/connectors/" + fixture.scenario.orgId).then()
                .header("Access-Control-Allow-Origin", nullValue());
        api().header("Origin", DESKTOP).get("/connectors/" + fixture.scenario.orgId).then().statusCode(200)
                .header("Access-Control-Allow-Origin", nullValue());
    }

    @Test
    void theWidgetScriptIsPublicJavaScript() {
        given().get("/widget/expert-lookup.js").then().statusCode(200)
                .contentType(containsString("javascript"))
                .body(containsString("customElements.define('teams-expert-lookup'"))
                .body(containsString("expert-selected"));
    }
}
