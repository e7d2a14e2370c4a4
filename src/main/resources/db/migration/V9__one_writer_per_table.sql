-- One writer per table (issue 13.4). The connectors row holds the administrator's settings and nothing
-- else, written only by the connector entity (ConnectorEntity through ConnectorService). What other flows
-- learn about a connector lives in tables of their own:
--   entra_consents       the admin consent, written only by the consent flow (ConsentRequestRepository);
--   subscription_checks  presence_mode, how presence reaches the connector, written only by the
--                        subscription upkeep (SubscriptionRepository).
-- The connector's status is derived in one place, the view connector_states.

-- A proven admin consent: the tenant that granted it, and when (a re-consent of the same tenant moves it).
CREATE TABLE entra_consents (
    org_id     VARCHAR(64)  PRIMARY KEY REFERENCES connectors (org_id) ON DELETE CASCADE,
    tenant_id  VARCHAR(64)  NOT NULL,
    granted_at TIMESTAMPTZ  NOT NULL
);

-- Connectors that were consented (ACTIVE, or INACTIVE after having been ACTIVE) keep their tenant.
INSERT INTO entra_consents (org_id, tenant_id, granted_at)
SELECT org_id, tenant_id, updated_at FROM connectors
WHERE status IN ('ACTIVE', 'INACTIVE') AND tenant_id IS NOT NULL;

-- connectors.deactivated: the administrator deactivated the connector (POST .../deactivate) and has not
-- reactivated it. It replaces connectors.status, which mixed this setting with the consent.
ALTER TABLE connectors ADD COLUMN deactivated BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE connectors SET deactivated = TRUE WHERE status = 'INACTIVE';

-- presence_mode: POLL, or SUBSCRIBE while change notifications cover the connector's users.
ALTER TABLE subscription_checks ADD COLUMN presence_mode VARCHAR(16) NOT NULL DEFAULT 'POLL';
INSERT INTO subscription_checks (org_id, next_check_at, presence_mode)
SELECT org_id, now(), presence_mode FROM connectors WHERE presence_mode <> 'POLL'
ON CONFLICT (org_id) DO UPDATE SET presence_mode = EXCLUDED.presence_mode;

ALTER TABLE connectors DROP COLUMN status, DROP COLUMN tenant_id, DROP COLUMN presence_mode;

-- The one definition of a connector's effective state: deactivated => INACTIVE; else a recorded consent =>
-- ACTIVE; else PENDING_CONSENT. SQL readers join it; the entity maps its columns (@Formula).
CREATE VIEW connector_states AS
SELECT c.org_id,
       CASE WHEN c.deactivated THEN 'INACTIVE'
            WHEN e.org_id IS NOT NULL THEN 'ACTIVE'
            ELSE 'PENDING_CONSENT' END     AS status,
       e.tenant_id,
       e.granted_at                        AS consented_at,
       COALESCE(k.presence_mode, 'POLL')   AS presence_mode
FROM connectors c
LEFT JOIN entra_consents e ON e.org_id = c.org_id
LEFT JOIN subscription_checks k ON k.org_id = c.org_id;
