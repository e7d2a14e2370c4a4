package io.teamsconnector.sync;

import io.teamsconnector.domain.AgentState;
import io.teamsconnector.domain.ChangeSource;
import io.teamsconnector.domain.ConnectorStatus;
import io.teamsconnector.domain.DecisionReason;
import io.teamsconnector.domain.DesktopState;
import io.teamsconnector.domain.TeamsPresence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.teamsconnector.domain.AgentState.AVAILABLE;
import static io.teamsconnector.domain.AgentState.ENGAGED;
import static io.teamsconnector.domain.AgentState.IDLE;
import static io.teamsconnector.domain.ChangeSource.PRESENCE_SYNC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The table of BEHAVIOR.md, "The sync rule", row by row and cell by cell. */
class SyncRuleTest {

    static final Map<String, String> MAPPING = Map.of(
            "DoNotDisturb", "idle-dnd", "InACall", "idle-call", "Presenting", "idle-present");
    static final SyncRule.Settings ON = new SyncRule.Settings(ConnectorStatus.ACTIVE, true, true, MAPPING);

    static final TeamsPresence IN_A_CALL = new TeamsPresence("Busy", "InACall");
    static final TeamsPresence PRESENTING = new TeamsPresence("DoNotDisturb", "Presenting");
    static final TeamsPresence AVAILABLE_PRESENCE = new TeamsPresence("Available", "Available");
    static final TeamsPresence IN_A_MEETING = new TeamsPresence("Busy", "InAMeeting");

    private static DesktopState agent(AgentState state, String code, ChangeSource source) {
        return new DesktopState(state, code, source);
    }

    private static void assertUnchanged(SyncRule.Decision decision, DecisionReason reason) {
        assertEquals(reason, decision.reason());
        assertEquals(decision.before(), decision.after());
        assertFalse(decision.applied());
    }

    // Row 1: AVAILABLE, last change by anyone

    @ParameterizedTest
    @EnumSource(ChangeSource.class)
    void availableAgentWithMappedPresenceGoesIdleWithTheCode(ChangeSource by) {
        SyncRule.Decision decision = SyncRule.decide(ON, agent(AVAILABLE, null, by), IN_A_CALL);

        assertEquals(DecisionReason.APPLIED_IDLE, decision.reason());
        assertEquals(agent(IDLE, "idle-call", PRESENCE_SYNC), decision.after());
        assertTrue(decision.applied());
    }

    @ParameterizedTest
    @EnumSource(ChangeSource.class)
    void availableAgentWithUnmappedPresenceStaysAvailable(ChangeSource by) {
        assertUnchanged(SyncRule.decide(ON, agent(AVAILABLE, null, by), IN_A_MEETING), DecisionReason.SKIPPED_UNMAPPED);
    }

    // Row 2: IDLE, last change by PRESENCE_SYNC

    @Test
    void syncIdleAgentWithAnotherMappedCodeChangesTheCode() {
        SyncRule.Decision decision = SyncRule.decide(ON, agent(IDLE, "idle-call", PRESENCE_SYNC), PRESENTING);

        assertEquals(DecisionReason.APPLIED_IDLE_CODE_CHANGE, decision.reason());
        assertEquals(agent(IDLE, "idle-present", PRESENCE_SYNC), decision.after());
    }

    @Test
    void syncIdleAgentWithTheSameCodeIsNoChange() {
        assertUnchanged(SyncRule.decide(ON, agent(IDLE, "idle-call", PRESENCE_SYNC), IN_A_CALL),
                DecisionReason.SKIPPED_NO_CHANGE);
    }

    @Test
    void syncIdleAgentWithUnmappedPresenceIsRestoredToAvailable() {
        SyncRule.Decision decision = SyncRule.decide(ON, agent(IDLE, "idle-call", PRESENCE_SYNC), AVAILABLE_PRESENCE);

        assertEquals(DecisionReason.RESTORED_AVAILABLE, decision.reason());
        assertEquals(agent(AVAILABLE, null, PRESENCE_SYNC), decision.after());
    }

    // Row 3: IDLE, last change by AGENT, SUPERVISOR, RONA, SYSTEM

    @ParameterizedTest
    @EnumSource(value = ChangeSource.class, names = {"AGENT", "SUPERVISOR", "RONA", "SYSTEM"})
    void idleSetByAnyoneElseIsNeverOverriddenWhenMapped(ChangeSource by) {
        assertUnchanged(SyncRule.decide(ON, agent(IDLE, "lunch", by), IN_A_CALL), DecisionReason.SKIPPED_NOT_SYNC_ORIGIN);
    }

    @ParameterizedTest
    @EnumSource(value = ChangeSource.class, names = {"AGENT", "SUPERVISOR", "RONA", "SYSTEM"})
    void idleSetByAnyoneElseIsNeverOverriddenWhenUnmapped(ChangeSource by) {
        assertUnchanged(SyncRule.decide(ON, agent(IDLE, "lunch", by), AVAILABLE_PRESENCE),
                DecisionReason.SKIPPED_NOT_SYNC_ORIGIN);
    }

