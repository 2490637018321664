//! Sync on loopback (issue 5): a real `galla-server` in this process on a fresh Postgres
//! database, terminals with real stores on disk, talking HTTP as the app does.
//!
//! 1. Push throughput. The owner's laptop writes the catalog through the store's own
//!    write path (a CSV import, timed but not counted), which queues an outbox entry
//!    for every product, variant, barcode and category; one `sync_once` pushes them in
//!    batches of 500 (`PUSH_BATCH`). Floors: `/healthz` and an empty push.
//! 2. First sync of a new device. A child process (so its peak memory is its own)
//!    enrols a fresh store with a pairing code and times one `sync_once` from the call
//!    to its return: the whole feed, page by page. Its VmHWM is the max RSS. Done at a
//!    quarter of the catalog and at the whole, to see whether memory grows with it.
//!    Floors: the same rows read from Postgres with one query, and the same catalog
//!    written locally by the demo loader (`Store::load_generated_catalog`).
//! 3. Sale to visible. Two counters of one shop take the snapshot; counter B listens
//!    to `/sync/v1/events` and runs `sync_once` on each `feed` event, as the app's
//!    sync loop does; counter A sells and syncs at once (the app pokes its loop after
//!    a sale). Timed from `complete_sale`'s return on A until B's `on_hand` shows it.
//!    Floor: a `/healthz` round trip, and a `sync_once` with nothing new.
//!
//! `cargo bench -p galla-sync-client --bench sync` (Postgres from `DATABASE_URL`, else
//! 127.0.0.1:5432; the binary run by hand needs the `--bench` argument, which `cargo
//! bench` passes and `cargo test --all-targets` does not). Sizes: `GALLA_BENCH_PRODUCTS` (100000), `GALLA_BENCH_SMALL` (a
//! quarter of that; 0 skips it), `GALLA_BENCH_SALES` (200; 0 skips step 3), `GALLA_BENCH_FIRST_SYNCS`
//! (first syncs at full size, 2), `GALLA_BENCH_OPENING_STOCK=1` (an opening stock
//! movement per variant too). Prints figures and asserts nothing: speed is measured
//! here, never in tests.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io::BufRead;
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use galla_core::demo::generate_catalog;
use galla_core::id::Uuid;
use galla_core::pos::payment::{Method, Tender};
use galla_core::pos::Cart;
use galla_core::store::{SyncLink, STORE_FILE_NAME};
use galla_core::{Actor, Currency, ProductStatus, Quantity, Role, Store};
use galla_sync_client::{enroll, sync_once, HttpTransport, SyncError, Transport};
use galla_sync_protocol::{EnrollReply, EnrollRequest, PullPage, PushReply, PushRequest};

#[allow(dead_code)]
#[path = "../tests/server/mod.rs"]
mod server;

const SEED: u64 = 42;
const OWNER_EMAIL: &str = "owner@bench.test";
const OWNER_PASSWORD: &str = "correct horse battery";
const CASHIER_PIN: &str = "2468";
/// Products written per CSV import (one transaction each).
const IMPORT_CHUNK: usize = 25_000;
/// How long counter B waits for a `feed` event before syncing anyway, as the app does.
const QUIET_WAIT: Duration = Duration::from_secs(30);

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default)
}

fn wall_ms() -> u64 {
    u64::try_from(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_millis(),
    )
    .unwrap()
}

