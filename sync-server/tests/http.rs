//! The real router served on a real socket, against a real (per-test) database.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use galla_sync_server::db;
use reqwest::StatusCode;
use serde_json::{json, Value};
use sqlx::postgres::PgConnectOptions;
use sqlx::PgPool;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// A server running on its own port for the length of one test.
struct TestServer {
    base: String,
    task: JoinHandle<std::io::Result<()>>,
}

impl TestServer {
    async fn start(pool: PgPool) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let task = tokio::spawn(galla_sync_server::serve(
            listener,
            pool,
            std::future::pending(),
        ));
        TestServer {
            base: format!("http://{addr}"),
            task,
        }
    }

    async fn get(&self, path: &str) -> (StatusCode, Value) {
        let response = reqwest::Client::new()
            .get(format!("{}{path}", self.base))
            .timeout(Duration::from_secs(20))
            .send()
            .await
            .unwrap();
        let status = response.status();
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        assert_eq!(content_type, "application/json", "{path}");
        (status, response.json().await.unwrap())
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A pool whose database is never there: nothing listens on its port.
fn unreachable_pool() -> PgPool {
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap().port()
    };
    let options = PgConnectOptions::new()
        .host("127.0.0.1")
        .port(port)
        .username("nobody")
        .database("nothing");
    db::pool_options().connect_lazy_with(options)
}

fn assert_error_shape(body: &Value, code: &str) {
    let error = body
        .get("error")
        .and_then(Value::as_object)
        .unwrap_or_else(|| panic!("no error object in {body}"));
    assert_eq!(error.len(), 2, "{body}");
    assert_eq!(error.get("code"), Some(&json!(code)), "{body}");
    let message = error.get("message").and_then(Value::as_str).unwrap();
    assert!(!message.is_empty());
}

#[sqlx::test(migrations = "../migrations/server")]
async fn healthz_answers_ok(pool: PgPool) {
    let server = TestServer::start(pool).await;
    let (status, body) = server.get("/healthz").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, json!({ "status": "ok" }));
}

#[tokio::test]
async fn healthz_does_not_need_the_database() {
    let server = TestServer::start(unreachable_pool()).await;
    let started = Instant::now();
    let (status, body) = server.get("/healthz").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, json!({ "status": "ok" }));
    assert!(started.elapsed() < Duration::from_secs(1));
}

#[sqlx::test(migrations = "../migrations/server")]
async fn readyz_answers_ready_when_database_answers(pool: PgPool) {
    let server = TestServer::start(pool).await;
    let (status, body) = server.get("/readyz").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, json!({ "status": "ready" }));
}

#[tokio::test]
async fn readyz_answers_503_when_database_is_unreachable() {
    let server = TestServer::start(unreachable_pool()).await;
    let started = Instant::now();
    let (status, body) = server.get("/readyz").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_error_shape(&body, "database_unavailable");
    // Bounded by the readiness timeout, not the pool's longer acquire timeout.
    assert!(
        started.elapsed() < db::CONNECT_TIMEOUT,
        "{:?}",
        started.elapsed()
    );
}

#[sqlx::test(migrations = "../migrations/server")]
async fn readyz_answers_503_when_pool_is_closed(pool: PgPool) {
    pool.close().await;
    let server = TestServer::start(pool).await;
    let (status, body) = server.get("/readyz").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_error_shape(&body, "database_unavailable");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(!message.to_lowercase().contains("pool"), "{message}");
}

