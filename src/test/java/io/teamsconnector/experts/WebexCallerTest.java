package io.teamsconnector.experts;

import io.teamsconnector.domain.DomainException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A request made with a Webex token is for the token's org and agent (API.md, /expert-lookup). */
class WebexCallerTest {

    static final String ORG = "4f1d7c2a-9b3e-4e55-8d1a-0c6f2b7e9a10";
    static final String AGENT = "9d0f1b2c-3a4e-4f50-8a6b-7c8d9e0f1a2b";
    final WebexCaller caller = WebexCaller.of(WidgetFixture.platformId("PEOPLE", AGENT),
            WidgetFixture.platformId("ORGANIZATION", ORG));

    private static ExpertLookupRequest body(String orgId, String agentId) {
        return new ExpertLookupRequest(orgId, "ada", "Sales", "Analyst", 5, agentId);
    }

    @Test
    void peopleMesPlatformIdsBecomeContactCentersBareIds() {
        assertEquals(new WebexCaller(ORG, AGENT), caller);
        assertEquals(new WebexCaller("org-1", "agent-1"), WebexCaller.of("agent-1", "org-1"), "bare ids stay");
        assertNull(WebexCaller.of(null, ORG));
        assertNull(WebexCaller.of(AGENT, " "));
    }

    @Test
    void theOrgAndAgentComeFromTheTokenWhenTheBodyNamesNone() {
        assertEquals(new ExpertLookupRequest(ORG, "ada", "Sales", "Analyst", 5, AGENT), caller.scope(body(null, null)));
        assertEquals(new ExpertLookupRequest(ORG, null, null, null, null, AGENT), caller.scope(null));
        assertEquals(new ExpertLookupRequest(ORG, "ada", "Sales", "Analyst", 5, AGENT), caller.scope(body(" ", "")));
    }

    @Test
    void theBodyMayNameTheCallersOwnOrgAndAgentInEitherForm() {
        ExpertLookupRequest expected = new ExpertLookupRequest(ORG, "ada", "Sales", "Analyst", 5, AGENT);
        assertEquals(expected, caller.scope(body(ORG, AGENT)));
        assertEquals(expected, caller.scope(body(WidgetFixture.platformId("ORGANIZATION", ORG),
                WidgetFixture.platformId("PEOPLE", AGENT))));
    }

    @Test
    void anotherOrgIsForbidden() {
        DomainException refused = assertThrows(DomainException.class, () -> caller.scope(body("other-org", AGENT)));
        assertEquals(DomainException.Kind.FORBIDDEN, refused.kind());
        assertEquals("FORBIDDEN", refused.code());
        assertTrue(refused.getMessage().contains("another org"), refused.getMessage());
        assertThrows(DomainException.class, () -> caller.scope(body(WidgetFixture.platformId("ORGANIZATION", "x" + ORG),
                null)));
    }

    @Test
    void anotherAgentIsForbidden() {
        DomainException refused = assertThrows(DomainException.class, () -> caller.scope(body(ORG, "agent-2")));
        assertEquals(DomainException.Kind.FORBIDDEN, refused.kind());
        assertEquals("FORBIDDEN", refused.code());
        assertTrue(refused.getMessage().contains("another agent"), refused.getMessage());
        assertThrows(DomainException.class, () -> caller.scope(body(null, WidgetFixture.platformId("PEOPLE", "x"))));
    }
}
