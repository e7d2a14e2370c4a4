package io.teamsconnector.agents;

import io.teamsconnector.domain.AgentState;
import io.teamsconnector.domain.ChangeSource;
import io.teamsconnector.domain.DesktopState;
import io.teamsconnector.store.AgentRow;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How one contact-center event changes a stored agent. Plain Java, no I/O. Delivery may be duplicated
 * or out of order: an event older than the newest one applied is stale and changes nothing, and an event
 * that reports what is already stored changes nothing either.
 */
public final class AgentEventRules {

    private AgentEventRules() {
    }

    /** What became of the event. */
    public enum Outcome {
        /** The agent was not known before. */
        CREATED,
        /** The stored agent changed. */
        APPLIED,
        /** The event reports what is stored already (a duplicate, or the connector's own change confirmed). */
        UNCHANGED,
        /** Older than an event applied before: ignored. */
        STALE,
        /** The connector's own earlier change coming back while a newer one is on its way: ignored. */
        OWN_CHANGE_SUPERSEDED
    }

    /**
     * @param row          the agent to store, or empty when nothing is to be stored
     * @param readPresence whether the agent's presence should be read at once (it signed in, became
     *                     Available, or its Teams user or profile changed)
     */
    public record Result(Outcome outcome, Optional<AgentRow> row, boolean readPresence) {
    }

    /**
     * @param current         the stored agent, if any
     * @param syncChangePending a change decided by presence sync is still on its way to the contact center
     * @param now             the connector's clock, for new rows and update times (never compared with event times)
     */
    public static Result apply(Optional<AgentRow> current, AgentEvent event, boolean syncChangePending, Instant now) {
        if (current.isPresent() && current.get().lastEventAt() != null
                && event.occurredAt().isBefore(current.get().lastEventAt())) {
            return new Result(Outcome.STALE, Optional.empty(), false);
        }
        AgentRow before = current.orElseGet(() -> newAgent(event, now));
        Identity identity = identity(before, event);
        DesktopState desktop = desktop(before, event);
        boolean ownEarlierChange = desktop.source() == ChangeSource.PRESENCE_SYNC && syncChangePending
                && !desktop.equals(before.desktop());
        if (ownEarlierChange) {
            desktop = before.desktop();
        }
        boolean desktopChanged = !desktop.equals(before.desktop());
        boolean identityChanged = !identity.equals(new Identity(before.teamsUserId(), before.teamsUserOrigin(),
                before.email(), before.profileId()));
        boolean signedIn = desktop.state() != AgentState.SIGNED_OUT;
        // a decision is due only where the rule may act: an Available agent, or one presence sync made Idle
        boolean actionable = desktop.state() == AgentState.AVAILABLE
                || (desktop.state() == AgentState.IDLE && desktop.source() == ChangeSource.PRESENCE_SYNC);
        boolean signIn = event.kind() == AgentEvent.Kind.SIGNED_IN
                && (current.isEmpty() || before.state() == AgentState.SIGNED_OUT);
        boolean due = signedIn && (signIn || ((desktopChanged || identityChanged) && actionable)
                || (identityChanged && before.evaluationDue()));
        Instant lastEventAt = before.lastEventAt() == null || event.occurredAt().isAfter(before.lastEventAt())
                ? event.occurredAt() : before.lastEventAt();

        AgentRow after = new AgentRow(before.orgId(), before.agentId(), identity.teamsUserId(), identity.origin(),
                identity.email(), identity.profileId(), desktop.state(), desktop.idleCode(), desktop.source(),
                desktopChanged ? event.occurredAt() : before.lastChangeAt(), lastEventAt, before.presence(),
                before.presenceObservedAt(), signedIn && (before.evaluationDue() || due), before.evaluatedStamp(),
                desktopChanged ? before.version() + 1 : before.version(), before.createdAt(),
                desktopChanged || identityChanged ? now : before.updatedAt(), before.profileEnabled());
        Outcome outcome = current.isEmpty() ? Outcome.CREATED
                : ownEarlierChange ? Outcome.OWN_CHANGE_SUPERSEDED
                : desktopChanged || identityChanged ? Outcome.APPLIED
                : Outcome.UNCHANGED;
        boolean store = current.isEmpty() || !after.equals(before);
        return new Result(outcome, store ? Optional.of(after) : Optional.empty(), due);
    }

    private static AgentRow newAgent(AgentEvent event, Instant now) {
        return new AgentRow(event.orgId(), event.agentId(), null, null, null, null, AgentState.SIGNED_OUT, null,
                ChangeSource.SYSTEM, event.occurredAt(), null, null, null, false, null, 0, now, now, false);
    }

    /** The Teams user, how it is known, the email and the desktop profile. */
    private record Identity(String teamsUserId, String origin, String email, String profileId) {
    }

    private static Identity identity(AgentRow before, AgentEvent event) {
        String teamsUserId = before.teamsUserId();
        String origin = before.teamsUserOrigin();
        String email = before.email();
        if (event.email() != null && !event.email().equalsIgnoreCase(Objects.toString(email, ""))) {
            email = event.email();
            if (!AgentRow.GIVEN.equals(origin)) {
                // resolved from the old email: look the new one up
                teamsUserId = null;
                origin = null;
            }
        }
        if (event.teamsUserId() != null) {
            teamsUserId = event.teamsUserId();
            origin = AgentRow.GIVEN;
        }
        if (event.kind() == AgentEvent.Kind.SIGNED_IN && AgentRow.NOT_FOUND.equals(origin)) {
            // the directory may know the user by now: one more lookup per sign-in
            origin = null;
        }
        String profileId = event.profileId() != null ? event.profileId() : before.profileId();
        return new Identity(teamsUserId, origin, email, profileId);
    }

    private static DesktopState desktop(AgentRow before, AgentEvent event) {
        if (event.state() == null) {
            return before.desktop();
        }
        String idleCode = event.state() == AgentState.IDLE ? event.idleCode() : null;
        ChangeSource source;
        if (event.source() != null) {
            source = event.source();
        } else if (event.state() == before.state() && Objects.equals(idleCode, before.idleCode())
                && event.kind() == AgentEvent.Kind.STATE_CHANGED) {
            // the event only reports the state that is stored (for example the connector's own change,
            // echoed without its reason): whoever set it still did
            source = before.lastChangeSource();
        } else {
            source = event.fallbackSource();
        }
        return new DesktopState(event.state(), idleCode, source);
    }
}