    @ParameterizedTest
    @EnumSource(value = ChangeSource.class, names = {"AGENT", "SUPERVISOR", "RONA", "SYSTEM"})
    void idleSetByAnyoneElseWithTheVeryCodeWeWouldSetIsStillNotOurs(ChangeSource by) {
        assertUnchanged(SyncRule.decide(ON, agent(IDLE, "idle-call", by), IN_A_CALL),
                DecisionReason.SKIPPED_NOT_SYNC_ORIGIN);
    }

    // Row 4: ENGAGED, WRAP_UP, anyone

    @ParameterizedTest
    @EnumSource(ChangeSource.class)
    void engagedAgentIsNeverInterrupted(ChangeSource by) {
        assertUnchanged(SyncRule.decide(ON, agent(AgentState.ENGAGED, null, by), IN_A_CALL), DecisionReason.SKIPPED_ENGAGED);
        assertUnchanged(SyncRule.decide(ON, agent(AgentState.ENGAGED, null, by), AVAILABLE_PRESENCE),
                DecisionReason.SKIPPED_ENGAGED);
    }

    @ParameterizedTest
    @EnumSource(ChangeSource.class)
    void wrapUpIsNeverInterrupted(ChangeSource by) {
        assertUnchanged(SyncRule.decide(ON, agent(AgentState.WRAP_UP, null, by), IN_A_CALL), DecisionReason.SKIPPED_ENGAGED);
        assertUnchanged(SyncRule.decide(ON, agent(AgentState.WRAP_UP, null, by), AVAILABLE_PRESENCE),
                DecisionReason.SKIPPED_ENGAGED);
    }

    @Test
    void signedOutAgentIsLeftAlone() {
        assertUnchanged(SyncRule.decide(ON, agent(AgentState.SIGNED_OUT, null, ChangeSource.SYSTEM), IN_A_CALL),
                DecisionReason.SKIPPED_SIGNED_OUT);
    }

    // Preconditions: connector ACTIVE, presence sync on, profile enabled

    @ParameterizedTest
    @EnumSource(value = ConnectorStatus.class, names = {"PENDING_CONSENT", "INACTIVE"})
    void connectorNotActiveChangesNothing(ConnectorStatus status) {
        SyncRule.Settings settings = new SyncRule.Settings(status, true, true, MAPPING);
        assertUnchanged(SyncRule.decide(settings, agent(AVAILABLE, null, ChangeSource.AGENT), IN_A_CALL),
                DecisionReason.SKIPPED_CONNECTOR_INACTIVE);
        assertUnchanged(SyncRule.decide(settings, agent(IDLE, "lunch", ChangeSource.AGENT), AVAILABLE_PRESENCE),
                DecisionReason.SKIPPED_CONNECTOR_INACTIVE);
    }

    @ParameterizedTest
    @MethodSource("switchedOff")
    void whatPresenceSyncDidItUndoesWhenItStopsApplying(SyncRule.Settings settings) {
        SyncRule.Decision decision = SyncRule.decide(settings, agent(IDLE, "idle-call", PRESENCE_SYNC), IN_A_CALL);
        assertEquals(DecisionReason.RESTORED_SYNC_OFF, decision.reason());
        assertEquals(new DesktopState(AVAILABLE, null, PRESENCE_SYNC), decision.after());
        assertTrue(decision.applied());
        // without a presence too: the switch alone decides
        assertEquals(DecisionReason.RESTORED_SYNC_OFF,
                SyncRule.decide(settings, agent(IDLE, "idle-call", PRESENCE_SYNC), null).reason());
    }

    @ParameterizedTest
    @MethodSource("switchedOff")
    void anyoneElsesIdleStaysWhenPresenceSyncStopsApplying(SyncRule.Settings settings) {
        for (ChangeSource other : List.of(ChangeSource.AGENT, ChangeSource.SUPERVISOR, ChangeSource.RONA, ChangeSource.SYSTEM)) {
            SyncRule.Decision decision = SyncRule.decide(settings, agent(IDLE, "idle-call", other), IN_A_CALL);
            assertFalse(decision.applied(), other + ": " + decision.reason());
        }
        assertFalse(SyncRule.decide(settings, agent(ENGAGED, null, PRESENCE_SYNC), IN_A_CALL).applied());
    }

    static List<SyncRule.Settings> switchedOff() {
        return List.of(new SyncRule.Settings(ConnectorStatus.INACTIVE, true, true, MAPPING),
                new SyncRule.Settings(ConnectorStatus.ACTIVE, false, true, MAPPING),
                new SyncRule.Settings(ConnectorStatus.ACTIVE, true, false, MAPPING));
    }

    @Test
    void presenceSyncOffChangesNothing() {
        SyncRule.Settings off = new SyncRule.Settings(ConnectorStatus.ACTIVE, false, true, MAPPING);
        assertUnchanged(SyncRule.decide(off, agent(AVAILABLE, null, ChangeSource.AGENT), IN_A_CALL),
                DecisionReason.SKIPPED_SYNC_OFF);
    }

