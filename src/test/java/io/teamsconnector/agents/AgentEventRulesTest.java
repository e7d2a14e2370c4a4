package io.teamsconnector.agents;

import io.teamsconnector.agents.AgentEvent.Kind;
import io.teamsconnector.agents.AgentEventRules.Outcome;
import io.teamsconnector.agents.AgentEventRules.Result;
import io.teamsconnector.domain.AgentState;
import io.teamsconnector.domain.ChangeSource;
import io.teamsconnector.domain.DesktopState;
import io.teamsconnector.domain.TeamsPresence;
import io.teamsconnector.store.AgentRow;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How events change a stored agent: order, duplicates, the connector's own changes, identity. */
class AgentEventRulesTest {

    static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");
    static final Instant NOW = Instant.parse("2026-12-01T09:00:00Z");
    static final String USER = "66825e03-7ef5-42da-9069-4da7d4f8e7a5";

    private static AgentEvent event(Kind kind, AgentState state, String code, ChangeSource source, Instant at) {
        return new AgentEvent("acme", "a-1", kind, null, null, null, state, code, source, ChangeSource.SYSTEM, at);
    }

    private static AgentEvent signIn(Instant at) {
        return new AgentEvent("acme", "a-1", Kind.SIGNED_IN, USER, "ada@example.com", "p-1", AgentState.IDLE, null,
                null, ChangeSource.SYSTEM, at);
    }

    private static AgentEvent changed(AgentState state, String code, ChangeSource source, Instant at) {
        return event(Kind.STATE_CHANGED, state, code, source, at);
    }

    private static AgentRow stored(Result result) {
        return result.row().orElseThrow();
    }

    /** The agent after presence sync made it Idle with {@code code}, at our own clock. */
    private static AgentRow madeIdleBySync(AgentRow row, String code) {
        return row.evaluated(new TeamsPresence("Busy", "InACall"), NOW, "1/-", NOW)
                .changedTo(new DesktopState(AgentState.IDLE, code, ChangeSource.PRESENCE_SYNC), NOW);
    }

    @Test
    void signInCreatesAnIdleAgentStartedBySystemAndAsksForARead() {
        Result result = AgentEventRules.apply(Optional.empty(), signIn(T0), false, NOW);

        AgentRow row = stored(result);
        assertEquals(Outcome.CREATED, result.outcome());
        assertEquals(new DesktopState(AgentState.IDLE, null, ChangeSource.SYSTEM), row.desktop());
        assertEquals(USER, row.teamsUserId());
        assertEquals(AgentRow.GIVEN, row.teamsUserOrigin());
        assertEquals("p-1", row.profileId());
        assertEquals(T0, row.lastChangeAt());
        assertEquals(T0, row.lastEventAt());
        assertTrue(row.evaluationDue());
        assertTrue(result.readPresence());
    }

    @Test
    void anOlderEventIsStaleAndChangesNothing() {
        AgentRow row = stored(AgentEventRules.apply(Optional.empty(), signIn(T0.plusSeconds(10)), false, NOW));

        Result late = AgentEventRules.apply(Optional.of(row), changed(AgentState.AVAILABLE, null, ChangeSource.AGENT,
                T0.plusSeconds(5)), false, NOW);

        assertEquals(Outcome.STALE, late.outcome());
        assertTrue(late.row().isEmpty());
        assertFalse(late.readPresence());
    }

    @Test
    void theSameEventTwiceStoresNothingTheSecondTime() {
        AgentEvent available = changed(AgentState.AVAILABLE, null, ChangeSource.AGENT, T0.plusSeconds(1));
        AgentRow row = stored(AgentEventRules.apply(Optional.empty(), signIn(T0), false, NOW));
        row = stored(AgentEventRules.apply(Optional.of(row), available, false, NOW));

        Result again = AgentEventRules.apply(Optional.of(row), available, false, NOW);

        assertEquals(Outcome.UNCHANGED, again.outcome());
        assertTrue(again.row().isEmpty());
        assertFalse(again.readPresence());
    }

    @Test
    void aStateChangeBumpsTheVersionAndTakesTheEventTime() {
        AgentRow row = stored(AgentEventRules.apply(Optional.empty(), signIn(T0), false, NOW));

        AgentRow engaged = stored(AgentEventRules.apply(Optional.of(row),
                changed(AgentState.ENGAGED, null, ChangeSource.SYSTEM, T0.plusSeconds(3)), false, NOW));

        assertEquals(row.version() + 1, engaged.version());
        assertEquals(T0.plusSeconds(3), engaged.lastChangeAt());
    }

