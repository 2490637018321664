-- Local store, version 4: shops, and stock as a ledger of signed movements
-- (SYNC.md rules 3 and 4). Append-only: never edit this file once shipped.

CREATE TABLE shops (
    id          TEXT PRIMARY KEY,               -- UUIDv7 made on the device
    name        TEXT NOT NULL CHECK (length(name) > 0),
    status      TEXT NOT NULL CHECK (status IN ('active', 'archived')),
    created_hlc TEXT NOT NULL,
    updated_hlc TEXT NOT NULL
) STRICT;

-- The ledger. On-hand is the sum of quantity_milli; rows are never changed or removed
-- (a correction is a new movement), which the triggers below enforce.
-- variant_id has no foreign key on purpose: variants live in the catalog's migration,
-- and a movement synced from another counter must not be refused because its variant
-- has not arrived here yet.
CREATE TABLE stock_movements (
    id                  TEXT PRIMARY KEY,       -- UUIDv7 made on the device
    variant_id          TEXT NOT NULL,
    shop_id             TEXT NOT NULL REFERENCES shops (id),
    quantity_milli      INTEGER NOT NULL CHECK (quantity_milli <> 0),  -- signed thousandths
    kind                TEXT NOT NULL CHECK (kind IN ('receive', 'sale', 'return', 'adjustment',
                                                      'count', 'transfer_out', 'transfer_in')),
    reason              TEXT CHECK (reason IN ('damaged', 'lost', 'found', 'correction', 'own_use')),
    note                TEXT,
    document_id         TEXT,                   -- the sale, stocktake or transfer it belongs to
    counterpart_shop_id TEXT REFERENCES shops (id),  -- the other shop of a transfer
    staff_id            TEXT,
    device_id           TEXT NOT NULL,
    hlc                 TEXT NOT NULL,
    at_ms               INTEGER NOT NULL,
    -- A reason belongs to adjustments and every adjustment has one.
    CHECK ((kind = 'adjustment') = (reason IS NOT NULL)),
    -- A transfer names the other shop, and it is another shop.
    CHECK ((kind IN ('transfer_out', 'transfer_in')) = (counterpart_shop_id IS NOT NULL)),
    CHECK (counterpart_shop_id IS NULL OR counterpart_shop_id <> shop_id),
    CHECK (kind <> 'receive' OR quantity_milli > 0),
    CHECK (kind <> 'transfer_out' OR quantity_milli < 0),
    CHECK (kind <> 'transfer_in' OR quantity_milli > 0)
) STRICT;

-- Serves a variant's history (newest first) and the stocktake's per-shop reads.
CREATE INDEX stock_movements_by_variant ON stock_movements (variant_id, shop_id, hlc);
CREATE INDEX stock_movements_by_document ON stock_movements (document_id)
    WHERE document_id IS NOT NULL;

CREATE TRIGGER stock_movements_are_never_updated
BEFORE UPDATE ON stock_movements
BEGIN
    SELECT RAISE(ABORT, 'stock movements are never changed (SYNC.md rule 4); record a correcting movement instead');
END;

CREATE TRIGGER stock_movements_are_never_deleted
BEFORE DELETE ON stock_movements
BEGIN
    SELECT RAISE(ABORT, 'stock movements are never deleted (SYNC.md rule 4); record a correcting movement instead');
END;

-- A cache of on-hand per variant and shop, so the counter need not sum the ledger on
-- every scan. It is written by the trigger below and by nothing else: every movement,
-- whatever code path inserts it (a sale, a stocktake, a sync pull), lands in the same
-- transaction as its effect on the cache, and movements can be neither changed nor
-- removed, so the cache always equals the sum of the ledger.
CREATE TABLE stock_levels (
    variant_id    TEXT NOT NULL,
    shop_id       TEXT NOT NULL REFERENCES shops (id),
    on_hand_milli INTEGER NOT NULL,
    PRIMARY KEY (variant_id, shop_id)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER stock_movements_update_levels
AFTER INSERT ON stock_movements
BEGIN
    INSERT INTO stock_levels (variant_id, shop_id, on_hand_milli)
    VALUES (NEW.variant_id, NEW.shop_id, NEW.quantity_milli)
    ON CONFLICT (variant_id, shop_id)
    DO UPDATE SET on_hand_milli = on_hand_milli + excluded.on_hand_milli;
END;

-- Low-stock thresholds per variant and shop. Clearing one keeps the row with a NULL
-- threshold, a tombstone that syncs (SYNC.md rule 6); updated_hlc orders competing
-- edits from different devices (rule 5).
CREATE TABLE stock_thresholds (
    variant_id  TEXT NOT NULL,
    shop_id     TEXT NOT NULL REFERENCES shops (id),
    low_milli   INTEGER CHECK (low_milli IS NULL OR low_milli >= 0),
    updated_hlc TEXT NOT NULL,
    PRIMARY KEY (variant_id, shop_id)
) STRICT, WITHOUT ROWID;
