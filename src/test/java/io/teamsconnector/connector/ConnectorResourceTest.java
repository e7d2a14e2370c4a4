package io.teamsconnector.connector;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.teamsconnector.support.TestDatabase;
import io.teamsconnector.support.TestData;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.teamsconnector.support.TestData.api;
import static org.hamcrest.Matchers.aMapWithSize;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
class ConnectorResourceTest {

    @Inject
    TestDatabase db;

    private String created(String prefix) {
        String orgId = TestData.newOrgId(prefix);
        api().body("{}").put("/connectors/" + orgId).then().statusCode(201);
        return orgId;
    }

    @Test
    void newConnectorIsPendingConsentWithSyncOnAndDetailsOff() {
        String orgId = TestData.newOrgId("new");
        api().body("{}").put("/connectors/" + orgId).then()
                .statusCode(201)
                .contentType(ContentType.JSON)
                .body("orgId", equalTo(orgId))
                .body("tenantId", nullValue())
                .body("status", equalTo("PENDING_CONSENT"))
                .body("presenceSync", equalTo(true))
                .body("showUserDetails", equalTo(false))
                .body("stateMapping", aMapWithSize(0))
                .body("presenceMode", equalTo("POLL"))
                .body("createdAt", notNullValue())
                .body("updatedAt", notNullValue())
                .body("teamsWriteBack", equalTo(false))
                .body("writeBackMapping", aMapWithSize(0))
                .body("missingPermissions", hasSize(0));
    }

    @Test
    void putOnExistingConnectorAnswers200AndChangesNothing() {
        String orgId = created("again");
        api().body("{\"stateMapping\":{\"InACall\":\"idle-call\"}}").patch("/connectors/" + orgId).then().statusCode(200);
        api().body("{}").put("/connectors/" + orgId).then()
                .statusCode(200)
                .body("status", equalTo("PENDING_CONSENT"))
                .body("stateMapping.InACall", equalTo("idle-call"));
    }

    @Test
    void getAnswersTheConnectorOr404() {
        String orgId = created("get");
        api().get("/connectors/" + orgId).then().statusCode(200).body("orgId", equalTo(orgId));
        api().get("/connectors/" + TestData.newOrgId("missing")).then()
                .statusCode(404)
                .body("error", equalTo("NOT_FOUND"))
                .body("message", notNullValue());
    }

    @Test
    void patchChangesTogglesAndReplacesTheMapping() {
        String orgId = created("patch");
        api().body("{\"presenceSync\":false,\"showUserDetails\":true,"
                        + "\"stateMapping\":{\"DoNotDisturb\":\"idle-dnd\",\"InACall\":\"idle-call\",\"Presenting\":\"idle-present\"}}")
                .patch("/connectors/" + orgId).then()
                .statusCode(200)
                .body("presenceSync", equalTo(false))
                .body("showUserDetails", equalTo(true))
                .body("stateMapping", equalTo(Map.of("DoNotDisturb", "idle-dnd", "InACall", "idle-call",
                        "Presenting", "idle-present")));
        api().body("{\"stateMapping\":{\"Busy\":\"idle-busy\"}}").patch("/connectors/" + orgId).then()
                .statusCode(200)
                .body("presenceSync", equalTo(false))
                .body("stateMapping", equalTo(Map.of("Busy", "idle-busy")));
        api().get("/connectors/" + orgId).then()
                .body("showUserDetails", equalTo(true))
                .body("stateMapping", equalTo(Map.of("Busy", "idle-busy")));
    }

    @Test
    void patchRefusesBadMappingsAndChangesNothing() {
        String orgId = created("badmap");
        api().body("{\"presenceSync\":false,\"stateMapping\":{\"InCall\":\"idle\"}}").patch("/connectors/" + orgId)
                .then().statusCode(400).body("error", equalTo("BAD_REQUEST")).body("message", containsString("InCall"));
        api().body("{\"stateMapping\":{\"InACall\":\"\"}}").patch("/connectors/" + orgId)
                .then().statusCode(400).body("error", equalTo("BAD_REQUEST"));
        api().body("{\"stateMapping\":{\"InACall\":\"" + "c".repeat(65) + "\"}}").patch("/connectors/" + orgId)
                .then().statusCode(400);
        api().body("{\"stateMapping\":{\"InACall\":null}}").patch("/connectors/" + orgId).then().statusCode(400);
        api().get("/connectors/" + orgId).then()
                .body("presenceSync", equalTo(true))
                .body("stateMapping", aMapWithSize(0));
    }

