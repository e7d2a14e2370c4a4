package io.teamsconnector.support;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * The service as it runs long-lived: the in-process schedule on (polling, delivery retries), with a
 * one-second poll interval so a test sees several rounds.
 */
public class LongRunningService implements QuarkusTestProfile {

    /** The poll interval of this profile. */
    public static final java.time.Duration POLL_INTERVAL = java.time.Duration.ofSeconds(1);

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "connector.in-process-schedule", "true",
                "connector.poll-interval", POLL_INTERVAL.toMillis() + "ms");
    }
}
