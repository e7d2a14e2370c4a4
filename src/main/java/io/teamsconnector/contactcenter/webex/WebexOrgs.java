package io.teamsconnector.contactcenter.webex;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** Webex's ids of orgs and roles, as {@code GET /v1/people/me} answers them. Pure rules, no I/O. */
public final class WebexOrgs {

    /** Webex's role id of an org's full administrator, in its plain form. */
    public static final String FULL_ADMIN_ROLE = "id_full_admin";

    private WebexOrgs() {
    }

    /**
     * The person's org is the connector's org: the same id, or Webex's platform form of it
     * ({@code base64("ciscospark://us/ORGANIZATION/<id>")}), which people/me answers.
     */
    public static boolean sameOrg(String personOrgId, String orgId) {
        if (personOrgId == null || orgId == null) {
            return false;
        }
        return personOrgId.equals(orgId) || platformId(personOrgId, "ORGANIZATION").equals(orgId);
    }

    /** The org id as connectors name it: the plain id of Webex's platform form, or the id as it is. */
    public static String plainOrgId(String personOrgId) {
        String plain = platformId(personOrgId, "ORGANIZATION");
        return plain.isEmpty() ? personOrgId : plain;
    }

    /** True when the roles of people/me contain the org's full administrator role (plain or platform form). */
    public static boolean isFullAdmin(List<String> roles) {
        return roles != null && roles.stream()
                .anyMatch(r -> FULL_ADMIN_ROLE.equals(r) || FULL_ADMIN_ROLE.equals(platformId(r, "ROLE")));
    }

    /** The {@code <id>} of {@code base64("ciscospark://<region>/<type>/<id>")}, or "" when it is not that form. */
    static String platformId(String value, String type) {
        if (value == null) {
            return "";
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(value.replace('+', '-').replace('/', '_')
                    .replace("=", "")), StandardCharsets.UTF_8);
            String marker = "/" + type + "/";
            int at = decoded.lastIndexOf(marker);
            return decoded.startsWith("ciscospark://") && at > 0 ? decoded.substring(at + marker.length()) : "";
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
