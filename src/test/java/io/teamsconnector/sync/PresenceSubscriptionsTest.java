package io.teamsconnector.sync;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.teamsconnector.security.ClientStates;
import io.teamsconnector.support.FakesResource;
import io.teamsconnector.support.GraphFake;
import io.teamsconnector.support.GraphFake.FakeSubscription;
import io.teamsconnector.support.Metrics;
import io.teamsconnector.support.SyncScenario;
import io.teamsconnector.support.TestData;
import io.teamsconnector.support.TestDatabase;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.teamsconnector.support.TestData.api;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Graph presence subscriptions against the Graph fake, which validates the webhooks as Graph does. */
@QuarkusTest
class PresenceSubscriptionsTest {

    @Inject
    TestDatabase db;

    GraphFake graph;
    SyncScenario scenario;
    String ada;
    String bob;

    @BeforeEach
    void setUp() {
        graph = FakesResource.graph();
        graph.reset();
        FakesResource.entra().reset();
        scenario = SyncScenario.active(db, "subs");
        ada = SyncScenario.newTeamsUser();
        bob = SyncScenario.newTeamsUser();
        graph.setPresence(ada, "Available", "Available");
        graph.setPresence(bob, "Available", "Available");
    }

    @AfterEach
    void tearDown() {
        scenario.deactivate();
    }

    private void signInAvailable(String agentId, String teamsUser) {
        scenario.signIn(agentId, teamsUser);
        db.awaitEvaluated(scenario.orgId, agentId);
        scenario.stateChanged(agentId, "AVAILABLE", "AGENT", null);
        db.awaitEvaluated(scenario.orgId, agentId);
    }

    private FakeSubscription onlySubscription() {
        List<FakeSubscription> live = graph.liveSubscriptions(scenario.tenant);
        assertEquals(1, live.size(), "subscriptions: " + live);
        return live.get(0);
    }

    private String presenceMode() {
        return api().get("/connectors/" + scenario.orgId).then().statusCode(200).extract().path("presenceMode");
    }

    /** A service account, two agents signed in, one maintenance pass: one subscription covers both. */
    private FakeSubscription subscribed() {
        scenario.addServiceAccount();
        signInAvailable("agent-ada", ada);
        signInAvailable("agent-bob", bob);
        JsonPath tick = SyncScenario.syncTick();
        assertEquals(1, tick.getInt("subscriptionsCreated"));
        return onlySubscription();
    }

    @Test
    void signedInAgentsAreCoveredByOneSubscriptionWhoseWebhooksGraphValidated() {
        assertEquals("POLL", presenceMode());

        FakeSubscription subscription = subscribed();

        assertEquals(Set.of(ada, bob), Set.copyOf(subscription.userIds()));
        assertEquals(TestData.publicUrl() + "/graph/notifications", subscription.notificationUrl());
        assertEquals(TestData.publicUrl() + "/graph/lifecycle", subscription.lifecycleNotificationUrl());
        assertTrue(subscription.clientState().length() >= 32 && subscription.clientState().length() <= 128);
        assertTrue(subscription.expiresAt().isAfter(Instant.now().plus(55, ChronoUnit.MINUTES)));
        assertEquals("SUBSCRIBE", presenceMode());
        Row stored = db.query("SELECT * FROM presence_subscriptions WHERE id = $1", subscription.id()).get(0);
        assertEquals(ClientStates.hash(subscription.clientState()), stored.getString("client_state_hash"),
                "only a hash of the clientState is kept");
        assertEquals(0, SyncScenario.syncTick().getInt("subscriptionsCreated"), "nothing changed: nothing made");
    }

    @Test
    void aPresenceChangeArrivesByPushFasterThanThePollInterval() {
        FakeSubscription subscription = subscribed();
        int readsBefore = graph.presenceReads(scenario.tenant).size();

        graph.setPresence(ada, "Busy", "InACall");
        assertEquals(202, graph.notifyPresence(ada));
        // the in-process schedule is off in this profile, so no poll runs: only the notification can bring this
        scenario.awaitAgent("agent-ada", Duration.ofSeconds(10),
                a -> "IDLE".equals(a.getString("state")) && "idle-call".equals(a.getString("idleCode")));
        assertEquals(readsBefore + 1, graph.presenceReads(scenario.tenant).size(), "one follow-up read");

        graph.setPresence(ada, "Available", "Available");
        graph.notifyPresence(ada);
        JsonPath back = scenario.awaitAgent("agent-ada", Duration.ofSeconds(10),
                a -> "AVAILABLE".equals(a.getString("state")));
        assertEquals("PRESENCE_SYNC", back.getString("lastChangeSource"));
        assertEquals(subscription.id(), onlySubscription().id());
    }

