package io.teamsconnector.contactcenter;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.teamsconnector.domain.AgentState;
import io.teamsconnector.domain.DecisionReason;
import io.teamsconnector.domain.TeamsPresence;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.teamsconnector.support.NativeReflection.reached;
import static io.teamsconnector.support.NativeReflection.unregistered;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Types an ObjectMapper binds outside any endpoint: a native image keeps their reflection data only when told. */
class NativeJsonTypesTest {

    /**
     * Every type this package's code hands to an ObjectMapper's data binding. A new one goes here, and the
     * source scan in NativeHazardsTest fails until it does.
     */
    static final Class<?>[] BOUND = {
        // the outbox payload: sync's PresenceSyncService writes it, OutboxDelivery reads it
        StateChange.class,
        // the webhook adapter's request body (the Webex adapter builds a JsonObject)
        WebhookContactCenter.Body.class,
    };

    @Test
    void everyBoundTypeAndWhatItContainsIsRegistered() {
        assertEquals(List.of(), unregistered(BOUND));
    }

    @Test
    void theDomainTypesInsideThePayloadAreChecked() {
        assertTrue(reached(BOUND).containsAll(List.of(TeamsPresence.class, AgentState.class, DecisionReason.class)),
                () -> "reached: " + reached(BOUND));
    }

    @Test
    void aTypeWithoutTheAnnotationOrRegisteringOthersIsReported() {
        assertEquals(List.of(Unregistered.class, RegistersOthers.class), unregistered(Wrapper.class));
    }

    @RegisterForReflection
    record Wrapper(List<Unregistered> items, RegistersOthers[] others, String text) {
    }

    record Unregistered(String value) {
    }

    @RegisterForReflection(targets = StateChange.class)
    record RegistersOthers(String value) {
    }
}
