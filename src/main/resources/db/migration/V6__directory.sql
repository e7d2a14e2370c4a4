-- The directory mirror of each connector, from Graph's users delta query. Every user is kept (a delta
-- round may bring only the properties that changed); only experts are searchable: enabled, with a job
-- title, a department and an E.164 business phone. search_* hold the values lower-cased without accents.
CREATE TABLE directory_users (
    org_id            VARCHAR(64)  NOT NULL REFERENCES connectors (org_id) ON DELETE CASCADE,
    user_id           VARCHAR(64)  NOT NULL,
    display_name      TEXT,
    given_name        TEXT,
    surname           TEXT,
    job_title         TEXT,
    department        TEXT,
    mail              TEXT,
    business_phones   TEXT[]       NOT NULL DEFAULT '{}',
    account_enabled   BOOLEAN,
    -- derived, for search
    searchable        BOOLEAN      NOT NULL,
    business_phone    VARCHAR(16),
    e164_phones       TEXT[]       NOT NULL DEFAULT '{}',
    search_display    TEXT COLLATE "C",
    search_given      TEXT COLLATE "C",
    search_surname    TEXT COLLATE "C",
    search_department TEXT COLLATE "C",
    search_job_title  TEXT COLLATE "C",
    sync_generation   BIGINT       NOT NULL,
    updated_at        TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (org_id, user_id)
);

-- prefix searches: the folded columns are in the "C" collation, so LIKE 'x%' is an index range, read in
-- the order the query sorts by (field, then display name): a one-letter prefix reads only the first rows
CREATE INDEX directory_display_idx ON directory_users (org_id, search_display) WHERE searchable;
CREATE INDEX directory_given_idx ON directory_users (org_id, search_given, search_display) WHERE searchable;
CREATE INDEX directory_surname_idx ON directory_users (org_id, search_surname, search_display) WHERE searchable;
CREATE INDEX directory_department_idx ON directory_users (org_id, search_department, search_display) WHERE searchable;
CREATE INDEX directory_job_title_idx ON directory_users (org_id, search_job_title, search_display) WHERE searchable;
-- fastupdate off: directory rounds pay for the index at write time, lookups never scan a pending list
CREATE INDEX directory_phones_idx ON directory_users USING GIN (e164_phones) WITH (fastupdate = off) WHERE searchable;

-- Where each connector's users delta stands: the link to resume a round from, the delta link of the
-- next round, and when the next round is due (held_until while one caller runs it).
CREATE TABLE directory_syncs (
    org_id           VARCHAR(64)  PRIMARY KEY REFERENCES connectors (org_id) ON DELETE CASCADE,
    next_link        TEXT,
    delta_link       TEXT,
    generation       BIGINT       NOT NULL DEFAULT 0,
    full_sync        BOOLEAN      NOT NULL DEFAULT TRUE,
    next_sync_at     TIMESTAMPTZ  NOT NULL,
    held_until       TIMESTAMPTZ,
    last_full_sync_at TIMESTAMPTZ,
    last_synced_at   TIMESTAMPTZ
);
