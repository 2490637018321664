-- Local store, version 5: catalog search. One full-text document per product, made of
-- its name, description, the names on its category path, and the SKUs, option values
-- and barcodes of its active variants. Triggers keep the documents in step with the
-- tables, so no write path (the app's, sync's, a repair tool's) can forget the index.
-- Append-only: never edit this file once shipped.

-- Contentless, not external-content: a document is assembled from four tables, so
-- there is no one table for FTS5 to read it back from, and a search hit is shown from
-- the real tables anyway, so a stored copy of the text would only double the file.
-- `contentless_delete` lets a trigger drop a document by rowid without knowing its old
-- text (an external-content delete needs the exact old values, and a wrong one
-- silently damages the index).
-- The tokenizer folds case and accents ("Sārī" is found by "sari", "Café" by "cafe").
-- Marks (M*) count as letters so a word written with combining accents, or in an Indic
-- script whose vowel signs are marks ("साड़ी"), stays one word instead of breaking at
-- every mark. The 2- and 3-character prefix indexes keep short prefixes ("sa", "sil")
-- from merging every term that starts with them.
-- `status` ("active") and `category_ids` (every category on the path, as 32 hex digits)
-- are filters, not text: the search names them explicitly and gives them no weight, so
-- the index filters by status and category itself instead of looking up each match in
-- the products table (which cost more than the search at 100,000 products).
CREATE VIRTUAL TABLE product_search USING fts5 (
    name, description, category, sku, options, barcode, status, category_ids,
    content = '',
    contentless_delete = 1,
    tokenize = "unicode61 remove_diacritics 2 categories 'L* N* Co M*'",
    prefix = '2 3'
);

-- The FTS rowid of each product. Products are keyed by a text id, and the implicit
-- rowid of such a table may be renumbered by VACUUM; an INTEGER PRIMARY KEY never is.
CREATE TABLE search_rowids (
    doc        INTEGER PRIMARY KEY,
    product_id TEXT NOT NULL UNIQUE REFERENCES products (id)
) STRICT;

-- Every category with each category at or below it. UNION (not UNION ALL) ends the walk
-- even on a loop.
CREATE VIEW category_subtrees (ancestor_id, category_id) AS
    WITH RECURSIVE below (ancestor_id, category_id) AS (
        SELECT id, id FROM categories
        UNION
        SELECT below.ancestor_id, c.id FROM categories c JOIN below ON c.parent_id = below.category_id
    )
    SELECT ancestor_id, category_id FROM below;

-- What the index holds for each product. Archived variants and removed barcodes are
-- left out so they no longer match. The category path is walked up from the product's
-- category (a few lookups by key, not a walk of the whole tree per product); it is
-- left out if any category on it is archived, or if it does not reach a root within 32
-- steps, which only a loop in a damaged file could cause.
CREATE VIEW product_search_documents
    (doc, product_id, name, description, category, sku, options, barcode, status, category_ids) AS
    SELECT r.doc, p.id, p.name, p.description,
        (WITH RECURSIVE up (parent_id, name, status, depth) AS (
             SELECT parent_id, name, status, 0 FROM categories WHERE id = p.category_id
             UNION ALL
             SELECT c.parent_id, c.name, c.status, up.depth + 1
             FROM categories c JOIN up ON c.id = up.parent_id WHERE up.depth < 32
         )
         SELECT CASE WHEN min(status = 'active') AND sum(parent_id IS NULL) = 1
                     THEN group_concat(name, ' ' ORDER BY depth DESC) END
         FROM up),
        (SELECT group_concat(v.sku, ' ') FROM variants v
         WHERE v.product_id = p.id AND v.status = 'active'),
        (SELECT group_concat(o.value, ' ') FROM variants v, json_each(v.options) o
         WHERE v.product_id = p.id AND v.status = 'active'),
        (SELECT group_concat(b.code, ' ') FROM variants v JOIN barcodes b ON b.variant_id = v.id
         WHERE v.product_id = p.id AND v.status = 'active' AND b.status = 'active'),
        p.status,
        -- As the path above, with each category's id as one token (no hyphens).
        (WITH RECURSIVE up (id, parent_id, status, depth) AS (
             SELECT id, parent_id, status, 0 FROM categories WHERE id = p.category_id
             UNION ALL
             SELECT c.id, c.parent_id, c.status, up.depth + 1
             FROM categories c JOIN up ON c.id = up.parent_id WHERE up.depth < 32
         )
         SELECT CASE WHEN min(status = 'active') AND sum(parent_id IS NULL) = 1
                     THEN group_concat(replace(id, '-', ''), ' ' ORDER BY depth DESC) END
         FROM up)
    FROM products p
    JOIN search_rowids r ON r.product_id = p.id;

-- Finds the products under a category when the category changes.
CREATE INDEX products_by_category ON products (category_id, id);
-- The plain list, newest first, filtered by status and category, read from the index
-- alone: a page deep in 100,000 products skips index entries, not table rows.
CREATE INDEX products_list ON products (id, status, category_id);

-- Products that exist before this version become searchable now.
INSERT INTO search_rowids (product_id) SELECT id FROM products ORDER BY id;
INSERT INTO product_search (rowid, name, description, category, sku, options, barcode, status, category_ids)
    SELECT doc, name, description, category, sku, options, barcode, status, category_ids FROM product_search_documents;

-- A bulk load (`Store::load_generated_catalog`) puts a row here inside its own
-- transaction, so the insert triggers below leave its rows alone, and indexes them
-- itself in one statement before it removes the row and commits. FTS5 writes what it
-- holds in memory to disk whenever a later statement of the transaction opens a
-- savepoint (every insert with a trigger does), so indexing 100,000 products one
-- trigger at a time wrote 100,000 tiny segments and spent most of the load merging
-- them. Never committed with a row in it; edits and deletes are never paused.
CREATE TABLE search_index_paused (
    paused INTEGER PRIMARY KEY CHECK (paused = 1)
) STRICT;

-- From here on the triggers keep the index current. Each one rewrites the documents of
-- the products a change touches: delete by rowid, then insert what the view now says.

CREATE TRIGGER products_search_insert AFTER INSERT ON products
WHEN NOT EXISTS (SELECT 1 FROM search_index_paused)
BEGIN
    INSERT INTO search_rowids (product_id) VALUES (new.id);
    INSERT INTO product_search (rowid, name, description, category, sku, options, barcode, status, category_ids)
        SELECT doc, name, description, category, sku, options, barcode, status, category_ids
        FROM product_search_documents WHERE product_id = new.id;
END;

CREATE TRIGGER products_search_update
AFTER UPDATE OF name, description, category_id, status ON products
WHEN old.name IS NOT new.name OR old.description IS NOT new.description
    OR old.category_id IS NOT new.category_id OR old.status IS NOT new.status
BEGIN
    DELETE FROM product_search
        WHERE rowid = (SELECT doc FROM search_rowids WHERE product_id = new.id);
    INSERT INTO product_search (rowid, name, description, category, sku, options, barcode, status, category_ids)
        SELECT doc, name, description, category, sku, options, barcode, status, category_ids
        FROM product_search_documents WHERE product_id = new.id;
END;

-- Rows are never deleted by the app (archiving is the delete), but a repair tool might.
CREATE TRIGGER products_search_delete AFTER DELETE ON products BEGIN
    DELETE FROM product_search
        WHERE rowid = (SELECT doc FROM search_rowids WHERE product_id = old.id);
    DELETE FROM search_rowids WHERE product_id = old.id;
END;

CREATE TRIGGER variants_search_insert AFTER INSERT ON variants
WHEN NOT EXISTS (SELECT 1 FROM search_index_paused)
BEGIN
    DELETE FROM product_search
        WHERE rowid = (SELECT doc FROM search_rowids WHERE product_id = new.product_id);
    INSERT INTO product_search (rowid, name, description, category, sku, options, barcode, status, category_ids)
        SELECT doc, name, description, category, sku, options, barcode, status, category_ids
        FROM product_search_documents WHERE product_id = new.product_id;
END;

-- A variant moved to another product changes both documents.
CREATE TRIGGER variants_search_update AFTER UPDATE OF product_id, sku, options, status ON variants
WHEN old.product_id IS NOT new.product_id OR old.sku IS NOT new.sku
    OR old.options IS NOT new.options OR old.status IS NOT new.status
BEGIN
    DELETE FROM product_search WHERE rowid IN
        (SELECT doc FROM search_rowids WHERE product_id IN (old.product_id, new.product_id));
    INSERT INTO product_search (rowid, name, description, category, sku, options, barcode, status, category_ids)
        SELECT doc, name, description, category, sku, options, barcode, status, category_ids
        FROM product_search_documents WHERE product_id IN (old.product_id, new.product_id);
END;

CREATE TRIGGER variants_search_delete AFTER DELETE ON variants BEGIN
    DELETE FROM product_search
        WHERE rowid = (SELECT doc FROM search_rowids WHERE product_id = old.product_id);
    INSERT INTO product_search (rowid, name, description, category, sku, options, barcode, status, category_ids)
        SELECT doc, name, description, category, sku, options, barcode, status, category_ids
        FROM product_search_documents WHERE product_id = old.product_id;
END;

CREATE TRIGGER barcodes_search_insert AFTER INSERT ON barcodes
WHEN NOT EXISTS (SELECT 1 FROM search_index_paused)
BEGIN
    DELETE FROM product_search WHERE rowid =
        (SELECT r.doc FROM variants v JOIN search_rowids r ON r.product_id = v.product_id
         WHERE v.id = new.variant_id);
    INSERT INTO product_search (rowid, name, description, category, sku, options, barcode, status, category_ids)
        SELECT doc, name, description, category, sku, options, barcode, status, category_ids
        FROM product_search_documents
        WHERE product_id = (SELECT product_id FROM variants WHERE id = new.variant_id);
END;

-- A removed barcode must stop matching; a code given to another item moves documents.
CREATE TRIGGER barcodes_search_update AFTER UPDATE OF code, variant_id, status ON barcodes
WHEN old.code IS NOT new.code OR old.variant_id IS NOT new.variant_id
    OR old.status IS NOT new.status
BEGIN
    DELETE FROM product_search WHERE rowid IN
        (SELECT r.doc FROM variants v JOIN search_rowids r ON r.product_id = v.product_id
         WHERE v.id IN (old.variant_id, new.variant_id));
    INSERT INTO product_search (rowid, name, description, category, sku, options, barcode, status, category_ids)
        SELECT doc, name, description, category, sku, options, barcode, status, category_ids
        FROM product_search_documents
        WHERE product_id IN (SELECT product_id FROM variants WHERE id IN (old.variant_id, new.variant_id));
END;

CREATE TRIGGER barcodes_search_delete AFTER DELETE ON barcodes BEGIN
    DELETE FROM product_search WHERE rowid =
        (SELECT r.doc FROM variants v JOIN search_rowids r ON r.product_id = v.product_id
         WHERE v.id = old.variant_id);
    INSERT INTO product_search (rowid, name, description, category, sku, options, barcode, status, category_ids)
        SELECT doc, name, description, category, sku, options, barcode, status, category_ids
        FROM product_search_documents
        WHERE product_id = (SELECT product_id FROM variants WHERE id = old.variant_id);
END;

-- A rename, a move or an archive changes the path of every product at or below the
-- category, so all of them are rewritten (a rare edit; a few thousand documents).
-- An insert normally has nothing below it, but sync may apply a parent after its
-- children with foreign keys deferred, so it gets the same treatment.
CREATE TRIGGER categories_search_insert AFTER INSERT ON categories
WHEN NOT EXISTS (SELECT 1 FROM search_index_paused)
BEGIN
    DELETE FROM product_search WHERE rowid IN
        (SELECT r.doc FROM products p JOIN search_rowids r ON r.product_id = p.id
         WHERE p.category_id IN (SELECT category_id FROM category_subtrees WHERE ancestor_id = new.id));
    INSERT INTO product_search (rowid, name, description, category, sku, options, barcode, status, category_ids)
        SELECT d.doc, d.name, d.description, d.category, d.sku, d.options, d.barcode, d.status, d.category_ids
        FROM products p JOIN product_search_documents d ON d.product_id = p.id
        WHERE p.category_id IN (SELECT category_id FROM category_subtrees WHERE ancestor_id = new.id);
END;

CREATE TRIGGER categories_search_update AFTER UPDATE OF name, parent_id, status ON categories
WHEN old.name IS NOT new.name OR old.parent_id IS NOT new.parent_id
    OR old.status IS NOT new.status
BEGIN
    DELETE FROM product_search WHERE rowid IN
        (SELECT r.doc FROM products p JOIN search_rowids r ON r.product_id = p.id
         WHERE p.category_id IN (SELECT category_id FROM category_subtrees WHERE ancestor_id = new.id));
    INSERT INTO product_search (rowid, name, description, category, sku, options, barcode, status, category_ids)
        SELECT d.doc, d.name, d.description, d.category, d.sku, d.options, d.barcode, d.status, d.category_ids
        FROM products p JOIN product_search_documents d ON d.product_id = p.id
        WHERE p.category_id IN (SELECT category_id FROM category_subtrees WHERE ancestor_id = new.id);
END;
