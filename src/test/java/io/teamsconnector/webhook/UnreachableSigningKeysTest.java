package io.teamsconnector.webhook;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.teamsconnector.support.FakesResource;
import io.teamsconnector.support.GraphFake;
import io.teamsconnector.support.GraphFake.FakeSubscription;
import io.teamsconnector.support.Metrics;
import io.teamsconnector.support.SyncScenario;
import io.teamsconnector.support.TestDatabase;
import io.teamsconnector.support.UnreachableSigningKeysProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;


import static org.junit.jupiter.api.Assertions.assertEquals;

/** Entra's keys endpoint hangs: Graph gets a quick 503 with Retry-After, nothing is stored, and the metric says why. */
@QuarkusTest
@TestProfile(UnreachableSigningKeysProfile.class)
class UnreachableSigningKeysTest {

    static final String DEFERRED = "graph_notifications_deferred_total";
    static final String WHY = "reason=\"signing_keys_unavailable\"";

    @Inject
    TestDatabase db;

    SyncScenario scenario;

    @AfterEach
    void tearDown() {
        scenario.deactivate();
    }

    @Test
    void aRichNotificationThatCannotBeVerifiedYetIsAnswered503ForGraphToDeliverAgain() {
        GraphFake graph = FakesResource.graph();
        scenario = SyncScenario.active(db, "nokeys");
        String ada = SyncScenario.newTeamsUser();
        graph.setPresence(ada, "Available", "Available");
        FakeSubscription subscription = scenario.subscribedAvailableAgent(db, "agent-ada", ada);
        graph.setPresence(ada, "Busy", "InACall");
        double before = Metrics.value(DEFERRED, WHY);

        Response answer = RestAssured.given().contentType("application/json")
                .body(graph.notificationBody(subscription.id(), ada)).post("/graph/notifications");

        assertEquals(503, answer.statusCode());
        assertEquals("5", answer.header("Retry-After"));
        assertEquals(before + 1, Metrics.value(DEFERRED, WHY));
        assertEquals(0, db.count("SELECT count(*) FROM notification_inbox WHERE $1 = ANY(teams_user_ids)", ada));
        assertEquals("AVAILABLE", scenario.agent("agent-ada").getString("state"));
    }
}
