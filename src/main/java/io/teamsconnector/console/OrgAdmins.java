package io.teamsconnector.console;

import io.teamsconnector.contactcenter.webex.WebexClient;
import io.teamsconnector.contactcenter.webex.WebexOrgs;

/** Who may sign in with Webex: a full administrator of their org. Pure rules over people/me's answer. */
final class OrgAdmins {

    private OrgAdmins() {
    }

    /** The org and the person to show, or the refusal to show. */
    record Verdict(String orgId, String who, String refusal) {
    }

    static Verdict judge(WebexClient.Me me) {
        WebexClient.Person person = me.person();
        String who = person.email() != null ? person.email() : person.displayName() != null ? person.displayName()
                : person.id();
        String orgId = WebexOrgs.plainOrgId(person.orgId());
        if (orgId == null || !orgId.matches("[A-Za-z0-9._-]{1,64}")) {
            return new Verdict(null, who, "Webex did not tell which organization " + who + " belongs to.");
        }
        if (!WebexOrgs.isFullAdmin(me.roles())) {
            return new Verdict(orgId, who, "You are signed in to Webex as " + who + ", who is not a full "
                    + "administrator of Webex organization " + orgId + ". Only an administrator of the organization "
                    + "can manage its connector; ask one, or the operator of this service.");
        }
        return new Verdict(orgId, who, null);
    }
}
