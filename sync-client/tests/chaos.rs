//! The chaos test (issue 5): five terminals in two shops work offline against one real
//! server on real Postgres, with skewed clocks, and sync at random moments while faults
//! are injected: replies lost after the server committed, requests sent twice at once,
//! the server killed in the middle of a batch, a terminal restored from an old copy of
//! its store. Afterwards everyone syncs and the invariants of SYNC.md are checked.
//!
//! Deterministic for a seed: the seed is printed, and `GALLA_CHAOS_SEED=<n>` replays
//! one; `GALLA_CHAOS_SEEDS=<k>` runs k seeds, `GALLA_CHAOS_ROUNDS` sets the work per
//! seed. (The server's own timing, e.g. where a kill lands, is not under the seed.)
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use galla_core::catalog::{ProductForm, ProductSpec, VariantForm};
use galla_core::id::Uuid;
use galla_core::pos::payment::{Method, Tender};
use galla_core::pos::Cart;
use galla_core::store::{Refund, SyncLink};
use galla_core::{Actor, AdjustmentReason, Currency, Error, Quantity, Role, Store};
use galla_sync_client::{enroll, sync_once, verify, HttpTransport, SyncError, Transport};
use galla_sync_protocol::{
    Change, EnrollRequest, PullPage, PushReply, PushRequest, VerifyReply, MAX_PULL_LIMIT,
};

mod server;
use server::Server;

/// Small, fast, and the same everywhere: xorshift64*.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn percent(&mut self, p: u64) -> bool {
        self.below(100) < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
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

const OWNER_EMAIL: &str = "owner@chaos.test";
const OWNER_PASSWORD: &str = "correct horse battery";

/// What a person at one terminal can do there.
struct Terminal {
    name: String,
    dir: tempfile::TempDir,
    store: Option<Store>,
    token: String,
    actor: Actor,
    shop: Uuid,
    /// This counter's clock is off by this much, in both directions across terminals.
    skew_ms: i64,
    backups: Vec<PathBuf>,
    /// Receipt numbers of the sales made here (returns are found through them).
    sales: Vec<String>,
}

impl Terminal {
    fn store(&mut self) -> &mut Store {
        self.store.as_mut().expect("the store is open")
    }

    fn now(&self) -> u64 {
        wall_ms().saturating_add_signed(self.skew_ms)
    }

    fn store_file(&self) -> PathBuf {
        self.dir.path().join(galla_core::store::STORE_FILE_NAME)
    }

    /// A consistent copy of the store as it is now, taken beside the running app the
    /// way a backup tool would (SQLite's VACUUM INTO reads one snapshot).
    fn backup(&mut self) {
        let path = self
            .dir
            .path()
            .join(format!("backup-{}.sqlite3", self.backups.len()));
        let conn = rusqlite::Connection::open(self.store_file()).unwrap();
        conn.execute("VACUUM INTO ?1", [path.to_str().unwrap()])
            .unwrap();
        self.backups.push(path);
    }

    /// The device's disk is replaced by an old copy of its store.
    fn restore(&mut self, backup: &Path) {
        self.store = None;
        let file = self.store_file();
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
        }
        std::fs::copy(backup, &file).unwrap();
        self.store = Some(Store::open_in(self.dir.path()).unwrap());
    }
}

/// The ways a push goes wrong, injected around a real HTTP push.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    None,
    /// The server commits, the answer never arrives.
    ReplyLost,
    /// The same request twice, at the same time.
    Duplicated,
    /// The server process dies while the batch is being applied, and comes back.
    ServerRestart {
        after_ms: u64,
    },
}

struct FaultyTransport {
    inner: HttpTransport,
    fault: Mutex<Fault>,
    server: Arc<Mutex<Server>>,
}

