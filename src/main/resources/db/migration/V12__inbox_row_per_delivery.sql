-- The inbox keeps one row per delivery and subscription (issue 13.6): the items of one Graph request for one
-- subscription, in Graph's order, in arrays. PostgreSQL's cost of the intake was per row (a heap tuple, three
-- index entries, a foreign-key check, their WAL), and a request of 10 items paid it 10 times.
-- Every accepted item is still stored before Graph is answered. A waiting row's key is its delivery's, so Graph
-- delivering the same request again is stored once; the same user in another request is stored again, and the
-- claim that takes both reads that user's presence once.
ALTER TABLE notification_inbox ADD COLUMN teams_user_ids TEXT[];
ALTER TABLE notification_inbox ADD COLUMN availabilities TEXT[];
ALTER TABLE notification_inbox ADD COLUMN activities TEXT[];
UPDATE notification_inbox SET teams_user_ids = ARRAY[teams_user_id],
    availabilities = CASE WHEN availability IS NULL THEN NULL ELSE ARRAY[availability] END,
    activities = CASE WHEN availability IS NULL THEN NULL ELSE ARRAY[activity] END;
ALTER TABLE notification_inbox ALTER COLUMN teams_user_ids SET NOT NULL;
ALTER TABLE notification_inbox DROP COLUMN teams_user_id;
ALTER TABLE notification_inbox DROP COLUMN availability;
ALTER TABLE notification_inbox DROP COLUMN activity;

-- The key is a hex digest: compared byte by byte, not by the database's collation.
ALTER TABLE notification_inbox ALTER COLUMN dedupe_key TYPE TEXT COLLATE "C";

-- No foreign key to connectors: it cost a key check per insert and a share lock on the connector's row taken by
-- every intake commit. A row of a connector that is gone is marked processed by the claim that takes it, and
-- deleted with the processed rows.
ALTER TABLE notification_inbox DROP CONSTRAINT IF EXISTS notification_inbox_org_id_fkey;
