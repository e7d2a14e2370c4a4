package io.teamsconnector.domain;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A Teams presence as Graph reports it: an availability and an activity. */
@RegisterForReflection // in contactcenter's outbox payload and bodies, bound by an ObjectMapper: native must be told
public record TeamsPresence(String availability, String activity) {
}
