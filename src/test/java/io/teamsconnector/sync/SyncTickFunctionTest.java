package io.teamsconnector.sync;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.teamsconnector.support.FakesResource;
import io.teamsconnector.support.SyncScenario;
import io.teamsconnector.support.TestDatabase;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.restassured.RestAssured.given;
import static io.teamsconnector.support.TestData.api;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code POST /sync-tick}: its answer, its key, and the retention clean-up it runs once an hour. */
@QuarkusTest
class SyncTickFunctionTest {

    @Inject
    TestDatabase db;

    @Test
    void answersWhatThePassDid() {
        SyncScenario scenario = SyncScenario.active(db, "tick");
        String user = SyncScenario.newTeamsUser();
        FakesResource.graph().setPresence(user, "Busy", "InACall");
        scenario.signIn("a-1", user);
        db.awaitEvaluated(scenario.orgId, "a-1");
        db.pollDueNow(scenario.orgId);

        JsonPath tick = SyncScenario.syncTick();

        assertTrue(tick.getInt("connectors") >= 1);
        assertTrue(tick.getInt("polled") >= 1);
        assertTrue(tick.getInt("presencesRead") >= 1);
        assertEquals(0, tick.getInt("subscriptionsRenewed"));
        assertEquals(0, tick.getInt("subscriptionsCreated"));
        scenario.deactivate();
    }

    @Test
    void needsTheApiKey() {
        given().contentType("application/json").body("{}").post("/sync-tick").then().statusCode(401)
                .body("error", equalTo("UNAUTHORIZED"));
        api().body("not json").post("/sync-tick").then().statusCode(400).body("error", equalTo("BAD_REQUEST"));
    }

    @Test
    void oldDecisionsAndDeliveredChangesAreForgottenFailedOnesKept() {
        SyncScenario scenario = SyncScenario.active(db, "retention");
        scenario.event("{\"orgId\":\"" + scenario.orgId + "\",\"agentId\":\"a-1\",\"type\":\"SIGNED_IN\"}");
        String decision = "INSERT INTO decisions (org_id, agent_id, at, before_state, before_source, reason, after_state, "
                + "after_source) VALUES ($1, 'a-1', now() - make_interval(days => $2), 'AVAILABLE', 'AGENT', "
                + "'SKIPPED_UNMAPPED', 'AVAILABLE', 'AGENT')";
        db.update(decision, scenario.orgId, 31);
        db.update(decision, scenario.orgId, 29);
        String outbox = "INSERT INTO outbox (id, org_id, agent_id, agent_version, payload, status, next_attempt_at, "
                + "created_at, finished_at) VALUES ($1, $2, 'a-1', 0, '{}', $3, now(), now() - interval '8 days', "
                + "now() - interval '8 days')";
        db.update(outbox, UUID.randomUUID(), scenario.orgId, "DELIVERED");
        db.update(outbox, UUID.randomUUID(), scenario.orgId, "FAILED");
        db.update("UPDATE job_leases SET next_run_at = now() WHERE name = 'retention-clean-up'");

        SyncScenario.syncTick();

        assertEquals(1, db.count("SELECT count(*) FROM decisions WHERE org_id = $1 AND at < now() - interval '1 day'",
                scenario.orgId), "the 29-day-old decision stays, the 31-day-old one is gone");
        assertEquals(1, db.count("SELECT count(*) FROM outbox WHERE org_id = $1", scenario.orgId));
        assertEquals("FAILED", db.query("SELECT status FROM outbox WHERE org_id = $1", scenario.orgId).get(0)
                .getString("status"));
        scenario.deactivate();
    }
}
