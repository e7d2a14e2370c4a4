package io.teamsconnector.domain;

import java.util.Objects;

/** An agent's contact-center desktop state, its idle code (Idle only) and who set it. */
public record DesktopState(AgentState state, String idleCode, ChangeSource source) {

    public DesktopState {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(source, "source");
    }

    /** Same state and idle code, whoever set them. */
    public boolean sameStateAs(DesktopState other) {
        return state == other.state && Objects.equals(idleCode, other.idleCode);
    }
}