    @Test
    void anAgentSigningInIsAddedToTheFilterAndASignedOutOnlySubscriptionIsDeleted() {
        FakeSubscription first = subscribed();
        String carol = SyncScenario.newTeamsUser();
        graph.setPresence(carol, "Available", "Available");

        signInAvailable("agent-carol", carol);
        assertEquals(1, SyncScenario.syncTick().getInt("subscriptionsCreated"));

        FakeSubscription second = onlySubscription();
        assertNotEquals(first.id(), second.id(), "Graph holds one presence subscription per account: recreated");
        assertEquals(Set.of(ada, bob, carol), Set.copyOf(second.userIds()));
        graph.setPresence(carol, "DoNotDisturb", "DoNotDisturb");
        graph.notifyPresence(carol);
        scenario.awaitAgent("agent-carol", Duration.ofSeconds(3), a -> "idle-dnd".equals(a.getString("idleCode")));

        for (String agent : List.of("agent-ada", "agent-bob", "agent-carol")) {
            scenario.event("{\"orgId\":\"" + scenario.orgId + "\",\"agentId\":\"" + agent + "\",\"type\":\"SIGNED_OUT\"}");
        }
        SyncScenario.syncTick();
        assertEquals(List.of(), graph.liveSubscriptions(scenario.tenant));
        assertEquals("POLL", presenceMode());
    }

    @Test
    void aSecondServiceAccountTakesNewAgentsWithoutTouchingTheFirstSubscription() {
        FakeSubscription first = subscribed();
        scenario.addServiceAccount();
        String carol = SyncScenario.newTeamsUser();
        graph.setPresence(carol, "Available", "Available");

        signInAvailable("agent-carol", carol);
        assertEquals(1, SyncScenario.syncTick().getInt("subscriptionsCreated"));

        List<FakeSubscription> live = graph.liveSubscriptions(scenario.tenant);
        assertEquals(2, live.size());
        assertTrue(live.stream().anyMatch(s -> s.id().equals(first.id())), "the first one is kept");
        assertTrue(live.stream().anyMatch(s -> s.userIds().equals(List.of(carol))));
    }

    @Test
    void subscriptionsAreRenewedOnlyWhenUnder15MinutesAreLeft() {
        FakeSubscription subscription = subscribed();
        Instant in20 = Instant.now().plus(20, ChronoUnit.MINUTES);
        graph.setExpiry(subscription.id(), in20);
        db.update("UPDATE presence_subscriptions SET expires_at = $2 WHERE id = $1", subscription.id(),
                in20.atOffset(java.time.ZoneOffset.UTC));

        assertEquals(0, SyncScenario.syncTick().getInt("subscriptionsRenewed"));

        Instant in14 = Instant.now().plus(14, ChronoUnit.MINUTES);
        graph.setExpiry(subscription.id(), in14);
        db.update("UPDATE presence_subscriptions SET expires_at = $2 WHERE id = $1", subscription.id(),
                in14.atOffset(java.time.ZoneOffset.UTC));
        assertEquals(1, SyncScenario.syncTick().getInt("subscriptionsRenewed"));

        FakeSubscription renewed = onlySubscription();
        assertEquals(subscription.id(), renewed.id());
        assertTrue(renewed.expiresAt().isAfter(Instant.now().plus(55, ChronoUnit.MINUTES)), "" + renewed.expiresAt());
        assertEquals(renewed.expiresAt(), db.query("SELECT expires_at FROM presence_subscriptions WHERE id = $1",
                subscription.id()).get(0).getOffsetDateTime("expires_at").toInstant());
    }

