package io.teamsconnector.agents;

import io.teamsconnector.domain.AgentState;
import io.teamsconnector.domain.ChangeSource;
import io.teamsconnector.store.AgentRow;

import java.time.Instant;

/** The agent object of API.md. {@code teamsPresence} is null until a presence was observed. */
public record AgentView(String orgId, String agentId, String teamsUserId, String profileId, AgentState state,
                        String idleCode, ChangeSource lastChangeSource, Instant lastChangeAt,
                        PresenceView teamsPresence) {

    /** A Teams presence and when the connector first observed it. */
    public record PresenceView(String availability, String activity, Instant observedAt) {
    }

    static AgentView of(AgentRow row) {
        return new AgentView(row.orgId(), row.agentId(), row.teamsUserId(), row.profileId(), row.state(),
                row.idleCode(), row.lastChangeSource(), row.lastChangeAt(), row.presence() == null ? null
                : new PresenceView(row.presence().availability(), row.presence().activity(), row.presenceObservedAt()));
    }
}
