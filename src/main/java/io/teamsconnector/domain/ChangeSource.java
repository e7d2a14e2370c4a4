package io.teamsconnector.domain;

/** Who made an agent's last state change. */
public enum ChangeSource {
    AGENT, SUPERVISOR, RONA, SYSTEM, PRESENCE_SYNC
}
