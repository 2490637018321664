//! The operator's commands, run as the real binary: migrate, create-business,
//! pairing-code. Output for people on stdout, one line on stderr when something is
//! wrong, exit 2 for mistakes in the command and 1 for the environment.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::Write;
use std::process::{Command, Output, Stdio};

use common::*;
use reqwest::StatusCode;
use serde_json::json;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

const BIN: &str = env!("CARGO_BIN_EXE_galla-server");

fn with_database(base: &str, name: &str) -> String {
    let (without_query, query) = match base.split_once('?') {
        Some((url, query)) => (url, Some(query)),
        None => (base, None),
    };
    let authority_start = without_query.find("://").map_or(0, |at| at + 3);
    let root = match without_query[authority_start..].find('/') {
        Some(at) => &without_query[..authority_start + at],
        None => without_query,
    };
    match query {
        Some(query) => format!("{root}/{name}?{query}"),
        None => format!("{root}/{name}"),
    }
}

fn url_of(options: &PgConnectOptions) -> String {
    with_database(
        &std::env::var("DATABASE_URL").expect("DATABASE_URL must be set to run these tests"),
        options
            .get_database()
            .expect("sqlx::test names the database"),
    )
}

/// Runs the binary with `args`, the database at `url`, and `stdin` typed in.
fn run(url: &str, args: &[&str], password: Option<&str>, stdin: &str) -> Output {
    let mut command = Command::new(BIN);
    for name in [
        "GALLA_CONFIG",
        "GALLA_LISTEN",
        "RUST_LOG",
        "GALLA_OWNER_PASSWORD",
    ] {
        command.env_remove(name);
    }
    command
        .env("DATABASE_URL", url)
        .env("GALLA_LOG", "warn")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(password) = password {
        command.env("GALLA_OWNER_PASSWORD", password);
    }
    let mut child = command.spawn().unwrap();
    let mut input = child.stdin.take().unwrap();
    let _ = input.write_all(stdin.as_bytes());
    drop(input);
    child.wait_with_output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The failure contract: this exit code and exactly one line on stderr.
fn failed(output: &Output, code: i32) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(code), "stderr: {stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "stderr: {stderr}");
    assert!(lines[0].starts_with("galla-server: "), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    lines[0].to_owned()
}

/// `key: value` from the command's output.
fn field(text: &str, key: &str) -> String {
    text.lines()
        .find_map(|line| line.strip_prefix(&format!("{key}: ")))
        .unwrap_or_else(|| panic!("no {key} in {text}"))
        .trim()
        .to_owned()
}

fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> tokio::task::JoinHandle<T> {
    tokio::task::spawn_blocking(f)
}

#[sqlx::test(migrations = false)]
async fn an_operator_sets_up_a_business_and_pairs_a_device(
    _options: PgPoolOptions,
    options: PgConnectOptions,
) {
    let url = url_of(&options);
    let output = blocking({
        let url = url.clone();
        move || run(&url, &["migrate"], None, "")
    })
    .await
    .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");

    // The password typed on standard input.
    let output = blocking({
        let url = url.clone();
        move || {
            run(
                &url,
                &[
                    "create-business",
                    "--name",
                    "Anand Textiles",
                    "--slug",
                    "anand",
                    "--owner-email",
                    "asha@anand.in",
                ],
                None,
                "a long enough password\n",
            )
        }
    })
    .await
    .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let text = stdout(&output);
    let business: uuid::Uuid = field(&text, "business_id").parse().unwrap();
    assert_eq!(field(&text, "slug"), "anand");

    let output = blocking({
        let url = url.clone();
        move || run(&url, &["pairing-code", "--business", "anand"], None, "")
    })
    .await
    .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let text = stdout(&output);
    let code = field(&text, "code");
    assert_eq!(code.len(), 14, "{code}");
    assert!(field(&text, "expires_at").ends_with('Z'), "{text}");

    // The code and the password both enrol a device.
    let pool = galla_sync_server::db::pool_options()
        .connect_with(options.clone())
        .await
        .unwrap();
    let server = TestServer::start(pool).await;
    let device = enroll_with_code(&server, &code, "Counter 1").await;
    assert_eq!(device.business_id, business);
    let (status, reply) = server
        .enroll(&json!({"device_id": id(), "device_name": "Laptop",
                        "email": "asha@anand.in", "password": "a long enough password"}))
        .await;
    assert_eq!(status, StatusCode::OK, "{reply}");
}

#[sqlx::test(migrations = false)]
async fn mistakes_in_a_command_exit_2_with_one_line(
    _options: PgPoolOptions,
    options: PgConnectOptions,
) {
    let url = url_of(&options);
    let output = blocking({
        let url = url.clone();
        move || {
            run(
                &url,
                &[
                    "create-business",
                    "--name",
                    "Anand",
                    "--slug",
                    "anand",
                    "--owner-email",
                    "a@anand.in",
                ],
                Some("from the environment"),
                "",
            )
        }
    })
    .await
    .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");

    let create = |slug: &'static str,
                  email: &'static str,
                  password: Option<&'static str>,
                  stdin: &'static str| {
        let url = url.clone();
        blocking(move || {
            run(
                &url,
                &[
                    "create-business",
                    "--name",
                    "Another",
                    "--slug",
                    slug,
                    "--owner-email",
                    email,
                ],
                password,
                stdin,
            )
        })
    };
    let cases = [
        (
            create("anand", "b@anand.in", Some("long enough password"), ""),
            "taken",
        ),
        (
            create("other", "A@Anand.IN", Some("long enough password"), ""),
            "already belongs",
        ),
        (
            create("Bad Slug", "b@b.in", Some("long enough password"), ""),
            "slug",
        ),
        (
            create("other", "not-an-email", Some("long enough password"), ""),
            "e-mail",
        ),
        (create("other", "b@b.in", Some("short"), ""), "at least 10"),
        (create("other", "b@b.in", None, "short\n"), "at least 10"),
        (create("other", "b@b.in", None, ""), "GALLA_OWNER_PASSWORD"),
    ];
    for (run, expected) in cases {
        let output = run.await.unwrap();
        let line = failed(&output, 2);
        assert!(line.contains(expected), "{line}");
    }

    let pair = |args: &'static [&'static str]| {
        let url = url.clone();
        blocking(move || run(&url, args, None, ""))
    };
    let line = failed(
        &pair(&["pairing-code", "--business", "nobody"])
            .await
            .unwrap(),
        2,
    );
    assert!(line.contains("nobody"), "{line}");
    let line = failed(
        &pair(&[
            "pairing-code",
            "--business",
            "anand",
            "--shop",
            "0194f0e8-a1b2-7c3d-8e9f-0a1b2c3d4e5f",
        ])
        .await
        .unwrap(),
        2,
    );
    assert!(line.contains("shop"), "{line}");
    failed(
        &pair(&["pairing-code", "--business", "anand", "--shop", "main"])
            .await
            .unwrap(),
        2,
    );
    failed(&pair(&["pairing-code"]).await.unwrap(), 2);
    failed(&pair(&["create-business", "--name", "X"]).await.unwrap(), 2);
    failed(&pair(&["migrate", "--slug", "x"]).await.unwrap(), 2);

    // Exactly one business and one owner account came of all this.
    let pool = galla_sync_server::db::pool_options()
        .connect_with(options)
        .await
        .unwrap();
    assert_eq!(count(&pool, "SELECT count(*) FROM businesses").await, 1);
    assert_eq!(count(&pool, "SELECT count(*) FROM owner_accounts").await, 1);
    assert_eq!(count(&pool, "SELECT count(*) FROM pairing_codes").await, 0);
}

