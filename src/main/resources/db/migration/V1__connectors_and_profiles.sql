-- A connector links one contact-center organization to one Entra tenant.
CREATE TABLE connectors (
    org_id            VARCHAR(64)  PRIMARY KEY,
    tenant_id         VARCHAR(64),
    status            VARCHAR(32)  NOT NULL,
    presence_sync     BOOLEAN      NOT NULL DEFAULT TRUE,
    show_user_details BOOLEAN      NOT NULL DEFAULT FALSE,
    state_mapping     TEXT         NOT NULL DEFAULT '{}',
    presence_mode     VARCHAR(16)  NOT NULL DEFAULT 'POLL',
    created_at        TIMESTAMPTZ  NOT NULL,
    updated_at        TIMESTAMPTZ  NOT NULL,
    version           BIGINT       NOT NULL DEFAULT 0,
    CONSTRAINT connectors_status_check CHECK (status IN ('PENDING_CONSENT', 'ACTIVE', 'INACTIVE'))
);

CREATE INDEX connectors_status_idx ON connectors (status);

-- Desktop profiles: the Teams integration applies only to agents whose profile has it enabled.
CREATE TABLE desktop_profiles (
    org_id            VARCHAR(64)  NOT NULL REFERENCES connectors (org_id) ON DELETE CASCADE,
    profile_id        VARCHAR(64)  NOT NULL,
    teams_integration BOOLEAN      NOT NULL DEFAULT FALSE,
    updated_at        TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (org_id, profile_id)
);
