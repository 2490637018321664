//! Enrolment (docs/sync-protocol.md, Enrolment): pairing codes and the owner's login.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use sqlx::PgPool;

fn by_code(device: uuid::Uuid, code: &str) -> Value {
    json!({"device_id": device, "device_name": "Counter 2", "pairing_code": code})
}

#[sqlx::test(migrator = "galla_sync_server::db::MIGRATOR")]
async fn a_pairing_code_enrols_one_device_once(pool: PgPool) {
    let business = create_business(&pool, "anand").await;
    let server = TestServer::start(pool.clone()).await;
    let code = pairing_code(&pool, "anand", None).await;
    assert_eq!(code.len(), 14, "{code}");
    assert_eq!(code.matches('-').count(), 2, "{code}");

    let device = id();
    let (status, reply) = server.enroll(&by_code(device, &code)).await;
    assert_eq!(status, StatusCode::OK, "{reply}");
    assert_eq!(reply["device_id"], json!(device));
    assert_eq!(reply["business_id"], json!(business));
    assert_eq!(reply["business_name"], json!("Business anand"));
    assert_eq!(reply["business_slug"], json!("anand"));
    assert_eq!(reply["shop_id"], Value::Null);
    assert_eq!(reply["protocol"], json!(1));
    let token = reply["token"].as_str().unwrap();
    assert!(token.starts_with("gd1_") && token.len() > 40, "{token}");

    // The server keeps only the token's SHA-256.
    let stored: Vec<u8> = sqlx::query_scalar("SELECT token_hash FROM devices WHERE id = $1")
        .bind(device)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(stored, Sha256::digest(token.as_bytes()).to_vec());

    // The token works.
    let (status, _) = server.get("/sync/v1/verify", token).await;
    assert_eq!(status, StatusCode::OK);

    // The same code again, for another device: refused.
    let (status, body) = server.enroll(&by_code(id(), &code)).await;
    assert_error(status, &body, StatusCode::UNAUTHORIZED, "enrolment_refused");
    assert_eq!(count(&pool, "SELECT count(*) FROM devices").await, 1);
}

#[sqlx::test(migrator = "galla_sync_server::db::MIGRATOR")]
async fn case_and_hyphens_of_a_code_are_ignored(pool: PgPool) {
    create_business(&pool, "anand").await;
    let server = TestServer::start(pool.clone()).await;
    let code = pairing_code(&pool, "anand", None).await;
    let typed = code.replace('-', "").to_lowercase();
    let (status, reply) = server.enroll(&by_code(id(), &typed)).await;
    assert_eq!(status, StatusCode::OK, "{reply}");
}

#[sqlx::test(migrator = "galla_sync_server::db::MIGRATOR")]
async fn wrong_used_and_expired_codes_are_refused_alike(pool: PgPool) {
    create_business(&pool, "anand").await;
    let server = TestServer::start(pool.clone()).await;

    let used = pairing_code(&pool, "anand", None).await;
    let (status, _) = server.enroll(&by_code(id(), &used)).await;
    assert_eq!(status, StatusCode::OK);

    let expired = pairing_code(&pool, "anand", None).await;
    sqlx::query(
        "UPDATE pairing_codes SET expires_at = now() - interval '1 second' WHERE used_at IS NULL",
    )
    .execute(&pool)
    .await
    .unwrap();

    let mut messages = Vec::new();
    for code in [
        used.as_str(),
        expired.as_str(),
        "ABCD-EFGH-JKMN",
        "not a code",
        "",
    ] {
        let (status, body) = server.enroll(&by_code(id(), code)).await;
        assert_error(status, &body, StatusCode::UNAUTHORIZED, "enrolment_refused");
        messages.push(body["error"]["message"].clone());
    }
    assert!(messages.windows(2).all(|pair| pair[0] == pair[1]));
    assert_eq!(count(&pool, "SELECT count(*) FROM devices").await, 1);
}

