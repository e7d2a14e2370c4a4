package io.teamsconnector.contactcenter;

import io.teamsconnector.domain.AgentState;
import io.teamsconnector.domain.DecisionReason;
import io.teamsconnector.domain.TeamsPresence;

import java.time.Instant;

/** A state change presence sync decided for one agent: what the contact center is asked to apply. */
public record StateChange(String orgId, String agentId, AgentState state, String idleCode, DecisionReason decision,
                          TeamsPresence teamsPresence, Instant decidedAt) {
}
