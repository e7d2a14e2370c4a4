package io.teamsconnector.support;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/** The service with an encryption key pair configured (the fixture's): subscriptions ask for resource data. */
public class RichNotificationsProfile implements QuarkusTestProfile {

    public static final String CERTIFICATE_ID = "test-encryption-1";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "connector.encryption-key-id", CERTIFICATE_ID,
                "connector.encryption-certificate", FakeHttp.resource("test-encryption-cert.pem"),
                "connector.encryption-private-key", FakeHttp.resource("test-encryption-key.pem"));
    }
}
