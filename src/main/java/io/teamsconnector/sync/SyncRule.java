package io.teamsconnector.sync;

import io.teamsconnector.domain.AgentState;
import io.teamsconnector.domain.ChangeSource;
import io.teamsconnector.domain.ConnectorStatus;
import io.teamsconnector.domain.DecisionReason;
import io.teamsconnector.domain.DesktopState;
import io.teamsconnector.domain.TeamsPresence;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The sync rule of BEHAVIOR.md as a plain function: (connector settings, agent state, Teams presence)
 * to a decision with its reason. No I/O, no clock, no framework.
 */
public final class SyncRule {

    private SyncRule() {
    }

    /** What the rule needs to know about the connector and the agent's desktop profile. */
    public record Settings(ConnectorStatus status, boolean presenceSync, boolean profileEnabled,
                           Map<String, String> mapping) {
        public Settings {
            mapping = Map.copyOf(mapping);
        }
    }

    /** The outcome of one evaluation; {@code after} equals {@code before} unless the reason is an applied one. */
    public record Decision(DecisionReason reason, DesktopState before, DesktopState after) {
        public boolean applied() {
            return reason.applied();
        }
    }

    /** Why presence sync does not apply to agents under these settings at all, if it does not. */
    public static Optional<DecisionReason> gate(Settings settings) {
        if (settings.status() != ConnectorStatus.ACTIVE) {
            return Optional.of(DecisionReason.SKIPPED_CONNECTOR_INACTIVE);
        }
        if (!settings.presenceSync()) {
            return Optional.of(DecisionReason.SKIPPED_SYNC_OFF);
        }
        if (!settings.profileEnabled()) {
            return Optional.of(DecisionReason.SKIPPED_PROFILE_DISABLED);
        }
        return Optional.empty();
    }

    /**
     * The idle code the presence maps to: the entry for its activity if there is one, otherwise the
     * entry for its availability, otherwise none (unmapped).
     */
    public static Optional<String> idleCodeFor(Map<String, String> mapping, TeamsPresence presence) {
        String byActivity = presence.activity() == null ? null : mapping.get(presence.activity());
        if (byActivity != null) {
            return Optional.of(byActivity);
        }
        return Optional.ofNullable(presence.availability() == null ? null : mapping.get(presence.availability()));
    }

    /** Evaluates the rule for one agent and one observed presence. */
    public static Decision decide(Settings settings, DesktopState agent, TeamsPresence presence) {
        Objects.requireNonNull(agent, "agent");
        Optional<DecisionReason> gated = gate(settings);
        if (gated.isPresent()) {
            // what presence sync did, it undoes when it stops applying; anyone else's Idle stays
            return madeIdleBySync(agent)
                    ? change(DecisionReason.RESTORED_SYNC_OFF, agent,
                            new DesktopState(AgentState.AVAILABLE, null, ChangeSource.PRESENCE_SYNC))
                    : unchanged(gated.get(), agent);
        }
        Objects.requireNonNull(presence, "presence");
        Optional<String> code = idleCodeFor(settings.mapping(), presence);
        return switch (agent.state()) {
            case SIGNED_OUT -> unchanged(DecisionReason.SKIPPED_SIGNED_OUT, agent);
            case ENGAGED, WRAP_UP -> unchanged(DecisionReason.SKIPPED_ENGAGED, agent);
            case AVAILABLE -> code
                    .map(c -> change(DecisionReason.APPLIED_IDLE, agent, new DesktopState(AgentState.IDLE, c,
                            ChangeSource.PRESENCE_SYNC)))
                    .orElseGet(() -> unchanged(DecisionReason.SKIPPED_UNMAPPED, agent));
            case IDLE -> idle(agent, code);
        };
    }

    /** Idle with the code presence sync set: the last change was presence sync's. */
    public static boolean madeIdleBySync(DesktopState agent) {
        return agent.state() == AgentState.IDLE && agent.source() == ChangeSource.PRESENCE_SYNC;
    }

    private static Decision idle(DesktopState agent, Optional<String> code) {
        if (agent.source() != ChangeSource.PRESENCE_SYNC) {
            return unchanged(DecisionReason.SKIPPED_NOT_SYNC_ORIGIN, agent);
        }
        if (code.isEmpty()) {
            return change(DecisionReason.RESTORED_AVAILABLE, agent,
                    new DesktopState(AgentState.AVAILABLE, null, ChangeSource.PRESENCE_SYNC));
        }
        if (code.get().equals(agent.idleCode())) {
            return unchanged(DecisionReason.SKIPPED_NO_CHANGE, agent);
        }
        return change(DecisionReason.APPLIED_IDLE_CODE_CHANGE, agent,
                new DesktopState(AgentState.IDLE, code.get(), ChangeSource.PRESENCE_SYNC));
    }

    private static Decision unchanged(DecisionReason reason, DesktopState agent) {
        return new Decision(reason, agent, agent);
    }

    private static Decision change(DecisionReason reason, DesktopState before, DesktopState after) {
        return new Decision(reason, before, after);
    }
}
