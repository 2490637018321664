//! CSV import and export of the catalog (the format: docs/csv-format.md; reading and
//! building products: `crate::csv`). An import is planned in full, every row checked
//! against the file's rules, the catalog's and the store's, before anything is
//! written; then it is written in one transaction through `save_product_in`, so the
//! permission checks, field clocks, outbox entries and price audit are the product
//! editor's. A product the file leaves as it is gets no write at all, which is what
//! makes importing an export change nothing.

use std::collections::{HashMap, HashSet};

use rusqlite::{OptionalExtension, Transaction, TransactionBehavior};
use serde_json::json;
use uuid::Uuid;

use super::products::{parse_uuid, save_product_in};
use super::staff::authorize;
use super::{barcodes, settings, Error, Store, StoreError};
use crate::catalog::{Category, Product, ProductSpec};
use crate::csv::{
    build_product, compare, export_catalog, parse_file, BuiltProduct, CategoryPaths, ChangeKind,
    Column, ImportReport, ProductChange, ProductRows, RowProblem,
};
use crate::quantity::Quantity;
use crate::staff::{Actor, Permission};

const OPENING_STOCK_NOTE: &str = "Opening stock";

/// What an import would write.
struct Plan {
    report: ImportReport,
    saves: Vec<Save>,
    /// This device's shop, where opening stock goes.
    shop: Option<Uuid>,
}

/// One product to create (`id` None) or update.
struct Save {
    id: Option<Uuid>,
    spec: ProductSpec,
    /// Opening stock of new variants: their index in `spec` and the quantity.
    receipts: Vec<(usize, Quantity)>,
}

enum Attempt {
    Done(ImportReport),
    /// Opening stock is to be received but this device has no shop yet.
    NeedsShop,
}

impl Store {
    /// A dry run: what importing `bytes` would do, with every problem by row and
    /// column. Writes nothing. Needs `ManageCatalog`, and `ChangePrice`, `ChangeCost`
    /// or `ReceiveStock` when the file sets prices, costs or opening stock.
    pub fn plan_import(&self, actor: &Actor, bytes: &[u8]) -> Result<ImportReport, Error> {
        // One read transaction, so every check sees the same moment of the store; it
        // is rolled back on drop, having written nothing.
        let tx = self.conn.unchecked_transaction()?;
        Ok(self.plan_in(&tx, actor, bytes)?.report)
    }

    /// Plans again and, only when the plan has no problems, writes all of it in one
    /// transaction: products and variants through `save_product_in`, and an "Opening
    /// stock" receive in this device's shop for each new variant that has some. Any
    /// failure rolls the whole import back. The report says whether it was `applied`.
    pub fn apply_import(
        &mut self,
        actor: &Actor,
        bytes: &[u8],
        now_ms: u64,
    ) -> Result<ImportReport, Error> {
        if let Attempt::Done(report) = self.try_apply(actor, bytes, now_ms)? {
            return Ok(report);
        }
        // A device with no shop yet makes its "Main shop" the way the counter does,
        // in its own transaction, and only once the file is known to be clean.
        self.current_shop_as(Some(actor.staff_id()), now_ms)?;
        match self.try_apply(actor, bytes, now_ms)? {
            Attempt::Done(report) => Ok(report),
            Attempt::NeedsShop => {
                Err(StoreError::Corrupt("this device's shop could not be set up".to_owned()).into())
            }
        }
    }

    /// The catalog as CSV: every product (archived ones too) with its active variants,
    /// oldest product first. Needs `ViewCatalog`; the cost column is there only for
    /// someone who may `ViewCost`. opening_stock shows what this device's shop has on
    /// hand now, for reference: importing it again never changes stock.
    pub fn export_csv(&self, actor: &Actor) -> Result<String, Error> {
        let tx = self.conn.unchecked_transaction()?;
        authorize(&tx, actor, Permission::ViewCatalog)?;
        let with_cost = match authorize(&tx, actor, Permission::ViewCost) {
            Ok(_) => true,
            Err(Error::Permission(_)) => false,
            Err(e) => return Err(e),
        };
        let mut products = self.list_products(true)?;
        products.sort_by_key(|p| p.id);
        let categories = category_paths(&tx)?;
        let on_hand = match settings::shop_id(&tx)? {
            Some(shop) => on_hand_in(&tx, shop, &products)?,
            None => HashMap::new(),
        };
        Ok(export_catalog(&products, &categories, &on_hand, with_cost))
    }

