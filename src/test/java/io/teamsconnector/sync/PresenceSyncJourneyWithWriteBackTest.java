package io.teamsconnector.sync;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.teamsconnector.support.LongRunningService;
import io.teamsconnector.support.SyncScenario;

/**
 * The Teams-to-contact-center journey, unchanged, with write-back on: the agent's contact is written to Teams
 * (Busy / InACall) and cleared when it ends, and presence sync still decides exactly as without it.
 */
@QuarkusTest
@TestProfile(LongRunningService.class)
class PresenceSyncJourneyWithWriteBackTest extends PresenceSyncJourney {

    @Override
    protected SyncScenario scenario(String prefix, String mapping) {
        SyncScenario scenario = super.scenario(prefix + "-wb", mapping);
        scenario.writeBackOn(null);
        return scenario;
    }
}
