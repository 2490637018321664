//! CSV import and export of the catalog on real SQLite files in temporary folders.
#![allow(clippy::unwrap_used)]

use std::cell::RefCell;
use std::path::Path;

use galla_core::catalog::{ProductForm, ProductSpec, VariantForm};
use galla_core::csv::{ChangeKind, FieldChange};
use galla_core::id::Uuid;
use galla_core::store::{INTERNAL_PREFIX, STORE_FILE_NAME};
use galla_core::{
    Actor, AuditAction, AuditFilter, Currency, Error, ImportReport, MovementKind, Permission,
    PermissionError, Product, ProductStatus, Quantity, Role, Store,
};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

const NOW: u64 = 1_763_700_000_000;

struct Shop {
    dir: tempfile::TempDir,
    store: Store,
    owner: Actor,
}

/// A store after first-start set-up, with Asha as owner and a small category tree:
/// Clothing > Kurtas, Clothing > Sarees, Grocery > Tea.
fn shop() -> Shop {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    let owner = store.create_first_owner("Asha", "2580", NOW).unwrap();
    let clothing = store
        .create_category(&owner, "Clothing", None, NOW)
        .unwrap();
    let grocery = store.create_category(&owner, "Grocery", None, NOW).unwrap();
    for (name, parent) in [
        ("Kurtas", clothing.id),
        ("Sarees", clothing.id),
        ("Tea", grocery.id),
    ] {
        store
            .create_category(&owner, name, Some(parent), NOW)
            .unwrap();
    }
    Shop { dir, store, owner }
}

impl Shop {
    fn category(&self, name: &str) -> Uuid {
        let found = self.store.categories().unwrap();
        found.into_iter().find(|c| c.name == name).unwrap().id
    }

    fn save(&mut self, form: &ProductForm) -> Product {
        let spec = ProductSpec::parse(form, Currency::INR).unwrap();
        self.store
            .save_product(&self.owner, None, &spec, NOW)
            .unwrap()
    }

    fn cashier(&mut self) -> Actor {
        let member = self
            .store
            .add_staff(&self.owner, "Ravi", Role::Cashier, "1357", NOW)
            .unwrap();
        self.store.unlock_with_pin(member.id, "1357", NOW).unwrap()
    }

    fn product_by_sku(&self, sku: &str) -> Product {
        let products = self.store.list_products(true).unwrap();
        products
            .into_iter()
            .find(|p| p.variants.iter().any(|v| v.sku.as_deref() == Some(sku)))
            .unwrap()
    }

    fn variant_id(&self, sku: &str) -> Uuid {
        let product = self.product_by_sku(sku);
        let variant = product
            .variants
            .iter()
            .find(|v| v.sku.as_deref() == Some(sku));
        variant.unwrap().id
    }

    fn shop_id(&mut self) -> Uuid {
        self.store.current_shop(NOW).unwrap().id
    }
}

fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/csv")
        .join(name);
    std::fs::read(path).unwrap()
}

fn variant(values: &[&str], sku: &str, price: &str, cost: &str, codes: &[&str]) -> VariantForm {
    VariantForm {
        id: None,
        option_values: values.iter().map(|v| (*v).to_owned()).collect(),
        sku: sku.to_owned(),
        price: price.to_owned(),
        cost: cost.to_owned(),
        barcodes: codes.iter().map(|c| (*c).to_owned()).collect(),
    }
}

/// Every row of every table, read through a connection of its own: equal snapshots
/// mean the file on disk is the same.
fn snapshot(dir: &Path) -> Vec<(String, Vec<String>)> {
    let conn = rusqlite::Connection::open(dir.join(STORE_FILE_NAME)).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    tables
        .into_iter()
        .map(|table| {
            let mut stmt = conn.prepare(&format!("SELECT * FROM \"{table}\"")).unwrap();
            let columns = stmt.column_count();
            let mut rows: Vec<String> = stmt
                .query_map([], |r| {
                    let mut row = String::new();
                    for i in 0..columns {
                        let value: rusqlite::types::Value = r.get(i)?;
                        row.push_str(&format!("{value:?}|"));
                    }
                    Ok(row)
                })
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            rows.sort();
            (table, rows)
        })
        .collect()
}

/// Rows of the tables an import writes to.
fn counts(dir: &Path) -> Vec<(&'static str, i64)> {
    let conn = rusqlite::Connection::open(dir.join(STORE_FILE_NAME)).unwrap();
    [
        "products",
        "variants",
        "barcodes",
        "stock_movements",
        "outbox",
        "audit_log",
        "field_clocks",
        "shops",
    ]
    .into_iter()
    .map(|t| {
        let n = conn
            .query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))
            .unwrap();
        (t, n)
    })
    .collect()
}

fn count(dir: &Path, table: &str) -> i64 {
    counts(dir)
        .into_iter()
        .find(|(t, _)| *t == table)
        .unwrap()
        .1
}

