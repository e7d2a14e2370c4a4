package io.teamsconnector.agents;

import io.quarkus.funqy.Funq;
import io.teamsconnector.store.ReactiveBridge;
import io.teamsconnector.store.WorkSignal;
import io.teamsconnector.store.WorkSignals;

import java.time.Instant;

/** {@code POST /agent-event}: one contact-center agent event in, the resulting agent object out. */
public class AgentEventFunction {

    private final AgentService service;
    private final WorkSignals signals;
    private final ReactiveBridge bridge;

    public AgentEventFunction(AgentService service, WorkSignals signals, ReactiveBridge bridge) {
        this.service = service;
        this.signals = signals;
        this.bridge = bridge;
    }

    @Funq("agent-event")
    public AgentView agentEvent(AgentEventRequest request) {
        AgentEvent event = AgentEvents.parse(request, Instant.now());
        AgentService.Applied applied = bridge.await(() -> service.apply(event));
        if (applied.readPresence()) {
            // after the commit, off the request: the answer never waits for Graph
            signals.send(WorkSignal.presenceRead(event.orgId(), event.agentId()));
        }
        if (applied.writeBack()) {
            signals.send(WorkSignal.writeBack(event.orgId()));
        }
        return applied.agent();
    }
}
