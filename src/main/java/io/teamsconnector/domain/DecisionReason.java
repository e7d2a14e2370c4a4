package io.teamsconnector.domain;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Why the sync rule did, or did not, change an agent's state (BEHAVIOR.md, The sync rule). */
@RegisterForReflection // in contactcenter's outbox payload and bodies, bound by an ObjectMapper: native must be told
public enum DecisionReason {
    /** Available agent, mapped Teams activity: made Idle with the mapped code. */
    APPLIED_IDLE,
    /** Idle by presence sync, presence now maps to another code: the idle code changed. */
    APPLIED_IDLE_CODE_CHANGE,
    /** Idle by presence sync, presence now unmapped: back to Available. */
    RESTORED_AVAILABLE,
    /**
     * Idle by presence sync when presence sync stopped applying (turned off, the profile's Teams integration
     * turned off, the connector deactivated): back to Available, so no agent stays Idle because of a switch.
     */
    RESTORED_SYNC_OFF,
    /** Idle by the agent, a supervisor, RONA or the system: presence sync never overrides that. */
    SKIPPED_NOT_SYNC_ORIGIN,
    /** On a contact or in its wrap-up: a contact is never interrupted. */
    SKIPPED_ENGAGED,
    /** Idle by presence sync with the code the presence maps to already. */
    SKIPPED_NO_CHANGE,
    /** Available agent, presence maps to no idle code. */
    SKIPPED_UNMAPPED,
    /** The agent is signed out of the contact center. */
    SKIPPED_SIGNED_OUT,
    /** The connector's presence-sync toggle is off. */
    SKIPPED_SYNC_OFF,
    /** The connector is not ACTIVE. */
    SKIPPED_CONNECTOR_INACTIVE,
    /** The agent's desktop profile has the Teams integration off (or the agent has no profile). */
    SKIPPED_PROFILE_DISABLED,
    /** No Teams (Entra) user has the agent's contact-center email: not read again until its next sign-in. */
    SKIPPED_NO_TEAMS_USER,
    /**
     * The reading shows the activity the connector itself wrote to Teams (write-back), while its session is
     * active or within the settle window after it was cleared: our own echo, never mapped.
     */
    SKIPPED_OWN_WRITE_BACK,
    /** Write-back: the agent's contact-center state was written to Teams ({@code setPresence}, or its renewal). */
    WROTE_TEAMS_PRESENCE,
    /** Write-back: the connector's presence session in Teams was cleared ({@code clearPresence}). */
    CLEARED_TEAMS_PRESENCE,
    /** Write-back: Graph refused the write for lack of {@code Presence.ReadWrite.All}; a new admin consent grants it. */
    WRITE_BACK_REFUSED;

    /** True when the decision changed the agent's state. */
    public boolean applied() {
        return this == APPLIED_IDLE || this == APPLIED_IDLE_CODE_CHANGE || this == RESTORED_AVAILABLE
                || this == RESTORED_SYNC_OFF;
    }
}
