package io.teamsconnector.consent;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.teamsconnector.support.FakesResource;
import io.teamsconnector.support.Metrics;
import io.teamsconnector.support.TestData;
import io.teamsconnector.support.TestDatabase;
import io.teamsconnector.support.WebexBrowser;
import io.teamsconnector.support.WebexFake;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static io.teamsconnector.support.TestData.api;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Linking a connector to its Webex org, keeping the link alive, and the org's idle codes (API.md, Webex). */
@QuarkusTest
class WebexLinkTest {

    @Inject
    TestDatabase db;

    WebexFake webex;
    String orgId;
    WebexFake.Person admin;

    @BeforeEach
    void setUp() {
        webex = FakesResource.webex();
        webex.reset();
        orgId = TestData.newOrgId("wx");
        admin = new WebexFake.Person(UUID.randomUUID().toString(), "admin@" + orgId + ".example", "Ada Admin", orgId);
        api().body("{}").put("/connectors/" + orgId).then().statusCode(201);
        db.activate(orgId, UUID.randomUUID().toString());
        webex.idleCode(orgId, "ic-available", "Available default", true);
        webex.idleCode(orgId, "ic-call", "Teams call", false);
    }

    private void assertNotLinked() {
        api().get("/connectors/" + orgId).then().statusCode(200)
                .body("webex.status", equalTo("NOT_LINKED"))
                .body("webex.subscriptionId", nullValue());
        assertEquals(0, db.count("SELECT count(*) FROM webex_links WHERE org_id = $1", orgId));
        assertEquals(List.of(), webex.subscriptions(orgId));
    }

    @Test
    void aNewConnectorIsNotLinked() {
        assertNotLinked();
    }

    @Test
    void linkingTheWayABrowserDoesItLeavesTheConnectorLinkedWithASubscription() {
        WebexBrowser browser = WebexBrowser.start(orgId);
        assertEquals(webex.baseUrl() + "/v1/authorize", browser.webexAuthorize.toString().split("\\?")[0]);
        assertEquals("code", browser.authorizeQuery.get("response_type"));
        assertEquals(WebexFake.CLIENT_ID, browser.authorizeQuery.get("client_id"));
        assertEquals(TestData.publicUrl() + "/webex/callback", browser.authorizeQuery.get("redirect_uri"));
        assertEquals("cjp:config_read cjp:config_write cjp:user spark:people_read", browser.authorizeQuery.get("scope"));
        assertTrue(browser.webexAuthorize.getRawQuery().contains(
                "scope=cjp:config_read%20cjp:config_write%20cjp:user%20spark:people_read"));
        webex.signInAs(admin);

        browser.signIn().finish().then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("linked to Webex"));