    @Test
    void aPresenceChangeGraphNeverAnnouncesIsStillCorrectedByReconciliation() {
        subscribed();
        assertEquals("SUBSCRIBE", presenceMode());

        // the silent gap: Teams changes, Graph sends nothing
        graph.setPresence(ada, "Busy", "InACall");

        // passes as a cron would run them; the connector's poll comes due within the poll interval (2 s here)
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            SyncScenario.syncTick();
            return "IDLE".equals(scenario.agent("agent-ada").getString("state"));
        });
        assertEquals("idle-call", scenario.agent("agent-ada").getString("idleCode"));
        assertEquals("APPLIED_IDLE", scenario.lastReason("agent-ada"));
    }

    @Test
    void fourPassesAtOnceRenewADueSubscriptionOnce() throws Exception {
        FakeSubscription subscription = subscribed();
        Instant in14 = Instant.now().plus(14, ChronoUnit.MINUTES);
        graph.setExpiry(subscription.id(), in14);
        db.update("UPDATE presence_subscriptions SET expires_at = $2 WHERE id = $1", subscription.id(),
                in14.atOffset(java.time.ZoneOffset.UTC));
        long patchesBefore = graph.count("PATCH", "/subscriptions/" + subscription.id());

        java.util.concurrent.ExecutorService passes = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<Integer>> renewed = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                renewed.add(passes.submit(() -> {
                    go.await();
                    return SyncScenario.syncTick().getInt("subscriptionsRenewed");
                }));
            }
            go.countDown();
            int total = 0;
            for (java.util.concurrent.Future<Integer> pass : renewed) {
                total += pass.get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
            assertEquals(1, total, "one pass renewed it");
        } finally {
            passes.shutdownNow();
        }
        assertEquals(patchesBefore + 1, graph.count("PATCH", "/subscriptions/" + subscription.id()),
                "exactly one renewal PATCH reached Graph");
        assertTrue(onlySubscription().expiresAt().isAfter(Instant.now().plus(55, ChronoUnit.MINUTES)));
    }

    @Test
    void aSubscriptionGraphNoLongerHasIsRecreated() {
        FakeSubscription subscription = subscribed();
        graph.expire(subscription.id());
        db.update("UPDATE presence_subscriptions SET expires_at = now() + interval '10 minutes' WHERE id = $1",
                subscription.id());

        JsonPath tick = SyncScenario.syncTick();

        assertEquals(1, tick.getInt("subscriptionsCreated"));
        FakeSubscription recreated = onlySubscription();
        assertNotEquals(subscription.id(), recreated.id());
        assertEquals(Set.of(ada, bob), Set.copyOf(recreated.userIds()));
        assertEquals(0, db.count("SELECT count(*) FROM presence_subscriptions WHERE id = $1", subscription.id()));
    }

    @Test
    void aRenewalAnswered409AdoptsWhatGraphHas() {
        FakeSubscription subscription = subscribed();
        Instant graphExpiry = Instant.now().plus(50, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        graph.setExpiry(subscription.id(), graphExpiry);
        db.update("UPDATE presence_subscriptions SET expires_at = now() + interval '5 minutes' WHERE id = $1",
                subscription.id());
        graph.enqueue("PATCH", "/subscriptions/" + subscription.id(), 409, Map.of());

        JsonPath tick = SyncScenario.syncTick();

        assertEquals(0, tick.getInt("subscriptionsCreated"));
        assertEquals(subscription.id(), onlySubscription().id());
        assertEquals(graphExpiry, db.query("SELECT expires_at FROM presence_subscriptions WHERE id = $1",
                subscription.id()).get(0).getOffsetDateTime("expires_at").toInstant());
    }

    @Test
    void aSubscriptionWhoseRecordWasLostIsAdoptedWhenGraphRefusesASecondOne() {
        FakeSubscription subscription = subscribed();
        // as if the process died between Graph's answer and storing it
        db.update("DELETE FROM presence_subscriptions WHERE id = $1", subscription.id());

        SyncScenario.syncTick();

        assertEquals(subscription.id(), onlySubscription().id(), "Graph's one subscription for the account is kept");
        assertEquals(1, db.count("SELECT count(*) FROM presence_subscriptions WHERE id = $1", subscription.id()));
        graph.setPresence(ada, "Busy", "InACall");
        assertEquals(202, graph.notifyPresence(ada));
        scenario.awaitAgent("agent-ada", Duration.ofSeconds(3), a -> "IDLE".equals(a.getString("state")));
    }

    @Test
    void reauthorizationRequiredIsAnsweredOnceWithinTenMinutes() {
        FakeSubscription subscription = subscribed();
        double dropped = Metrics.value("graph_notifications_rejected_total", "reason=\"client_state\"");

        assertEquals(202, graph.lifecycle(subscription.id(), "reauthorizationRequired"));
        // its clientState is 43 characters: another value is not ours
        io.restassured.RestAssured.given().contentType("application/json")
                .body(io.teamsconnector.support.NotificationBodies.collection(
                        io.teamsconnector.support.NotificationBodies.lifecycleItem(subscription.id(), "forged",
                                scenario.tenant, "reauthorizationRequired")))
                .post("/graph/lifecycle").then().statusCode(202);

        // subscribed() less than 10 minutes ago: the creation counts as the last authorization
        SyncScenario.syncTick();
        assertEquals(0, graph.count("POST", "/subscriptions/" + subscription.id() + "/reauthorize"));

        db.update("UPDATE presence_subscriptions SET authorized_at = now() - interval '11 minutes' WHERE id = $1",
                subscription.id());
        assertEquals(202, graph.lifecycle(subscription.id(), "reauthorizationRequired"));
        await().atMost(Duration.ofSeconds(5)).until(() ->
                graph.count("POST", "/subscriptions/" + subscription.id() + "/reauthorize") == 1);
        assertEquals(202, graph.lifecycle(subscription.id(), "reauthorizationRequired"));
        SyncScenario.syncTick();
        assertEquals(1, graph.count("POST", "/subscriptions/" + subscription.id() + "/reauthorize"));
        assertEquals(0, graph.count("PATCH", "/subscriptions/" + subscription.id()), "not renewed as well");
        assertEquals(dropped + 1, Metrics.value("graph_notifications_rejected_total", "reason=\"client_state\""));
    }

    @Test
    void subscriptionsGraphCouldNotDeleteAtDeactivationAreDeletedWithTheConnector() {
        FakeSubscription subscription = subscribed();
        for (int attempt = 0; attempt < 3; attempt++) {
            graph.enqueue("DELETE", "/subscriptions/" + subscription.id(), 503, Map.of());
        }
        api().post("/connectors/" + scenario.orgId + "/deactivate").then().statusCode(200);
        assertEquals(List.of(subscription.id()), graph.liveSubscriptions(scenario.tenant).stream()
                .map(FakeSubscription::id).toList(), "Graph was unavailable: still there");

        api().delete("/connectors/" + scenario.orgId).then().statusCode(200);

        assertEquals(List.of(), graph.liveSubscriptions(scenario.tenant));
    }

    @Test
    void subscriptionRemovedHasItRecreatedAndMissedHasTheConnectorPolledNow() {
        FakeSubscription subscription = subscribed();
        graph.expire(subscription.id());

        assertEquals(202, graph.lifecycle(subscription.id(), "subscriptionRemoved"));

        await().atMost(Duration.ofSeconds(5)).until(() -> graph.liveSubscriptions(scenario.tenant).size() == 1);
        FakeSubscription recreated = onlySubscription();
        assertNotEquals(subscription.id(), recreated.id());

        db.holdPolling(scenario.orgId);
        assertEquals(202, graph.lifecycle(recreated.id(), "missed"));
        SyncScenario.syncTick();
        assertEquals(1, db.count("SELECT count(*) FROM presence_polls WHERE org_id = $1 "
                + "AND next_poll_at < now() + interval '10 minutes'", scenario.orgId),
                "notifications may have been lost: polled at once, not an hour later");
    }

    @Test
    void deactivatingDeletesTheSubscriptions() {
        subscribed();

        api().post("/connectors/" + scenario.orgId + "/deactivate").then().statusCode(200)
                .body("presenceMode", org.hamcrest.Matchers.equalTo("POLL"));

        assertEquals(List.of(), graph.liveSubscriptions(scenario.tenant));
        assertEquals(0, db.count("SELECT count(*) FROM presence_subscriptions WHERE org_id = $1", scenario.orgId));
        assertEquals(0, SyncScenario.syncTick().getInt("subscriptionsCreated"));
    }
}
