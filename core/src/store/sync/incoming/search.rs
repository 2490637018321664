//! The search index while a feed page applies. A first sync brings hundreds of
//! thousands of products, variants and barcodes; indexed by the insert triggers, each
//! of them rewrote its product's document and, with a savepoint per change, flushed a
//! tiny FTS segment, which was most of the time of a first sync. So a page pauses the
//! insert triggers (`search_index_paused`, migration 0005), as the generated-catalog
//! loader and the CSV import do, and indexes the products it touched once, at its end,
//! in the same transaction. Updates are never paused and index themselves as usual.

use galla_sync_protocol::Change;
use rusqlite::Transaction;
use serde_json::json;

use crate::store::StoreError;

pub(super) fn pause(tx: &Transaction<'_>) -> Result<(), StoreError> {
    tx.execute("INSERT INTO search_index_paused (paused) VALUES (1)", [])?;
    Ok(())
}

/// Ends the pause and writes the document of every product the page's applied changes
/// touched (a change already here touches nothing): its own
/// row, a variant of it, a barcode of one of its variants, or its category or one
/// above it. A product that has not arrived yet is indexed by the page that brings it.
pub(super) fn index_touched(tx: &Transaction<'_>, changes: &[&Change]) -> Result<(), StoreError> {
    tx.execute("DELETE FROM search_index_paused", [])?;
    let keys = |entity: &str| {
        json!(changes
            .iter()
            .filter(|c| c.entity == entity)
            .map(|c| c.key.as_str())
            .collect::<Vec<_>>())
        .to_string()
    };
    let (products, variants, barcodes, categories) = (
        keys("product"),
        keys("variant"),
        keys("barcode"),
        keys("category"),
    );
    let touched: Vec<String> = tx
        .prepare(
            "SELECT id FROM products WHERE id IN (SELECT value FROM json_each(?1))
             UNION SELECT product_id FROM variants WHERE id IN (SELECT value FROM json_each(?2))
             UNION SELECT v.product_id FROM barcodes b JOIN variants v ON v.id = b.variant_id
                   WHERE b.code IN (SELECT value FROM json_each(?3))
             UNION SELECT id FROM products WHERE category_id IN
                   (SELECT category_id FROM category_subtrees
                    WHERE ancestor_id IN (SELECT value FROM json_each(?4)))",
        )?
        .query_map([&products, &variants, &barcodes, &categories], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    if touched.is_empty() {
        return Ok(());
    }
    let touched = json!(touched).to_string();
    tx.execute(
        "INSERT INTO search_rowids (product_id)
         SELECT p.id FROM products p
         WHERE p.id IN (SELECT value FROM json_each(?1))
           AND NOT EXISTS (SELECT 1 FROM search_rowids r WHERE r.product_id = p.id)
         ORDER BY p.id",
        [&touched],
    )?;
    tx.execute(
        "DELETE FROM product_search WHERE rowid IN
             (SELECT doc FROM search_rowids WHERE product_id IN (SELECT value FROM json_each(?1)))",
        [&touched],
    )?;
    tx.execute(
        "INSERT INTO product_search
             (rowid, name, description, category, sku, options, barcode, status, category_ids)
         SELECT doc, name, description, category, sku, options, barcode, status, category_ids
         FROM product_search_documents WHERE product_id IN (SELECT value FROM json_each(?1))",
        [&touched],
    )?;
    Ok(())
}