        api().get("/connectors/" + orgId).then().statusCode(200)
                .body("webex.status", equalTo("LINKED"))
                .body("webex.linkedBy", equalTo(admin.email()))
                .body("webex.linkedAt", notNullValue())
                .body("webex.subscriptionId", notNullValue());
        WebexFake.Subscription subscription = webex.subscriptions(orgId).get(0);
        assertEquals(TestData.publicUrl() + "/webex/events", subscription.destinationUrl());
        assertEquals(List.of("agent:login", "agent:logout", "agent:state_change"), subscription.eventTypes());
        assertEquals(64, subscription.secret().length());
        assertEquals(subscription.id(), api().get("/connectors/" + orgId).jsonPath().getString("webex.subscriptionId"));
        // tokens and the secret are stored encrypted, never as they are
        Row row = db.query("SELECT * FROM webex_links WHERE org_id = $1", orgId).get(0);
        String stored = row.toJson().encode();
        assertFalse(stored.contains(subscription.secret()));
        assertFalse(stored.contains("wx-rt-"), "no refresh token in clear");
        assertFalse(stored.contains("wx-at-"), "no access token in clear");
        String answer = api().get("/connectors/" + orgId).body().asString();
        assertFalse(answer.contains("wx-at-") || answer.contains("wx-rt-"), "no token in the answer");
    }

    @Test
    void aPersonOfAnotherOrgIsRefusedAndNothingChanges() {
        WebexFake.Person stranger = new WebexFake.Person("p-2", "eve@other.example", "Eve", "another-org");

        WebexBrowser.link(orgId, stranger).then().statusCode(400).contentType(containsString("text/html"))
                .body(containsString("another Webex organization"));

        assertNotLinked();
    }

    @Test
    void aReplayedStateIsRefused() {
        webex.signInAs(admin);
        WebexBrowser browser = WebexBrowser.start(orgId).signIn();
        browser.finish().then().statusCode(200);
        api().delete("/connectors/" + orgId + "/webex").then().statusCode(200);

        browser.finish().then().statusCode(400).body(containsString("already used"));

        assertNotLinked();
    }

    @Test
    void aTicketWorksOnce() {
        String authorizeUrl = api().post("/connectors/" + orgId + "/webex/authorize").then().statusCode(200)
                .body("authorizeUrl", org.hamcrest.Matchers.startsWith(TestData.publicUrl() + "/webex/start?ticket="))
                .extract().path("authorizeUrl");
        java.net.URI uri = java.net.URI.create(authorizeUrl);
        String path = uri.getRawPath() + "?" + uri.getRawQuery();
        Response first = io.restassured.RestAssured.given().redirects().follow(false).get(path);
        assertEquals(302, first.statusCode());
        assertTrue(first.header("Set-Cookie").contains("Path=/webex"), first.header("Set-Cookie"));
        assertTrue(first.header("Set-Cookie").contains("HttpOnly"));

        io.restassured.RestAssured.given().redirects().follow(false).get(path).then().statusCode(400)
                .body(containsString("already used"));
    }

    @Test
    void aCallbackFromAnotherBrowserIsRefused() {
        webex.signInAs(admin);
        WebexBrowser browser = WebexBrowser.start(orgId).signIn();

        browser.finishWithCookie(null).then().statusCode(400).body(containsString("cookie is missing"));

        assertNotLinked();
    }

    @Test
    void unlinkDeletesTheSubscriptionAndForgetsTheTokens() {
        WebexBrowser.link(orgId, admin).then().statusCode(200);
        assertEquals(1, webex.subscriptions(orgId).size());

        api().delete("/connectors/" + orgId + "/webex").then().statusCode(200)
                .body("webex.status", equalTo("NOT_LINKED"));

        assertNotLinked();
        assertEquals(1, webex.count("DELETE", "/cc/v1/subscriptions/"));
    }

    @Test
    void deactivateDeletesTheSubscriptionAndReactivateRegistersANewOne() {
        WebexBrowser.link(orgId, admin).then().statusCode(200);
        String first = webex.subscriptions(orgId).get(0).id();

        api().post("/connectors/" + orgId + "/deactivate").then().statusCode(200)
                .body("webex.status", equalTo("LINKED")).body("webex.subscriptionId", nullValue());
        assertEquals(List.of(), webex.subscriptions(orgId));

        api().post("/connectors/" + orgId + "/reactivate").then().statusCode(200)
                .body("webex.subscriptionId", notNullValue());
        assertEquals(1, webex.subscriptions(orgId).size());
        assertFalse(webex.subscriptions(orgId).get(0).id().equals(first));
        api().post("/connectors/" + orgId + "/deactivate").then().statusCode(200);
        api().delete("/connectors/" + orgId).then().statusCode(200);
        assertEquals(List.of(), webex.subscriptions(orgId));
    }

    @Test
    void theSubscriptionCheckRegistersALostSubscriptionAgainAndShowsAnInactiveOne() {
        WebexBrowser.link(orgId, admin).then().statusCode(200);
        String lost = webex.subscriptions(orgId).get(0).id();
        webex.loseSubscription(lost);

        api().body("{}").post("/sync-tick").then().statusCode(200);

        assertEquals(1, webex.subscriptions(orgId).size());
        String renewed = webex.subscriptions(orgId).get(0).id();
        assertFalse(renewed.equals(lost));
        api().get("/connectors/" + orgId).then().body("webex.subscriptionId", equalTo(renewed))
                .body("webex.subscriptionStatus", equalTo("active"));

        webex.deactivateSubscription(renewed);
        api().body("{}").post("/sync-tick").then().statusCode(200);
        api().get("/connectors/" + orgId).then().body("webex.subscriptionId", equalTo(renewed))
                .body("webex.subscriptionStatus", equalTo("inactive"));
        api().post("/connectors/" + orgId + "/deactivate").then().statusCode(200);
    }

    @Test
    void idleCodesAreReadFromEveryPage() {
        for (int i = 0; i < 230; i++) {
            webex.idleCode(orgId, String.format("ic-%03d", i), "Code " + i, false);
        }
        webex.auxCode(orgId, new WebexFake.AuxCode("wrap-1", "Wrap up", true, false, "WRAP_UP_CODE"));
        webex.auxCode(orgId, new WebexFake.AuxCode("old-1", "Retired", false, false, "IDLE_CODE"));
        api().get("/connectors/" + orgId + "/idle-codes").then().statusCode(409).body("error", equalTo("WEBEX_NOT_LINKED"));
        WebexBrowser.link(orgId, admin).then().statusCode(200);

        api().get("/connectors/" + orgId + "/idle-codes").then().statusCode(200)
                .body("idleCodes", hasSize(232))
                .body("idleCodes.find { it.id == 'ic-available' }.isDefault", equalTo(true))
                .body("idleCodes.find { it.id == 'ic-call' }.name", equalTo("Teams call"))
                .body("idleCodes.find { it.id == 'old-1' }", nullValue())
                .body("idleCodes.find { it.id == 'wrap-1' }", nullValue());
        assertEquals(3, webex.count("GET", "/cc/organization/" + orgId + "/v2/auxiliary-code"), "three pages of 100");
        assertTrue(webex.calls().stream().filter(c -> c.path().contains("auxiliary-code"))
                .allMatch(c -> c.path().contains("filter=workTypeCode%3D%3D%22IDLE_CODE%22")));

        // read again shortly after: from the cache
        api().get("/connectors/" + orgId + "/idle-codes").then().statusCode(200);
        assertEquals(3, webex.count("GET", "/cc/organization/" + orgId + "/v2/auxiliary-code"));
    }

    @Test
    void profilesShowWebexNamesBesideOurSwitch() {
        webex.agentProfile(orgId, "p-1", "Sales desk");
        webex.agentProfile(orgId, "p-2", "Support desk");
        api().body("{\"teamsIntegration\":true}").put("/connectors/" + orgId + "/profiles/p-2").then().statusCode(200);
        api().get("/connectors/" + orgId + "/profiles").then().statusCode(200)
                .body("profiles", hasSize(1)).body("profiles[0].profileId", equalTo("p-2"))
                .body("profiles[0].name", nullValue());
        WebexBrowser.link(orgId, admin).then().statusCode(200);

        api().get("/connectors/" + orgId + "/profiles").then().statusCode(200)
                .body("profiles", hasSize(2))
                .body("profiles.find { it.profileId == 'p-1' }.name", equalTo("Sales desk"))
                .body("profiles.find { it.profileId == 'p-1' }.teamsIntegration", equalTo(false))
                .body("profiles.find { it.profileId == 'p-2' }.teamsIntegration", equalTo(true));
    }

    @Test
    void whileLinkedAMappingMayOnlyNameTheOrgsIdleCodes() {
        api().body("{\"stateMapping\":{\"InACall\":\"free text\"}}").patch("/connectors/" + orgId)
                .then().statusCode(200);
        WebexBrowser.link(orgId, admin).then().statusCode(200);

        api().body("{\"stateMapping\":{\"InACall\":\"ic-call\",\"Presenting\":\"no-such-code\"}}")
                .patch("/connectors/" + orgId).then().statusCode(400)
                .body("error", equalTo("UNKNOWN_IDLE_CODE"))
                .body("message", containsString("no-such-code"));
        api().get("/connectors/" + orgId).then().body("stateMapping.InACall", equalTo("free text"));

        api().body("{\"stateMapping\":{\"InACall\":\"ic-call\"}}").patch("/connectors/" + orgId)
                .then().statusCode(200).body("stateMapping.InACall", equalTo("ic-call"));
    }

    @Test
    void anAccessTokenAboutToExpireIsRefreshedFirstAndARotatedRefreshTokenIsKept() {
        webex.expiresIn(60);
        webex.rotateRefreshTokens(true);
        WebexBrowser.link(orgId, admin).then().statusCode(200);
        long refreshes = webex.tokenRequests("refresh_token");
        String before = db.query("SELECT refresh_token_ciphertext FROM webex_links WHERE org_id = $1", orgId).get(0)
                .getString(0);

        // 60 s left is within the refresh margin: the token is refreshed before Webex is called
        api().get("/connectors/" + orgId + "/idle-codes").then().statusCode(200);
        assertTrue(webex.tokenRequests("refresh_token") > refreshes);
        String after = db.query("SELECT refresh_token_ciphertext FROM webex_links WHERE org_id = $1", orgId).get(0)
                .getString(0);
        assertFalse(before.equals(after), "the rotated refresh token is stored");

        // the stored (rotated) refresh token keeps working
        webex.expiresIn(3600);
        api().delete("/connectors/" + orgId + "/webex").then().statusCode(200);
        webex.calls().stream().filter(c -> "refresh_token".equals(c.grantType())).forEach(c -> assertEquals(200, c.answered()));
    }

    @Test
    void concurrentCallsWithAnExpiringTokenMakeOneRefresh() throws Exception {
        webex.expiresIn(60);
        WebexBrowser.link(orgId, admin).then().statusCode(200);
        webex.agentProfile(orgId, "p-1", "Sales desk");
        // the link itself used (and refreshed) its short-lived token to register the subscription
        long before = webex.tokenRequests("refresh_token");
        webex.expiresIn(3600);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try (AutoCloseable held = webex.holdRefreshes()) {
            var codes = pool.submit(() -> api().get("/connectors/" + orgId + "/idle-codes").statusCode());
            var profiles = pool.submit(() -> api().get("/connectors/" + orgId + "/profiles").statusCode());
            // one refresh is in flight, held at Webex, while both calls wait for a token
            await().atMost(java.time.Duration.ofSeconds(10)).until(() -> webex.refreshesHeld() == 1);
            assertFalse(codes.isDone() || profiles.isDone(), "both calls wait for the refresh in flight");
            held.close();
            assertEquals(200, codes.get());
            assertEquals(200, profiles.get());
        } finally {
            pool.shutdownNow();
        }

        assertEquals(before + 1, webex.tokenRequests("refresh_token"), "one refresh at a time per connector");
    }

    @Test
    void aRefusedAccessTokenIsRefreshedOnceAndTheCallRetried() {
        WebexBrowser.link(orgId, admin).then().statusCode(200);
        webex.expireAccessTokens(orgId);

        api().get("/connectors/" + orgId + "/idle-codes").then().statusCode(200).body("idleCodes", hasSize(2));

        assertEquals(1, webex.tokenRequests("refresh_token"));
    }

    @Test
    void aRevokedRefreshTokenAsksForANewLink() {
        WebexBrowser.link(orgId, admin).then().statusCode(200);
        double before = Metrics.value("webex_reauthorization_required_total");
        webex.revokeTokens(orgId);

        api().get("/connectors/" + orgId + "/idle-codes").then().statusCode(409)
                .body("error", equalTo("WEBEX_REAUTHORIZATION_REQUIRED"));

        api().get("/connectors/" + orgId).then().body("webex.status", equalTo("REAUTHORIZATION_REQUIRED"));
        assertEquals(before + 1, Metrics.value("webex_reauthorization_required_total"));

        // linking again makes it LINKED
        WebexBrowser.link(orgId, admin).then().statusCode(200);
        api().get("/connectors/" + orgId).then().body("webex.status", equalTo("LINKED"));
        api().get("/connectors/" + orgId + "/idle-codes").then().statusCode(200);
    }
}
