-- One admin-consent or service-account sign-in transaction: a one-time ticket (authorizeUrl), then a
-- state bound to the browser that started it. Only SHA-256 hashes of ticket, state and cookie are kept.
CREATE TABLE consent_requests (
    id                VARCHAR(36)  PRIMARY KEY,
    org_id            VARCHAR(64)  NOT NULL REFERENCES connectors (org_id) ON DELETE CASCADE,
    kind              VARCHAR(24)  NOT NULL,
    ticket_hash       CHAR(64)     NOT NULL UNIQUE,
    ticket_expires_at TIMESTAMPTZ  NOT NULL,
    state_hash        CHAR(64)     UNIQUE,
    browser_hash      CHAR(64),
    started_at        TIMESTAMPTZ,
    used_at           TIMESTAMPTZ,
    created_at        TIMESTAMPTZ  NOT NULL,
    CONSTRAINT consent_requests_kind_check CHECK (kind IN ('ADMIN_CONSENT', 'SERVICE_ACCOUNT'))
);

CREATE INDEX consent_requests_created_idx ON consent_requests (created_at);

-- Presence service accounts: Entra users signed in once (delegated Presence.Read.All offline_access).
-- The refresh token is stored encrypted (AES-GCM) with the id of the key that encrypted it.
CREATE TABLE service_accounts (
    org_id                   VARCHAR(64)  NOT NULL REFERENCES connectors (org_id) ON DELETE CASCADE,
    user_id                  VARCHAR(64)  NOT NULL,
    user_principal_name      VARCHAR(320),
    refresh_token_ciphertext TEXT         NOT NULL,
    key_id                   VARCHAR(32)  NOT NULL,
    created_at               TIMESTAMPTZ  NOT NULL,
    updated_at               TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (org_id, user_id)
);