/// A shop with products of every shape an export has to carry: options and none,
/// several barcodes, costs and none, a description with a line break, a comma and
/// quotes, text a spreadsheet would take for a formula, non-Latin names, an archived
/// product, a product in an archived category, a variant archived out of the middle,
/// and stock on hand.
fn stocked_shop() -> Shop {
    let mut shop = shop();
    let kurtas = shop.category("Kurtas");
    let tea = shop.category("Tea");
    shop.save(&ProductForm {
        name: "Cotton kurta".into(),
        description: "Hand block printed, \"indigo\" dye.\nMachine wash cold.".into(),
        category_id: Some(kurtas),
        tax_class: "GST 5%".into(),
        hsn_code: "6211".into(),
        show_on_storefront: true,
        option_names: vec!["Size".into(), "Colour".into()],
        variants: vec![
            variant(&["M", "Indigo"], "KUR-M-IND", "899", "450", &[]),
            variant(
                &["L", "Indigo"],
                "KUR-L-IND",
                "949.50",
                "480.25",
                &["8901030865237", "4006381333931"],
            ),
            variant(&["XL", "Rust, dark"], "KUR-XL-RST", "999", "", &[]),
        ],
        ..ProductForm::default()
    });
    shop.save(&ProductForm {
        name: "=Tea special".into(),
        category_id: Some(tea),
        status: Some(ProductStatus::Draft),
        variants: vec![variant(&[], "-TEA", "180", "", &["8901000000019"])],
        ..ProductForm::default()
    });
    shop.save(&ProductForm {
        name: "कांजीवरम साड़ी – silk ₹".into(),
        option_names: vec!["Colour".into()],
        variants: vec![
            variant(&["लाल"], "", "12999", "9000", &[]),
            variant(&["हरा"], "SAR-GRN", "12999", "9000", &[]),
        ],
        ..ProductForm::default()
    });
    let archived = shop.save(&ProductForm {
        name: "Old stock".into(),
        variants: vec![variant(&[], "OLD-1", "10", "", &[])],
        ..ProductForm::default()
    });
    shop.store
        .set_product_status(&shop.owner, archived.id, ProductStatus::Archived, NOW)
        .unwrap();
    // A category archived with a product still in it.
    let seasonal = shop
        .store
        .create_category(&shop.owner, "Seasonal", None, NOW)
        .unwrap();
    shop.save(&ProductForm {
        name: "Diwali diya".into(),
        category_id: Some(seasonal.id),
        variants: vec![variant(&[], "DIYA-1", "49", "", &[])],
        ..ProductForm::default()
    });
    shop.store
        .archive_category(&shop.owner, seasonal.id, NOW)
        .unwrap();
    // A variant archived out of the middle leaves a gap in the positions.
    let mugs = shop.save(&ProductForm {
        name: "Steel tumbler".into(),
        option_names: vec!["Size".into()],
        variants: vec![
            variant(&["S"], "TUM-S", "99", "", &[]),
            variant(&["M"], "TUM-M", "129", "", &[]),
            variant(&["L"], "TUM-L", "149", "", &[]),
        ],
        ..ProductForm::default()
    });
    let mut spec = ProductSpec::parse(
        &ProductForm {
            name: "Steel tumbler".into(),
            option_names: vec!["Size".into()],
            variants: vec![
                VariantForm {
                    id: Some(mugs.variants[0].id),
                    ..variant(&["S"], "TUM-S", "99", "", &[])
                },
                VariantForm {
                    id: Some(mugs.variants[2].id),
                    ..variant(&["L"], "TUM-L", "149", "", &[])
                },
            ],
            ..ProductForm::default()
        },
        Currency::INR,
    )
    .unwrap();
    spec.variants[0].barcodes = mugs.variants[0]
        .barcodes
        .iter()
        .map(|b| galla_core::barcode::Barcode::parse(b).unwrap())
        .collect();
    spec.variants[1].barcodes = mugs.variants[2]
        .barcodes
        .iter()
        .map(|b| galla_core::barcode::Barcode::parse(b).unwrap())
        .collect();
    shop.store
        .save_product(&shop.owner, Some(mugs.id), &spec, NOW)
        .unwrap();
    let shop_id = shop.shop_id();
    for (sku, units) in [("KUR-M-IND", "12"), ("-TEA", "2.5"), ("TUM-L", "3")] {
        let variant = shop.variant_id(sku);
        let quantity = Quantity::parse(units).unwrap();
        let owner = shop.owner.clone();
        shop.store
            .receive_stock(variant, shop_id, quantity, None, &owner, NOW)
            .unwrap();
    }
    shop
}

fn problem_at(report: &ImportReport, row: Option<u32>, column: Option<&str>) -> String {
    let found = report
        .problems
        .iter()
        .find(|p| p.row == row && p.column.as_deref() == column);
    match found {
        Some(problem) => problem.to_string(),
        None => panic!(
            "no problem at row {row:?}, column {column:?}; the report has {:#?}",
            report.problems
        ),
    }
}