#[sqlx::test(migrator = "galla_sync_server::db::MIGRATOR")]
async fn the_owner_enrols_with_email_and_password(pool: PgPool) {
    let business = create_business(&pool, "anand").await;
    let server = TestServer::start(pool.clone()).await;
    let login = |email: &str, password: &str| json!({"device_id": id(), "device_name": "Owner's laptop", "email": email, "password": password});

    let (status, reply) = server
        .enroll(&login("owner@anand.example.in", OWNER_PASSWORD))
        .await;
    assert_eq!(status, StatusCode::OK, "{reply}");
    assert_eq!(reply["business_id"], json!(business));
    assert_eq!(reply["shop_id"], Value::Null);

    // The e-mail's case does not matter; the password's does.
    let (status, reply) = server
        .enroll(&login("Owner@Anand.Example.IN", OWNER_PASSWORD))
        .await;
    assert_eq!(status, StatusCode::OK, "{reply}");

    let refused = [
        login("owner@anand.example.in", "wrong password"),
        login("owner@anand.example.in", &OWNER_PASSWORD.to_uppercase()),
        login("nobody@anand.example.in", OWNER_PASSWORD),
        login("owner@anand.example.in\u{0}", OWNER_PASSWORD),
    ];
    for body in &refused {
        let (status, reply) = server.enroll(body).await;
        assert_error(
            status,
            &reply,
            StatusCode::UNAUTHORIZED,
            "enrolment_refused",
        );
    }
    assert_eq!(count(&pool, "SELECT count(*) FROM devices").await, 2);
}

#[sqlx::test(migrator = "galla_sync_server::db::MIGRATOR")]
async fn a_device_id_enrols_once_in_any_business(pool: PgPool) {
    create_business(&pool, "anand").await;
    create_business(&pool, "bharat").await;
    let server = TestServer::start(pool.clone()).await;
    let device = id();
    let first = pairing_code(&pool, "anand", None).await;
    let (status, _) = server.enroll(&by_code(device, &first)).await;
    assert_eq!(status, StatusCode::OK);

    for slug in ["anand", "bharat"] {
        let code = pairing_code(&pool, slug, None).await;
        let (status, body) = server.enroll(&by_code(device, &code)).await;
        assert_error(status, &body, StatusCode::CONFLICT, "device_taken");
        // A refused enrolment does not use the code up.
        let (status, reply) = server.enroll(&by_code(id(), &code)).await;
        assert_eq!(status, StatusCode::OK, "{reply}");
    }

    // A wrong credential is refused before the id is looked at: nobody learns which ids exist.
    let (status, body) = server.enroll(&by_code(device, "ABCD-EFGH-JKMN")).await;
    assert_error(status, &body, StatusCode::UNAUTHORIZED, "enrolment_refused");
}

#[sqlx::test(migrator = "galla_sync_server::db::MIGRATOR")]
async fn an_enrolment_must_be_one_thing_or_the_other(pool: PgPool) {
    create_business(&pool, "anand").await;
    let server = TestServer::start(pool.clone()).await;
    let code = pairing_code(&pool, "anand", None).await;
    let bodies = [
        json!({"device_id": id(), "device_name": "C", "pairing_code": code,
               "email": "owner@anand.example.in", "password": OWNER_PASSWORD}),
        json!({"device_id": id(), "device_name": "C"}),
        json!({"device_id": id(), "device_name": "C", "email": "owner@anand.example.in"}),
        json!({"device_id": id(), "device_name": "   ", "pairing_code": code}),
        json!({"device_id": id(), "device_name": "a\u{7}b", "pairing_code": code}),
        json!({"device_id": id(), "device_name": "x".repeat(101), "pairing_code": code}),
        json!({"device_id": "counter-2", "device_name": "C", "pairing_code": code}),
        json!({"device_name": "C", "pairing_code": code}),
        json!([1, 2]),
    ];
    for body in &bodies {
        let (status, reply) = server.enroll(body).await;
        assert_error(status, &reply, StatusCode::BAD_REQUEST, "malformed");
    }
    // None of them used the code.
    let (status, reply) = server.enroll(&by_code(id(), &code)).await;
    assert_eq!(status, StatusCode::OK, "{reply}");
}

#[sqlx::test(migrator = "galla_sync_server::db::MIGRATOR")]
async fn a_code_for_a_shop_puts_the_device_in_it(pool: PgPool) {
    let world = world(pool).await;
    assert_eq!(world.counter.shop_id, Some(world.shop));
    assert_eq!(world.laptop.shop_id, None);
}
