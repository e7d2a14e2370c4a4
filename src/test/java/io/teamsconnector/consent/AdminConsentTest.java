package io.teamsconnector.consent;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.teamsconnector.support.ConsentBrowser;
import io.teamsconnector.support.EntraFake;
import io.teamsconnector.support.FakesResource;
import io.teamsconnector.support.TestData;
import io.teamsconnector.support.TestDatabase;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.restassured.RestAssured.given;
import static io.teamsconnector.support.TestData.api;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class AdminConsentTest {

    @Inject
    TestDatabase db;

    EntraFake entra;
    String orgId;
    String tenant;

    @BeforeEach
    void setUp() {
        entra = FakesResource.entra();
        entra.reset();
        orgId = TestData.newOrgId("consent");
        tenant = UUID.randomUUID().toString();
        api().body("{}").put("/connectors/" + orgId).then().statusCode(201);
    }

    @AfterEach
    void tearDown() {
        entra.releaseHang();
    }

    private ConsentBrowser startConsent() {
        return ConsentBrowser.startConsent("/connectors/" + orgId + "/authorize");
    }

    private Map<String, String> granted(ConsentBrowser browser) {
        return Map.of("admin_consent", "True", "tenant", tenant, "state", browser.state());
    }

    private void assertUnchanged() {
        Row row = db.query("SELECT status, tenant_id FROM connector_states WHERE org_id = $1", orgId).get(0);
        assertEquals("PENDING_CONSENT", row.getString("status"));
        assertEquals(null, row.getString("tenant_id"));
    }

    private static void assertRefused(Response response, String reason) {
        response.then().statusCode(400).contentType(containsString("text/html")).body(containsString(reason));
    }

    @Test
    void consentLeavesTheConnectorActiveWithItsTenant() {
        ConsentBrowser browser = startConsent();

        assertEquals(entra.baseUrl() + "/organizations/v2.0/adminconsent", browser.microsoft.toString().split("\\?")[0]);
        assertEquals(EntraFake.CLIENT_ID, browser.microsoftQuery.get("client_id"));
        assertEquals("https://graph.microsoft.com/.default", browser.microsoftQuery.get("scope"));
        assertEquals(TestData.publicUrl() + "/consent/callback", browser.microsoftQuery.get("redirect_uri"));
        assertTrue(browser.state().length() >= 22, "at least 128 bits of state");
        assertTrue(browser.cookie != null && !browser.cookie.isBlank());

        browser.callback(granted(browser)).then()
                .statusCode(200)
                .contentType(containsString("text/html"))
                .body(containsString("is active"));

        api().get("/connectors/" + orgId).then()
                .statusCode(200)
                .body("status", equalTo("ACTIVE"))
                .body("tenantId", equalTo(tenant));
        assertEquals(1, entra.count(tenant, "client_credentials"), "consent proven with a client-credentials token");
    }

    /** Parameters an attacker may add to a callback link, hoping we follow or echo them. */
    static final Map<String, String> REDIRECT_BAIT = Map.of("redirect", "//evil.example",
            "next", "https://evil.example", "returnUrl", "javascript:alert(1)");

    @Test
    void extraParametersOnASuccessfulCallbackAreNeitherFollowedNorShown() {
        ConsentBrowser browser = startConsent();
        Map<String, String> params = new java.util.HashMap<>(granted(browser));
        params.putAll(REDIRECT_BAIT);

        Response response = browser.callback(params);

        response.then().statusCode(200).body(containsString("is active"));
        assertNoTraceOfTheBait(response);
    }

    @Test
    void extraParametersOnARefusedCallbackAreNeitherFollowedNorShown() {
        ConsentBrowser browser = startConsent();
        Map<String, String> params = new java.util.HashMap<>(REDIRECT_BAIT);
        params.putAll(Map.of("admin_consent", "True", "tenant", tenant, "state", "forged-state"));

        Response response = browser.callback(params);

        assertRefused(response, "not one this connector issued");
        assertNoTraceOfTheBait(response);
        assertUnchanged();
    }

    private static void assertNoTraceOfTheBait(Response response) {
        assertEquals(null, response.header("Location"), "no redirect anywhere");
        String page = response.body().asString();
        for (String bait : List.of("evil.example", "javascript:", "returnUrl", "redirect", "next=")) {
            assertFalse(page.contains(bait), bait + " in " + page);
        }
    }

    @Test
    void startCookieIsHttpOnlyAndSameSiteLax() {
        String authorizeUrl = api().post("/connectors/" + orgId + "/authorize").then().statusCode(200)
                .body("authorizeUrl", startsWith(TestData.publicUrl() + "/consent/start?ticket="))
                .extract().path("authorizeUrl");

        Response response = new ConsentBrowser().openRaw(authorizeUrl);

        String setCookie = response.header("Set-Cookie");
        assertTrue(setCookie.startsWith(ConsentService.COOKIE + "="), setCookie);
        assertTrue(setCookie.contains("HttpOnly"), setCookie);
        assertTrue(setCookie.contains("SameSite=Lax"), setCookie);
        assertTrue(setCookie.contains("Path=/consent"), setCookie);
    }

    @Test
    void ticketWorksOnce() {
        String authorizeUrl = api().post("/connectors/" + orgId + "/authorize").then().statusCode(200)
                .extract().path("authorizeUrl");
        ConsentBrowser browser = new ConsentBrowser();
        browser.open(authorizeUrl);

        assertRefused(browser.openRaw(authorizeUrl), "already used");
        assertRefused(given().redirects().follow(false).get("/consent/start?ticket=nope"), "unknown");
        assertRefused(given().redirects().follow(false).get("/consent/start"), "no valid ticket");
    }

    @Test
    void authorizeNeedsTheApiKeyAndAConnector() {
        given().post("/connectors/" + orgId + "/authorize").then().statusCode(401);
        api().post("/connectors/" + TestData.newOrgId("missing") + "/authorize").then()
                .statusCode(404).body("error", equalTo("NOT_FOUND"));
        api().post("/connectors/bad%20id/authorize").then().statusCode(400);
    }

    @Test
    void noStateIsRefused() {
        ConsentBrowser browser = startConsent();

        assertRefused(browser.callback(Map.of("admin_consent", "True", "tenant", tenant)), "no state");
        assertUnchanged();
    }

    @Test
    void unknownStateIsRefused() {
        ConsentBrowser browser = startConsent();

        assertRefused(browser.callback(Map.of("admin_consent", "True", "tenant", tenant, "state", "forged-state")),
                "not one this connector issued");
        assertUnchanged();
    }

    @Test
    void expiredStateIsRefused() {
        ConsentBrowser browser = startConsent();
        db.update("UPDATE consent_requests SET started_at = now() - interval '11 minutes' WHERE org_id = $1", orgId);

        assertRefused(browser.callback(granted(browser)), "longer than 10 minutes");
        assertUnchanged();
        assertEquals(0, entra.requests().size(), "nothing proven for a refused state");
    }

    @Test
    void replayedStateIsRefused() {
        ConsentBrowser browser = startConsent();
        browser.callback(granted(browser)).then().statusCode(200);

        assertRefused(browser.callback(granted(browser)), "already used");
        assertEquals(1, entra.count(tenant, "client_credentials"));
    }

    @Test
    void concurrentCallbacksWithOneStateActivateOnce() throws Exception {
        ConsentBrowser browser = startConsent();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                calls.add(() -> browser.callback(granted(browser)).statusCode());
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : pool.invokeAll(calls)) {
                statuses.add(f.get());
            }
            assertEquals(1, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
            assertEquals(3, statuses.stream().filter(s -> s == 400).count(), statuses.toString());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void stateFromAnotherBrowserIsRefusedAndStaysUsableByItsOwner() {
        ConsentBrowser browser = startConsent();
        ConsentBrowser other = startConsent();

        assertRefused(ConsentBrowser.callbackWithCookie(granted(browser), other.cookie), "another browser");
        assertRefused(ConsentBrowser.callbackWithCookie(granted(browser), null), "cookie is missing");
        assertUnchanged();

        browser.callback(granted(browser)).then().statusCode(200);
    }

    @Test
    void anyErrorIsRefusedEvenWithAdminConsentTrue() {
        ConsentBrowser browser = startConsent();

        Response response = browser.callback(Map.of("admin_consent", "True", "tenant", tenant, "state", browser.state(),
                "error", "consent_required",
                "error_description", "AADSTS65004: <script>alert('x')</script> declined"));

        assertRefused(response, "consent_required");
        response.then().body(not(containsString("<script>")))
                .body(containsString("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
        assertUnchanged();
        assertEquals(0, entra.requests().size());
    }

    @Test
    void forgedTenantIsRefused() {
        ConsentBrowser browser = startConsent();
        entra.refuseTenant(tenant, 400, "unauthorized_client", "AADSTS700016");

        assertRefused(browser.callback(granted(browser)), "refused a token for tenant");
        assertUnchanged();
    }

    @Test
    void malformedTenantIsRefusedWithoutAskingEntra() {
        ConsentBrowser browser = startConsent();

        assertRefused(browser.callback(Map.of("admin_consent", "True", "tenant", "../x\"><b>",
                "state", browser.state())), "no valid tenant");
        assertUnchanged();
        assertEquals(0, entra.requests().size());
    }

    @Test
    void entraDownIsRefused() {
        ConsentBrowser browser = startConsent();
        entra.hangFor(Duration.ofSeconds(30));

        assertRefused(browser.callback(granted(browser)), "could not be reached");
        assertUnchanged();
    }

    @Test
    void reconsentOfAnActiveConnectorKeepsItsTenant() {
        db.activate(orgId, tenant);
        ConsentBrowser again = startConsent();
        assertEquals(entra.baseUrl() + "/" + tenant + "/v2.0/adminconsent", again.microsoft.toString().split("\\?")[0]);

        String otherTenant = UUID.randomUUID().toString();
        assertRefused(again.callback(Map.of("admin_consent", "True", "tenant", otherTenant, "state", again.state())),
                "another tenant");

        api().get("/connectors/" + orgId).then().body("status", equalTo("ACTIVE")).body("tenantId", equalTo(tenant));
    }

    @Test
    void inactiveConnectorCannotStartConsent() {
        db.activate(orgId, tenant);
        api().post("/connectors/" + orgId + "/deactivate").then().statusCode(200);

        api().post("/connectors/" + orgId + "/authorize").then().statusCode(409);
    }
}
