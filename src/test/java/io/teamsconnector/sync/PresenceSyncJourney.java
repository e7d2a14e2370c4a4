package io.teamsconnector.sync;

import io.restassured.path.json.JsonPath;
import io.teamsconnector.support.ContactCenterFake;
import io.teamsconnector.support.FakesResource;
import io.teamsconnector.support.GraphFake;
import io.teamsconnector.support.LongRunningService;
import io.teamsconnector.support.SyncScenario;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.teamsconnector.support.TestData.api;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The user journey of presence sync, end to end over HTTP, with the service running its own schedule
 * (nothing calls sync-tick here): admin consent, the mapping, an agent in the contact center, a Teams
 * call and its end, and the cases presence sync must leave alone. Graph, Entra and the contact center's
 * webhook receiver are fakes on real HTTP. Run as it is ({@link PresenceSyncJourneyTest}) and with write-back
 * on ({@link PresenceSyncJourneyWithWriteBackTest}): the same journey, the same outcomes.
 */
abstract class PresenceSyncJourney {

    /** One poll interval, plus the schedule's quarter second and a margin for a loaded machine. */
    /** The polls (every second here) bring each change; a generous deadline, since it only bounds a wait. */
    static final Duration WITHIN_ONE_POLL = LongRunningService.POLL_INTERVAL.plusSeconds(10);
    static final Duration SOON = Duration.ofSeconds(5);

    GraphFake graph;
    ContactCenterFake receiver;

    @BeforeEach
    void setUp() {
        graph = FakesResource.graph();
        receiver = FakesResource.contactCenter();
        receiver.reset();
    }

    /** The journey's connector, consented with {@code mapping}; a subclass runs the same journey with other settings. */
    protected SyncScenario scenario(String prefix, String mapping) {
        return SyncScenario.consented(prefix, mapping);
    }

    @Test
    void aTeamsCallMakesTheAgentIdleAndItsEndBringsItBack() {
        SyncScenario scenario = scenario("journey", "{\"InACall\":\"idle-call\"}");
        String orgId = scenario.orgId;
        assertEquals("ACTIVE", api().get("/connectors/" + orgId).jsonPath().getString("status"));
        String user = SyncScenario.newTeamsUser();
        graph.setPresence(user, "Available", "Available");
        scenario.signIn("ada", user);
        JsonPath available = scenario.stateChanged("ada", "AVAILABLE", "AGENT", null);
        assertEquals("AVAILABLE", available.getString("state"));
        assertEquals("AGENT", available.getString("lastChangeSource"));
        scenario.awaitReason("ada", SOON, "SKIPPED_UNMAPPED");

        // a Teams call starts
        graph.setPresence(user, "Busy", "InACall");
        JsonPath idle = scenario.awaitAgent("ada", WITHIN_ONE_POLL, a -> "IDLE".equals(a.getString("state")));
        assertEquals("idle-call", idle.getString("idleCode"));
        assertEquals("PRESENCE_SYNC", idle.getString("lastChangeSource"));
        assertEquals("APPLIED_IDLE", scenario.lastReason("ada"));
        await().atMost(SOON).until(() -> receiver.acceptedAbout(orgId, "ada").size() == 1);
        ContactCenterFake.Received sent = receiver.acceptedAbout(orgId, "ada").get(0);
        assertEquals(ContactCenterFake.expectedSignature(sent), sent.header("webhook-signature"));
        assertEquals("IDLE", JsonPath.from(sent.body()).getString("state"));
        assertEquals("idle-call", JsonPath.from(sent.body()).getString("idleCode"));

        // the call ends
        graph.setPresence(user, "Available", "Available");
        JsonPath back = scenario.awaitAgent("ada", WITHIN_ONE_POLL, a -> "AVAILABLE".equals(a.getString("state")));
        assertEquals("PRESENCE_SYNC", back.getString("lastChangeSource"));
        assertEquals("RESTORED_AVAILABLE", scenario.lastReason("ada"));
        await().atMost(SOON).until(() -> receiver.acceptedAbout(orgId, "ada").size() == 2);
        assertEquals("AVAILABLE", JsonPath.from(receiver.acceptedAbout(orgId, "ada").get(1).body()).getString("state"));

        // the agent takes lunch, then a Teams call starts: the agent's own Idle stays
        scenario.stateChanged("ada", "IDLE", "AGENT", "lunch");
        graph.setPresence(user, "Busy", "InACall");
        scenario.awaitReason("ada", WITHIN_ONE_POLL, "SKIPPED_NOT_SYNC_ORIGIN");
        JsonPath lunch = scenario.agent("ada");
        assertEquals("lunch", lunch.getString("idleCode"));
        assertEquals("AGENT", lunch.getString("lastChangeSource"));

        // on a contact: never interrupted
        scenario.stateChanged("ada", "ENGAGED", "SYSTEM", null);
        graph.setPresence(user, "DoNotDisturb", "Presenting");
        scenario.awaitReason("ada", WITHIN_ONE_POLL, "SKIPPED_ENGAGED");
        assertEquals("ENGAGED", scenario.agent("ada").getString("state"));

        // RONA made the agent Idle: presence sync does not undo it
        scenario.stateChanged("ada", "IDLE", "RONA", "rona");
        graph.setPresence(user, "Available", "Available");
        scenario.awaitReason("ada", WITHIN_ONE_POLL, "SKIPPED_NOT_SYNC_ORIGIN");
        JsonPath rona = scenario.agent("ada");
        assertEquals("IDLE", rona.getString("state"));
        assertEquals("RONA", rona.getString("lastChangeSource"));

        assertEquals(2, receiver.about(orgId, "ada").size(), "only presence sync's own two changes were sent");
        List<Map<String, Object>> decisions = scenario.decisions("ada");
        Map<?, ?> applied = decisions.stream().filter(d -> "APPLIED_IDLE".equals(d.get("reason"))).findFirst().orElseThrow();
        assertEquals("AVAILABLE", ((Map<?, ?>) applied.get("before")).get("state"));
        assertEquals("IDLE", ((Map<?, ?>) applied.get("after")).get("state"));
        assertEquals("InACall", ((Map<?, ?>) applied.get("teamsPresence")).get("activity"));
        api().post("/connectors/" + orgId + "/deactivate").then().statusCode(200);
    }

    @Test
    void aFailedDeliveryIsRetriedByTheScheduleAlone() {
        SyncScenario scenario = scenario("journey-retry", SyncScenario.MAPPING);
        receiver.answer(503);
        String user = SyncScenario.newTeamsUser();
        graph.setPresence(user, "Busy", "InACall");
        scenario.signIn("grace", user);
        scenario.stateChanged("grace", "AVAILABLE", "AGENT", null);
        await().atMost(SOON).until(() -> receiver.about(scenario.orgId, "grace").size() >= 2);

        receiver.answer(202);

        await().atMost(SOON).until(() -> receiver.acceptedAbout(scenario.orgId, "grace").size() == 1);
        api().post("/connectors/" + scenario.orgId + "/deactivate").then().statusCode(200);
    }
}
