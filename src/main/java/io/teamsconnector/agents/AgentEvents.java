package io.teamsconnector.agents;

import com.fasterxml.jackson.databind.JsonNode;
import io.teamsconnector.agents.AgentEvent.Kind;
import io.teamsconnector.domain.AgentState;
import io.teamsconnector.domain.DomainException;
import io.teamsconnector.domain.ChangeSource;
import io.teamsconnector.domain.ConnectorRules;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import static io.teamsconnector.domain.ConnectorRules.requireId;

/**
 * Reads an agent event in either wire format (API.md, {@code /agent-event}) into an {@link AgentEvent}.
 * Plain Java: every refusal is a {@code 400} with a sentence naming the field.
 */
public final class AgentEvents {

    /** An event stamped further ahead than this is refused: it would make every later event look stale. */
    static final Duration MAX_CLOCK_AHEAD = Duration.ofMinutes(5);

    private static final Pattern GUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,255}");
    private static final int MAX_IDLE_CODE = 64;

    /**
     * Webex Contact Center agent states (lower case; agent:2.0.0 capitalises them). The sub-states of a
     * contact are all ENGAGED; not-responding is RONA; wrapup-done is no state of its own (null).
     */
    private static final Map<String, AgentState> WEBEX_STATES = Map.ofEntries(
            Map.entry("available", AgentState.AVAILABLE),
            Map.entry("idle", AgentState.IDLE),
            Map.entry("not-responding", AgentState.IDLE),
            Map.entry("ringing", AgentState.ENGAGED),
            Map.entry("reserved", AgentState.ENGAGED),
            Map.entry("connected", AgentState.ENGAGED),
            Map.entry("engaged", AgentState.ENGAGED),
            Map.entry("engagedother", AgentState.ENGAGED),
            Map.entry("on-hold", AgentState.ENGAGED),
            Map.entry("hold-done", AgentState.ENGAGED),
            Map.entry("consulting", AgentState.ENGAGED),
            Map.entry("consult-done", AgentState.ENGAGED),
            Map.entry("conferencing", AgentState.ENGAGED),
            Map.entry("conference-done", AgentState.ENGAGED),
            Map.entry("wrapup", AgentState.WRAP_UP),
            Map.entry("loggedout", AgentState.SIGNED_OUT));

    private AgentEvents() {
    }

    /** True when the body is a Webex Contact Center webhook event rather than the generic form. */
    static boolean isWebex(AgentEventRequest request) {
        return request.specversion() != null || (request.type() != null && request.type().startsWith("agent:"));
    }

    public static AgentEvent parse(AgentEventRequest request, Instant receivedAt) {
        if (request == null) {
            throw DomainException.invalid("A JSON agent event is required.");
        }
        return isWebex(request) ? webex(request, receivedAt) : generic(request, receivedAt);
    }

    private static AgentEvent generic(AgentEventRequest r, Instant receivedAt) {
        String orgId = requireId("orgId", r.orgId());
        String agentId = requireId("agentId", r.agentId());
        if (r.type() == null) {
            throw DomainException.invalid("type is required: SIGNED_IN, SIGNED_OUT or STATE_CHANGED.");
        }
        Kind kind = switch (r.type()) {
            case "SIGNED_IN" -> Kind.SIGNED_IN;
            case "SIGNED_OUT" -> Kind.SIGNED_OUT;
            case "STATE_CHANGED" -> Kind.STATE_CHANGED;
            default -> throw DomainException.invalid("type must be SIGNED_IN, SIGNED_OUT or STATE_CHANGED.");
        };
        AgentState state = r.state() == null ? null : switch (r.state()) {
            case "AVAILABLE" -> AgentState.AVAILABLE;
            case "IDLE" -> AgentState.IDLE;
            case "ENGAGED" -> AgentState.ENGAGED;
            case "WRAP_UP" -> AgentState.WRAP_UP;
            case "SIGNED_OUT" -> AgentState.SIGNED_OUT;
            default -> throw DomainException.invalid("state must be AVAILABLE, IDLE, ENGAGED or WRAP_UP.");
        };
        switch (kind) {
            case SIGNED_IN -> {
                if (state == AgentState.SIGNED_OUT) {
                    throw DomainException.invalid("A SIGNED_IN event cannot have state SIGNED_OUT.");
                }
                state = state == null ? AgentState.IDLE : state;
            }
            case SIGNED_OUT -> {
                if (state != null && state != AgentState.SIGNED_OUT) {
                    throw DomainException.invalid("A SIGNED_OUT event has no other state.");
                }
                state = AgentState.SIGNED_OUT;
            }
            case STATE_CHANGED -> {
                if (state == null) {
                    throw DomainException.invalid("A STATE_CHANGED event needs state: AVAILABLE, IDLE, ENGAGED or WRAP_UP.");
                }
                if (state == AgentState.SIGNED_OUT) {
                    throw DomainException.invalid("Sign-out is an event of its own: use type SIGNED_OUT.");
                }
            }
        }
        ChangeSource source = r.source() == null ? null : switch (r.source()) {
            case "AGENT" -> ChangeSource.AGENT;
            case "SUPERVISOR" -> ChangeSource.SUPERVISOR;
            case "RONA" -> ChangeSource.RONA;
            case "SYSTEM" -> ChangeSource.SYSTEM;
            case "PRESENCE_SYNC" -> ChangeSource.PRESENCE_SYNC;
            default -> throw DomainException.invalid("source must be AGENT, SUPERVISOR, RONA, SYSTEM or PRESENCE_SYNC.");
        };
        if (ChangeSource.PRESENCE_SYNC_REASON.equals(r.reason())) {
            source = ChangeSource.PRESENCE_SYNC;
        }
        return new AgentEvent(orgId, agentId, kind, teamsUserId(r.teamsUserId()), email("email", r.email()),
                r.profileId() == null ? null : requireId("profileId", r.profileId()), state,
                idleCode(state, r.idleCode()), source, ChangeSource.SYSTEM,
                time("time", r.time(), received(receivedAt), receivedAt), channel(state, r.channel()));
    }

    private static AgentEvent webex(AgentEventRequest r, Instant receivedAt) {
        JsonNode data = r.data();
        if (data == null || !data.isObject()) {
            throw DomainException.invalid("A Webex Contact Center event needs a data object.");
        }
        String orgId = requireId("data.orgId", text(data, "orgId") != null ? text(data, "orgId") : r.comciscoorgid());
        String agentId = requireId("data.agentId", text(data, "agentId"));
        String currentState = text(data, "currentState");
        Kind kind;
        AgentState state;
        ChangeSource fallback;
        switch (r.type() == null ? "" : r.type()) {
            case "agent:login" -> {
                kind = Kind.SIGNED_IN;
                AgentState reported = currentState == null ? null : webexState(currentState);
                // every agent starts Idle at sign-in, by the system's doing
                state = reported == null || reported == AgentState.SIGNED_OUT ? AgentState.IDLE : reported;
                fallback = ChangeSource.SYSTEM;
            }
            case "agent:logout" -> {
                kind = Kind.SIGNED_OUT;
                state = AgentState.SIGNED_OUT;
                fallback = ChangeSource.SYSTEM;
            }
            // version 2 reports the same change per channel, and per channel type
            case "agent:state_change", "agent:channel_state_change", "agent:channelType_state_change" -> {
                if (currentState == null) {
                    throw DomainException.invalid("A Webex agent:state_change event needs data.currentState.");
                }
                state = webexState(currentState);
                kind = state == AgentState.SIGNED_OUT ? Kind.SIGNED_OUT : Kind.STATE_CHANGED;
                boolean rona = "not-responding".equalsIgnoreCase(currentState);
                fallback = rona ? ChangeSource.RONA
                        : state == AgentState.AVAILABLE || state == AgentState.IDLE ? ChangeSource.AGENT
                        : ChangeSource.SYSTEM;
            }
            default -> throw DomainException.invalid(
                    "Webex Contact Center event type must be agent:login, agent:logout, agent:state_change, "
                            + "agent:channel_state_change or agent:channelType_state_change.");
        }
        ChangeSource source = null;
        if ("not-responding".equalsIgnoreCase(currentState)) {
            source = ChangeSource.RONA;
        }
        String changedBy = text(data, "changedBy");
        if (changedBy != null) {
            String by = changedBy.toLowerCase(Locale.ROOT);
            source = by.contains("supervisor") ? ChangeSource.SUPERVISOR
                    : by.contains("agent") || by.equals("self") ? ChangeSource.AGENT
                    : by.contains("system") ? ChangeSource.SYSTEM : source;
        }
        if (ChangeSource.PRESENCE_SYNC_REASON.equals(text(data, "lastStateChangeReason"))) {
            source = ChangeSource.PRESENCE_SYNC;
        }
        String idleCode = text(data, "idleCodeId") != null ? text(data, "idleCodeId") : text(data, "auxCodeId");
        String email = firstText(data, "email", "agentEmail", "emailId", "agentLogin");
        String profileId = firstText(data, "profileId", "agentProfileId", "desktopProfileId");
        Instant occurredAt = time("data.createdTime", data.get("createdTime"), null, receivedAt);
        if (occurredAt == null) {
            occurredAt = time("time", r.time(), null, receivedAt);
        }
        if (occurredAt == null) {
            occurredAt = time("comciscotimestamp", r.comciscotimestamp(), received(receivedAt), receivedAt);
        }
        return new AgentEvent(orgId, agentId, kind, teamsUserId(text(data, "teamsUserId")),
                email == null || !EMAIL.matcher(email).matches() ? null : email,
                profileId == null ? null : requireId("data.profileId", profileId), state, idleCode(state, idleCode),
                source, fallback, occurredAt,
                state == AgentState.ENGAGED ? webexChannel(text(data, "channelType")) : null);
    }

    /** The generic form's channel: voice, chat, email or social, with ENGAGED; dropped with any other state. */
    private static String channel(AgentState state, String value) {
        if (value == null) {
            return null;
        }
        if (!ConnectorRules.WRITE_BACK_CHANNELS.contains(value)) {
            throw DomainException.invalid("channel must be voice, chat, email or social.");
        }
        return state == AgentState.ENGAGED ? value : null;
    }

    /** Webex's channelType (telephony, chat, email, social) as the connector's channel; another one is none. */
    private static String webexChannel(String channelType) {
        if (channelType == null) {
            return null;
        }
        String type = channelType.toLowerCase(Locale.ROOT);
        return type.equals("telephony") ? "voice" : ConnectorRules.WRITE_BACK_CHANNELS.contains(type) ? type : null;
    }

    private static AgentState webexState(String currentState) {
        String key = currentState.toLowerCase(Locale.ROOT);
        if ("wrapup-done".equals(key)) {
            return null;
        }
        AgentState state = WEBEX_STATES.get(key);
        if (state == null) {
            throw DomainException.invalid("data.currentState '" + shorten(currentState)
                    + "' is not a Webex Contact Center agent state this connector knows.");
        }
        return state;
    }

    private static String teamsUserId(String value) {
        if (value == null) {
            return null;
        }
        if (!GUID.matcher(value).matches()) {
            throw DomainException.invalid("teamsUserId must be the Entra object id (a GUID) of the agent's Teams user.");
        }
        return value.toLowerCase(Locale.ROOT);
    }

    private static String email(String field, String value) {
        if (value == null) {
            return null;
        }
        String email = value.trim();
        if (email.length() > 320 || !EMAIL.matcher(email).matches()) {
            throw DomainException.invalid(field + " must be an email address.");
        }
        return email;
    }

    /** Idle codes belong to the Idle state only; other states drop one sent along. */
    private static String idleCode(AgentState state, String value) {
        if (state != AgentState.IDLE || value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > MAX_IDLE_CODE) {
            throw DomainException.invalid("idleCode must be at most " + MAX_IDLE_CODE + " characters.");
        }
        return value;
    }

    /** ISO-8601 text or epoch milliseconds (number or digits); {@code absent} when missing. */
    static Instant time(String field, JsonNode value, Instant absent, Instant receivedAt) {
        if (value == null || value.isNull()) {
            return absent;
        }
        Instant time;
        if (value.isIntegralNumber()) {
            time = Instant.ofEpochMilli(value.asLong());
        } else if (value.isTextual() && value.asText().matches("\\d{1,15}")) {
            time = Instant.ofEpochMilli(Long.parseLong(value.asText()));
        } else if (value.isTextual()) {
            try {
                time = OffsetDateTime.parse(value.asText()).toInstant();
            } catch (DateTimeParseException e) {
                throw DomainException.invalid(field + " must be an ISO-8601 time with offset, or epoch milliseconds.");
            }
        } else {
            throw DomainException.invalid(field + " must be an ISO-8601 time with offset, or epoch milliseconds.");
        }
        if (time.isAfter(receivedAt.plus(MAX_CLOCK_AHEAD))) {
            throw DomainException.invalid(field + " is more than 5 minutes in the future; check the sender's clock.");
        }
        // what PostgreSQL keeps: a duplicate compares equal to the stored time
        return time.truncatedTo(ChronoUnit.MICROS);
    }

    private static Instant received(Instant receivedAt) {
        return receivedAt.truncatedTo(ChronoUnit.MICROS);
    }

    private static String text(JsonNode data, String field) {
        JsonNode value = data.get(field);
        return value != null && value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }

    private static String firstText(JsonNode data, String... fields) {
        for (String field : fields) {
            String value = text(data, field);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private static String shorten(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "...";
    }
}
