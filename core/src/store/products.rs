//! Catalog writes and reads. Every write changes the rows, their field clocks and the
//! outbox in one transaction, so a change is either recorded for sync or not made.
//!
//! `save_product` is the one write path for products and variants; the simple form
//! (`create_product`, `update_product`) edits a product through its first variant.

use std::collections::HashSet;

use rusqlite::{params, OptionalExtension, Transaction};
use serde_json::{json, Map, Value};
use uuid::Uuid;

use super::audit::{record_audit, AuditAction, AuditEvent};
use super::outbox::record_change;
use super::staff::authorize;
use super::{barcodes, Error, Store, StoreError};
use crate::catalog::{
    CatalogError, Product, ProductDraft, ProductSpec, ProductStatus, Variant, VariantSpec,
};
use crate::hlc::HybridClock;
use crate::money::{Currency, Money};
use crate::staff::{Actor, Permission};

impl Store {
    /// Creates the product (`id` None) or brings an existing one to `spec`: changed
    /// fields are written and stamped, variants missing from `spec` are archived, new
    /// variants without a barcode get an internal one.
    ///
    /// Needs `ManageCatalog`, plus `ChangePrice` / `ChangeCost` when a price or cost is
    /// set or changed; price and cost changes of existing variants are audited.
    pub fn save_product(
        &mut self,
        actor: &Actor,
        id: Option<Uuid>,
        spec: &ProductSpec,
        now_ms: u64,
    ) -> Result<Product, Error> {
        let tx = self.conn.transaction()?;
        let product = save_product_in(&tx, &mut self.clock, self.device, actor, id, spec, now_ms)?;
        tx.commit()?;
        Ok(product)
    }

    /// The simple form's create: one product with one variant.
    pub fn create_product(
        &mut self,
        actor: &Actor,
        draft: &ProductDraft,
        now_ms: u64,
    ) -> Result<Product, Error> {
        let spec = ProductSpec {
            name: draft.name.clone(),
            description: String::new(),
            category_id: None,
            tax_class: None,
            hsn_code: None,
            status: ProductStatus::Active,
            show_on_storefront: false,
            option_names: Vec::new(),
            variants: vec![VariantSpec {
                id: None,
                option_values: Vec::new(),
                sku: draft.sku.clone(),
                price: draft.price,
                cost: None,
                barcodes: draft.barcode.iter().cloned().collect(),
            }],
        };
        self.save_product(actor, None, &spec, now_ms)
            .map_err(at_simple_field)
    }

    /// The simple form's edit: name, and the first variant's price, SKU and barcode;
    /// everything else about the product is kept.
    pub fn update_product(
        &mut self,
        actor: &Actor,
        id: Uuid,
        draft: &ProductDraft,
        now_ms: u64,
    ) -> Result<Product, Error> {
        let current = read(&self.conn, id)?.ok_or(CatalogError::NotFound(id))?;
        let mut spec = spec_of(&current);
        spec.name = draft.name.clone();
        let first = spec
            .variants
            .first_mut()
            .ok_or_else(|| StoreError::Corrupt(format!("product {id} has no variant")))?;
        first.sku = draft.sku.clone();
        first.price = draft.price;
        first.barcodes = draft.barcode.iter().cloned().collect();
        self.save_product(actor, Some(id), &spec, now_ms)
            .map_err(at_simple_field)
    }

    /// Archiving is the catalog's delete: a tombstone that syncs like any change
    /// (SYNC.md rule 6). Rows are never removed.
    pub fn set_product_status(
        &mut self,
        actor: &Actor,
        id: Uuid,
        status: ProductStatus,
        now_ms: u64,
    ) -> Result<Product, Error> {
        let current = read(&self.conn, id)?.ok_or(CatalogError::NotFound(id))?;
        let mut spec = spec_of(&current);
        spec.status = status;
        self.save_product(actor, Some(id), &spec, now_ms)
    }

    pub fn product(&self, id: Uuid) -> Result<Option<Product>, StoreError> {
        read(&self.conn, id)
    }

