-- Local store, version 7: the point of sale. Sales and returns are immutable documents
-- (SYNC.md rule 4) with their lines and payments; shifts, cash movements and shift
-- closings are appended; each counter numbers its receipts in its own gapless series
-- (rule 11). Append-only: never edit this file once shipped.

-- Tax rates as data with effective dates (MONEY.md). A class's components in force on
-- a date are the rows with the latest effective_from on or before it.
CREATE TABLE tax_rates (
    class          TEXT NOT NULL CHECK (length(class) > 0),
    effective_from TEXT NOT NULL CHECK (effective_from GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    position       INTEGER NOT NULL,
    component      TEXT NOT NULL CHECK (length(component) > 0),
    rate_ppm       INTEGER NOT NULL CHECK (rate_ppm >= 0),
    base           TEXT NOT NULL CHECK (base IN ('taxable', 'compound')),
    PRIMARY KEY (class, effective_from, position)
) STRICT, WITHOUT ROWID;

CREATE TABLE customers (
    id          TEXT PRIMARY KEY,               -- UUIDv7 made on the device
    name        TEXT NOT NULL CHECK (length(name) > 0),
    phone       TEXT,                           -- digits only, as searched
    gstin       TEXT,
    search_text TEXT NOT NULL,                  -- folded name words and phone, for the counter's search
    created_hlc TEXT NOT NULL,
    updated_hlc TEXT NOT NULL
) STRICT;
CREATE INDEX customers_by_phone ON customers (phone) WHERE phone IS NOT NULL;

-- Store credit is a ledger like stock: the balance is the sum of its movements.
CREATE TABLE store_credit (
    id           TEXT PRIMARY KEY,
    customer_id  TEXT NOT NULL REFERENCES customers (id),
    amount_minor INTEGER NOT NULL CHECK (amount_minor <> 0),
    document_id  TEXT,                          -- the sale or return that moved it
    device_id    TEXT NOT NULL,
    hlc          TEXT NOT NULL,
    at_ms        INTEGER NOT NULL
) STRICT;
CREATE INDEX store_credit_by_customer ON store_credit (customer_id);

CREATE TABLE shifts (
    id             TEXT PRIMARY KEY,
    device_id      TEXT NOT NULL,
    shop_id        TEXT NOT NULL REFERENCES shops (id),
    opened_by      TEXT NOT NULL,
    opened_at_ms   INTEGER NOT NULL,
    float_minor    INTEGER NOT NULL CHECK (float_minor >= 0),
    hlc            TEXT NOT NULL
) STRICT;

CREATE TABLE shift_closings (
    shift_id          TEXT PRIMARY KEY REFERENCES shifts (id),
    closed_by         TEXT NOT NULL,
    closed_at_ms      INTEGER NOT NULL,
    counted_minor     INTEGER NOT NULL CHECK (counted_minor >= 0),
    expected_minor    INTEGER NOT NULL,
    denominations     TEXT NOT NULL CHECK (json_valid(denominations)),
    report            TEXT NOT NULL CHECK (json_valid(report)),  -- the Z report as closed
    hlc               TEXT NOT NULL
) STRICT;

CREATE TABLE cash_movements (
    id           TEXT PRIMARY KEY,
    shift_id     TEXT NOT NULL REFERENCES shifts (id),
    kind         TEXT NOT NULL CHECK (kind IN ('in', 'out')),
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    reason       TEXT NOT NULL CHECK (length(reason) > 0),
    staff_id     TEXT NOT NULL,
    at_ms        INTEGER NOT NULL,
    hlc          TEXT NOT NULL
) STRICT;
CREATE INDEX cash_movements_by_shift ON cash_movements (shift_id);

-- The last number given in each receipt series ("S1-C2" or "S1-C2-26" with a yearly
-- reset; returns have their own "…-R" series). Bumped in the sale's transaction, so a
-- sale that does not commit leaves no gap.
CREATE TABLE receipt_series (
    series      TEXT PRIMARY KEY,
    last_number INTEGER NOT NULL CHECK (last_number >= 0)
) STRICT, WITHOUT ROWID;

CREATE TABLE sales (
    id                 TEXT PRIMARY KEY,        -- UUIDv7 made on the device
    number             TEXT NOT NULL UNIQUE,
    kind               TEXT NOT NULL CHECK (kind IN ('sale', 'return')),
    original_sale_id   TEXT REFERENCES sales (id),
    shift_id           TEXT REFERENCES shifts (id),
    shop_id            TEXT NOT NULL REFERENCES shops (id),
    device_id          TEXT NOT NULL,
    staff_id           TEXT NOT NULL,
    approved_by        TEXT,                    -- a return without receipt: the manager
    customer_id        TEXT REFERENCES customers (id),
    at_ms              INTEGER NOT NULL,
    hlc                TEXT NOT NULL,
    currency           TEXT NOT NULL,
    inter_state        INTEGER NOT NULL CHECK (inter_state IN (0, 1)),
    prices_include_tax INTEGER NOT NULL CHECK (prices_include_tax IN (0, 1)),
    restocked          INTEGER NOT NULL DEFAULT 0 CHECK (restocked IN (0, 1)),
    gross_minor        INTEGER NOT NULL,
    discount_minor     INTEGER NOT NULL,
    taxable_minor      INTEGER NOT NULL,
    tax_minor          INTEGER NOT NULL,
    total_minor        INTEGER NOT NULL,
    rounding_minor     INTEGER NOT NULL,
    grand_total_minor  INTEGER NOT NULL,
    change_minor       INTEGER NOT NULL,
    -- The shop, cashier and customer as printed, so a reprint shows what the first print did.
    header             TEXT NOT NULL CHECK (json_valid(header)),
    CHECK (kind = 'sale' OR original_sale_id IS NOT NULL OR approved_by IS NOT NULL),
    -- A receipt adds up (MONEY.md).
    CHECK (taxable_minor + tax_minor = total_minor),
    CHECK (total_minor + rounding_minor = grand_total_minor)
) STRICT;
CREATE INDEX sales_by_shift ON sales (shift_id);
CREATE INDEX sales_by_customer ON sales (customer_id, at_ms);
CREATE INDEX sales_by_original ON sales (original_sale_id) WHERE original_sale_id IS NOT NULL;

CREATE TABLE sale_lines (
    sale_id            TEXT NOT NULL REFERENCES sales (id),
    position           INTEGER NOT NULL,
    line_id            TEXT NOT NULL UNIQUE,
    original_line_id   TEXT,                    -- a return's line: the sold line it gives back
    variant_id         TEXT NOT NULL,
    name               TEXT NOT NULL,
    sku                TEXT,
    hsn                TEXT,
    quantity_milli     INTEGER NOT NULL CHECK (quantity_milli > 0),
    unit_price_minor   INTEGER NOT NULL CHECK (unit_price_minor >= 0),
    price_source       TEXT NOT NULL,
    gross_minor        INTEGER NOT NULL,
    discount_minor     INTEGER NOT NULL,
    taxable_minor      INTEGER NOT NULL,
    tax_minor          INTEGER NOT NULL,
    total_minor        INTEGER NOT NULL,
    taxes              TEXT NOT NULL CHECK (json_valid(taxes)),  -- [{name, rate_ppm, amount_minor}]
    approved_by        TEXT,                    -- over-limit discount or price override
    PRIMARY KEY (sale_id, position),
    CHECK (taxable_minor + tax_minor = total_minor)
) STRICT;
CREATE INDEX sale_lines_by_original ON sale_lines (original_line_id) WHERE original_line_id IS NOT NULL;

CREATE TABLE payments (
    sale_id        TEXT NOT NULL REFERENCES sales (id),
    position       INTEGER NOT NULL,
    method         TEXT NOT NULL CHECK (method IN ('cash', 'card', 'upi', 'store_credit')),
    amount_minor   INTEGER NOT NULL,
    tendered_minor INTEGER NOT NULL,
    reference      TEXT,
    PRIMARY KEY (sale_id, position)
) STRICT;

-- Carts put aside; local to this counter and removed when resumed (not documents).
CREATE TABLE parked_sales (
    id           TEXT PRIMARY KEY,
    parked_at_ms INTEGER NOT NULL,
    staff_id     TEXT NOT NULL,
    note         TEXT NOT NULL,
    cart         TEXT NOT NULL CHECK (json_valid(cart))
) STRICT;

-- Documents are never changed or removed (SYNC.md rule 4).
CREATE TRIGGER sales_never_updated BEFORE UPDATE ON sales
BEGIN SELECT RAISE(ABORT, 'sales and returns are never changed (SYNC.md rule 4)'); END;
CREATE TRIGGER sales_never_deleted BEFORE DELETE ON sales
BEGIN SELECT RAISE(ABORT, 'sales and returns are never deleted (SYNC.md rule 4)'); END;
CREATE TRIGGER sale_lines_never_updated BEFORE UPDATE ON sale_lines
BEGIN SELECT RAISE(ABORT, 'sale lines are never changed (SYNC.md rule 4)'); END;
CREATE TRIGGER sale_lines_never_deleted BEFORE DELETE ON sale_lines
BEGIN SELECT RAISE(ABORT, 'sale lines are never deleted (SYNC.md rule 4)'); END;
CREATE TRIGGER payments_never_updated BEFORE UPDATE ON payments
BEGIN SELECT RAISE(ABORT, 'payments are never changed (SYNC.md rule 4)'); END;
CREATE TRIGGER payments_never_deleted BEFORE DELETE ON payments
BEGIN SELECT RAISE(ABORT, 'payments are never deleted (SYNC.md rule 4)'); END;
CREATE TRIGGER store_credit_never_updated BEFORE UPDATE ON store_credit
BEGIN SELECT RAISE(ABORT, 'store credit movements are never changed'); END;
CREATE TRIGGER store_credit_never_deleted BEFORE DELETE ON store_credit
BEGIN SELECT RAISE(ABORT, 'store credit movements are never deleted'); END;
CREATE TRIGGER cash_movements_never_updated BEFORE UPDATE ON cash_movements
BEGIN SELECT RAISE(ABORT, 'cash movements are never changed'); END;
CREATE TRIGGER cash_movements_never_deleted BEFORE DELETE ON cash_movements
BEGIN SELECT RAISE(ABORT, 'cash movements are never deleted'); END;
CREATE TRIGGER shift_closings_never_updated BEFORE UPDATE ON shift_closings
BEGIN SELECT RAISE(ABORT, 'a closed shift is never changed'); END;
CREATE TRIGGER shift_closings_never_deleted BEFORE DELETE ON shift_closings
BEGIN SELECT RAISE(ABORT, 'a closed shift is never deleted'); END;
