//! Hostile and broken requests: each gets the right 4xx in the one error shape and
//! changes nothing (QUALITY.md, "Bad input gets a clear error and loses nothing").

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use galla_sync_protocol::{MAX_BODY_BYTES, MAX_PUSH_ENTRIES};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use sqlx::PgPool;

/// Everything a request could change.
async fn footprint(pool: &PgPool) -> Vec<i64> {
    let mut figures = Vec::new();
    for sql in [
        "SELECT count(*) FROM records",
        "SELECT coalesce(sum(feed_cursor), 0)::bigint FROM businesses",
        "SELECT coalesce(sum(last_seq), 0)::bigint FROM devices",
        "SELECT count(*) FROM devices WHERE revoked_at IS NOT NULL",
        "SELECT count(*) FROM device_entries",
        "SELECT count(*) FROM rejections",
        "SELECT count(*) FROM pairing_codes",
    ] {
        figures.push(count(pool, sql).await);
    }
    figures
}

/// Every authenticated path, with a body that would be valid.
fn paths(w: &World) -> Vec<(Method, String, Option<Value>)> {
    vec![
        (
            Method::POST,
            "/sync/v1/push".into(),
            Some(json!({"entries": []})),
        ),
        (Method::GET, "/sync/v1/pull".into(), None),
        (Method::GET, "/sync/v1/verify".into(), None),
        (Method::GET, "/sync/v1/events".into(), None),
        (
            Method::POST,
            "/sync/v1/pairing-codes".into(),
            Some(json!({"staff_id": w.owner})),
        ),
        (
            Method::GET,
            format!("/sync/v1/devices?staff_id={}", w.owner),
            None,
        ),
        (
            Method::POST,
            format!("/sync/v1/devices/{}/revoke", w.counter.id),
            Some(json!({"staff_id": w.owner})),
        ),
    ]
}

#[sqlx::test(migrator = "galla_sync_server::db::MIGRATOR")]
async fn no_or_unknown_credentials_are_unauthenticated(pool: PgPool) {
    let w = world(pool.clone()).await;
    let before = footprint(&pool).await;
    let wrong = format!("gd1_{}", "A".repeat(43));
    for (method, path, body) in paths(&w) {
        let (status, reply) = w
            .server
            .send(method.clone(), &path, None, body.as_ref())
            .await;
        assert_error(status, &reply, StatusCode::UNAUTHORIZED, "unauthenticated");
        for token in [wrong.as_str(), "", "not a token"] {
            let mut request = client().request(method.clone(), w.server.url(&path));
            request = request.header("Authorization", format!("Bearer {token}"));
            if let Some(body) = &body {
                request = request.json(body);
            }
            let (status, reply) = answer(request.send().await.unwrap()).await;
            assert_error(status, &reply, StatusCode::UNAUTHORIZED, "unauthenticated");
        }
        let request = client()
            .request(method.clone(), w.server.url(&path))
            .header("Authorization", format!("Basic {}", w.laptop.token));
        let (status, reply) = answer(request.send().await.unwrap()).await;
        assert_error(status, &reply, StatusCode::UNAUTHORIZED, "unauthenticated");
    }
    assert_eq!(footprint(&pool).await, before);
}