#[sqlx::test(migrations = "../migrations/server")]
async fn unknown_path_answers_404_in_error_shape(pool: PgPool) {
    let server = TestServer::start(pool).await;
    for path in ["/", "/nope", "/healthz/extra"] {
        let (status, body) = server.get(path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_error_shape(&body, "not_found");
    }
}

#[sqlx::test(migrations = "../migrations/server")]
async fn wrong_method_answers_405_in_error_shape(pool: PgPool) {
    let server = TestServer::start(pool).await;
    let response = reqwest::Client::new()
        .post(format!("{}/healthz", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_error_shape(&response.json().await.unwrap(), "method_not_allowed");
}

#[sqlx::test(migrations = "../migrations/server")]
async fn serve_stops_on_shutdown_and_closes_pool(pool: PgPool) {
    // The shutdown trigger is a connection to a second listener, which needs
    // neither sleeps nor extra tokio features.
    let trigger = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let trigger_addr = trigger.local_addr().unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let task = tokio::spawn(galla_sync_server::serve(
        listener,
        pool.clone(),
        async move {
            let _ = trigger.accept().await;
        },
    ));

    let response = reqwest::get(format!("http://{addr}/readyz")).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);

    let _ = tokio::net::TcpStream::connect(trigger_addr).await.unwrap();
    tokio::time::timeout(Duration::from_secs(20), task)
        .await
        .expect("serve did not return after shutdown")
        .unwrap()
        .unwrap();
    assert!(pool.is_closed());
}

#[sqlx::test(migrations = "../migrations/server")]
async fn migration_creates_businesses(pool: PgPool) {
    let columns: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT column_name::text, data_type::text, is_nullable::text
         FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name = 'businesses'
         ORDER BY ordinal_position",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let expected = [
        ("id", "uuid", "NO"),
        ("slug", "text", "NO"),
        ("name", "text", "NO"),
        ("created_at", "timestamp with time zone", "NO"),
        ("feed_cursor", "bigint", "NO"),
        ("storefront_origins", "ARRAY", "NO"),
        ("storefront_exact_stock", "boolean", "NO"),
        ("storefront_low_stock_milli", "bigint", "NO"),
        ("storefront_version", "bigint", "NO"),
    ];
    let columns: Vec<(&str, &str, &str)> = columns
        .iter()
        .map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str()))
        .collect();
    assert_eq!(columns, expected);

    let insert = |id: &'static str, slug: &'static str, name: &'static str| {
        sqlx::query("INSERT INTO businesses (id, slug, name) VALUES ($1::uuid, $2, $3)")
            .bind(id)
            .bind(slug)
            .bind(name)
            .execute(&pool)
    };
    insert(
        "019a0000-0000-7000-8000-000000000001",
        "corner-shop",
        "Corner Shop",
    )
    .await
    .unwrap();

    let created_at_set: bool =
        sqlx::query_scalar("SELECT created_at IS NOT NULL FROM businesses WHERE slug = $1")
            .bind("corner-shop")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(created_at_set);

    let sqlstate = |err: sqlx::Error| {
        err.as_database_error()
            .and_then(|db| db.code())
            .map(|code| code.into_owned())
    };
    let duplicate = insert(
        "019a0000-0000-7000-8000-000000000002",
        "corner-shop",
        "Another",
    )
    .await
    .unwrap_err();
    assert_eq!(sqlstate(duplicate).as_deref(), Some("23505"));

    let bad_slug = insert(
        "019a0000-0000-7000-8000-000000000003",
        "Corner Shop",
        "Another",
    )
    .await
    .unwrap_err();
    assert_eq!(sqlstate(bad_slug).as_deref(), Some("23514"));
}

#[sqlx::test(migrations = false)]
async fn server_migrations_apply_to_empty_database_and_rerun_cleanly(pool: PgPool) {
    db::migrate(&pool).await.unwrap();
    db::migrate(&pool).await.unwrap();
    let exists: bool = sqlx::query_scalar("SELECT to_regclass('businesses') IS NOT NULL")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(exists);
}

#[tokio::test]
async fn connect_reports_refused_connection_quickly_with_password_masked() {
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap().port()
    };
    let started = Instant::now();
    let err = db::connect(&format!("postgres://galla:hunter2@127.0.0.1:{port}/galla"))
        .await
        .unwrap_err();
    let message = err.to_string();
    assert!(message.contains("connection refused"), "{message}");
    assert!(message.contains("galla:***@127.0.0.1"), "{message}");
    assert!(!message.contains("hunter2"), "{message}");
    assert!(started.elapsed() < db::CONNECT_TIMEOUT);
}