    /// Every product in the store, archived ones included.
    pub fn product_count(&self) -> Result<u64, StoreError> {
        let count: i64 = self
            .conn
            .prepare_cached("SELECT count(*) FROM products")?
            .query_row([], |r| r.get(0))?;
        u64::try_from(count).map_err(|_| StoreError::Corrupt(format!("product count {count}")))
    }

    /// The product a variant belongs to (archived variants included), for screens that
    /// start from a variant: stock history, the reorder list, the audit log.
    pub fn product_of_variant(&self, variant_id: Uuid) -> Result<Option<Product>, StoreError> {
        let product_id: Option<String> = self
            .conn
            .prepare_cached("SELECT product_id FROM variants WHERE id = ?1")?
            .query_row([variant_id.to_string()], |r| r.get(0))
            .optional()?;
        match product_id {
            Some(id) => read(&self.conn, parse_uuid(&id, "product id")?),
            None => Ok(None),
        }
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
            if let Some(product) = read(&self.conn, parse_uuid(&id, "product id")?)? {
                products.push(product);
            }
        }
        Ok(products)
    }
}

/// `save_product` inside the caller's transaction, so an import can save thousands of
/// products all-or-nothing.
pub(crate) fn save_product_in(
    tx: &Transaction<'_>,
    clock: &mut HybridClock,
    device: Uuid,
    actor: &Actor,
    id: Option<Uuid>,
    spec: &ProductSpec,
    now_ms: u64,
) -> Result<Product, Error> {
    let current = match id {
        Some(id) => Some(read(tx, id)?.ok_or(CatalogError::NotFound(id))?),
        None => None,
    };
    let money = money_changes(current.as_ref(), spec);
    // The narrowest permission first, so a cashier editing a price is told exactly that.
    if money.iter().any(|c| c.field == "price") {
        authorize(tx, actor, Permission::ChangePrice)?;
    }
    if money.iter().any(|c| c.field == "cost") {
        authorize(tx, actor, Permission::ChangeCost)?;
    }
    authorize(tx, actor, Permission::ManageCatalog)?;
    check_against_store(tx, current.as_ref(), spec)?;
    let product_id = current.as_ref().map_or_else(crate::id::new_id, |p| p.id);
    let stamp = super::stamp(clock, tx, now_ms)?;
    let staff = Some(actor.staff_id());
    let ctx = Write {
        tx,
        stamp,
        staff,
        product_id,
    };

    let after = product_fields(spec);
    match &current {
        None => {
            tx.prepare_cached(
                "INSERT INTO products (id, name, description, category_id, tax_class, hsn_code,
                     status, show_on_storefront, created_hlc, updated_hlc)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
            )?
            .execute(params![
                product_id.to_string(),
                spec.name,
                spec.description,
                spec.category_id.map(|c| c.to_string()),
                spec.tax_class,
                spec.hsn_code,
                spec.status.as_str(),
                spec.show_on_storefront,
                stamp.to_string()
            ])?;
            write_options(tx, product_id, &spec.option_names)?;
            record_change(tx, "product", product_id, "create", stamp, staff, after)?;
        }
        Some(current) => {
            let before = product_fields_of(current);
            let changed: Map<String, Value> = after
                .into_iter()
                .filter(|(k, v)| before.get(k) != Some(v))
                .collect();
            if !changed.is_empty() {
                tx.prepare_cached("UPDATE products SET name = ?2, description = ?3, category_id = ?4, tax_class = ?5,
                         hsn_code = ?6, status = ?7, show_on_storefront = ?8, updated_hlc = ?9
                     WHERE id = ?1")?.execute(params![
                        product_id.to_string(),
                        spec.name,
                        spec.description,
                        spec.category_id.map(|c| c.to_string()),
                        spec.tax_class,
                        spec.hsn_code,
                        spec.status.as_str(),
                        spec.show_on_storefront,
                        stamp.to_string()
                    ],
                )?;
                if changed.contains_key("option_names") {
                    write_options(tx, product_id, &spec.option_names)?;
                }
                record_change(tx, "product", product_id, "update", stamp, staff, changed)?;
            }
        }
    }

    let existing: Vec<Variant> = current.map(|p| p.variants).unwrap_or_default();
    let kept: HashSet<Uuid> = spec.variants.iter().filter_map(|v| v.id).collect();
    // Archive first, so codes and SKUs they free can be taken by the rest.
    for gone in existing.iter().filter(|v| !kept.contains(&v.id)) {
        ctx.archive_variant(gone)?;
    }
    let updates: Vec<(usize, &Variant, &VariantSpec)> = spec
        .variants
        .iter()
        .enumerate()
        .filter_map(|(position, v)| {
            let old = existing.iter().find(|e| Some(e.id) == v.id)?;
            Some((position, old, v))
        })
        .collect();
    // Clear changing SKUs before setting any, so two variants can swap theirs.
    for (_, old, variant) in &updates {
        if old.sku != variant.sku {
            tx.prepare_cached("UPDATE variants SET sku = NULL WHERE id = ?1")?
                .execute([old.id.to_string()])?;
        }
    }
    for (_, old, variant) in &updates {
        ctx.remove_dropped_barcodes(old, variant)?;
    }
    for (position, old, variant) in &updates {
        ctx.update_variant(old, variant, *position)?;
    }
    for (position, variant) in spec.variants.iter().enumerate() {
        if variant.id.is_none() {
            ctx.insert_variant(variant, position, device)?;
        }
    }
    // New variants' first prices are not changes; only existing ones are audited.
    for change in &money {
        let Some(variant_id) = change.variant_id else {
            continue;
        };
        let action = if change.field == "price" {
            AuditAction::PriceChanged
        } else {
            AuditAction::CostChanged
        };
        let old = change.old.map(|m| m.to_string());
        let new = change.new.map(|m| m.to_string());
        let event = AuditEvent::new(action, "variant", variant_id).change(
            change.field,
            old.as_deref(),
            new.as_deref(),
        );
        record_audit(tx, clock, device, Some(actor), &event, now_ms)?;
    }
    read(tx, product_id)?
        .ok_or(CatalogError::NotFound(product_id))
        .map_err(Error::from)
}

