package io.teamsconnector.experts;

import io.quarkus.funqy.Funq;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * {@code POST /expert-lookup}. Called with a Webex access token (the agent's widget), the request is bound to
 * the token's org and agent ({@link WebexCaller#scope}); called with an API key, it is taken as it is.
 */
public class ExpertLookupFunction {

    private final ExpertLookupService service;
    private final SecurityIdentity identity;

    public ExpertLookupFunction(ExpertLookupService service, SecurityIdentity identity) {
        this.service = service;
        this.identity = identity;
    }

    @Funq("expert-lookup")
    public ExpertLookupResult expertLookup(ExpertLookupRequest request) {
        WebexCaller caller = identity.getAttribute(WebexCaller.ATTRIBUTE);
        ExpertQuery query = ExpertQuery.from(caller == null ? request : caller.scope(request));
        return service.lookup(query);
    }
}
