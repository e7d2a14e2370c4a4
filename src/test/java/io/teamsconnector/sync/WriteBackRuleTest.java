package io.teamsconnector.sync;

import io.teamsconnector.domain.AgentState;
import io.teamsconnector.domain.ConnectorStatus;
import io.teamsconnector.domain.TeamsPresence;
import io.teamsconnector.domain.WriteBackSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static io.teamsconnector.domain.AgentState.ENGAGED;
import static io.teamsconnector.domain.AgentState.WRAP_UP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Write-back's table (README, "Both directions") and its loop guard, row by row, without HTTP. */
class WriteBackRuleTest {

    static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
    static final String USER = "3b1e6d5a-1c1f-4e0b-9d5e-2b7c1f0e9a11";
    static final TeamsPresence IN_A_CALL = new TeamsPresence("Busy", "InACall");
    static final TeamsPresence PRESENTING = new TeamsPresence("DoNotDisturb", "Presenting");
    static final TeamsPresence AVAILABLE = new TeamsPresence("Available", "Available");
    static final TeamsPresence IN_A_MEETING = new TeamsPresence("Busy", "InAMeeting");
    static final WriteBackRule.Settings ON = new WriteBackRule.Settings(ConnectorStatus.ACTIVE, true,
            Map.of("chat", "DoNotDisturb/Presenting"));

    private static WriteBackSession active(TeamsPresence written, Instant until) {
        return new WriteBackSession(USER, written, until, null);
    }

    private static WriteBackSession cleared(TeamsPresence written, Instant settleUntil) {
        return new WriteBackSession(USER, written, null, settleUntil);
    }

    // what the contact-center state asks for

    @Test
    void aVoiceContactShowsInACall() {
        assertEquals(Optional.of(IN_A_CALL), WriteBackRule.wanted(ON, ENGAGED, "voice"));
    }

