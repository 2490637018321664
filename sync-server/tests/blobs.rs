//! Content-addressed blobs (docs/sync-protocol.md, "Blobs"): a device puts a picture's
//! bytes under their SHA-256 and any device of the same business gets them back; wrong
//! names, wrong bytes, other businesses and strangers get a clear 4xx and change nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use galla_sync_protocol::{blob_hash, MAX_BLOB_BYTES};
use reqwest::StatusCode;
use serde_json::Value;
use sqlx::PgPool;

async fn send_put(
    w: &World,
    token: Option<&str>,
    hash: &str,
    bytes: Vec<u8>,
    media_type: &str,
) -> reqwest::Response {
    let mut request = client()
        .put(w.server.url(&format!("/sync/v1/blobs/{hash}")))
        .header("Content-Type", media_type)
        .body(bytes);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap()
}

/// A PUT that succeeds answers no body: its status.
async fn put(
    w: &World,
    token: Option<&str>,
    hash: &str,
    bytes: Vec<u8>,
    media_type: &str,
) -> StatusCode {
    send_put(w, token, hash, bytes, media_type).await.status()
}

/// A PUT that must fail: its status and the error body.
async fn put_refused(
    w: &World,
    token: Option<&str>,
    hash: &str,
    bytes: Vec<u8>,
    media_type: &str,
) -> (StatusCode, Value) {
    answer(send_put(w, token, hash, bytes, media_type).await).await
}

async fn blobs(pool: &PgPool) -> i64 {
    count(pool, "SELECT count(*) FROM blobs").await
}

#[sqlx::test(migrator = "galla_sync_server::db::MIGRATOR")]
async fn a_picture_put_by_one_device_is_got_by_another_and_kept_once(pool: PgPool) {
    let w = world(pool).await;
    let picture = b"\x89PNG not really, but bytes are bytes".to_vec();
    let hash = blob_hash(&picture);
    let octets = "application/octet-stream";
    assert_eq!(
        put(&w, Some(&w.laptop.token), &hash, picture.clone(), octets).await,
        StatusCode::CREATED
    );
    // Again, from either device: already there, nothing changes.
    assert_eq!(
        put(&w, Some(&w.laptop.token), &hash, picture.clone(), octets).await,
        StatusCode::OK
    );
    assert_eq!(
        put(&w, Some(&w.counter.token), &hash, picture.clone(), octets).await,
        StatusCode::OK
    );
    assert_eq!(blobs(&w.pool).await, 1);

    let got = client()
        .get(w.server.url(&format!("/sync/v1/blobs/{hash}")))
        .bearer_auth(&w.counter.token)
        .send()
        .await
        .unwrap();
    assert_eq!(got.status(), StatusCode::OK);
    let headers = got.headers().clone();
    assert_eq!(headers["content-type"], "application/octet-stream");
    assert_eq!(headers["etag"], format!("\"{hash}\"").as_str());
    assert!(headers["cache-control"]
        .to_str()
        .unwrap()
        .contains("immutable"));
    assert_eq!(got.bytes().await.unwrap().as_ref(), picture.as_slice());
}

#[sqlx::test(migrator = "galla_sync_server::db::MIGRATOR")]
async fn wrong_names_bytes_and_media_types_are_refused_and_nothing_is_kept(pool: PgPool) {
    let w = world(pool).await;
    let picture = b"a picture".to_vec();
    let hash = blob_hash(&picture);
    let token = Some(w.laptop.token.as_str());
    let octets = "application/octet-stream";

    let (status, body) =
        put_refused(&w, token, &blob_hash(b"other"), picture.clone(), octets).await;
    assert_error(status, &body, StatusCode::BAD_REQUEST, "malformed");
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("do not hash"));
    for name in [
        "abc",
        &hash.to_uppercase(),
        &format!("{hash}0"),
        "..%2F..%2Fetc%2Fpasswd",
    ] {
        let (status, body) = put_refused(&w, token, name, picture.clone(), octets).await;
        assert_error(status, &body, StatusCode::BAD_REQUEST, "bad_parameter");
    }
    let (status, body) = put_refused(&w, token, &hash, picture.clone(), "application/json").await;
    assert_error(
        status,
        &body,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    );
    let empty = blob_hash(b"");
    let (status, body) = put_refused(&w, token, &empty, Vec::new(), octets).await;
    assert_error(status, &body, StatusCode::BAD_REQUEST, "malformed");
    let (status, body) = put_refused(&w, None, &hash, picture.clone(), octets).await;
    assert_error(status, &body, StatusCode::UNAUTHORIZED, "unauthenticated");

    // Bigger than any picture a terminal takes, though bigger than a push may be too.
    let huge = vec![7u8; MAX_BLOB_BYTES + 1];
    let (status, body) = put_refused(&w, token, &blob_hash(&huge), huge, octets).await;
    assert_error(status, &body, StatusCode::PAYLOAD_TOO_LARGE, "too_large");
    // A picture above a push's limit but within a blob's is kept.
    let big = vec![8u8; 17 * 1024 * 1024];
    assert_eq!(
        put(&w, token, &blob_hash(&big), big, octets).await,
        StatusCode::CREATED
    );
    assert_eq!(blobs(&w.pool).await, 1);

    let (status, body) = w
        .server
        .get(&format!("/sync/v1/blobs/{hash}"), &w.laptop.token)
        .await;
    assert_error(status, &body, StatusCode::NOT_FOUND, "not_found");
    let (status, body) = w
        .server
        .get("/sync/v1/blobs/nonsense", &w.laptop.token)
        .await;
    assert_error(status, &body, StatusCode::BAD_REQUEST, "bad_parameter");
}

#[sqlx::test(migrator = "galla_sync_server::db::MIGRATOR")]
async fn another_business_cannot_read_a_blob_and_a_revoked_device_cannot_put_one(pool: PgPool) {
    let w = world(pool.clone()).await;
    let picture = b"anand's shop front".to_vec();
    let hash = blob_hash(&picture);
    assert_eq!(
        put(
            &w,
            Some(&w.laptop.token),
            &hash,
            picture.clone(),
            "application/octet-stream"
        )
        .await,
        StatusCode::CREATED
    );
    create_business(&pool, "other").await;
    let stranger = enroll_owner(&w.server, "other", "Other laptop").await;
    let (status, body) = w
        .server
        .get(&format!("/sync/v1/blobs/{hash}"), &stranger.token)
        .await;
    assert_error(status, &body, StatusCode::NOT_FOUND, "not_found");

    let (status, _) = w
        .server
        .post(
            &format!("/sync/v1/devices/{}/revoke", w.counter.id),
            &w.laptop.token,
            &serde_json::json!({"staff_id": w.owner}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let other = b"another picture".to_vec();
    let (status, body) = put_refused(
        &w,
        Some(&w.counter.token),
        &blob_hash(&other),
        other,
        "application/octet-stream",
    )
    .await;
    assert_error(status, &body, StatusCode::FORBIDDEN, "device_revoked");
    assert_eq!(blobs(&w.pool).await, 1);
}