impl Transport for FaultyTransport {
    fn push(&self, request: &PushRequest) -> Result<PushReply, SyncError> {
        let fault = std::mem::replace(&mut *self.fault.lock().unwrap(), Fault::None);
        match fault {
            Fault::None => self.inner.push(request),
            Fault::ReplyLost => {
                let _ = self.inner.push(request);
                Err(SyncError::Offline(String::from(
                    "the reply was lost (injected)",
                )))
            }
            Fault::Duplicated => {
                let (first, second) = std::thread::scope(|s| {
                    let a = s.spawn(|| self.inner.push(request));
                    let b = s.spawn(|| self.inner.push(request));
                    (a.join().unwrap(), b.join().unwrap())
                });
                // Either answer is a true one; a lost race may make one fail.
                second.or(first)
            }
            Fault::ServerRestart { after_ms } => {
                let server = Arc::clone(&self.server);
                let killer = std::thread::spawn(move || {
                    std::thread::sleep(Duration::from_millis(after_ms));
                    server.lock().unwrap().restart();
                });
                let result = self.inner.push(request);
                killer.join().unwrap();
                result
            }
        }
    }

    fn pull(&self, after: u64, limit: u32, scope: Option<&str>) -> Result<PullPage, SyncError> {
        self.inner.pull(after, limit, scope)
    }

    fn verify(&self) -> Result<VerifyReply, SyncError> {
        self.inner.verify()
    }

    fn put_blob(&self, hash: &str, bytes: &[u8]) -> Result<(), SyncError> {
        self.inner.put_blob(hash, bytes)
    }

    fn get_blob(&self, hash: &str) -> Result<Option<Vec<u8>>, SyncError> {
        self.inner.get_blob(hash)
    }
}

struct World {
    server: Arc<Mutex<Server>>,
    db_url: String,
    url: String,
    terminals: Vec<Terminal>,
    /// Barcodes of every variant, to scan at the counters.
    codes: Vec<String>,
    variants: Vec<Uuid>,
    products: Vec<Uuid>,
    shops: Vec<Uuid>,
}

fn transport(world: &World, t: usize, fault: Fault) -> FaultyTransport {
    FaultyTransport {
        inner: HttpTransport::new(&world.url, &world.terminals[t].token).unwrap(),
        fault: Mutex::new(fault),
        server: Arc::clone(&world.server),
    }
}

fn sync(world: &mut World, t: usize, fault: Fault) -> Result<(), SyncError> {
    let transport = transport(world, t, fault);
    let terminal = &mut world.terminals[t];
    let skew = terminal.skew_ms;
    let now = move || wall_ms().saturating_add_signed(skew);
    sync_once(terminal.store(), &transport, &now).map(|_| ())
}

fn product_spec(name: &str, price: &str, barcode: &str) -> ProductSpec {
    let form = ProductForm {
        name: name.into(),
        tax_class: "GST 5%".into(),
        hsn_code: "6204".into(),
        variants: vec![VariantForm {
            price: price.into(),
            barcodes: vec![barcode.into()],
            ..VariantForm::default()
        }],
        ..ProductForm::default()
    };
    ProductSpec::parse(&form, Currency::INR).unwrap()
}

fn ean13(body: &str) -> String {
    format!("{body}{}", galla_core::barcode::check_digit(body))
}