#[sqlx::test(migrations = false)]
async fn an_operator_loads_a_demo_business_and_sets_its_storefront(
    _options: PgPoolOptions,
    options: PgConnectOptions,
) {
    let url = url_of(&options);
    let command = |args: &'static [&'static str]| {
        let url = url.clone();
        blocking(move || run(&url, args, None, ""))
    };
    let output = command(&["demo", "--products", "40"]).await.unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let text = stdout(&output);
    assert_eq!(field(&text, "slug"), "demo");
    assert_eq!(field(&text, "products"), "40");
    let shown: usize = field(&text, "on_storefront").parse().unwrap();
    assert!(shown > 0 && shown < 40, "{text}");

    let output = command(&["storefront-settings", "--business", "demo"])
        .await
        .unwrap();
    let text = stdout(&output);
    assert_eq!(field(&text, "allow_origins"), "");
    assert_eq!(field(&text, "exact_stock"), "no");
    assert_eq!(field(&text, "low_stock_units"), "5");
    let output = command(&[
        "storefront-settings",
        "--business",
        "demo",
        "--allow-origins",
        "https://demo.example.in, http://localhost:5173",
        "--exact-stock",
        "yes",
        "--low-stock",
        "2",
    ])
    .await
    .unwrap();
    let text = stdout(&output);
    assert_eq!(
        field(&text, "allow_origins"),
        "https://demo.example.in,http://localhost:5173"
    );
    assert_eq!(field(&text, "exact_stock"), "yes");
    assert_eq!(field(&text, "low_stock_units"), "2");

    let mistakes: [(&'static [&'static str], &str); 7] = [
        (&["demo", "--products", "40"], "taken"),
        (&["demo", "--products", "0", "--slug", "x"], "--products"),
        (&["demo", "--products", "many"], "--products"),
        (&["demo", "--products", "5", "--slug", "Bad Slug"], "slug"),
        (
            &[
                "storefront-settings",
                "--business",
                "demo",
                "--allow-origins",
                "demo.example.in",
            ],
            "not a web origin",
        ),
        (
            &[
                "storefront-settings",
                "--business",
                "demo",
                "--exact-stock",
                "maybe",
            ],
            "yes or no",
        ),
        (&["storefront-settings", "--business", "nobody"], "nobody"),
    ];
    for (args, expected) in mistakes {
        let line = failed(&command(args).await.unwrap(), 2);
        assert!(line.contains(expected), "{args:?}: {line}");
    }
    let pool = galla_sync_server::db::pool_options()
        .connect_with(options)
        .await
        .unwrap();
    assert_eq!(count(&pool, "SELECT count(*) FROM businesses").await, 1);
    assert_eq!(
        count(&pool, "SELECT count(*)::bigint FROM storefront_products").await,
        shown as i64
    );
}

#[tokio::test]
async fn an_unreachable_database_exits_1() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("postgres://galla:secret@127.0.0.1:{port}/galla");
    for args in [&["migrate"][..], &["pairing-code", "--business", "anand"]] {
        let url = url.clone();
        let output = blocking(move || run(&url, args, None, "")).await.unwrap();
        let line = failed(&output, 1);
        assert!(line.contains("connection refused"), "{line}");
        assert!(!line.contains("secret"), "{line}");
    }
}