#[test]
fn export_then_import_changes_nothing() {
    let mut shop = stocked_shop();
    let export = shop.store.export_csv(&shop.owner).unwrap();
    assert!(
        export.starts_with('\u{feff}'),
        "a BOM, so Excel reads UTF-8"
    );
    assert!(export.contains("'=Tea special"), "formula text is guarded");
    assert!(export.contains("Clothing > Kurtas") && export.contains("Seasonal"));

    let before = snapshot(shop.dir.path());
    let plan = shop
        .store
        .plan_import(&shop.owner, export.as_bytes())
        .unwrap();
    assert!(plan.is_clean(), "{:#?}", plan.problems);
    assert!(plan.notices.is_empty(), "{:#?}", plan.notices);
    assert_eq!(plan.products.unchanged, 6);
    assert_eq!((plan.products.created, plan.products.updated), (0, 0));
    assert_eq!(plan.variants.unchanged, 10);
    assert!(plan.changes.is_empty());
    assert_eq!(plan.rows, 10);

    let applied = shop
        .store
        .apply_import(&shop.owner, export.as_bytes(), NOW + 1)
        .unwrap();
    assert!(applied.applied && applied.is_clean());
    assert_eq!(applied.products.unchanged, 6);
    assert_eq!(
        snapshot(shop.dir.path()),
        before,
        "importing an export writes nothing: no outbox entry, no clock stamp"
    );
    assert_eq!(shop.store.export_csv(&shop.owner).unwrap(), export);
}

#[test]
fn new_products_are_created_with_their_variants_categories_and_opening_stock() {
    let mut shop = shop();
    let report = shop
        .store
        .apply_import(&shop.owner, &fixture("new_products.csv"), NOW)
        .unwrap();
    assert!(report.applied, "{:#?}", report.problems);
    assert_eq!(report.rows, 5);
    assert_eq!(report.products.created, 3);
    assert_eq!(report.variants.created, 5);
    assert_eq!(report.stock_receipts, 4);

    let kurta = shop.product_by_sku("KUR-M");
    assert_eq!(kurta.name, "Cotton kurta");
    assert_eq!(kurta.description, "Hand block printed, machine wash cold.");
    assert_eq!(kurta.category_id, Some(shop.category("Kurtas")));
    assert_eq!(kurta.tax_class.as_deref(), Some("GST 5%"));
    assert_eq!(kurta.hsn_code.as_deref(), Some("6211"));
    assert!(kurta.show_on_storefront);
    assert_eq!(kurta.option_names, ["Size"]);
    let values: Vec<_> = kurta.variants.iter().map(|v| &v.option_values[0]).collect();
    assert_eq!(values, ["M", "L"]);
    assert_eq!(kurta.variants[0].barcodes, ["8901030865237"]);
    assert_eq!(kurta.variants[1].price.minor(), 94_950);
    assert_eq!(kurta.variants[1].cost.map(|c| c.minor()), Some(48_000));
    assert!(
        kurta.variants[1].barcodes[0].starts_with(INTERNAL_PREFIX),
        "a new variant without a barcode gets an internal one"
    );

    let saree = shop.product_by_sku("SAR-RED");
    assert_eq!(saree.description, "Kanjeevaram silk.\nDry clean only.");
    assert_eq!(saree.category_id, Some(shop.category("Sarees")));
    assert_eq!(saree.variants[0].price.minor(), 129_950);
    assert_eq!(saree.status, ProductStatus::Active);
    let tea = shop.product_by_sku("TEA-250");
    assert_eq!(tea.status, ProductStatus::Draft);
    assert_eq!(tea.variants[0].barcodes.len(), 2);

    let shop_id = shop.shop_id();
    for (sku, on_hand) in [
        ("KUR-M", 12_000),
        ("KUR-L", 5_000),
        ("SAR-RED", 3_000),
        ("SAR-GRN", 500),
        ("TEA-250", 0),
    ] {
        let variant = shop.variant_id(sku);
        let held = shop.store.on_hand(variant, shop_id).unwrap();
        assert_eq!(held.milli(), on_hand, "{sku}");
        let history = shop.store.stock_history(variant, None, 10).unwrap();
        if on_hand > 0 {
            assert_eq!(history.len(), 1, "{sku}");
            assert_eq!(history[0].kind, MovementKind::Receive);
            assert_eq!(history[0].note.as_deref(), Some("Opening stock"));
            assert_eq!(history[0].staff_id, Some(shop.owner.staff_id()));
        } else {
            assert!(history.is_empty(), "{sku}");
        }
    }
    // Each created product, variant, barcode and movement is queued for sync.
    let pending = shop.store.pending_changes().unwrap();
    let entities = |e: &str| pending.iter().filter(|c| c.entity == e).count();
    assert_eq!(entities("product"), 3);
    assert_eq!(entities("variant"), 5);
    assert_eq!(entities("stock_movement"), 4);
}

