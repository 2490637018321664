//! CSV import of 10,000 rows (the figure) into a fresh store on disk, with
//! durable writes (WAL, synchronous=FULL) as the app runs: the dry run, the import,
//! the export of the result, and importing that export again (which must change
//! nothing). Beside them, a floor measured in the same run on the same disk: 10,000
//! plain rows inserted into one SQLite table in one transaction with the same pragmas.
//!
//! `cargo bench -p galla-core --bench csv_import`; `GALLA_BENCH_ROWS` changes the size.
//! Prints figures and asserts nothing: speed is measured here, never in tests.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::fmt::Write;
use std::time::{Duration, Instant};

use galla_core::demo::generate_catalog;
use galla_core::store::STORE_FILE_NAME;
use galla_core::{ImportReport, Store};

const SEED: u64 = 7;
const NOW: u64 = 1_763_700_000_000;

fn main() {
    let rows: usize = std::env::var("GALLA_BENCH_ROWS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000);
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    let owner = store.create_first_owner("Asha", "2580", NOW).unwrap();
    let (file, products, paths) = generated_csv(rows);
    // An import does not create categories, so the shop has them first.
    for path in &paths {
        let mut parent = None;
        for name in path {
            let known = store.categories().unwrap();
            let found = known
                .iter()
                .find(|c| c.name == *name && c.parent_id == parent);
            parent = Some(match found {
                Some(category) => category.id,
                None => store.create_category(&owner, name, parent, NOW).unwrap().id,
            });
        }
    }
    println!(
        "{rows} rows ({products} products, {} KB of CSV), {} CPUs",
        file.len() / 1000,
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!();

    let floor = floor(dir.path(), rows);
    println!("{:<52} {:>9}", "", "ms");
    println!(
        "{:<52} {:>9}",
        format!("floor: {rows} plain rows, one transaction"),
        ms(floor)
    );

    let started = Instant::now();
    let plan = store.plan_import(&owner, file.as_bytes()).unwrap();
    line(
        "plan (dry run) of the new catalog",
        started.elapsed(),
        &plan,
    );
    let started = Instant::now();
    let applied = store.apply_import(&owner, file.as_bytes(), NOW).unwrap();
    line(
        "apply: plan again and write it all",
        started.elapsed(),
        &applied,
    );
    let started = Instant::now();
    let export = store.export_csv(&owner).unwrap();
    println!(
        "{:<52} {:>9}   {} KB",
        "export the result",
        ms(started.elapsed()),
        export.len() / 1000
    );
    let started = Instant::now();
    let again = store.plan_import(&owner, export.as_bytes()).unwrap();
    line(
        "plan of the export (all unchanged)",
        started.elapsed(),
        &again,
    );
    let started = Instant::now();
    let again = store
        .apply_import(&owner, export.as_bytes(), NOW + 1)
        .unwrap();
    line(
        "apply of the export (writes nothing)",
        started.elapsed(),
        &again,
    );
    let edited = export.replace(".00,", ".50,");
    let started = Instant::now();
    let priced = store
        .apply_import(&owner, edited.as_bytes(), NOW + 2)
        .unwrap();
    line(
        "apply of the export with every price changed",
        started.elapsed(),
        &priced,
    );
}

fn line(label: &str, took: Duration, report: &ImportReport) {
    println!(
        "{label:<52} {:>9}   created {} / updated {} / unchanged {} products, {} problems{}",
        ms(took),
        report.products.created,
        report.products.updated,
        report.products.unchanged,
        report.problems.len() + report.problems_not_shown,
        if report.applied { ", applied" } else { "" }
    );
}

/// `rows` variant rows from the demo generator (the last product cut short to land on
/// `rows` exactly), with the category paths they name and how many products there are.
fn generated_csv(rows: usize) -> (String, usize, BTreeSet<Vec<String>>) {
    let mut file = String::from(
        "handle,name,description,category,status,option1_name,option1_value,sku,barcodes,price,opening_stock\n",
    );
    let mut paths = BTreeSet::new();
    let mut written = 0;
    let mut products = 0;
    for (index, product) in generate_catalog(SEED, rows).enumerate() {
        if written == rows {
            break;
        }
        products += 1;
        paths.insert(product.category.clone());
        let option = product.option_names.first().cloned().unwrap_or_default();
        for variant in product.variants.iter().take(rows - written) {
            let value = variant.option_values.first().cloned().unwrap_or_default();
            writeln!(
                file,
                "p{index},{},{},{},{},{option},{value},{},{},{}.{:02},{}",
                quoted(&product.name),
                quoted(&product.description),
                product.category.join(" > "),
                product.status.as_str(),
                variant.sku,
                variant.barcode,
                variant.price_minor / 100,
                variant.price_minor % 100,
                1 + written % 20,
            )
            .unwrap();
            written += 1;
        }
    }
    (file, products, paths)
}

fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// 10,000 rows of about the size of a variant row into a table of their own, in one
/// transaction, on a file opened with the store's pragmas.
fn floor(dir: &std::path::Path, rows: usize) -> Duration {
    let path = dir.join(format!("floor-{STORE_FILE_NAME}"));
    let mut conn = rusqlite::Connection::open(path).unwrap();
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    conn.pragma_update(None, "synchronous", "FULL").unwrap();
    conn.execute_batch(
        "CREATE TABLE rows (id TEXT PRIMARY KEY, product TEXT NOT NULL, sku TEXT UNIQUE,
             price_minor INTEGER NOT NULL, barcode TEXT UNIQUE)",
    )
    .unwrap();
    let started = Instant::now();
    let tx = conn.transaction().unwrap();
    {
        let mut insert = tx
            .prepare("INSERT INTO rows VALUES (?1, ?2, ?3, ?4, ?5)")
            .unwrap();
        for i in 0..rows {
            let id = galla_core::id::new_id().to_string();
            insert
                .execute(rusqlite::params![
                    id,
                    format!("product {}", i / 3),
                    format!("SKU-{i:06}"),
                    i64::try_from(i).unwrap() * 100,
                    format!("890{i:010}")
                ])
                .unwrap();
        }
    }
    tx.commit().unwrap();
    started.elapsed()
}

/// Milliseconds, in whole numbers (no floating point here).
fn ms(d: Duration) -> String {
    d.as_millis().to_string()
}