/// A price or cost that a save sets (`variant_id` None: a new variant) or changes.
struct MoneyChange {
    variant_id: Option<Uuid>,
    field: &'static str,
    old: Option<Money>,
    new: Option<Money>,
}

fn money_changes(current: Option<&Product>, spec: &ProductSpec) -> Vec<MoneyChange> {
    let mut changes = Vec::new();
    for variant in &spec.variants {
        let old = variant
            .id
            .and_then(|id| current?.variants.iter().find(|v| v.id == id));
        let (old_price, old_cost) = match old {
            Some(v) => (Some(v.price), v.cost),
            None => (None, None),
        };
        if old_price != Some(variant.price) {
            changes.push(MoneyChange {
                variant_id: old.map(|v| v.id),
                field: "price",
                old: old_price,
                new: Some(variant.price),
            });
        }
        if old_cost != variant.cost && (old.is_some() || variant.cost.is_some()) {
            changes.push(MoneyChange {
                variant_id: old.map(|v| v.id),
                field: "cost",
                old: old_cost,
                new: variant.cost,
            });
        }
    }
    changes
}

/// The simple form has no paths: an error at `variants.0.sku` belongs beside SKU.
fn at_simple_field(error: Error) -> Error {
    match error {
        Error::Catalog(CatalogError::Invalid(e)) => Error::Catalog(e.error),
        other => other,
    }
}

/// The spec that would leave `product` exactly as it is.
fn spec_of(product: &Product) -> ProductSpec {
    ProductSpec {
        name: product.name.clone(),
        description: product.description.clone(),
        category_id: product.category_id,
        tax_class: product.tax_class.clone(),
        hsn_code: product.hsn_code.clone(),
        status: product.status,
        show_on_storefront: product.show_on_storefront,
        option_names: product.option_names.clone(),
        variants: product.variants.iter().map(variant_spec_of).collect(),
    }
}

