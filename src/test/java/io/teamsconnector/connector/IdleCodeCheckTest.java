package io.teamsconnector.connector;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The UNKNOWN_IDLE_CODE rule, without Webex. */
class IdleCodeCheckTest {

    @Test
    void theFirstValueThatIsNoIdleCodeOfTheOrgIsNamed() {
        Map<String, String> mapping = Map.of("Presenting", "ic-present", "InACall", "gone", "DoNotDisturb", "ic-dnd");

        var unknown = IdleCodeCheck.unknown(mapping, Set.of("ic-present", "ic-dnd"));

        assertEquals(Map.entry("InACall", "gone"), unknown.orElseThrow());
    }

    @Test
    void aMappingOfKnownCodesPasses() {
        assertTrue(IdleCodeCheck.unknown(Map.of("InACall", "ic-call"), Set.of("ic-call", "ic-dnd")).isEmpty());
    }
}
