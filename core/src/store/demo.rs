//! Writes a generated catalog (`crate::demo`) in one transaction, fast enough for
//! 100,000 products: prepared statements, one statement for all of a row's field
//! clocks, the statement journal in memory, and the search index written in one
//! statement at the end (see `search_index_paused` in migration 0005).
//!
//! The rows, their shapes and their field clocks are what the ordinary writes make
//! (`create_category`, `create_product`, `attach_barcode`), extended to the fields the
//! simple product form cannot set yet (description, category, options, position),
//! each with its own clock. One thing is left out on purpose: **no outbox entries.**
//! Demo data is local-only. Queued for sync it would put a made-up catalog into a real
//! shop's server, every other counter and the public storefront, and it would add
//! 700,000 outbox rows to a 100,000-product load. A demo server that should hold a
//! catalog generates its own from a seed. A later edit of a demo product is queued as
//! usual; the server has no such product, and a rejected entry does not block the
//! queue (SYNC.md rule 2).

use std::collections::HashMap;

use rusqlite::{params, OptionalExtension, Statement, Transaction};
use serde_json::Value;
use uuid::Uuid;

use super::{settings, Error, Store, StoreError};
use crate::barcode::Barcode;
use crate::catalog::{parse_category_name, CatalogError};
use crate::demo::GeneratedProduct;
use crate::hlc::{HlcStamp, HybridClock};

/// What a load wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoadedCatalog {
    pub products: usize,
    pub variants: usize,
    /// Categories that did not exist yet.
    pub categories_created: usize,
}

impl Store {
    /// Writes `products` with their variants and barcodes, creating the categories on
    /// their paths (an existing category of the same name under the same parent is
    /// reused). All or nothing: a SKU or barcode already on another item stops the load
    /// and nothing is written.
    pub fn load_generated_catalog(
        &mut self,
        products: impl Iterator<Item = GeneratedProduct>,
        now_ms: u64,
    ) -> Result<LoadedCatalog, Error> {
        // Every insert inside a transaction first copies the pages it will change to the
        // statement journal, so it can be undone alone; in a temporary file that was
        // over a quarter of the load. Put back afterwards: it is this load's setting only.
        let temp_store: i64 = self
            .conn
            .pragma_query_value(None, "temp_store", |r| r.get(0))?;
        self.conn.pragma_update(None, "temp_store", "MEMORY")?;
        let loaded = self.load_in_one_transaction(products, now_ms);
        self.conn.pragma_update(None, "temp_store", temp_store)?;
        loaded
    }

    fn load_in_one_transaction(
        &mut self,
        products: impl Iterator<Item = GeneratedProduct>,
        now_ms: u64,
    ) -> Result<LoadedCatalog, Error> {
        let tx = self.conn.transaction()?;
        let indexed_up_to: i64 =
            tx.query_row("SELECT coalesce(max(doc), 0) FROM search_rowids", [], |r| {
                r.get(0)
            })?;
        tx.execute("INSERT INTO search_index_paused (paused) VALUES (1)", [])?;
        let mut writer = Writer::prepare(&tx, &mut self.clock, now_ms)?;
        let currency = self.shop.currency.code().to_owned();
        let mut loaded = LoadedCatalog::default();
        for product in products {
            writer.product(&product, &currency)?;
            loaded.products += 1;
            loaded.variants += product.variants.len();
        }
        loaded.categories_created = writer.categories_created;
        let last = writer.clock.last();
        drop(writer);
        if let Some(last) = last {
            settings::save_last_stamp(&tx, last)?;
        }
        // What the paused insert triggers would have done, for every product at once.
        tx.execute("DELETE FROM search_index_paused", [])?;
        tx.execute(
            "INSERT INTO search_rowids (product_id)
             SELECT id FROM products p
             WHERE NOT EXISTS (SELECT 1 FROM search_rowids r WHERE r.product_id = p.id)
             ORDER BY id",
            [],
        )?;
        tx.execute(
            "INSERT INTO product_search
                 (rowid, name, description, category, sku, options, barcode, status, category_ids)
             SELECT doc, name, description, category, sku, options, barcode, status, category_ids
             FROM product_search_documents WHERE doc > ?1",
            [indexed_up_to],
        )?;
        tx.commit()?;
        Ok(loaded)
    }
}

