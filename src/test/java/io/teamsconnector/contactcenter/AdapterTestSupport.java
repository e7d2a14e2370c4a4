package io.teamsconnector.contactcenter;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.teamsconnector.domain.AgentState;
import io.teamsconnector.domain.DecisionReason;
import io.teamsconnector.domain.TeamsPresence;

import java.time.Instant;

/** What the adapter tests share: Quarkus' JSON settings and two state changes. */
final class AdapterTestSupport {

    static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();
    static final Instant DECIDED = Instant.parse("2026-12-01T08:30:00.123456Z");
    static final StateChange IDLE = new StateChange("acme", "a-1", AgentState.IDLE, "idle-call",
            DecisionReason.APPLIED_IDLE, new TeamsPresence("Busy", "InACall"), DECIDED);
    static final StateChange AVAILABLE = new StateChange("acme", "a-1", AgentState.AVAILABLE, null,
            DecisionReason.RESTORED_AVAILABLE, new TeamsPresence("Available", "Available"), DECIDED);

    private AdapterTestSupport() {
    }
}