/// The spec that would leave `variant` exactly as it is.
fn variant_spec_of(v: &Variant) -> VariantSpec {
    VariantSpec {
        id: Some(v.id),
        option_values: v.option_values.clone(),
        sku: v.sku.clone(),
        price: v.price,
        cost: v.cost,
        barcodes: v
            .barcodes
            .iter()
            .filter_map(|b| crate::barcode::Barcode::parse(b).ok())
            .collect(),
    }
}

/// What only the store can check: the category exists, the variants are this
/// product's, and no other item holds the SKUs and barcodes.
fn check_against_store(
    tx: &Transaction<'_>,
    current: Option<&Product>,
    spec: &ProductSpec,
) -> Result<(), Error> {
    if let Some(category) = spec.category_id {
        let exists: bool = tx
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM categories WHERE id = ?1 AND status = 'active')",
            )?
            .query_row([category.to_string()], |r| r.get(0))?;
        if !exists {
            return Err(CatalogError::CategoryNotFound(category)
                .at("category_id")
                .into());
        }
    }
    let own: HashSet<Uuid> = current
        .map(|p| p.variants.iter().map(|v| v.id).collect())
        .unwrap_or_default();
    for (i, variant) in spec.variants.iter().enumerate() {
        if let Some(id) = variant.id {
            if !own.contains(&id) {
                return Err(CatalogError::VariantNotFound(id)
                    .at(format!("variants.{i}"))
                    .into());
            }
        }
        if let Some(sku) = &variant.sku {
            let holder: Option<String> = tx
                .prepare_cached("SELECT id FROM variants WHERE sku = ?1")?
                .query_row([sku], |r| r.get(0))
                .optional()?;
            if let Some(holder) = holder {
                if !own.contains(&parse_uuid(&holder, "variant id")?) {
                    return Err(CatalogError::SkuTaken(sku.clone())
                        .at(format!("variants.{i}.sku"))
                        .into());
                }
            }
        }
        for (j, barcode) in variant.barcodes.iter().enumerate() {
            if let Some(holder) = barcodes::owner(tx, barcode.as_str())? {
                if !own.contains(&parse_uuid(&holder, "variant id")?) {
                    return Err(CatalogError::BarcodeTaken(barcode.to_string())
                        .at(format!("variants.{i}.barcodes.{j}"))
                        .into());
                }
            }
        }
    }
    Ok(())
}

/// One save's writes: all under one transaction and one clock stamp.
struct Write<'a, 'c> {
    tx: &'a Transaction<'c>,
    stamp: crate::hlc::HlcStamp,
    /// Who saves: every entry of the save is theirs.
    staff: Option<Uuid>,
    product_id: Uuid,
}

impl Write<'_, '_> {
    fn stamped(&self) -> (crate::hlc::HlcStamp, Option<Uuid>) {
        (self.stamp, self.staff)
    }

