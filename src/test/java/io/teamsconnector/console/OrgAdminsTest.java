package io.teamsconnector.console;

import io.teamsconnector.contactcenter.webex.WebexClient;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Who may sign in to the console with Webex: people/me's org and roles. */
class OrgAdminsTest {

    static final String FULL_ADMIN = platform("ROLE", "id_full_admin");

    static String platform(String type, String id) {
        return Base64.getEncoder().encodeToString(("ciscospark://us/" + type + "/" + id).getBytes(StandardCharsets.UTF_8));
    }

    static WebexClient.Me me(String orgId, String... roles) {
        return new WebexClient.Me(new WebexClient.Person("p1", "ada@acme.example", "Ada", orgId), List.of(roles));
    }

    @Test
    void aFullAdministratorSignsInToTheirOrg() {
        OrgAdmins.Verdict verdict = OrgAdmins.judge(me(platform("ORGANIZATION", "acme"), FULL_ADMIN));
        assertNull(verdict.refusal());
        assertEquals("acme", verdict.orgId());
        assertEquals("ada@acme.example", verdict.who());
        assertNull(OrgAdmins.judge(me("acme", "id_full_admin")).refusal());
    }

    @Test
    void everyoneElseIsRefused() {
        assertTrue(OrgAdmins.judge(me("acme")).refusal().contains("not a full administrator"));
        assertTrue(OrgAdmins.judge(me("acme", platform("ROLE", "id_readonly_admin"))).refusal()
                .contains("not a full administrator"));
        assertTrue(OrgAdmins.judge(me("acme", platform("ORGANIZATION", "id_full_admin"))).refusal() != null,
                "an org id is not a role");
        assertTrue(OrgAdmins.judge(me(null, FULL_ADMIN)).refusal().contains("which organization"));
        assertTrue(OrgAdmins.judge(me("acme/../x", FULL_ADMIN)).refusal().contains("which organization"));
    }
}
