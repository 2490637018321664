//! Catalog writes and reads. Every write changes the rows, their field clocks and the
//! outbox in one transaction, so a change is either recorded for sync or not made.
//!
//! The simple product form edits a product and its default (first) variant; products
//! with several variants arrive with the full catalog editor.

use rusqlite::{params, OptionalExtension, Transaction};
use serde_json::{json, Map, Value};
use uuid::Uuid;

use super::{Error, Store, StoreError};
use crate::barcode::Barcode;
use crate::catalog::{CatalogError, Product, ProductDraft, ProductStatus, Variant};
use crate::hlc::HlcStamp;
use crate::money::{Currency, Money};

impl Store {
    pub fn create_product(&mut self, draft: &ProductDraft, now_ms: u64) -> Result<Product, Error> {
        let product_id = crate::id::new_id();
        let variant_id = crate::id::new_id();
        let tx = self.conn.transaction()?;
        ensure_unique(&tx, draft, None)?;
        let stamp = super::stamp(&mut self.clock, &tx, now_ms)?;
        tx.execute(
            "INSERT INTO products (id, name, status, created_hlc, updated_hlc)
             VALUES (?1, ?2, 'active', ?3, ?3)",
            params![product_id.to_string(), draft.name, stamp.to_string()],
        )?;
        let mut fields = Map::new();
        fields.insert("name".into(), json!(draft.name));
        fields.insert("status".into(), json!("active"));
        record_change(&tx, "product", product_id, "create", stamp, fields)?;

        tx.execute(
            "INSERT INTO variants (id, product_id, position, sku, price_minor, currency, created_hlc, updated_hlc)
             VALUES (?1, ?2, 0, ?3, ?4, ?5, ?6, ?6)",
            params![
                variant_id.to_string(),
                product_id.to_string(),
                draft.sku,
                draft.price.minor(),
                draft.price.currency().code(),
                stamp.to_string(),
            ],
        )?;
        let mut fields = variant_fields(draft);
        fields.insert("product_id".into(), json!(product_id.to_string()));
        fields.insert("options".into(), json!({}));
        record_change(&tx, "variant", variant_id, "create", stamp, fields)?;
        if let Some(barcode) = &draft.barcode {
            attach_barcode(&tx, barcode, variant_id, stamp)?;
        }
        let product = read(&tx, product_id)?.ok_or(CatalogError::NotFound(product_id))?;
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
        let variant = current
            .default_variant()
            .ok_or_else(|| StoreError::Corrupt(format!("product {id} has no variant")))?
            .clone();
        ensure_unique(&tx, draft, Some(variant.id))?;

        let name_changed = current.name != draft.name;
        let before = json!({
            "sku": variant.sku,
            "price_minor": variant.price.minor(),
            "currency": variant.price.currency().code(),
        });
        let variant_changes: Map<String, Value> = variant_fields(draft)
            .into_iter()
            .filter(|(field, value)| before.get(field) != Some(value))
            .collect();
        let old_barcode = variant.barcodes.first().cloned();
        let new_barcode = draft.barcode.as_ref().map(|b| b.to_string());
        let barcode_changed = old_barcode != new_barcode;
        if !name_changed && variant_changes.is_empty() && !barcode_changed {
            return Ok(current);
        }

        let stamp = super::stamp(&mut self.clock, &tx, now_ms)?;
        if name_changed {
            tx.execute(
                "UPDATE products SET name = ?2, updated_hlc = ?3 WHERE id = ?1",
                params![id.to_string(), draft.name, stamp.to_string()],
            )?;
            let mut fields = Map::new();
            fields.insert("name".into(), json!(draft.name));
            record_change(&tx, "product", id, "update", stamp, fields)?;
        }
        if !variant_changes.is_empty() {
            tx.execute(
                "UPDATE variants SET sku = ?2, price_minor = ?3, currency = ?4, updated_hlc = ?5
                 WHERE id = ?1",
                params![
                    variant.id.to_string(),
                    draft.sku,
                    draft.price.minor(),
                    draft.price.currency().code(),
                    stamp.to_string(),
                ],
            )?;
            record_change(&tx, "variant", variant.id, "update", stamp, variant_changes)?;
        }
        if barcode_changed {
            if let Some(old) = &old_barcode {
                remove_barcode(&tx, old, stamp)?;
            }
            if let Some(new) = &draft.barcode {
                attach_barcode(&tx, new, variant.id, stamp)?;
            }
        }
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
        record_change(&tx, "product", id, "update", stamp, fields)?;
        let product = read(&tx, id)?.ok_or(CatalogError::NotFound(id))?;
        tx.commit()?;
        Ok(product)
    }

