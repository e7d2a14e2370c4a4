-- A connector's link to its Webex org (OAuth authorization code of a Webex administrator). Tokens and the
-- webhook subscription's secret are stored encrypted (AES-GCM) with the id of the key that sealed them.
CREATE TABLE webex_links (
    org_id                   VARCHAR(64)  PRIMARY KEY REFERENCES connectors (org_id) ON DELETE CASCADE,
    -- LINKED, or REAUTHORIZATION_REQUIRED once Webex refused the refresh token (invalid_grant)
    status                   VARCHAR(32)  NOT NULL,
    linked_by                VARCHAR(320),
    linked_at                TIMESTAMPTZ  NOT NULL,
    key_id                   VARCHAR(32)  NOT NULL,
    access_token_ciphertext  TEXT         NOT NULL,
    access_expires_at        TIMESTAMPTZ  NOT NULL,
    refresh_token_ciphertext TEXT         NOT NULL,
    refresh_expires_at       TIMESTAMPTZ,
    subscription_id          VARCHAR(64),
    -- Webex's status of the subscription at the last check: active or inactive
    subscription_status      VARCHAR(16),
    secret_key_id            VARCHAR(32),
    secret_ciphertext        TEXT,
    updated_at               TIMESTAMPTZ  NOT NULL,
    CONSTRAINT webex_links_status_check CHECK (status IN ('LINKED', 'REAUTHORIZATION_REQUIRED'))
);

-- Webex deliveries accepted at /webex/events, by Webex's delivery id: a repeated delivery is applied once.
CREATE TABLE webex_deliveries (
    id          VARCHAR(128) PRIMARY KEY,
    org_id      VARCHAR(64)  NOT NULL REFERENCES connectors (org_id) ON DELETE CASCADE,
    type        VARCHAR(64)  NOT NULL,
    body        TEXT         NOT NULL,
    received_at TIMESTAMPTZ  NOT NULL,
    applied_at  TIMESTAMPTZ,
    outcome     VARCHAR(300)
);

CREATE INDEX webex_deliveries_received_idx ON webex_deliveries (received_at);

-- The Webex link is a third kind of consent transaction.
ALTER TABLE consent_requests DROP CONSTRAINT consent_requests_kind_check;
ALTER TABLE consent_requests ADD CONSTRAINT consent_requests_kind_check
    CHECK (kind IN ('ADMIN_CONSENT', 'SERVICE_ACCOUNT', 'WEBEX_LINK'));

-- WAITING: the contact center cannot be reached on the connector's behalf until an administrator links
-- Webex again (its token was revoked); neither failed nor lost, queued again on relink.
ALTER TABLE outbox DROP CONSTRAINT outbox_status_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_status_check
    CHECK (status IN ('PENDING', 'WAITING', 'DELIVERED', 'FAILED', 'SUPERSEDED'));
CREATE INDEX outbox_waiting_idx ON outbox (org_id) WHERE status = 'WAITING';