    @Test
    void profileDisabledChangesNothing() {
        SyncRule.Settings disabled = new SyncRule.Settings(ConnectorStatus.ACTIVE, true, false, MAPPING);
        assertUnchanged(SyncRule.decide(disabled, agent(AVAILABLE, null, ChangeSource.AGENT), IN_A_CALL),
                DecisionReason.SKIPPED_PROFILE_DISABLED);
    }

    @Test
    void gatesNeedNoPresence() {
        SyncRule.Settings off = new SyncRule.Settings(ConnectorStatus.ACTIVE, false, true, MAPPING);
        assertUnchanged(SyncRule.decide(off, agent(AVAILABLE, null, ChangeSource.AGENT), null),
                DecisionReason.SKIPPED_SYNC_OFF);
    }

    // The mapping: activity first, then availability, else unmapped

    @Test
    void activityEntryWinsOverAvailabilityEntry() {
        Map<String, String> both = Map.of("Busy", "idle-busy", "InACall", "idle-call");
        assertEquals(Optional.of("idle-call"), SyncRule.idleCodeFor(both, IN_A_CALL));
    }

    @Test
    void availabilityEntryAppliesWhenTheActivityHasNone() {
        Map<String, String> busy = Map.of("Busy", "idle-busy");
        SyncRule.Settings settings = new SyncRule.Settings(ConnectorStatus.ACTIVE, true, true, busy);

        SyncRule.Decision decision = SyncRule.decide(settings, agent(AVAILABLE, null, ChangeSource.AGENT), IN_A_MEETING);

        assertEquals(agent(IDLE, "idle-busy", PRESENCE_SYNC), decision.after());
    }

    @Test
    void doNotDisturbMapsByActivityAndByAvailability() {
        assertEquals(Optional.of("idle-dnd"), SyncRule.idleCodeFor(MAPPING, new TeamsPresence("DoNotDisturb", "DoNotDisturb")));
        // Presenting is shown with availability DoNotDisturb; its own entry wins
        assertEquals(Optional.of("idle-present"), SyncRule.idleCodeFor(MAPPING, PRESENTING));
        // an activity with no entry falls back to the availability's entry
        assertEquals(Optional.of("idle-dnd"), SyncRule.idleCodeFor(MAPPING,
                new TeamsPresence("DoNotDisturb", "UrgentInterruptionsOnly")));
    }

    @Test
    void unknownAndMissingValuesAreUnmapped() {
        assertEquals(Optional.empty(), SyncRule.idleCodeFor(MAPPING, new TeamsPresence("PresenceUnknown", "PresenceUnknown")));
        assertEquals(Optional.empty(), SyncRule.idleCodeFor(MAPPING, new TeamsPresence(null, null)));
        assertEquals(Optional.empty(), SyncRule.idleCodeFor(Map.of(), IN_A_CALL));
    }

    @Test
    void emptyMappingNeverMakesAnyoneIdleAndRestoresSyncIdleAgents() {
        SyncRule.Settings empty = new SyncRule.Settings(ConnectorStatus.ACTIVE, true, true, Map.of());
        assertUnchanged(SyncRule.decide(empty, agent(AVAILABLE, null, ChangeSource.AGENT), IN_A_CALL),
                DecisionReason.SKIPPED_UNMAPPED);
        assertEquals(DecisionReason.RESTORED_AVAILABLE,
                SyncRule.decide(empty, agent(IDLE, "idle-call", PRESENCE_SYNC), IN_A_CALL).reason());
    }

    // Duplicates: the same presence twice changes nothing the second time

    @Test
    void theSamePresenceTwiceAppliesOnce() {
        SyncRule.Decision first = SyncRule.decide(ON, agent(AVAILABLE, null, ChangeSource.AGENT), IN_A_CALL);
        SyncRule.Decision second = SyncRule.decide(ON, first.after(), IN_A_CALL);

        assertEquals(DecisionReason.APPLIED_IDLE, first.reason());
        assertUnchanged(second, DecisionReason.SKIPPED_NO_CHANGE);
    }

    @Test
    void callThenPresentingThenCallEndsWalksTheCodesAndComesBack() {
        DesktopState state = agent(AVAILABLE, null, ChangeSource.AGENT);
        state = SyncRule.decide(ON, state, IN_A_CALL).after();
        SyncRule.Decision presenting = SyncRule.decide(ON, state, PRESENTING);
        SyncRule.Decision ended = SyncRule.decide(ON, presenting.after(), AVAILABLE_PRESENCE);

        assertEquals(DecisionReason.APPLIED_IDLE_CODE_CHANGE, presenting.reason());
        assertEquals(DecisionReason.RESTORED_AVAILABLE, ended.reason());
        assertEquals(agent(AVAILABLE, null, PRESENCE_SYNC), ended.after());
    }
}
