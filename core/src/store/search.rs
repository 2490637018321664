//! Catalog search and the product list, over the FTS5 index that the triggers of
//! migration 0005 keep in step with the catalog tables.
//!
//! A page is found in two steps: one query picks and orders the product ids (the only
//! part whose cost grows with the catalog), one query reads what the rows show.
//!
//! The cost of a search is in its common words: "silk" matches one product in seven of
//! a generated shop, and every match must be scored to find the best fifty. So the
//! index filters by status and category itself, and a match is looked up in the
//! catalog tables only once it is known to be on the page (`ranking.rs`).

use std::collections::HashMap;

use rusqlite::{params, Connection, OptionalExtension};
use serde_json::{json, Value};
use uuid::Uuid;

use super::products::parse_uuid;
use super::{ranking, Store, StoreError};
use crate::catalog::ProductStatus;
use crate::money::{Currency, Money};
use crate::search::{match_expression, ProductHit, ProductQuery, SearchText};

/// Products whose SKU or barcode is the typed text, by product id.
pub(super) type ExactMatches = HashMap<String, ExactMatch>;

pub(super) struct ExactMatch {
    /// The product's row in the index.
    pub(super) doc: i64,
    /// The variant that matched, so the row shows its price rather than the first
    /// variant's, and the barcode if that is what matched.
    variant_id: String,
    barcode: Option<String>,
}

impl Store {
    /// A page of products: the plain list (newest first) when nothing is typed, else
    /// the products that have every typed word as a word prefix, an exact SKU or
    /// barcode match first, then by relevance, then by name.
    pub fn search_products(&self, query: &ProductQuery) -> Result<Vec<ProductHit>, StoreError> {
        let text = SearchText::parse(&query.text);
        let categories = match (&text, query.category) {
            // The index filters words by category itself (see `match_expression`).
            (SearchText::Words { .. }, _) | (_, None) => None,
            (_, Some(id)) => {
                let ids: Vec<String> = self
                    .category_with_descendants(id)?
                    .iter()
                    .map(Uuid::to_string)
                    .collect();
                Some(json!(ids).to_string())
            }
        };
        let filter = Filter {
            status: query.status.map(|s| s.as_str()),
            categories: categories.as_deref(),
            limit: query.page_size(),
            offset: query.offset,
        };
        let (ids, exact) = match text {
            SearchText::All => (list(&self.conn, &filter)?, ExactMatches::new()),
            SearchText::ExactOnly { exact } => {
                let exact = exact_matches(&self.conn, &exact)?;
                (exact_only(&self.conn, &exact, &filter)?, exact)
            }
            SearchText::Words { words, exact } => {
                let exact = exact_matches(&self.conn, &exact)?;
                let expr = match_expression(&words, query.status, query.category);
                (ranking::ranked(&self.conn, &expr, &exact, &filter)?, exact)
            }
        };
        rows(&self.conn, &ids, &exact)
    }

    /// The product and variant a scanned code belongs to. Exact, on the barcodes
    /// table's key; only a barcode that is on an item (not removed) and on a variant
    /// that is for sale (not archived) answers. The product's own status is the
    /// caller's to judge: a draft product scanned at the counter deserves a message,
    /// not "unknown barcode".
    pub fn find_by_barcode(&self, code: &str) -> Result<Option<(Uuid, Uuid)>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT v.product_id, v.id FROM barcodes b JOIN variants v ON v.id = b.variant_id
             WHERE b.code = ?1 AND b.status = 'active' AND v.status = 'active'",
        )?;
        let found = stmt
            .query_row([code.trim()], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })
            .optional()?;
        found
            .map(|(product, variant)| {
                Ok((
                    parse_uuid(&product, "product id")?,
                    parse_uuid(&variant, "variant id")?,
                ))
            })
            .transpose()
    }
}

/// The filters as the list and exact-only queries take them; a word search puts them in
/// its FTS5 expression instead.
pub(super) struct Filter<'a> {
    status: Option<&'a str>,
    /// A JSON array of the ids of the category and those below it.
    categories: Option<&'a str>,
    pub(super) limit: u32,
    pub(super) offset: u32,
}

/// The status filter of the list and exact-only queries: `?1` is the wanted status, NULL for
/// "everything but archived".
const STATUS_IS: &str = "(CASE WHEN ?1 IS NULL THEN p.status <> 'archived' ELSE p.status = ?1 END)";

fn list(conn: &Connection, filter: &Filter<'_>) -> Result<Vec<String>, StoreError> {
    // Two statements rather than one with `?2 IS NULL OR …`: with the category as an
    // optional condition SQLite cannot use the category index, and a small category
    // would cost a walk over every product.
    let ids = match filter.categories {
        None => conn
            .prepare_cached(&format!(
                "SELECT p.id FROM products p WHERE {STATUS_IS}
                 ORDER BY p.id DESC LIMIT ?2 OFFSET ?3"
            ))?
            .query_map(params![filter.status, filter.limit, filter.offset], |r| {
                r.get(0)
            })?
            .collect::<Result<_, _>>()?,
        Some(categories) => conn
            .prepare_cached(&format!(
                "SELECT p.id FROM products p
                 WHERE {STATUS_IS} AND p.category_id IN (SELECT value FROM json_each(?2))
                 ORDER BY p.id DESC LIMIT ?3 OFFSET ?4"
            ))?
            .query_map(
                params![filter.status, categories, filter.limit, filter.offset],
                |r| r.get(0),
            )?
            .collect::<Result<_, _>>()?,
    };
    Ok(ids)
}

