//! The counter's hot paths on a generated shop of 100,000 products (about 300,000
//! variants, all taxed at GST 18%): scan to line (the barcode lookup, the line added and
//! the cart re-totalled, as the terminal does per scan), completing a 5-line sale with
//! its durable commit, and opening the POS (the store opened and the POS state read).
//! Floors measured in the same run on the same file: a primary-key read of one variant,
//! and a durable commit of a one-row insert.
//!
//! `cargo bench -p galla-core --bench pos`; `GALLA_BENCH_PRODUCTS` changes the size.
//! Prints figures and asserts nothing: speed is measured here, never in tests.
#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use galla_core::demo::generate_catalog;
use galla_core::pos::calendar::local_date;
use galla_core::pos::payment::{Method, Tender};
use galla_core::pos::Cart;
use galla_core::Store;

const SEED: u64 = 42;
const NOW: u64 = 1_795_242_600_000;

fn main() {
    let products: usize = std::env::var("GALLA_BENCH_PRODUCTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    let started = Instant::now();
    let loaded = store
        .load_generated_catalog(generate_catalog(SEED, products), NOW)
        .unwrap();
    println!(
        "loaded {} products, {} variants in {:.1} s",
        loaded.products,
        loaded.variants,
        started.elapsed().as_secs_f64()
    );
    let raw =
        rusqlite::Connection::open(dir.path().join(galla_core::store::STORE_FILE_NAME)).unwrap();
    raw.execute(
        "UPDATE products SET tax_class = 'GST 18%', hsn_code = '6204'",
        [],
    )
    .unwrap();
    let owner = store.create_first_owner("Asha", "2580", NOW).unwrap();
    store.open_shift(&owner, "0", NOW).unwrap();

    let barcodes: Vec<String> = generate_catalog(SEED, products)
        .step_by((products / 500).max(1))
        .filter(|p| p.status != galla_core::ProductStatus::Archived)
        .flat_map(|p| p.variants.into_iter().map(|v| v.barcode))
        .collect();
    let variant_ids: Vec<String> = raw
        .prepare("SELECT id FROM variants ORDER BY random() LIMIT 1000")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let settings = store.pos_settings().unwrap();
    let rates = store.tax_rates().unwrap();
    let date = local_date(NOW, settings.utc_offset_minutes);

    // Floor: a primary-key read of one variant row.
    let floor_read = measure(variant_ids.len(), |i| {
        let _: i64 = raw
            .prepare_cached("SELECT price_minor FROM variants WHERE id = ?1")
            .unwrap()
            .query_row([&variant_ids[i]], |r| r.get(0))
            .unwrap();
    });
    report("floor: read one variant by primary key", &floor_read);

    // Scan to line: a cart of up to 10 lines, re-totalled after every scan.
    let mut cart = Cart::default();
    let scans = measure(barcodes.len().min(2_000), |i| {
        if i % 10 == 0 {
            cart = Cart::default();
        }
        let found = store.scan(&barcodes[i % barcodes.len()]).unwrap();
        cart.add(found.item, found.quantity).unwrap();
        let totals = cart.totals(&rates, &date, false, settings.rules).unwrap();
        assert!(totals.total_minor > 0);
    });
    report("scan to line (lookup, add, re-total)", &scans);

    // Floor: a durable (synchronous=FULL, WAL) commit of a one-row insert.
    raw.execute_batch(
        "PRAGMA synchronous = FULL; CREATE TABLE bench_floor (id INTEGER PRIMARY KEY, v TEXT)",
    )
    .unwrap();
    let floor_commit = measure(300, |i| {
        raw.execute("INSERT INTO bench_floor (v) VALUES (?1)", [i.to_string()])
            .unwrap();
    });
    report("floor: durable commit of one row", &floor_commit);

    // Completing a 5-line sale, durable commit included.
    let carts: Vec<Cart> = (0..300)
        .map(|n| {
            let mut cart = Cart::default();
            for k in 0..5 {
                let found = store.scan(&barcodes[(n * 5 + k) % barcodes.len()]).unwrap();
                cart.add(found.item, found.quantity).unwrap();
            }
            cart
        })
        .collect();
    let sales = measure(carts.len(), |i| {
        let cash = Tender {
            method: Method::Cash,
            amount_minor: 100_000_000,
            reference: None,
        };
        store
            .complete_sale(&owner, &carts[i], &[cash], NOW + i as u64)
            .unwrap();
    });
    report("complete a 5-line sale (durable)", &sales);

    // Opening the POS: the store opened and what the Sell screen first reads.
    drop(store);
    let opens = measure(20, |_| {
        let store = Store::open_in(dir.path()).unwrap();
        store.pos_settings().unwrap();
        store.tax_rates().unwrap();
        store.current_shift().unwrap().unwrap();
        store.parked_sales().unwrap();
    });
    report("open the POS (open store + first reads)", &opens);
}

fn measure(runs: usize, mut f: impl FnMut(usize)) -> Vec<Duration> {
    let mut times = Vec::with_capacity(runs);
    for i in 0..runs {
        let t = Instant::now();
        f(i);
        times.push(t.elapsed());
    }
    times.sort();
    times
}

fn report(what: &str, sorted: &[Duration]) {
    let at = |q: usize| sorted[(sorted.len() * q / 100).min(sorted.len() - 1)];
    println!(
        "{what:<44} n={:<5} p50 {:>8} ms   p99 {:>8} ms",
        sorted.len(),
        ms(at(50)),
        ms(at(99))
    );
}

fn ms(d: Duration) -> String {
    let micros = d.as_micros();
    format!("{}.{:03}", micros / 1000, micros % 1000)
}
