//! Two real app windows (the owner's laptop and a shop counter, each with its own data
//! folder) under Xvfb, syncing through a running `galla-server` process on a fresh
//! Postgres database. The counter joins from its first screen with a pairing code made
//! on the laptop; a product added on the laptop reaches the counter; a sale on the
//! counter lowers the laptop's stock; the server is stopped, the counter sells on, the
//! server comes back and both converge; the storefront API shows the scarf, and a rename
//! on the laptop on the next request after it synced. Screenshots land in
//! target/e2e/sync/.
#![allow(clippy::unwrap_used)]

mod webdriver;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use galla_core::{ProductQuery, Store};
use webdriver::app::{app_binary, nav, screenshot_folder, sign_in, wait_for_text};
use webdriver::{Session, TauriDriver};

const OWNER_PIN: &str = "2580";
const CASHIER_PIN: &str = "1357";
const OWNER_EMAIL: &str = "asha@anand.test";
const OWNER_PASSWORD: &str = "correct horse battery";
const SCARF_BARCODE: &str = "8901030865237";
/// Sync is quick, but a server that was down is found again after the loop's backoff.
const CONVERGE: Duration = Duration::from_secs(90);

/// `galla-server`, the binary the README's commands build, beside the app's binary.
fn server_binary() -> PathBuf {
    let path = app_binary().with_file_name("galla-server");
    assert!(
        path.exists(),
        "{} is missing: build it with `cargo build -p galla-sync-server` (the README's test command does)",
        path.display()
    );
    path
}