#[test]
fn a_price_changed_in_the_file_is_written_and_audited_and_nothing_else_is() {
    let mut shop = stocked_shop();
    let export = shop.store.export_csv(&shop.owner).unwrap();
    let edited = export.replacen(",949.50,", ",1049.00,", 1);
    assert_ne!(edited, export);
    let outbox_before = count(shop.dir.path(), "outbox");

    let plan = shop
        .store
        .plan_import(&shop.owner, edited.as_bytes())
        .unwrap();
    assert_eq!(plan.products.updated, 1);
    assert_eq!(plan.products.unchanged, 5);
    assert_eq!(plan.variants.updated, 1);
    let change = &plan.changes[0];
    assert_eq!(change.kind, ChangeKind::Update);
    assert_eq!(change.name, "Cotton kurta");
    assert_eq!(
        change.fields,
        [FieldChange {
            row: 3,
            column: "price".into(),
            before: "949.50".into(),
            after: "1049.00".into(),
        }]
    );

    let report = shop
        .store
        .apply_import(&shop.owner, edited.as_bytes(), NOW + 5)
        .unwrap();
    assert!(report.applied);
    let variant = shop.variant_id("KUR-L-IND");
    let kurta = shop.product_by_sku("KUR-L-IND");
    let price = kurta
        .variants
        .iter()
        .find(|v| v.id == variant)
        .unwrap()
        .price;
    assert_eq!(price.minor(), 104_900);
    let audit = shop
        .store
        .audit_entries(&shop.owner, &AuditFilter::default())
        .unwrap();
    let priced: Vec<_> = audit
        .iter()
        .filter(|e| e.known_action() == Some(AuditAction::PriceChanged))
        .collect();
    assert_eq!(priced.len(), 1);
    assert_eq!(priced[0].entity_id, Some(variant));
    assert_eq!(priced[0].old_value.as_deref(), Some("INR 949.50"));
    assert_eq!(priced[0].new_value.as_deref(), Some("INR 1049.00"));
    assert_eq!(
        count(shop.dir.path(), "outbox") - outbox_before,
        2,
        "one variant update and one audit entry; the unchanged products write nothing"
    );
}

#[test]
fn columns_and_variants_left_out_of_the_file_are_kept() {
    let mut shop = stocked_shop();
    let kurta = shop.product_by_sku("KUR-M-IND");
    // Only the L variant, and only name and price: cost, barcodes, options, category
    // and the other variants stay as they are.
    let file = format!(
        "product_id,variant_id,name,price,opening_stock\n{},{},Cotton kurta (new cut),999,40\n",
        kurta.id, kurta.variants[1].id
    );
    let report = shop
        .store
        .apply_import(&shop.owner, file.as_bytes(), NOW + 5)
        .unwrap();
    assert!(report.applied, "{:#?}", report.problems);
    let opening = &report.notices[0];
    assert_eq!(
        (opening.row, opening.column.as_deref()),
        (Some(2), Some("opening_stock"))
    );
    assert!(opening.message.contains("40 is ignored"), "{opening}");
    let after = shop.store.product(kurta.id).unwrap().unwrap();
    assert_eq!(after.name, "Cotton kurta (new cut)");
    assert_eq!(after.variants.len(), 3);
    assert_eq!(after.variants[1].price.minor(), 99_900);
    assert_eq!(after.variants[1].cost, kurta.variants[1].cost);
    assert_eq!(after.variants[1].barcodes, kurta.variants[1].barcodes);
    assert_eq!(after.variants[0], kurta.variants[0]);
    assert_eq!(after.variants[2], kurta.variants[2]);
    assert_eq!(after.category_id, kurta.category_id);
    let shop_id = shop.shop_id();
    let on_hand = shop.store.on_hand(kurta.variants[1].id, shop_id).unwrap();
    assert_eq!(
        on_hand.milli(),
        0,
        "opening stock never changes an existing variant"
    );
}

#[test]
fn imported_products_and_variants_are_found_by_search() {
    let mut shop = stocked_shop();
    let tea = shop.product_by_sku("-TEA");
    // A new variant on an existing product, and two new products.
    let file = format!(
        "product_id,variant_id,handle,name,category,option1_name,option1_value,sku,price\n\
         {id},{variant},,'=Tea special,Grocery > Tea,,,-TEA,180\n\
         ,,masala,Garam masala,Grocery > Tea,Pack,100 g,MAS-100,60\n\
         ,,masala,Garam masala,Grocery > Tea,Pack,200 g,MAS-200,110\n",
        id = tea.id,
        variant = tea.variants[0].id,
    );
    let kurta = shop.product_by_sku("KUR-M-IND");
    let add_variant = format!(
        "product_id,name,option1_value,option2_value,sku,barcodes,price\n\
         {id},Cotton kurta,XXL,Indigo,KUR-XXL-IND,8901000000040,1049\n",
        id = kurta.id
    );
    for file in [file, add_variant] {
        let report = shop
            .store
            .apply_import(&shop.owner, file.as_bytes(), NOW + 1)
            .unwrap();
        assert!(report.applied, "{:#?}", report.problems);
    }
    let found = |text: &str| {
        let hits = shop
            .store
            .search_products(&galla_core::ProductQuery::text(text))
            .unwrap();
        hits.into_iter().map(|h| h.name).collect::<Vec<_>>()
    };
    assert_eq!(found("garam"), ["Garam masala"]);
    assert_eq!(found("MAS-200"), ["Garam masala"]);
    assert_eq!(found("KUR-XXL-IND"), ["Cotton kurta"]);
    assert_eq!(found("XXL"), ["Cotton kurta"]);
    let by_code = shop.store.find_by_barcode("8901000000040").unwrap();
    assert_eq!(by_code.map(|(product, _)| product), Some(kurta.id));
    let masala = shop.product_by_sku("MAS-100");
    let generated = &masala.variants[0].barcodes[0];
    let by_code = shop.store.find_by_barcode(generated).unwrap();
    assert_eq!(by_code.map(|(product, _)| product), Some(masala.id));
}

