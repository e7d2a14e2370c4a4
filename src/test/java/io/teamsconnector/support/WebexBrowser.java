package io.teamsconnector.support;

import io.restassured.response.Response;
import io.teamsconnector.consent.ConsentService;

import java.net.URI;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static io.teamsconnector.support.TestData.api;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An administrator's browser linking a connector to Webex: asks for the authorizeUrl, opens it (cookie),
 * follows the redirect to Webex's authorize page (the Webex fake signs the person in) and back to the
 * callback, as a browser does.
 */
public final class WebexBrowser {

    public String cookie;
    public URI webexAuthorize;
    public Map<String, String> authorizeQuery;
    public URI callback;

    /** Up to Webex's authorize page. */
    public static WebexBrowser start(String orgId) {
        String authorizeUrl = api().post("/connectors/" + orgId + "/webex/authorize").then().statusCode(200)
                .extract().path("authorizeUrl");
        WebexBrowser browser = new WebexBrowser();
        URI uri = URI.create(authorizeUrl);
        Response start = given().redirects().follow(false).get(uri.getRawPath() + "?" + uri.getRawQuery());
        assertEquals(302, start.statusCode(), start.body().asString());
        browser.cookie = start.getCookie(ConsentService.COOKIE);
        browser.webexAuthorize = URI.create(start.header("Location"));
        browser.authorizeQuery = ConsentBrowser.query(browser.webexAuthorize);
        return browser;
    }

    /** Webex's authorize page: the signed-in person is sent back to the callback with a code. */
    public WebexBrowser signIn() {
        // the URL as the service wrote it: already encoded
        Response webex = given().urlEncodingEnabled(false).redirects().follow(false).get(webexAuthorize.toString());
        assertEquals(302, webex.statusCode(), webex.body().asString());
        callback = URI.create(webex.header("Location"));
        return this;
    }

    /** The callback as Webex sent it, with this browser's cookie. */
    public Response finish() {
        return finishWithCookie(cookie);
    }

    public Response finishWithCookie(String withCookie) {
        var request = given().redirects().follow(false);
        if (withCookie != null) {
            request.cookie(ConsentService.COOKIE, withCookie);
        }
        return request.get(callback.getRawPath() + "?" + callback.getRawQuery());
    }

    /** The whole link, done the way a browser does it, as {@code person}; answers the callback page. */
    public static Response link(String orgId, WebexFake.Person person) {
        FakesResource.webex().signInAs(person);
        return start(orgId).signIn().finish();
    }
}
