-- Contact-center agents tracked per connector: desktop state as the contact center last reported it
-- (or as presence sync set it), the Teams user it follows, and the Teams presence last observed.
CREATE TABLE agents (
    org_id                VARCHAR(64)  NOT NULL REFERENCES connectors (org_id) ON DELETE CASCADE,
    agent_id              VARCHAR(64)  NOT NULL,
    teams_user_id         VARCHAR(64),
    -- 'GIVEN' by an event, 'RESOLVED' from email through Graph, 'NOT_FOUND' when Graph knew no such user
    teams_user_origin     VARCHAR(16),
    email                 VARCHAR(320),
    profile_id            VARCHAR(64),
    state                 VARCHAR(16)  NOT NULL,
    idle_code             VARCHAR(64),
    last_change_source    VARCHAR(16)  NOT NULL,
    last_change_at        TIMESTAMPTZ  NOT NULL,
    -- newest contact-center event time applied; older events are stale. Never compared with our own clock.
    last_event_at         TIMESTAMPTZ,
    presence_availability VARCHAR(32),
    presence_activity     VARCHAR(32),
    -- when the stored presence was first read (a read that started earlier is stale)
    presence_observed_at  TIMESTAMPTZ,
    -- the agent's state changed since its last evaluation in a way the sync rule may act on
    evaluation_due        BOOLEAN      NOT NULL DEFAULT FALSE,
    -- the connector settings (version, profiles) of the last evaluation: a settings change makes the
    -- next read evaluate the agent again, even with an unchanged presence
    evaluated_stamp       VARCHAR(80),
    version               BIGINT       NOT NULL DEFAULT 0,
    created_at            TIMESTAMPTZ  NOT NULL,
    updated_at            TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (org_id, agent_id),
    CONSTRAINT agents_state_check CHECK (state IN ('AVAILABLE', 'IDLE', 'ENGAGED', 'WRAP_UP', 'SIGNED_OUT')),
    CONSTRAINT agents_source_check CHECK (last_change_source IN ('AGENT', 'SUPERVISOR', 'RONA', 'SYSTEM', 'PRESENCE_SYNC'))
);

-- the poller reads the signed-in agents of one connector
CREATE INDEX agents_tracked_idx ON agents (org_id, teams_user_id) WHERE state <> 'SIGNED_OUT';

-- Every evaluation of the sync rule, applied or not, with its reason.
CREATE TABLE decisions (
    id                    BIGSERIAL    PRIMARY KEY,
    org_id                VARCHAR(64)  NOT NULL,
    agent_id              VARCHAR(64)  NOT NULL,
    at                    TIMESTAMPTZ  NOT NULL,
    presence_availability VARCHAR(32),
    presence_activity     VARCHAR(32),
    presence_observed_at  TIMESTAMPTZ,
    before_state          VARCHAR(16)  NOT NULL,
    before_idle_code      VARCHAR(64),
    before_source         VARCHAR(16)  NOT NULL,
    reason                VARCHAR(40)  NOT NULL,
    after_state           VARCHAR(16)  NOT NULL,
    after_idle_code       VARCHAR(64),
    after_source          VARCHAR(16)  NOT NULL,
    FOREIGN KEY (org_id, agent_id) REFERENCES agents (org_id, agent_id) ON DELETE CASCADE
);

CREATE INDEX decisions_agent_idx ON decisions (org_id, agent_id, id DESC);
CREATE INDEX decisions_at_idx ON decisions (at);

-- State changes decided by presence sync, written in the transaction that changed the agent, then
-- delivered to the contact center. The id is the idempotency key; it never changes across retries.
CREATE TABLE outbox (
    id               UUID         PRIMARY KEY,
    seq              BIGSERIAL    NOT NULL UNIQUE,
    org_id           VARCHAR(64)  NOT NULL REFERENCES connectors (org_id) ON DELETE CASCADE,
    agent_id         VARCHAR(64)  NOT NULL,
    -- the agent's version right after this change: once the agent moves on (a newer decision, or a
    -- change made in the contact center), an item not yet sent is superseded instead of sent
    agent_version    BIGINT       NOT NULL,
    payload          TEXT         NOT NULL,
    -- PENDING until DELIVERED; FAILED after the last attempt (kept, never dropped); SUPERSEDED when a
    -- newer change of the agent (ours or the contact center's) made it pointless before it was sent
    status           VARCHAR(16)  NOT NULL DEFAULT 'PENDING',
    attempts         INT          NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMPTZ  NOT NULL,
    lease_until      TIMESTAMPTZ,
    last_error       VARCHAR(300),
    created_at       TIMESTAMPTZ  NOT NULL,
    finished_at      TIMESTAMPTZ,
    CONSTRAINT outbox_status_check CHECK (status IN ('PENDING', 'DELIVERED', 'FAILED', 'SUPERSEDED'))
);

CREATE INDEX outbox_due_idx ON outbox (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX outbox_agent_idx ON outbox (org_id, agent_id, seq);
CREATE INDEX outbox_failed_idx ON outbox (org_id) WHERE status = 'FAILED';

-- Reconciliation polling: when each connector is next due. Claimed by one conditional upsert, so
-- of several instances exactly one polls a connector per interval.
CREATE TABLE presence_polls (
    org_id          VARCHAR(64)  PRIMARY KEY REFERENCES connectors (org_id) ON DELETE CASCADE,
    next_poll_at    TIMESTAMPTZ  NOT NULL
);

-- Cluster-wide periodic jobs (retention clean-up): one instance runs each per period.
CREATE TABLE job_leases (
    name         VARCHAR(64)  PRIMARY KEY,
    next_run_at  TIMESTAMPTZ  NOT NULL
);
