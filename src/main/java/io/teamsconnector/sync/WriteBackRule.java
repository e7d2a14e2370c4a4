package io.teamsconnector.sync;

import io.teamsconnector.domain.AgentState;
import io.teamsconnector.domain.ConnectorStatus;
import io.teamsconnector.domain.TeamsPresence;
import io.teamsconnector.domain.WriteBackSession;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Write-back (contact center to Teams) as plain functions, beside {@link SyncRule}: which Teams presence an
 * agent's contact-center state asks for, what to do with the session we hold (write, renew, clear, nothing),
 * and the loop guard that keeps our own write from coming back as a Teams state. No I/O, no clock of its own.
 *
 * <table>
 * <tr><th>contact-center state</th><th>Teams presence written</th></tr>
 * <tr><td>{@code ENGAGED} on a channel</td><td>the channel's entry of {@code writeBackMapping}, else Busy / InACall</td></tr>
 * <tr><td>{@code WRAP_UP}</td><td>the engaged presence, until wrap-up ends</td></tr>
 * <tr><td>anything else, signed out, write-back off, connector not active</td><td>{@code clearPresence}</td></tr>
 * </table>
 */
public final class WriteBackRule {

    /** What an engaged agent shows in Teams when its channel has no entry in the mapping. */
    public static final TeamsPresence DEFAULT_PRESENCE = new TeamsPresence("Busy", "InACall");
    /** The session's {@code expirationDuration}: a crash leaves nothing stuck for longer. */
    public static final Duration EXPIRY = Duration.ofHours(1);
    /** A session is written again this long before it expires, while the state lasts. */
    public static final Duration RENEW_BEFORE = Duration.ofMinutes(10);

    private WriteBackRule() {
    }

    /** The connector's write-back settings; {@code mapping} is channel to {@code Availability/Activity}. */
    public record Settings(ConnectorStatus status, boolean teamsWriteBack, Map<String, String> mapping) {
        public Settings {
            mapping = Map.copyOf(mapping);
        }
    }

    /** What to do now. {@code presence} is what to write ({@link Kind#WRITE}) or what is cleared ({@link Kind#CLEAR}). */
    public record Action(Kind kind, TeamsPresence presence) {
        static final Action NOTHING = new Action(Kind.NOTHING, null);
    }

    public enum Kind {
        /** {@code setPresence}: a first write, a change, or a renewal before expiry. */
        WRITE,
        /** {@code clearPresence} of our session. */
        CLEAR,
        /** The session is as it should be. */
        NOTHING
    }

    /** The Teams presence the agent's state asks for; empty when nothing of ours should show. */
    public static Optional<TeamsPresence> wanted(Settings settings, AgentState state, String channel) {
        if (settings.status() != ConnectorStatus.ACTIVE || !settings.teamsWriteBack()) {
            return Optional.empty();
        }
        if (state != AgentState.ENGAGED && state != AgentState.WRAP_UP) {
            return Optional.empty();
        }
        String mapped = channel == null ? null : settings.mapping().get(channel);
        return Optional.of(mapped == null ? DEFAULT_PRESENCE : parse(mapped));
    }

    /**
     * What to do with our session for the agent, now: write what is wanted unless it is written already on the
     * agent's Teams user and not due for renewal; clear a session nothing asks for (or one on another user,
     * before writing on the new one).
     *
     * @param session     the stored session, or null when there never was one
     * @param teamsUserId the agent's Teams user now, or null when unknown
     */
    public static Action next(Optional<TeamsPresence> wanted, WriteBackSession session, String teamsUserId,
                              Instant now) {
        boolean active = session != null && session.active(now);
        if (active && (wanted.isEmpty() || !session.teamsUserId().equals(teamsUserId))) {
            return new Action(Kind.CLEAR, session.written());
        }
        if (wanted.isEmpty() || teamsUserId == null) {
            return Action.NOTHING;
        }
        if (active && wanted.get().equals(session.written()) && now.isBefore(renewAt(session.writtenUntil()))) {
            return Action.NOTHING;
        }
        return new Action(Kind.WRITE, wanted.get());
    }

    /** When a session written to expire at {@code writtenUntil} is written again. */
    public static Instant renewAt(Instant writtenUntil) {
        return writtenUntil.minus(RENEW_BEFORE);
    }

    /**
     * The loop guard: a reading whose activity is the one we wrote, while our session is active or settling
     * after a clear, is our own echo, not something the agent does in Teams. A different activity (even
     * another busy one, such as a meeting the agent joined) is not ours.
     */
    public static boolean ownEcho(WriteBackSession session, TeamsPresence reading, Instant now) {
        return session != null && session.written() != null && reading != null
                && Objects.equals(reading.activity(), session.written().activity())
                && (session.active(now) || session.settling(now));
    }

    /** A reading without our activity during the settle window: Teams has let go of our session, the window ends. */
    public static boolean endsSettle(WriteBackSession session, TeamsPresence reading, Instant now) {
        return session != null && session.written() != null && reading != null && session.settling(now)
                && !Objects.equals(reading.activity(), session.written().activity());
    }

    /** {@code Availability/Activity} as validated by {@code ConnectorRules.requireValidWriteBackMapping}. */
    static TeamsPresence parse(String value) {
        int slash = value.indexOf('/');
        return new TeamsPresence(value.substring(0, slash), value.substring(slash + 1));
    }
}