fn main() {
    if std::env::var_os("GALLA_BENCH_CHILD").is_some() {
        first_sync_child();
        return;
    }
    // `cargo test --all-targets` runs bench binaries too, without `--bench`: this one
    // needs minutes and Postgres, so it does nothing then.
    if !std::env::args().any(|a| a == "--bench") {
        println!("sync bench: run with `cargo bench -p galla-sync-client --bench sync`");
        return;
    }
    let products = env_usize("GALLA_BENCH_PRODUCTS", 100_000);
    let small = env_usize("GALLA_BENCH_SMALL", products / 4).min(products);
    let sales = env_usize("GALLA_BENCH_SALES", 200);
    let first_syncs = env_usize("GALLA_BENCH_FIRST_SYNCS", 2);
    let opening_stock = std::env::var("GALLA_BENCH_OPENING_STOCK").is_ok_and(|v| v == "1");
    println!(
        "sync bench: {products} products (first step {small}), {sales} sales, opening stock {}, {} CPUs, load {}",
        if opening_stock { "yes" } else { "no" },
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        loadavg()
    );

    let db = server::fresh_database(wall_ms());
    let server = server::Server::start(&db.url);
    let url = server.url();
    server::create_business(&db.url, OWNER_EMAIL, OWNER_PASSWORD);

    // The owner's laptop: the shop, the people, the category tree, then the catalog.
    let owner_dir = tempfile::tempdir().unwrap();
    let mut owner_store = Store::open_in(owner_dir.path()).unwrap();
    let now = wall_ms();
    let shop = owner_store.current_shop(now).unwrap().id;
    let owner = owner_store.create_first_owner("Asha", "2580", now).unwrap();
    let cashier = owner_store
        .add_staff(&owner, "Ravi", Role::Cashier, CASHIER_PIN, now)
        .unwrap()
        .id;
    create_categories(&mut owner_store, &owner, products);
    let reply = enroll(
        &url,
        &EnrollRequest {
            device_id: owner_store.device(),
            device_name: "Owner's laptop".into(),
            pairing_code: None,
            email: Some(OWNER_EMAIL.into()),
            password: Some(OWNER_PASSWORD.into()),
        },
    )
    .unwrap();
    link(&mut owner_store, &url, &reply, "Owner's laptop");
    let owner_http = HttpTransport::new(&url, &reply.token).unwrap();
    let business = reply.business_id;

    let mut steps = vec![small, products];
    steps.retain(|&n| n > 0);
    steps.dedup();
    let mut written = 0;
    for &size in &steps {
        println!();
        println!("== catalog of {size} products ==");
        let started = Instant::now();
        let variants = import_catalog(&mut owner_store, &owner, written, size, opening_stock);
        let pending = owner_store.sync_status().unwrap().pending;
        println!(
            "owner's laptop: {} products, {variants} variants written by CSV import in {:.1} s (not counted); outbox {pending} entries",
            size - written,
            started.elapsed().as_secs_f64()
        );
        written = size;

        println!("-- push (load {}) --", loadavg());
        push_floors(&url, &owner_http);
        push(&mut owner_store, &owner_http);

        println!("-- first sync of a new device (load {}) --", loadavg());
        first_sync_floors(&db.url, business, size);
        let runs = if size == products { first_syncs } else { 1 };
        for run in 0..runs {
            let code = owner_http
                .pairing_code(owner.staff_id(), Some(shop))
                .unwrap();
            first_sync_in_child(&url, &code.code, run);
        }
    }

    if sales > 0 {
        println!();
        println!("== sale to visible on another counter ({products} products) ==");
        let barcodes = sellable_barcodes(products, sales * 3);
        latency(&url, &owner_http, &owner, shop, cashier, &barcodes, sales);
    }

    drop(server);
    db.drop_now();
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

fn link(store: &mut Store, url: &str, reply: &EnrollReply, name: &str) {
    store
        .link_to_server(&SyncLink {
            server_url: url.to_owned(),
            business_id: reply.business_id,
            business_name: reply.business_name.clone(),
            business_slug: reply.business_slug.clone(),
            device_name: name.to_owned(),
            shop_id: reply.shop_id,
        })
        .unwrap();
}

/// Every category path the generated catalog uses, made through the store (so they are
/// queued for sync too): an import does not create categories.
fn create_categories(store: &mut Store, owner: &Actor, products: usize) {
    let paths: BTreeSet<Vec<String>> = generate_catalog(SEED, products)
        .map(|p| p.category)
        .collect();
    let now = wall_ms();
    for path in &paths {
        let mut parent = None;
        for name in path {
            let known = store.categories().unwrap();
            let found = known
                .iter()
                .find(|c| c.name == *name && c.parent_id == parent);
            parent = Some(match found {
                Some(category) => category.id,
                None => store.create_category(owner, name, parent, now).unwrap().id,
            });
        }
    }
}

/// Products `from..to` of the generated catalog, written as CSV imports of
/// `IMPORT_CHUNK` products each; returns the number of variants.
fn import_catalog(
    store: &mut Store,
    owner: &Actor,
    from: usize,
    to: usize,
    opening_stock: bool,
) -> usize {
    let mut variants = 0;
    let mut start = from;
    while start < to {
        let end = (start + IMPORT_CHUNK).min(to);
        let (file, rows) = csv_of(start, end, opening_stock);
        let report = store
            .apply_import(owner, file.as_bytes(), wall_ms())
            .unwrap();
        assert!(
            report.applied,
            "the import of products {start}..{end} was refused: {:?}",
            report.problems.first()
        );
        variants += rows;
        start = end;
    }
    variants
}

fn csv_of(from: usize, to: usize, opening_stock: bool) -> (String, usize) {
    let mut file = String::from(
        "handle,name,description,category,status,tax_class,hsn_code,option1_name,option1_value,sku,barcodes,price,opening_stock\n",
    );
    let mut rows = 0;
    for (index, product) in generate_catalog(SEED, to).enumerate().skip(from) {
        let option = product.option_names.first().cloned().unwrap_or_default();
        for variant in &product.variants {
            let value = variant.option_values.first().cloned().unwrap_or_default();
            let stock = if opening_stock {
                (1 + rows % 20).to_string()
            } else {
                String::new()
            };
            writeln!(
                file,
                "p{index},{},{},{},{},GST 5%,6204,{option},{value},{},{},{}.{:02},{stock}",
                quoted(&product.name),
                quoted(&product.description),
                product.category.join(" > "),
                product.status.as_str(),
                variant.sku,
                variant.barcode,
                variant.price_minor / 100,
                variant.price_minor % 100,
            )
            .unwrap();
            rows += 1;
        }
    }
    (file, rows)
}

fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// Barcodes of `count` variants spread over the catalog, none archived (they cannot be
/// sold).
fn sellable_barcodes(products: usize, count: usize) -> Vec<String> {
    let step = (products / count.max(1)).max(1);
    generate_catalog(SEED, products)
        .step_by(step)
        .filter(|p| p.status != ProductStatus::Archived)
        .filter_map(|p| p.variants.into_iter().next().map(|v| v.barcode))
        .take(count)
        .collect()
}

/// A transport that notes how long the HTTP calls took (request, server, reply, JSON).
struct Timed<'a> {
    inner: &'a HttpTransport,
    times: RefCell<Times>,
}

