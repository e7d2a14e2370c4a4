package io.teamsconnector.agents;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Body of {@code POST /agent-event}: the generic form ({@code orgId}, {@code agentId}, {@code type}
 * SIGNED_IN|SIGNED_OUT|STATE_CHANGED, ...) or a Webex Contact Center webhook event ({@code specversion},
 * {@code type} agent:login|agent:logout|agent:state_change, {@code data}). {@code source} is the change
 * source in the generic form and the event source URI in Webex's; {@code time} is ISO-8601 or epoch ms;
 * {@code channel} ({@code voice}, {@code chat}, {@code email}, {@code social}) goes with {@code ENGAGED}.
 */
public record AgentEventRequest(String orgId, String agentId, String type, String teamsUserId, String email,
                                String profileId, String state, String idleCode, String source, String reason,
                                JsonNode time, String id, String specversion, String comciscoorgid,
                                JsonNode comciscotimestamp, JsonNode data, String channel) {
}
