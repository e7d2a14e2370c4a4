package io.teamsconnector.console;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.teamsconnector.support.TestData;
import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static io.teamsconnector.support.TestData.api;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The console's refusals over HTTP: sign-in binding, the session cookie's flags, CSRF, the CSP header. */
@QuarkusTest
class ConsoleSecurityTest {

    static final Pattern SIGN_IN = Pattern.compile("name=\"signIn\" value=\"([^\"]+)\"");
    static final Pattern CSRF = Pattern.compile("name=\"csrf-token\" content=\"([^\"]+)\"");

    /** A signed-in operator: the session cookie and the CSRF token its pages carry. */
    record Signed(String cookie, String csrf) {
    }

    static Signed signIn() {
        Response page = given().get("/console");
        String bound = page.getCookie(ConsoleSessions.SIGN_IN_COOKIE);
        Matcher m = SIGN_IN.matcher(page.body().asString());
        assertTrue(m.find());
        Response signedIn = given().redirects().follow(false).cookie(ConsoleSessions.SIGN_IN_COOKIE, bound)
                .formParam("signIn", m.group(1)).formParam("apiKey", TestData.API_KEY).post("/console/sign-in");
        assertEquals(303, signedIn.statusCode());
        String cookie = signedIn.getCookie(ConsoleSessions.COOKIE);
        String list = given().cookie(ConsoleSessions.COOKIE, cookie).get("/console/connectors").body().asString();
        Matcher csrf = CSRF.matcher(list);
        assertTrue(csrf.find(), list);
        return new Signed(cookie, csrf.group(1));
    }

    @Test
    void theSessionCookieIsHttpOnlyStrictAndLimited() {
        Response page = given().get("/console");
        Matcher m = SIGN_IN.matcher(page.body().asString());
        assertTrue(m.find());
        Response signedIn = given().redirects().follow(false)
                .cookie(ConsoleSessions.SIGN_IN_COOKIE, page.getCookie(ConsoleSessions.SIGN_IN_COOKIE))
                .formParam("signIn", m.group(1)).formParam("apiKey", TestData.API_KEY).post("/console/sign-in");
        String setCookie = signedIn.headers().getValues("Set-Cookie").stream()
                .filter(c -> c.startsWith(ConsoleSessions.COOKIE + "=")).findFirst().orElseThrow();
        assertTrue(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict")
                && setCookie.contains("Max-Age=28800") && setCookie.contains("Path=/console"), setCookie);
        // the tests serve the console on http://localhost: no Secure flag there, and only there
        assertFalse(setCookie.contains("Secure"), setCookie);
        assertFalse(setCookie.contains(TestData.API_KEY));
    }

    @Test
    void aSignInFormFromAnotherBrowserOrAWrongKeyIsRefused() {
        given().redirects().follow(false).formParam("signIn", "forged").formParam("apiKey", TestData.API_KEY)
                .post("/console/sign-in").then().statusCode(403).header("Set-Cookie", not(containsString("tc_console=v1")));
        Response page = given().get("/console");
        Matcher m = SIGN_IN.matcher(page.body().asString());
        assertTrue(m.find());
        given().redirects().follow(false)
                .cookie(ConsoleSessions.SIGN_IN_COOKIE, page.getCookie(ConsoleSessions.SIGN_IN_COOKIE))
                .formParam("signIn", m.group(1)).formParam("apiKey", "wrong-key").post("/console/sign-in")
                .then().statusCode(401).body(containsString("That API key is not valid."), not(containsString("wrong-key")));
    }

    @Test
    void pagesNeedASessionAndCarryAStrictContentSecurityPolicy() {
        given().redirects().follow(false).get("/console/connectors").then().statusCode(303)
                .header("Location", containsString("/console"));
        given().redirects().follow(false).cookie(ConsoleSessions.COOKIE, "v1.OPERATOR.x.x.9999999999.x.forged")
                .get("/console/connectors").then().statusCode(303);
        given().get("/console").then().statusCode(200)
                .header("Content-Security-Policy", containsString("script-src 'self'"))
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .body(not(containsString("<script>")), not(containsString("onclick")), not(containsString("style=")));
    }

    @Test
    void aStateChangeWithoutTheCsrfTokenChangesNothing() {
        Signed operator = signIn();
        String orgId = TestData.newOrgId("console-csrf");
        api().body("{}").put("/connectors/" + orgId).then().statusCode(201);

        // no token, a wrong token, another session's token: 403, and the setting stays on
        given().cookie(ConsoleSessions.COOKIE, operator.cookie()).formParam("setting", "presenceSync")
                .post("/console/connectors/" + orgId + "/settings").then().statusCode(403);
        given().cookie(ConsoleSessions.COOKIE, operator.cookie()).header(ConsoleRequest.CSRF_HEADER, "forged")
                .formParam("setting", "presenceSync").post("/console/connectors/" + orgId + "/settings")
                .then().statusCode(403);
        Signed other = signIn();
        given().cookie(ConsoleSessions.COOKIE, operator.cookie()).formParam("csrf", other.csrf())
                .formParam("setting", "presenceSync").post("/console/connectors/" + orgId + "/settings")
                .then().statusCode(403);
        api().get("/connectors/" + orgId).then().body("presenceSync", equalTo(true));

        // a create and a delete without the token: nothing happens
        String notCreated = TestData.newOrgId("console-csrf");
        given().cookie(ConsoleSessions.COOKIE, operator.cookie()).formParam("orgId", notCreated)
                .post("/console/connectors").then().statusCode(403);
        api().get("/connectors/" + notCreated).then().statusCode(404);
        given().cookie(ConsoleSessions.COOKIE, operator.cookie()).formParam("confirm", "yes")
                .post("/console/connectors/" + orgId + "/delete").then().statusCode(403);
        api().get("/connectors/" + orgId).then().statusCode(200);
        given().cookie(ConsoleSessions.COOKIE, operator.cookie()).post("/console/connectors/" + orgId + "/authorize/consent")
                .then().statusCode(403);

        // with the token (form field or htmx header) it is saved
        given().cookie(ConsoleSessions.COOKIE, operator.cookie()).formParam("csrf", operator.csrf())
                .formParam("setting", "presenceSync").post("/console/connectors/" + orgId + "/settings")
                .then().statusCode(200).body(containsString("Presence sync is off."));
        api().get("/connectors/" + orgId).then().body("presenceSync", equalTo(false));
        given().cookie(ConsoleSessions.COOKIE, operator.cookie()).header(ConsoleRequest.CSRF_HEADER, operator.csrf())
                .formParam("setting", "presenceSync").formParam("on", "true")
                .post("/console/connectors/" + orgId + "/settings").then().statusCode(200);
        api().get("/connectors/" + orgId).then().body("presenceSync", equalTo(true));

        // sign-out needs the token too, and then the cookie is cleared
        given().redirects().follow(false).cookie(ConsoleSessions.COOKIE, operator.cookie()).formParam("csrf", "forged")
                .post("/console/sign-out").then().statusCode(403);
        String cleared = given().redirects().follow(false).cookie(ConsoleSessions.COOKIE, operator.cookie())
                .formParam("csrf", operator.csrf()).post("/console/sign-out").then().statusCode(303)
                .extract().header("Set-Cookie");
        assertNotNull(cleared);
        assertTrue(cleared.startsWith(ConsoleSessions.COOKIE + "=;") && cleared.contains("Max-Age=0"), cleared);
    }
}