    pub fn product(&self, id: Uuid) -> Result<Option<Product>, StoreError> {
        read(&self.conn, id)
    }

    /// Newest first (ids are UUIDv7, so id order is creation order).
    pub fn list_products(&self, include_archived: bool) -> Result<Vec<Product>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id FROM products WHERE ?1 OR status <> 'archived' ORDER BY id DESC",
        )?;
        let ids = stmt
            .query_map([include_archived], |r| r.get::<_, String>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        let mut products = Vec::with_capacity(ids.len());
        for id in ids {
            let id = parse_uuid(&id, "product id")?;
            if let Some(product) = read(&self.conn, id)? {
                products.push(product);
            }
        }
        Ok(products)
    }

    /// Changes waiting for sync, oldest first.
    pub fn pending_changes(&self) -> Result<Vec<OutboxEntry>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT seq, entity, entity_id, op, hlc, payload FROM outbox ORDER BY seq",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
            ))
        })?;
        let mut changes = Vec::new();
        for row in rows {
            let (seq, entity, key, op, hlc, payload) = row?;
            changes.push(OutboxEntry {
                seq,
                entity,
                key,
                op,
                hlc: hlc.parse().map_err(|_| {
                    StoreError::Corrupt(format!("clock stamp of outbox entry {seq}"))
                })?,
                payload: serde_json::from_str(&payload)
                    .map_err(|_| StoreError::Corrupt(format!("outbox entry {seq}")))?,
            });
        }
        Ok(changes)
    }
}

/// A change waiting to be pushed to the server.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxEntry {
    /// The dense per-device sequence (SYNC.md rule 1).
    pub seq: i64,
    pub entity: String,
    /// The entity's id, or its natural key (a barcode's code).
    pub key: String,
    pub op: String,
    pub hlc: HlcStamp,
    pub payload: Value,
}

/// SKUs are unique across variants whatever their case; an active barcode belongs to
/// one variant.
fn ensure_unique(
    tx: &Transaction<'_>,
    draft: &ProductDraft,
    except_variant: Option<Uuid>,
) -> Result<(), Error> {
    let except = except_variant.map(|id| id.to_string()).unwrap_or_default();
    if let Some(sku) = &draft.sku {
        let taken: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM variants WHERE sku = ?1 AND id <> ?2)",
            params![sku, except],
            |r| r.get(0),
        )?;
        if taken {
            return Err(CatalogError::SkuTaken(sku.clone()).into());
        }
    }
    if let Some(barcode) = &draft.barcode {
        let taken: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM barcodes WHERE code = ?1 AND status = 'active' AND variant_id <> ?2)",
            params![barcode.as_str(), except],
            |r| r.get(0),
        )?;
        if taken {
            return Err(CatalogError::BarcodeTaken(barcode.to_string()).into());
        }
    }
    Ok(())
}

fn variant_fields(draft: &ProductDraft) -> Map<String, Value> {
    let mut fields = Map::new();
    fields.insert("sku".into(), json!(draft.sku));
    fields.insert("price_minor".into(), json!(draft.price.minor()));
    fields.insert("currency".into(), json!(draft.price.currency().code()));
    fields
}

/// Gives `barcode` to `variant_id`, reviving the row if the code was once removed.
fn attach_barcode(
    tx: &Transaction<'_>,
    barcode: &Barcode,
    variant_id: Uuid,
    stamp: HlcStamp,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO barcodes (code, variant_id, kind, status, updated_hlc) VALUES (?1, ?2, ?3, 'active', ?4)
         ON CONFLICT (code) DO UPDATE SET variant_id = excluded.variant_id, kind = excluded.kind,
             status = 'active', updated_hlc = excluded.updated_hlc",
        params![barcode.as_str(), variant_id.to_string(), barcode.kind().code(), stamp.to_string()],
    )?;
    let mut fields = Map::new();
    fields.insert("code".into(), json!(barcode.as_str()));
    fields.insert("variant_id".into(), json!(variant_id.to_string()));
    fields.insert("kind".into(), json!(barcode.kind().code()));
    fields.insert("status".into(), json!("active"));
    record_keyed_change(tx, "barcode", barcode.as_str(), "upsert", stamp, fields)
}