#[derive(Default)]
struct Times {
    pushes: Vec<Duration>,
    last_push_end: Option<Instant>,
    first_pull: Option<Instant>,
    pull: Duration,
    pulls: u64,
}

impl<'a> Timed<'a> {
    fn new(inner: &'a HttpTransport) -> Timed<'a> {
        Timed {
            inner,
            times: RefCell::new(Times::default()),
        }
    }
}

impl Transport for Timed<'_> {
    fn push(&self, request: &PushRequest) -> Result<PushReply, SyncError> {
        let started = Instant::now();
        let reply = self.inner.push(request);
        let mut times = self.times.borrow_mut();
        times.pushes.push(started.elapsed());
        times.last_push_end = Some(Instant::now());
        reply
    }

    fn pull(&self, after: u64, limit: u32, scope: Option<&str>) -> Result<PullPage, SyncError> {
        let started = Instant::now();
        let page = self.inner.pull(after, limit, scope);
        let mut times = self.times.borrow_mut();
        times.first_pull.get_or_insert(started);
        times.pull += started.elapsed();
        times.pulls += 1;
        page
    }

    fn verify(&self) -> Result<galla_sync_protocol::VerifyReply, SyncError> {
        self.inner.verify()
    }

    fn put_blob(&self, hash: &str, bytes: &[u8]) -> Result<(), SyncError> {
        self.inner.put_blob(hash, bytes)
    }

    fn get_blob(&self, hash: &str) -> Result<Option<Vec<u8>>, SyncError> {
        self.inner.get_blob(hash)
    }
}

/// Sorted durations' percentile (nearest rank).
fn pct(sorted: &[Duration], p: usize) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = (sorted.len() * p).div_ceil(100).max(1);
    sorted[rank - 1]
}

fn ms(d: Duration) -> String {
    format!("{}.{:03}", d.as_millis(), d.as_micros() % 1000)
}

fn summary(label: &str, mut times: Vec<Duration>) {
    times.sort_unstable();
    println!(
        "{label:<58} p50 {:>9} ms  p99 {:>9} ms  max {:>9} ms  n {}",
        ms(pct(&times, 50)),
        ms(pct(&times, 99)),
        ms(times.last().copied().unwrap_or_default()),
        times.len()
    );
}

