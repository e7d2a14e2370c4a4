package io.teamsconnector.functions.admin;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;
import io.teamsconnector.functions.FunctionContract;
import io.teamsconnector.functions.FunctionDatabase;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusIntegrationTest
@QuarkusTestResource(value = FunctionDatabase.class, restrictToAnnotatedClass = true)
class AdminFunctionIT extends FunctionContract {

    @Override
    protected String function() {
        return "admin";
    }

    @Test
    void createsReadsAndAuthorizesAConnector() {
        withApiKey().contentType("application/json").body("{}").put("/connectors/it-admin")
                .then().statusCode(201).body("status", equalTo("PENDING_CONSENT"));
        withApiKey().get("/connectors/it-admin").then().statusCode(200).body("orgId", equalTo("it-admin"));
        withApiKey().post("/connectors/it-admin/authorize")
                .then().statusCode(200).body("authorizeUrl", containsString("/consent/start?ticket="));
    }

    @Test
    void aNewConnectorIsNotLinkedToWebexAndHasNoIdleCodesYet() {
        withApiKey().contentType("application/json").body("{}").put("/connectors/it-admin-webex")
                .then().statusCode(201).body("webex.status", equalTo("NOT_LINKED"));
        withApiKey().get("/connectors/it-admin-webex/idle-codes")
                .then().statusCode(409).body("error", equalTo("WEBEX_NOT_LINKED"));
        withApiKey().get("/connectors/it-admin-webex/deliveries?status=WAITING")
                .then().statusCode(200).body("deliveries.size()", equalTo(0));
        // tokens would be stored encrypted: without CONNECTOR_SECRET_KEY no link is started
        withApiKey().post("/connectors/it-admin-webex/webex/authorize")
                .then().statusCode(503).body("error", equalTo("SECRET_KEY_MISSING"));
    }

    @Test
    void servesTheConsoleWithItsScriptsAndAStrictContentSecurityPolicy() {
        RestAssured.get("/console").then().statusCode(200)
                .header("Content-Security-Policy", containsString("script-src 'self'"))
                .body(containsString("API key"), containsString("/webjars/htmx.org/2.0.4/dist/htmx.min.js"));
        RestAssured.get("/webjars/htmx.org/2.0.4/dist/htmx.min.js").then().statusCode(200);
        RestAssured.get("/console/static/console.js").then().statusCode(200);
        // no session: back to the sign-in page
        RestAssured.given().redirects().follow(false).get("/console/connectors").then().statusCode(303);
    }

    @Test
    void theAdminApiNeedsTheApiKey() {
        RestAssured.get("/connectors/it-admin").then().statusCode(401);
    }

    @Test
    void leavesMigrationsAndTheOpenApiDocumentToTheAllInOne() throws IOException {
        // no Flyway, JDBC driver or OpenAPI in this function: the migrate Job runs the all-in-one image
        RestAssured.get("/q/openapi").then().statusCode(404);
        try (Stream<Path> jars = Files.list(Path.of("../../../target/functions/admin/quarkus-app/lib/main"))) {
            List<String> migrators = jars.map(jar -> jar.getFileName().toString())
                    .filter(name -> name.startsWith("org.flywaydb.") || name.startsWith("io.agroal.")
                            || name.startsWith("org.postgresql.") || name.contains("smallrye-open-api"))
                    .toList();
            assertEquals(List.of(), migrators);
        }
    }
}