struct Writer<'tx, 'c> {
    tx: &'tx Transaction<'tx>,
    clock: &'c mut HybridClock,
    now_ms: u64,
    /// Category ids by path, so each path is looked up once.
    categories: HashMap<Vec<String>, Uuid>,
    categories_created: usize,
    product: Statement<'tx>,
    option: Statement<'tx>,
    variant: Statement<'tx>,
    barcode: Statement<'tx>,
    product_clocks: Statement<'tx>,
    variant_clocks: Statement<'tx>,
    barcode_clocks: Statement<'tx>,
    category_clocks: Statement<'tx>,
}

/// The fields each kind of row gets a clock for: those its ordinary write stamps
/// (`save_product`, `create_category`).
const PRODUCT_FIELDS: &[&str] = &[
    "name",
    "description",
    "category_id",
    "tax_class",
    "hsn_code",
    "status",
    "show_on_storefront",
    "option_names",
];
const VARIANT_FIELDS: &[&str] = &[
    "product_id",
    "position",
    "option_values",
    "sku",
    "price_minor",
    "cost_minor",
    "currency",
];
const BARCODE_FIELDS: &[&str] = &["variant_id", "kind", "generated", "status"];
const CATEGORY_FIELDS: &[&str] = &["name", "parent_id", "status"];

/// One statement writing all of a row's field clocks (`?1` the row's key, `?2` the
/// stamp): clocks are three in four of the rows a load writes, and one statement per
/// row rather than per field saves most of the statement runs.
fn clock_statement<'tx>(
    tx: &'tx Transaction<'tx>,
    entity: &str,
    fields: &[&str],
) -> Result<Statement<'tx>, StoreError> {
    // Only the constants above are put into the SQL text.
    let rows: Vec<String> = fields
        .iter()
        .map(|field| format!("('{entity}', ?1, '{field}', ?2)"))
        .collect();
    Ok(tx.prepare(&format!(
        "INSERT INTO field_clocks (entity, entity_id, field, hlc) VALUES {}
         ON CONFLICT (entity, entity_id, field) DO UPDATE SET hlc = excluded.hlc",
        rows.join(", ")
    ))?)
}

impl<'tx, 'c> Writer<'tx, 'c> {
    fn prepare(
        tx: &'tx Transaction<'tx>,
        clock: &'c mut HybridClock,
        now_ms: u64,
    ) -> Result<Self, StoreError> {
        Ok(Writer {
            tx,
            clock,
            now_ms,
            categories: HashMap::new(),
            categories_created: 0,
            product: tx.prepare(
                "INSERT INTO products (id, name, description, category_id, status, created_hlc, updated_hlc)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
            )?,
            option: tx.prepare(
                "INSERT INTO product_options (product_id, position, name) VALUES (?1, ?2, ?3)",
            )?,
            variant: tx.prepare(
                "INSERT INTO variants (id, product_id, position, options, sku, price_minor, currency, created_hlc, updated_hlc)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
            )?,
            // As `attach_barcode`: a removed code is revived; an active one is taken,
            // which shows as no row changed.
            barcode: tx.prepare(
                "INSERT INTO barcodes (code, variant_id, kind, status, updated_hlc) VALUES (?1, ?2, ?3, 'active', ?4)
                 ON CONFLICT (code) DO UPDATE SET variant_id = excluded.variant_id, kind = excluded.kind,
                     status = 'active', updated_hlc = excluded.updated_hlc
                 WHERE barcodes.status = 'removed'",
            )?,
            product_clocks: clock_statement(tx, "product", PRODUCT_FIELDS)?,
            variant_clocks: clock_statement(tx, "variant", VARIANT_FIELDS)?,
            barcode_clocks: clock_statement(tx, "barcode", BARCODE_FIELDS)?,
            category_clocks: clock_statement(tx, "category", CATEGORY_FIELDS)?,
        })
    }

    fn stamp(&mut self) -> Result<HlcStamp, StoreError> {
        Ok(self.clock.tick(self.now_ms)?)
    }