    @Test
    void aChannelOfTheMappingShowsItsPresence() {
        assertEquals(Optional.of(PRESENTING), WriteBackRule.wanted(ON, ENGAGED, "chat"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"email", "social"})
    void anotherChannelShowsInACallByDefault(String channel) {
        assertEquals(Optional.of(IN_A_CALL), WriteBackRule.wanted(ON, ENGAGED, channel));
    }

    @Test
    void aContactWithoutAChannelShowsInACall() {
        assertEquals(Optional.of(IN_A_CALL), WriteBackRule.wanted(ON, ENGAGED, null));
    }

    @Test
    void wrapUpKeepsTheEngagedPresence() {
        assertEquals(Optional.of(PRESENTING), WriteBackRule.wanted(ON, WRAP_UP, "chat"));
    }

    @ParameterizedTest
    @EnumSource(value = AgentState.class, names = {"AVAILABLE", "IDLE", "SIGNED_OUT"})
    void anyOtherStateShowsNothingOfOurs(AgentState state) {
        assertEquals(Optional.empty(), WriteBackRule.wanted(ON, state, "voice"));
    }

    @Test
    void writeBackOffOrAnInactiveConnectorShowsNothingOfOurs() {
        assertEquals(Optional.empty(), WriteBackRule.wanted(
                new WriteBackRule.Settings(ConnectorStatus.ACTIVE, false, Map.of()), ENGAGED, "voice"));
        assertEquals(Optional.empty(), WriteBackRule.wanted(
                new WriteBackRule.Settings(ConnectorStatus.INACTIVE, true, Map.of()), ENGAGED, "voice"));
    }

    // what to do with our session

    @Test
    void nothingWrittenYetIsWritten() {
        WriteBackRule.Action action = WriteBackRule.next(Optional.of(IN_A_CALL), null, USER, NOW);
        assertEquals(new WriteBackRule.Action(WriteBackRule.Kind.WRITE, IN_A_CALL), action);
    }

    @Test
    void aSessionShowingWhatIsWantedIsLeftAloneUntilItsRenewal() {
        WriteBackSession session = active(IN_A_CALL, NOW.plus(Duration.ofMinutes(30)));
        assertEquals(WriteBackRule.Kind.NOTHING, WriteBackRule.next(Optional.of(IN_A_CALL), session, USER, NOW).kind());
    }

    @Test
    void aSessionIsRenewedBeforeItExpires() {
        Instant until = NOW.plus(WriteBackRule.RENEW_BEFORE).minusSeconds(1);
        WriteBackRule.Action action = WriteBackRule.next(Optional.of(IN_A_CALL), active(IN_A_CALL, until), USER, NOW);
        assertEquals(new WriteBackRule.Action(WriteBackRule.Kind.WRITE, IN_A_CALL), action);
        assertEquals(until.minus(WriteBackRule.RENEW_BEFORE), WriteBackRule.renewAt(until));
    }

    @Test
    void anotherChannelRewritesTheSession() {
        WriteBackSession session = active(IN_A_CALL, NOW.plus(Duration.ofMinutes(30)));
        assertEquals(new WriteBackRule.Action(WriteBackRule.Kind.WRITE, PRESENTING),
                WriteBackRule.next(Optional.of(PRESENTING), session, USER, NOW));
    }

    @Test
    void theEndOfTheContactClearsOurSession() {
        WriteBackSession session = active(IN_A_CALL, NOW.plus(Duration.ofMinutes(30)));
        assertEquals(new WriteBackRule.Action(WriteBackRule.Kind.CLEAR, IN_A_CALL),
                WriteBackRule.next(Optional.empty(), session, USER, NOW));
    }

    @Test
    void aSessionOnAnotherTeamsUserIsClearedFirst() {
        WriteBackSession session = active(IN_A_CALL, NOW.plus(Duration.ofMinutes(30)));
        assertEquals(WriteBackRule.Kind.CLEAR,
                WriteBackRule.next(Optional.of(IN_A_CALL), session, "9d2b4c1e-0000-4000-8000-000000000001", NOW).kind());
    }

    @Test
    void nothingWantedAndNothingOfOursIsNothingToDo() {
        assertEquals(WriteBackRule.Kind.NOTHING, WriteBackRule.next(Optional.empty(), null, USER, NOW).kind());
        assertEquals(WriteBackRule.Kind.NOTHING, WriteBackRule.next(Optional.empty(),
                cleared(IN_A_CALL, NOW.plusSeconds(30)), USER, NOW).kind());
        assertEquals(WriteBackRule.Kind.NOTHING, WriteBackRule.next(Optional.empty(),
                active(IN_A_CALL, NOW.minusSeconds(1)), USER, NOW).kind(), "an expired session is gone from Teams");
    }

    @Test
    void anAgentWithoutATeamsUserGetsNothingWritten() {
        assertEquals(WriteBackRule.Kind.NOTHING, WriteBackRule.next(Optional.of(IN_A_CALL), null, null, NOW).kind());
    }

    // the loop guard

    @Test
    void ourActivityWhileOurSessionIsActiveIsOurs() {
        assertTrue(WriteBackRule.ownEcho(active(IN_A_CALL, NOW.plusSeconds(600)), IN_A_CALL, NOW));
    }

    @Test
    void ourActivityWithinTheSettleWindowIsOurs() {
        assertTrue(WriteBackRule.ownEcho(cleared(IN_A_CALL, NOW.plusSeconds(1)), IN_A_CALL, NOW));
    }

    @Test
    void ourActivityAfterTheSettleWindowIsTheAgents() {
        assertFalse(WriteBackRule.ownEcho(cleared(IN_A_CALL, NOW), IN_A_CALL, NOW));
        assertFalse(WriteBackRule.ownEcho(cleared(IN_A_CALL, null), IN_A_CALL, NOW), "a window ended early");
    }

    @Test
    void aDifferentBusyActivityStillCounts() {
        assertFalse(WriteBackRule.ownEcho(active(IN_A_CALL, NOW.plusSeconds(600)), IN_A_MEETING, NOW));
        assertFalse(WriteBackRule.ownEcho(cleared(IN_A_CALL, NOW.plusSeconds(30)), IN_A_MEETING, NOW));
        assertFalse(WriteBackRule.ownEcho(cleared(IN_A_CALL, NOW.plusSeconds(30)), PRESENTING, NOW));
    }

    @Test
    void noSessionNoEcho() {
        assertFalse(WriteBackRule.ownEcho(null, IN_A_CALL, NOW));
    }

    @Test
    void aReadingWithoutOurActivityEndsTheSettleWindow() {
        assertTrue(WriteBackRule.endsSettle(cleared(IN_A_CALL, NOW.plusSeconds(30)), AVAILABLE, NOW));
        assertFalse(WriteBackRule.endsSettle(cleared(IN_A_CALL, NOW.plusSeconds(30)), IN_A_CALL, NOW), "the echo itself");
        assertFalse(WriteBackRule.endsSettle(active(IN_A_CALL, NOW.plusSeconds(600)), AVAILABLE, NOW),
                "while the session is active there is no window to end");
    }
}
