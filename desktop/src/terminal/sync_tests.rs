//! The Sync page through `Terminal`: the enrolment form's checks, who may link a device
//! or manage devices, a failed enrolment keeping nothing, and, against a real
//! `galla-server` on a fresh Postgres database, enrolment, syncing, the background
//! loop poked by a sale, pairing codes, Verify, rejections and revoking a device.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::sync::check_enrolment;
use super::Terminal;
use crate::credentials::{Keyring, MemoryKeyring, NoKeyring, TOKEN_FILE_NAME};
use crate::sync_loop::wall_clock_ms;
use crate::wire::people::RoleView;
use crate::wire::pos::PaymentInput;
use crate::wire::sync::{ConnectionView, EnrolInput, KeyPlaceView};
use crate::wire::ErrorCode;

const OWNER_PIN: &str = "2580";
const MANAGER_PIN: &str = "4711";
const CASHIER_PIN: &str = "1357";

fn editor(name: &str, price: &str) -> Value {
    json!({
        "name": name, "description": "", "category_id": null, "tax_class": "", "hsn_code": "",
        "status": "active", "show_on_storefront": false, "option_names": [],
        "variants": [{"id": null, "option_values": [], "sku": "", "price": price, "cost": "", "barcodes": []}]
    })
}

fn form(server_url: &str) -> EnrolInput {
    EnrolInput {
        server_url: server_url.into(),
        device_name: "Counter 2".into(),
        pairing_code: "K7QM-X2PA-9RTD".into(),
        email: String::new(),
        password: String::new(),
        key_in_file: false,
    }
}

