//! Live updates (docs/sync-protocol.md, Live updates): a device hears that its
//! business's feed moved, whichever server process took the push.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::*;
use galla_sync_server::db;
use reqwest::StatusCode;
use serde_json::{json, Value};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::PgPool;

const WAIT: Duration = Duration::from_secs(20);

/// An open `GET /sync/v1/events`, read event by event.
struct Events {
    response: reqwest::Response,
    buffer: String,
}

impl Events {
    async fn open(base: &str, token: &str) -> Events {
        let response = client()
            .get(format!("{base}/sync/v1/events"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let content_type = response.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(
            content_type.starts_with("text/event-stream"),
            "{content_type}"
        );
        Events {
            response,
            buffer: String::new(),
        }
    }

    /// The next event's name and data (comments skipped), or `None` when the stream ends.
    async fn next(&mut self) -> Option<(String, Value)> {
        loop {
            if let Some(at) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..at + 2).collect();
                let mut name = String::from("message");
                let mut data = String::new();
                for line in block.lines() {
                    if let Some(value) = line.strip_prefix("event:") {
                        name = value.trim().to_owned();
                    } else if let Some(value) = line.strip_prefix("data:") {
                        data.push_str(value.trim());
                    }
                }
                if data.is_empty() {
                    continue; // a keep-alive comment
                }
                return Some((name, serde_json::from_str(&data).unwrap()));
            }
            let chunk = self.response.chunk().await.unwrap()?;
            self.buffer.push_str(std::str::from_utf8(&chunk).unwrap());
        }
    }

    async fn next_within(&mut self, limit: Duration) -> (String, Value) {
        tokio::time::timeout(limit, self.next())
            .await
            .expect("no event in time")
            .expect("the stream ended")
    }

    /// Reads events until one reports at least `cursor`.
    async fn until(&mut self, cursor: u64) -> u64 {
        loop {
            let (name, data) = self.next_within(WAIT).await;
            assert_eq!(name, "feed");
            let at = data["cursor"].as_u64().unwrap();
            if at >= cursor {
                return at;
            }
        }
    }
}

async fn pool(options: &PgConnectOptions) -> PgPool {
    db::pool_options()
        .connect_with(options.clone())
        .await
        .unwrap()
}

#[sqlx::test(migrator = "galla_sync_server::db::MIGRATOR")]
async fn a_device_hears_a_push_made_through_another_server(
    _options: PgPoolOptions,
    options: PgConnectOptions,
) {
    // Two servers on one database, as behind a load balancer.
    let one = pool(&options).await;
    let two = TestServer::start(pool(&options).await).await;
    let mut w = world(one).await;

    let mut events = Events::open(&two.base, &w.laptop.token).await;
    let (name, data) = events.next_within(WAIT).await;
    assert_eq!(name, "feed");
    let start = cursor(&w.server, &w.laptop).await;
    assert_eq!(data, json!({ "cursor": start }));

    let entry = w.counter.record(
        "product",
        &id().to_string(),
        w.manager,
        json!({"name": "Live"}),
    );
    push_applied(&w.server, &w.counter, &[entry]).await;
    assert_eq!(events.until(start + 1).await, start + 1);

    // A push that changes nothing (a replay) moves no feed; the next real one is heard.
    let entry = w.counter.record(
        "product",
        &id().to_string(),
        w.manager,
        json!({"name": "Again"}),
    );
    push_applied(&w.server, &w.counter, std::slice::from_ref(&entry)).await;
    push_ok(&w.server, &w.counter, &[entry]).await;
    assert_eq!(events.until(start + 2).await, start + 2);
}

#[sqlx::test(migrator = "galla_sync_server::db::MIGRATOR")]
async fn a_device_hears_only_its_own_business(pool: PgPool) {
    let mut a = world_named(pool.clone(), "anand").await;
    create_business(&pool, "bharat").await;
    let mut b = enroll_owner(&a.server, "bharat", "B laptop").await;
    let mut events = Events::open(&a.server.base, &b.token).await;
    assert_eq!(events.next_within(WAIT).await.1, json!({"cursor": 0}));

    // A's change first, then B's own: the first event B hears is B's.
    let entry = a
        .laptop
        .record("product", &id().to_string(), a.owner, json!({"name": "A"}));
    push_applied(&a.server, &a.laptop, &[entry]).await;
    let owner = id();
    let entry = b.entry(
        "staff",
        "create",
        &owner.to_string(),
        Some(owner),
        json!({"fields": {"name": "Bala", "role": "owner", "status": "active"}}),
    );
    push_applied(&a.server, &b, &[entry]).await;
    assert_eq!(events.next_within(WAIT).await.1, json!({"cursor": 1}));
}