/// A file with one kind of problem, the row and column it must be reported at, and
/// a piece of the message.
struct Bad {
    what: &'static str,
    file: Vec<u8>,
    row: Option<u32>,
    column: Option<&'static str>,
    says: &'static str,
}

fn bad(
    what: &'static str,
    file: &str,
    row: u32,
    column: Option<&'static str>,
    says: &'static str,
) -> Bad {
    Bad {
        what,
        file: file.as_bytes().to_vec(),
        row: Some(row),
        column,
        says,
    }
}

#[test]
fn each_kind_of_bad_file_is_reported_where_it_is_and_nothing_is_written() {
    let mut shop = shop();
    shop.save(&ProductForm {
        name: "Ginger tea".into(),
        variants: vec![variant(&[], "TAKEN-1", "60", "", &["8901000000026"])],
        ..ProductForm::default()
    });
    let taken = shop.product_by_sku("TAKEN-1");
    let long_price = format!("name,price\nTea,{}\n", "9x".repeat(500));
    let huge = format!("name,price,description\nTea,10,{}\n", "x".repeat(100_000));
    let unknown_id = format!("product_id,name,price\n{},Tea,10\n", Uuid::nil());
    let cases = vec![
        bad(
            "missing price column",
            "name,sku\nTea,T-1\n",
            1,
            None,
            "no price column",
        ),
        bad(
            "unknown columns",
            "name,price,colour,weight\nTea,10,red,1\n",
            1,
            None,
            "\"colour\", \"weight\"",
        ),
        bad(
            "two columns of one name",
            "name,price,Price\nTea,10,11\n",
            1,
            Some("price"),
            "two price columns",
        ),
        bad(
            "blank header cell",
            "name,,price\nTea,,10\n",
            1,
            None,
            "Column 2 of the header row is blank",
        ),
        bad(
            "wrong check digit",
            "name,price,barcodes\nTea,10,8901000000019\nCoffee,10,8901030865230\n",
            3,
            Some("barcodes"),
            "check digit should be 7, not 0",
        ),
        bad(
            "spreadsheet-shortened barcode",
            "name,price,barcodes\nTea,10,8.90103E+12\n",
            2,
            Some("barcodes"),
            "Format the barcodes column as Text",
        ),
        bad(
            "same SKU twice in the file",
            "name,price,sku\nTea,10,T-1\nCoffee,10,t-1\n",
            3,
            Some("sku"),
            "also on row 2",
        ),
        bad(
            "same barcode twice in the file",
            "name,price,barcodes\nTea,10,8901000000019\nCoffee,10,8901000000019\n",
            3,
            Some("barcodes"),
            "also on row 2",
        ),
        bad(
            "SKU of another product",
            "name,price,sku\nTea,10,taken-1\n",
            2,
            Some("sku"),
            "already used by \"Ginger tea\"",
        ),
        bad(
            "barcode of another product",
            "name,price,barcodes\nTea,10,8901000000026\n",
            2,
            Some("barcodes"),
            "already on \"Ginger tea\"",
        ),
        bad(
            "unknown category",
            "name,price,category\nTea,10,Grocery > Coffee\n",
            2,
            Some("category"),
            "no category \"Grocery > Coffee\"",
        ),
        bad(
            "category without its parent",
            "name,price,category\nTea,10,Tea\n",
            2,
            Some("category"),
            "Did you mean \"Grocery > Tea\"?",
        ),
        bad(
            "non-numeric price",
            "name,price\nTea,10\nCoffee,\"12,5O\"\n",
            3,
            Some("price"),
            "Row 3, price: \"12,5O\" is not a price. Enter a number such as 1299.50.",
        ),
        bad(
            "a blank line and a line break in a cell are counted as a spreadsheet counts",
            "name,description,price\r\n\r\nTea,\"Strong,\r\nmalty\",10\r\nCoffee,,ten\r\n",
            4,
            Some("price"),
            "\"ten\" is not a price",
        ),
        bad(
            "a product without options given a second variant",
            &format!("product_id,name,price\n{},Ginger tea,65\n", taken.id),
            2,
            None,
            "copy its variant_id into this row",
        ),
        bad(
            "a long bad cell is quoted short",
            &long_price,
            2,
            Some("price"),
            "9x9x\u{2026}\" is not a price",
        ),
        bad(
            "one handle on two rows of a product without options",
            "handle,name,price\nt,Tea,10\nt,Tea,12\n",
            3,
            None,
            "give the rows different handles",
        ),
        bad(
            "negative price",
            "name,price\nTea,-10\n",
            2,
            Some("price"),
            "cannot be negative",
        ),
        bad(
            "blank price",
            "name,price,sku\nTea,,T 1\n",
            2,
            Some("price"),
            "Enter a price",
        ),
        bad(
            "bad cost",
            "name,price,cost\nTea,10,ten\n",
            2,
            Some("cost"),
            "is not a cost",
        ),
        bad(
            "negative opening stock",
            "name,price,opening_stock\nTea,10,-3\n",
            2,
            Some("opening_stock"),
            "cannot be negative",
        ),
        bad(
            "bad status",
            "name,price,status\nTea,10,live\n",
            2,
            Some("status"),
            "draft, active or archived",
        ),
        bad(
            "bad yes/no",
            "name,price,show_on_storefront\nTea,10,maybe\n",
            2,
            Some("show_on_storefront"),
            "not yes or no",
        ),
        bad(
            "bad SKU",
            "name,price,sku\nTea,10,T 1\n",
            2,
            Some("sku"),
            "no spaces",
        ),
        bad(
            "bad HSN code",
            "name,price,hsn_code\nTea,10,09A2\n",
            2,
            Some("hsn_code"),
            "HSN code",
        ),
        bad(
            "blank name",
            "name,price\n ,10\n",
            2,
            Some("name"),
            "Enter a product name",
        ),
        bad(
            "ragged row",
            "name,price,sku\nTea,10,T-1\nCoffee,1,299.50,C-1\n",
            3,
            None,
            "4 cells but the header has 3",
        ),
        bad(
            "unterminated quote",
            "name,price\nTea,10\n\"Coffee,20\nMilk,30\n",
            3,
            None,
            "never closed",
        ),
        bad(
            "huge cell",
            &huge,
            2,
            Some("description"),
            "at most 32768",
        ),
        bad(
            "rows of one product disagree",
            "handle,name,price,option1_name,option1_value\nk,Kurta,10,Size,M\nk,Kurti,10,Size,L\n",
            3,
            Some("name"),
            "differs from row 2",
        ),
        bad(
            "two variants alike",
            "handle,name,price,option1_name,option1_value\nk,Kurta,10,Size,M\nk,Kurta,10,Size,m\n",
            3,
            None,
            "Two variants are both",
        ),
        bad(
            "option value without a name",
            "name,price,option1_value\nTea,10,Large\n",
            2,
            Some("option1_value"),
            "no option1_name",
        ),
        bad(
            "unknown product id",
            &unknown_id,
            2,
            Some("product_id"),
            "No product in this store has this id",
        ),
        bad(
            "not an id",
            "product_id,name,price\n42,Tea,10\n",
            2,
            Some("product_id"),
            "\"42\" is not a product id",
        ),
        bad(
            "variant of another product",
            &format!(
                "product_id,variant_id,name,price\n{},{},Tea,10\n",
                Uuid::nil(),
                taken.variants[0].id
            ),
            2,
            Some("product_id"),
            "No product",
        ),
        bad(
            "variant id without product id",
            &format!("variant_id,name,price\n{},Tea,10\n", taken.variants[0].id),
            2,
            Some("variant_id"),
            "no product_id",
        ),
        bad(
            "handle beside a product id",
            &format!("product_id,handle,name,price\n{},tea,Ginger tea,60\n", taken.id),
            2,
            Some("handle"),
            "Leave handle blank",
        ),
        Bad {
            what: "Latin-1",
            file: fixture("latin1.csv"),
            row: Some(2),
            column: None,
            says: "not UTF-8 text: byte 20 is 0xE9, which older spreadsheets use for \u{201c}é\u{201d}",
        },
        Bad {
            what: "UTF-16",
            file: fixture("utf16.csv"),
            row: None,
            column: None,
            says: "saved as UTF-16",
        },
        Bad {
            what: "UTF-16 without a byte-order mark",
            file: "name,price\n".encode_utf16().flat_map(u16::to_le_bytes).collect(),
            row: Some(1),
            column: None,
            says: "NUL byte",
        },
        Bad {
            what: "empty file",
            file: Vec::new(),
            row: None,
            column: None,
            says: "The file is empty",
        },
        Bad {
            what: "only a byte-order mark and blank lines",
            file: b"\xEF\xBB\xBF\r\n\r\n".to_vec(),
            row: None,
            column: None,
            says: "The file is empty",
        },
        Bad {
            what: "header only",
            file: b"name,price\r\n".to_vec(),
            row: None,
            column: None,
            says: "no rows below the header",
        },
        Bad {
            what: "too many rows",
            file: format!("name,price\n{}", "Tea,10\n".repeat(100_001)).into_bytes(),
            row: None,
            column: None,
            says: "more than 100000 rows",
        },
        Bad {
            what: "too large",
            file: vec![b'a'; 50_000_001],
            row: None,
            column: None,
            says: "the most one import takes is 50 MB",
        },
        Bad {
            what: "too many cells in a row",
            file: format!("name,price\nTea,10{}\n", ",".repeat(100)).into_bytes(),
            row: Some(2),
            column: None,
            says: "more than 64 cells",
        },
    ];
    let before = snapshot(shop.dir.path());
    for case in cases {
        let plan = shop.store.plan_import(&shop.owner, &case.file).unwrap();
        let applied = shop
            .store
            .apply_import(&shop.owner, &case.file, NOW + 1)
            .unwrap();
        for report in [&plan, &applied] {
            assert!(!report.applied && !report.is_clean(), "{}", case.what);
            let found = problem_at(report, case.row, case.column);
            assert!(
                found.contains(case.says),
                "{}: {found:?} does not say {:?}",
                case.what,
                case.says
            );
        }
        assert_eq!(
            snapshot(shop.dir.path()),
            before,
            "{} wrote something",
            case.what
        );
    }
}

