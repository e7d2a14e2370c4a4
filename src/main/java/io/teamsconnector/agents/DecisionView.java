package io.teamsconnector.agents;

import io.teamsconnector.domain.AgentState;
import io.teamsconnector.domain.ChangeSource;
import io.teamsconnector.domain.DecisionReason;
import io.teamsconnector.domain.DesktopState;
import io.teamsconnector.store.DecisionRow;

import java.time.Instant;

/** A decision of API.md: the presence evaluated, the state before and after, and the reason. */
public record DecisionView(Instant at, AgentView.PresenceView teamsPresence, State before, DecisionReason reason,
                           State after) {

    /** An agent's desktop state in a decision. */
    public record State(AgentState state, String idleCode, ChangeSource lastChangeSource) {
        static State of(DesktopState desktop) {
            return new State(desktop.state(), desktop.idleCode(), desktop.source());
        }
    }

    static DecisionView of(DecisionRow row) {
        return new DecisionView(row.at(), row.presence() == null ? null
                : new AgentView.PresenceView(row.presence().availability(), row.presence().activity(),
                        row.presenceObservedAt()),
                State.of(row.before()), row.reason(), State.of(row.after()));
    }
}
