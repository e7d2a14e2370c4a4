package io.teamsconnector.agents;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.teamsconnector.agents.AgentEvent.Kind;
import io.teamsconnector.domain.AgentState;
import io.teamsconnector.domain.DomainException;
import io.teamsconnector.domain.ChangeSource;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading both wire formats of {@code /agent-event}. */
class AgentEventsTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant NOW = Instant.parse("2026-12-01T09:00:00Z");

    private static AgentEvent parse(String json) throws Exception {
        return AgentEvents.parse(JSON.readValue(json, AgentEventRequest.class), NOW);
    }

    @Test
    void genericSignInDefaultsToIdleWithoutAStatedSource() throws Exception {
        AgentEvent event = parse("{\"orgId\":\"acme\",\"agentId\":\"a-1\",\"type\":\"SIGNED_IN\","
                + "\"teamsUserId\":\"66825E03-7EF5-42DA-9069-4DA7D4F8E7A5\",\"email\":\"ada@example.com\",\"profileId\":\"p-1\"}");

        assertEquals(Kind.SIGNED_IN, event.kind());
        assertEquals(AgentState.IDLE, event.state());
        assertNull(event.source());
        assertEquals(ChangeSource.SYSTEM, event.fallbackSource());
        assertEquals("66825e03-7ef5-42da-9069-4da7d4f8e7a5", event.teamsUserId(), "object ids compare lower case");
        assertEquals(NOW, event.occurredAt(), "no time: the time it was received");
    }

    @Test
    void genericIdleKeepsItsCodeOtherStatesDropOne() throws Exception {
        assertEquals("lunch", parse("{\"orgId\":\"acme\",\"agentId\":\"a-1\",\"type\":\"STATE_CHANGED\",\"state\":\"IDLE\","
                + "\"idleCode\":\"lunch\",\"source\":\"AGENT\"}").idleCode());
        assertNull(parse("{\"orgId\":\"acme\",\"agentId\":\"a-1\",\"type\":\"STATE_CHANGED\",\"state\":\"AVAILABLE\","
                + "\"idleCode\":\"lunch\"}").idleCode());
    }

    @Test
    void theReasonTagMarksTheConnectorsOwnChange() throws Exception {
        AgentEvent event = parse("{\"orgId\":\"acme\",\"agentId\":\"a-1\",\"type\":\"STATE_CHANGED\",\"state\":\"IDLE\","
                + "\"idleCode\":\"idle-call\",\"source\":\"SYSTEM\",\"reason\":\"TeamsPresenceSync\"}");

        assertEquals(ChangeSource.PRESENCE_SYNC, event.source());
    }

    @Test
    void timesAreIsoOrEpochMilliseconds() throws Exception {
        String base = "{\"orgId\":\"acme\",\"agentId\":\"a-1\",\"type\":\"SIGNED_OUT\",\"time\":";
        assertEquals(Instant.parse("2026-12-01T08:00:00Z"), parse(base + "\"2026-12-01T09:00:00+01:00\"}").occurredAt());
        assertEquals(Instant.ofEpochMilli(1_796_112_000_123L), parse(base + "1796112000123}").occurredAt());
        assertEquals(Instant.ofEpochMilli(1_796_112_000_123L), parse(base + "\"1796112000123\"}").occurredAt());
    }

    @Test
    void anEngagedAgentsChannelIsKeptAndAnUnknownOneRefused() throws Exception {
        String base = "{\"orgId\":\"acme\",\"agentId\":\"a-1\",\"type\":\"STATE_CHANGED\",\"state\":";
        assertEquals("chat", parse(base + "\"ENGAGED\",\"channel\":\"chat\"}").channel());
        assertNull(parse(base + "\"ENGAGED\"}").channel());
        assertNull(parse(base + "\"AVAILABLE\",\"channel\":\"chat\"}").channel(), "a channel goes with ENGAGED only");
        DomainException fax = assertThrows(DomainException.class, () -> parse(base + "\"ENGAGED\",\"channel\":\"fax\"}"));
        assertEquals(DomainException.Kind.INVALID, fax.kind());
        assertTrue(fax.getMessage().contains("channel"));
    }

    @Test
    void webexChannelTypesAreChannels() throws Exception {
        String base = "{\"specversion\":\"1.0\",\"type\":\"agent:channel_state_change\",\"data\":{\"orgId\":\"acme\","
                + "\"agentId\":\"a-1\",\"currentState\":\"connected\",\"channelType\":\"";
        assertEquals("voice", parse(base + "telephony\"}}").channel());
        assertEquals("email", parse(base + "email\"}}").channel());
        assertNull(parse(base + "carrier-pigeon\"}}").channel(), "a channel the connector does not know is none");
    }

    @Test
    void webexStateChangeTakesTheOrgFromDataAndTheTimeItHappened() throws Exception {
        AgentEvent event = parse("{\"id\":\"e1\",\"specversion\":\"1.0\",\"type\":\"agent:state_change\","
                + "\"source\":\"/com/cisco/wxcc/s1\",\"comciscoorgid\":\"other\",\"comciscotimestamp\":1796115600999,"
                + "\"data\":{\"orgId\":\"acme\",\"agentId\":\"55de70fc-af58-40e8-b7f8-c23536a53e76\","
                + "\"currentState\":\"idle\",\"idleCodeId\":\"AXUr0jX9H5Tuplm_IxiC\",\"createdTime\":1796115600000}}");

        assertEquals("acme", event.orgId());
        assertEquals(Kind.STATE_CHANGED, event.kind());
        assertEquals(AgentState.IDLE, event.state());
        assertEquals("AXUr0jX9H5Tuplm_IxiC", event.idleCode());
        assertNull(event.source(), "Webex does not say who changed the state");
        assertEquals(ChangeSource.AGENT, event.fallbackSource());
        assertEquals(Instant.ofEpochMilli(1_796_115_600_000L), event.occurredAt());
    }

    @Test
    void webexVersionTwoCapitalisedStatesAreUnderstood() throws Exception {
        String base = "{\"specversion\":\"1.0\",\"type\":\"agent:state_change\",\"data\":{\"orgId\":\"acme\","
                + "\"agentId\":\"a-1\",\"currentState\":\"";
        assertEquals(AgentState.AVAILABLE, parse(base + "Available\"}}").state());
        assertEquals(AgentState.ENGAGED, parse(base + "EngagedOther\"}}").state());
        assertEquals(AgentState.WRAP_UP, parse(base + "WrapUp\"}}").state());
        assertEquals(Kind.SIGNED_OUT, parse(base + "LoggedOut\"}}").kind());
    }

    @Test
    void webexRonaIsIdleByRona() throws Exception {
        AgentEvent event = parse("{\"specversion\":\"1.0\",\"type\":\"agent:state_change\",\"data\":{\"orgId\":\"acme\","
                + "\"agentId\":\"a-1\",\"currentState\":\"not-responding\",\"idleCodeId\":\"rona\"}}");

        assertEquals(AgentState.IDLE, event.state());
        assertEquals(ChangeSource.RONA, event.source());
    }

    @Test
    void webexSaysWhoWhenItCan() throws Exception {
        String base = "{\"specversion\":\"1.0\",\"type\":\"agent:state_change\",\"data\":{\"orgId\":\"acme\","
                + "\"agentId\":\"a-1\",\"currentState\":\"idle\",\"idleCodeId\":\"c\",";
        assertEquals(ChangeSource.SUPERVISOR, parse(base + "\"changedBy\":\"supervisor\"}}").source());
        assertEquals(ChangeSource.PRESENCE_SYNC, parse(base + "\"lastStateChangeReason\":\"TeamsPresenceSync\"}}").source());
    }

    @Test
    void webexLoginIsASignInIdleBySystem() throws Exception {
        AgentEvent event = parse("{\"specversion\":\"1.0\",\"type\":\"agent:login\",\"data\":{\"orgId\":\"acme\","
                + "\"agentId\":\"a-1\",\"agentEmail\":\"ada@example.com\"}}");

        assertEquals(Kind.SIGNED_IN, event.kind());
        assertEquals(AgentState.IDLE, event.state());
        assertEquals(ChangeSource.SYSTEM, event.fallbackSource());
        assertEquals("ada@example.com", event.email());
    }

    @Test
    void refusalsNameTheField() throws Exception {
        DomainException state = assertThrows(DomainException.class, () -> parse(
                "{\"orgId\":\"acme\",\"agentId\":\"a-1\",\"type\":\"STATE_CHANGED\",\"state\":\"BUSY\"}"));
        assertEquals(DomainException.Kind.INVALID, state.kind());
        assertTrue(state.getMessage().contains("state"));
        DomainException future = assertThrows(DomainException.class, () -> parse(
                "{\"orgId\":\"acme\",\"agentId\":\"a-1\",\"type\":\"SIGNED_IN\",\"time\":\"2026-12-01T09:06:00Z\"}"));
        assertTrue(future.getMessage().contains("future"));
        DomainException webex = assertThrows(DomainException.class, () -> parse(
                "{\"specversion\":\"1.0\",\"type\":\"agent:state_change\",\"data\":{\"orgId\":\"acme\",\"agentId\":\"a-1\","
                        + "\"currentState\":\"levitating\"}}"));
        assertTrue(webex.getMessage().contains("levitating"));
        assertThrows(DomainException.class, () -> AgentEvents.parse(null, NOW));
    }
}
