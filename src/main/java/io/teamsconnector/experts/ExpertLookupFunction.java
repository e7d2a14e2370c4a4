package io.teamsconnector.experts;

import io.quarkus.funqy.Funq;

/** {@code POST /expert-lookup}. */
public class ExpertLookupFunction {

    private final ExpertLookupService service;

    public ExpertLookupFunction(ExpertLookupService service) {
        this.service = service;
    }

    @Funq("expert-lookup")
    public ExpertLookupResult expertLookup(ExpertLookupRequest request) {
        ExpertQuery query = ExpertQuery.from(request);
        return service.lookup(query);
    }
}
