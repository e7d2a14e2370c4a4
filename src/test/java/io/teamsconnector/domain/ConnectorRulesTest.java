package io.teamsconnector.domain;

import io.teamsconnector.domain.DomainException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ConnectorRulesTest {

    @Test
    void idsAreOneToSixtyFourSafeCharacters() {
        assertDoesNotThrow(() -> ConnectorRules.requireId("orgId", "acme.eu_1-x"));
        assertDoesNotThrow(() -> ConnectorRules.requireId("orgId", "a".repeat(64)));
        assertEquals(DomainException.Kind.INVALID,
                assertThrows(DomainException.class, () -> ConnectorRules.requireId("orgId", "a".repeat(65))).kind());
        assertThrows(DomainException.class, () -> ConnectorRules.requireId("orgId", ""));
        assertThrows(DomainException.class, () -> ConnectorRules.requireId("orgId", "acme corp"));
        assertThrows(DomainException.class, () -> ConnectorRules.requireId("orgId", "acmé"));
        assertThrows(DomainException.class, () -> ConnectorRules.requireId("orgId", null));
    }

    @Test
    void mappingAcceptsActivityAndAvailabilityNames() {
        assertDoesNotThrow(() -> ConnectorRules.requireValidMapping(Map.of(
                "InACall", "idle-call", "DoNotDisturb", "idle-dnd", "Presenting", "idle-present",
                "BusyIdle", "x", "UrgentInterruptionsOnly", "c".repeat(64))));
    }

    @Test
    void mappingRefusesUnknownNamesAndBadCodes() {
        assertThrows(DomainException.class, () -> ConnectorRules.requireValidMapping(Map.of("InCall", "idle")));
        assertThrows(DomainException.class, () -> ConnectorRules.requireValidMapping(Map.of("inacall", "idle")));
        assertThrows(DomainException.class, () -> ConnectorRules.requireValidMapping(Map.of("InACall", "")));
        assertThrows(DomainException.class, () -> ConnectorRules.requireValidMapping(Map.of("InACall", "   ")));
        assertThrows(DomainException.class, () -> ConnectorRules.requireValidMapping(Map.of("InACall", "c".repeat(65))));
    }
}