fn healthz_times(url: &str, n: usize) -> Vec<Duration> {
    let client = reqwest::blocking::Client::new();
    let health = format!("{url}/healthz");
    (0..n)
        .map(|_| {
            let started = Instant::now();
            let response = client.get(&health).send().unwrap();
            assert!(response.status().is_success());
            let _ = response.bytes().unwrap();
            started.elapsed()
        })
        .collect()
}

fn push_floors(url: &str, http: &HttpTransport) {
    summary("floor: GET /healthz round trip", healthz_times(url, 200));
    let empty = PushRequest {
        entries: Vec::new(),
    };
    let times = (0..200)
        .map(|_| {
            let started = Instant::now();
            http.push(&empty).unwrap();
            started.elapsed()
        })
        .collect();
    summary("floor: an empty push (locks, reads last_seq)", times);
}

/// Everything waiting on the owner's laptop, in one `sync_once`: the push, then the
/// pull of the feed (the owner's own changes coming back).
fn push(store: &mut Store, http: &HttpTransport) {
    let timed = Timed::new(http);
    let started = Instant::now();
    let report = sync_once(store, &timed, &wall_ms).unwrap();
    let ended = Instant::now();
    let times = timed.times.into_inner();
    let push_end = times.first_pull.unwrap_or(ended);
    let push_wall = push_end - started;
    let in_http: Duration = times.pushes.iter().sum();
    println!(
        "pushed {} entries in {} batches in {:.1} s: {} entries/s end to end ({} applied, {} already, {} rejected)",
        report.pushed,
        times.pushes.len(),
        push_wall.as_secs_f64(),
        per_second(report.pushed, push_wall),
        report.applied,
        report.already_applied,
        report.rejected
    );
    println!(
        "  in the push requests (server and HTTP) {:.1} s = {} entries/s; the laptop's own outbox reads and answer writes {:.1} s",
        in_http.as_secs_f64(),
        per_second(report.pushed, in_http),
        (push_wall.saturating_sub(in_http)).as_secs_f64()
    );
    summary("  one push request of up to 500 entries", times.pushes);
    println!(
        "  then the laptop pulled its own {} changes back in {} pages in {:.1} s ({:.1} s in the pull requests)",
        report.pulled,
        report.pages,
        (ended - push_end).as_secs_f64(),
        times.pull.as_secs_f64()
    );
}

fn per_second(count: u64, took: Duration) -> u64 {
    let micros = took.as_micros().max(1);
    u64::try_from(u128::from(count) * 1_000_000 / micros).unwrap_or(u64::MAX)
}

/// The floors for a first sync: the business's whole feed read from Postgres with one
/// query (the columns a pull sends, as text), and the same catalog written into a
/// fresh local store by the demo loader (one transaction, search index built once).
fn first_sync_floors(db_url: &str, business: Uuid, products: usize) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (rows, bytes, took) = rt.block_on(async {
        use sqlx::Connection;
        let mut conn = sqlx::PgConnection::connect(db_url).await.unwrap();
        let started = Instant::now();
        let rows: Vec<(i64, String, String, String, Option<String>)> = sqlx::query_as(
            "SELECT cursor, entity, key, data::text, clocks::text FROM records
             WHERE business_id = $1 ORDER BY cursor",
        )
        .bind(business)
        .fetch_all(&mut conn)
        .await
        .unwrap();
        let took = started.elapsed();
        let bytes: usize = rows
            .iter()
            .map(|r| r.1.len() + r.2.len() + r.3.len() + r.4.as_ref().map_or(0, String::len))
            .sum();
        conn.close().await.unwrap();
        (rows.len(), bytes, took)
    });
    println!(
        "floor: the feed's {rows} rows ({} MB of text) read from Postgres with one query: {:.2} s",
        bytes / 1_000_000,
        took.as_secs_f64()
    );
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    let started = Instant::now();
    let loaded = store
        .load_generated_catalog(generate_catalog(SEED, products), wall_ms())
        .unwrap();
    println!(
        "floor: the same catalog ({} products, {} variants) written locally by the demo loader: {:.2} s, file {} MB",
        loaded.products,
        loaded.variants,
        started.elapsed().as_secs_f64(),
        store_bytes(dir.path()) / 1_000_000
    );
}

