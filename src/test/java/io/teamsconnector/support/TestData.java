package io.teamsconnector.support;

import io.restassured.specification.RequestSpecification;

import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;

/** Shared test data: API keys, fresh organization ids, authenticated requests. */
public final class TestData {

    public static final String API_KEY = "test-key-1";
    public static final String OTHER_API_KEY = "test-key-2";
    public static final String TENANT_ID = "aaaaaaaa-0000-0000-0000-000000000001";

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private TestData() {
    }

    /** An organization id no other test uses. */
    public static String newOrgId(String prefix) {
        return prefix + "-" + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet();
    }

    /** A JSON request carrying a valid API key. */
    /** The connector's public URL in tests: its real (test) port, so Graph's fake reaches its webhooks. */
    public static String publicUrl() {
        return org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("connector.public-url", String.class);
    }

    public static RequestSpecification api() {
        return given().header("Authorization", "Bearer " + API_KEY).contentType("application/json");
    }
}
