-- Graph's presence budget of each tenant (1,500 requests per 30 s per app), shared by every instance:
-- the requests taken in each one-second slice. A request is taken by one conditional upsert, so two
-- instances never take the same room twice. Slices older than the window are deleted by the clean-up.
CREATE TABLE presence_budget (
    tenant_id   VARCHAR(100) NOT NULL,
    slice_start TIMESTAMPTZ  NOT NULL,
    used        INTEGER      NOT NULL CHECK (used > 0),
    PRIMARY KEY (tenant_id, slice_start)
);

CREATE INDEX presence_budget_slice_idx ON presence_budget (slice_start);

-- A tenant Graph answered 429 for: nobody reads its presence before paused_until.
CREATE TABLE presence_budget_pauses (
    tenant_id    VARCHAR(100) PRIMARY KEY,
    paused_until TIMESTAMPTZ  NOT NULL
);