#[sqlx::test(migrator = "galla_sync_server::db::MIGRATOR")]
async fn a_revoked_device_is_refused_everywhere(pool: PgPool) {
    let mut w = world(pool.clone()).await;
    let (status, _) = w
        .server
        .post(
            &format!("/sync/v1/devices/{}/revoke", w.counter.id),
            &w.laptop.token,
            &json!({"staff_id": w.owner}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let before = footprint(&pool).await;
    let entry = w.counter.record(
        "product",
        &id().to_string(),
        w.manager,
        json!({"name": "X"}),
    );
    let mut requests = paths(&w);
    requests.push((
        Method::POST,
        "/sync/v1/push".into(),
        Some(json!({ "entries": [entry] })),
    ));
    for (method, path, body) in requests {
        let (status, reply) = w
            .server
            .send(method, &path, Some(&w.counter.token), body.as_ref())
            .await;
        assert_error(status, &reply, StatusCode::FORBIDDEN, "device_revoked");
    }
    assert_eq!(footprint(&pool).await, before);
}

#[sqlx::test(migrator = "galla_sync_server::db::MIGRATOR")]
async fn bodies_that_are_not_the_described_json_are_malformed(pool: PgPool) {
    let w = world(pool.clone()).await;
    let before = footprint(&pool).await;
    let raw = |path: &str, text: &str, content_type: &str| {
        client()
            .post(w.server.url(path))
            .bearer_auth(&w.laptop.token)
            .header("Content-Type", content_type)
            .body(text.to_owned())
    };
    let entry = r#"{"seq": 99, "id": "0194f0e8-a1b2-7c3d-8e9f-0a1b2c3d4e5f", "entity": "product",
                    "key": "0194f0e8-a1b2-7c3d-8e9f-0a1b2c3d4e5f", "op": "create", "hlc": "x", "payload": {}}"#;
    let bodies = [
        r#"{"entries": ["#.to_owned(),
        "".to_owned(),
        "null".to_owned(),
        r#"{"entries": 5}"#.to_owned(),
        r#"{"entries": [{"seq": 1}]}"#.to_owned(),
        format!(r#"{{"entries": [{}]}}"#, entry.replace("99", "-1")),
        format!(r#"{{"entries": [{}]}}"#, entry.replace("99", "1.5")),
        format!(
            r#"{{"entries": [{}]}}"#,
            entry.replace(
                "0194f0e8-a1b2-7c3d-8e9f-0a1b2c3d4e5f\", \"entity",
                "nope\", \"entity"
            )
        ),
        format!(
            r#"{{"entries": [{}]}}"#,
            entry.replace("\"payload\": {}", "\"staff_id\": 7, \"payload\": {}")
        ),
        "[".repeat(10_000),
        "{\"entries\": [] ".to_owned(),
        "\u{0}".to_owned(),
    ];
    for body in &bodies {
        let (status, reply) = answer(
            raw("/sync/v1/push", body, "application/json")
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_error(status, &reply, StatusCode::BAD_REQUEST, "malformed");
    }
    for path in ["/sync/v1/pairing-codes", "/sync/v1/enroll"] {
        let (status, reply) =
            answer(raw(path, "{", "application/json").send().await.unwrap()).await;
        assert_error(status, &reply, StatusCode::BAD_REQUEST, "malformed");
    }
    // Not JSON at all, by its content type.
    for content_type in ["text/plain", "application/x-www-form-urlencoded"] {
        let (status, reply) = answer(
            raw("/sync/v1/push", r#"{"entries": []}"#, content_type)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_error(
            status,
            &reply,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        );
    }
    let no_type = client()
        .post(w.server.url("/sync/v1/push"))
        .bearer_auth(&w.laptop.token)
        .body("{}");
    let (status, reply) = answer(no_type.send().await.unwrap()).await;
    assert_error(
        status,
        &reply,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    );
    assert_eq!(footprint(&pool).await, before);
}

#[sqlx::test(migrator = "galla_sync_server::db::MIGRATOR")]
async fn too_large_bodies_and_batches_are_refused(pool: PgPool) {
    let mut w = world(pool.clone()).await;
    let before = footprint(&pool).await;

    let big = format!(
        r#"{{"entries": [], "padding": "{}"}}"#,
        "x".repeat(MAX_BODY_BYTES)
    );
    let request = client()
        .post(w.server.url("/sync/v1/push"))
        .bearer_auth(&w.laptop.token)
        .header("Content-Type", "application/json")
        .body(big);
    let (status, reply) = answer(request.send().await.unwrap()).await;
    assert_error(status, &reply, StatusCode::PAYLOAD_TOO_LARGE, "too_large");

    // Without a length announced (chunked), too.
    let (status, reply) = chunked_push(&w.server.base, &w.laptop.token, 17).await;
    assert_error(status, &reply, StatusCode::PAYLOAD_TOO_LARGE, "too_large");

    let owner = w.owner;
    let entries: Vec<Value> = (0..=MAX_PUSH_ENTRIES)
        .map(|_| {
            w.laptop
                .record("product", &id().to_string(), owner, json!({"name": "X"}))
        })
        .collect();
    let (status, reply) = push(&w.server, &w.laptop, &entries).await;
    assert_error(status, &reply, StatusCode::PAYLOAD_TOO_LARGE, "too_large");
    assert_eq!(footprint(&pool).await, before);

    // Exactly the limit is fine.
    push_applied(&w.server, &w.laptop, &entries[..MAX_PUSH_ENTRIES]).await;
}

/// A push whose body is sent in 1 MiB chunks with no Content-Length, over a plain
/// socket; answers the status and the JSON body.
async fn chunked_push(base: &str, token: &str, mebibytes: usize) -> (StatusCode, Value) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = base.trim_start_matches("http://");
    let mut socket = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST /sync/v1/push HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    socket.write_all(head.as_bytes()).await.unwrap();
    let chunk = vec![b' '; 1024 * 1024];
    for _ in 0..mebibytes {
        // The server may answer and stop reading before the end.
        if socket
            .write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
            .await
            .is_err()
            || socket.write_all(&chunk).await.is_err()
            || socket.write_all(b"\r\n").await.is_err()
        {
            break;
        }
    }
    let _ = socket.write_all(b"0\r\n\r\n").await;
    let mut response = Vec::new();
    let _ = socket.read_to_end(&mut response).await;
    let text = String::from_utf8_lossy(&response).into_owned();
    let status: u16 = text.split(' ').nth(1).unwrap().parse().unwrap();
    let (headers, body) = text.split_once("\r\n\r\n").unwrap();
    assert!(
        headers
            .to_lowercase()
            .contains("content-type: application/json"),
        "{headers}"
    );
    (
        StatusCode::from_u16(status).unwrap(),
        serde_json::from_str(body.trim()).unwrap(),
    )
}

#[sqlx::test(migrator = "galla_sync_server::db::MIGRATOR")]
async fn bad_query_parameters_are_named(pool: PgPool) {
    let w = world(pool.clone()).await;
    for query in [
        "limit=0",
        "limit=5001",
        "limit=-5",
        "limit=ten",
        "after=-1",
        "after=abc",
        "after=1e3",
        "after=99999999999999999999",
        "scope=everything",
        "scope=CATALOG",
        "after=%ZZ",
    ] {
        let (status, reply) = w
            .server
            .get(&format!("/sync/v1/pull?{query}"), &w.counter.token)
            .await;
        assert_error(status, &reply, StatusCode::BAD_REQUEST, "bad_parameter");
        assert!(!reply["error"]["message"].as_str().unwrap().is_empty());
    }
    // Unknown parameters are ignored (the protocol only adds).
    let (status, _) = w
        .server
        .get("/sync/v1/pull?after=0&mystery=1", &w.counter.token)
        .await;
    assert_eq!(status, StatusCode::OK);
}

#[sqlx::test(migrator = "galla_sync_server::db::MIGRATOR")]
async fn unknown_paths_and_methods_answer_in_the_error_shape(pool: PgPool) {
    let w = world(pool).await;
    let cases = [
        (
            Method::GET,
            "/sync/v1/nothing",
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            Method::GET,
            "/sync/v2/pull",
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            Method::GET,
            "/sync/v1/push",
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
        ),
        (
            Method::POST,
            "/sync/v1/pull",
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
        ),
        (
            Method::DELETE,
            "/sync/v1/devices",
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
        ),
    ];
    for (method, path, expected, code) in cases {
        let (status, reply) = w
            .server
            .send(method, path, Some(&w.laptop.token), None)
            .await;
        assert_error(status, &reply, expected, code);
    }
}
