//! The real `galla` binary in a real window (Xvfb), driven over WebDriver through
//! tauri-driver and WebKitWebDriver, the way the owner would use it. Screenshots of each
//! step land in target/e2e/<test>/.
#![allow(clippy::unwrap_used)]

mod webdriver;

use std::path::{Path, PathBuf};

use galla_core::Store;
use webdriver::{Session, TauriDriver, ENTER};

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

fn row_text(s: &Session, product: &str) -> webdriver::Result<String> {
    let row = s.find(&format!("//tr[td[normalize-space()='{product}']]"))?;
    s.text(&row)
}

fn rows_named(s: &Session, product: &str) -> usize {
    s.find_all(&format!("//tr[td[normalize-space()='{product}']]"))
        .map(|rows| rows.len())
        .unwrap_or(0)
}

#[test]
fn owner_adds_edits_and_archives_a_product_and_finds_it_after_a_restart() {
    let data = tempfile::tempdir().unwrap();
    let shots = screenshot_folder("product-slice");
    let driver = TauriDriver::start(&[("GALLA_DATA_DIR", data.path())]).unwrap();

    // First run: an empty shop.
    let s = Session::open(&driver, &app_binary(), &shots).unwrap();
    s.heading("Products").unwrap();
    assert!(s.page_text().unwrap().contains("No products yet"));
    s.screenshot("01-empty-list").unwrap();

    // Invalid input is refused beside the field and writes nothing.
    s.click(&s.button("Add product").unwrap()).unwrap();
    s.heading("Add product").unwrap();
    s.click(&s.button("Save").unwrap()).unwrap();
    assert!(s
        .field_error("Name")
        .unwrap()
        .contains("Enter a product name"));
    s.fill("Name", "Silk saree").unwrap();
    s.fill("Price", "twelve").unwrap();
    s.click(&s.button("Save").unwrap()).unwrap();
    assert!(s.field_error("Price").unwrap().contains("price"));
    s.fill("Price", "-5").unwrap();
    s.click(&s.button("Save").unwrap()).unwrap();
    assert!(
        !s.field_error("Price").unwrap().is_empty(),
        "a negative price must be refused"
    );
    s.fill("Price", "1299.50").unwrap();
    s.fill("SKU", "SAR-001").unwrap();
    s.fill("Barcode", "8901030865230").unwrap();
    s.click(&s.button("Save").unwrap()).unwrap();
    let barcode_error = s.field_error("Barcode").unwrap();
    assert!(
        barcode_error.contains("check digit"),
        "a wrong EAN-13 check digit must be named as such: {barcode_error}"
    );
    s.screenshot("02-wrong-check-digit").unwrap();

    // Fixed, it saves and shows in the list with the price in rupees.
    s.fill("Barcode", "8901030865237").unwrap();
    s.type_text(&s.field("Barcode").unwrap(), ENTER).unwrap();
    s.heading("Products").unwrap();
    let row = row_text(&s, "Silk saree").unwrap();
    for expected in ["SAR-001", "8901030865237", "₹1,299.50"] {
        assert!(row.contains(expected), "row {row:?} should show {expected}");
    }
    s.screenshot("03-first-product").unwrap();

    // A SKU already used, whatever its case, is refused by the store itself.
    s.click(&s.button("Add product").unwrap()).unwrap();
    s.fill("Name", "Cotton kurta").unwrap();
    s.fill("Price", "100000").unwrap();
    s.fill("SKU", "sar-001").unwrap();
    s.click(&s.button("Save").unwrap()).unwrap();
    assert!(s.field_error("SKU").unwrap().contains("already used"));
    s.screenshot("04-sku-taken").unwrap();
    s.fill("SKU", "KUR-1").unwrap();
    s.click(&s.button("Save").unwrap()).unwrap();
    s.heading("Products").unwrap();
    assert!(
        row_text(&s, "Cotton kurta")
            .unwrap()
            .contains("₹1,00,000.00"),
        "Indian digit grouping"
    );

    // Edit the saree's price.
    s.click(&s.button("Edit Silk saree").unwrap()).unwrap();
    s.heading("Edit product").unwrap();
    s.fill("Price", "1350").unwrap();
    s.click(&s.button("Save").unwrap()).unwrap();
    s.heading("Products").unwrap();
    s.wait_for("the new price", || {
        Ok(row_text(&s, "Silk saree")?
            .contains("₹1,350.00")
            .then_some(()))
    })
    .unwrap();

    // Archive the kurta, after confirming.
    s.click(&s.button("Archive Cotton kurta").unwrap()).unwrap();
    let dialog = s.find("//*[@role='dialog']").unwrap();
    assert!(s.text(&dialog).unwrap().contains("Archive Cotton kurta?"));
    s.screenshot("05-confirm-archive").unwrap();
    s.click(
        &s.find("//*[@role='dialog']//button[normalize-space()='Archive']")
            .unwrap(),
    )
    .unwrap();
    s.wait_for("the kurta to leave the list", || {
        Ok((rows_named(&s, "Cotton kurta") == 0).then_some(()))
    })
    .unwrap();
    s.screenshot("06-after-archive").unwrap();
    s.quit().unwrap();

    // Second run of the app on the same data folder: everything is still there.
    let s = Session::open(&driver, &app_binary(), &shots).unwrap();
    s.heading("Products").unwrap();
    let row = row_text(&s, "Silk saree").unwrap();
    assert!(
        row.contains("₹1,350.00") && row.contains("SAR-001"),
        "after restart: {row:?}"
    );
    assert_eq!(
        rows_named(&s, "Cotton kurta"),
        0,
        "the archived kurta stays archived"
    );
    s.click(&s.field("Show archived").unwrap()).unwrap();
    s.wait_for("the archived kurta", || {
        Ok((rows_named(&s, "Cotton kurta") == 1).then_some(()))
    })
    .unwrap();
    assert!(row_text(&s, "Cotton kurta")
        .unwrap()
        .to_lowercase()
        .contains("archived"));
    s.screenshot("07-after-restart").unwrap();
    s.quit().unwrap();
    drop(driver);

    // The store on disk holds exactly the accepted changes: nothing from refused input.
    let store = Store::open_in(data.path()).unwrap();
    let changes: Vec<String> = store
        .pending_changes()
        .unwrap()
        .into_iter()
        .map(|c| format!("{} {}", c.entity, c.op))
        .collect();
    assert_eq!(
        changes,
        [
            "product create",
            "variant create",
            "barcode upsert", // the saree
            "product create",
            "variant create",
            "barcode upsert", // the kurta, with the internal code it was given
            "variant update", // the saree's new price
            "product update", // the kurta archived
        ],
        "exactly the accepted changes are queued for sync"
    );
}
