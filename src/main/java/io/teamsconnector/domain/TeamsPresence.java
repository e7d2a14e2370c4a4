package io.teamsconnector.domain;

/** A Teams presence as Graph reports it: an availability and an activity. */
public record TeamsPresence(String availability, String activity) {
}