    @Test
    void becomingAvailableMakesADecisionDueAndAsksForARead() {
        AgentRow row = stored(AgentEventRules.apply(Optional.empty(), signIn(T0), false, NOW))
                .evaluated(new TeamsPresence("Busy", "InACall"), NOW, "1/-", NOW);

        Result available = AgentEventRules.apply(Optional.of(row),
                changed(AgentState.AVAILABLE, null, ChangeSource.AGENT, T0.plusSeconds(1)), false, NOW);

        assertTrue(stored(available).evaluationDue());
        assertTrue(available.readPresence());
    }

    @Test
    void goingOnAContactMakesNoDecisionDue() {
        AgentRow row = stored(AgentEventRules.apply(Optional.empty(), signIn(T0), false, NOW))
                .evaluated(new TeamsPresence("Busy", "InACall"), NOW, "1/-", NOW);

        Result engaged = AgentEventRules.apply(Optional.of(row),
                changed(AgentState.ENGAGED, null, ChangeSource.SYSTEM, T0.plusSeconds(1)), false, NOW);

        assertFalse(stored(engaged).evaluationDue());
        assertFalse(engaged.readPresence());
    }

    @Test
    void theConnectorsOwnChangeEchoedWithoutASourceKeepsPresenceSync() {
        AgentRow row = madeIdleBySync(stored(AgentEventRules.apply(Optional.empty(), signIn(T0), false, NOW)),
                "idle-call");

        Result echo = AgentEventRules.apply(Optional.of(row),
                changed(AgentState.IDLE, "idle-call", null, T0.plusSeconds(30)), false, NOW);

        assertEquals(Outcome.UNCHANGED, echo.outcome());
        AgentRow after = stored(echo);
        assertEquals(ChangeSource.PRESENCE_SYNC, after.lastChangeSource());
        assertEquals(row.version(), after.version());
        assertEquals(T0.plusSeconds(30), after.lastEventAt());
        assertFalse(echo.readPresence());
    }

    @Test
    void theConnectorsOwnChangeTaggedWithItsReasonKeepsPresenceSync() {
        AgentRow row = madeIdleBySync(stored(AgentEventRules.apply(Optional.empty(), signIn(T0), false, NOW)),
                "idle-call");

        Result echo = AgentEventRules.apply(Optional.of(row),
                changed(AgentState.IDLE, "idle-call", ChangeSource.PRESENCE_SYNC, T0.plusSeconds(30)), false, NOW);

        assertEquals(ChangeSource.PRESENCE_SYNC, stored(echo).lastChangeSource());
        assertEquals(row.version(), stored(echo).version());
    }

    @Test
    void anEarlierOwnChangeComingBackWhileANewerOneIsOnItsWayIsIgnored() {
        AgentRow idle = madeIdleBySync(stored(AgentEventRules.apply(Optional.empty(), signIn(T0), false, NOW)),
                "idle-call");
        AgentRow restored = idle.changedTo(new DesktopState(AgentState.AVAILABLE, null, ChangeSource.PRESENCE_SYNC), NOW);

        Result echo = AgentEventRules.apply(Optional.of(restored),
                changed(AgentState.IDLE, "idle-call", ChangeSource.PRESENCE_SYNC, T0.plusSeconds(30)), true, NOW);

        assertEquals(Outcome.OWN_CHANGE_SUPERSEDED, echo.outcome());
        assertEquals(AgentState.AVAILABLE, stored(echo).state());
        assertEquals(restored.version(), stored(echo).version());
    }

    @Test
    void anAgentChoosingTheSameCodeThemselvesTakesTheIdleOver() {
        AgentRow row = madeIdleBySync(stored(AgentEventRules.apply(Optional.empty(), signIn(T0), false, NOW)),
                "idle-call");

        AgentRow after = stored(AgentEventRules.apply(Optional.of(row),
                changed(AgentState.IDLE, "idle-call", ChangeSource.AGENT, T0.plusSeconds(30)), false, NOW));

        assertEquals(ChangeSource.AGENT, after.lastChangeSource());
        assertEquals(row.version() + 1, after.version());
    }

    @Test
    void anotherIdleCodeWithoutASourceIsTheFormatsFallback() {
        AgentRow row = madeIdleBySync(stored(AgentEventRules.apply(Optional.empty(), signIn(T0), false, NOW)),
                "idle-call");
        AgentEvent lunch = new AgentEvent("acme", "a-1", Kind.STATE_CHANGED, null, null, null, AgentState.IDLE,
                "lunch", null, ChangeSource.AGENT, T0.plusSeconds(30));

        AgentRow after = stored(AgentEventRules.apply(Optional.of(row), lunch, false, NOW));

        assertEquals(new DesktopState(AgentState.IDLE, "lunch", ChangeSource.AGENT), after.desktop());
    }

