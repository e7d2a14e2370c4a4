-- Graph presence subscriptions, one per service account, each covering up to 650 Teams users.
-- Only a SHA-256 hash of the clientState is kept: notifications are checked against it.
CREATE TABLE presence_subscriptions (
    id                       VARCHAR(128) PRIMARY KEY,
    org_id                   VARCHAR(64)  NOT NULL REFERENCES connectors (org_id) ON DELETE CASCADE,
    service_account_id       VARCHAR(64)  NOT NULL,
    client_state_hash        CHAR(64)     NOT NULL,
    user_ids                 TEXT[]       NOT NULL,
    include_resource_data    BOOLEAN      NOT NULL,
    expires_at               TIMESTAMPTZ  NOT NULL,
    -- last create, renewal or reauthorization: Graph is not asked again for 10 minutes
    authorized_at            TIMESTAMPTZ  NOT NULL,
    reauthorize_requested_at TIMESTAMPTZ,
    created_at               TIMESTAMPTZ  NOT NULL
);

CREATE INDEX presence_subscriptions_org_idx ON presence_subscriptions (org_id);

-- When each connector's subscriptions are next checked (renewal, coverage, clean-up), and by whom:
-- held_until is set while one caller works on them, so of several instances one does.
CREATE TABLE subscription_checks (
    org_id        VARCHAR(64)  PRIMARY KEY REFERENCES connectors (org_id) ON DELETE CASCADE,
    next_check_at TIMESTAMPTZ  NOT NULL,
    held_until    TIMESTAMPTZ
);

-- Change notifications as received, stored before Graph is answered. An item waiting to be claimed is
-- stored once however often Graph delivers it; once claimed, a new delivery is a new item (a basic
-- notification for the same user looks the same every time, and must not be lost).
CREATE TABLE notification_inbox (
    seq             BIGSERIAL    PRIMARY KEY,
    dedupe_key      CHAR(64)     NOT NULL,
    org_id          VARCHAR(64)  NOT NULL REFERENCES connectors (org_id) ON DELETE CASCADE,
    subscription_id VARCHAR(128) NOT NULL,
    teams_user_id   VARCHAR(64)  NOT NULL,
    -- from a rich notification; null for a basic one, whose presence is read from Graph
    availability    VARCHAR(32),
    activity        VARCHAR(64),
    received_at     TIMESTAMPTZ  NOT NULL,
    claimed_at      TIMESTAMPTZ,
    processed_at    TIMESTAMPTZ
);

CREATE UNIQUE INDEX notification_inbox_waiting_key ON notification_inbox (dedupe_key) WHERE claimed_at IS NULL;
CREATE INDEX notification_inbox_pending_idx ON notification_inbox (seq) WHERE processed_at IS NULL;
CREATE INDEX notification_inbox_processed_idx ON notification_inbox (processed_at) WHERE processed_at IS NOT NULL;