    fn try_apply(&mut self, actor: &Actor, bytes: &[u8], now_ms: u64) -> Result<Attempt, Error> {
        // IMMEDIATE takes the write lock before the plan reads, so nothing can change
        // between the checks and the writes.
        let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
        let mut plan = self.plan_in(&tx, actor, bytes)?;
        if !plan.report.is_clean() {
            return Ok(Attempt::Done(plan.report));
        }
        let receives = plan.saves.iter().any(|s| !s.receipts.is_empty());
        if receives && plan.shop.is_none() {
            return Ok(Attempt::NeedsShop);
        }
        pause_search_index(&tx)?;
        let (mut created, mut updated) = (Vec::new(), Vec::new());
        for save in &plan.saves {
            let product = save_product_in(
                &tx,
                &mut self.clock,
                self.device,
                actor,
                save.id,
                &save.spec,
                now_ms,
            )?;
            for &(index, quantity) in &save.receipts {
                let variant = new_variant_at(&product, &save.spec, index)?;
                let shop = plan.shop.ok_or_else(|| {
                    StoreError::Corrupt("opening stock without a shop to put it in".to_owned())
                })?;
                super::stock::receive_in(
                    &tx,
                    &mut self.clock,
                    self.device,
                    actor,
                    (variant, shop, quantity),
                    Some(OPENING_STOCK_NOTE),
                    now_ms,
                )?;
            }
            match save.id {
                Some(_) => updated.push(product.id),
                None => created.push(product.id),
            }
        }
        index_products(&tx, &created, &updated)?;
        tx.commit()?;
        plan.report.applied = true;
        Ok(Attempt::Done(plan.report))
    }

    fn plan_in(&self, tx: &Transaction<'_>, actor: &Actor, bytes: &[u8]) -> Result<Plan, Error> {
        authorize(tx, actor, Permission::ManageCatalog)?;
        let currency = self.shop.currency;
        let parsed = parse_file(bytes, currency);
        let categories = category_paths(tx)?;
        let shop = settings::shop_id(tx)?;
        let mut report = ImportReport {
            rows: parsed.rows,
            ..ImportReport::default()
        };
        let mut problems = parsed.problems;
        let mut notices = Vec::new();
        let mut saves = Vec::new();
        let mut needs = Needs::default();
        for group in parsed.groups.iter().filter(|g| g.clean()) {
            let current = match group.product_id {
                Some(id) => match self.product(id)? {
                    Some(product) => Some(product),
                    None => {
                        problems.push(unknown_product(group));
                        continue;
                    }
                },
                None => None,
            };
            let built = match build_product(group, current.as_ref(), &categories, currency) {
                Ok(built) => built,
                Err(mut found) => {
                    problems.append(&mut found);
                    continue;
                }
            };
            let comparison = compare(current.as_ref(), &built, &categories);
            if comparison.kind != ChangeKind::Unchanged {
                check_against_store(tx, current.as_ref(), &built, &categories, &mut problems)?;
            }
            let receipts = self.opening_stock(&built, shop, &mut notices)?;
            needs.add(&built, &comparison.fields, &receipts);
            report.stock_receipts += receipts.len();
            report.count(comparison.kind, comparison.variants);
            if comparison.kind == ChangeKind::Unchanged {
                continue;
            }
            report.changes.push(ProductChange {
                row: built.first_row,
                product_id: current.as_ref().map(|p| p.id),
                name: built.spec.name.clone(),
                kind: comparison.kind,
                fields: comparison.fields,
                variants_created: comparison.variants.created,
            });
            saves.push(Save {
                id: current.map(|p| p.id),
                spec: built.spec,
                receipts,
            });
        }
        // Asked before any write, and in a dry run too, so the person learns it now;
        // `save_product_in` asks again for each product.
        needs.authorize(tx, actor)?;
        report.add_problems(problems);
        report.add_notices(notices);
        Ok(Plan {
            report,
            saves,
            shop,
        })
    }

    /// Opening stock for the new variants; for existing ones a differing figure is a
    /// notice, never a change, so importing an old export cannot roll stock back.
    fn opening_stock(
        &self,
        built: &BuiltProduct,
        shop: Option<Uuid>,
        notices: &mut Vec<RowProblem>,
    ) -> Result<Vec<(usize, Quantity)>, Error> {
        let mut receipts = Vec::new();
        for (i, variant) in built.spec.variants.iter().enumerate() {
            let Some(quantity) = built.opening_stock.get(i).copied().flatten() else {
                continue;
            };
            match variant.id {
                None if quantity.milli() > 0 => receipts.push((i, quantity)),
                None => {}
                Some(id) => {
                    let on_hand = match shop {
                        Some(shop) => self.on_hand(id, shop)?,
                        None => Quantity::default(),
                    };
                    if on_hand != quantity {
                        let row = built.variant_rows.get(i).copied().flatten();
                        notices.push(RowProblem::at(
                            row.unwrap_or(built.first_row),
                            Some(Column::OpeningStock.name()),
                            format!(
                                "{quantity} is ignored: this variant exists already and has {on_hand} on hand. Opening stock counts only for variants an import creates; change stock with a receive, an adjustment or a stocktake."
                            ),
                        ));
                    }
                }
            }
        }
        Ok(receipts)
    }
}