#[test]
fn a_file_with_bad_rows_reports_each_and_imports_once_put_right() {
    let mut shop = shop();
    shop.save(&ProductForm {
        name: "Ginger tea".into(),
        variants: vec![variant(&[], "TAKEN-1", "60", "", &[])],
        ..ProductForm::default()
    });
    let before = counts(shop.dir.path());
    let report = shop
        .store
        .apply_import(&shop.owner, &fixture("bad_rows.csv"), NOW)
        .unwrap();
    assert!(!report.applied);
    let placed: Vec<_> = report
        .problems
        .iter()
        .map(|p| (p.row.unwrap(), p.column.clone().unwrap()))
        .collect();
    let expected = [
        (2, "barcodes"),
        (3, "sku"),
        (4, "category"),
        (5, "price"),
        (6, "price"),
        (7, "sku"),
    ];
    assert_eq!(
        placed,
        expected.map(|(r, c)| (r, c.to_owned())),
        "{:#?}",
        report.problems
    );
    assert_eq!(
        counts(shop.dir.path()),
        before,
        "nothing is imported until it is clean"
    );

    let report = shop
        .store
        .apply_import(&shop.owner, &fixture("fixed_rows.csv"), NOW)
        .unwrap();
    assert!(report.applied, "{:#?}", report.problems);
    assert_eq!(report.products.created, 5);
    assert_eq!(count(shop.dir.path(), "products"), 6);
}