    @Test
    void patchTurnsWriteBackOnWithAMappingPerChannel() {
        String orgId = created("writeback");
        api().body("{\"teamsWriteBack\":true,\"writeBackMapping\":{\"chat\":\"DoNotDisturb/Presenting\","
                        + "\"voice\":\"Busy/InAConferenceCall\"}}").patch("/connectors/" + orgId).then()
                .statusCode(200)
                .body("teamsWriteBack", equalTo(true))
                .body("writeBackMapping", equalTo(Map.of("chat", "DoNotDisturb/Presenting",
                        "voice", "Busy/InAConferenceCall")));
        api().body("{\"teamsWriteBack\":false}").patch("/connectors/" + orgId).then().statusCode(200);
        api().get("/connectors/" + orgId).then()
                .body("teamsWriteBack", equalTo(false))
                .body("writeBackMapping.chat", equalTo("DoNotDisturb/Presenting"));
    }

    @Test
    void patchRefusesWriteBackPresencesGraphCannotSetAndChangesNothing() {
        String orgId = created("badwriteback");
        for (String body : List.of("{\"teamsWriteBack\":true,\"writeBackMapping\":{\"chat\":\"Busy/InAMeeting\"}}",
                "{\"writeBackMapping\":{\"chat\":\"DoNotDisturb/DoNotDisturb\"}}",
                "{\"writeBackMapping\":{\"chat\":\"Busy\"}}",
                "{\"writeBackMapping\":{\"chat\":null}}",
                "{\"writeBackMapping\":{\"fax\":\"Busy/InACall\"}}",
                "{\"writeBackMapping\":{\"chat\":5}}",
                "{\"teamsWriteBack\":\"yes\"}")) {
            api().body(body).patch("/connectors/" + orgId).then().log().ifValidationFails()
                    .statusCode(400).body("error", equalTo("BAD_REQUEST")).body("message", notNullValue());
        }
        api().get("/connectors/" + orgId).then()
                .body("teamsWriteBack", equalTo(false))
                .body("writeBackMapping", aMapWithSize(0));
    }

    @Test
    void patchOfMissingConnectorIs404() {
        api().body("{\"presenceSync\":false}").patch("/connectors/" + TestData.newOrgId("ghost")).then()
                .statusCode(404).body("error", equalTo("NOT_FOUND"));
    }

    @Test
    void malformedBodiesAndWrongTypesAre400WithAnErrorBody() {
        String orgId = created("types");
        for (String body : List.of("{", "not json", "[1,2]", "{\"presenceSync\":\"yes\"}", "{\"presenceSync\":\"true\"}",
                "{\"presenceSync\":1}", "{\"showUserDetails\":{}}", "{\"stateMapping\":[\"InACall\"]}",
                "{\"stateMapping\":{\"InACall\":5}}", "{\"stateMapping\":\"InACall\"}", "{} {}")) {
            api().body(body).patch("/connectors/" + orgId).then()
                    .statusCode(400)
                    .contentType(ContentType.JSON)
                    .body("error", equalTo("BAD_REQUEST"))
                    .body("message", not(containsString("com.fasterxml")))
                    .body("message", not(containsString("Exception")));
        }
        api().body("{\"unknownField\":{\"nested\":true},\"presenceSync\":false}").patch("/connectors/" + orgId).then()
                .statusCode(200).body("presenceSync", equalTo(false));
        api().body("[]").put("/connectors/" + TestData.newOrgId("arr")).then().statusCode(400);
        api().get("/connectors/" + orgId).then().body("showUserDetails", equalTo(false)).body("stateMapping", aMapWithSize(0));
    }

    @Test
    void badOrgIdsAre400() {
        api().body("{}").put("/connectors/" + "x".repeat(65)).then().statusCode(400).body("error", equalTo("BAD_REQUEST"));
        api().body("{}").put("/connectors/acme%20corp").then().statusCode(400);
        api().body("{}").put("/connectors/acm%C3%A9").then().statusCode(400);
    }

