package io.teamsconnector.experts;

import io.teamsconnector.domain.DomainException;
import io.teamsconnector.domain.WebexIds;

/**
 * Who calls {@code /expert-lookup} with a Webex access token, as Webex said ({@code GET /v1/people/me}): the
 * org and the agent. The agent is the person's CI user id, which is what Contact Center calls the agent id
 * ({@code $STORE.agent.agentId} in the Desktop, the id in agent events). Plain Java: the rule that binds a
 * request to its caller is {@link #scope}.
 */
public record WebexCaller(String orgId, String agentId) {

    /** The security identity's attribute holding the caller. */
    public static final String ATTRIBUTE = WebexCaller.class.getName();

    /** The caller of a people/me answer's {@code id} and {@code orgId}, in Contact Center's bare form. */
    public static WebexCaller of(String personId, String personOrgId) {
        if (personId == null || personId.isBlank() || personOrgId == null || personOrgId.isBlank()) {
            return null;
        }
        return new WebexCaller(WebexIds.orgId(personOrgId), WebexIds.personId(personId));
    }

    /**
     * The request as this caller may make it: for the caller's org and as the caller's agent, whatever the body
     * says. A body that names another org or another agent is refused ({@code FORBIDDEN}); one that names
     * neither, or the caller's own (in either id form), is fine.
     */
    public ExpertLookupRequest scope(ExpertLookupRequest body) {
        ExpertLookupRequest request = body == null ? new ExpertLookupRequest(null, null, null, null, null, null) : body;
        if (named(request.orgId()) && !WebexIds.orgId(request.orgId().trim()).equals(orgId)) {
            throw DomainException.forbidden("FORBIDDEN",
                    "The Webex access token belongs to another org than the request names.");
        }
        if (named(request.agentId()) && !WebexIds.personId(request.agentId().trim()).equals(agentId)) {
            throw DomainException.forbidden("FORBIDDEN",
                    "The Webex access token belongs to another agent than the request names.");
        }
        return new ExpertLookupRequest(orgId, request.query(), request.department(), request.jobTitle(),
                request.limit(), agentId);
    }

    private static boolean named(String value) {
        return value != null && !value.isBlank();
    }
}
