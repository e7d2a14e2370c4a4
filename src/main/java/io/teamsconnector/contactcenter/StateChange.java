package io.teamsconnector.contactcenter;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.teamsconnector.domain.AgentState;
import io.teamsconnector.domain.DecisionReason;
import io.teamsconnector.domain.TeamsPresence;

import java.time.Instant;

/** A state change presence sync decided for one agent: what the contact center is asked to apply. */
@RegisterForReflection // the outbox payload: an ObjectMapper binds it outside any endpoint, native must be told
public record StateChange(String orgId, String agentId, AgentState state, String idleCode, DecisionReason decision,
                          TeamsPresence teamsPresence, Instant decidedAt) {
}
