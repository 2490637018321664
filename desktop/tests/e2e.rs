//! The real `galla` binary in a real window (Xvfb), driven over WebDriver through
//! tauri-driver and WebKitWebDriver, by what a person sees: headings, labels, buttons.
//! Screenshots of each step land in target/e2e/<test>/.
#![allow(clippy::unwrap_used)]

mod webdriver;

use std::path::{Path, PathBuf};

use galla_core::{AuditAction, AuditFilter, Store};
use webdriver::{Session, TauriDriver};

const OWNER_PIN: &str = "2580";
const CASHIER_PIN: &str = "1357";

fn app_binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_galla"))
}

/// target/e2e/<name>, beside the binary's profile folder.
fn screenshot_folder(name: &str) -> PathBuf {
    let binary = app_binary();
    let target = binary
        .parent()
        .and_then(Path::parent)
        .expect("the binary lives in target/<profile>/");
    let folder = target.join("e2e").join(name);
    let _ = std::fs::remove_dir_all(&folder);
    folder
}

fn nav(s: &Session, page: &str) {
    let button = s
        .find(&format!("//nav//button[normalize-space()='{page}']"))
        .unwrap();
    s.click(&button).unwrap();
    s.heading(page).unwrap();
}

fn nav_has(s: &Session, page: &str) -> bool {
    !s.find_all(&format!("//nav//button[normalize-space()='{page}']"))
        .unwrap()
        .is_empty()
}

/// The PIN screen: pick the person, type the PIN.
fn sign_in(s: &Session, name: &str, pin: &str) {
    s.heading("Who is working?").unwrap();
    let person = s
        .find(&format!(
            "//button[starts-with(normalize-space(), '{name}')]"
        ))
        .unwrap();
    s.click(&person).unwrap();
    s.fill("PIN", pin).unwrap();
    s.click(&s.button("Sign in").unwrap()).unwrap();
    s.heading("Products").unwrap();
}

fn wait_for_text(s: &Session, what: &str) {
    s.wait_for(&format!("{what:?} on the page"), || {
        Ok(s.page_text()?.contains(what).then_some(()))
    })
    .unwrap();
}

fn history_rows(s: &Session, count: usize) -> Vec<String> {
    s.wait_for(&format!("{count} rows of stock history"), || {
        let rows = s.table_rows("Stock history")?;
        Ok((rows.len() == count).then_some(rows))
    })
    .unwrap()
}