/// The owner's laptop makes the shop, the people and the catalog offline, then joins
/// the server with the owner's e-mail and password and pushes it all; four counters
/// join with pairing codes, two per shop, take the snapshot and sign in by PIN.
fn set_up(server: Arc<Mutex<Server>>, db_url: &str, rng: &mut Rng) -> World {
    let url = server.lock().unwrap().url();
    let skews: [i64; 5] = [
        0,
        3 * 3_600_000,
        -2 * 3_600_000,
        5 * 3_600_000,
        -7 * 3_600_000,
    ];
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    let now = wall_ms();
    let shop_a = store.current_shop(now).unwrap().id;
    let owner = store.create_first_owner("Asha", "2580", now).unwrap();
    let people = [
        ("Meera", Role::Manager, "1357"),
        ("Ravi", Role::Cashier, "2468"),
        ("Divya", Role::Manager, "9731"),
        ("Kiran", Role::Cashier, "8642"),
    ];
    let mut staff = Vec::new();
    for (name, role, pin) in people {
        staff.push(store.add_staff(&owner, name, role, pin, now).unwrap().id);
    }
    let shop_b = store.add_shop(&owner, "Shop B", now).unwrap().id;
    let mut codes = Vec::new();
    let mut variants = Vec::new();
    let mut products = Vec::new();
    for i in 0..12 {
        let code = ean13(&format!("890103086{i:03}"));
        let price = format!("{}", 50 + rng.below(400));
        let product = store
            .save_product(
                &owner,
                None,
                &product_spec(&format!("Item {i}"), &price, &code),
                now,
            )
            .unwrap();
        let variant = product.variants[0].id;
        for shop in [shop_a, shop_b] {
            store
                .receive_stock(
                    variant,
                    shop,
                    Quantity::from_units(500).unwrap(),
                    None,
                    &owner,
                    now,
                )
                .unwrap();
        }
        codes.push(code);
        variants.push(variant);
        products.push(product.id);
    }
    let reply = enroll(
        &url,
        &EnrollRequest {
            device_id: store.device(),
            device_name: "Owner's laptop".into(),
            pairing_code: None,
            email: Some(OWNER_EMAIL.into()),
            password: Some(OWNER_PASSWORD.into()),
        },
    )
    .unwrap();
    store
        .link_to_server(&SyncLink {
            server_url: url.clone(),
            business_id: reply.business_id,
            business_name: reply.business_name.clone(),
            business_slug: reply.business_slug.clone(),
            device_name: "Owner's laptop".into(),
            shop_id: None,
        })
        .unwrap();
    set_prefix(&mut store, &owner, "S1-C0");
    store.open_shift(&owner, "1000", now).unwrap();
    let mut world = World {
        server,
        db_url: db_url.to_owned(),
        url: url.clone(),
        terminals: vec![Terminal {
            name: "T0 owner, shop A".into(),
            dir,
            store: Some(store),
            token: reply.token,
            actor: owner.clone(),
            shop: shop_a,
            skew_ms: skews[0],
            backups: Vec::new(),
            sales: Vec::new(),
        }],
        codes,
        variants,
        products,
        shops: vec![shop_a, shop_b],
    };
    sync(&mut world, 0, Fault::None).unwrap();
    assert_no_rejections(&mut world, 0);

    let owner_http = HttpTransport::new(&url, &world.terminals[0].token).unwrap();
    for (i, (name, _, pin)) in people.iter().enumerate() {
        let shop = if i < 2 { shop_a } else { shop_b };
        let code = owner_http
            .pairing_code(owner.staff_id(), Some(shop))
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open_in(dir.path()).unwrap();
        let device_name = format!("Counter {}", i + 1);
        let reply = enroll(
            &url,
            &EnrollRequest {
                device_id: store.device(),
                device_name: device_name.clone(),
                pairing_code: Some(code.code),
                email: None,
                password: None,
            },
        )
        .unwrap();
        assert_eq!(reply.shop_id, Some(shop));
        store
            .link_to_server(&SyncLink {
                server_url: url.clone(),
                business_id: reply.business_id,
                business_name: reply.business_name,
                business_slug: reply.business_slug,
                device_name,
                shop_id: reply.shop_id,
            })
            .unwrap();
        world.terminals.push(Terminal {
            name: format!("T{} {name}, shop {}", i + 1, if i < 2 { "A" } else { "B" }),
            dir,
            store: Some(store),
            token: reply.token,
            actor: owner.clone(),
            shop,
            skew_ms: skews[i + 1],
            backups: Vec::new(),
            sales: Vec::new(),
        });
        let t = world.terminals.len() - 1;
        sync(&mut world, t, Fault::None).unwrap();
        let terminal = &mut world.terminals[t];
        let now = terminal.now();
        let actor = terminal
            .store()
            .unlock_with_pin(staff[i], pin, now)
            .unwrap();
        terminal.actor = actor;
        // The prefix is the owner's setting, made on the laptop for this counter.
        let prefix = format!("S{}-C{}", if i < 2 { 1 } else { 2 }, i + 1);
        set_prefix(terminal.store(), &owner, &prefix);
        let actor = terminal.actor.clone();
        terminal.store().open_shift(&actor, "1000", now).unwrap();
    }
    world
}

/// Everything the people here did was theirs to do: the server must take all of it.
fn assert_no_rejections(world: &mut World, t: usize) {
    let name = world.terminals[t].name.clone();
    let status = world.terminals[t].store().sync_status().unwrap();
    assert_eq!(
        status.rejection_count, 0,
        "{name}: the server rejected {:#?}",
        status.rejections
    );
}

