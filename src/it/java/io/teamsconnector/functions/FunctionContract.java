package io.teamsconnector.functions;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * What every packaged function answers: health, metrics, and 404 for the routes of the other functions
 * (their code is not in this artifact). Each function's integration test extends this and says which
 * function it is.
 */
public abstract class FunctionContract {

    /** One route of each function: the method, the path and a body it would accept. */
    public enum Route {
        CONSENT("consent", "GET", "/consent/start?ticket=unknown"),
        WEBEX_LINK("consent", "GET", "/webex/start?ticket=unknown"),
        GRAPH_WEBHOOK("graph-webhook", "POST", "/graph/notifications?validationToken=abc"),
        EXPERT_LOOKUP("expert-lookup", "POST", "/expert-lookup"),
        WIDGET("expert-lookup", "GET", "/widget/expert-lookup.js"),
        AGENT_EVENT("agent-event", "POST", "/agent-event"),
        WEBEX_EVENTS("agent-event", "POST", "/webex/events"),
        ADMIN("admin", "GET", "/connectors/it-org"),
        CONSOLE("admin", "GET", "/console"),
        SYNC("sync", "POST", "/sync-tick");

        public final String function;
        public final String method;
        public final String path;

        Route(String function, String method, String path) {
            this.function = function;
            this.method = method;
            this.path = path;
        }
    }

    /** The function under test. */
    protected abstract String function();

    protected static RequestSpecification withApiKey() {
        return RestAssured.given().header("Authorization", "Bearer " + FunctionDatabase.API_KEY);
    }

    @Test
    void routesOfTheOtherFunctionsAreNotHere() {
        List<Route> others = List.of(Route.values()).stream().filter(r -> !r.function.equals(function())).toList();
        for (Route route : others) {
            withApiKey().contentType("application/json").body("{}")
                    .request(route.method, route.path)
                    .then().statusCode(404);
        }
    }

    @Test
    void isReadyOnceTheSchemaIsMigrated() {
        RestAssured.get("/q/health/ready").then().statusCode(200)
                .body(containsString("Database schema"));
    }

    @Test
    void servesLivenessAndMetrics() {
        RestAssured.get("/q/health/live").then().statusCode(200);
        // from the first scrape on, before any of the function's own meters has counted anything
        RestAssured.get("/q/metrics").then().statusCode(200)
                .body(containsString("connector_function_info{function=\"" + function() + "\"} 1"));
    }

    @Test
    void startsWithoutWarningsAboutKeysItHasNoExtensionFor() throws IOException {
        // the packaged function's output, as Quarkus' integration-test launcher keeps it
        String log = Files.readString(Path.of("target", "quarkus.log"));
        assertFalse(log.contains("Unrecognized configuration key"), "configuration meant for another deployable:\n"
                + log.lines().filter(l -> l.contains("Unrecognized configuration key")).toList());
    }
}
