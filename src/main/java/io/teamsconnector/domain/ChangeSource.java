package io.teamsconnector.domain;

/** Who made an agent's last state change. */
public enum ChangeSource {
    AGENT, SUPERVISOR, RONA, SYSTEM, PRESENCE_SYNC;

    /**
     * The reason presence sync tags its own contact-center state changes with; an agent event carrying
     * it is the connector's own change coming back.
     */
    public static final String PRESENCE_SYNC_REASON = "TeamsPresenceSync";
}