fn set_prefix(store: &mut Store, owner: &Actor, prefix: &str) {
    let mut form = store.pos_settings().unwrap().to_form(Currency::INR);
    form.receipt_prefix = prefix.into();
    store.save_pos_settings(owner, &form).unwrap().unwrap();
}

fn sell(world: &mut World, t: usize, rng: &mut Rng) {
    let lines = 1 + rng.below(3);
    let codes: Vec<String> = (0..lines).map(|_| rng.pick(&world.codes).clone()).collect();
    let terminal = &mut world.terminals[t];
    let now = terminal.now();
    let actor = terminal.actor.clone();
    let store = terminal.store();
    let mut cart = Cart::default();
    for code in &codes {
        let scanned = store.scan(code).unwrap();
        cart.add(
            scanned.item,
            Quantity::from_units(1 + rng.below(2) as i64).unwrap(),
        )
        .unwrap();
    }
    let pay = Tender {
        method: Method::Cash,
        amount_minor: 10_000_000,
        reference: None,
    };
    let doc = store.complete_sale(&actor, &cart, &[pay], now).unwrap();
    terminal.sales.push(doc.number);
}

fn refund(world: &mut World, t: usize, rng: &mut Rng) {
    let terminal = &mut world.terminals[t];
    if terminal.sales.is_empty() {
        return;
    }
    let number = rng.pick(&terminal.sales).clone();
    let now = terminal.now();
    let actor = terminal.actor.clone();
    let store = terminal.store();
    let doc = store.document(&number).unwrap();
    let line = rng.pick(&doc.lines);
    let refund = Refund {
        method: Method::Cash,
        reference: None,
        restock: true,
    };
    match store.return_items(
        &actor,
        &number,
        &[(line.line_id, Quantity::from_units(1).unwrap())],
        &refund,
        now,
    ) {
        // Everything of that line may have gone back already.
        Ok(_) | Err(Error::Pos(_)) => {}
        Err(e) => panic!("{}: return on {number}: {e}", terminal.name),
    }
}

/// Owner and managers edit the catalog: the same fields (name, price) from several
/// counters, and different fields (description) of the same products.
fn edit_product(world: &mut World, t: usize, rng: &mut Rng, round: usize) {
    let product_id = *rng.pick(&world.products);
    let what = rng.below(3);
    let price = 20 + rng.below(900);
    let terminal = &mut world.terminals[t];
    let now = terminal.now();
    let actor = terminal.actor.clone();
    let name = terminal.name.clone();
    let store = terminal.store();
    let product = store.product(product_id).unwrap().unwrap();
    let mut spec = ProductSpec {
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
            .map(|v| galla_core::catalog::VariantSpec {
                id: Some(v.id),
                option_values: v.option_values.clone(),
                sku: v.sku.clone(),
                price: v.price,
                cost: v.cost,
                barcodes: v
                    .barcodes
                    .iter()
                    .map(|b| galla_core::barcode::Barcode::parse(b).unwrap())
                    .collect(),
            })
            .collect(),
    };
    match what {
        0 => spec.name = format!("Item edited at round {round} by {name}"),
        1 => spec.description = format!("Described at round {round} by {name}"),
        _ => {
            spec.variants[0].price =
                galla_core::Money::from_minor(price as i64 * 100, Currency::INR)
        }
    }
    store
        .save_product(&actor, Some(product_id), &spec, now)
        .unwrap();
}

fn adjust(world: &mut World, t: usize, rng: &mut Rng) {
    let variant = *rng.pick(&world.variants);
    let down = rng.percent(60);
    let units = 1 + rng.below(3) as i64;
    let terminal = &mut world.terminals[t];
    let (shop, now, actor) = (terminal.shop, terminal.now(), terminal.actor.clone());
    let (quantity, reason) = if down {
        (-units, AdjustmentReason::Damaged)
    } else {
        (units, AdjustmentReason::Found)
    };
    terminal
        .store()
        .adjust_stock(
            variant,
            shop,
            Quantity::from_units(quantity).unwrap(),
            Some(reason),
            None,
            &actor,
            now,
        )
        .unwrap();
}

fn can_manage(world: &World, t: usize) -> bool {
    world.terminals[t].actor.role() != Role::Cashier
}

