package io.teamsconnector.agents;

import io.quarkus.funqy.Funq;
import io.teamsconnector.store.ReactiveBridge;
import io.teamsconnector.sync.ImmediateReads;

import java.time.Instant;

/** {@code POST /agent-event}: one contact-center agent event in, the resulting agent object out. */
public class AgentEventFunction {

    private final AgentService service;
    private final ImmediateReads reads;
    private final ReactiveBridge bridge;

    public AgentEventFunction(AgentService service, ImmediateReads reads, ReactiveBridge bridge) {
        this.service = service;
        this.reads = reads;
        this.bridge = bridge;
    }

    @Funq("agent-event")
    public AgentView agentEvent(AgentEventRequest request) {
        AgentEvent event = AgentEvents.parse(request, Instant.now());
        AgentService.Applied applied = bridge.await(() -> service.apply(event));
        if (applied.readPresence()) {
            // after the commit, off the request: the answer never waits for Graph
            reads.request(event.orgId(), event.agentId());
        }
        return applied.agent();
    }
}
