-- Local store, version 6: product pictures. Append-only: never edit this file once
-- shipped.
--
-- The picture files are not in the database: they live beside it under images/, named
-- by the SHA-256 of their bytes (images/ab/abcd…, and abcd….thumb.jpg for the
-- thumbnail), and sync moves them separately from rows (SYNC.md rule 14). A row says
-- which product shows which picture, and where in its list.
--
-- The key is (product, picture), not a made-up id, so the same picture added to the
-- same product on two counters offline is one row after sync, not two.
CREATE TABLE product_images (
    product_id  TEXT NOT NULL REFERENCES products (id),
    hash        TEXT NOT NULL CHECK (length(hash) = 64 AND hash NOT GLOB '*[^0-9a-f]*'),
    -- Sort key within the product; the lowest active one is the main picture. Gaps are
    -- fine: removing a picture does not renumber the others.
    position    INTEGER NOT NULL,
    -- The picture's size as shown, and the file's size, so the UI can lay out and the
    -- storefront can describe a picture whose file has not been fetched yet.
    width       INTEGER NOT NULL CHECK (width > 0),
    height      INTEGER NOT NULL CHECK (height > 0),
    byte_size   INTEGER NOT NULL CHECK (byte_size > 0),
    -- A removed picture stays as a tombstone so the removal syncs (rule 6). Its files
    -- stay too: another product, or a counter that has not synced yet, may use them.
    status      TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'removed')),
    created_hlc TEXT NOT NULL,
    updated_hlc TEXT NOT NULL,
    PRIMARY KEY (product_id, hash)
) STRICT, WITHOUT ROWID;

-- Which products use a file: for fetching missing files after a pull and for a later
-- clean-up of files nothing points at.
CREATE INDEX product_images_by_hash ON product_images (hash);