    fn insert_variant(
        &self,
        spec: &VariantSpec,
        position: usize,
        device: Uuid,
    ) -> Result<(), StoreError> {
        let id = crate::id::new_id();
        let fields = variant_fields(spec, position);
        self.tx.prepare_cached("INSERT INTO variants (id, product_id, position, options, sku, price_minor, cost_minor,
                 currency, created_hlc, updated_hlc)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)")?.execute(params![
                id.to_string(),
                self.product_id.to_string(),
                position as i64,
                json!(spec.option_values).to_string(),
                spec.sku,
                spec.price.minor(),
                spec.cost.map(|c| c.minor()),
                spec.price.currency().code(),
                self.stamp.to_string()
            ],
        )?;
        let mut payload = fields;
        payload.insert("product_id".into(), json!(self.product_id.to_string()));
        record_change(
            self.tx, "variant", id, "create", self.stamp, self.staff, payload,
        )?;
        if spec.barcodes.is_empty() {
            let internal = barcodes::next_internal(self.tx, device)?;
            barcodes::attach(self.tx, &internal, id, true, self.stamped())?;
        }
        for barcode in &spec.barcodes {
            barcodes::attach(self.tx, barcode, id, false, self.stamped())?;
        }
        Ok(())
    }

    fn update_variant(
        &self,
        old: &Variant,
        spec: &VariantSpec,
        position: usize,
    ) -> Result<(), StoreError> {
        let position_before = usize::try_from(self.position_of(old.id)?).unwrap_or(usize::MAX);
        let before = variant_fields(&variant_spec_of(old), position_before);
        let changed: Map<String, Value> = variant_fields(spec, position)
            .into_iter()
            .filter(|(k, v)| before.get(k) != Some(v))
            .collect();
        if !changed.is_empty() {
            self.tx
                .prepare_cached(
                    "UPDATE variants SET position = ?2, options = ?3, sku = ?4, price_minor = ?5,
                     cost_minor = ?6, currency = ?7, updated_hlc = ?8
                 WHERE id = ?1",
                )?
                .execute(params![
                    old.id.to_string(),
                    position as i64,
                    json!(spec.option_values).to_string(),
                    spec.sku,
                    spec.price.minor(),
                    spec.cost.map(|c| c.minor()),
                    spec.price.currency().code(),
                    self.stamp.to_string()
                ])?;
            record_change(
                self.tx, "variant", old.id, "update", self.stamp, self.staff, changed,
            )?;
        }
        for barcode in spec
            .barcodes
            .iter()
            .filter(|b| !old.barcodes.iter().any(|c| c == b.as_str()))
        {
            barcodes::attach(self.tx, barcode, old.id, false, self.stamped())?;
        }
        Ok(())
    }

    /// Takes off the barcodes a variant no longer has. Done for every variant before
    /// any variant's new codes are attached, so two variants can swap barcodes.
    fn remove_dropped_barcodes(&self, old: &Variant, spec: &VariantSpec) -> Result<(), StoreError> {
        let wanted: HashSet<&str> = spec.barcodes.iter().map(|b| b.as_str()).collect();
        for code in old.barcodes.iter().filter(|c| !wanted.contains(c.as_str())) {
            barcodes::remove(self.tx, code, self.stamped())?;
        }
        Ok(())
    }

    fn archive_variant(&self, old: &Variant) -> Result<(), StoreError> {
        for code in &old.barcodes {
            barcodes::remove(self.tx, code, self.stamped())?;
        }
        self.tx
            .prepare_cached(
                "UPDATE variants SET status = 'archived', updated_hlc = ?2 WHERE id = ?1",
            )?
            .execute(params![old.id.to_string(), self.stamp.to_string()])?;
        let mut fields = Map::new();
        fields.insert("status".into(), json!("archived"));
        record_change(
            self.tx, "variant", old.id, "update", self.stamp, self.staff, fields,
        )
    }

    fn position_of(&self, id: Uuid) -> Result<i64, StoreError> {
        Ok(self
            .tx
            .prepare_cached("SELECT position FROM variants WHERE id = ?1")?
            .query_row([id.to_string()], |r| r.get(0))?)
    }
}

fn product_fields(spec: &ProductSpec) -> Map<String, Value> {
    let mut fields = Map::new();
    fields.insert("name".into(), json!(spec.name));
    fields.insert("description".into(), json!(spec.description));
    fields.insert(
        "category_id".into(),
        json!(spec.category_id.map(|c| c.to_string())),
    );
    fields.insert("tax_class".into(), json!(spec.tax_class));
    fields.insert("hsn_code".into(), json!(spec.hsn_code));
    fields.insert("status".into(), json!(spec.status.as_str()));
    fields.insert("show_on_storefront".into(), json!(spec.show_on_storefront));
    fields.insert("option_names".into(), json!(spec.option_names));
    fields
}

fn product_fields_of(p: &Product) -> Map<String, Value> {
    product_fields(&spec_of(p))
}

fn variant_fields(spec: &VariantSpec, position: usize) -> Map<String, Value> {
    let mut fields = Map::new();
    fields.insert("position".into(), json!(position));
    fields.insert("option_values".into(), json!(spec.option_values));
    fields.insert("sku".into(), json!(spec.sku));
    fields.insert("price_minor".into(), json!(spec.price.minor()));
    fields.insert("cost_minor".into(), json!(spec.cost.map(|c| c.minor())));
    fields.insert("currency".into(), json!(spec.price.currency().code()));
    fields
}

