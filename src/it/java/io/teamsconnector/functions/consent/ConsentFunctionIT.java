package io.teamsconnector.functions.consent;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;
import io.teamsconnector.functions.FunctionContract;
import io.teamsconnector.functions.FunctionDatabase;
import org.junit.jupiter.api.Test;

import static org.hamcrest.Matchers.containsString;

@QuarkusIntegrationTest
@QuarkusTestResource(value = FunctionDatabase.class, restrictToAnnotatedClass = true)
class ConsentFunctionIT extends FunctionContract {

    @Override
    protected String function() {
        return "consent";
    }

    @Test
    void anUnknownTicketIsRefusedWithAPage() {
        RestAssured.given().redirects().follow(false).get("/consent/start?ticket=unknown")
                .then().statusCode(400).contentType(containsString("text/html"))
                .body(containsString("Ask for a new authorize URL"));
    }

    @Test
    void theWebexLinkPagesAreServedAndRefuseAnUnknownTicket() {
        RestAssured.given().redirects().follow(false).get("/webex/start?ticket=unknown")
                .then().statusCode(400).contentType(containsString("text/html"))
                .body(containsString("Ask for a new authorize URL"));
        RestAssured.get("/webex/callback?code=abc")
                .then().statusCode(400).body(containsString("no state"));
    }

    @Test
    void aCallbackWithoutStateIsRefused() {
        RestAssured.get("/consent/callback?admin_consent=True")
                .then().statusCode(400).body(containsString("no state"));
    }
}
