-- Local store, version 2: the full catalog. A product is what the owner names and
-- describes; a variant is what is sold and counted (its own SKU, price, cost, barcodes,
-- stock). A product without options has exactly one variant. Categories form a tree.
-- Existing products move their price, SKU and barcode to a default variant; the
-- variant ids are made by the Rust step that follows this file (see migrations.rs).

CREATE TABLE categories (
    id          TEXT PRIMARY KEY,
    parent_id   TEXT REFERENCES categories (id),
    name        TEXT NOT NULL CHECK (length(name) > 0),
    status      TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived')),
    created_hlc TEXT NOT NULL,
    updated_hlc TEXT NOT NULL,
    CHECK (parent_id IS NULL OR parent_id <> id)
) STRICT;
CREATE UNIQUE INDEX categories_sibling_names
    ON categories (coalesce(parent_id, ''), name COLLATE NOCASE) WHERE status = 'active';

CREATE TABLE products_v2 (
    id                 TEXT PRIMARY KEY,
    name               TEXT NOT NULL CHECK (length(name) > 0),
    description        TEXT NOT NULL DEFAULT '',
    category_id        TEXT REFERENCES categories (id),
    tax_class          TEXT,
    hsn_code           TEXT CHECK (hsn_code IS NULL OR hsn_code GLOB '[0-9][0-9][0-9][0-9]*'),
    status             TEXT NOT NULL CHECK (status IN ('draft', 'active', 'archived')),
    show_on_storefront INTEGER NOT NULL DEFAULT 0 CHECK (show_on_storefront IN (0, 1)),
    created_hlc        TEXT NOT NULL,
    updated_hlc        TEXT NOT NULL
) STRICT;

-- The option names a product's variants differ by, in order ("Size", "Colour").
CREATE TABLE product_options (
    product_id TEXT NOT NULL REFERENCES products_v2 (id),
    position   INTEGER NOT NULL,
    name       TEXT NOT NULL CHECK (length(name) > 0),
    PRIMARY KEY (product_id, position)
) STRICT, WITHOUT ROWID;

CREATE TABLE variants (
    id          TEXT PRIMARY KEY,
    product_id  TEXT NOT NULL REFERENCES products_v2 (id),
    position    INTEGER NOT NULL DEFAULT 0,
    -- Option values in the order of the product's options, as a JSON array:
    -- ["M", "Red"] for Size, Colour; [] for a product without options.
    options     TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(options) AND json_type(options) = 'array'),
    sku         TEXT COLLATE NOCASE UNIQUE,
    price_minor INTEGER NOT NULL CHECK (price_minor >= 0),
    cost_minor  INTEGER CHECK (cost_minor IS NULL OR cost_minor >= 0),
    currency    TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived')),
    created_hlc TEXT NOT NULL,
    updated_hlc TEXT NOT NULL
) STRICT;
CREATE INDEX variants_by_product ON variants (product_id, position);

-- One barcode points at one variant: the code is the key.
CREATE TABLE barcodes (
    code       TEXT PRIMARY KEY,
    variant_id TEXT NOT NULL REFERENCES variants (id),
    kind       TEXT NOT NULL CHECK (kind IN ('ean13', 'ean8', 'upca')),
    -- 1 for an internal code Galla made from its reserved prefix.
    generated  INTEGER NOT NULL DEFAULT 0 CHECK (generated IN (0, 1)),
    -- A barcode taken off an item stays as a tombstone so the removal syncs; the code
    -- can later be given to another item by reviving the row.
    status     TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'removed')),
    updated_hlc TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX barcodes_by_variant ON barcodes (variant_id);

INSERT INTO products_v2 (id, name, status, created_hlc, updated_hlc)
    SELECT id, name, status, created_hlc, updated_hlc FROM products;

-- Parked here for the Rust step, which gives each old product its default variant.
CREATE TABLE migration_0002_old_products AS
    SELECT id, price_minor, currency, sku, barcode, created_hlc, updated_hlc FROM products;

DROP TABLE products;
ALTER TABLE products_v2 RENAME TO products;