fn random_fault(rng: &mut Rng) -> Fault {
    match rng.below(10) {
        0 | 1 => Fault::ReplyLost,
        2 | 3 => Fault::Duplicated,
        4 => Fault::ServerRestart {
            after_ms: rng.below(40),
        },
        _ => Fault::None,
    }
}

/// Faults make some syncs fail; that is the point. Anything but a transient failure
/// is a bug, though.
fn chaotic_sync(world: &mut World, t: usize, fault: Fault) {
    if let Err(e) = sync(world, t, fault) {
        assert!(
            e.is_transient(),
            "{} (fault {fault:?}): a sync failed for good: {e}",
            world.terminals[t].name
        );
    }
}

/// Everything the server holds, through the protocol's own door.
fn server_feed(world: &World) -> Vec<Change> {
    let http = HttpTransport::new(&world.url, &world.terminals[0].token).unwrap();
    let mut all = Vec::new();
    let mut after = 0;
    loop {
        let page = http.pull(after, MAX_PULL_LIMIT, None).unwrap();
        after = page.next;
        all.extend(page.changes);
        if !page.more {
            return all;
        }
    }
}

fn run(seed: u64, rounds: usize, db_url: &str) {
    println!("chaos seed {seed} ({rounds} rounds); replay with GALLA_CHAOS_SEED={seed}");
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let server = Arc::new(Mutex::new(Server::start(db_url)));
    server::create_business(db_url, OWNER_EMAIL, OWNER_PASSWORD);
    let mut world = set_up(Arc::clone(&server), db_url, &mut rng);
    let mut made_sales = 0_usize;
    let mut faults: BTreeMap<String, usize> = BTreeMap::new();

    for round in 0..rounds {
        let t = rng.below(world.terminals.len() as u64) as usize;
        match rng.below(100) {
            0..=34 => {
                sell(&mut world, t, &mut rng);
                made_sales += 1;
            }
            35..=42 => refund(&mut world, t, &mut rng),
            43..=54 if can_manage(&world, t) => edit_product(&mut world, t, &mut rng, round),
            55..=62 if can_manage(&world, t) => adjust(&mut world, t, &mut rng),
            63..=66 => world.terminals[t].backup(),
            67..=68 if !world.terminals[t].backups.is_empty() => {
                // The device syncs what it has, its disk dies, an old copy comes back;
                // it makes a change (a stock count correction) before it syncs again.
                chaotic_sync(&mut world, t, Fault::None);
                let old = rng.pick(&world.terminals[t].backups).clone();
                world.terminals[t].restore(&old);
                *faults.entry("restore".into()).or_default() += 1;
                if can_manage(&world, t) {
                    adjust(&mut world, t, &mut rng);
                }
                chaotic_sync(&mut world, t, Fault::None);
            }
            _ => {
                let fault = random_fault(&mut rng);
                *faults
                    .entry(
                        format!("{fault:?}")
                            .split(' ')
                            .next()
                            .unwrap_or("")
                            .to_owned(),
                    )
                    .or_default() += 1;
                chaotic_sync(&mut world, t, fault);
            }
        }
    }
    println!("seed {seed}: {made_sales} sales, faults {faults:?}");

    // Calm: everyone syncs until nobody has anything new.
    for _ in 0..3 {
        for t in 0..world.terminals.len() {
            sync(&mut world, t, Fault::None).unwrap_or_else(|e| {
                panic!("seed {seed}: {} cannot sync: {e}", world.terminals[t].name)
            });
        }
    }
    for t in 0..world.terminals.len() {
        assert_no_rejections(&mut world, t);
    }
    check(&mut world, seed);
    server.lock().unwrap().stop();
}