fn png() -> Vec<u8> {
    let picture = image::RgbImage::from_fn(30, 20, |x, y| {
        image::Rgb([200, (x * 8) as u8, (y * 12) as u8])
    });
    let mut out = Vec::new();
    picture
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

/// An address where nothing listens: a port just freed.
fn closed_port_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

/// A shop with an owner signed in, and a manager and a cashier on the staff list.
fn shop(keyring: Box<dyn Keyring>) -> (tempfile::TempDir, Terminal, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let t = Terminal::open_with_keyring(dir.path(), keyring);
    let now = wall_clock_ms();
    t.set_up_owner("Asha", OWNER_PIN, now).unwrap();
    let manager = t
        .add_staff("Meera", RoleView::Manager, MANAGER_PIN, now)
        .unwrap();
    let cashier = t
        .add_staff("Ravi", RoleView::Cashier, CASHIER_PIN, now)
        .unwrap();
    (dir, t, manager.id, cashier.id)
}

#[test]
fn an_unlinked_device_says_so_and_keeps_its_changes_waiting() {
    let (_dir, t, _, _) = shop(Box::new(NoKeyring));
    t.save_product(None, editor("Tea", "10"), wall_clock_ms())
        .unwrap();
    let status = t.sync_status().unwrap();
    assert_eq!(status.connection, ConnectionView::NotLinked);
    assert!(status.link.is_none());
    assert!(
        status.pending > 0,
        "the owner, the staff and the product wait"
    );
    assert_eq!(
        (
            status.last_success_ms,
            status.rejection_count,
            status.skipped
        ),
        (None, 0, 0)
    );
    assert!(!status.background && !status.keyring_available);
    assert_eq!(status.key_place, None);

    // Starting the loop on an unlinked device does nothing.
    t.start_sync();
    assert!(!t.sync_status().unwrap().background);
    let refused = t.sync_now().unwrap_err();
    assert_eq!(refused.code, ErrorCode::NotLinked);
    assert_eq!(t.verify_sync().unwrap_err().code, ErrorCode::NotLinked);
    assert_eq!(
        t.new_pairing_code(false, wall_clock_ms()).unwrap_err().code,
        ErrorCode::NotLinked
    );
    assert_eq!(t.list_devices().unwrap_err().code, ErrorCode::NotLinked);

    t.sign_out();
    assert_eq!(t.sync_status().unwrap_err().code, ErrorCode::SignedOut);
    assert_eq!(t.sync_now().unwrap_err().code, ErrorCode::SignedOut);
}

#[test]
fn the_enrolment_form_is_checked_field_by_field_before_the_server_is_asked() {
    let (dir, t, _, _) = shop(Box::new(NoKeyring));
    let url = closed_port_url();
    let cases: Vec<(EnrolInput, &str)> = vec![
        (
            EnrolInput {
                server_url: "  ".into(),
                ..form(&url)
            },
            "server_url",
        ),
        (
            EnrolInput {
                server_url: "sync.example.in".into(),
                ..form(&url)
            },
            "server_url",
        ),
        (
            EnrolInput {
                server_url: "https://".into(),
                ..form(&url)
            },
            "server_url",
        ),
        (
            EnrolInput {
                device_name: " ".into(),
                ..form(&url)
            },
            "device_name",
        ),
        (
            EnrolInput {
                device_name: "x".repeat(101),
                ..form(&url)
            },
            "device_name",
        ),
        (
            EnrolInput {
                pairing_code: "K7QM-X2PA".into(),
                ..form(&url)
            },
            "pairing_code",
        ),
        (
            EnrolInput {
                pairing_code: "I0QM-X2PA-9RTD".into(),
                ..form(&url)
            },
            "pairing_code",
        ),
        (
            EnrolInput {
                pairing_code: String::new(),
                ..form(&url)
            },
            "pairing_code",
        ),
        (
            EnrolInput {
                email: "asha@example.in".into(),
                password: "secret".into(),
                ..form(&url)
            },
            "pairing_code",
        ),
        (
            EnrolInput {
                pairing_code: String::new(),
                email: "asha".into(),
                password: "secret".into(),
                ..form(&url)
            },
            "email",
        ),
        (
            EnrolInput {
                pairing_code: String::new(),
                email: "asha@example.in".into(),
                ..form(&url)
            },
            "password",
        ),
    ];
    for (input, field) in cases {
        let refused = t.enroll_device(input.clone()).unwrap_err();
        assert_eq!(refused.code, ErrorCode::EnrolInvalid, "{input:?}");
        assert_eq!(refused.field.as_deref(), Some(field), "{input:?}");
        assert!(refused.message.ends_with('.'), "{}", refused.message);
    }

    // No keyring here and no file asked for: said before the server hands out a key.
    let refused = t.enroll_device(form(&url)).unwrap_err();
    assert_eq!(refused.code, ErrorCode::SyncKeyFailed);
    assert_eq!(refused.field.as_deref(), Some("key_in_file"));
    assert!(
        refused.message.contains("No keyring"),
        "{}",
        refused.message
    );
    assert_eq!(
        t.sync_status().unwrap().connection,
        ConnectionView::NotLinked
    );
    assert!(!dir.path().join(TOKEN_FILE_NAME).exists());
}

#[test]
fn pairing_codes_are_read_as_the_server_reads_them() {
    let base = form("https://sync.example.in/");
    let checked = check_enrolment(&EnrolInput {
        pairing_code: " k7qm x2pa-9rtd ".into(),
        device_name: "  Counter 2 ".into(),
        ..base.clone()
    })
    .unwrap();
    assert_eq!(checked.server_url, "https://sync.example.in");
    assert_eq!(checked.device_name, "Counter 2");
    assert_eq!(
        checked.credential,
        super::sync::EnrolWith::Code("K7QM-X2PA-9RTD".into())
    );
    let by_owner = check_enrolment(&EnrolInput {
        pairing_code: String::new(),
        email: " asha@example.in ".into(),
        password: " spaces count ".into(),
        ..base
    })
    .unwrap();
    assert_eq!(
        by_owner.credential,
        super::sync::EnrolWith::Owner {
            email: "asha@example.in".into(),
            password: " spaces count ".into()
        }
    );
}

#[test]
fn an_unreachable_server_fails_the_enrolment_and_nothing_is_kept() {
    let keyring = Arc::new(MemoryKeyring::default());
    let (dir, t, _, _) = shop(Box::new(Arc::clone(&keyring)));
    let device = t.sync_status().unwrap().device_id;
    for key_in_file in [false, true] {
        let refused = t
            .enroll_device(EnrolInput {
                key_in_file,
                ..form(&closed_port_url())
            })
            .unwrap_err();
        assert_eq!(refused.code, ErrorCode::ServerUnreachable);
        assert_eq!(refused.field.as_deref(), Some("server_url"));
        assert!(
            refused
                .message
                .starts_with("Could not reach the server at http://127.0.0.1:"),
            "{}",
            refused.message
        );
        let status = t.sync_status().unwrap();
        assert_eq!(status.connection, ConnectionView::NotLinked);
        assert!(!status.background);
        assert_eq!(keyring.get(&device).unwrap(), None);
        assert!(!dir.path().join(TOKEN_FILE_NAME).exists());
    }
}

#[test]
fn only_owners_and_managers_link_a_device_and_only_owners_manage_devices() {
    let (_dir, t, manager, cashier) = shop(Box::new(NoKeyring));
    let this = t.sync_status().unwrap().device_id;
    let url = closed_port_url();

    t.sign_out();
    t.sign_in(&cashier, CASHIER_PIN, wall_clock_ms()).unwrap();
    // A cashier sees the status line, and syncing is not theirs to refuse.
    assert_eq!(
        t.sync_status().unwrap().connection,
        ConnectionView::NotLinked
    );
    let refused = t
        .enroll_device(EnrolInput {
            key_in_file: true,
            ..form(&url)
        })
        .unwrap_err();
    assert_eq!(refused.code, ErrorCode::PermissionDenied);
    assert!(
        refused.message.contains("owner or manager"),
        "{}",
        refused.message
    );
    for refused in [
        t.new_pairing_code(false, wall_clock_ms()).unwrap_err(),
        t.list_devices().unwrap_err(),
        t.revoke_device("0190a0a0-0000-7000-8000-000000000001")
            .unwrap_err(),
    ] {
        assert_eq!(refused.code, ErrorCode::PermissionDenied);
        assert!(
            refused.message.starts_with("Only an owner"),
            "{}",
            refused.message
        );
    }

    t.sign_out();
    t.sign_in(&manager, MANAGER_PIN, wall_clock_ms()).unwrap();
    // A manager may link the device (here the server is unreachable)...
    assert_eq!(
        t.enroll_device(EnrolInput {
            key_in_file: true,
            ..form(&url)
        })
        .unwrap_err()
        .code,
        ErrorCode::ServerUnreachable
    );
    // ...but not make codes or revoke devices.
    assert_eq!(
        t.new_pairing_code(true, wall_clock_ms()).unwrap_err().code,
        ErrorCode::PermissionDenied
    );
    // Nobody revokes the device they sit at.
    let refused = t.revoke_device(&this).unwrap_err();
    assert_eq!(refused.code, ErrorCode::PermissionDenied);
    assert!(refused.message.contains("cannot revoke itself"));
    assert_eq!(
        t.revoke_device("nonsense").unwrap_err().code,
        ErrorCode::NotFound
    );
}

// --- Against a real server ---

/// `galla-server` on 127.0.0.1:<free port>, on a database of its own made on the
/// Postgres that DATABASE_URL names (scripts/test.sh starts one when none answers).
/// Postgres is reached through `psql`: the desktop crate does not know sqlx.
struct TestServer {
    runtime: Option<tokio::runtime::Runtime>,
    admin_url: String,
    database: String,
    url: String,
}

const OWNER_EMAIL: &str = "asha@anand.test";
const OWNER_PASSWORD: &str = "correct horse battery";

fn psql(url: &str, sql: &str) {
    let out = std::process::Command::new("psql")
        .args([url, "-v", "ON_ERROR_STOP=1", "-qAtc", sql])
        .output()
        .expect("psql (postgresql-client) runs");
    assert!(
        out.status.success(),
        "psql {sql}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

impl TestServer {
    fn start() -> TestServer {
        let admin_url = std::env::var("DATABASE_URL")
            .unwrap_or_else(|_| String::from("postgres://postgres@127.0.0.1:5432/postgres"));
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        // One database per test: tests of one process run side by side.
        let database = format!(
            "galla_desktop_sync_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        );
        psql(
            &admin_url,
            &format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)"),
        );
        psql(&admin_url, &format!("CREATE DATABASE {database}"));
        let (head, tail) = admin_url.split_at(admin_url.find('?').unwrap_or(admin_url.len()));
        let cut = head.rfind('/').unwrap();
        let db_url = format!("{}/{database}{tail}", &head[..cut]);
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let url = runtime.block_on(async {
            let pool = galla_sync_server::db::connect(&db_url).await.unwrap();
            galla_sync_server::db::migrate(&pool).await.unwrap();
            let new = galla_sync_server::cli::NewBusiness {
                name: "Anand Textiles".into(),
                slug: "anand".into(),
                owner_email: OWNER_EMAIL.into(),
                password: OWNER_PASSWORD.into(),
            };
            galla_sync_server::cli::create_business(&pool, &new)
                .await
                .unwrap();
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let url = format!("http://{}", listener.local_addr().unwrap());
            tokio::spawn(galla_sync_server::serve(
                listener,
                pool,
                std::future::pending(),
            ));
            url
        });
        TestServer {
            runtime: Some(runtime),
            admin_url,
            database,
            url,
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
        let _ = std::process::Command::new("psql")
            .args([
                self.admin_url.as_str(),
                "-qAtc",
                &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.database),
            ])
            .output();
    }
}

fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn two_devices_enrol_sync_verify_and_the_owner_revokes_one() {
    let server = TestServer::start();

    // The owner's laptop: no keyring, so the key goes in the file when asked.
    let (dir_a, a, _, _) = shop(Box::new(NoKeyring));
    let tea = a
        .save_product(None, editor("Tea", "10"), wall_clock_ms())
        .unwrap();
    let by_owner = EnrolInput {
        device_name: "Owner's laptop".into(),
        pairing_code: String::new(),
        email: OWNER_EMAIL.to_uppercase(),
        password: "wrong password".into(),
        key_in_file: true,
        ..form(&server.url)
    };
    let refused = a.enroll_device(by_owner.clone()).unwrap_err();
    assert_eq!(refused.code, ErrorCode::ServerRefused);
    assert_eq!(refused.field.as_deref(), Some("password"));
    assert_eq!(
        a.sync_status().unwrap().connection,
        ConnectionView::NotLinked
    );
    assert!(!dir_a.path().join(TOKEN_FILE_NAME).exists());

    let linked = a
        .enroll_device(EnrolInput {
            password: OWNER_PASSWORD.into(),
            ..by_owner.clone()
        })
        .unwrap();
    let link = linked.link.clone().unwrap();
    assert_eq!(
        (link.business_name.as_str(), link.device_name.as_str()),
        ("Anand Textiles", "Owner's laptop")
    );
    assert_eq!(linked.key_place, Some(KeyPlaceView::File));
    assert!(linked.background, "enrolment starts the background sync");
    let again = a.enroll_device(by_owner).unwrap_err();
    assert!(
        again.message.contains("already linked"),
        "{}",
        again.message
    );

    let synced = a.sync_now().unwrap();
    assert_eq!(synced.status.pending, 0);
    assert_eq!(synced.status.connection, ConnectionView::Online);
    assert!(synced.status.last_success_ms.is_some());
    assert_eq!(synced.status.last_error, None);
    assert_eq!(synced.status.rejection_count, 0);

    let code = a.new_pairing_code(true, wall_clock_ms()).unwrap();
    assert_eq!(code.code.len(), 14);
    assert_eq!(code.shop_name.as_deref(), Some("Main shop"));
    assert!(code.expires_at_ms > wall_clock_ms());
    let plain = a.new_pairing_code(false, wall_clock_ms()).unwrap();
    assert_eq!(plain.shop_name, None);

    // A counter joins with the code; its keyring holds the key.
    let keyring = Arc::new(MemoryKeyring::default());
    let dir_b = tempfile::tempdir().unwrap();
    let b = Terminal::open_with_keyring(dir_b.path(), Box::new(Arc::clone(&keyring)));
    b.set_up_owner("Kiran", "9146", wall_clock_ms()).unwrap();
    let wrong_code = b
        .enroll_device(EnrolInput {
            pairing_code: "AAAA-BBBB-CCCC".into(),
            ..form(&server.url)
        })
        .unwrap_err();
    assert_eq!(wrong_code.code, ErrorCode::ServerRefused);
    assert_eq!(wrong_code.field.as_deref(), Some("pairing_code"));
    let joined = b
        .enroll_device(EnrolInput {
            pairing_code: code.code.to_lowercase(),
            ..form(&server.url)
        })
        .unwrap();
    assert_eq!(joined.key_place, Some(KeyPlaceView::Keyring));
    assert!(keyring.get(&joined.device_id).unwrap().is_some());
    assert!(!dir_b.path().join(TOKEN_FILE_NAME).exists());
    let b_synced = b.sync_now().unwrap().status;
    assert_eq!(b_synced.pending, 0);
    assert_eq!(
        b_synced.link.unwrap().shop_name.as_deref(),
        Some("Main shop")
    );
    // The counter's own first owner is not the business's: the server refused it,
    // and the counter shows why.
    assert!(b_synced.rejection_count > 0);
    let staff = b_synced
        .rejections
        .iter()
        .find(|r| r.entity == "staff")
        .unwrap();
    assert!(!staff.code.is_empty() && !staff.reason.is_empty());
    // And it has the owner's catalog.
    let found = b
        .search_products(
            json!({"text": "Tea", "category_id": null, "status": null, "offset": 0, "limit": 10}),
        )
        .unwrap();
    assert!(found.iter().any(|p| p.id == tea.id), "{found:?}");

    // Verify: every scope agrees on the owner's laptop.
    let verified = a.verify_sync().unwrap();
    assert!(verified.agrees, "{:?}", verified.scopes);
    assert!(verified.repaired.is_empty());
    let scopes: Vec<&str> = verified.scopes.iter().map(|s| s.scope.as_str()).collect();
    for scope in ["catalog", "shops", "people", "stock", "sales", "audit"] {
        assert!(scopes.contains(&scope), "{scopes:?}");
    }

    // A sale pokes the background sync, which sends it without being asked.
    a.open_shift("0", wall_clock_ms()).unwrap();
    a.add_to_cart(&tea.variants[0].id, "1", wall_clock_ms())
        .unwrap();
    a.complete_sale(
        vec![PaymentInput {
            method: "cash".into(),
            amount: "10".into(),
            reference: String::new(),
        }],
        wall_clock_ms(),
    )
    .unwrap();
    wait_for("the sale to be sent", || {
        a.sync_status().unwrap().pending == 0
    });

    // Live updates: the counter hears of the owner's change and fetches it, without
    // "Sync now" and before its loop's next turn.
    wait_for("the counter's live updates", || {
        b.sync_status().unwrap().live
    });
    let coffee = a
        .save_product(None, editor("Coffee", "20"), wall_clock_ms())
        .unwrap();
    a.sync_now().unwrap();
    wait_for("the coffee to reach the counter", || {
        b.search_products(json!({"text": "Coffee", "category_id": null, "status": null, "offset": 0, "limit": 10}))
            .unwrap()
            .iter()
            .any(|p| p.id == coffee.id)
    });

    // The owner's device list, and revoking the counter.
    let devices = a.list_devices().unwrap();
    assert_eq!(devices.len(), 2);
    let mine = devices.iter().find(|d| d.this_device).unwrap();
    assert_eq!(mine.name, "Owner's laptop");
    let counter = devices.iter().find(|d| !d.this_device).unwrap();
    assert_eq!(counter.shop_name.as_deref(), Some("Main shop"));
    assert_eq!(counter.revoked_at_ms, None);
    let refused = a.revoke_device(&mine.id).unwrap_err();
    assert_eq!(refused.code, ErrorCode::PermissionDenied);
    let after = a.revoke_device(&counter.id).unwrap();
    assert!(after
        .iter()
        .any(|d| d.id == counter.id && d.revoked_at_ms.is_some()));

    // The counter learns it at its next sync, stops, and keeps what it has not sent.
    b.save_product(None, editor("Biscuits", "30"), wall_clock_ms())
        .unwrap();
    let refused = b.sync_now().unwrap_err();
    assert_eq!(refused.code, ErrorCode::DeviceRevoked);
    assert!(
        refused.message.contains("stay on this device"),
        "{}",
        refused.message
    );
    let status = b.sync_status().unwrap();
    assert_eq!(status.connection, ConnectionView::Revoked);
    assert!(status.pending > 0);
    wait_for("the counter's loop to stop", || {
        !b.sync_status().unwrap().background
    });

    // Its unsynced changes can be saved to a file, as they would have been sent; they
    // stay in the store too. A cashier may not.
    let exports = tempfile::tempdir().unwrap();
    let saved = b.export_unsynced(exports.path(), wall_clock_ms()).unwrap();
    assert_eq!(saved.entries, status.pending);
    let file: Value = serde_json::from_str(&std::fs::read_to_string(&saved.path).unwrap()).unwrap();
    assert_eq!(file["format"], json!("galla-unsynced-changes"));
    assert_eq!(file["device_id"], json!(status.device_id));
    assert_eq!(file["business_name"], json!("Anand Textiles"));
    let entries = file["entries"].as_array().unwrap();
    assert_eq!(entries.len() as u64, status.pending);
    assert!(entries
        .iter()
        .any(|e| e["entity"] == json!("product") && e["payload"].to_string().contains("Biscuits")));
    let again = b.export_unsynced(exports.path(), wall_clock_ms()).unwrap();
    assert_ne!(
        again.path, saved.path,
        "a second export does not overwrite the first"
    );
    assert_eq!(b.sync_status().unwrap().pending, status.pending);
    let cashier = b
        .add_staff("Ravi", RoleView::Cashier, CASHIER_PIN, wall_clock_ms())
        .unwrap();
    b.sign_out();
    b.sign_in(&cashier.id, CASHIER_PIN, wall_clock_ms())
        .unwrap();
    assert_eq!(
        b.export_unsynced(exports.path(), wall_clock_ms())
            .unwrap_err()
            .code,
        ErrorCode::PermissionDenied
    );
}

#[test]
fn a_fresh_install_joins_a_shop_on_first_start_and_its_people_sign_in() {
    let server = TestServer::start();

    // The owner's laptop: a cashier, a product with stock, linked and synced.
    let (_dir_a, a, _, cashier) = shop(Box::new(NoKeyring));
    let tea = a
        .save_product(None, editor("Tea", "10"), wall_clock_ms())
        .unwrap();
    a.receive_stock(&tea.variants[0].id, "12", "", wall_clock_ms())
        .unwrap();
    let picture = png();
    let hash = a
        .add_product_image(&tea.id, &picture, wall_clock_ms())
        .unwrap()
        .images[0]
        .hash
        .clone();
    a.enroll_device(EnrolInput {
        device_name: "Owner's laptop".into(),
        pairing_code: String::new(),
        email: OWNER_EMAIL.into(),
        password: OWNER_PASSWORD.into(),
        key_in_file: true,
        ..form(&server.url)
    })
    .unwrap();
    assert_eq!(a.sync_now().unwrap().status.pending, 0);
    let code = a.new_pairing_code(true, wall_clock_ms()).unwrap();

    // A fresh counter starts on the set-up screen, and joins instead.
    let dir_b = tempfile::tempdir().unwrap();
    let b = Terminal::open_with_keyring(dir_b.path(), Box::new(NoKeyring));
    let first = b.session(wall_clock_ms()).unwrap();
    assert!(first.needs_setup && first.joining.is_none() && !first.keyring_available);
    let join = |code: &str| EnrolInput {
        pairing_code: code.into(),
        key_in_file: true,
        ..form(&server.url)
    };
    let refused = b
        .join_shop(join("AAAA-BBBB-CCCC"), wall_clock_ms())
        .unwrap_err();
    assert_eq!(refused.code, ErrorCode::ServerRefused);
    assert_eq!(refused.field.as_deref(), Some("pairing_code"));
    assert!(
        b.session(wall_clock_ms()).unwrap().needs_setup,
        "nothing kept"
    );
    assert!(!dir_b.path().join(TOKEN_FILE_NAME).exists());

    let joined = b.join_shop(join(&code.code), wall_clock_ms()).unwrap();
    assert_eq!(joined.first_sync_error, None);
    let session = joined.session;
    assert!(!session.needs_setup && session.joining.is_none());
    let mut names: Vec<&str> = session.people.iter().map(|p| p.name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, ["Asha", "Meera", "Ravi"]);
    assert!(dir_b.path().join(TOKEN_FILE_NAME).exists());

    // The tea's picture came as a record; its bytes are fetched when first shown.
    assert!(!dir_b.path().join("images").exists());
    assert!(b.image_bytes(&format!("/{hash}/thumb")).is_some());
    assert_eq!(b.image_bytes(&format!("/{hash}")), Some(picture));
    assert_eq!(b.image_bytes("/../../etc/passwd"), None);

    // Joined devices do not set up owners of their own, nor join twice.
    let refused = b
        .set_up_owner("Kiran", "9146", wall_clock_ms())
        .unwrap_err();
    assert!(
        refused.message.contains("joined Anand Textiles"),
        "{}",
        refused.message
    );
    let refused = b.join_shop(join(&code.code), wall_clock_ms()).unwrap_err();
    assert!(
        refused.message.contains("already joined"),
        "{}",
        refused.message
    );

    // The cashier signs in with the PIN made on the laptop and sells the laptop's tea
    // from the laptop's shop; nothing the counter did is refused.
    b.sign_in(&cashier, CASHIER_PIN, wall_clock_ms()).unwrap();
    b.open_shift("0", wall_clock_ms()).unwrap();
    b.add_to_cart(&tea.variants[0].id, "2", wall_clock_ms())
        .unwrap();
    b.complete_sale(
        vec![PaymentInput {
            method: "cash".into(),
            amount: "20".into(),
            reference: String::new(),
        }],
        wall_clock_ms(),
    )
    .unwrap();
    let status = b.sync_now().unwrap().status;
    assert_eq!((status.pending, status.rejection_count), (0, 0));
    assert_eq!(status.link.unwrap().shop_name.as_deref(), Some("Main shop"));
    a.sync_now().unwrap();
    let on_hand = |dir: &std::path::Path| {
        let mut store = galla_core::Store::open_in(dir).unwrap();
        let shops = store.shops().unwrap();
        let shop = store.current_shop(wall_clock_ms()).unwrap();
        let variant = galla_core::id::parse_id(&tea.variants[0].id).unwrap();
        (
            shops.len(),
            store.on_hand(variant, shop.id).unwrap().to_string(),
        )
    };
    assert_eq!(on_hand(dir_b.path()), (1, "10".to_owned()));
    assert_eq!(on_hand(_dir_a.path()), (1, "10".to_owned()));

    // The owner joins a second fresh install with e-mail and password (no shop given):
    // it works in the business's shop, not a stray one of its own.
    let dir_c = tempfile::tempdir().unwrap();
    let c = Terminal::open_with_keyring(dir_c.path(), Box::new(NoKeyring));
    let by_owner = c
        .join_shop(
            EnrolInput {
                device_name: "Back room".into(),
                pairing_code: String::new(),
                email: OWNER_EMAIL.into(),
                password: OWNER_PASSWORD.into(),
                key_in_file: true,
                ..form(&server.url)
            },
            wall_clock_ms(),
        )
        .unwrap();
    let owner = by_owner
        .session
        .people
        .iter()
        .find(|p| p.name == "Asha")
        .unwrap();
    c.sign_in(&owner.id, OWNER_PIN, wall_clock_ms()).unwrap();
    assert_eq!(on_hand(dir_c.path()), (1, "10".to_owned()));
    c.open_shift("0", wall_clock_ms()).unwrap();
    let status = c.sync_now().unwrap().status;
    assert_eq!((status.pending, status.rejection_count), (0, 0));
}
