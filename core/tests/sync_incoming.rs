//! Applying the server's change feed to a store (docs/sync-protocol.md, "Pull"), on
//! real SQLite files. A small in-test server turns one store's outbox into feed
//! pages the way the real one does: records merged per field by stamp, documents
//! kept as first pushed, each at the cursor of its latest change.
#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, HashMap};
use std::io::Cursor;
use std::path::PathBuf;

use galla_core::barcode::Barcode;
use galla_core::catalog::{Product, ProductForm, ProductSpec, VariantForm, VariantSpec};
use galla_core::id::Uuid;
use galla_core::pos::payment::{Method, Tender};
use galla_core::pos::Cart;
use galla_core::store::Refund;
use galla_core::{Actor, Currency, Money, ProductQuery, Quantity, Role, Store};
use galla_sync_protocol::{Change, EntityKind, PullPage};
use rusqlite::Connection;
use serde_json::{json, Map, Value};

/// 2026-11-21 10:00 IST.
const NOW: u64 = 1_795_242_600_000;
const OWNER_PIN: &str = "2580";

struct Counter {
    dir: tempfile::TempDir,
    store: Store,
    owner: Actor,
}

impl Counter {
    fn new(owner: &str) -> Counter {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open_in(dir.path()).unwrap();
        let owner = store.create_first_owner(owner, OWNER_PIN, NOW).unwrap();
        Counter { dir, store, owner }
    }

    /// A store nobody has set up, for pages made by hand.
    fn bare() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_in(dir.path()).unwrap();
        (dir, store)
    }

    fn path(&self) -> PathBuf {
        self.dir.path().join("galla.sqlite3")
    }
}

fn db(path: &std::path::Path) -> Connection {
    Connection::open(path).unwrap()
}

fn cursor(path: &std::path::Path) -> Option<String> {
    db(path)
        .query_row(
            "SELECT value FROM sync_state WHERE key = 'cursor'",
            [],
            |r| r.get(0),
        )
        .ok()
}

fn skipped(path: &std::path::Path) -> Vec<(String, String, String)> {
    let conn = db(path);
    let mut stmt = conn
        .prepare("SELECT entity, entity_key, reason FROM sync_skipped ORDER BY id")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// Every row of every table (the search index's own tables aside), for "nothing
/// changed" checks.
fn dump(path: &std::path::Path) -> BTreeMap<String, Vec<String>> {
    let conn = db(path);
    let tables: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table'
             AND name NOT LIKE 'product_search%' AND name NOT LIKE 'sqlite_%'",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut all = BTreeMap::new();
    for table in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM {table}")).unwrap();
        let width = stmt.column_count();
        let mut rows: Vec<String> = stmt
            .query_map([], |r| {
                let mut row = Vec::new();
                for i in 0..width {
                    row.push(format!("{:?}", r.get::<_, rusqlite::types::Value>(i)?));
                }
                Ok(row.join("|"))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        rows.sort();
        all.insert(table, rows);
    }
    all
}

fn count(path: &std::path::Path, sql: &str) -> i64 {
    db(path).query_row(sql, [], |r| r.get(0)).unwrap()
}

/// What a page did: (applied, unchanged, skipped).
type Counts = (u64, u64, u64);

fn pull_page(store: &mut Store, page: &PullPage, now_ms: u64) -> Counts {
    let r = store.apply_pull_page(page, now_ms).unwrap();
    (r.applied, r.unchanged, r.skipped)
}

/// A page of hand-made changes, numbered from `first`.
fn page(first: u64, changes: Vec<Change>) -> PullPage {
    let changes: Vec<Change> = changes
        .into_iter()
        .zip(first..)
        .map(|(c, cursor)| Change { cursor, ..c })
        .collect();
    let next = changes.last().map_or(first, |c| c.cursor);
    PullPage {
        changes,
        next,
        more: false,
    }
}

fn record(entity: &str, key: &str, fields: Value, stamp: &str) -> Change {
    let data = fields.as_object().unwrap().clone();
    let clocks = data.keys().map(|f| (f.clone(), stamp.to_owned())).collect();
    Change {
        cursor: 0,
        entity: entity.into(),
        key: key.into(),
        data: Value::Object(data),
        clocks: Some(clocks),
    }
}

fn document(entity: &str, key: &str, payload: Value) -> Change {
    Change {
        cursor: 0,
        entity: entity.into(),
        key: key.into(),
        data: payload,
        clocks: None,
    }
}

/// A stamp as another device would have made it.
fn stamp(ms: u64, device: u8) -> String {
    format!(
        "{ms:015}-{:010}-{}",
        0,
        Uuid::from_bytes([device; 16]).simple()
    )
}

fn id() -> String {
    galla_core::id::new_id().to_string()
}

/// What the server keeps of one record or document.
struct Row {
    cursor: u64,
    data: Map<String, Value>,
    clocks: Option<BTreeMap<String, String>>,
}

/// The server's feed, as far as a terminal can tell.
#[derive(Default)]
struct Server {
    last_cursor: u64,
    rows: BTreeMap<(String, String), Row>,
    pushed: HashMap<Uuid, i64>,
}

impl Server {
    fn push(&mut self, store: &Store) {
        let from = self.pushed.get(&store.device()).copied().unwrap_or(0);
        for entry in store.pending_changes().unwrap() {
            if entry.seq <= from {
                continue;
            }
            self.pushed.insert(store.device(), entry.seq);
            let entity = if entry.entity == "shift" && entry.op == "close" {
                "shift_closing".to_owned()
            } else {
                entry.entity.clone()
            };
            let Some(spec) = galla_sync_protocol::entity(&entity) else {
                continue;
            };
            let key = (entity, entry.key.clone());
            let hlc = entry.hlc.to_string();
            match spec.kind {
                EntityKind::Document => {
                    if !self.rows.contains_key(&key) {
                        self.last_cursor += 1;
                        let data = entry.payload.as_object().unwrap().clone();
                        self.rows.insert(
                            key,
                            Row {
                                cursor: self.last_cursor,
                                data,
                                clocks: None,
                            },
                        );
                    }
                }
                EntityKind::Record => {
                    let row = self.rows.entry(key).or_insert_with(|| Row {
                        cursor: 0,
                        data: Map::new(),
                        clocks: Some(BTreeMap::new()),
                    });
                    let clocks = row.clocks.as_mut().unwrap();
                    let mut changed = false;
                    for (field, value) in entry.payload["fields"].as_object().unwrap() {
                        if clocks.get(field).is_none_or(|old| *old < hlc) {
                            clocks.insert(field.clone(), hlc.clone());
                            row.data.insert(field.clone(), value.clone());
                            changed = true;
                        }
                    }
                    if changed {
                        self.last_cursor += 1;
                        row.cursor = self.last_cursor;
                    }
                }
            }
        }
    }

    fn changes(&self) -> Vec<Change> {
        let mut changes: Vec<Change> = self
            .rows
            .iter()
            .map(|((entity, key), row)| Change {
                cursor: row.cursor,
                entity: entity.clone(),
                key: key.clone(),
                data: Value::Object(row.data.clone()),
                clocks: row.clocks.clone(),
            })
            .collect();
        changes.sort_by_key(|c| c.cursor);
        changes
    }

    fn page(&self, after: u64, limit: usize) -> PullPage {
        let rest: Vec<Change> = self
            .changes()
            .into_iter()
            .filter(|c| c.cursor > after)
            .collect();
        let more = rest.len() > limit;
        let changes: Vec<Change> = rest.into_iter().take(limit).collect();
        PullPage {
            next: changes.last().map_or(after, |c| c.cursor),
            changes,
            more,
        }
    }

    /// Pulls everything new into `counter`, a few changes per page.
    fn pull(&self, store: &mut Store, path: &std::path::Path, now_ms: u64) -> Counts {
        let mut total = (0, 0, 0);
        loop {
            let after = cursor(path).map_or(0, |c| c.parse().unwrap());
            let page = self.page(after, 4);
            let (a, u, s) = pull_page(store, &page, now_ms);
            total = (total.0 + a, total.1 + u, total.2 + s);
            if !page.more {
                return total;
            }
        }
    }

    fn pull_into(&self, c: &mut Counter, now_ms: u64) -> Counts {
        let path = c.path();
        self.pull(&mut c.store, &path, now_ms)
    }

    fn sync(&mut self, c: &mut Counter, now_ms: u64) -> Counts {
        self.push(&c.store);
        self.pull_into(c, now_ms)
    }
}

fn variant_form(options: &[&str], sku: &str, price: &str, barcodes: &[&str]) -> VariantForm {
    VariantForm {
        option_values: options.iter().map(|o| (*o).to_owned()).collect(),
        sku: sku.into(),
        price: price.into(),
        barcodes: barcodes.iter().map(|b| (*b).to_owned()).collect(),
        ..VariantForm::default()
    }
}

fn save(c: &mut Counter, form: &ProductForm, now_ms: u64) -> Product {
    let spec = ProductSpec::parse(form, Currency::INR).unwrap();
    c.store.save_product(&c.owner, None, &spec, now_ms).unwrap()
}

/// The spec that leaves `product` as it is, to edit one thing of it.
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
        variants: product
            .variants
            .iter()
            .map(|v| VariantSpec {
                id: Some(v.id),
                option_values: v.option_values.clone(),
                sku: v.sku.clone(),
                price: v.price,
                cost: v.cost,
                barcodes: v
                    .barcodes
                    .iter()
                    .map(|b| Barcode::parse(b).unwrap())
                    .collect(),
            })
            .collect(),
    }
}

