-- Local store, version 1: settings, the product catalog, per-field clocks and the outbox.
-- Append-only: never edit this file once shipped; add 0002_… instead.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE products (
    id          TEXT PRIMARY KEY,               -- UUIDv7 made on the device
    name        TEXT NOT NULL CHECK (length(name) > 0),
    price_minor INTEGER NOT NULL CHECK (price_minor >= 0),
    currency    TEXT NOT NULL,
    sku         TEXT COLLATE NOCASE UNIQUE,     -- NULL when the owner gave none
    barcode     TEXT UNIQUE,
    status      TEXT NOT NULL CHECK (status IN ('active', 'archived')),
    created_hlc TEXT NOT NULL,
    updated_hlc TEXT NOT NULL
) STRICT;

-- The clock of the last write to each field, for per-field last-writer-wins merges
-- (SYNC.md rule 5).
CREATE TABLE field_clocks (
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    field     TEXT NOT NULL,
    hlc       TEXT NOT NULL,
    PRIMARY KEY (entity, entity_id, field)
) STRICT, WITHOUT ROWID;

-- Changes waiting to be pushed to the server, written in the same transaction as the
-- change itself (SYNC.md rule 1). `seq` is the dense per-device sequence.
CREATE TABLE outbox (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    id        TEXT NOT NULL UNIQUE,
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    op        TEXT NOT NULL,
    hlc       TEXT NOT NULL,
    payload   TEXT NOT NULL CHECK (json_valid(payload))
) STRICT;
