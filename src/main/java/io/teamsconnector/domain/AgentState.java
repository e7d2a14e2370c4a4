package io.teamsconnector.domain;

/** Contact-center desktop state of an agent. */
public enum AgentState {
    AVAILABLE, IDLE, ENGAGED, WRAP_UP, SIGNED_OUT
}
