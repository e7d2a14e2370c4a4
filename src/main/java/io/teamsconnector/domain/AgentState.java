package io.teamsconnector.domain;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Contact-center desktop state of an agent. */
@RegisterForReflection // in contactcenter's outbox payload and bodies, bound by an ObjectMapper: native must be told
public enum AgentState {
    AVAILABLE, IDLE, ENGAGED, WRAP_UP, SIGNED_OUT
}
