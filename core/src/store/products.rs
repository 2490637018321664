//! Catalog writes and reads. Every write changes the row, the field clocks and the
//! outbox in one transaction, so a change is either recorded for sync or not made.

use rusqlite::{params, OptionalExtension, Row, Transaction};
use serde_json::{json, Map, Value};
use uuid::Uuid;

use super::{Error, Store, StoreError};
use crate::catalog::{CatalogError, Product, ProductDraft, ProductStatus};
use crate::hlc::HlcStamp;
use crate::money::{Currency, Money};

const COLUMNS: &str = "id, name, price_minor, currency, sku, barcode, status";

impl Store {
    pub fn create_product(&mut self, draft: &ProductDraft, now_ms: u64) -> Result<Product, Error> {
        let id = crate::id::new_id();
        let tx = self.conn.transaction()?;
        ensure_unique(&tx, draft, None)?;
        let stamp = super::stamp(&mut self.clock, &tx, now_ms)?;
        tx.execute(
            "INSERT INTO products (id, name, price_minor, currency, sku, barcode, status, created_hlc, updated_hlc)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'active', ?7, ?7)",
            params![
                id.to_string(),
                draft.name,
                draft.price.minor(),
                draft.price.currency().code(),
                draft.sku,
                draft.barcode.as_ref().map(|b| b.as_str()),
                stamp.to_string(),
            ],
        )?;
        let mut fields = draft_fields(draft);
        fields.insert("status".into(), json!("active"));
        record_change(&tx, id, "create", stamp, fields)?;
        let product = read(&tx, id)?.ok_or(CatalogError::NotFound(id))?;
        tx.commit()?;
        Ok(product)
    }

    /// Writes the fields that differ from what is stored; an unchanged save records nothing.
    pub fn update_product(
        &mut self,
        id: Uuid,
        draft: &ProductDraft,
        now_ms: u64,
    ) -> Result<Product, Error> {
        let tx = self.conn.transaction()?;
        let current = read(&tx, id)?.ok_or(CatalogError::NotFound(id))?;
        ensure_unique(&tx, draft, Some(id))?;
        let before = product_fields(&current);
        let changed: Map<String, Value> = draft_fields(draft)
            .into_iter()
            .filter(|(field, value)| before.get(field) != Some(value))
            .collect();
        if changed.is_empty() {
            return Ok(current);
        }
        let stamp = super::stamp(&mut self.clock, &tx, now_ms)?;
        tx.execute(
            "UPDATE products SET name = ?2, price_minor = ?3, currency = ?4, sku = ?5, barcode = ?6,
             updated_hlc = ?7 WHERE id = ?1",
            params![
                id.to_string(),
                draft.name,
                draft.price.minor(),
                draft.price.currency().code(),
                draft.sku,
                draft.barcode.as_ref().map(|b| b.as_str()),
                stamp.to_string(),
            ],
        )?;
        record_change(&tx, id, "update", stamp, changed)?;
        let product = read(&tx, id)?.ok_or(CatalogError::NotFound(id))?;
        tx.commit()?;
        Ok(product)
    }

    /// Archiving is the catalog's delete: a tombstone that syncs like any change
    /// (SYNC.md rule 6). Rows are never removed.
    pub fn set_product_status(
        &mut self,
        id: Uuid,
        status: ProductStatus,
        now_ms: u64,
    ) -> Result<Product, Error> {
        let tx = self.conn.transaction()?;
        let current = read(&tx, id)?.ok_or(CatalogError::NotFound(id))?;
        if current.status == status {
            return Ok(current);
        }
        let stamp = super::stamp(&mut self.clock, &tx, now_ms)?;
        tx.execute(
            "UPDATE products SET status = ?2, updated_hlc = ?3 WHERE id = ?1",
            params![id.to_string(), status.as_str(), stamp.to_string()],
        )?;
        let mut fields = Map::new();
        fields.insert("status".into(), json!(status.as_str()));
        record_change(&tx, id, "update", stamp, fields)?;
        let product = read(&tx, id)?.ok_or(CatalogError::NotFound(id))?;
        tx.commit()?;
        Ok(product)
    }