fn psql(url: &str, sql: &str) -> String {
    let out = Command::new("psql")
        .args([url, "-v", "ON_ERROR_STOP=1", "-qAtc", sql])
        .output()
        .expect("psql (postgresql-client) runs");
    assert!(
        out.status.success(),
        "psql {sql}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// A running `galla-server` process on its own database, which the test can stop
/// (SIGKILL, as a crash or a pulled plug) and start again on the same address.
struct ServerProcess {
    admin_url: String,
    database: String,
    db_url: String,
    listen: String,
    child: Option<Child>,
}

impl ServerProcess {
    fn start() -> ServerProcess {
        let admin_url = std::env::var("DATABASE_URL")
            .unwrap_or_else(|_| String::from("postgres://postgres@127.0.0.1:5432/postgres"));
        let database = format!("galla_e2e_sync_{}", std::process::id());
        psql(
            &admin_url,
            &format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)"),
        );
        psql(&admin_url, &format!("CREATE DATABASE {database}"));
        let (head, tail) = admin_url.split_at(admin_url.find('?').unwrap_or(admin_url.len()));
        let cut = head.rfind('/').unwrap();
        let db_url = format!("{}/{database}{tail}", &head[..cut]);
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut server = ServerProcess {
            admin_url,
            database,
            db_url,
            listen: format!("127.0.0.1:{port}"),
            child: None,
        };
        // The operator's set-up, as the README gives it.
        for args in [
            vec!["migrate"],
            vec![
                "create-business",
                "--name",
                "Anand Textiles",
                "--slug",
                "anand",
                "--owner-email",
                OWNER_EMAIL,
            ],
        ] {
            let out = server
                .command()
                .args(&args)
                .env("GALLA_OWNER_PASSWORD", OWNER_PASSWORD)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "galla-server {args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        server.run();
        server
    }

    fn command(&self) -> Command {
        let mut command = Command::new(server_binary());
        command
            .env("DATABASE_URL", &self.db_url)
            .env("GALLA_LISTEN", &self.listen)
            .env("GALLA_LOG", "warn");
        command
    }

    fn url(&self) -> String {
        format!("http://{}", self.listen)
    }

    /// Starts serving and waits until `/readyz` answers.
    fn run(&mut self) {
        let child = self
            .command()
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        self.child = Some(child);
        let http = reqwest::blocking::Client::new();
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let ready = http
                .get(format!("{}/readyz", self.url()))
                .send()
                .is_ok_and(|r| r.status().is_success());
            if ready {
                return;
            }
            if let Some(Ok(Some(status))) = self.child.as_mut().map(Child::try_wait) {
                panic!("galla-server exited with {status}");
            }
            assert!(Instant::now() < deadline, "galla-server did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    fn count(&self, sql: &str) -> i64 {
        psql(&self.db_url, sql).parse().unwrap()
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.kill();
        let _ = Command::new("psql")
            .args([
                self.admin_url.as_str(),
                "-qAtc",
                &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.database),
            ])
            .output();
    }
}

/// Repeats `look` (which may click about, as a person checking again would) until it
/// finds what it waits for.
fn until<T>(s: &Session, what: &str, limit: Duration, mut look: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(found) = look() {
            return found;
        }
        if Instant::now() > deadline {
            let _ = s.screenshot("timeout");
            panic!("gave up waiting for {what}");
        }
        std::thread::sleep(Duration::from_millis(250));
    }
}

/// Ticks the checkbox or radio button whose label reads `text`, and sees it ticked.
fn tick(s: &Session, text: &str) {
    let xpath = format!(
        "//label[normalize-space()={}]//input",
        if text.contains('\'') {
            format!("\"{text}\"")
        } else {
            format!("'{text}'")
        }
    );
    s.wait_for(&format!("{text:?} ticked"), || {
        let input = s.find(&xpath)?;
        if s.property(&input, "checked")? == serde_json::json!(true) {
            return Ok(Some(()));
        }
        s.click(&input)?;
        Ok(None)
    })
    .unwrap();
}

/// The linking form, on the Sync page or the first screen.
fn fill_link_form(s: &Session, server: &str, device: &str) {
    s.fill("Server address", server).unwrap();
    s.fill("This device's name", device).unwrap();
    // No keyring answers under Xvfb: the labelled fallback is offered.
    wait_for_text(s, "No keyring was found on this computer");
    tick(
        s,
        "Keep the key in a file on this computer (no keyring found)",
    );
}

/// On the laptop: the product's on-hand in this shop, read from its stock panel,
/// opening the product afresh each time as a person would.
fn on_hand_shown(s: &Session, product: &str) -> String {
    if s.find_all("//button[normalize-space()='Back to products']")
        .unwrap()
        .is_empty()
    {
        nav(s, "Products");
    } else {
        s.click(&s.button("Back to products").unwrap()).unwrap();
        s.heading("Products").unwrap();
    }
    s.fill("Search products", product).unwrap();
    // The row's own button, once the search has found it: Enter opens the product only
    // when the search has ended with one match, and under load it may not have yet.
    // Clicked by script: WebKitWebDriver counts the row's clipped name as not displayed.
    let script = "const b = [...document.querySelectorAll('button.open')]
            .find(b => b.getAttribute('aria-label') === arguments[0]);
        if (!b) return false;
        b.click();
        return true;";
    s.wait_for(&format!("{product} in the list"), || {
        let clicked = s.execute(script, serde_json::json!([format!("Edit {product}")]))?;
        Ok((clicked == serde_json::json!(true)).then_some(()))
    })
    .unwrap();
    s.heading(&format!("Edit {product}")).unwrap();
    let script = "const table = [...document.querySelectorAll('table')]
            .find(t => t.caption && t.caption.textContent.trim() === 'On hand in this shop');
        if (!table || !table.tBodies[0] || !table.tBodies[0].rows[0]) return null;
        const column = [...table.tHead.rows[0].cells]
            .findIndex(c => c.textContent.trim() === 'On hand');
        return table.tBodies[0].rows[0].cells[column].textContent.trim();";
    s.wait_for("the stock panel's on-hand", || {
        Ok(s.execute(script, serde_json::json!([]))?
            .as_str()
            .map(str::to_owned))
    })
    .unwrap()
}

/// Rings up one scarf, paid in cash, and answers the receipt's heading.
fn sell_a_scarf(s: &Session) -> String {
    s.field("Scan or search").unwrap();
    s.press_keys(&format!("{SCARF_BARCODE}\n")).unwrap();
    s.wait_for("the scarf in the cart", || {
        Ok(s.page_text()?.contains("Silk scarf").then_some(()))
    })
    .unwrap();
    s.click(&s.button("Pay").unwrap()).unwrap();
    s.heading("Payment").unwrap();
    s.click(&s.button("Cash").unwrap()).unwrap();
    s.fill("Amount", "450").unwrap();
    s.click(&s.button("Add payment").unwrap()).unwrap();
    s.click(&s.button("Complete sale").unwrap()).unwrap();
    s.wait_for("the receipt", || {
        let headings = s.execute(
            "return [...document.querySelectorAll('h1, h2')].map(h => h.textContent.trim());",
            serde_json::json!([]),
        )?;
        Ok(headings.as_array().and_then(|all| {
            all.iter()
                .filter_map(|h| h.as_str())
                .find(|h| h.starts_with("Receipt "))
                .map(str::to_owned)
        }))
    })
    .unwrap()
}

fn header_sync_line(s: &Session) -> String {
    s.execute(
        "const e = document.querySelector('.topbar .who'); return e ? e.innerText : '';",
        serde_json::json!([]),
    )
    .unwrap()
    .as_str()
    .unwrap_or_default()
    .to_owned()
}

/// Entries the app has not had acknowledged by the server, read from its store file
/// without opening it as a store (the app has it open).
fn waiting_in_outbox(folder: &Path) -> i64 {
    let conn = rusqlite::Connection::open_with_flags(
        folder.join(galla_core::store::STORE_FILE_NAME),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .unwrap();
    conn.query_row("SELECT count(*) FROM outbox", [], |row| row.get(0))
        .unwrap()
}

fn store_on_hand(folder: &Path) -> (String, u64, u64) {
    let mut store = Store::open_in(folder).unwrap();
    let found = store
        .search_products(&ProductQuery::text("Silk scarf"))
        .unwrap();
    let product = store.product(found[0].product_id).unwrap().unwrap();
    let shop = store.current_shop(0).unwrap().id;
    let on_hand = store.on_hand(product.variants[0].id, shop).unwrap();
    let status = store.sync_status().unwrap();
    (on_hand.to_string(), status.pending, status.rejection_count)
}

#[test]
fn a_laptop_and_a_counter_sync_through_a_running_server_and_converge_after_it_was_down() {
    let mut server = ServerProcess::start();
    let shots = screenshot_folder("sync");
    let laptop_data = tempfile::tempdir().unwrap();
    let counter_data = tempfile::tempdir().unwrap();

    // The owner's laptop: set up, a cashier, linked with the owner's e-mail and password.
    let laptop_driver = TauriDriver::start(&[("GALLA_DATA_DIR", laptop_data.path())]).unwrap();
    let laptop = Session::open(&laptop_driver, &app_binary(), &shots.join("laptop")).unwrap();
    laptop.heading("Set up Galla").unwrap();
    laptop.fill("Your name", "Asha").unwrap();
    laptop.fill("PIN", OWNER_PIN).unwrap();
    laptop.fill("PIN again", OWNER_PIN).unwrap();
    laptop.click(&laptop.button("Start").unwrap()).unwrap();
    laptop.heading("Products").unwrap();
    nav(&laptop, "Staff");
    laptop.fill("Name", "Ravi").unwrap();
    laptop.choose("Role", "Cashier").unwrap();
    laptop.fill("PIN", CASHIER_PIN).unwrap();
    laptop.click(&laptop.button("Add person").unwrap()).unwrap();
    laptop.button("Archive Ravi").unwrap();

    nav(&laptop, "Sync");
    fill_link_form(&laptop, &server.url(), "Owner's laptop");
    tick(&laptop, "The owner's e-mail and password");
    laptop.fill("Owner's e-mail", OWNER_EMAIL).unwrap();
    laptop.fill("Owner's password", OWNER_PASSWORD).unwrap();
    laptop.screenshot("01-link-form").unwrap();
    laptop
        .click(&laptop.button("Link this device").unwrap())
        .unwrap();
    wait_for_text(&laptop, "Linked to Anand Textiles");
    until(&laptop, "the laptop's first sync", CONVERGE, || {
        laptop.click(&laptop.button("Sync now").unwrap()).unwrap();
        let text = laptop.page_text().unwrap();
        (text.contains("Nothing waiting") && text.contains("Online")).then_some(())
    });
    tick(&laptop, "For this device's shop");
    laptop
        .click(&laptop.button("New pairing code").unwrap())
        .unwrap();
    let code = laptop
        .find("//strong[contains(@class, 'code-text')]")
        .unwrap();
    let code = laptop.text(&code).unwrap();
    assert_eq!(code.len(), 14, "{code}");
    laptop.screenshot("02-linked-with-a-code").unwrap();

    // The counter: a fresh install joins the shop from its first screen.
    let counter_driver = TauriDriver::start(&[("GALLA_DATA_DIR", counter_data.path())]).unwrap();
    let counter = Session::open(&counter_driver, &app_binary(), &shots.join("counter")).unwrap();
    counter.heading("Set up Galla").unwrap();
    counter
        .click(&counter.button("Join a shop on a server").unwrap())
        .unwrap();
    counter.heading("Join a shop").unwrap();
    fill_link_form(&counter, &server.url(), "Counter 1");
    counter.fill("Pairing code", &code).unwrap();
    counter.screenshot("01-join-form").unwrap();
    counter
        .click(&counter.button("Join this shop").unwrap())
        .unwrap();
    // The people made on the laptop are on the counter's PIN screen.
    counter.heading("Who is working?").unwrap();
    wait_for_text(&counter, "Asha");
    counter.screenshot("02-pin-screen-of-the-shop").unwrap();
    sign_in(&counter, "Ravi", CASHIER_PIN, "Sell");
    counter
        .click(&counter.button("Open shift").unwrap())
        .unwrap();
    counter.heading("Shift").unwrap();
    counter.fill("Opening float", "500").unwrap();
    counter
        .click(&counter.button("Open shift").unwrap())
        .unwrap();
    wait_for_text(&counter, "Expected cash");

    // A product added on the laptop, with ten in stock, appears on the counter.
    nav(&laptop, "Products");
    laptop
        .click(&laptop.button("Add product").unwrap())
        .unwrap();
    laptop.heading("New product").unwrap();
    laptop.fill("Name", "Silk scarf").unwrap();
    laptop.choose("Status", "Active").unwrap();
    laptop.fill("SKU, variant 1", "SCARF").unwrap();
    laptop.fill("Price, variant 1", "450").unwrap();
    laptop
        .fill_and_leave("Barcodes, variant 1", SCARF_BARCODE)
        .unwrap();
    tick(&laptop, "Show on storefront");
    laptop.click(&laptop.button("Save").unwrap()).unwrap();
    laptop.heading("Edit Silk scarf").unwrap();
    laptop.fill("Quantity received", "10").unwrap();
    laptop
        .click(&laptop.button("Record receipt").unwrap())
        .unwrap();
    assert_eq!(on_hand_shown(&laptop, "Silk scarf"), "10");
    laptop.screenshot("03-scarf-with-ten").unwrap();

    nav(&counter, "Products");
    until(&counter, "the scarf on the counter", CONVERGE, || {
        counter.fill("Search products", "silk scarf").unwrap();
        counter
            .page_text()
            .unwrap()
            .contains("₹450.00")
            .then_some(())
    });
    counter.screenshot("03-scarf-arrived").unwrap();

    // A sale on the counter lowers the laptop's stock.
    nav(&counter, "Sell");
    let first = sell_a_scarf(&counter);
    // A linked counter numbers its receipts with a prefix of its own (C- and the end of
    // its id), so no two devices of the business print the same number.
    let prefix = first
        .strip_prefix("Receipt ")
        .and_then(|n| n.strip_suffix("-000001"))
        .unwrap_or_else(|| panic!("{first}"))
        .to_owned();
    assert!(prefix.starts_with("C-") && prefix.len() == 8, "{first}");
    counter.screenshot("04-first-sale").unwrap();
    counter.click(&counter.button("New sale").unwrap()).unwrap();
    until(&laptop, "the laptop to show 9", CONVERGE, || {
        (on_hand_shown(&laptop, "Silk scarf") == "9").then_some(())
    });
    laptop.screenshot("04-nine-after-the-sale").unwrap();

    // The server goes away; the counter sells on and says it is offline.
    server.kill();
    let offline = sell_a_scarf(&counter);
    assert_eq!(offline, format!("Receipt {prefix}-000002"));
    counter.click(&counter.button("New sale").unwrap()).unwrap();
    until(
        &counter,
        "the counter to say it is offline",
        CONVERGE,
        || {
            let line = header_sync_line(&counter);
            (line.contains("Offline") && line.contains("waiting")).then_some(())
        },
    );
    counter.screenshot("05-offline-sale").unwrap();
    assert_eq!(on_hand_shown(&laptop, "Silk scarf"), "9");

    // It comes back: the counter's sale reaches the server and the laptop by itself.
    server.run();
    until(&laptop, "the laptop to show 8", CONVERGE, || {
        (on_hand_shown(&laptop, "Silk scarf") == "8").then_some(())
    });
    until(&counter, "the counter to say all is sent", CONVERGE, || {
        let line = header_sync_line(&counter);
        (line.contains("Online") && line.contains("Nothing waiting")).then_some(())
    });
    laptop
        .screenshot("05-eight-after-the-server-came-back")
        .unwrap();
    counter.screenshot("06-back-online").unwrap();

    // The shop's website sees what the laptop synced: the scarf, in stock (8 is above
    // the "low" level of 5). A rename on the laptop is there on the very next request
    // once the laptop has sent it.
    let storefront = |query: &str| -> serde_json::Value {
        let url = format!("{}/storefront/v1/anand/products?{query}", server.url());
        let response = reqwest::blocking::get(&url).unwrap();
        assert_eq!(response.status(), 200, "{url}");
        response.json().unwrap()
    };
    let listed = storefront("q=silk%20scarf");
    assert_eq!(listed["products"][0]["name"], "Silk scarf", "{listed}");
    assert_eq!(listed["products"][0]["availability"], "in_stock");
    assert_eq!(listed["products"][0]["price"]["min_minor"], 45_000);
    laptop.fill("Name", "Silk scarf, red").unwrap();
    laptop.click(&laptop.button("Save").unwrap()).unwrap();
    laptop.heading("Edit Silk scarf, red").unwrap();
    nav(&laptop, "Sync");
    // Sent means the server answered for it: the laptop's outbox on disk is empty. (The
    // page's text would not do: the header's sync line is refreshed every few seconds.)
    until(&laptop, "the rename to be sent", CONVERGE, || {
        laptop.click(&laptop.button("Sync now").unwrap()).unwrap();
        (waiting_in_outbox(laptop_data.path()) == 0).then_some(())
    });
    let renamed = storefront("q=silk%20scarf");
    assert_eq!(
        renamed["products"][0]["name"], "Silk scarf, red",
        "{renamed}"
    );
    assert_eq!(
        renamed["products"][0]["slug"], "silk-scarf",
        "its address stays"
    );

    laptop.click(&laptop.button("Verify").unwrap()).unwrap();
    wait_for_text(&laptop, "agrees with the server");
    laptop.screenshot("06-verified").unwrap();
    counter.quit().unwrap();
    laptop.quit().unwrap();
    drop(counter_driver);
    drop(laptop_driver);

    // On disk and on the server: both sales once, both devices at 8, nothing waiting.
    assert_eq!(store_on_hand(counter_data.path()), ("8".into(), 0, 0));
    assert_eq!(store_on_hand(laptop_data.path()), ("8".into(), 0, 0));
    assert_eq!(
        server.count("SELECT count(*) FROM records WHERE entity = 'sale'"),
        2
    );
    assert_eq!(
        server.count("SELECT sum(on_hand_milli) FROM stock_levels"),
        8000,
        "the server's own count of the scarf"
    );
}
