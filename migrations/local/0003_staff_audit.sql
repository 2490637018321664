-- Local store, version 3: staff with roles and PIN hashes, and the audit log.
-- Append-only: never edit this file once shipped; add a new migration instead.

CREATE TABLE staff (
    id              TEXT PRIMARY KEY,           -- UUIDv7 made on the device
    name            TEXT NOT NULL CHECK (length(name) > 0),
    role            TEXT NOT NULL CHECK (role IN ('owner', 'manager', 'cashier')),
    -- A PHC string ($argon2id$v=19$m=…). Never the PIN: a PIN has no '$'.
    pin_hash        TEXT NOT NULL CHECK (pin_hash LIKE '$%'),
    -- Wrong PINs in a row and the lock they led to. Kept on this device only: they
    -- are not synced, so each counter counts its own attempts.
    failed_pins     INTEGER NOT NULL DEFAULT 0 CHECK (failed_pins >= 0),
    locked_until_ms INTEGER,
    status          TEXT NOT NULL CHECK (status IN ('active', 'archived')),
    created_hlc     TEXT NOT NULL,
    updated_hlc     TEXT NOT NULL
) STRICT;

-- Sensitive actions: who (staff_id, NULL when nobody was signed in), when (the
-- device's wall clock), on which counter (device_id), and what changed.
CREATE TABLE audit_log (
    id         TEXT PRIMARY KEY,                -- UUIDv7 made on the device
    at_ms      INTEGER NOT NULL,
    staff_id   TEXT,
    device_id  TEXT NOT NULL,
    action     TEXT NOT NULL CHECK (length(action) > 0),
    entity     TEXT NOT NULL,
    entity_id  TEXT,
    field      TEXT,
    old_value  TEXT,
    new_value  TEXT,
    reason     TEXT
) STRICT;

CREATE INDEX audit_log_by_time ON audit_log (at_ms, id);
CREATE INDEX audit_log_by_staff ON audit_log (staff_id, at_ms);
CREATE INDEX audit_log_by_entity ON audit_log (entity_id, at_ms);

-- The audit log is append-only (SYNC.md rule 4): a record that could be edited
-- afterwards would prove nothing.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'The audit log is append-only: its entries cannot be changed.');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'The audit log is append-only: its entries cannot be deleted.');
END;
