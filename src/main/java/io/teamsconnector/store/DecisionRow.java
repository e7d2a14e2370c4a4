package io.teamsconnector.store;

import io.teamsconnector.domain.DecisionReason;
import io.teamsconnector.domain.DesktopState;
import io.teamsconnector.domain.TeamsPresence;

import java.time.Instant;

/** One recorded evaluation of the sync rule (table {@code decisions}); presence may be null when gated. */
public record DecisionRow(String orgId, String agentId, Instant at, TeamsPresence presence,
                          Instant presenceObservedAt, DesktopState before, DecisionReason reason,
                          DesktopState after) {
}