    @Test
    void lifecycleFollowsTheStatusTable() {
        String orgId = created("life");
        // PENDING_CONSENT: neither deactivate nor reactivate
        api().post("/connectors/" + orgId + "/deactivate").then().statusCode(409).body("error", equalTo("NOT_ACTIVE"));
        api().post("/connectors/" + orgId + "/reactivate").then().statusCode(409).body("error", equalTo("NOT_INACTIVE"));
        db.activate(orgId, TestData.TENANT_ID);
        // ACTIVE: reactivate refused, delete refused, deactivate allowed
        api().post("/connectors/" + orgId + "/reactivate").then().statusCode(409).body("error", equalTo("NOT_INACTIVE"));
        api().delete("/connectors/" + orgId).then().statusCode(409).body("error", equalTo("STILL_ACTIVE"));
        api().get("/connectors/" + orgId).then().statusCode(200).body("status", equalTo("ACTIVE"));
        api().post("/connectors/" + orgId + "/deactivate").then()
                .statusCode(200).body("status", equalTo("INACTIVE")).body("tenantId", equalTo(TestData.TENANT_ID));
        // INACTIVE: deactivate refused, reactivate allowed
        api().post("/connectors/" + orgId + "/deactivate").then().statusCode(409).body("error", equalTo("NOT_ACTIVE"));
        api().post("/connectors/" + orgId + "/reactivate").then().statusCode(200).body("status", equalTo("ACTIVE"));
        api().post("/connectors/" + orgId + "/deactivate").then().statusCode(200);
        // INACTIVE: delete allowed, with the Entra notice
        api().delete("/connectors/" + orgId).then()
                .statusCode(200)
                .body("deleted", equalTo(true))
                .body("notice", containsString("Enterprise applications"));
        api().get("/connectors/" + orgId).then().statusCode(404);
        api().delete("/connectors/" + orgId).then().statusCode(404).body("error", equalTo("NOT_FOUND"));
        api().post("/connectors/" + orgId + "/deactivate").then().statusCode(404);
        api().post("/connectors/" + orgId + "/reactivate").then().statusCode(404);
    }

    @Test
    void pendingConnectorCanBeDeleted() {
        String orgId = created("pending-del");
        api().delete("/connectors/" + orgId).then().statusCode(200).body("deleted", equalTo(true));
    }

    @Test
    void deletionCascadesToProfiles() {
        String orgId = created("cascade");
        api().body("{\"teamsIntegration\":true}").put("/connectors/" + orgId + "/profiles/p-1").then().statusCode(200);
        api().body("{\"teamsIntegration\":false}").put("/connectors/" + orgId + "/profiles/p-2").then().statusCode(200);
        assertEquals(2, db.count("SELECT count(*) FROM desktop_profiles WHERE org_id = $1", orgId));
        api().delete("/connectors/" + orgId).then().statusCode(200);
        assertEquals(0, db.count("SELECT count(*) FROM desktop_profiles WHERE org_id = $1", orgId));
        assertEquals(0, db.count("SELECT count(*) FROM connectors WHERE org_id = $1", orgId));
        // a connector created again under the same id starts from scratch
        api().body("{}").put("/connectors/" + orgId).then().statusCode(201).body("status", equalTo("PENDING_CONSENT"));
        assertEquals(0, db.count("SELECT count(*) FROM desktop_profiles WHERE org_id = $1", orgId));
    }

    @Test
    void profilesAreSetAndValidated() {
        String orgId = created("profiles");
        api().body("{\"teamsIntegration\":true}").put("/connectors/" + orgId + "/profiles/p-1").then()
                .statusCode(200).body("profileId", equalTo("p-1")).body("teamsIntegration", equalTo(true));
        api().body("{\"teamsIntegration\":false}").put("/connectors/" + orgId + "/profiles/p-1").then()
                .statusCode(200).body("teamsIntegration", equalTo(false));
        api().body("{}").put("/connectors/" + orgId + "/profiles/p-1").then().statusCode(400);
        api().body("{\"teamsIntegration\":\"on\"}").put("/connectors/" + orgId + "/profiles/p-1").then().statusCode(400);
        api().body("{\"teamsIntegration\":true}").put("/connectors/" + orgId + "/profiles/bad%20id").then().statusCode(400);
        api().body("{\"teamsIntegration\":true}").put("/connectors/" + TestData.newOrgId("noconn") + "/profiles/p-1")
                .then().statusCode(404);
        assertEquals(false, db.query("SELECT teams_integration FROM desktop_profiles WHERE org_id = $1 AND profile_id = 'p-1'",
                orgId).get(0).getBoolean(0));
    }

    @Test
    void concurrentPatchesLoseNoWrite() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 5; round++) {
                String orgId = created("race");
                CountDownLatch start = new CountDownLatch(1);
                Callable<Integer> sync = () -> {
                    start.await();
                    return api().body("{\"presenceSync\":false}").patch("/connectors/" + orgId).statusCode();
                };
                Callable<Integer> details = () -> {
                    start.await();
                    return api().body("{\"showUserDetails\":true}").patch("/connectors/" + orgId).statusCode();
                };
                Future<Integer> first = pool.submit(sync);
                Future<Integer> second = pool.submit(details);
                start.countDown();
                assertEquals(200, first.get());
                assertEquals(200, second.get());
                api().get("/connectors/" + orgId).then()
                        .body("presenceSync", equalTo(false))
                        .body("showUserDetails", equalTo(true));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
