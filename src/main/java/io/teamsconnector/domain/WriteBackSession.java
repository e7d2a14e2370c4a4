package io.teamsconnector.domain;

import java.time.Instant;

/**
 * The presence session the connector holds in Teams for one agent (write-back), as stored.
 *
 * @param teamsUserId  the Teams user the session is on
 * @param written      what we wrote there last; kept after a clear, for the settle window
 * @param writtenUntil when the session expires in Graph; null once cleared (or never written)
 * @param settleUntil  after a clear, readings with the written activity are still our own echo until then
 */
public record WriteBackSession(String teamsUserId, TeamsPresence written, Instant writtenUntil,
                               Instant settleUntil) {

    /** Our session is in Teams now: written and neither cleared nor expired. */
    public boolean active(Instant now) {
        return writtenUntil != null && now.isBefore(writtenUntil);
    }

    /** Cleared (or expired) less than the settle window ago: Teams may still show what we wrote. */
    public boolean settling(Instant now) {
        return !active(now) && settleUntil != null && now.isBefore(settleUntil);
    }
}
