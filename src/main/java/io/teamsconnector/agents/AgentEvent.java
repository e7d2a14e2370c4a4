package io.teamsconnector.agents;

import io.teamsconnector.domain.AgentState;
import io.teamsconnector.domain.ChangeSource;

import java.time.Instant;

/**
 * One contact-center agent event, validated and in the connector's terms, whatever its wire format.
 *
 * @param state          the state the event reports; null when it reports none (a sub-state the connector
 *                       does not track, such as Webex's wrapup-done)
 * @param source         who made the change, when the event says so; null when it does not
 * @param fallbackSource who made it, by the format's conventions, when the event does not say
 * @param occurredAt     when the contact center says it happened (or when it was received)
 * @param channel        the channel of the contact an ENGAGED agent is on ({@code voice}, {@code chat},
 *                       {@code email}, {@code social}), or null when not told
 */
public record AgentEvent(String orgId, String agentId, Kind kind, String teamsUserId, String email,
                         String profileId, AgentState state, String idleCode, ChangeSource source,
                         ChangeSource fallbackSource, Instant occurredAt, String channel) {

    /** An event that names no channel. */
    public AgentEvent(String orgId, String agentId, Kind kind, String teamsUserId, String email, String profileId,
                      AgentState state, String idleCode, ChangeSource source, ChangeSource fallbackSource,
                      Instant occurredAt) {
        this(orgId, agentId, kind, teamsUserId, email, profileId, state, idleCode, source, fallbackSource,
                occurredAt, null);
    }

    /** What happened. */
    public enum Kind {
        SIGNED_IN, SIGNED_OUT, STATE_CHANGED
    }
}
