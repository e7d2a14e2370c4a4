package io.teamsconnector.sync;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.teamsconnector.support.ContactCenterFake;
import io.teamsconnector.support.FakesResource;
import io.teamsconnector.support.GraphFake;
import io.teamsconnector.support.SyncScenario;
import io.teamsconnector.support.TestDatabase;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.teamsconnector.support.TestData.api;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * No agent is left Idle by a switch: turning presence sync off, turning a profile's Teams integration off, or
 * deactivating the connector brings back to Available every agent presence sync made Idle, and only those.
 */
@QuarkusTest
class SyncOffRestoreTest {

    static final Duration SOON = Duration.ofSeconds(5);

    @Inject
    TestDatabase db;

    GraphFake graph;
    ContactCenterFake contactCenter;
    SyncScenario scenario;

    @BeforeEach
    void setUp() {
        graph = FakesResource.graph();
        contactCenter = FakesResource.contactCenter();
        contactCenter.reset();
        scenario = SyncScenario.active(db, "switch");
    }

    @AfterEach
    void tearDown() {
        scenario.deactivate();
    }

    /** Ada is in a Teams call and presence sync made her Idle; Bob took lunch himself. */
    private void adaIdleBySyncBobIdleByHimself() {
        String ada = SyncScenario.newTeamsUser();
        String bob = SyncScenario.newTeamsUser();
        graph.setPresence(ada, "Busy", "InACall");
        graph.setPresence(bob, "Busy", "InACall");
        scenario.signIn("ada", ada);
        scenario.signIn("bob", bob);
        scenario.awaitReason("ada", SOON, "SKIPPED_NOT_SYNC_ORIGIN");
        scenario.stateChanged("ada", "AVAILABLE", "AGENT", null);
        JsonPath idle = scenario.awaitAgent("ada", SOON, a -> "IDLE".equals(a.getString("state")));
        assertEquals("PRESENCE_SYNC", idle.getString("lastChangeSource"));
        scenario.stateChanged("bob", "IDLE", "AGENT", "lunch");
        await().atMost(SOON).until(() -> contactCenter.acceptedAbout(scenario.orgId, "ada").size() == 1);
    }

    private void assertAdaBackAndBobLeftAlone() {
        JsonPath ada = scenario.awaitAgent("ada", SOON, a -> "AVAILABLE".equals(a.getString("state")));
        assertEquals("PRESENCE_SYNC", ada.getString("lastChangeSource"));
        assertEquals("RESTORED_SYNC_OFF", scenario.lastReason("ada"));
        await().atMost(SOON).until(() -> contactCenter.acceptedAbout(scenario.orgId, "ada").size() == 2);
        List<ContactCenterFake.Received> sent = contactCenter.acceptedAbout(scenario.orgId, "ada");
        assertEquals("AVAILABLE", JsonPath.from(sent.get(1).body()).getString("state"));
        assertEquals("RESTORED_SYNC_OFF", JsonPath.from(sent.get(1).body()).getString("decision"));

        JsonPath bob = scenario.agent("bob");
        assertEquals("IDLE", bob.getString("state"));
        assertEquals("lunch", bob.getString("idleCode"));
        assertEquals("AGENT", bob.getString("lastChangeSource"));
        assertEquals(List.of(), contactCenter.about(scenario.orgId, "bob"), "nothing was sent about Bob");
    }

    @Test
    void turningPresenceSyncOffBringsBackTheAgentsItMadeIdle() {
        adaIdleBySyncBobIdleByHimself();

        api().body("{\"presenceSync\":false}").patch("/connectors/" + scenario.orgId).then().statusCode(200);

        assertAdaBackAndBobLeftAlone();
    }

    @Test
    void turningTheProfilesTeamsIntegrationOffBringsBackTheAgentsItMadeIdle() {
        adaIdleBySyncBobIdleByHimself();

        api().body("{\"teamsIntegration\":false}").put("/connectors/" + scenario.orgId + "/profiles/" + SyncScenario.PROFILE)
                .then().statusCode(200);

        assertAdaBackAndBobLeftAlone();
    }

    @Test
    void deactivatingTheConnectorBringsBackTheAgentsItMadeIdle() {
        adaIdleBySyncBobIdleByHimself();

        api().post("/connectors/" + scenario.orgId + "/deactivate").then().statusCode(200);

        assertAdaBackAndBobLeftAlone();
    }

    @Test
    void aSwitchThatWasNotSignalledIsCaughtByTheMaintenancePass() {
        adaIdleBySyncBobIdleByHimself();
        // as if the admin side's signal had been lost: the switch is only in the database
        db.update("UPDATE connectors SET presence_sync = FALSE, version = version + 1 WHERE org_id = $1", scenario.orgId);

        SyncScenario.syncTick();

        assertAdaBackAndBobLeftAlone();
    }
}
