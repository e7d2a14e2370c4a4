package io.teamsconnector.support;

import io.restassured.response.Response;
import io.teamsconnector.consent.ConsentService;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static io.teamsconnector.support.TestData.api;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** An administrator's browser walking the consent flow: keeps its cookie, follows the redirect by hand. */
public final class ConsentBrowser {

    public String cookie;
    public URI microsoft;
    public Map<String, String> microsoftQuery;

    /** {@code POST authorize} with the API key, then opens the authorizeUrl; stops at Microsoft's page. */
    public static ConsentBrowser startConsent(String authorizePath) {
        String authorizeUrl = api().post(authorizePath).then().statusCode(200).extract().path("authorizeUrl");
        ConsentBrowser browser = new ConsentBrowser();
        browser.open(authorizeUrl);
        return browser;
    }

    /** Opens an authorizeUrl; the service answers on the test port, whatever the configured public host. */
    public Response openRaw(String authorizeUrl) {
        URI uri = URI.create(authorizeUrl);
        return given().redirects().follow(false).get(uri.getRawPath() + "?" + uri.getRawQuery());
    }

    public void open(String authorizeUrl) {
        Response response = openRaw(authorizeUrl);
        assertEquals(302, response.statusCode(), response.body().asString());
        cookie = response.getCookie(ConsentService.COOKIE);
        microsoft = URI.create(response.header("Location"));
        microsoftQuery = query(microsoft);
    }

    public String state() {
        return microsoftQuery.get("state");
    }

    /** Microsoft sends the browser back to the callback with these parameters. */
    public Response callback(Map<String, String> params) {
        return callbackWithCookie(params, cookie);
    }

    public static Response callbackWithCookie(Map<String, String> params, String cookie) {
        var request = given().redirects().follow(false);
        if (cookie != null) {
            request.cookie(ConsentService.COOKIE, cookie);
        }
        params.forEach(request::queryParam);
        return request.get("/consent/callback");
    }

    public static Map<String, String> query(URI uri) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }
}