/// The permissions the planned writes call for, beyond `ManageCatalog`.
#[derive(Default)]
struct Needs {
    price: bool,
    cost: bool,
    receive: bool,
}

impl Needs {
    /// As `save_product_in` decides: a new variant sets a price (and a cost if it has
    /// one); an existing one needs the permission only when its figure changes.
    fn add(
        &mut self,
        built: &BuiltProduct,
        fields: &[crate::csv::FieldChange],
        receipts: &[(usize, Quantity)],
    ) {
        let new = built.spec.variants.iter().filter(|v| v.id.is_none());
        for variant in new {
            self.price = true;
            self.cost |= variant.cost.is_some();
        }
        self.price |= fields.iter().any(|f| f.column == Column::Price.name());
        self.cost |= fields.iter().any(|f| f.column == Column::Cost.name());
        self.receive |= !receipts.is_empty();
    }

    fn authorize(&self, tx: &Transaction<'_>, actor: &Actor) -> Result<(), Error> {
        if self.price {
            authorize(tx, actor, Permission::ChangePrice)?;
        }
        if self.cost {
            authorize(tx, actor, Permission::ChangeCost)?;
        }
        if self.receive {
            authorize(tx, actor, Permission::ReceiveStock)?;
        }
        Ok(())
    }
}

fn unknown_product(group: &ProductRows) -> RowProblem {
    RowProblem::at(
        group.first_row(),
        Some(Column::ProductId.name()),
        "No product in this store has this id. It may come from another shop's export, or not have reached this device yet. Leave product_id and variant_id blank to add it as a new product.",
    )
}

