-- Local store, version 8: what the terminal's side of sync needs to remember.
-- Append-only: never edit this file once shipped; add a new migration instead.

-- The staff member who made each change: the server authorises every entry by the
-- role this person holds there (SYNC.md rule 12). NULL for entries queued before this
-- version and for changes made with nobody signed in.
ALTER TABLE outbox ADD COLUMN staff_id TEXT;

-- The link to the sync server and how syncing went, one value per key (server_url,
-- business_id, cursor, last_error, …). Kept apart from `settings` so forgetting the
-- link cannot touch the device's own settings.
CREATE TABLE sync_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- Entries the server refused, kept after they leave the outbox so people can see what
-- did not reach the other counters and why (SYNC.md rule 2). `seq` is the entry's.
CREATE TABLE sync_rejections (
    seq        INTEGER PRIMARY KEY,
    entry_id   TEXT NOT NULL,
    entity     TEXT NOT NULL,
    entity_key TEXT NOT NULL,
    op         TEXT NOT NULL,
    hlc        TEXT NOT NULL,
    code       TEXT NOT NULL,
    reason     TEXT NOT NULL,
    at_ms      INTEGER NOT NULL
) STRICT;

-- Pulled changes this device could not apply (an entity or value it does not know),
-- so a newer server's data is noted rather than silently lost.
CREATE TABLE sync_skipped (
    id         INTEGER PRIMARY KEY,
    entity     TEXT NOT NULL,
    entity_key TEXT NOT NULL,
    cursor     INTEGER,
    reason     TEXT NOT NULL,
    at_ms      INTEGER NOT NULL
) STRICT;
