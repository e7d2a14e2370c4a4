package io.teamsconnector.functions.sync;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.teamsconnector.functions.FunctionContract;
import io.teamsconnector.functions.FunctionDatabase;
import io.teamsconnector.functions.Seed;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

@QuarkusIntegrationTest
@QuarkusTestResource(value = SyncFunctionIT.WithoutSchedule.class, restrictToAnnotatedClass = true)
class SyncFunctionIT extends FunctionContract {

    /** Without the in-process schedule, only a work signal can make this function process the inbox. */
    public static class WithoutSchedule extends FunctionDatabase {
        @Override
        public Map<String, String> start() {
            Map<String, String> settings = new HashMap<>(super.start());
            settings.put("connector.in-process-schedule", "false");
            return settings;
        }
    }

    @Override
    protected String function() {
        return "sync";
    }

    @Test
    void runsAMaintenancePass() throws Exception {
        Seed.activeConnector("it-sync-tick");
        withApiKey().contentType("application/json").body("{}").post("/sync-tick")
                .then().statusCode(200).body("connectors", greaterThanOrEqualTo(1));
    }

    @Test
    void keepsTheJvmAndSystemMetersBoundAfterStartUp() {
        // bound a few seconds after start-up (LateJvmMeters), not by Quarkus' binders, which are off in this function
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
            return List.of("jvm_memory_used_bytes", "jvm_gc_live_data_size_bytes", "jvm_threads_live_threads",
                    "jvm_classes_loaded_classes", "process_cpu_usage", "process_uptime_seconds", "system_cpu_count")
                    .stream().allMatch(metrics::contains);
        });
    }

    @Test
    void processesANotificationAnotherFunctionStoredAsSoonAsItIsSignalled() throws Exception {
        Seed.activeConnector("it-sync");
        try (Connection c = FunctionDatabase.connect()) {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO notification_inbox (dedupe_key, org_id, "
                    + "subscription_id, teams_user_ids, availabilities, activities, received_at) "
                    + "VALUES (?, 'it-sync', 'sub-s', '{11111111-2222-3333-4444-888888888888}', '{Busy}', '{InACall}', now())")) {
                s.setString(1, "d".repeat(64));
                s.executeUpdate();
            }
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_notify('tc_work_" + FunctionDatabase.schema() + "', 'INBOX\t\t')");
            }
        }
        // no schedule runs and no sync-tick is called: the signal alone does it
        await().atMost(Duration.ofSeconds(10)).until(() -> Seed.count(
                "SELECT count(*) FROM notification_inbox WHERE org_id = ? AND processed_at IS NOT NULL", "it-sync") == 1);
    }
}