    /// One product, as if created by hand with one stamp for it and its variants, in
    /// the order `create_product` writes them.
    fn product(&mut self, product: &GeneratedProduct, currency: &str) -> Result<(), Error> {
        let category_id = self.category(&product.category)?;
        let hlc = self.stamp()?.to_string();
        let product_id = crate::id::new_id().to_string();
        self.product.execute(params![
            product_id,
            product.name,
            product.description,
            category_id.map(|id| id.to_string()),
            product.status.as_str(),
            hlc
        ])?;
        self.product_clocks.execute(params![product_id, hlc])?;
        for (position, name) in product.option_names.iter().enumerate() {
            self.option.execute(params![product_id, position, name])?;
        }
        for (position, variant) in product.variants.iter().enumerate() {
            let barcode = Barcode::parse(&variant.barcode).map_err(CatalogError::from)?;
            let variant_id = crate::id::new_id().to_string();
            // Values in option order, as save_product writes them.
            let options: Vec<Value> = variant
                .option_values
                .iter()
                .map(|value| Value::from(value.as_str()))
                .collect();
            self.variant
                .execute(params![
                    variant_id,
                    product_id,
                    position,
                    Value::Array(options).to_string(),
                    variant.sku,
                    variant.price_minor,
                    currency,
                    hlc
                ])
                .map_err(|e| sku_taken(e, &variant.sku))?;
            self.variant_clocks.execute(params![variant_id, hlc])?;
            let written = self.barcode.execute(params![
                barcode.as_str(),
                variant_id,
                barcode.kind().code(),
                hlc
            ])?;
            if written == 0 {
                return Err(CatalogError::BarcodeTaken(barcode.to_string()).into());
            }
            self.barcode_clocks
                .execute(params![barcode.as_str(), hlc])?;
        }
        Ok(())
    }

    /// The id of the category at `path`, creating what is missing.
    fn category(&mut self, path: &[String]) -> Result<Option<Uuid>, Error> {
        if let Some(id) = self.categories.get(path) {
            return Ok(Some(*id));
        }
        let mut parent: Option<Uuid> = None;
        for depth in 1..=path.len() {
            let prefix = &path[..depth];
            let id = match self.categories.get(prefix) {
                Some(id) => *id,
                None => {
                    let name = parse_category_name(&prefix[depth - 1])?;
                    let id = match self.existing_category(&name, parent)? {
                        Some(id) => id,
                        None => self.create_category(&name, parent)?,
                    };
                    self.categories.insert(prefix.to_vec(), id);
                    id
                }
            };
            parent = Some(id);
        }
        Ok(parent)
    }

    fn existing_category(
        &self,
        name: &str,
        parent: Option<Uuid>,
    ) -> Result<Option<Uuid>, StoreError> {
        let id: Option<String> = self
            .tx
            .query_row(
                "SELECT id FROM categories WHERE status = 'active'
                 AND coalesce(parent_id, '') = ?1 AND name = ?2 COLLATE NOCASE",
                params![parent.map(|p| p.to_string()).unwrap_or_default(), name],
                |r| r.get(0),
            )
            .optional()?;
        id.map(|id| super::products::parse_uuid(&id, "category id"))
            .transpose()
    }

    /// As `Store::create_category` writes one, less the outbox entry.
    fn create_category(&mut self, name: &str, parent: Option<Uuid>) -> Result<Uuid, StoreError> {
        let id = crate::id::new_id();
        let hlc = self.stamp()?.to_string();
        self.tx.execute(
            "INSERT INTO categories (id, parent_id, name, created_hlc, updated_hlc) VALUES (?1, ?2, ?3, ?4, ?4)",
            params![id.to_string(), parent.map(|p| p.to_string()), name, hlc],
        )?;
        self.category_clocks.execute(params![id.to_string(), hlc])?;
        self.categories_created += 1;
        Ok(id)
    }
}

/// A unique-key failure on a new variant can only be its SKU (its id is fresh).
fn sku_taken(error: rusqlite::Error, sku: &str) -> Error {
    match &error {
        rusqlite::Error::SqliteFailure(failure, _)
            if failure.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE =>
        {
            CatalogError::SkuTaken(sku.to_owned()).into()
        }
        _ => error.into(),
    }
}
