package io.teamsconnector.consent;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** people/me's orgId is the connector's org in either form Webex writes it. */
class WebexOrgTest {

    private static String platformId(String orgId) {
        return Base64.getEncoder().withoutPadding().encodeToString(
                ("ciscospark://us/ORGANIZATION/" + orgId).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theSameIdOrItsPlatformFormMatch() {
        String org = "4f1d7c2a-9b3e-4e55-8d1a-0c6f2b7e9a10";
        assertTrue(WebexLinkService.sameOrg(org, org));
        assertTrue(WebexLinkService.sameOrg(platformId(org), org));
    }

    @Test
    void anotherOrgOrNothingDoesNot() {
        String org = "4f1d7c2a-9b3e-4e55-8d1a-0c6f2b7e9a10";
        assertFalse(WebexLinkService.sameOrg("another-org", org));
        assertFalse(WebexLinkService.sameOrg(platformId("x" + org), org));
        assertFalse(WebexLinkService.sameOrg(Base64.getEncoder().encodeToString(("evil/ORGANIZATION/" + org)
                .getBytes(StandardCharsets.UTF_8)), org));
        assertFalse(WebexLinkService.sameOrg(null, org));
    }
}
