package io.teamsconnector.consent;

import io.quarkus.test.junit.QuarkusTest;
import io.teamsconnector.support.ConsentBrowser;
import io.teamsconnector.support.FakesResource;
import io.teamsconnector.support.TestData;
import io.teamsconnector.support.TestDatabase;
import jakarta.inject.Inject;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.teamsconnector.support.TestData.api;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An administrator changes the settings while the admin consent completes (issue 13.4): the consent callback
 * does not write the connector row, so neither waits for the other and neither is rerun or refused.
 */
@QuarkusTest
class ConsentDuringSettingsChangeTest {

    @Inject
    TestDatabase db;

    @Test
    void aSettingsChangeAndTheConsentCallbackBothSucceed() throws Exception {
        FakesResource.entra().reset();
        String orgId = TestData.newOrgId("consentpatch");
        String tenant = UUID.randomUUID().toString();
        api().body("{}").put("/connectors/" + orgId).then().statusCode(201);
        ConsentBrowser browser = ConsentBrowser.startConsent("/connectors/" + orgId + "/authorize");
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<Integer> consent;
            Future<Integer> patch;
            // an administrator's change of the connector is under way: its row is locked for update
            try (AutoCloseable adminTransaction = db.holding(
                    "SELECT 1 FROM connectors WHERE org_id = $1 FOR NO KEY UPDATE", orgId)) {
                consent = threads.submit(() -> browser.callback(Map.of("admin_consent", "True", "tenant", tenant,
                        "state", browser.state())).statusCode());
                patch = threads.submit(() -> api().body("{\"showUserDetails\":true,\"presenceSync\":false}")
                        .patch("/connectors/" + orgId).statusCode());
                // the consent page answers without waiting for the administrator's change
                Awaitility.await("the consent callback, while the connector row is being changed")
                        .atMost(Duration.ofSeconds(20)).until(consent::isDone);
                assertEquals(200, consent.get(), "the consent callback");
            }
            assertEquals(200, patch.get(60, TimeUnit.SECONDS), "the administrator's PATCH: no 409, no lost write");
        } finally {
            threads.shutdownNow();
        }

        api().get("/connectors/" + orgId).then().statusCode(200)
                .body("status", equalTo("ACTIVE"))
                .body("tenantId", equalTo(tenant))
                .body("showUserDetails", equalTo(true))
                .body("presenceSync", equalTo(false));
    }
}
