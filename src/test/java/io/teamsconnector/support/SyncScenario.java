package io.teamsconnector.support;

import io.restassured.path.json.JsonPath;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import static io.teamsconnector.support.TestData.api;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.awaitility.Awaitility.await;

/**
 * A connector of its own for one presence-sync test: its own organization and tenant (so Graph calls are
 * told apart by their token), the three-state mapping of the reference product, and desktop profile
 * {@value #PROFILE} with the Teams integration on. Sends agent events and reads agents back over HTTP.
 */
public final class SyncScenario {

    public static final String PROFILE = "p-1";
    public static final String MAPPING = "{\"DoNotDisturb\":\"idle-dnd\",\"InACall\":\"idle-call\",\"Presenting\":\"idle-present\"}";

    public final String orgId;
    public final String tenant;

    private SyncScenario(String orgId, String tenant) {
        this.orgId = orgId;
        this.tenant = tenant;
    }

    /** Created, configured and made ACTIVE directly in the database (standing in for admin consent). */
    public static SyncScenario active(TestDatabase db, String prefix) {
        SyncScenario scenario = configured(prefix);
        db.activate(scenario.orgId, scenario.tenant);
        return scenario;
    }

    /** Created and configured with {@code mapping}, then connected through the real admin-consent flow. */
    public static SyncScenario consented(String prefix, String mapping) {
        SyncScenario scenario = configured(prefix, mapping);
        ConsentBrowser browser = ConsentBrowser.startConsent("/connectors/" + scenario.orgId + "/authorize");
        browser.callback(Map.of("admin_consent", "True", "tenant", scenario.tenant, "state", browser.state()))
                .then().statusCode(200);
        return scenario;
    }

    /** Runs the real admin-consent flow again (an administrator pressing *Authorize* once more). */
    public void consentAgain() {
        ConsentBrowser browser = ConsentBrowser.startConsent("/connectors/" + orgId + "/authorize");
        browser.callback(Map.of("admin_consent", "True", "tenant", tenant, "state", browser.state()))
                .then().statusCode(200);
    }

    /** Turns write-back (contact center to Teams) on, with {@code writeBackMapping} when not null. */
    public void writeBackOn(String writeBackMapping) {
        api().body("{\"teamsWriteBack\":true" + (writeBackMapping == null ? "" : ",\"writeBackMapping\":" + writeBackMapping)
                + "}").patch("/connectors/" + orgId).then().statusCode(200);
    }

    /** A generic STATE_CHANGED to ENGAGED on {@code channel} (voice, chat, email, social). */
    public JsonPath engaged(String agentId, String channel) {
        return event("{\"orgId\":\"" + orgId + "\",\"agentId\":\"" + agentId + "\",\"type\":\"STATE_CHANGED\","
                + "\"state\":\"ENGAGED\",\"source\":\"SYSTEM\",\"channel\":\"" + channel + "\"}");
    }

    /** Created and configured, still waiting for consent. */
    public static SyncScenario configured(String prefix) {
        return configured(prefix, MAPPING);
    }

    private static SyncScenario configured(String prefix, String mapping) {
        SyncScenario scenario = new SyncScenario(TestData.newOrgId(prefix), UUID.randomUUID().toString());
        api().body("{}").put("/connectors/" + scenario.orgId).then().statusCode(201);
        api().body("{\"stateMapping\":" + mapping + "}").patch("/connectors/" + scenario.orgId).then().statusCode(200);
        api().body("{\"teamsIntegration\":true}").put("/connectors/" + scenario.orgId + "/profiles/" + PROFILE)
                .then().statusCode(200);
        return scenario;
    }

    /** Signs a presence service account in through the real authorization-code flow; answers its user id. */
    public String addServiceAccount() {
        String userId = newTeamsUser();
        String code = "code-" + userId;
        ConsentBrowser browser = ConsentBrowser.startConsent("/connectors/" + orgId + "/service-accounts/authorize");
        FakesResource.entra().issueCode(code, tenant, userId, "presence-" + userId + "@contoso.example",
                TestData.publicUrl() + "/consent/callback");
        browser.callback(Map.of("code", code, "state", browser.state())).then().statusCode(200);
        return userId;
    }