fn check(world: &mut World, seed: u64) {
    let feed = server_feed(world);
    let keys: HashSet<(&str, &str)> = feed
        .iter()
        .map(|c| (c.entity.as_str(), c.key.as_str()))
        .collect();
    assert_eq!(
        keys.len(),
        feed.len(),
        "seed {seed}: the feed holds a row twice"
    );

    // Every sale and return exactly once, each number once, and per counter and series
    // the numbers run 1..n.
    let sales: Vec<&Change> = feed.iter().filter(|c| c.entity == "sale").collect();
    let made: usize = world.terminals.iter().map(|t| t.sales.len()).sum();
    let sold = sales.iter().filter(|c| c.data["kind"] == "sale").count();
    assert_eq!(
        sold, made,
        "seed {seed}: sales made {made}, on the server {sold}"
    );
    let mut series: HashMap<String, Vec<u64>> = HashMap::new();
    for sale in &sales {
        let number = sale.data["number"].as_str().unwrap();
        let (prefix, n) = number.rsplit_once('-').unwrap();
        series
            .entry(prefix.to_owned())
            .or_default()
            .push(n.parse().unwrap());
    }
    for (prefix, mut numbers) in series {
        numbers.sort_unstable();
        let expected: Vec<u64> = (1..=numbers.len() as u64).collect();
        assert_eq!(
            numbers, expected,
            "seed {seed}: series {prefix} has gaps or repeats"
        );
    }

    // Stock: the server's movements summed per variant and shop; every terminal has the
    // same on hand, and its cache equals its own ledger.
    let mut on_hand: HashMap<(String, String), i64> = HashMap::new();
    for m in feed.iter().filter(|c| c.entity == "stock_movement") {
        let key = (
            m.data["variant_id"].as_str().unwrap().to_owned(),
            m.data["shop_id"].as_str().unwrap().to_owned(),
        );
        *on_hand.entry(key).or_default() += m.data["quantity_milli"].as_i64().unwrap();
    }
    // The server's own on-hand figures (what its storefront will show) are the sums.
    let levels = server::stock_levels(&world.db_url);
    assert!(
        !levels.is_empty(),
        "seed {seed}: the server holds no stock at all"
    );
    for (variant, shop, level) in levels {
        let sum = on_hand
            .get(&(variant.clone(), shop.clone()))
            .copied()
            .unwrap_or(0);
        assert_eq!(
            level, sum,
            "seed {seed}: the server's stock of {variant} in {shop}"
        );
    }
    let shops = world.shops.clone();
    let variants = world.variants.clone();
    for terminal in &mut world.terminals {
        let name = terminal.name.clone();
        let store = terminal.store();
        assert_eq!(
            store.sync_status().unwrap().pending,
            0,
            "seed {seed}: {name} has entries waiting"
        );
        for &variant in &variants {
            for &shop in &shops {
                let server = on_hand
                    .get(&(variant.to_string(), shop.to_string()))
                    .copied()
                    .unwrap_or(0);
                let here = store.on_hand(variant, shop).unwrap().milli();
                assert_eq!(
                    here, server,
                    "seed {seed}: {name}: stock of {variant} in {shop}"
                );
                let ledger: i64 = store
                    .stock_history(variant, Some(shop), usize::MAX)
                    .unwrap()
                    .iter()
                    .map(|m| m.quantity.milli())
                    .sum();
                assert_eq!(ledger, here, "seed {seed}: {name}: ledger of {variant}");
            }
        }
    }

    // Every terminal's store equals the server's, scope by scope, with no repair.
    for t in 0..world.terminals.len() {
        let transport = transport(world, t, Fault::None);
        let terminal = &mut world.terminals[t];
        let skew = terminal.skew_ms;
        let now = move || wall_ms().saturating_add_signed(skew);
        let report = verify(terminal.store(), &transport, &now).unwrap();
        for scope in &report.scopes {
            assert_eq!(
                (scope.before.count, &scope.before.digest),
                (scope.server.count, &scope.server.digest),
                "seed {seed}: {} differs from the server in {}",
                terminal.name,
                scope.scope
            );
        }
    }
}

fn seeds() -> Vec<u64> {
    if let Some(seed) = std::env::var("GALLA_CHAOS_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
    {
        return vec![seed];
    }
    let count = std::env::var("GALLA_CHAOS_SEEDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let start = wall_ms();
    (0..count).map(|i| start.wrapping_add(i * 7919)).collect()
}

#[test]
fn terminals_converge_through_lost_replies_duplicates_restarts_and_restores() {
    let rounds = std::env::var("GALLA_CHAOS_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(300);
    for seed in seeds() {
        let db = server::fresh_database(seed);
        run(seed, rounds, &db.url);
        db.drop_now();
    }
}