fn exact_only(
    conn: &Connection,
    exact: &ExactMatches,
    filter: &Filter<'_>,
) -> Result<Vec<String>, StoreError> {
    let exact_ids = json!(exact.keys().collect::<Vec<_>>()).to_string();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT p.id FROM products p
         WHERE p.id IN (SELECT value FROM json_each(?5)) AND {STATUS_IS}
           AND (?2 IS NULL OR p.category_id IN (SELECT value FROM json_each(?2)))
         ORDER BY p.name COLLATE NOCASE, p.id LIMIT ?3 OFFSET ?4"
    ))?;
    let ids = stmt
        .query_map(
            params![
                filter.status,
                filter.categories,
                filter.limit,
                filter.offset,
                exact_ids
            ],
            |r| r.get(0),
        )?
        .collect::<Result<_, _>>()?;
    Ok(ids)
}

/// Active variants whose SKU (in any case) or active barcode is exactly `text`: two
/// lookups on unique keys, whatever the size of the catalog.
fn exact_matches(conn: &Connection, text: &str) -> Result<ExactMatches, StoreError> {
    let mut found = ExactMatches::new();
    let mut by_sku = conn.prepare_cached(
        "SELECT v.product_id, r.doc, v.id FROM variants v
         JOIN search_rowids r ON r.product_id = v.product_id
         WHERE v.sku = ?1 AND v.status = 'active'",
    )?;
    let sku = by_sku
        .query_row([text], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    if let Some((product, doc, variant_id)) = sku {
        found.insert(
            product,
            ExactMatch {
                doc,
                variant_id,
                barcode: None,
            },
        );
    }
    let mut by_barcode = conn.prepare_cached(
        "SELECT v.product_id, r.doc, v.id FROM barcodes b
         JOIN variants v ON v.id = b.variant_id
         JOIN search_rowids r ON r.product_id = v.product_id
         WHERE b.code = ?1 AND b.status = 'active' AND v.status = 'active'",
    )?;
    let barcode = by_barcode
        .query_row([text], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    if let Some((product, doc, variant_id)) = barcode {
        found.insert(
            product,
            ExactMatch {
                doc,
                variant_id,
                barcode: Some(text.to_owned()),
            },
        );
    }
    Ok(found)
}

/// What each row shows, for the ids in their order, in one query.
fn rows(
    conn: &Connection,
    ids: &[String],
    exact: &ExactMatches,
) -> Result<Vec<ProductHit>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let page: Vec<Value> = ids
        .iter()
        .map(|id| match exact.get(id) {
            Some(m) => json!([id, m.variant_id, m.barcode]),
            None => json!([id, null, null]),
        })
        .collect();
    let mut stmt = conn.prepare_cached(
        "SELECT p.id, p.name, p.status, c.name, v.id, v.sku, v.price_minor, v.currency,
                coalesce(h.value ->> 2,
                         (SELECT b.code FROM barcodes b WHERE b.variant_id = v.id AND b.status = 'active'
                          ORDER BY b.updated_hlc, b.code LIMIT 1)),
                (SELECT count(*) FROM variants WHERE product_id = p.id AND status = 'active')
         FROM json_each(?1) h
         JOIN products p ON p.id = h.value ->> 0
         LEFT JOIN categories c ON c.id = p.category_id AND c.status = 'active'
         LEFT JOIN variants v ON v.id = coalesce(h.value ->> 1,
             (SELECT id FROM variants WHERE product_id = p.id AND status = 'active'
              ORDER BY position, id LIMIT 1))
         ORDER BY h.key",
    )?;
    let raw = stmt.query_map([Value::Array(page).to_string()], |r| {
        Ok(RawRow {
            id: r.get(0)?,
            name: r.get(1)?,
            status: r.get(2)?,
            category: r.get(3)?,
            variant_id: r.get(4)?,
            sku: r.get(5)?,
            price_minor: r.get(6)?,
            currency: r.get(7)?,
            barcode: r.get(8)?,
            variant_count: r.get(9)?,
        })
    })?;
    raw.map(|row| row?.into_hit()).collect()
}

struct RawRow {
    id: String,
    name: String,
    status: String,
    category: Option<String>,
    variant_id: Option<String>,
    sku: Option<String>,
    price_minor: Option<i64>,
    currency: Option<String>,
    barcode: Option<String>,
    variant_count: u32,
}

impl RawRow {
    /// Reads defensively: the file may have been written by another tool.
    fn into_hit(self) -> Result<ProductHit, StoreError> {
        let status = ProductStatus::parse(&self.status)
            .ok_or_else(|| StoreError::Corrupt(format!("product status {:?}", self.status)))?;
        let price = match (self.price_minor, self.currency) {
            (Some(minor), Some(code)) => {
                let currency = Currency::from_code(&code)
                    .map_err(|_| StoreError::Corrupt(format!("currency {code:?}")))?;
                Some(Money::from_minor(minor, currency))
            }
            _ => None,
        };
        Ok(ProductHit {
            product_id: parse_uuid(&self.id, "product id")?,
            name: self.name,
            status,
            variant_id: self
                .variant_id
                .map(|v| parse_uuid(&v, "variant id"))
                .transpose()?,
            price,
            sku: self.sku,
            barcode: self.barcode,
            category: self.category,
            variant_count: self.variant_count,
        })
    }
}