    /**
     * A service account, then the agent signed in and Available with this Teams user, then one sync pass: the
     * user's presence subscription, which Graph's notifications name.
     */
    public GraphFake.FakeSubscription subscribedAvailableAgent(TestDatabase db, String agentId, String teamsUserId) {
        addServiceAccount();
        signIn(agentId, teamsUserId);
        db.awaitEvaluated(orgId, agentId);
        stateChanged(agentId, "AVAILABLE", "AGENT", null);
        db.awaitEvaluated(orgId, agentId);
        syncTick();
        List<GraphFake.FakeSubscription> live = FakesResource.graph().liveSubscriptions(tenant);
        assertEquals(1, live.size(), "one subscription for the one followed user");
        return live.get(0);
    }

    /** Deactivates the connector (when active), so later maintenance passes leave it alone. */
    public void deactivate() {
        api().post("/connectors/" + orgId + "/deactivate");
    }

    /** A fresh Teams (Entra) user id. */
    public static String newTeamsUser() {
        return UUID.randomUUID().toString();
    }

    /** Posts one agent event; answers the agent object. */
    public JsonPath event(String json) {
        return api().body(json).post("/agent-event").then().log().ifValidationFails().statusCode(200).extract().jsonPath();
    }

    /** A generic SIGNED_IN with the Teams user and profile {@value #PROFILE}. */
    public JsonPath signIn(String agentId, String teamsUserId) {
        return event("{\"orgId\":\"" + orgId + "\",\"agentId\":\"" + agentId + "\",\"type\":\"SIGNED_IN\","
                + "\"teamsUserId\":\"" + teamsUserId + "\",\"profileId\":\"" + PROFILE + "\"}");
    }

    /** A generic STATE_CHANGED; {@code idleCode} may be null. */
    public JsonPath stateChanged(String agentId, String state, String source, String idleCode) {
        return event("{\"orgId\":\"" + orgId + "\",\"agentId\":\"" + agentId + "\",\"type\":\"STATE_CHANGED\","
                + "\"state\":\"" + state + "\",\"source\":\"" + source + "\""
                + (idleCode == null ? "" : ",\"idleCode\":\"" + idleCode + "\"") + "}");
    }

    public JsonPath agent(String agentId) {
        return api().get("/connectors/" + orgId + "/agents/" + agentId).then().statusCode(200).extract().jsonPath();
    }

    /** The agent's decisions, newest first. */
    public List<Map<String, Object>> decisions(String agentId) {
        return api().get("/connectors/" + orgId + "/agents/" + agentId + "/decisions?limit=500").then().statusCode(200)
                .extract().jsonPath().getList("decisions");
    }

    /** The reason of the agent's newest decision, or null when there is none. */
    public String lastReason(String agentId) {
        List<Map<String, Object>> decisions = decisions(agentId);
        return decisions.isEmpty() ? null : (String) decisions.get(0).get("reason");
    }

    /** Waits (polling, with a deadline) until the agent object satisfies {@code condition}; answers it. */
    public JsonPath awaitAgent(String agentId, Duration deadline, Predicate<JsonPath> condition) {
        JsonPath[] last = new JsonPath[1];
        await().atMost(deadline).pollInterval(Duration.ofMillis(20)).until(() -> {
            last[0] = agent(agentId);
            return condition.test(last[0]);
        });
        return last[0];
    }

    /** Waits until the agent's newest decision has this reason. */
    public void awaitReason(String agentId, Duration deadline, String reason) {
        await().atMost(deadline).pollInterval(Duration.ofMillis(20)).until(() -> reason.equals(lastReason(agentId)));
    }

    /** One maintenance pass, as a cron would run it. */
    public static JsonPath syncTick() {
        return api().body("{}").post("/sync-tick").then().statusCode(200).extract().jsonPath();
    }
}