fn png(width: u32, height: u32, seed: u8) -> Vec<u8> {
    let picture =
        image::DynamicImage::ImageRgba8(image::RgbaImage::from_fn(width, height, |x, y| {
            image::Rgba([(x % 251) as u8, (y % 241) as u8, seed, 255])
        }));
    let mut out = Vec::new();
    picture
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

/// A product with two sizes, SKUs, a bought and an internal barcode, a category
/// below another, and a picture.
fn silk_kurta(a: &mut Counter) -> Product {
    let clothes = a
        .store
        .create_category(&a.owner, "Clothes", None, NOW)
        .unwrap();
    let kurtas = a
        .store
        .create_category(&a.owner, "Kurtas", Some(clothes.id), NOW)
        .unwrap();
    let form = ProductForm {
        name: "Silk Kurta".into(),
        description: "Hand woven in Varanasi".into(),
        category_id: Some(kurtas.id),
        tax_class: "GST 18%".into(),
        hsn_code: "6204".into(),
        option_names: vec!["Size".into()],
        variants: vec![
            VariantForm {
                cost: "700".into(),
                ..variant_form(&["M"], "SK-M", "1180", &["8901030865237"])
            },
            variant_form(&["L"], "SK-L", "1250", &[]),
        ],
        ..ProductForm::default()
    };
    let product = save(a, &form, NOW);
    a.store
        .add_product_image(&a.owner, product.id, &png(40, 30, 7), NOW)
        .unwrap();
    a.store.product(product.id).unwrap().unwrap()
}

fn search(store: &Store, text: &str) -> Vec<Uuid> {
    store
        .search_products(&ProductQuery::text(text))
        .unwrap()
        .iter()
        .map(|h| h.product_id)
        .collect()
}

#[test]
fn a_product_made_on_one_counter_arrives_complete_on_another() {
    let mut a = Counter::new("Asha");
    let mut b = Counter::new("Bala");
    let kurta = silk_kurta(&mut a);
    let mut server = Server::default();
    server.push(&a.store);
    let (applied, _, skipped) = server.pull_into(&mut b, NOW + 1);
    assert!(applied > 0);
    assert_eq!(skipped, 0, "{:?}", skipped_rows(&b));

    assert_eq!(b.store.product(kurta.id).unwrap().as_ref(), Some(&kurta));
    assert_eq!(
        b.store.product_images(kurta.id).unwrap(),
        a.store.product_images(kurta.id).unwrap()
    );
    assert_eq!(b.store.categories().unwrap(), a.store.categories().unwrap());
    for text in ["silk", "varanasi", "kurtas", "clothes", "SK-L"] {
        assert_eq!(search(&b.store, text), vec![kurta.id], "{text}");
    }
    let medium = &kurta.variants[0];
    let large = &kurta.variants[1];
    assert_eq!(
        b.store.scan("8901030865237").unwrap().item.variant_id,
        medium.id
    );
    // The internal code A made for the large size scans on B too.
    let internal = &large.barcodes[0];
    assert_eq!(b.store.scan(internal).unwrap().item.variant_id, large.id);
    // A and B hold the same stamps for every field they share.
    let clocks = |path: &std::path::Path| {
        let conn = db(path);
        let mut stmt = conn
            .prepare(
                "SELECT entity || ' ' || entity_id || ' ' || field || ' ' || hlc FROM field_clocks
                 WHERE entity IN ('product', 'variant', 'barcode', 'category', 'product_image')
                 ORDER BY 1",
            )
            .unwrap();
        stmt.query_map([], |r| r.get::<_, String>(0))
            .unwrap()
            .collect::<Result<Vec<_>, _>>()
            .unwrap()
    };
    assert_eq!(clocks(&b.path()), clocks(&a.path()));
}

fn skipped_rows(c: &Counter) -> Vec<(String, String, String)> {
    skipped(&c.path())
}

#[test]
fn different_fields_edited_on_two_counters_both_survive() {
    let mut a = Counter::new("Asha");
    let mut b = Counter::new("Bala");
    let kurta = silk_kurta(&mut a);
    let mut server = Server::default();
    server.sync(&mut a, NOW + 1);
    server.sync(&mut b, NOW + 1);
    server.sync(&mut a, NOW + 1);

    let mut price = spec_of(&kurta);
    price.variants[0].price = Money::from_minor(150_000, Currency::INR);
    a.store
        .save_product(&a.owner, Some(kurta.id), &price, NOW + 10)
        .unwrap();
    let mut name = spec_of(&b.store.product(kurta.id).unwrap().unwrap());
    name.name = "Banarasi Silk Kurta".into();
    b.store
        .save_product(&b.owner, Some(kurta.id), &name, NOW + 20)
        .unwrap();

    server.push(&a.store);
    server.push(&b.store);
    server.sync(&mut a, NOW + 30);
    server.sync(&mut b, NOW + 30);
    for store in [&a.store, &b.store] {
        let merged = store.product(kurta.id).unwrap().unwrap();
        assert_eq!(merged.name, "Banarasi Silk Kurta");
        assert_eq!(merged.variants[0].price.minor(), 150_000);
        assert_eq!(merged.variants[1].price.minor(), 125_000);
        assert_eq!(search(store, "banarasi"), vec![kurta.id]);
    }
}

#[test]
fn the_same_field_edited_on_both_ends_with_the_larger_stamp_on_both() {
    let mut a = Counter::new("Asha");
    let mut b = Counter::new("Bala");
    let kurta = silk_kurta(&mut a);
    let mut server = Server::default();
    server.sync(&mut a, NOW + 1);
    server.sync(&mut b, NOW + 1);

    let mut on_a = spec_of(&kurta);
    on_a.variants[0].price = Money::from_minor(150_000, Currency::INR);
    a.store
        .save_product(&a.owner, Some(kurta.id), &on_a, NOW + 20)
        .unwrap();
    let mut on_b = spec_of(&kurta);
    on_b.variants[0].price = Money::from_minor(160_000, Currency::INR);
    b.store
        .save_product(&b.owner, Some(kurta.id), &on_b, NOW + 10)
        .unwrap();
    // B pushes last, but A's edit is the later one.
    server.push(&a.store);
    server.push(&b.store);
    server.sync(&mut a, NOW + 30);
    server.sync(&mut b, NOW + 30);
    for store in [&a.store, &b.store] {
        let merged = store.product(kurta.id).unwrap().unwrap();
        assert_eq!(merged.variants[0].price.minor(), 150_000);
    }
}

#[test]
fn whatever_order_two_edits_arrive_in_the_larger_stamp_wins() {
    let product = id();
    let full = record(
        "product",
        &product,
        json!({"name": "Cotton Saree", "status": "active", "description": ""}),
        &stamp(NOW, 1),
    );
    // Same instant on two devices: the device id breaks the tie.
    let low = record(
        "product",
        &product,
        json!({"name": "Low"}),
        &stamp(NOW + 5, 2),
    );
    let high = record(
        "product",
        &product,
        json!({"name": "High"}),
        &stamp(NOW + 5, 3),
    );

    let (_x_dir, mut x) = Counter::bare();
    let (_y_dir, mut y) = Counter::bare();
    pull_page(&mut x, &page(1, vec![full.clone()]), NOW);
    pull_page(&mut y, &page(1, vec![full]), NOW);
    assert_eq!(
        pull_page(&mut x, &page(2, vec![low.clone()]), NOW),
        (1, 0, 0)
    );
    assert_eq!(
        pull_page(&mut x, &page(3, vec![high.clone()]), NOW),
        (1, 0, 0)
    );
    assert_eq!(pull_page(&mut y, &page(2, vec![high]), NOW), (1, 0, 0));
    assert_eq!(pull_page(&mut y, &page(3, vec![low]), NOW), (0, 1, 0));
    let id: Uuid = product.parse().unwrap();
    for store in [&x, &y] {
        assert_eq!(store.product(id).unwrap().unwrap().name, "High");
        assert_eq!(search(store, "high"), vec![id]);
        assert_eq!(search(store, "low"), Vec::<Uuid>::new());
    }
}

#[test]
fn records_and_movements_that_arrive_before_what_they_name_still_apply() {
    let mut a = Counter::new("Asha");
    let kurta = silk_kurta(&mut a);
    let shop = a.store.current_shop(NOW).unwrap();
    let medium = kurta.variants[0].id;
    a.store
        .receive_stock(
            medium,
            shop.id,
            Quantity::from_units(12).unwrap(),
            None,
            &a.owner,
            NOW,
        )
        .unwrap();
    let mut server = Server::default();
    server.push(&a.store);
    // Backwards: every movement before its shop, every barcode before its variant,
    // every variant before its product, the product before its categories.
    let mut changes = server.changes();
    changes.reverse();
    let next = changes.iter().map(|c| c.cursor).max().unwrap();
    let mut b = Counter::new("Bala");
    let (applied, _, skipped) = pull_page(
        &mut b.store,
        &PullPage {
            changes,
            next,
            more: false,
        },
        NOW + 1,
    );
    assert!(applied > 0);
    assert_eq!(skipped, 0, "{:?}", skipped_rows(&b));
    assert_eq!(b.store.product(kurta.id).unwrap().as_ref(), Some(&kurta));
    assert!(b.store.shops().unwrap().contains(&shop));
    assert_eq!(b.store.on_hand(medium, shop.id).unwrap().milli(), 12_000);
    for text in ["silk", "clothes", "SK-M", "8901030865237"] {
        assert_eq!(search(&b.store, text), vec![kurta.id], "{text}");
    }
}

/// Each page indexes what it touched (the insert triggers are paused while a page
/// applies): a product found by its variants' SKUs and barcodes whichever page brought
/// which, forwards or backwards, one change per page.
#[test]
fn search_finds_a_product_whose_parts_came_in_separate_pages_in_either_order() {
    let mut a = Counter::new("Asha");
    let kurta = silk_kurta(&mut a);
    let mut server = Server::default();
    server.push(&a.store);
    for backwards in [false, true] {
        let mut changes = server.changes();
        if backwards {
            changes.reverse();
        }
        let mut b = Counter::new("Bala");
        for change in changes {
            let next = change.cursor;
            pull_page(
                &mut b.store,
                &PullPage {
                    changes: vec![change],
                    next,
                    more: false,
                },
                NOW + 1,
            );
        }
        assert_eq!(skipped_rows(&b), Vec::new());
        for text in ["silk", "clothes", "SK-M", "SK-L", "8901030865237"] {
            assert_eq!(
                search(&b.store, text),
                vec![kurta.id],
                "{text}, backwards {backwards}"
            );
        }
        let paused: i64 = db(&b.path())
            .query_row("SELECT count(*) FROM search_index_paused", [], |r| r.get(0))
            .unwrap();
        assert_eq!(paused, 0, "never left paused");
    }
}

/// A counter ready to sell one item: shift open, 20 on hand.
fn till(owner: &str) -> (Counter, Uuid, Uuid) {
    let mut c = Counter::new(owner);
    let form = ProductForm {
        name: "Kurta".into(),
        tax_class: "GST 18%".into(),
        hsn_code: "6204".into(),
        variants: vec![variant_form(&[], "", "118", &["8901030865244"])],
        ..ProductForm::default()
    };
    let variant = save(&mut c, &form, NOW).variants[0].id;
    let shop = c.store.current_shop(NOW).unwrap().id;
    c.store
        .receive_stock(
            variant,
            shop,
            Quantity::from_units(20).unwrap(),
            None,
            &c.owner,
            NOW,
        )
        .unwrap();
    c.store.open_shift(&c.owner, "500", NOW).unwrap();
    (c, variant, shop)
}

fn sell(c: &mut Counter, units: i64, at: u64) -> galla_core::pos::document::SaleDocument {
    let mut cart = Cart::default();
    let item = c.store.scan("8901030865244").unwrap().item;
    cart.add(item, Quantity::from_units(units).unwrap())
        .unwrap();
    let tender = Tender {
        method: Method::Cash,
        amount_minor: 1_000_000,
        reference: None,
    };
    c.store
        .complete_sale(&c.owner, &cart, &[tender], at)
        .unwrap()
}

fn give_back(
    c: &mut Counter,
    sale: &galla_core::pos::document::SaleDocument,
    units: i64,
    at: u64,
) -> galla_core::pos::document::SaleDocument {
    let refund = Refund {
        method: Method::Cash,
        reference: None,
        restock: true,
    };
    c.store
        .return_items(
            &c.owner,
            &sale.number,
            &[(sale.lines[0].line_id, Quantity::from_units(units).unwrap())],
            &refund,
            at,
        )
        .unwrap()
}

#[test]
fn a_sale_and_its_return_arrive_with_lines_payments_and_stock() {
    let (mut a, kurta, shop) = till("Asha");
    let sale = sell(&mut a, 3, NOW + 1);
    let back = give_back(&mut a, &sale, 1, NOW + 2);
    let mut server = Server::default();
    server.push(&a.store);
    let mut b = Counter::new("Bala");
    let (_, _, skipped) = server.pull_into(&mut b, NOW + 3);
    assert_eq!(skipped, 0, "{:?}", skipped_rows(&b));

    let there = b.store.document(&sale.number).unwrap();
    let here = a.store.document(&sale.number).unwrap();
    assert_eq!(there.id, here.id);
    assert_eq!(there.kind, here.kind);
    assert_eq!(there.at_ms, here.at_ms);
    assert_eq!(
        there.lines, here.lines,
        "lines with their taxes and what came back"
    );
    assert_eq!(there.lines[0].returned_milli, 1_000);
    assert_eq!(there.payments, here.payments);
    assert_eq!(there.taxes, here.taxes);
    assert_eq!(
        (
            there.total_minor,
            there.rounding_minor,
            there.grand_total_minor,
            there.change_minor
        ),
        (
            here.total_minor,
            here.rounding_minor,
            here.grand_total_minor,
            here.change_minor
        )
    );
    assert_eq!(there.header.cashier, "Asha");

    let returned = b.store.document(&back.number).unwrap();
    assert_eq!(
        returned.original_number.as_deref(),
        Some(sale.number.as_str())
    );
    assert_eq!(
        returned.lines,
        a.store.document(&back.number).unwrap().lines
    );
    // 20 received, 3 sold, 1 put back, in A's shop, on B.
    assert_eq!(b.store.on_hand(kurta, shop).unwrap().milli(), 18_000);
    assert_eq!(
        b.store.on_hand(kurta, shop).unwrap(),
        a.store.on_hand(kurta, shop).unwrap()
    );
    // The shift's report on B counts A's documents as A's does.
    let shift = a.store.current_shift().unwrap().unwrap();
    let report = b.store.shift_report(shift.shift_id).unwrap();
    assert_eq!(report.net_minor, shift.net_minor);
    assert_eq!(report.expected_cash_minor, shift.expected_cash_minor);
}

#[test]
fn applying_the_same_page_twice_changes_nothing() {
    let (mut a, _, _) = till("Asha");
    sell(&mut a, 2, NOW + 1);
    silk_kurta(&mut a);
    let mut server = Server::default();
    server.push(&a.store);
    let all = server.page(0, 10_000);
    let (_b_dir, mut b) = Counter::bare();
    let path = _b_dir.path().join("galla.sqlite3");
    let (applied, unchanged, skipped) = pull_page(&mut b, &all, NOW + 5);
    assert_eq!(
        (applied, unchanged, skipped),
        (all.changes.len() as u64, 0, 0)
    );
    let before = dump(&path);
    let again = pull_page(&mut b, &all, NOW + 6);
    assert_eq!(again, (0, all.changes.len() as u64, 0));
    assert_eq!(dump(&path), before);
}

#[test]
fn a_page_that_fails_leaves_the_cursor_and_the_store_as_they_were() {
    let (dir, mut b) = Counter::bare();
    let path = dir.path().join("galla.sqlite3");
    let shop = id();
    let first = page(
        1,
        vec![record(
            "shop",
            &shop,
            json!({"name": "Main Road", "status": "active"}),
            &stamp(NOW, 1),
        )],
    );
    pull_page(&mut b, &first, NOW);
    assert_eq!(cursor(&path).as_deref(), Some("1"));

    // Something underneath breaks while the page's last change is written.
    db(&path)
        .execute_batch(
            "CREATE TRIGGER boom BEFORE INSERT ON audit_log BEGIN SELECT no_such_function(); END",
        )
        .unwrap();
    let product = id();
    let second = page(
        2,
        vec![
            record(
                "product",
                &product,
                json!({"name": "Cotton Saree", "status": "active"}),
                &stamp(NOW + 1, 1),
            ),
            record(
                "shop",
                &shop,
                json!({"name": "Station Road"}),
                &stamp(NOW + 1, 1),
            ),
            document(
                "audit",
                &id(),
                json!({"at_ms": NOW, "staff_id": null, "device_id": id(), "action": "price_changed",
                       "entity": "variant", "entity_id": id(), "field": "price",
                       "old_value": "1.00", "new_value": "2.00", "reason": null}),
            ),
        ],
    );
    let before = dump(&path);
    assert!(b.apply_pull_page(&second, NOW + 2).is_err());
    assert_eq!(cursor(&path).as_deref(), Some("1"));
    assert_eq!(dump(&path), before);
    assert_eq!(b.product(product.parse().unwrap()).unwrap(), None);

    // Once the fault is gone the same page applies whole.
    db(&path).execute_batch("DROP TRIGGER boom").unwrap();
    assert_eq!(pull_page(&mut b, &second, NOW + 3), (3, 0, 0));
    assert_eq!(cursor(&path).as_deref(), Some("4"));
    assert_eq!(b.shops().unwrap()[0].name, "Station Road");
}

#[test]
fn unusable_changes_are_skipped_and_noted_while_the_rest_applies() {
    let mut b = Counter::new("Bala");
    let form = ProductForm {
        name: "Local shirt".into(),
        variants: vec![variant_form(&[], "DUP-1", "100", &[])],
        ..ProductForm::default()
    };
    save(&mut b, &form, NOW);
    let product = id();
    let s = stamp(NOW, 1);
    let no_price = id();
    let clashing = id();
    let bad_stamp = id();
    let good = id();
    let changes = vec![
        record(
            "product",
            &product,
            json!({"name": "Remote shirt", "status": "active"}),
            &s,
        ),
        record(
            "variant",
            &no_price,
            json!({"product_id": product, "currency": "INR", "sku": "R-1"}),
            &s,
        ),
        record(
            "variant",
            &clashing,
            json!({"product_id": product, "currency": "INR", "price_minor": 100, "sku": "dup-1"}),
            &s,
        ),
        record(
            "category",
            &bad_stamp,
            json!({"name": "Shoes"}),
            "yesterday",
        ),
        record(
            "barcode",
            "8901030865251",
            json!({"variant_id": id(), "kind": "qr", "generated": false, "status": "active"}),
            &s,
        ),
        record(
            "category",
            &good,
            json!({"name": "Shirts", "status": "active"}),
            &s,
        ),
    ];
    let report = pull_page(&mut b.store, &page(10, changes), NOW + 1);
    assert_eq!(report, (2, 0, 4));
    assert_eq!(cursor(&b.path()).as_deref(), Some("15"));
    let notes = skipped_rows(&b);
    let reason_of = |key: &str| {
        notes
            .iter()
            .find(|(_, k, _)| k == key)
            .map(|(_, _, r)| r.clone())
            .unwrap_or_else(|| panic!("no note for {key}: {notes:?}"))
    };
    assert!(reason_of(&no_price).contains("price_minor"), "{notes:?}");
    assert!(reason_of(&clashing).contains("unique"), "{notes:?}");
    assert!(reason_of(&bad_stamp).contains("stamp"), "{notes:?}");
    assert!(reason_of("8901030865251").contains("kind"), "{notes:?}");
    assert_eq!(notes.len(), 4);
    // Nothing of a skipped change stays, not even its stamps.
    assert_eq!(
        count(
            &b.path(),
            &format!(
                "SELECT count(*) FROM field_clocks WHERE entity_id IN ('{no_price}', '{clashing}')"
            )
        ),
        0
    );
    assert!(b.store.product(product.parse().unwrap()).unwrap().is_some());
    assert!(b
        .store
        .categories()
        .unwrap()
        .iter()
        .any(|c| c.name == "Shirts"));
}

#[test]
fn two_variants_that_swapped_skus_on_one_page_both_apply() {
    let (dir, mut b) = Counter::bare();
    let path = dir.path().join("galla.sqlite3");
    let product = id();
    let (one, two) = (id(), id());
    let variant = |id: &str, sku: &str, at: u64| {
        record(
            "variant",
            id,
            json!({"product_id": product, "currency": "INR", "price_minor": 100, "sku": sku}),
            &stamp(at, 1),
        )
    };
    pull_page(
        &mut b,
        &page(1, vec![variant(&one, "A", NOW), variant(&two, "B", NOW)]),
        NOW,
    );
    // The swap: `one` takes B while `two` still holds it on this store.
    let swap = page(
        3,
        vec![variant(&one, "B", NOW + 1), variant(&two, "A", NOW + 1)],
    );
    assert_eq!(pull_page(&mut b, &swap, NOW + 2), (2, 0, 0));
    let sku = |v: &str| -> String {
        db(&path)
            .query_row("SELECT sku FROM variants WHERE id = ?1", [v], |r| r.get(0))
            .unwrap()
    };
    assert_eq!((sku(&one), sku(&two)), ("B".to_owned(), "A".to_owned()));
}

#[test]
fn entities_this_app_does_not_know_are_passed_over_quietly() {
    let (dir, mut b) = Counter::bare();
    let path = dir.path().join("galla.sqlite3");
    let loyalty = record("loyalty_card", &id(), json!({"points": 10}), &stamp(NOW, 1));
    let voucher = document("gift_voucher", &id(), json!({"amount_minor": 500}));
    assert_eq!(
        pull_page(&mut b, &page(1, vec![loyalty, voucher]), NOW),
        (0, 2, 0)
    );
    assert!(skipped(&path).is_empty());
    assert_eq!(cursor(&path).as_deref(), Some("2"));
}

#[test]
fn a_record_field_this_app_does_not_know_keeps_its_stamp() {
    let (dir, mut b) = Counter::bare();
    let path = dir.path().join("galla.sqlite3");
    let product = id();
    let s = stamp(NOW, 1);
    let change = record(
        "product",
        &product,
        json!({"name": "Cotton Saree", "status": "active", "fabric_code": "CT-7"}),
        &s,
    );
    let customer = id();
    let with_status = record(
        "customer",
        &customer,
        json!({"name": "Meena Iyer", "phone": "9876543210", "gstin": null, "status": "active"}),
        &s,
    );
    assert_eq!(
        pull_page(&mut b, &page(1, vec![change, with_status]), NOW),
        (2, 0, 0)
    );
    let stamp_of = |entity: &str, key: &str, field: &str| -> String {
        db(&path)
            .query_row(
                "SELECT hlc FROM field_clocks WHERE entity = ?1 AND entity_id = ?2 AND field = ?3",
                [entity, key, field],
                |r| r.get(0),
            )
            .unwrap()
    };
    assert_eq!(stamp_of("product", &product, "fabric_code"), s);
    assert_eq!(stamp_of("customer", &customer, "status"), s);
    assert_eq!(
        b.product(product.parse().unwrap()).unwrap().unwrap().name,
        "Cotton Saree"
    );
    let found = b.find_customers("meena").unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(b.find_customers("98765").unwrap(), found);
}

#[test]
fn a_staff_member_synced_in_can_sign_in_with_their_pin() {
    let mut a = Counter::new("Asha");
    let ravi = a
        .store
        .add_staff(&a.owner, "Ravi", Role::Cashier, "1357", NOW)
        .unwrap();
    let mut server = Server::default();
    server.push(&a.store);
    let mut b = Counter::new("Bala");
    server.pull_into(&mut b, NOW + 1);
    let actor = b.store.unlock_with_pin(ravi.id, "1357", NOW + 2).unwrap();
    assert_eq!(actor.role(), Role::Cashier);
    assert_eq!(actor.staff_id(), ravi.id);
    // A's owner too, with A's PIN.
    assert!(b
        .store
        .unlock_with_pin(a.owner.staff_id(), OWNER_PIN, NOW + 3)
        .is_ok());
}

#[test]
fn own_sales_coming_back_after_a_restore_move_the_receipt_series_on() {
    let (mut b, _, _) = till("Bala");
    // The copy the counter is later restored from: shift open, nothing sold yet.
    let backup = tempfile::tempdir().unwrap();
    db(&b.path())
        .execute(
            "VACUUM INTO ?1",
            [backup.path().join("galla.sqlite3").to_str().unwrap()],
        )
        .unwrap();
    let first = sell(&mut b, 1, NOW + 1);
    let second = sell(&mut b, 1, NOW + 2);
    let back = give_back(&mut b, &second, 1, NOW + 3);
    assert_eq!(second.number, "S1-C1-000002");
    assert_eq!(back.number, "S1-C1-R-000001");
    let mut server = Server::default();
    server.push(&b.store);
    drop(b);

    let mut restored = Store::open_in(backup.path()).unwrap();
    let path = backup.path().join("galla.sqlite3");
    let (_, _, skipped_count) = server.pull(&mut restored, &path, NOW + 4);
    assert_eq!(skipped_count, 0, "{:?}", skipped(&path));
    assert_eq!(restored.document(&first.number).unwrap().id, first.id);
    let owner = restored
        .unlock_with_pin(
            restored.list_staff(false).unwrap()[0].id,
            OWNER_PIN,
            NOW + 5,
        )
        .unwrap();
    let mut c = Counter {
        dir: backup,
        store: restored,
        owner,
    };
    let next = sell(&mut c, 1, NOW + 6);
    assert_eq!(next.number, "S1-C1-000003");
    let next_back = give_back(&mut c, &next, 1, NOW + 7);
    assert_eq!(next_back.number, "S1-C1-R-000002");
}

#[test]
fn the_cursor_moves_to_next_and_never_backwards() {
    let (dir, mut b) = Counter::bare();
    let path = dir.path().join("galla.sqlite3");
    assert_eq!(cursor(&path), None);
    let shop = |name: &str, at: u64| {
        record(
            "shop",
            &id(),
            json!({"name": name, "status": "active"}),
            &stamp(at, 1),
        )
    };
    pull_page(&mut b, &page(10, vec![shop("One", NOW)]), NOW);
    assert_eq!(cursor(&path).as_deref(), Some("10"));
    // An older page (a retry that raced a newer one) applies but does not rewind.
    let (applied, _, _) = pull_page(&mut b, &page(5, vec![shop("Two", NOW)]), NOW);
    assert_eq!(applied, 1);
    assert_eq!(cursor(&path).as_deref(), Some("10"));
    // An empty page at the end of the feed moves to its `next`.
    let empty = PullPage {
        changes: Vec::new(),
        next: 12,
        more: false,
    };
    assert_eq!(pull_page(&mut b, &empty, NOW), (0, 0, 0));
    assert_eq!(cursor(&path).as_deref(), Some("12"));
}

#[test]
fn a_repair_page_applies_without_touching_the_cursor() {
    let (dir, mut b) = Counter::bare();
    let path = dir.path().join("galla.sqlite3");
    let shop = id();
    let repair = page(
        40,
        vec![record(
            "shop",
            &shop,
            json!({"name": "Main Road", "status": "active"}),
            &stamp(NOW, 1),
        )],
    );
    let report = b.apply_repair_page(&repair, NOW).unwrap();
    assert_eq!(report.applied, 1);
    assert_eq!(cursor(&path), None);
    pull_page(&mut b, &page(7, Vec::new()), NOW);
    assert_eq!(cursor(&path).as_deref(), Some("7"));
    b.apply_repair_page(&page(90, Vec::new()), NOW).unwrap();
    assert_eq!(cursor(&path).as_deref(), Some("7"));
    assert_eq!(b.shops().unwrap()[0].name, "Main Road");
}

#[test]
fn a_remote_stamp_moves_the_local_clock_past_it() {
    let (dir, mut b) = Counter::bare();
    let path = dir.path().join("galla.sqlite3");
    // Another device's clock is an hour ahead of this one.
    let ahead = stamp(NOW + 3_600_000, 9);
    let shop = id();
    pull_page(
        &mut b,
        &page(
            1,
            vec![record(
                "shop",
                &shop,
                json!({"name": "Main Road", "status": "active"}),
                &ahead,
            )],
        ),
        NOW,
    );
    let last: String = db(&path)
        .query_row(
            "SELECT value FROM settings WHERE key = 'hlc_last'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(last > ahead, "{last} must order after {ahead}");
    // So a rename made here now, by this device's slower clock, still wins.
    let owner = b.create_first_owner("Asha", "2580", NOW).unwrap();
    let renamed = b.add_shop(&owner, "Later shop", NOW).unwrap();
    let made: String = db(&path)
        .query_row(
            "SELECT hlc FROM field_clocks WHERE entity = 'shop' AND entity_id = ?1 AND field = 'name'",
            [renamed.id.to_string()],
            |r| r.get(0),
        )
        .unwrap();
    assert!(made > ahead);
}

#[test]
fn a_closed_shift_with_cash_movements_and_store_credit_arrives_as_it_was() {
    use galla_core::pos::cart::CartCustomer;
    use galla_core::pos::shift::CashDirection;
    use galla_core::pos::CustomerForm;

    let (mut a, _, _) = till("Asha");
    let meena = a
        .store
        .add_customer(
            &a.owner,
            &CustomerForm {
                name: "Meena Iyer".into(),
                phone: "98765 43210".into(),
                gstin: String::new(),
            },
            NOW,
        )
        .unwrap();
    a.store
        .cash_movement(
            &a.owner,
            CashDirection::Out,
            "200",
            "Tea and snacks",
            NOW + 1,
        )
        .unwrap();
    let mut cart = Cart::default();
    cart.add(
        a.store.scan("8901030865244").unwrap().item,
        Quantity::from_units(2).unwrap(),
    )
    .unwrap();
    cart.customer = Some(CartCustomer {
        id: meena.id,
        name: meena.name.clone(),
        phone: meena.phone.clone(),
        gstin: None,
    });
    let tender = Tender {
        method: Method::Cash,
        amount_minor: 50_000,
        reference: None,
    };
    let sale = a
        .store
        .complete_sale(&a.owner, &cart, &[tender], NOW + 2)
        .unwrap();
    let refund = Refund {
        method: Method::StoreCredit,
        reference: None,
        restock: false,
    };
    a.store
        .return_items(
            &a.owner,
            &sale.number,
            &[(sale.lines[0].line_id, Quantity::from_units(1).unwrap())],
            &refund,
            NOW + 3,
        )
        .unwrap();
    let shift = a.store.current_shift().unwrap().unwrap().shift_id;
    let counts = vec![(50_000, "1".to_owned())];
    a.store.close_shift(&a.owner, &counts, NOW + 4).unwrap();

    let mut server = Server::default();
    server.push(&a.store);
    let mut b = Counter::new("Bala");
    let (_, _, skipped_count) = server.pull_into(&mut b, NOW + 5);
    assert_eq!(skipped_count, 0, "{:?}", skipped_rows(&b));
    assert_eq!(
        b.store.shift_report(shift).unwrap(),
        a.store.shift_report(shift).unwrap()
    );
    let there = b.store.customer(meena.id).unwrap().unwrap();
    assert_eq!(there, a.store.customer(meena.id).unwrap().unwrap());
    assert_eq!(there.store_credit_minor, 11_800);
    assert_eq!(b.store.find_customers("meena").unwrap(), vec![there]);
    assert_eq!(
        b.store.customer_documents(meena.id).unwrap().len(),
        2,
        "the sale and its return name her"
    );
    // A shift of another counter is not this counter's open shift.
    assert!(b.store.current_shift().unwrap().is_none());
}

#[test]
fn a_picture_keyed_product_colon_hash_lands_on_its_product() {
    let (dir, mut b) = Counter::bare();
    let path = dir.path().join("galla.sqlite3");
    let product = id();
    let hash = "ab".repeat(32);
    let s = stamp(NOW, 1);
    let changes = vec![
        record(
            "product_image",
            &format!("{product}:{hash}"),
            json!({"product_id": product, "hash": hash, "position": 0, "width": 40,
                   "height": 30, "byte_size": 279, "status": "active"}),
            &s,
        ),
        record(
            "product",
            &product,
            json!({"name": "Cotton Saree", "status": "active"}),
            &s,
        ),
    ];
    assert_eq!(pull_page(&mut b, &page(1, changes), NOW), (2, 0, 0));
    let images = b.product_images(product.parse().unwrap()).unwrap();
    assert_eq!(images.len(), 1);
    assert_eq!(
        (images[0].hash.as_str(), images[0].width),
        (hash.as_str(), 40)
    );
    // Kept under the key this store's own picture edits use.
    assert_eq!(
        count(
            &path,
            &format!(
                "SELECT count(*) FROM field_clocks WHERE entity = 'product_image'
                 AND entity_id = '{product}/{hash}'"
            )
        ),
        7
    );
    // A picture whose fields name another product than its key is refused.
    let other = id();
    let wrong = record(
        "product_image",
        &format!("{product}:{}", "cd".repeat(32)),
        json!({"product_id": other, "hash": "cd".repeat(32), "position": 1, "width": 4,
               "height": 3, "byte_size": 9, "status": "active"}),
        &s,
    );
    assert_eq!(pull_page(&mut b, &page(3, vec![wrong]), NOW), (0, 0, 1));
}

#[test]
fn a_page_never_saves_the_clock_behind_a_stamp_another_handle_issued() {
    // The counter and sync each hold a handle on the same file.
    let mut counter = Counter::new("Asha");
    let mut sync = Store::open_in(counter.dir.path()).unwrap();
    let later = counter
        .store
        .add_shop(&counter.owner, "Station Road", NOW + 60_000)
        .unwrap();
    let issued: String = db(&counter.path())
        .query_row(
            "SELECT hlc FROM field_clocks WHERE entity = 'shop' AND entity_id = ?1 AND field = 'name'",
            [later.id.to_string()],
            |r| r.get(0),
        )
        .unwrap();
    let remote = record(
        "shop",
        &id(),
        json!({"name": "Main Road", "status": "active"}),
        &stamp(NOW + 1_000, 9),
    );
    pull_page(&mut sync, &page(1, vec![remote]), NOW + 2_000);
    let saved: String = db(&counter.path())
        .query_row(
            "SELECT value FROM settings WHERE key = 'hlc_last'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(saved >= issued, "{saved} fell behind {issued}");
}

#[test]
fn a_store_that_pulled_everything_digests_like_the_one_that_made_it() {
    let (mut a, _, _) = till("Asha");
    silk_kurta(&mut a);
    let sale = sell(&mut a, 2, NOW + 1);
    give_back(&mut a, &sale, 1, NOW + 2);
    let mut server = Server::default();
    server.push(&a.store);
    let (dir, mut b) = Counter::bare();
    let path = dir.path().join("galla.sqlite3");
    let (_, _, skipped_count) = server.pull(&mut b, &path, NOW + 3);
    assert_eq!(skipped_count, 0, "{:?}", skipped(&path));
    assert_eq!(b.scope_digests().unwrap(), a.store.scope_digests().unwrap());
}

fn period(day: &str, opens: &str, closes: &str) -> galla_sync_protocol::OpeningPeriod {
    galla_sync_protocol::OpeningPeriod {
        day: day.into(),
        opens: opens.into(),
        closes: closes.into(),
    }
}

#[test]
fn a_shops_address_and_hours_set_on_one_counter_arrive_on_another() {
    let mut a = Counter::new("Asha");
    let shop = a.store.current_shop(NOW).unwrap().id;
    let hours = [
        period("sat", "10:00", "14:00"),
        period("mon", "09:30", "19:00"),
    ];
    let set = a
        .store
        .update_shop(
            &a.owner,
            shop,
            "MG Road",
            "12 MG Road\nBengaluru",
            &hours,
            NOW + 1,
        )
        .unwrap();
    let mut server = Server::default();
    server.push(&a.store);
    let mut b = Counter::new("Bala");
    server.pull_into(&mut b, NOW + 2);
    assert_eq!(b.store.shop_details(shop).unwrap(), Some(set.clone()));

    // A later edit sends only the hours; the address B has stays.
    a.store
        .update_shop(
            &a.owner,
            shop,
            "MG Road",
            "12 MG Road\nBengaluru",
            &[],
            NOW + 3,
        )
        .unwrap();
    server.push(&a.store);
    assert_eq!(server.pull_into(&mut b, NOW + 4), (1, 0, 0));
    let now = b.store.shop_details(shop).unwrap().unwrap();
    assert_eq!(now.address, "12 MG Road\nBengaluru");
    assert_eq!(now.opening_hours, []);
}

#[test]
fn a_shop_from_the_feed_is_stored_in_the_form_this_app_writes() {
    let (dir, mut b) = Counter::bare();
    let path = dir.path().join("galla.sqlite3");
    let shop = id();
    let change = record(
        "shop",
        &shop,
        json!({
            "name": "Station Road", "status": "active",
            "address": " Shop 4, Station Road \n",
            "opening_hours": [
                {"day": "tue", "opens": "09:00", "closes": "18:00"},
                {"day": "mon", "opens": "14:00", "closes": "24:00"},
                {"day": "mon", "opens": "08:00", "closes": "12:00"}
            ]
        }),
        &stamp(NOW, 1),
    );
    assert_eq!(pull_page(&mut b, &page(1, vec![change]), NOW), (1, 0, 0));
    let details = b.shop_details(shop.parse().unwrap()).unwrap().unwrap();
    assert_eq!(details.address, "Shop 4, Station Road");
    assert_eq!(
        details.opening_hours,
        [
            period("mon", "08:00", "12:00"),
            period("mon", "14:00", "24:00"),
            period("tue", "09:00", "18:00"),
        ]
    );
    let stored: String = db(&path)
        .query_row(
            "SELECT opening_hours FROM shops WHERE id = ?1",
            [&shop],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        serde_json::from_str::<Value>(&stored).unwrap(),
        json!([
            {"day": "mon", "opens": "08:00", "closes": "12:00"},
            {"day": "mon", "opens": "14:00", "closes": "24:00"},
            {"day": "tue", "opens": "09:00", "closes": "18:00"}
        ]),
        "kept as the sorted list's JSON, as the local write path keeps it"
    );

    // A shop from an older terminal, with neither field, reads as "not given".
    let older = id();
    let change = record(
        "shop",
        &older,
        json!({"name": "Old Town", "status": "active"}),
        &stamp(NOW, 2),
    );
    assert_eq!(pull_page(&mut b, &page(2, vec![change]), NOW), (1, 0, 0));
    let details = b.shop_details(older.parse().unwrap()).unwrap().unwrap();
    assert_eq!(
        (details.address.as_str(), details.opening_hours.len()),
        ("", 0)
    );
}

#[test]
fn a_shop_change_with_a_bad_address_or_bad_hours_is_refused_whole() {
    let (dir, mut b) = Counter::bare();
    let path = dir.path().join("galla.sqlite3");
    let shop = id();
    let good = record(
        "shop",
        &shop,
        json!({"name": "Station Road", "status": "active", "address": "Shop 4",
               "opening_hours": [{"day": "mon", "opens": "09:00", "closes": "18:00"}]}),
        &stamp(NOW, 1),
    );
    pull_page(&mut b, &page(1, vec![good]), NOW);
    let before = dump(&path);
    let details = b.shop_details(shop.parse().unwrap()).unwrap();

    let later = stamp(NOW + 1, 1);
    let bad = [
        json!({"name": "Renamed", "address": "Shop\u{7}4"}),
        json!({"name": "Renamed", "address": 4}),
        json!({"name": "Renamed", "address": null}),
        json!({"name": "Renamed", "opening_hours": [
            {"day": "mon", "opens": "09:00", "closes": "13:00"},
            {"day": "mon", "opens": "12:00", "closes": "18:00"}]}),
        json!({"name": "Renamed", "opening_hours": [{"day": "mon", "opens": "18:00", "closes": "09:00"}]}),
        json!({"name": "Renamed", "opening_hours": "mon 9-6"}),
        json!({"name": "Renamed", "opening_hours": [{"day": "mon", "opens": "09:00"}]}),
        json!({"name": "Renamed", "opening_hours": null}),
    ];
    let changes: Vec<Change> = bad
        .iter()
        .map(|fields| record("shop", &shop, fields.clone(), &later))
        .collect();
    let count = changes.len() as u64;
    assert_eq!(
        pull_page(&mut b, &page(2, changes), NOW + 2),
        (0, 0, count),
        "every one is skipped"
    );
    let notes = skipped(&path);
    assert_eq!(notes.len(), bad.len());
    let reasons: Vec<&str> = notes.iter().map(|(_, _, r)| r.as_str()).collect();
    assert!(
        reasons[0].contains("address") && reasons[0].contains("control"),
        "{reasons:?}"
    );
    assert!(reasons[3].contains("overlaps"), "{reasons:?}");
    assert!(reasons[4].contains("after"), "{reasons:?}");
    assert!(reasons[5].contains("list"), "{reasons:?}");
    assert!(
        reasons.iter().all(|r| r.starts_with("shop: ")),
        "{reasons:?}"
    );

    assert_eq!(b.shop_details(shop.parse().unwrap()).unwrap(), details);
    // What may move: the notes, the cursor, and the clock, which saw the stamps.
    let settled = |mut all: BTreeMap<String, Vec<String>>| {
        all.remove("sync_skipped");
        all.remove("sync_state");
        if let Some(settings) = all.get_mut("settings") {
            settings.retain(|row| !row.contains("hlc_last"));
        }
        all
    };
    assert_eq!(
        settled(dump(&path)),
        settled(before),
        "nothing of a refused change stays, not even the name"
    );
}