#[test]
fn owner_builds_a_product_with_variants_works_its_stock_and_a_cashier_finds_the_price_locked() {
    let data = tempfile::tempdir().unwrap();
    let shots = screenshot_folder("back-office");
    let driver = TauriDriver::start(&[("GALLA_DATA_DIR", data.path())]).unwrap();
    let s = Session::open(&driver, &app_binary(), &shots).unwrap();

    // First start: the owner sets themselves up and lands in the back office.
    s.heading("Set up Galla").unwrap();
    s.screenshot("01-set-up").unwrap();
    s.fill("Your name", "Asha").unwrap();
    s.fill("PIN", OWNER_PIN).unwrap();
    s.fill("PIN again", OWNER_PIN).unwrap();
    s.click(&s.button("Start").unwrap()).unwrap();
    s.heading("Products").unwrap();
    wait_for_text(&s, "No products yet");

    // A category to file the product under.
    nav(&s, "Categories");
    s.fill("Category name", "Kurtas").unwrap();
    s.click(&s.button("Add category").unwrap()).unwrap();
    s.button("Archive Kurtas").unwrap();

    // A product with two sizes; a wrong check digit is named beside its field.
    nav(&s, "Products");
    s.click(&s.button("Add product").unwrap()).unwrap();
    s.heading("New product").unwrap();
    s.fill("Name", "Silk kurta").unwrap();
    s.choose("Category", "Kurtas").unwrap();
    s.click(&s.button("Add option").unwrap()).unwrap();
    s.fill("Option 1 name", "Size").unwrap();
    s.fill("Size, variant 1", "M").unwrap();
    s.fill("SKU, variant 1", "KUR-M").unwrap();
    s.fill("Price, variant 1", "1299.50").unwrap();
    s.click(&s.button("Add variant").unwrap()).unwrap();
    s.fill("Size, variant 2", "L").unwrap();
    s.fill("SKU, variant 2", "KUR-L").unwrap();
    s.fill("Price, variant 2", "1349").unwrap();
    s.fill_and_leave("Barcodes, variant 1", "8901030865230")
        .unwrap();
    s.click(&s.button("Save").unwrap()).unwrap();
    let error = s.field_error("Barcodes, variant 1").unwrap();
    assert!(error.contains("check digit"), "{error}");
    s.screenshot("02-wrong-check-digit").unwrap();
    s.fill_and_leave("Barcodes, variant 1", "8901030865237")
        .unwrap();
    s.click(&s.button("Save").unwrap()).unwrap();
    s.heading("Edit Silk kurta").unwrap();
    wait_for_text(&s, "Saved Silk kurta.");
    s.screenshot("03-saved-with-variants").unwrap();

    // Stock for size M: receive 10, two damaged, a count finds 7.
    s.choose("Item", "M").unwrap();
    s.fill("Quantity received", "10").unwrap();
    s.click(&s.button("Record receipt").unwrap()).unwrap();
    history_rows(&s, 1);
    s.fill("Change by", "-2").unwrap();
    s.choose("Reason", "Damaged").unwrap();
    s.fill("Adjustment note", "dropped").unwrap();
    s.click(&s.button("Record adjustment").unwrap()).unwrap();
    history_rows(&s, 2);
    s.fill("Counted on shelf", "7").unwrap();
    s.click(&s.button("Record count").unwrap()).unwrap();
    let rows = history_rows(&s, 3);
    assert!(
        rows[0].contains("Counted") && rows[0].contains("-1"),
        "{rows:?}"
    );
    assert!(
        rows[1].contains("Damaged") && rows[1].contains("-2"),
        "{rows:?}"
    );
    assert!(
        rows[2].contains("Received") && rows[2].contains("+10"),
        "{rows:?}"
    );
    s.screenshot("04-stock-history").unwrap();

    // The list shows the product with its price in rupees and its variants.
    s.click(&s.button("Back to products").unwrap()).unwrap();
    s.heading("Products").unwrap();
    wait_for_text(&s, "₹1,299.50");
    wait_for_text(&s, "2 variants");
    s.screenshot("05-list").unwrap();

    // A cashier joins; signed in, they see the price but cannot change it.
    nav(&s, "Staff");
    s.fill("Name", "Ravi").unwrap();
    s.choose("Role", "Cashier").unwrap();
    s.fill("PIN", CASHIER_PIN).unwrap();
    s.click(&s.button("Add person").unwrap()).unwrap();
    s.button("Archive Ravi").unwrap();
    s.click(&s.button("Sign out").unwrap()).unwrap();
    s.screenshot("06-pin-screen").unwrap();
    sign_in(&s, "Ravi", CASHIER_PIN);
    assert!(!nav_has(&s, "Staff"), "a cashier has no staff page");
    assert!(!nav_has(&s, "Audit log"), "nor the audit log");
    // Found the way the counter finds things: type in the search box, Enter opens the
    // one match.
    s.fill("Search products", "silk kur").unwrap();
    s.type_text(&s.field("Search products").unwrap(), webdriver::ENTER)
        .unwrap();
    s.heading("Edit Silk kurta").unwrap();
    let price = s.field("Price, variant 1").unwrap();
    assert_eq!(
        s.property(&price, "readOnly").unwrap(),
        serde_json::json!(true),
        "the price field is locked for a cashier"
    );
    wait_for_text(&s, "Only a manager or the owner can change prices.");
    s.screenshot("07-cashier-price-locked").unwrap();
    s.quit().unwrap();
    drop(driver);

    // On disk: the ledger and the audit log hold what was done, by whom.
    let mut store = Store::open_in(data.path()).unwrap();
    let kurta = store
        .search_products(&galla_core::ProductQuery::text("kurta"))
        .unwrap();
    assert_eq!(kurta.len(), 1);
    let product = store.product(kurta[0].product_id).unwrap().unwrap();
    assert_eq!(product.variants.len(), 2);
    assert!(product.category_id.is_some());
    let shop = store.current_shop(0).unwrap().id;
    let medium = &product.variants[0];
    assert_eq!(medium.option_values, ["M"]);
    assert_eq!(store.on_hand(medium.id, shop).unwrap().milli(), 7_000);
    let asha = store
        .list_staff(false)
        .unwrap()
        .into_iter()
        .find(|m| m.name == "Asha")
        .unwrap();
    let asha = store.unlock_with_pin(asha.id, OWNER_PIN, 1).unwrap();
    for (action, before, after) in [
        (AuditAction::StockAdjusted, "10", "8"),
        (AuditAction::StockCounted, "8", "7"),
    ] {
        let filter = AuditFilter {
            action: Some(action),
            ..AuditFilter::default()
        };
        let entries = store.audit_entries(&asha, &filter).unwrap();
        assert_eq!(entries.len(), 1, "{action:?}");
        assert_eq!(entries[0].staff_name.as_deref(), Some("Asha"));
        assert_eq!(
            (
                entries[0].old_value.as_deref(),
                entries[0].new_value.as_deref()
            ),
            (Some(before), Some(after))
        );
    }
}

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../core/tests/data/csv")
        .join(name);
    std::fs::read(&path).unwrap()
}

