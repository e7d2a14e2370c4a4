package io.teamsconnector.consent;

import io.quarkus.test.junit.QuarkusTest;
import io.teamsconnector.graph.GraphException;
import io.teamsconnector.graph.ServiceAccountTokens;
import io.teamsconnector.security.SecretCipher;
import io.teamsconnector.support.ConsentBrowser;
import io.teamsconnector.support.EntraFake;
import io.teamsconnector.support.FakesResource;
import io.teamsconnector.support.GraphFake;
import io.teamsconnector.support.LogCapture;
import io.teamsconnector.support.TestData;
import io.teamsconnector.support.TestDatabase;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.teamsconnector.support.TestData.api;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class ServiceAccountConsentTest {

    final String redirectUri = TestData.publicUrl() + "/consent/callback";

    @Inject
    TestDatabase db;

    @Inject
    ServiceAccountTokens serviceAccountTokens;

    @Inject
    SecretCipher cipher;

    EntraFake entra;
    String orgId;
    String tenant;
    String userId;

    @BeforeEach
    void setUp() {
        entra = FakesResource.entra();
        entra.reset();
        orgId = TestData.newOrgId("sa");
        tenant = UUID.randomUUID().toString();
        userId = UUID.randomUUID().toString();
        api().body("{}").put("/connectors/" + orgId).then().statusCode(201);
        db.activate(orgId, tenant);
    }

    private ConsentBrowser signIn(String code) {
        ConsentBrowser browser = ConsentBrowser.startConsent("/connectors/" + orgId + "/service-accounts/authorize");
        entra.issueCode(code, tenant, userId, "presence-bot@contoso.example", redirectUri);
        return browser;
    }

    @Test
    void serviceAccountSignInStoresTheRefreshTokenEncrypted() {
        try (LogCapture logs = LogCapture.start()) {
            ConsentBrowser browser = signIn("code-1");

            assertEquals(entra.baseUrl() + "/" + tenant + "/oauth2/v2.0/authorize",
                    browser.microsoft.toString().split("\\?")[0]);
            assertEquals("code", browser.microsoftQuery.get("response_type"));
            // openid: the id_token says who signed in (the access token is Graph's, opaque to us)
            assertEquals("openid offline_access Presence.Read.All", browser.microsoftQuery.get("scope"));
            assertEquals(redirectUri, browser.microsoftQuery.get("redirect_uri"));
            assertEquals(EntraFake.CLIENT_ID, browser.microsoftQuery.get("client_id"));

            String page = browser.callback(Map.of("code", "code-1", "state", browser.state())).then()
                    .statusCode(200).body(containsString("presence-bot@contoso.example"))
                    .extract().body().asString();

            EntraFake.TokenRequest redeem = entra.requests().stream()
                    .filter(r -> r.grantType().equals("authorization_code")).findFirst().orElseThrow();
            assertEquals(tenant, redeem.tenant());
            assertEquals(redirectUri, redeem.form().get("redirect_uri"));
            assertTrue(redeem.form().get("scope").contains("offline_access"));

            Row row = db.query("SELECT * FROM service_accounts WHERE org_id = $1", orgId).get(0);
            assertEquals(userId, row.getString("user_id"));
            assertEquals("test-1", row.getString("key_id"));
            String ciphertext = row.getString("refresh_token_ciphertext");
            String refreshToken = cipher.open(new SecretCipher.Sealed("test-1", ciphertext),
                    ServiceAccountTokens.context(orgId, userId));
            assertTrue(entra.isLiveRefreshToken(refreshToken));
            assertNotEquals(refreshToken, ciphertext);
            assertFalse(ciphertext.contains(refreshToken));

            String listing = api().get("/connectors/" + orgId + "/service-accounts").then().statusCode(200)
                    .body("serviceAccounts[0].userId", equalTo(userId))
                    .body("serviceAccounts[0].userPrincipalName", equalTo("presence-bot@contoso.example"))
                    .extract().body().asString();
            assertFalse(listing.contains(refreshToken) || listing.contains(ciphertext), listing);
            assertFalse(page.contains(refreshToken));
            assertTrue(logs.contains("Presence service account"), "the capture sees the service's log");
            assertFalse(logs.contains(refreshToken), "refresh token logged");
            assertFalse(logs.contains("code-1"), "authorization code logged");
        }
    }

    @Test
    void whoSignedInComesFromTheIdTokenWithoutAGraphCall() {
        int meCalls = meCalls();
        ConsentBrowser browser = signIn("code-id");

        browser.callback(Map.of("code", "code-id", "state", browser.state())).then().statusCode(200)
                .body(containsString("presence-bot@contoso.example"));

        assertEquals(userId, db.query("SELECT user_id FROM service_accounts WHERE org_id = $1", orgId).get(0)
                .getString("user_id"));
        assertEquals(meCalls, meCalls(), "the id_token was enough");
    }

    @Test
    void withoutAnIdTokenWhoSignedInComesFromGraphsMe() {
        entra.omitIdTokens();
        int meCalls = meCalls();
        ConsentBrowser browser = signIn("code-me");

        browser.callback(Map.of("code", "code-me", "state", browser.state())).then().statusCode(200)
                .body(containsString("presence-bot@contoso.example"));

        assertEquals(userId, db.query("SELECT user_id FROM service_accounts WHERE org_id = $1", orgId).get(0)
                .getString("user_id"));
        assertEquals(meCalls + 1, meCalls());
        GraphFake.Request me = FakesResource.graph().requests().stream().filter(r -> r.path().endsWith("/me"))
                .reduce((first, second) -> second).orElseThrow();
        assertEquals("$select=id,userPrincipalName", me.query());
    }

    @ParameterizedTest
    @ValueSource(strings = {"aud", "tid", "exp"})
    void anIdTokenNotForThisAppTenantOrTimeIsRefusedAndNothingStored(String claim) {
        entra.idTokenClaims(Map.of(claim, switch (claim) {
            case "aud" -> "99999999-0000-0000-0000-000000000000";
            case "tid" -> "bbbbbbbb-0000-0000-0000-000000000002";
            default -> Instant.now().minus(Duration.ofHours(2)).getEpochSecond();
        }));
        ConsentBrowser browser = signIn("code-" + claim);

        browser.callback(Map.of("code", "code-" + claim, "state", browser.state())).then().statusCode(400)
                .body(containsString("Sign in again with an account of the connector"));

        assertEquals(0, db.count("SELECT count(*) FROM service_accounts WHERE org_id = $1", orgId));
    }

    private static int meCalls() {
        return (int) FakesResource.graph().requests().stream().filter(r -> r.path().endsWith("/me")).count();
    }

    @Test
    void accessTokenIsRefreshedOnUseAndTheRotatedTokenStoredEncrypted() {
        ConsentBrowser browser = signIn("code-2");
        browser.callback(Map.of("code", "code-2", "state", browser.state())).then().statusCode(200);
        String before = db.query("SELECT refresh_token_ciphertext FROM service_accounts WHERE org_id = $1", orgId)
                .get(0).getString(0);

        try (LogCapture logs = LogCapture.start()) {
            String accessToken = serviceAccountTokens.accessToken(orgId, userId);
            assertEquals(accessToken, serviceAccountTokens.accessToken(orgId, userId), "cached until near expiry");

            assertEquals(1, entra.count(tenant, "refresh_token"));
            String after = db.query("SELECT refresh_token_ciphertext FROM service_accounts WHERE org_id = $1", orgId)
                    .get(0).getString(0);
            assertNotEquals(before, after, "the rotated refresh token replaced the old one");
            String rotated = cipher.open(new SecretCipher.Sealed("test-1", after), ServiceAccountTokens.context(orgId, userId));
            assertTrue(entra.isLiveRefreshToken(rotated));
            assertFalse(logs.contains(rotated));
            assertFalse(logs.lines().stream().anyMatch(l -> l.contains("rt-" + userId)), "no refresh token in logs");
        }
    }

    @Test
    void concurrentCallersShareOneRefresh() throws Exception {
        ConsentBrowser browser = signIn("code-7");
        browser.callback(Map.of("code", "code-7", "state", browser.state())).then().statusCode(200);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Callable<String>> callers = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                callers.add(() -> serviceAccountTokens.accessToken(orgId, userId));
            }
            List<String> tokens = new ArrayList<>();
            for (Future<String> caller : pool.invokeAll(callers)) {
                tokens.add(caller.get());
            }

            // Entra rotates the refresh token on every use: a second refresh at the same time would have failed
            assertEquals(1, entra.count(tenant, "refresh_token"));
            assertEquals(1, tokens.stream().distinct().count());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void refusedCodeStoresNothing() {
        ConsentBrowser browser = signIn("code-3");

        browser.callback(Map.of("code", "not-issued", "state", browser.state())).then()
                .statusCode(400).body(containsString("refused the sign-in code"));

        assertEquals(0, db.count("SELECT count(*) FROM service_accounts WHERE org_id = $1", orgId));
    }

    @Test
    void errorAnswerStoresNothing() {
        ConsentBrowser browser = signIn("code-4");

        browser.callback(Map.of("code", "code-4", "state", browser.state(), "error", "access_denied")).then()
                .statusCode(400).body(containsString("access_denied"));

        assertEquals(0, db.count("SELECT count(*) FROM service_accounts WHERE org_id = $1", orgId));
        assertEquals(0, entra.count(tenant, "authorization_code"));
    }

    @Test
    void serviceAccountsNeedAnActiveConnector() {
        String pending = TestData.newOrgId("sa-pending");
        api().body("{}").put("/connectors/" + pending).then().statusCode(201);

        api().post("/connectors/" + pending + "/service-accounts/authorize").then()
                .statusCode(409).body("error", equalTo("NOT_ACTIVE"));
        api().get("/connectors/" + TestData.newOrgId("none") + "/service-accounts").then().statusCode(404);
    }

    @Test
    void deletingTheConnectorDeletesItsServiceAccounts() {
        ConsentBrowser browser = signIn("code-5");
        browser.callback(Map.of("code", "code-5", "state", browser.state())).then().statusCode(200);
        api().post("/connectors/" + orgId + "/deactivate").then().statusCode(200);

        api().delete("/connectors/" + orgId).then().statusCode(200);

        assertEquals(0, db.count("SELECT count(*) FROM service_accounts WHERE org_id = $1", orgId));
        assertEquals(0, db.count("SELECT count(*) FROM consent_requests WHERE org_id = $1", orgId));
    }

    @Test
    void revokedRefreshTokenIsUnauthorized() {
        ConsentBrowser browser = signIn("code-6");
        browser.callback(Map.of("code", "code-6", "state", browser.state())).then().statusCode(200);
        entra.reset(); // Entra forgets every refresh token: as after a revocation

        GraphException e = assertThrows(GraphException.class, () -> serviceAccountTokens.accessToken(orgId, userId));

        assertEquals(GraphException.Kind.UNAUTHORIZED, e.kind());
        assertFalse(e.getMessage().contains("rt-"));
    }

    @Test
    void ciphertextIsBoundToItsRow() {
        SecretCipher.Sealed sealed = cipher.seal("secret-value", "service-account:a:b");

        assertEquals("secret-value", cipher.open(sealed, "service-account:a:b"));
        assertThrows(IllegalStateException.class, () -> cipher.open(sealed, "service-account:a:c"));
        assertNotEquals(sealed.ciphertext(), cipher.seal("secret-value", "service-account:a:b").ciphertext(),
                "a fresh IV every time");
        assertTrue(List.of(sealed.ciphertext()).stream().noneMatch(c -> c.contains("secret-value")));
    }
}
