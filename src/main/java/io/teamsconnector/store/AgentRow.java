package io.teamsconnector.store;

import io.teamsconnector.domain.AgentState;
import io.teamsconnector.domain.ChangeSource;
import io.teamsconnector.domain.DesktopState;
import io.teamsconnector.domain.TeamsPresence;

import java.time.Instant;

/**
 * One tracked contact-center agent (table {@code agents}).
 *
 * @param teamsUserOrigin    how the Teams user id is known: {@link #GIVEN}, {@link #RESOLVED} from the
 *                           email, or {@link #NOT_FOUND} when Graph knew no user with that email
 * @param lastEventAt        newest contact-center event time applied; older events are stale
 * @param presence           last observed Teams presence, or null
 * @param presenceObservedAt when the stored presence was first read
 * @param evaluationDue      the state changed since the last evaluation in a way the sync rule may act on
 * @param evaluatedStamp     the connector settings the last evaluation was made under
 * @param profileEnabled     whether the agent's desktop profile has the Teams integration on (read, not stored)
 */
public record AgentRow(String orgId, String agentId, String teamsUserId, String teamsUserOrigin, String email,
                       String profileId, AgentState state, String idleCode, ChangeSource lastChangeSource,
                       Instant lastChangeAt, Instant lastEventAt, TeamsPresence presence, Instant presenceObservedAt,
                       boolean evaluationDue, String evaluatedStamp, long version, Instant createdAt,
                       Instant updatedAt, boolean profileEnabled) {

    public static final String GIVEN = "GIVEN";
    public static final String RESOLVED = "RESOLVED";
    public static final String NOT_FOUND = "NOT_FOUND";

    public DesktopState desktop() {
        return new DesktopState(state, idleCode, lastChangeSource);
    }

    /** This row after an evaluation under {@code stamp} that observed {@code presence}: no longer due. */
    public AgentRow evaluated(TeamsPresence observed, Instant observedAt, String stamp, Instant now) {
        return new AgentRow(orgId, agentId, teamsUserId, teamsUserOrigin, email, profileId, state, idleCode,
                lastChangeSource, lastChangeAt, lastEventAt, observed, observedAt, false, stamp, version, createdAt,
                now, profileEnabled);
    }

    /** This row after presence sync changed the agent's state: a new version. */
    public AgentRow changedTo(DesktopState desktop, Instant now) {
        return new AgentRow(orgId, agentId, teamsUserId, teamsUserOrigin, email, profileId, desktop.state(),
                desktop.idleCode(), desktop.source(), now, lastEventAt, presence, presenceObservedAt, evaluationDue,
                evaluatedStamp, version + 1, createdAt, now, profileEnabled);
    }
}