#[sqlx::test(migrator = "galla_sync_server::db::MIGRATOR")]
async fn shutting_down_ends_open_streams(pool: PgPool) {
    let business = create_business(&pool, "anand").await;
    let _ = business;
    let trigger = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let trigger_addr = trigger.local_addr().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(galla_sync_server::serve(
        listener,
        pool.clone(),
        async move {
            let _ = trigger.accept().await;
        },
    ));
    let (status, reply) = answer(
        client()
            .post(format!("{base}/sync/v1/enroll"))
            .json(&json!({"device_id": id(), "device_name": "Laptop",
                          "email": "owner@anand.example.in", "password": OWNER_PASSWORD}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{reply}");
    let device = Device::from_reply(&reply);
    let mut events = Events::open(&base, &device.token).await;
    events.next_within(WAIT).await;

    let _ = tokio::net::TcpStream::connect(trigger_addr).await.unwrap();
    tokio::time::timeout(WAIT, task)
        .await
        .expect("serve did not return with a stream open")
        .unwrap()
        .unwrap();
    assert!(tokio::time::timeout(WAIT, events.next())
        .await
        .unwrap()
        .is_none());
}

/// `base` (the test's DATABASE_URL) pointed at database `name` instead.
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

/// A real `galla-server` process, killed when the test ends.
struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the binary on a free port; answers it with its base URL.
fn start_process(url: &str) -> (Process, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_galla-server"))
        .env_remove("GALLA_CONFIG")
        .env_remove("RUST_LOG")
        .env("DATABASE_URL", url)
        .env("GALLA_LISTEN", "127.0.0.1:0")
        .env("GALLA_LOG", "info")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let process = Process(child);
    let (lines_tx, lines) = mpsc::channel::<String>();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if lines_tx.send(line).is_err() {
                // Nobody reads any more; keep draining so the child never blocks.
                continue;
            }
        }
    });
    let deadline = Instant::now() + WAIT;
    loop {
        let line = lines
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("no `listening on` line");
        if let Some((_, addr)) = line.split_once("listening on ") {
            return (process, format!("http://{}", addr.trim()));
        }
    }
}

#[sqlx::test(migrator = "galla_sync_server::db::MIGRATOR")]
async fn two_server_processes_behave_as_one(_options: PgPoolOptions, options: PgConnectOptions) {
    let url = with_database(
        &std::env::var("DATABASE_URL").expect("DATABASE_URL must be set to run these tests"),
        options
            .get_database()
            .expect("sqlx::test names the database"),
    );
    let pool = pool(&options).await;
    create_business(&pool, "anand").await;
    let (_first, one) = tokio::task::spawn_blocking({
        let url = url.clone();
        move || start_process(&url)
    })
    .await
    .unwrap();
    let (_second, two) = tokio::task::spawn_blocking(move || start_process(&url))
        .await
        .unwrap();

    let enrol = |base: String, name: &'static str| async move {
        let (status, reply) = answer(
            client()
                .post(format!("{base}/sync/v1/enroll"))
                .json(&json!({"device_id": id(), "device_name": name,
                              "email": "owner@anand.example.in", "password": OWNER_PASSWORD}))
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{reply}");
        Device::from_reply(&reply)
    };
    let mut pusher = enrol(one.clone(), "Laptop").await;
    let listener = enrol(two.clone(), "Counter").await;
    let mut events = Events::open(&two, &listener.token).await;
    assert_eq!(events.next_within(WAIT).await.1, json!({"cursor": 0}));

    let owner = id();
    let entry = pusher.entry(
        "staff",
        "create",
        &owner.to_string(),
        Some(owner),
        json!({"fields": {"name": "Asha", "role": "owner", "status": "active"}}),
    );
    let (status, reply) = answer(
        client()
            .post(format!("{one}/sync/v1/push"))
            .bearer_auth(&pusher.token)
            .json(&json!({ "entries": [entry] }))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{reply}");
    assert_eq!(events.until(1).await, 1);
    pool.close().await;
}
