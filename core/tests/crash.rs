//! Killing the counter in the middle of completing sales leaves every sale whole or
//! absent, and the receipt series without a gap. The test runs itself again as a child
//! process that sells as fast as it can, kills it with SIGKILL at varied moments, and
//! checks the store file after each kill.
#![allow(clippy::unwrap_used)]

use std::process::{Command, Stdio};
use std::time::Duration;

use galla_core::catalog::{ProductForm, ProductSpec, VariantForm};
use galla_core::pos::payment::{Method, Tender};
use galla_core::pos::Cart;
use galla_core::{Currency, Quantity, Store};

const CHILD_ENV: &str = "GALLA_CRASH_TEST_STORE";
const NOW: u64 = 1_795_242_600_000;
const BARCODE: &str = "8901030865237";
const TEST_NAME: &str = "killing_the_app_mid_sale_leaves_whole_sales_and_no_gaps";

fn set_up(folder: &std::path::Path) {
    let mut store = Store::open_in(folder).unwrap();
    let owner = store.create_first_owner("Asha", "2580", NOW).unwrap();
    let form = ProductForm {
        name: "Kurta".into(),
        tax_class: "GST 18%".into(),
        hsn_code: "6204".into(),
        variants: vec![VariantForm {
            price: "118".into(),
            barcodes: vec![BARCODE.into()],
            ..VariantForm::default()
        }],
        ..ProductForm::default()
    };
    store
        .save_product(
            &owner,
            None,
            &ProductSpec::parse(&form, Currency::INR).unwrap(),
            NOW,
        )
        .unwrap();
    store.open_shift(&owner, "0", NOW).unwrap();
}

/// The child: sells two kurtas at a time until it is killed.
fn sell_forever(folder: &std::path::Path) -> ! {
    let mut store = Store::open_in(folder).unwrap();
    let owner_id = store.list_staff(false).unwrap()[0].id;
    let owner = store.unlock_with_pin(owner_id, "2580", NOW).unwrap();
    let mut at = NOW;
    loop {
        let found = store.scan(BARCODE).unwrap();
        let mut cart = Cart::default();
        cart.add(found.item, Quantity::from_milli(2000)).unwrap();
        at += 1;
        let cash = Tender {
            method: Method::Cash,
            amount_minor: 30_000,
            reference: None,
        };
        store.complete_sale(&owner, &cart, &[cash], at).unwrap();
    }
}

fn check(folder: &std::path::Path) -> i64 {
    let conn = rusqlite::Connection::open(folder.join("galla.sqlite3")).unwrap();
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    let one = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    let sales = one("SELECT count(*) FROM sales");
    // The series' counter and the sales agree, and the numbers run 1..=n.
    let last = one("SELECT coalesce(max(last_number), 0) FROM receipt_series");
    assert_eq!(last, sales, "receipt counter {last} but {sales} sales");
    let mut numbers: Vec<String> = conn
        .prepare("SELECT number FROM sales ORDER BY number")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    numbers.sort();
    let expected: Vec<String> = (1..=sales).map(|n| format!("S1-C1-{n:06}")).collect();
    assert_eq!(
        numbers, expected,
        "the receipt series has a gap or a duplicate"
    );
    // Each sale is whole: its line, payment, stock movement and outbox entry.
    assert_eq!(one("SELECT count(*) FROM sale_lines"), sales);
    assert_eq!(one("SELECT count(*) FROM payments"), sales);
    assert_eq!(
        one("SELECT count(*) FROM stock_movements WHERE kind = 'sale'"),
        sales
    );
    assert_eq!(
        one("SELECT count(*) FROM outbox WHERE entity = 'sale'"),
        sales
    );
    assert_eq!(
        one("SELECT count(*) FROM sales s WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE o.entity = 'sale' AND o.entity_id = s.id)"),
        0
    );
    assert_eq!(
        one("SELECT coalesce(sum(on_hand_milli), 0) FROM stock_levels"),
        -2000 * sales
    );
    sales
}

#[test]
fn killing_the_app_mid_sale_leaves_whole_sales_and_no_gaps() {
    if let Some(folder) = std::env::var_os(CHILD_ENV) {
        sell_forever(std::path::Path::new(&folder));
    }
    let dir = tempfile::tempdir().unwrap();
    set_up(dir.path());
    let mut total = 0;
    // Kill after varied delays so the kill lands at different points of a commit.
    for (round, delay_ms) in [40u64, 95, 150, 61, 230, 77, 180, 123]
        .into_iter()
        .enumerate()
    {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", TEST_NAME, "--nocapture", "--test-threads=1"])
            .env(CHILD_ENV, dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms + 200));
        child.kill().unwrap();
        let status = child.wait().unwrap();
        assert!(
            !status.success(),
            "round {round}: the child stopped by itself"
        );
        let now = check(dir.path());
        assert!(now >= total, "round {round}: sales went missing");
        total = now;
    }
    // The kills were real: sales were being made between them.
    assert!(
        total > 8,
        "only {total} sales were made; the child may not be selling"
    );
    // And the store still sells after all that, continuing the series.
    let mut store = Store::open_in(dir.path()).unwrap();
    let owner_id = store.list_staff(false).unwrap()[0].id;
    let owner = store.unlock_with_pin(owner_id, "2580", NOW).unwrap();
    let found = store.scan(BARCODE).unwrap();
    let mut cart = Cart::default();
    cart.add(found.item, Quantity::from_milli(1000)).unwrap();
    let cash = Tender {
        method: Method::Cash,
        amount_minor: 11_800,
        reference: None,
    };
    let doc = store
        .complete_sale(&owner, &cart, &[cash], NOW + 10_000_000)
        .unwrap();
    assert_eq!(doc.number, format!("S1-C1-{:06}", total + 1));
}