fn write_options(tx: &Transaction<'_>, product: Uuid, names: &[String]) -> Result<(), StoreError> {
    tx.prepare_cached("DELETE FROM product_options WHERE product_id = ?1")?
        .execute([product.to_string()])?;
    for (position, name) in names.iter().enumerate() {
        tx.prepare_cached(
            "INSERT INTO product_options (product_id, position, name) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![product.to_string(), position as i64, name])?;
    }
    Ok(())
}

pub(super) fn parse_uuid(text: &str, what: &str) -> Result<Uuid, StoreError> {
    Uuid::parse_str(text).map_err(|_| StoreError::Corrupt(format!("{what} {text:?}")))
}

/// Reads a product with its options, active variants and their active barcodes. Reads
/// defensively: the file may have been written by another tool.
fn read(conn: &rusqlite::Connection, id: Uuid) -> Result<Option<Product>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT name, description, category_id, tax_class, hsn_code, status, show_on_storefront
         FROM products WHERE id = ?1",
    )?;
    let Some(row) = stmt
        .query_row([id.to_string()], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, bool>(6)?,
            ))
        })
        .optional()?
    else {
        return Ok(None);
    };
    let (name, description, category_id, tax_class, hsn_code, status, show_on_storefront) = row;
    let status = ProductStatus::parse(&status)
        .ok_or_else(|| StoreError::Corrupt(format!("product status {status:?}")))?;

    let mut options_stmt = conn.prepare_cached(
        "SELECT name FROM product_options WHERE product_id = ?1 ORDER BY position",
    )?;
    let option_names = options_stmt
        .query_map([id.to_string()], |r| r.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;

    let mut variants_stmt = conn.prepare_cached(
        "SELECT id, options, sku, price_minor, cost_minor, currency FROM variants
         WHERE product_id = ?1 AND status = 'active' ORDER BY position, id",
    )?;
    let rows = variants_stmt.query_map([id.to_string()], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?,
            r.get::<_, i64>(3)?,
            r.get::<_, Option<i64>>(4)?,
            r.get::<_, String>(5)?,
        ))
    })?;
    let mut barcodes_stmt = conn.prepare_cached(
        "SELECT code FROM barcodes WHERE variant_id = ?1 AND status = 'active' ORDER BY updated_hlc, code",
    )?;
    let mut variants = Vec::new();
    for row in rows {
        let (variant_id, options, sku, price_minor, cost_minor, currency) = row?;
        let currency = Currency::from_code(&currency)
            .map_err(|_| StoreError::Corrupt(format!("currency {currency:?}")))?;
        let option_values = option_values(&options, &option_names)
            .ok_or_else(|| StoreError::Corrupt(format!("options of variant {variant_id}")))?;
        let barcodes = barcodes_stmt
            .query_map([&variant_id], |r| r.get::<_, String>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        variants.push(Variant {
            id: parse_uuid(&variant_id, "variant id")?,
            option_values,
            sku,
            price: Money::from_minor(price_minor, currency),
            cost: cost_minor.map(|c| Money::from_minor(c, currency)),
            barcodes,
        });
    }
    Ok(Some(Product {
        id,
        name,
        description,
        category_id: category_id
            .map(|c| parse_uuid(&c, "category id"))
            .transpose()?,
        tax_class,
        hsn_code,
        status,
        show_on_storefront,
        option_names,
        variants,
    }))
}

/// Variant options are stored as a JSON array of values in option order, one per name.
fn option_values(json: &str, names: &[String]) -> Option<Vec<String>> {
    let Value::Array(values) = serde_json::from_str::<Value>(json).ok()? else {
        return None;
    };
    if values.len() != names.len() {
        return None;
    }
    values
        .into_iter()
        .map(|v| v.as_str().map(str::to_owned))
        .collect()
}
