//! The search index while a feed page applies. A first sync brings hundreds of
//! thousands of products, variants and barcodes; indexed by the insert triggers, each
//! of them rewrote its product's document and, with a savepoint per change, flushed a
//! tiny FTS segment, which was most of the time of a first sync. So a page pauses the
//! insert triggers as the CSV import does (`store::import::pause_search_index`) and
//! indexes the products it touched once, at its end, in the same transaction, with the
//! import's `index_products`. Updates are never paused and index themselves as usual.

use galla_sync_protocol::Change;
use rusqlite::Transaction;
use serde_json::json;
use uuid::Uuid;

use crate::store::import::{index_products, pause_search_index};
use crate::store::{Error, StoreError};

pub(super) fn pause(tx: &Transaction<'_>) -> Result<(), Error> {
    pause_search_index(tx)
}

/// Ends the pause and writes the document of every product the page's applied changes
/// touched (a change already here touches nothing): its own row, a variant of it, a
/// barcode of one of its variants, or its category or one above it. A product that has
/// not arrived yet is indexed by the page that brings it.
pub(super) fn index_touched(tx: &Transaction<'_>, changes: &[&Change]) -> Result<(), Error> {
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
    // Each touched product that is here, and whether it has a search row yet.
    let touched: Vec<(String, bool)> = tx
        .prepare(
            "WITH touched (id) AS (
                 SELECT value FROM json_each(?1)
                 UNION SELECT product_id FROM variants WHERE id IN (SELECT value FROM json_each(?2))
                 UNION SELECT v.product_id FROM barcodes b JOIN variants v ON v.id = b.variant_id
                       WHERE b.code IN (SELECT value FROM json_each(?3))
                 UNION SELECT id FROM products WHERE category_id IN
                       (SELECT category_id FROM category_subtrees
                        WHERE ancestor_id IN (SELECT value FROM json_each(?4))))
             SELECT p.id, EXISTS (SELECT 1 FROM search_rowids r WHERE r.product_id = p.id)
             FROM products p JOIN touched t ON t.id = p.id",
        )
        .map_err(StoreError::from)?
        .query_map([&products, &variants, &barcodes, &categories], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .map_err(StoreError::from)?
        .collect::<Result<_, _>>()
        .map_err(StoreError::from)?;
    let ids = |indexed: bool| -> Result<Vec<Uuid>, StoreError> {
        touched
            .iter()
            .filter(|(_, has_row)| *has_row == indexed)
            .map(|(id, _)| {
                Uuid::parse_str(id).map_err(|_| StoreError::Corrupt(format!("product id {id:?}")))
            })
            .collect()
    };
    index_products(tx, &ids(false)?, &ids(true)?)
}