/// A shop with an owner, the categories the CSV fixtures file under, and one product
/// whose SKU a bad row tries to take.
fn shop_ready_for_import(folder: &Path) {
    let mut store = Store::open_in(folder).unwrap();
    let owner = store.create_first_owner("Asha", OWNER_PIN, 1).unwrap();
    let clothing = store.create_category(&owner, "Clothing", None, 1).unwrap();
    let grocery = store.create_category(&owner, "Grocery", None, 1).unwrap();
    for (name, parent) in [
        ("Kurtas", clothing.id),
        ("Sarees", clothing.id),
        ("Tea", grocery.id),
    ] {
        store
            .create_category(&owner, name, Some(parent), 1)
            .unwrap();
    }
    let draft = galla_core::ProductDraft::parse(
        &galla_core::ProductFields {
            name: "Tea strainer",
            price: "60",
            sku: "TAKEN-1",
            barcode: "",
        },
        store.shop().currency,
    )
    .unwrap();
    store.create_product(&owner, &draft, 1).unwrap();
}

#[test]
fn a_csv_with_bad_rows_is_reported_row_by_row_and_imports_nothing_until_fixed() {
    let data = tempfile::tempdir().unwrap();
    let exports = tempfile::tempdir().unwrap();
    shop_ready_for_import(data.path());
    let shots = screenshot_folder("csv-import");
    let driver = TauriDriver::start(&[
        ("GALLA_DATA_DIR", data.path()),
        ("GALLA_EXPORT_DIR", exports.path()),
    ])
    .unwrap();
    let s = Session::open(&driver, &app_binary(), &shots).unwrap();
    sign_in(&s, "Asha", OWNER_PIN);
    nav(&s, "Import / export");

    // The bad file: every bad row named, nothing imported, Import not offered.
    s.attach_file("CSV file", "products.csv", &fixture("bad_rows.csv"))
        .unwrap();
    s.click(&s.button("Check file").unwrap()).unwrap();
    let problems = s
        .wait_for("the problems table", || {
            let rows = s.table_rows("Problems")?;
            Ok((!rows.is_empty()).then_some(rows))
        })
        .unwrap();
    let all = problems.join("\n");
    for (row, needle) in [
        ("2", "check digit"),
        ("3", "KUR-M"),
        ("4", "Sareez"),
        ("5", "12,5O"),
        ("7", "TAKEN-1"),
    ] {
        assert!(
            problems
                .iter()
                .any(|p| p.starts_with(row) && p.contains(needle)),
            "row {row} should mention {needle}: {all}"
        );
    }
    assert!(problems.iter().any(|p| p.starts_with('6')), "{all}");
    wait_for_text(
        &s,
        "Nothing was imported. Fix these rows and check the file again.",
    );
    let import = s.button("Import").unwrap();
    assert_eq!(
        s.property(&import, "disabled").unwrap(),
        serde_json::json!(true)
    );
    s.screenshot("01-problems").unwrap();
    assert_eq!(
        Store::open_in(data.path())
            .unwrap()
            .product_count()
            .unwrap(),
        1,
        "a file with problems writes nothing"
    );

    // The fixed file checks clean and imports.
    s.attach_file("CSV file", "products.csv", &fixture("fixed_rows.csv"))
        .unwrap();
    s.click(&s.button("Check file").unwrap()).unwrap();
    wait_for_text(&s, "5 products to create");
    s.screenshot("02-clean-dry-run").unwrap();
    assert_eq!(
        Store::open_in(data.path())
            .unwrap()
            .product_count()
            .unwrap(),
        1,
        "a dry run writes nothing"
    );
    let import = s.button("Import").unwrap();
    s.wait_for("Import to be offered", || {
        Ok((s.property(&import, "disabled")? == serde_json::json!(false)).then_some(()))
    })
    .unwrap();
    s.click(&import).unwrap();
    wait_for_text(&s, "Imported: 5 products created");
    s.screenshot("03-imported").unwrap();

    // Export writes the catalog where the shop keeps its files.
    s.click(&s.button("Export products").unwrap()).unwrap();
    wait_for_text(&s, "Exported 6 products");
    nav(&s, "Products");
    wait_for_text(&s, "Cotton kurta");
    s.screenshot("04-products-after-import").unwrap();
    s.quit().unwrap();
    drop(driver);

    let store = Store::open_in(data.path()).unwrap();
    assert_eq!(store.product_count().unwrap(), 6);
    let exported: Vec<PathBuf> = std::fs::read_dir(exports.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(exported.len(), 1, "{exported:?}");
    let text = std::fs::read_to_string(&exported[0]).unwrap();
    for sku in ["KUR-M", "KUR-L", "SAR-RED", "GINGER-1", "TAKEN-1"] {
        assert!(text.contains(sku), "the export lists {sku}");
    }
}
