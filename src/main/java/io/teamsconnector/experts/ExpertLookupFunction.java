package io.teamsconnector.experts;

import io.quarkus.funqy.Funq;
import io.teamsconnector.store.ReactiveBridge;

/** {@code POST /expert-lookup}. */
public class ExpertLookupFunction {

    private final ExpertLookupService service;
    private final ReactiveBridge bridge;

    public ExpertLookupFunction(ExpertLookupService service, ReactiveBridge bridge) {
        this.service = service;
        this.bridge = bridge;
    }

    @Funq("expert-lookup")
    public ExpertLookupResult expertLookup(ExpertLookupRequest request) {
        ExpertQuery query = ExpertQuery.from(request);
        return bridge.await(() -> service.lookup(query));
    }
}