#[test]
fn a_file_of_many_bad_rows_lists_the_first_thousand_and_counts_the_rest() {
    let mut shop = shop();
    let file = format!("name,price\n{}", "Tea,ten\n".repeat(1500));
    let report = shop
        .store
        .apply_import(&shop.owner, file.as_bytes(), NOW)
        .unwrap();
    assert!(!report.applied && !report.is_clean());
    assert_eq!(report.problems.len(), galla_core::csv::MAX_PROBLEMS_SHOWN);
    assert_eq!(report.problems_not_shown, 500);
    assert_eq!(report.problems[0].row, Some(2));
    assert_eq!(report.problems[999].row, Some(1001));
}

#[test]
fn a_cashier_may_export_without_costs_but_not_import() {
    let mut shop = stocked_shop();
    let cashier = shop.cashier();
    let export = shop.store.export_csv(&cashier).unwrap();
    let header = export.lines().next().unwrap();
    assert!(!header.contains("cost"), "{header}");
    assert!(!export.contains("480.25"));

    let before = snapshot(shop.dir.path());
    let refused = |r: &Result<ImportReport, Error>| {
        matches!(r, Err(Error::Permission(e)) if *e == PermissionError {
            role: Role::Cashier,
            permission: Permission::ManageCatalog,
        })
    };
    let new_products = fixture("new_products.csv");
    assert!(refused(&shop.store.plan_import(&cashier, &new_products)));
    assert!(refused(&shop.store.apply_import(
        &cashier,
        &new_products,
        NOW
    )));
    assert!(refused(&shop.store.apply_import(
        &cashier,
        export.as_bytes(),
        NOW
    )));
    assert_eq!(snapshot(shop.dir.path()), before);

    // The owner importing the cashier's export keeps every cost: a missing column
    // changes nothing.
    let report = shop
        .store
        .apply_import(&shop.owner, export.as_bytes(), NOW)
        .unwrap();
    assert!(report.applied && report.changes.is_empty());
    assert_eq!(snapshot(shop.dir.path()), before);
}

