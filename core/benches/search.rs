//! Catalog search on a generated shop of 100,000 products (about 300,000 variants):
//! load time, size on disk, and p50/p99 of the searches a counter makes, beside a floor
//! measured in the same run on the same file (a primary-key read of one product row).
//!
//! `cargo bench -p galla-core --bench search`; `GALLA_BENCH_PRODUCTS` changes the size,
//! and `GALLA_BENCH_DIR` keeps the store in that folder (reused, not reloaded, by the
//! next run) for a look with other tools.
//! Prints figures and asserts nothing: speed is measured here, never in tests.
#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use galla_core::demo::generate_catalog;
use galla_core::{ProductQuery, ProductStatus, Store};

const SEED: u64 = 42;
const NOW: u64 = 1_763_700_000_000;
const RUNS: usize = 400;

fn main() {
    let products: usize = std::env::var("GALLA_BENCH_PRODUCTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    let temp = tempfile::tempdir().unwrap();
    let dir = std::env::var_os("GALLA_BENCH_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| temp.path().to_owned());
    let mut store = Store::open_in(&dir).unwrap();
    let path = dir.join(galla_core::store::STORE_FILE_NAME);

    if store
        .search_products(&ProductQuery::default())
        .unwrap()
        .is_empty()
    {
        let started = Instant::now();
        let loaded = store
            .load_generated_catalog(generate_catalog(SEED, products), NOW)
            .unwrap();
        println!(
            "loaded {} products, {} variants, {} categories in {:.1} s",
            loaded.products,
            loaded.variants,
            loaded.categories_created,
            started.elapsed().as_secs_f64(),
        );
    } else {
        println!("reusing the catalog in {}", dir.display());
    }
    let raw = rusqlite::Connection::open(&path).unwrap();
    raw.pragma_update(None, "wal_checkpoint", "TRUNCATE")
        .unwrap();
    let size = std::fs::metadata(&path).unwrap().len();
    println!("store file {} MB; largest parts:", megabytes(size));
    for (table, bytes) in table_sizes(&raw) {
        println!("    {table:<32} {:>7} MB", megabytes(bytes));
    }

    // Codes and ids to look up, spread over the catalog.
    let sample: Vec<_> = generate_catalog(SEED, products)
        .step_by((products / 200).max(1))
        .collect();
    let skus: Vec<String> = sample.iter().map(|p| p.variants[0].sku.clone()).collect();
    let barcodes: Vec<String> = sample
        .iter()
        .flat_map(|p| p.variants.iter().map(|v| v.barcode.clone()))
        .collect();
    let ids: Vec<String> = raw
        .prepare("SELECT id FROM products ORDER BY random() LIMIT 1000")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let sarees = store
        .categories()
        .unwrap()
        .into_iter()
        .find(|c| c.name == "Sarees")
        .unwrap()
        .id;

    println!();
    println!(
        "{:<44} {:>9} {:>9} {:>9} {:>6}",
        "", "p50 ms", "p99 ms", "max ms", "rows"
    );
    let mut floor_stmt = raw
        .prepare("SELECT name FROM products WHERE id = ?1")
        .unwrap();
    measure("floor: product row by primary key", |i| {
        let _: String = floor_stmt
            .query_row([&ids[i % ids.len()]], |r| r.get(0))
            .unwrap();
        1
    });
    measure("barcode lookup (exact)", |i| {
        store
            .find_by_barcode(&barcodes[i % barcodes.len()])
            .unwrap()
            .map_or(0, |_| 1)
    });
    let search = |text: &str| {
        store
            .search_products(&ProductQuery::text(text))
            .unwrap()
            .len()
    };
    measure("open the list (first page, newest first)", |_| search(""));
    let one_word = ["silk", "cotton", "masala", "kurta", "assam", "maroon"];
    measure("search one word (silk, cotton, masala…)", |i| {
        search(one_word[i % one_word.len()])
    });
    let two_prefixes = ["sil sar", "cot kur", "gar mas", "ass tea", "ban mar"];
    measure("search two prefixes (sil sar, cot kur…)", |i| {
        search(two_prefixes[i % two_prefixes.len()])
    });
    measure("search an exact SKU", |i| search(&skus[i % skus.len()]));
    measure("search a miss (xyzzy)", |_| search("xyzzy"));
    measure("search one letter (s), as typing starts", |_| search("s"));
    measure("list filtered: Sarees and below", |_| {
        store
            .search_products(&ProductQuery {
                category: Some(sarees),
                ..ProductQuery::default()
            })
            .unwrap()
            .len()
    });
    measure("search filtered: silk in Sarees, active", |_| {
        store
            .search_products(&ProductQuery {
                text: "silk".into(),
                category: Some(sarees),
                status: Some(ProductStatus::Active),
                ..ProductQuery::default()
            })
            .unwrap()
            .len()
    });
    let listed: u32 = raw
        .query_row(
            "SELECT count(*) FROM products WHERE status <> 'archived'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let last_page = listed.saturating_sub(50);
    measure("list, the last page (offset ~ all)", |_| {
        store
            .search_products(&ProductQuery {
                offset: last_page,
                ..ProductQuery::default()
            })
            .unwrap()
            .len()
    });
}

/// Runs `op` a few times to warm the cache, then `RUNS` times, and prints percentiles.
/// `op` gets the run number (to vary its input) and returns the rows it found.
fn measure(label: &str, mut op: impl FnMut(usize) -> usize) {
    for i in 0..20 {
        op(i);
    }
    let mut times: Vec<Duration> = Vec::with_capacity(RUNS);
    let mut rows = 0;
    for i in 0..RUNS {
        let started = Instant::now();
        rows = op(i);
        times.push(started.elapsed());
    }
    times.sort();
    println!(
        "{label:<44} {:>9} {:>9} {:>9} {rows:>6}",
        ms(times[RUNS / 2]),
        ms(times[RUNS * 99 / 100]),
        ms(times[RUNS - 1])
    );
}

/// Milliseconds with three decimals, in whole numbers (no floating point here).
fn ms(d: Duration) -> String {
    let micros = d.as_micros();
    format!("{}.{:03}", micros / 1000, micros % 1000)
}

fn megabytes(bytes: u64) -> String {
    format!("{}.{}", bytes / 1_000_000, bytes / 100_000 % 10)
}

/// Bytes per table and index, largest first, from SQLite's dbstat table when the build
/// has it; empty otherwise.
fn table_sizes(conn: &rusqlite::Connection) -> Vec<(String, u64)> {
    let Ok(mut stmt) =
        conn.prepare("SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 8")
    else {
        return Vec::new();
    };
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .and_then(|rows| rows.collect())
        .unwrap_or_default()
}
