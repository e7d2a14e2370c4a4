-- Contact center -> Teams (write-back). The two settings are the connector's own (written by the admin
-- side with the rest of its settings); the operational state lives in tables of its own, written by
-- WriteBackRepository alone.
ALTER TABLE connectors ADD COLUMN teams_write_back BOOLEAN NOT NULL DEFAULT FALSE;
-- channel (voice, chat, email, social) to "Availability/Activity"; an absent channel is Busy/InACall
ALTER TABLE connectors ADD COLUMN write_back_mapping TEXT NOT NULL DEFAULT '{}';

-- One row per agent the write-back has looked at: what the contact center last reported that matters to
-- it (the channel of the contact), when the sync side must look again, and the presence session we hold
-- in Teams for the agent's user.
CREATE TABLE write_back_sessions (
    org_id               VARCHAR(64)  NOT NULL,
    agent_id             VARCHAR(64)  NOT NULL,
    -- voice, chat, email, social: the channel of the contact the agent is ENGAGED on (kept through wrap-up)
    channel              VARCHAR(16),
    -- when the sync side must look at the agent (a state change, a renewal); null: nothing to do
    due_at               TIMESTAMPTZ,
    -- bumped by every request to look again, so a look that started earlier cannot clear a later request
    due_seq              BIGINT       NOT NULL DEFAULT 0,
    -- held by the instance looking at it; also the pause after a failed Graph call
    lease_until          TIMESTAMPTZ,
    -- the Teams user of our session, and what we wrote there
    teams_user_id        VARCHAR(64),
    written_availability VARCHAR(32),
    written_activity     VARCHAR(32),
    -- our session's expiry in Graph; null once cleared (or never written)
    written_until        TIMESTAMPTZ,
    -- after a clear, readings with written_activity are still our own echo until then (the loop guard)
    settle_until         TIMESTAMPTZ,
    updated_at           TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (org_id, agent_id),
    FOREIGN KEY (org_id, agent_id) REFERENCES agents (org_id, agent_id) ON DELETE CASCADE
);

CREATE INDEX write_back_sessions_due_idx ON write_back_sessions (due_at) WHERE due_at IS NOT NULL;
CREATE INDEX write_back_sessions_written_idx ON write_back_sessions (org_id) WHERE written_until IS NOT NULL;

-- Graph refused a write for lack of a permission (403): no more writes for the connector until a new
-- admin consent (the consent callback deletes the row through WriteBackRepository).
CREATE TABLE write_back_refusals (
    org_id      VARCHAR(64)  PRIMARY KEY REFERENCES connectors (org_id) ON DELETE CASCADE,
    permission  VARCHAR(64)  NOT NULL,
    refused_at  TIMESTAMPTZ  NOT NULL
);