#[test]
fn a_dry_run_says_what_would_change_and_writes_nothing() {
    let shop = shop();
    let before = snapshot(shop.dir.path());
    let plan = shop
        .store
        .plan_import(&shop.owner, &fixture("new_products.csv"))
        .unwrap();
    assert!(plan.is_clean() && !plan.applied);
    assert_eq!(plan.products.created, 3);
    assert_eq!(plan.variants.created, 5);
    assert_eq!(plan.stock_receipts, 4);
    let created: Vec<_> = plan
        .changes
        .iter()
        .map(|c| (c.row, c.name.as_str()))
        .collect();
    assert_eq!(
        created,
        [
            (2, "Cotton kurta"),
            (4, "Silk saree"),
            (6, "Assam tea 250 g")
        ]
    );
    assert_eq!(
        snapshot(shop.dir.path()),
        before,
        "not even the shop the opening stock would go into is made"
    );
}

#[test]
fn the_example_in_the_format_document_imports_as_it_says() {
    let doc = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/csv-format.md"),
    )
    .unwrap();
    let example = doc.split("```csv\n").nth(1).unwrap();
    let example = example.split("```").next().unwrap();
    let mut shop = shop();
    let report = shop
        .store
        .apply_import(&shop.owner, example.as_bytes(), NOW)
        .unwrap();
    assert!(report.applied, "{:#?}", report.problems);
    assert_eq!((report.products.created, report.variants.created), (2, 3));
    assert_eq!(report.stock_receipts, 2);
}

/// `products` products of `variants` variants each, all new, with opening stock.
fn generated_file(products: usize, variants: usize) -> String {
    let mut file = String::from(
        "handle,name,category,option1_name,option1_value,sku,barcodes,price,cost,opening_stock\n",
    );
    for p in 0..products {
        for v in 0..variants {
            let body = format!("890{:09}", p * variants + v);
            let code = format!("{body}{}", galla_core::barcode::check_digit(&body));
            file.push_str(&format!(
                "p{p},Generated item {p},Grocery > Tea,Pack,{v}00 g,GEN-{p}-{v},{code},{}.50,{},{}\n",
                100 + p % 900,
                50 + p % 400,
                1 + v
            ));
        }
    }
    file
}

#[test]
fn ten_thousand_rows_import_in_one_transaction_and_export_back() {
    // Timing is the bench's business (`cargo bench --bench csv_import`, release);
    // this checks that the issue's 10,000 rows go through in one piece.
    let mut shop = shop();
    let file = generated_file(5000, 2);
    let report = shop
        .store
        .apply_import(&shop.owner, file.as_bytes(), NOW)
        .unwrap();
    assert!(report.applied, "{:#?}", report.problems.first());
    assert_eq!(report.rows, 10_000);
    assert_eq!(
        (report.products.created, report.variants.created),
        (5000, 10_000)
    );
    assert_eq!(count(shop.dir.path(), "variants"), 10_000);
    assert_eq!(count(shop.dir.path(), "stock_movements"), 10_000);

    let export = shop.store.export_csv(&shop.owner).unwrap();
    assert_eq!(export.lines().count(), 10_001);
    let again = shop
        .store
        .plan_import(&shop.owner, export.as_bytes())
        .unwrap();
    assert!(again.is_clean());
    assert_eq!(again.products.unchanged, 5000);
}

#[test]
fn arbitrary_bytes_never_panic_and_never_write() {
    let shop = RefCell::new(shop());
    let before = counts(shop.borrow().dir.path());
    let mut runner = TestRunner::new(Config::with_cases(128));
    runner
        .run(&proptest::collection::vec(any::<u8>(), 0..4000), |bytes| {
            let mut shop = shop.borrow_mut();
            let owner = shop.owner.clone();
            let plan = shop.store.plan_import(&owner, &bytes).unwrap();
            let applied = shop.store.apply_import(&owner, &bytes, NOW).unwrap();
            prop_assert!(!plan.applied && !applied.applied);
            prop_assert_eq!(counts(shop.dir.path()), before.clone());
            Ok(())
        })
        .unwrap();
}

#[test]
fn arbitrary_csv_text_never_panics_and_writes_only_a_clean_file() {
    let shop = RefCell::new(shop());
    let mut runner = TestRunner::new(Config::with_cases(128));
    let body = "[a-zA-Z0-9 ,\"\r\n|>.'=\\-]{0,400}";
    let header = prop_oneof![
        Just("name,price,sku,category,option1_name,option1_value,barcodes,opening_stock\n"),
        Just("handle,name,price,sku\r\n"),
        Just(""),
    ];
    runner
        .run(&(header, body), |(header, body)| {
            let mut shop = shop.borrow_mut();
            let owner = shop.owner.clone();
            let file = format!("{header}{body}");
            let before = counts(shop.dir.path());
            let plan = shop.store.plan_import(&owner, file.as_bytes()).unwrap();
            prop_assert_eq!(counts(shop.dir.path()), before.clone());
            let applied = shop
                .store
                .apply_import(&owner, file.as_bytes(), NOW)
                .unwrap();
            prop_assert_eq!(applied.applied, plan.is_clean());
            if !applied.applied {
                prop_assert_eq!(counts(shop.dir.path()), before);
            }
            Ok(())
        })
        .unwrap();
}