fn store_bytes(folder: &Path) -> u64 {
    ["", "-wal"]
        .iter()
        .filter_map(|suffix| {
            std::fs::metadata(folder.join(format!("{STORE_FILE_NAME}{suffix}"))).ok()
        })
        .map(|m| m.len())
        .sum()
}

/// Runs the first sync in a child process (this bench's own binary) and prints what
/// it reports.
fn first_sync_in_child(url: &str, code: &str, run: usize) {
    let output = Command::new(std::env::current_exe().unwrap())
        .env("GALLA_BENCH_CHILD", "first-sync")
        .env("GALLA_BENCH_URL", url)
        .env("GALLA_BENCH_CODE", code)
        .env("GALLA_BENCH_DEVICE", format!("New counter {run}"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        println!(
            "the first-sync child failed ({}): {stdout}{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
        return;
    }
    print!("{stdout}");
}

/// VmHWM and VmRSS of this process, in kB.
fn memory_kb() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    (field("VmHWM:"), field("VmRSS:"))
}

/// The new device: a fresh store enrolled with a pairing code, then one `sync_once`.
fn first_sync_child() {
    let url = std::env::var("GALLA_BENCH_URL").unwrap();
    let code = std::env::var("GALLA_BENCH_CODE").unwrap();
    let name = std::env::var("GALLA_BENCH_DEVICE").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    let reply = enroll(
        &url,
        &EnrollRequest {
            device_id: store.device(),
            device_name: name.clone(),
            pairing_code: Some(code),
            email: None,
            password: None,
        },
    )
    .unwrap();
    link(&mut store, &url, &reply, &name);
    let http = HttpTransport::new(&url, &reply.token).unwrap();
    let timed = Timed::new(&http);
    let (hwm_before, _) = memory_kb();
    let started = Instant::now();
    let report = sync_once(&mut store, &timed, &wall_ms).unwrap();
    let took = started.elapsed();
    let (hwm, rss) = memory_kb();
    let times = timed.times.into_inner();
    println!(
        "{name}: FIRST SYNC {:.2} s: {} changes in {} pages ({} changes/s); in the pull requests {:.2} s, applying locally {:.2} s; max RSS {} MB (before the sync {} MB, after {} MB); store file {} MB",
        took.as_secs_f64(),
        report.pulled,
        report.pages,
        per_second(report.pulled, took),
        times.pull.as_secs_f64(),
        took.saturating_sub(times.pull).as_secs_f64(),
        hwm / 1024,
        hwm_before / 1024,
        rss / 1024,
        store_bytes(dir.path()) / 1_000_000
    );
    let status = store.sync_status().unwrap();
    if status.skipped > 0 || report.pulled == 0 {
        println!(
            "  (skipped {} changes, pulled {})",
            status.skipped, report.pulled
        );
    }
}

/// A counter of the owner's shop, enrolled with a pairing code, with the snapshot.
struct Counter {
    _dir: tempfile::TempDir,
    store: Store,
    token: String,
}

fn new_counter(
    url: &str,
    owner_http: &HttpTransport,
    owner: &Actor,
    shop: Uuid,
    name: &str,
) -> Counter {
    let code = owner_http
        .pairing_code(owner.staff_id(), Some(shop))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    let reply = enroll(
        url,
        &EnrollRequest {
            device_id: store.device(),
            device_name: name.into(),
            pairing_code: Some(code.code),
            email: None,
            password: None,
        },
    )
    .unwrap();
    link(&mut store, url, &reply, name);
    let http = HttpTransport::new(url, &reply.token).unwrap();
    let started = Instant::now();
    let report = sync_once(&mut store, &http, &wall_ms).unwrap();
    println!(
        "{name}: snapshot of {} changes in {:.1} s (in this process, beside the server)",
        report.pulled,
        started.elapsed().as_secs_f64()
    );
    Counter {
        _dir: dir,
        store,
        token: reply.token,
    }
}

/// What counter B waits to see: this on-hand of this variant in this shop.
struct Target {
    variant: Uuid,
    shop: Uuid,
    on_hand_milli: i64,
    since: Instant,
}

/// When counter B saw a sale, and how it got there.
struct Seen {
    since: Instant,
    /// The `feed` event that woke the sync which showed it (None: the quiet timer).
    event: Option<Instant>,
    sync_started: Instant,
    visible: Instant,
}

fn latency(
    url: &str,
    owner_http: &HttpTransport,
    owner: &Actor,
    shop: Uuid,
    cashier: Uuid,
    barcodes: &[String],
    sales: usize,
) {
    let mut a = new_counter(url, owner_http, owner, shop, "Counter A");
    let b = new_counter(url, owner_http, owner, shop, "Counter B");
    let a_http = HttpTransport::new(url, &a.token).unwrap();
    let now = wall_ms();
    let seller = a.store.unlock_with_pin(cashier, CASHIER_PIN, now).unwrap();
    let mut form = a.store.pos_settings().unwrap().to_form(Currency::INR);
    form.receipt_prefix = "S1-C1".into();
    a.store.save_pos_settings(owner, &form).unwrap().unwrap();
    a.store.open_shift(&seller, "1000", now).unwrap();
    sync_once(&mut a.store, &a_http, &wall_ms).unwrap();

    // Counter B: a sync thread woken by an event thread, as desktop/src/sync_loop.rs.
    let target: Arc<Mutex<Option<Target>>> = Arc::new(Mutex::new(None));
    let b_cursor = Arc::new(AtomicU64::new(b.store.pull_cursor().unwrap()));
    let stop = Arc::new(AtomicBool::new(false));
    let (poke, pokes) = mpsc::channel::<Option<Instant>>();
    let (seen_tx, seen) = mpsc::channel::<Seen>();
    let b_token = b.token.clone();
    let b_sync = {
        let target = Arc::clone(&target);
        let b_cursor = Arc::clone(&b_cursor);
        let url = url.to_owned();
        std::thread::spawn(move || counter_b(b, &url, &pokes, &b_cursor, &target, &seen_tx))
    };
    {
        let events_url = format!("{url}/sync/v1/events");
        let poke = poke.clone();
        let stop = Arc::clone(&stop);
        let b_cursor = Arc::clone(&b_cursor);
        std::thread::spawn(move || listen(&events_url, &b_token, &b_cursor, &poke, &stop));
    }
    // Let B's first event and sync pass.
    std::thread::sleep(Duration::from_millis(500));

    summary("floor: GET /healthz round trip", healthz_times(url, 200));
    let idle: Vec<Duration> = (0..50)
        .map(|_| {
            let started = Instant::now();
            sync_once(&mut a.store, &a_http, &wall_ms).unwrap();
            started.elapsed()
        })
        .collect();
    summary("floor: a sync_once with nothing new (counter A)", idle);

    let mut rng = 0x9E37_79B9_7F4A_7C15_u64;
    let mut total = Vec::new();
    let mut a_sale = Vec::new();
    let mut a_push = Vec::new();
    let mut to_event = Vec::new();
    let mut event_to_sync = Vec::new();
    let mut b_sync_times = Vec::new();
    let mut missed = 0;
    let mut by_timer = 0;
    for i in 0..sales {
        let mut cart = Cart::default();
        let mut watched = None;
        for k in 0..3 {
            let code = &barcodes[(i * 3 + k) % barcodes.len()];
            let found = a.store.scan(code).unwrap();
            watched = Some(found.item.variant_id);
            cart.add(found.item, Quantity::from_units(1).unwrap())
                .unwrap();
        }
        let variant = watched.unwrap();
        let before = a.store.on_hand(variant, shop).unwrap().milli();
        let cash = Tender {
            method: Method::Cash,
            amount_minor: 100_000_000,
            reference: None,
        };
        let sale_started = Instant::now();
        a.store
            .complete_sale(&seller, &cart, &[cash], wall_ms())
            .unwrap();
        let since = Instant::now();
        a_sale.push(since - sale_started);
        *target.lock().unwrap() = Some(Target {
            variant,
            shop,
            on_hand_milli: before - 1000,
            since,
        });
        let timed = Timed::new(&a_http);
        sync_once(&mut a.store, &timed, &wall_ms).unwrap();
        if let Some(end) = timed.times.borrow().last_push_end {
            a_push.push(end - since);
        }
        match seen.recv_timeout(Duration::from_secs(60)) {
            Ok(s) => {
                total.push(s.visible - s.since);
                b_sync_times.push(s.visible - s.sync_started);
                match s.event {
                    Some(event) => {
                        to_event.push(event.saturating_duration_since(s.since));
                        event_to_sync.push(s.sync_started - event);
                    }
                    None => by_timer += 1,
                }
            }
            Err(_) => {
                missed += 1;
                *target.lock().unwrap() = None;
            }
        }
        // Sales at a counter are seconds apart; 100 to 300 ms is enough for B to rest.
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        std::thread::sleep(Duration::from_millis(100 + rng % 200));
    }
    println!("load {}", loadavg());
    summary(
        "complete_sale on A (3 lines, durable commit; before the clock starts)",
        a_sale,
    );
    summary("SALE TO VISIBLE ON B (from complete_sale's return)", total);
    summary(
        "  A's push answered (sale, movements, audit committed)",
        a_push,
    );
    summary("  B's feed event arrived", to_event);
    summary("  from the event to B's sync starting", event_to_sync);
    summary(
        "  B's sync_once that showed it (one pull page, applied)",
        b_sync_times,
    );
    println!("  not seen within 60 s: {missed}; seen by B's 30 s timer, not an event: {by_timer}");

    stop.store(true, Ordering::SeqCst);
    let _ = poke.send(None);
    b_sync.join().unwrap();
}

/// Counter B's sync loop: sync when poked (or after the quiet wait), then see whether
/// the sale being waited for shows.
fn counter_b(
    b: Counter,
    url: &str,
    pokes: &mpsc::Receiver<Option<Instant>>,
    b_cursor: &AtomicU64,
    target: &Mutex<Option<Target>>,
    seen: &mpsc::Sender<Seen>,
) {
    let Counter {
        _dir,
        mut store,
        token,
    } = b;
    let http = HttpTransport::new(url, &token).unwrap();
    loop {
        let event = match pokes.recv_timeout(QUIET_WAIT) {
            Ok(Some(at)) => Some(at),
            Ok(None) | Err(RecvTimeoutError::Disconnected) => return,
            Err(RecvTimeoutError::Timeout) => None,
        };
        // Several pokes while syncing or waiting ask for one sync.
        while let Ok(more) = pokes.try_recv() {
            if more.is_none() {
                return;
            }
        }
        let sync_started = Instant::now();
        if let Err(e) = sync_once(&mut store, &http, &wall_ms) {
            println!("counter B: sync failed: {e}");
            continue;
        }
        b_cursor.store(store.pull_cursor().unwrap(), Ordering::SeqCst);
        let mut waiting = target.lock().unwrap();
        if let Some(t) = waiting.as_ref() {
            if store.on_hand(t.variant, t.shop).unwrap().milli() == t.on_hand_milli {
                let visible = Instant::now();
                let _ = seen.send(Seen {
                    since: t.since,
                    event,
                    sync_started,
                    visible,
                });
                *waiting = None;
            }
        }
    }
}

/// Counter B's event thread: holds `/sync/v1/events` open and pokes the sync thread on
/// each `feed` event past what B has pulled; reconnects when the stream ends.
fn listen(
    url: &str,
    token: &str,
    b_cursor: &AtomicU64,
    poke: &mpsc::Sender<Option<Instant>>,
    stop: &AtomicBool,
) {
    let client = reqwest::blocking::Client::builder()
        .connect_timeout(Duration::from_secs(5))
        .timeout(None)
        .build()
        .unwrap();
    while !stop.load(Ordering::SeqCst) {
        let response = match client
            .get(url)
            .bearer_auth(token)
            .header("Accept", "text/event-stream")
            .send()
        {
            Ok(r) if r.status().is_success() => r,
            _ => {
                std::thread::sleep(Duration::from_millis(250));
                continue;
            }
        };
        let mut event = String::new();
        let mut data = String::new();
        for line in std::io::BufReader::new(response).lines() {
            if stop.load(Ordering::SeqCst) {
                return;
            }
            let Ok(line) = line else { break };
            if line.is_empty() {
                let at = Instant::now();
                let cursor = serde_json::from_str::<serde_json::Value>(&data)
                    .ok()
                    .and_then(|v| v.get("cursor").and_then(serde_json::Value::as_u64));
                let news = cursor.is_none_or(|c| c > b_cursor.load(Ordering::SeqCst));
                if event == "feed" && news && poke.send(Some(at)).is_err() {
                    return;
                }
                event.clear();
                data.clear();
            } else if let Some(name) = line.strip_prefix("event:") {
                name.trim().clone_into(&mut event);
            } else if let Some(text) = line.strip_prefix("data:") {
                data.push_str(text.trim());
            }
        }
    }
}
