package io.teamsconnector.web;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.teamsconnector.support.LogCapture;
import io.teamsconnector.support.SyncScenario;
import io.teamsconnector.support.TestDatabase;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.teamsconnector.support.TestData.api;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * 64 function calls at once, {@code agent-event} and {@code expert-lookup} mixed: Funqy runs them on workers and
 * they reach the reactive persistence through one bridge. Every answer is right, and the log shows none of
 * Hibernate Reactive's context errors (HR000068, HR000069) nor a call off its Vert.x context.
 */
@QuarkusTest
class ConcurrentFunctionCallsTest {

    static final int CALLS = 64;

    @Inject
    TestDatabase db;

    SyncScenario scenario;

    @AfterEach
    void tearDown() {
        scenario.deactivate();
    }

    @Test
    void sixtyFourMixedCallsAtOnceAllAnswerRightWithoutContextErrors() throws Exception {
        scenario = SyncScenario.active(db, "concurrent");
        String lookup = "{\"orgId\":\"" + scenario.orgId + "\",\"query\":\"ada\"}";
        ExecutorService callers = Executors.newFixedThreadPool(16);
        try (LogCapture logs = LogCapture.start()) {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < CALLS; i++) {
                String agentId = "agent-" + i;
                Callable<String> call = i % 2 == 0
                        ? () -> {
                            go.await();
                            JsonPath agent = api().body("{\"orgId\":\"" + scenario.orgId + "\",\"agentId\":\"" + agentId
                                            + "\",\"type\":\"SIGNED_IN\",\"teamsUserId\":\"" + SyncScenario.newTeamsUser()
                                            + "\",\"state\":\"AVAILABLE\",\"profileId\":\"" + SyncScenario.PROFILE + "\"}")
                                    .post("/agent-event").then().statusCode(200).extract().jsonPath();
                            return agent.getString("agentId") + "/" + agent.getString("state");
                        }
                        : () -> {
                            go.await();
                            // presence sync is set up, user details are not switched on: the lookup says so
                            return api().body(lookup).post("/expert-lookup").then().statusCode(200)
                                    .extract().jsonPath().getString("unavailableReason");
                        };
                answers.add(callers.submit(call));
            }
            go.countDown();
            for (int i = 0; i < CALLS; i++) {
                String expected = i % 2 == 0 ? "agent-" + i + "/AVAILABLE" : "USER_DETAILS_DISABLED";
                assertEquals(expected, answers.get(i).get(60, TimeUnit.SECONDS), "call " + i);
            }
            for (String forbidden : List.of("HR000068", "HR000069", "Vert.x context", "Vert.x Context")) {
                assertFalse(logs.contains(forbidden), forbidden + " in the log: " + logs.lines());
            }
        } finally {
            callers.shutdownNow();
        }
        assertEquals(CALLS / 2, db.count("SELECT count(*) FROM agents WHERE org_id = $1", scenario.orgId));
    }
}
