package io.teamsconnector.sync;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.teamsconnector.support.LongRunningService;

/** The presence-sync journey ({@link PresenceSyncJourney}) with the connector's default settings. */
@QuarkusTest
@TestProfile(LongRunningService.class)
class PresenceSyncJourneyTest extends PresenceSyncJourney {
}