    @Test
    void aNewEmailForgetsTheUserResolvedFromTheOldOne() {
        AgentRow row = stored(AgentEventRules.apply(Optional.empty(), new AgentEvent("acme", "a-1", Kind.SIGNED_IN,
                null, "ada@example.com", "p-1", AgentState.IDLE, null, null, ChangeSource.SYSTEM, T0), false, NOW));
        AgentRow resolved = new AgentRow(row.orgId(), row.agentId(), USER, AgentRow.RESOLVED, row.email(),
                row.profileId(), row.state(), row.idleCode(), row.lastChangeSource(), row.lastChangeAt(),
                row.lastEventAt(), null, null, false, null, row.version(), row.createdAt(), row.updatedAt(), true);

        AgentRow after = stored(AgentEventRules.apply(Optional.of(resolved), new AgentEvent("acme", "a-1",
                Kind.STATE_CHANGED, null, "grace@example.com", null, AgentState.AVAILABLE, null, ChangeSource.AGENT,
                ChangeSource.SYSTEM, T0.plusSeconds(1)), false, NOW));

        assertNull(after.teamsUserId());
        assertNull(after.teamsUserOrigin());
        assertEquals("grace@example.com", after.email());
    }

    @Test
    void aGivenTeamsUserStaysWhateverTheEmail() {
        AgentRow row = stored(AgentEventRules.apply(Optional.empty(), signIn(T0), false, NOW));

        AgentRow after = stored(AgentEventRules.apply(Optional.of(row), new AgentEvent("acme", "a-1",
                Kind.STATE_CHANGED, null, "other@example.com", null, AgentState.AVAILABLE, null, ChangeSource.AGENT,
                ChangeSource.SYSTEM, T0.plusSeconds(1)), false, NOW));

        assertEquals(USER, after.teamsUserId());
        assertEquals(AgentRow.GIVEN, after.teamsUserOrigin());
    }

    @Test
    void signingInAgainRetriesAnEmailNobodyHad() {
        AgentRow row = stored(AgentEventRules.apply(Optional.empty(), new AgentEvent("acme", "a-1", Kind.SIGNED_IN,
                null, "ada@example.com", "p-1", AgentState.IDLE, null, null, ChangeSource.SYSTEM, T0), false, NOW));
        AgentRow notFound = new AgentRow(row.orgId(), row.agentId(), null, AgentRow.NOT_FOUND, row.email(),
                row.profileId(), row.state(), row.idleCode(), row.lastChangeSource(), row.lastChangeAt(),
                row.lastEventAt(), null, null, false, null, row.version(), row.createdAt(), row.updatedAt(), true);
        AgentRow signedOut = stored(AgentEventRules.apply(Optional.of(notFound),
                event(Kind.SIGNED_OUT, AgentState.SIGNED_OUT, null, null, T0.plusSeconds(1)), false, NOW));

        AgentRow again = stored(AgentEventRules.apply(Optional.of(signedOut), new AgentEvent("acme", "a-1",
                Kind.SIGNED_IN, null, null, null, AgentState.IDLE, null, null, ChangeSource.SYSTEM, T0.plusSeconds(2)),
                false, NOW));

        assertNull(again.teamsUserOrigin());
    }

    @Test
    void signingOutEndsTheDueEvaluation() {
        AgentRow row = stored(AgentEventRules.apply(Optional.empty(), signIn(T0), false, NOW));

        Result out = AgentEventRules.apply(Optional.of(row),
                event(Kind.SIGNED_OUT, AgentState.SIGNED_OUT, null, null, T0.plusSeconds(1)), false, NOW);

        assertEquals(AgentState.SIGNED_OUT, stored(out).state());
        assertFalse(stored(out).evaluationDue());
        assertFalse(out.readPresence());
    }

    @Test
    void aSecondSignInOfASignedInAgentIsADuplicate() {
        AgentRow row = stored(AgentEventRules.apply(Optional.empty(), signIn(T0), false, NOW))
                .evaluated(new TeamsPresence("Available", "Available"), NOW, "1/-", NOW);

        Result again = AgentEventRules.apply(Optional.of(row), signIn(T0), false, NOW);

        assertEquals(Outcome.UNCHANGED, again.outcome());
        assertFalse(again.readPresence());
    }
}