/// What only the store can say about a product that will be written: no other item
/// holds its new SKUs and barcodes, and its category is active. These are the checks
/// `save_product_in` makes, asked here first so they come back by row and column
/// instead of stopping the write. Only values new to a variant are looked up, each
/// by an index.
fn check_against_store(
    tx: &Transaction<'_>,
    current: Option<&Product>,
    built: &BuiltProduct,
    categories: &CategoryPaths,
    problems: &mut Vec<RowProblem>,
) -> Result<(), Error> {
    if let Some(category) = built.spec.category_id {
        if !categories.is_active(category) {
            let path = categories.path(category).unwrap_or_default();
            problems.push(RowProblem::at(
                built.first_row,
                Some(Column::Category.name()),
                format!("This product's category \"{path}\" has been archived, so the product cannot be saved in it. Choose an active category."),
            ));
        }
    }
    let own: HashSet<Uuid> = current
        .map(|p| p.variants.iter().map(|v| v.id).collect())
        .unwrap_or_default();
    for (i, variant) in built.spec.variants.iter().enumerate() {
        let row = built
            .variant_rows
            .get(i)
            .copied()
            .flatten()
            .unwrap_or(built.first_row);
        let old = current.and_then(|p| p.variants.iter().find(|v| Some(v.id) == variant.id));
        if let Some(sku) = &variant.sku {
            if old.and_then(|v| v.sku.as_ref()) != Some(sku) {
                if let Some((holder, product)) = sku_holder(tx, sku)? {
                    if !own.contains(&holder) {
                        problems.push(RowProblem::at(
                            row,
                            Some(Column::Sku.name()),
                            format!("SKU {sku} is already used by \"{product}\". Each SKU can be on one variant only."),
                        ));
                    }
                }
            }
        }
        for code in &variant.barcodes {
            if old.is_some_and(|v| v.barcodes.iter().any(|c| c == code.as_str())) {
                continue;
            }
            let Some(holder) = barcodes::owner(tx, code.as_str())? else {
                continue;
            };
            let holder = parse_uuid(&holder, "variant id")?;
            if !own.contains(&holder) {
                let product = product_name_of_variant(tx, holder)?;
                problems.push(RowProblem::at(
                    row,
                    Some(Column::Barcodes.name()),
                    format!(
                        "Barcode {} is already on \"{product}\". A barcode belongs to one variant.",
                        code.as_str()
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// The variant holding `sku` (any case, archived variants too, as the store's unique
/// index counts them) and its product's name.
fn sku_holder(tx: &Transaction<'_>, sku: &str) -> Result<Option<(Uuid, String)>, Error> {
    let found: Option<(String, String)> = tx
        .prepare_cached(
            "SELECT v.id, p.name FROM variants v JOIN products p ON p.id = v.product_id
             WHERE v.sku = ?1",
        )?
        .query_row([sku], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(match found {
        Some((id, name)) => Some((parse_uuid(&id, "variant id")?, name)),
        None => None,
    })
}

fn product_name_of_variant(tx: &Transaction<'_>, variant: Uuid) -> Result<String, Error> {
    let name: Option<String> = tx
        .prepare_cached(
            "SELECT p.name FROM variants v JOIN products p ON p.id = v.product_id WHERE v.id = ?1",
        )?
        .query_row([variant.to_string()], |r| r.get(0))
        .optional()?;
    Ok(name.unwrap_or_else(|| "another item".to_owned()))
}

/// Every category, archived ones included (see `CategoryPaths`).
fn category_paths(tx: &Transaction<'_>) -> Result<CategoryPaths, Error> {
    let mut stmt = tx.prepare_cached("SELECT id, parent_id, name, status FROM categories")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, Option<String>>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    let mut categories = Vec::new();
    for row in rows {
        let (id, parent, name, status) = row?;
        let category = Category {
            id: parse_uuid(&id, "category id")?,
            parent_id: parent.map(|p| parse_uuid(&p, "category id")).transpose()?,
            name,
        };
        categories.push((category, status == "active"));
    }
    Ok(CategoryPaths::new(categories))
}

/// On hand in `shop` for every variant of `products`, in one read of the cache; a
/// variant that never moved has zero.
fn on_hand_in(
    tx: &Transaction<'_>,
    shop: Uuid,
    products: &[Product],
) -> Result<HashMap<Uuid, Quantity>, Error> {
    let mut levels: HashMap<String, i64> = HashMap::new();
    let mut stmt =
        tx.prepare_cached("SELECT variant_id, on_hand_milli FROM stock_levels WHERE shop_id = ?1")?;
    for row in stmt.query_map([shop.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))? {
        let (variant, milli) = row?;
        levels.insert(variant, milli);
    }
    Ok(products
        .iter()
        .flat_map(|p| &p.variants)
        .map(|v| {
            let milli = levels.get(&v.id.to_string()).copied().unwrap_or(0);
            (v.id, Quantity::from_milli(milli))
        })
        .collect())
}

/// Pauses the search index's insert triggers for this transaction, as the generated-
/// catalog loader does (see `search_index_paused` in migration 0005): indexed one
/// trigger at a time, every insert flushed a tiny FTS segment, and on 10,000 rows that
/// merging was most of the import. `index_products` indexes what was written, in a
/// few statements, before the transaction commits; a failed import rolls the pause
/// back with everything else.
pub(super) fn pause_search_index(tx: &Transaction<'_>) -> Result<(), Error> {
    tx.execute("INSERT INTO search_index_paused (paused) VALUES (1)", [])?;
    Ok(())
}

/// What the paused triggers would have done: a search row for each new product, and
/// every written product's document rewritten (an updated product may have gained
/// variants and barcodes while the triggers slept).
pub(super) fn index_products(
    tx: &Transaction<'_>,
    created: &[Uuid],
    updated: &[Uuid],
) -> Result<(), Error> {
    tx.execute("DELETE FROM search_index_paused", [])?;
    let ids = |ids: &[Uuid]| json!(ids.iter().map(Uuid::to_string).collect::<Vec<_>>()).to_string();
    let (created, updated) = (ids(created), ids(updated));
    tx.execute(
        "INSERT INTO search_rowids (product_id) SELECT value FROM json_each(?1) ORDER BY value",
        [&created],
    )?;
    tx.execute(
        "DELETE FROM product_search WHERE rowid IN
             (SELECT doc FROM search_rowids WHERE product_id IN (SELECT value FROM json_each(?1)))",
        [&updated],
    )?;
    tx.execute(
        "INSERT INTO product_search
             (rowid, name, description, category, sku, options, barcode, status, category_ids)
         SELECT doc, name, description, category, sku, options, barcode, status, category_ids
         FROM product_search_documents
         WHERE product_id IN (SELECT value FROM json_each(?1) UNION ALL SELECT value FROM json_each(?2))",
        [&created, &updated],
    )?;
    Ok(())
}

/// The id the store gave the new variant at `index` of `spec`: a saved product's
/// variants come back in the spec's order.
fn new_variant_at(product: &Product, spec: &ProductSpec, index: usize) -> Result<Uuid, Error> {
    let existing: HashSet<Uuid> = spec.variants.iter().filter_map(|v| v.id).collect();
    match (product.variants.get(index), spec.variants.get(index)) {
        (Some(saved), Some(wanted))
            if product.variants.len() == spec.variants.len()
                && wanted.id.is_none()
                && !existing.contains(&saved.id) =>
        {
            Ok(saved.id)
        }
        _ => Err(StoreError::Corrupt(format!(
            "the variants of product {} did not come back in the order they were saved",
            product.id
        ))
        .into()),
    }
}