fn remove_barcode(tx: &Transaction<'_>, code: &str, stamp: HlcStamp) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE barcodes SET status = 'removed', updated_hlc = ?2 WHERE code = ?1",
        params![code, stamp.to_string()],
    )?;
    let mut fields = Map::new();
    fields.insert("code".into(), json!(code));
    fields.insert("status".into(), json!("removed"));
    record_keyed_change(tx, "barcode", code, "upsert", stamp, fields)
}

pub(super) fn record_change(
    tx: &Transaction<'_>,
    entity: &str,
    id: Uuid,
    op: &str,
    stamp: HlcStamp,
    fields: Map<String, Value>,
) -> Result<(), StoreError> {
    record_keyed_change(tx, entity, &id.to_string(), op, stamp, fields)
}

/// Stamps each changed field and queues the change for sync (SYNC.md rules 1 and 5).
fn record_keyed_change(
    tx: &Transaction<'_>,
    entity: &str,
    key: &str,
    op: &str,
    stamp: HlcStamp,
    fields: Map<String, Value>,
) -> Result<(), StoreError> {
    let stamp = stamp.to_string();
    let mut clock = tx.prepare_cached(
        "INSERT INTO field_clocks (entity, entity_id, field, hlc) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (entity, entity_id, field) DO UPDATE SET hlc = excluded.hlc",
    )?;
    for field in fields.keys() {
        clock.execute(params![entity, key, field, stamp])?;
    }
    let payload = json!({ "fields": fields });
    tx.execute(
        "INSERT INTO outbox (id, entity, entity_id, op, hlc, payload) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            crate::id::new_id().to_string(),
            entity,
            key,
            op,
            stamp,
            payload.to_string()
        ],
    )?;
    Ok(())
}

pub(super) fn parse_uuid(text: &str, what: &str) -> Result<Uuid, StoreError> {
    Uuid::parse_str(text).map_err(|_| StoreError::Corrupt(format!("{what} {text:?}")))
}

/// Reads a product with its variants and their active barcodes. Reads defensively:
/// the file may have been written by another tool.
fn read(conn: &rusqlite::Connection, id: Uuid) -> Result<Option<Product>, StoreError> {
    let mut stmt = conn.prepare_cached("SELECT name, status FROM products WHERE id = ?1")?;
    let Some((name, status)) = stmt
        .query_row([id.to_string()], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })
        .optional()?
    else {
        return Ok(None);
    };
    let status = ProductStatus::parse(&status)
        .ok_or_else(|| StoreError::Corrupt(format!("product status {status:?}")))?;

    let mut variants_stmt = conn.prepare_cached(
        "SELECT id, sku, price_minor, currency FROM variants
         WHERE product_id = ?1 AND status = 'active' ORDER BY position, id",
    )?;
    let rows = variants_stmt.query_map([id.to_string()], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, Option<String>>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    let mut barcodes_stmt = conn.prepare_cached(
        "SELECT code FROM barcodes WHERE variant_id = ?1 AND status = 'active' ORDER BY updated_hlc, code",
    )?;
    let mut variants = Vec::new();
    for row in rows {
        let (variant_id, sku, price_minor, currency) = row?;
        let currency = Currency::from_code(&currency)
            .map_err(|_| StoreError::Corrupt(format!("currency {currency:?}")))?;
        let barcodes = barcodes_stmt
            .query_map([&variant_id], |r| r.get::<_, String>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        variants.push(Variant {
            id: parse_uuid(&variant_id, "variant id")?,
            sku,
            price: Money::from_minor(price_minor, currency),
            barcodes,
        });
    }
    Ok(Some(Product {
        id,
        name,
        status,
        variants,
    }))
}