    pub fn product(&self, id: Uuid) -> Result<Option<Product>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!("SELECT {COLUMNS} FROM products WHERE id = ?1"))?;
        let row = stmt
            .query_row([id.to_string()], |row| Ok(from_row(row)))
            .optional()?;
        row.transpose()
    }

    /// Newest first (ids are UUIDv7, so id order is creation order).
    pub fn list_products(&self, include_archived: bool) -> Result<Vec<Product>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM products WHERE ?1 OR status = 'active' ORDER BY id DESC"
        ))?;
        let rows = stmt.query_map([include_archived], |row| Ok(from_row(row)))?;
        let mut products = Vec::new();
        for row in rows {
            products.push(row??);
        }
        Ok(products)
    }

    /// Changes waiting for sync, oldest first: (sequence, entity id, operation, payload).
    pub fn pending_changes(&self) -> Result<Vec<(i64, Uuid, String, Value)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT seq, entity_id, op, payload FROM outbox ORDER BY seq")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        let mut changes = Vec::new();
        for row in rows {
            let (seq, entity_id, op, payload) = row?;
            let id = Uuid::parse_str(&entity_id)
                .map_err(|_| StoreError::Corrupt(format!("outbox entity id {entity_id:?}")))?;
            let payload = serde_json::from_str(&payload)
                .map_err(|_| StoreError::Corrupt(format!("outbox entry {seq}")))?;
            changes.push((seq, id, op, payload));
        }
        Ok(changes)
    }
}

fn ensure_unique(
    tx: &Transaction<'_>,
    draft: &ProductDraft,
    except: Option<Uuid>,
) -> Result<(), Error> {
    let except = except.map(|id| id.to_string()).unwrap_or_default();
    if let Some(sku) = &draft.sku {
        let taken: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM products WHERE sku = ?1 AND id <> ?2)",
            params![sku, except],
            |r| r.get(0),
        )?;
        if taken {
            return Err(CatalogError::SkuTaken(sku.clone()).into());
        }
    }
    if let Some(barcode) = &draft.barcode {
        let taken: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM products WHERE barcode = ?1 AND id <> ?2)",
            params![barcode.as_str(), except],
            |r| r.get(0),
        )?;
        if taken {
            return Err(CatalogError::BarcodeTaken(barcode.to_string()).into());
        }
    }
    Ok(())
}

fn draft_fields(draft: &ProductDraft) -> Map<String, Value> {
    let mut fields = Map::new();
    fields.insert("name".into(), json!(draft.name));
    fields.insert("price_minor".into(), json!(draft.price.minor()));
    fields.insert("currency".into(), json!(draft.price.currency().code()));
    fields.insert("sku".into(), json!(draft.sku));
    fields.insert(
        "barcode".into(),
        json!(draft.barcode.as_ref().map(|b| b.as_str())),
    );
    fields
}

fn product_fields(product: &Product) -> Map<String, Value> {
    let mut fields = Map::new();
    fields.insert("name".into(), json!(product.name));
    fields.insert("price_minor".into(), json!(product.price.minor()));
    fields.insert("currency".into(), json!(product.price.currency().code()));
    fields.insert("sku".into(), json!(product.sku));
    fields.insert("barcode".into(), json!(product.barcode));
    fields
}

fn record_change(
    tx: &Transaction<'_>,
    id: Uuid,
    op: &str,
    stamp: HlcStamp,
    fields: Map<String, Value>,
) -> Result<(), StoreError> {
    let stamp = stamp.to_string();
    let mut clock = tx.prepare_cached(
        "INSERT INTO field_clocks (entity, entity_id, field, hlc) VALUES ('product', ?1, ?2, ?3)
         ON CONFLICT (entity, entity_id, field) DO UPDATE SET hlc = excluded.hlc",
    )?;
    for field in fields.keys() {
        clock.execute(params![id.to_string(), field, stamp])?;
    }
    let payload = json!({ "fields": fields });
    tx.execute(
        "INSERT INTO outbox (id, entity, entity_id, op, hlc, payload) VALUES (?1, 'product', ?2, ?3, ?4, ?5)",
        params![
            crate::id::new_id().to_string(),
            id.to_string(),
            op,
            stamp,
            payload.to_string()
        ],
    )?;
    Ok(())
}

fn read(tx: &Transaction<'_>, id: Uuid) -> Result<Option<Product>, StoreError> {
    let mut stmt = tx.prepare_cached(&format!("SELECT {COLUMNS} FROM products WHERE id = ?1"))?;
    let row = stmt
        .query_row([id.to_string()], |row| Ok(from_row(row)))
        .optional()?;
    row.transpose()
}

/// Reads a row defensively: the file may have been written by another tool.
fn from_row(row: &Row<'_>) -> Result<Product, StoreError> {
    let id: String = row.get(0)?;
    let currency: String = row.get(3)?;
    let status: String = row.get(6)?;
    Ok(Product {
        id: Uuid::parse_str(&id).map_err(|_| StoreError::Corrupt(format!("product id {id:?}")))?,
        name: row.get(1)?,
        price: Money::from_minor(
            row.get(2)?,
            Currency::from_code(&currency)
                .map_err(|_| StoreError::Corrupt(format!("currency {currency:?}")))?,
        ),
        sku: row.get(4)?,
        barcode: row.get(5)?,
        status: ProductStatus::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("product status {status:?}")))?,
    })
}
