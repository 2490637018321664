//! Who may do what (docs/sync-protocol.md, "Who may do what"), checked against the
//! role each staff member holds on the server, and the owner's actions from a device.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use sqlx::PgPool;
use uuid::Uuid;

/// Pushes one entry and answers its result.
async fn one(w: &World, device: &Device, entry: Value) -> Value {
    push_ok(&w.server, device, &[entry]).await.remove(0)
}

fn assert_rejected(result: &Value, code: &str) {
    assert_eq!(result["status"], json!("rejected"), "{result}");
    assert_eq!(result["code"], json!(code), "{result}");
    assert!(!result["reason"].as_str().unwrap().is_empty(), "{result}");
}

#[sqlx::test(migrator = "galla_sync_server::db::MIGRATOR")]
async fn a_cashier_cannot_change_a_price_and_is_shown_the_real_one(pool: PgPool) {
    let mut w = world(pool).await;
    let variant = id().to_string();
    let create = w.counter.record(
        "variant",
        &variant,
        w.manager,
        json!({"price_minor": 45000, "sku": "K-1"}),
    );
    assert_eq!(
        one(&w, &w.counter, create).await["status"],
        json!("applied")
    );

    let raise = w
        .counter
        .record("variant", &variant, w.cashier, json!({"price_minor": 1}));
    let result = one(&w, &w.counter, raise).await;
    assert_rejected(&result, "forbidden");
    assert!(
        result["reason"].as_str().unwrap().contains("change prices"),
        "{result}"
    );
    let current = &result["current"];
    assert_eq!(current["entity"], json!("variant"));
    assert_eq!(current["key"], json!(variant));
    assert_eq!(current["data"]["price_minor"], json!(45000));
    assert!(current["cursor"].as_u64().unwrap() > 0);
    assert!(current["clocks"]["price_minor"].is_string());

    // Nor anything else in the catalog.
    let rename = w
        .counter
        .record("variant", &variant, w.cashier, json!({"sku": "K-2"}));
    assert_rejected(&one(&w, &w.counter, rename).await, "forbidden");
    // A manager may.
    let manager = w.counter.record(
        "variant",
        &variant,
        w.manager,
        json!({"price_minor": 47000}),
    );
    assert_eq!(
        one(&w, &w.counter, manager).await["status"],
        json!("applied")
    );
    let row = feed_row(&w.server, &w.laptop, "variant", &variant)
        .await
        .unwrap();
    assert_eq!(row["data"]["price_minor"], json!(47000));
}

#[sqlx::test(migrator = "galla_sync_server::db::MIGRATOR")]
async fn only_owners_manage_staff(pool: PgPool) {
    let mut w = world(pool).await;
    let new = id().to_string();
    let fields = json!({"name": "Eve", "role": "owner", "status": "active"});
    for staff in [w.cashier, w.manager] {
        let entry = w.counter.record("staff", &new, staff, fields.clone());
        let result = one(&w, &w.counter, entry).await;
        assert_rejected(&result, "forbidden");
        assert!(result.get("current").is_none(), "{result}");
    }
    // Promoting oneself is managing staff too.
    let promote = w.counter.record(
        "staff",
        &w.cashier.to_string(),
        w.cashier,
        json!({"role": "owner"}),
    );
    let result = one(&w, &w.counter, promote).await;
    assert_rejected(&result, "forbidden");
    assert_eq!(result["current"]["data"]["role"], json!("cashier"));
    let by_owner = w.laptop.record(
        "staff",
        &new,
        w.owner,
        json!({"name": "Eve", "role": "cashier"}),
    );
    assert_eq!(
        one(&w, &w.laptop, by_owner).await["status"],
        json!("applied")
    );
}

#[sqlx::test(migrator = "galla_sync_server::db::MIGRATOR")]
async fn actors_must_be_staff_of_this_business(pool: PgPool) {
    let mut a = world_named(pool.clone(), "anand").await;
    // Business B, with its own owner.
    create_business(&pool, "bharat").await;
    let mut b = enroll_owner(&a.server, "bharat", "B laptop").await;
    let b_owner = id();
    let bootstrap = b.entry(
        "staff",
        "create",
        &b_owner.to_string(),
        Some(b_owner),
        json!({"fields": {"name": "Bala", "role": "owner", "status": "active"}}),
    );
    push_applied(&a.server, &b, &[bootstrap]).await;

    let product = id().to_string();
    for staff in [Some(b_owner), Some(id()), None] {
        let entry = a.laptop.entry(
            "product",
            "create",
            &product,
            staff,
            json!({"fields": {"name": "X"}}),
        );
        assert_rejected(&one(&a, &a.laptop, entry).await, "unknown_actor");
    }
    // And the other way round.
    let entry = b.record("product", &product, a.owner, json!({"name": "X"}));
    let result = push_ok(&a.server, &b, &[entry]).await.remove(0);
    assert_rejected(&result, "unknown_actor");
}

#[sqlx::test(migrator = "galla_sync_server::db::MIGRATOR")]
async fn the_first_owner_bootstraps_once(pool: PgPool) {
    create_business(&pool, "anand").await;
    let server = TestServer::start(pool.clone()).await;
    let mut laptop = enroll_owner(&server, "anand", "Laptop").await;
    let (someone, owner, late) = (id(), id(), id());
    let fields = |role: &str| json!({"fields": {"name": "P", "role": role, "status": "active"}});
    let entries = vec![
        // Not in their own name, or not an owner: no exception.
        laptop.entry(
            "staff",
            "create",
            &owner.to_string(),
            Some(someone),
            fields("owner"),
        ),
        laptop.entry(
            "staff",
            "create",
            &someone.to_string(),
            Some(someone),
            fields("manager"),
        ),
        // The first owner, made at first start.
        laptop.entry(
            "staff",
            "create",
            &owner.to_string(),
            Some(owner),
            fields("owner"),
        ),
        // Once there is staff, nobody bootstraps.
        laptop.entry(
            "staff",
            "create",
            &late.to_string(),
            Some(late),
            fields("owner"),
        ),
    ];
    let results = push_ok(&server, &laptop, &entries).await;
    let codes: Vec<Value> = results
        .iter()
        .map(|r| {
            r.get("code")
                .cloned()
                .unwrap_or_else(|| r["status"].clone())
        })
        .collect();
    assert_eq!(
        codes,
        [
            json!("unknown_actor"),
            json!("unknown_actor"),
            json!("applied"),
            json!("unknown_actor")
        ]
    );
}

#[sqlx::test(migrator = "galla_sync_server::db::MIGRATOR")]
async fn documents_must_come_from_their_device_and_shop(pool: PgPool) {
    let mut w = world(pool).await;
    let other_shop = id();
    let (counter, laptop, shop, cashier) = (w.counter.id, w.laptop.id, w.shop, w.cashier);
    let sale =
        |number: &str, shop: Uuid, device: Uuid| sale_payload(number, shop, device, cashier, id());

    let wrong_shop = w.counter.entry(
        "sale",
        "append",
        &id().to_string(),
        Some(cashier),
        sale("C1-1", other_shop, counter),
    );
    assert_rejected(&one(&w, &w.counter, wrong_shop).await, "wrong_shop");
    let wrong_device = w.counter.entry(
        "sale",
        "append",
        &id().to_string(),
        Some(cashier),
        sale("C1-2", shop, laptop),
    );
    assert_rejected(&one(&w, &w.counter, wrong_device).await, "wrong_device");
    let shift = json!({"device_id": counter, "shop_id": other_shop, "opened_by": cashier,
                       "opened_at_ms": now_ms(), "float_minor": 0});
    let wrong_shift = w
        .counter
        .entry("shift", "open", &id().to_string(), Some(cashier), shift);
    assert_rejected(&one(&w, &w.counter, wrong_shift).await, "wrong_shop");

    // The laptop is in no shop: it may sell in any shop the business has.
    let fine = w.laptop.entry(
        "sale",
        "append",
        &id().to_string(),
        Some(cashier),
        sale("L-1", shop, laptop),
    );
    assert_eq!(one(&w, &w.laptop, fine).await["status"], json!("applied"));
    let nowhere = w.laptop.entry(
        "sale",
        "append",
        &id().to_string(),
        Some(cashier),
        sale("L-2", other_shop, laptop),
    );
    assert_rejected(&one(&w, &w.laptop, nowhere).await, "wrong_shop");

    // Stock moves only in shops the business has.
    let key = id();
    let movement = movement_payload(key, id(), other_shop, counter, "receive", 1000);
    let entry = w.counter.entry(
        "stock_movement",
        "append",
        &key.to_string(),
        Some(w.manager),
        movement,
    );
    assert_rejected(&one(&w, &w.counter, entry).await, "wrong_shop");

    // A shift opened on the counter is closed on the counter.
    let shift_id = id().to_string();
    let open = w.counter.entry(
        "shift",
        "open",
        &shift_id,
        Some(cashier),
        json!({"device_id": counter,
        "shop_id": shop, "opened_by": cashier, "opened_at_ms": now_ms(), "float_minor": 0}),
    );
    assert_eq!(one(&w, &w.counter, open).await["status"], json!("applied"));
    let close =
        json!({"closed_by": cashier, "closed_at_ms": now_ms(), "denominations": [], "report": {}});
    let elsewhere = w
        .laptop
        .entry("shift", "close", &shift_id, Some(cashier), close.clone());
    assert_rejected(&one(&w, &w.laptop, elsewhere).await, "wrong_device");
    let here = w
        .counter
        .entry("shift", "close", &shift_id, Some(cashier), close);
    assert_eq!(one(&w, &w.counter, here).await["status"], json!("applied"));
}

#[sqlx::test(migrator = "galla_sync_server::db::MIGRATOR")]
async fn a_receipt_number_is_used_once(pool: PgPool) {
    let mut w = world(pool).await;
    let (counter, shop, cashier) = (w.counter.id, w.shop, w.cashier);
    let first = w.counter.entry(
        "sale",
        "append",
        &id().to_string(),
        Some(cashier),
        sale_payload("C1-000042", shop, counter, cashier, id()),
    );
    let second = w.counter.entry(
        "sale",
        "append",
        &id().to_string(),
        Some(cashier),
        sale_payload("C1-000042", shop, counter, cashier, id()),
    );
    let results = push_ok(&w.server, &w.counter, &[first, second]).await;
    assert_eq!(results[0]["status"], json!("applied"));
    assert_rejected(&results[1], "duplicate_number");
}

#[sqlx::test(migrator = "galla_sync_server::db::MIGRATOR")]
async fn clocks_must_be_well_formed_and_not_far_ahead(pool: PgPool) {
    let mut w = world(pool).await;
    let key = id().to_string();
    let ahead = stamp(now_ms() + 25 * 3_600_000, 0, w.laptop.id);
    let entry = w
        .laptop
        .record_at("product", &key, w.owner, &ahead, json!({"name": "Future"}));
    assert_rejected(&one(&w, &w.laptop, entry).await, "clock_ahead");
    for bad in [
        "",
        "yesterday",
        "1763700000000-3-0194f0e8a1b27c3d8e9f0a1b2c3d4e5f",
        &ahead.to_uppercase(),
    ] {
        let entry = w
            .laptop
            .record_at("product", &key, w.owner, bad, json!({"name": "X"}));
        assert_rejected(&one(&w, &w.laptop, entry).await, "invalid_clock");
    }
    assert!(feed_row(&w.server, &w.laptop, "product", &key)
        .await
        .is_none());
}

#[sqlx::test(migrator = "galla_sync_server::db::MIGRATOR")]
async fn malformed_entries_are_rejected_one_by_one(pool: PgPool) {
    let mut w = world(pool).await;
    let o = Some(w.owner);
    let key = id().to_string();
    let cases: Vec<(Value, &str)> = vec![
        (
            w.laptop.entry(
                "product",
                "delete",
                &key,
                o,
                json!({"fields": {"name": "X"}}),
            ),
            "unknown_entity",
        ),
        (
            w.laptop.entry("stock_threshold", "set", &key, o, json!({})),
            "unknown_entity",
        ),
        (
            w.laptop.entry(
                "product",
                "create",
                "P-1",
                o,
                json!({"fields": {"name": "X"}}),
            ),
            "invalid_payload",
        ),
        (
            w.laptop
                .entry("product", "create", &key, o, json!({"name": "X"})),
            "invalid_payload",
        ),
        (
            w.laptop.entry(
                "product",
                "create",
                &key,
                o,
                json!({"fields": {"price_minor": 1}}),
            ),
            "invalid_payload",
        ),
        (
            w.laptop.entry(
                "product",
                "create",
                &key,
                o,
                json!({"fields": {"status": "gone"}}),
            ),
            "invalid_payload",
        ),
        (
            w.laptop.entry(
                "product",
                "create",
                &key,
                o,
                json!({"fields": {"name": 12}}),
            ),
            "invalid_payload",
        ),
        (
            w.laptop.entry(
                "variant",
                "create",
                &key,
                o,
                json!({"fields": {"price_minor": 9.5}}),
            ),
            "invalid_payload",
        ),
        (
            w.laptop
                .entry("sale", "append", &key, o, json!({"number": "X"})),
            "invalid_payload",
        ),
        (
            w.laptop
                .entry("stock_movement", "append", &key, o, json!(null)),
            "invalid_payload",
        ),
        (
            w.laptop.entry(
                "product",
                "create",
                &key,
                o,
                json!({"fields": {"name": "a\u{0}b"}}),
            ),
            "invalid_payload",
        ),
        (
            w.laptop.entry("a\u{0}b", "create", "k\u{0}", o, json!({})),
            "unknown_entity",
        ),
    ];
    let entries: Vec<Value> = cases.iter().map(|(e, _)| e.clone()).collect();
    let results = push_ok(&w.server, &w.laptop, &entries).await;
    for ((entry, code), result) in cases.iter().zip(&results) {
        assert_eq!(result["code"], json!(code), "{entry} → {result}");
    }
}

#[sqlx::test(migrator = "galla_sync_server::db::MIGRATOR")]
async fn roles_are_read_when_each_entry_is_applied(pool: PgPool) {
    let mut w = world(pool).await;
    let variant = id().to_string();
    let entries = vec![
        w.counter
            .record("variant", &variant, w.manager, json!({"price_minor": 100})),
        // The owner demotes the manager; in the same batch the manager tries again.
        w.counter.record(
            "staff",
            &w.manager.to_string(),
            w.owner,
            json!({"role": "cashier"}),
        ),
        w.counter
            .record("variant", &variant, w.manager, json!({"price_minor": 200})),
        // Archived staff: their sales still count, their record changes do not.
        w.counter.record(
            "staff",
            &w.cashier.to_string(),
            w.owner,
            json!({"status": "archived"}),
        ),
        w.counter.entry(
            "sale",
            "append",
            &id().to_string(),
            Some(w.cashier),
            sale_payload("C1-7", w.shop, w.counter.id, w.cashier, id()),
        ),
        w.counter.record(
            "customer",
            &id().to_string(),
            w.cashier,
            json!({"name": "Ravi"}),
        ),
    ];
    let results = push_ok(&w.server, &w.counter, &entries).await;
    let outcome: Vec<Value> = results
        .iter()
        .map(|r| {
            r.get("code")
                .cloned()
                .unwrap_or_else(|| r["status"].clone())
        })
        .collect();
    assert_eq!(
        outcome,
        [
            json!("applied"),
            json!("applied"),
            json!("forbidden"),
            json!("applied"),
            json!("applied"),
            json!("forbidden")
        ]
    );
}

#[sqlx::test(migrator = "galla_sync_server::db::MIGRATOR")]
async fn stock_kinds_need_their_own_permission(pool: PgPool) {
    let mut w = world(pool).await;
    let variant = id();
    let (shop, counter) = (w.shop, w.counter.id);
    let mut entries = Vec::new();
    for (kind, quantity, staff) in [
        ("receive", 1000, w.cashier),
        ("sale", -1000, w.cashier),
        ("count", 500, w.cashier),
        ("receive", 1000, w.manager),
    ] {
        let key = id();
        entries.push(w.counter.entry(
            "stock_movement",
            "append",
            &key.to_string(),
            Some(staff),
            movement_payload(key, variant, shop, counter, kind, quantity),
        ));
    }
    let results = push_ok(&w.server, &w.counter, &entries).await;
    let outcome: Vec<Value> = results
        .iter()
        .map(|r| {
            r.get("code")
                .cloned()
                .unwrap_or_else(|| r["status"].clone())
        })
        .collect();
    assert_eq!(
        outcome,
        [
            json!("forbidden"),
            json!("applied"),
            json!("forbidden"),
            json!("applied")
        ]
    );
}

#[sqlx::test(migrator = "galla_sync_server::db::MIGRATOR")]
async fn an_owner_adds_lists_and_revokes_devices(pool: PgPool) {
    let w = world(pool.clone()).await;
    // A pairing code from the owner's laptop, for the shop.
    let (status, reply) = w
        .server
        .post(
            "/sync/v1/pairing-codes",
            &w.laptop.token,
            &json!({"staff_id": w.owner, "shop_id": w.shop}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{reply}");
    let code = reply["code"].as_str().unwrap().to_owned();
    let expires = reply["expires_at_ms"].as_u64().unwrap();
    let day = 24 * 3_600_000;
    assert!(
        expires > now_ms() + day - 60_000 && expires <= now_ms() + day + 60_000,
        "{reply}"
    );
    let second = enroll_with_code(&w.server, &code, "Counter 2").await;
    assert_eq!(second.shop_id, Some(w.shop));

    // Not for a shop the business does not have, and not for managers or cashiers.
    let (status, body) = w
        .server
        .post(
            "/sync/v1/pairing-codes",
            &w.laptop.token,
            &json!({"staff_id": w.owner, "shop_id": id()}),
        )
        .await;
    assert_error(status, &body, StatusCode::NOT_FOUND, "not_found");
    for staff in [w.manager, w.cashier, id()] {
        let (status, body) = w
            .server
            .post(
                "/sync/v1/pairing-codes",
                &w.counter.token,
                &json!({"staff_id": staff, "shop_id": null}),
            )
            .await;
        assert_error(status, &body, StatusCode::FORBIDDEN, "forbidden");
        let (status, body) = w
            .server
            .get(
                &format!("/sync/v1/devices?staff_id={staff}"),
                &w.counter.token,
            )
            .await;
        assert_error(status, &body, StatusCode::FORBIDDEN, "forbidden");
        let (status, body) = w
            .server
            .post(
                &format!("/sync/v1/devices/{}/revoke", second.id),
                &w.counter.token,
                &json!({"staff_id": staff}),
            )
            .await;
        assert_error(status, &body, StatusCode::FORBIDDEN, "forbidden");
    }

    // The list, from any device, by the owner.
    let (status, reply) = w
        .server
        .get(
            &format!("/sync/v1/devices?staff_id={}", w.owner),
            &w.counter.token,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{reply}");
    let devices = reply["devices"].as_array().unwrap();
    let names: Vec<&str> = devices
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Owner's laptop", "Counter 1", "Counter 2"]);
    let laptop = &devices[0];
    assert_eq!(laptop["device_id"], json!(w.laptop.id));
    assert_eq!(laptop["shop_id"], Value::Null);
    assert_eq!(laptop["last_seq"], json!(w.laptop.seq));
    assert!(laptop["enrolled_at_ms"].as_u64().unwrap() > 0);
    assert!(laptop["last_seen_at_ms"].as_u64().is_some());
    assert_eq!(laptop["revoked_at_ms"], Value::Null);

    // A device cannot revoke itself.
    let (status, body) = w
        .server
        .post(
            &format!("/sync/v1/devices/{}/revoke", w.laptop.id),
            &w.laptop.token,
            &json!({"staff_id": w.owner}),
        )
        .await;
    assert_error(status, &body, StatusCode::FORBIDDEN, "forbidden");
    // Revoking another works, twice the same.
    let path = format!("/sync/v1/devices/{}/revoke", second.id);
    let (status, first) = w
        .server
        .post(&path, &w.laptop.token, &json!({"staff_id": w.owner}))
        .await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert_eq!(first["device_id"], json!(second.id));
    let (_, again) = w
        .server
        .post(&path, &w.laptop.token, &json!({"staff_id": w.owner}))
        .await;
    assert_eq!(again, first);
    let (status, body) = w.server.get("/sync/v1/pull", &second.token).await;
    assert_error(status, &body, StatusCode::FORBIDDEN, "device_revoked");
    // A revoked id cannot enrol again.
    let (status, reply) = w
        .server
        .post(
            "/sync/v1/pairing-codes",
            &w.laptop.token,
            &json!({"staff_id": w.owner}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = w
        .server
        .enroll(&json!({"device_id": second.id, "device_name": "Again",
        "pairing_code": reply["code"]}))
        .await;
    assert_error(status, &body, StatusCode::CONFLICT, "device_taken");

    // Unknown ids and bad paths.
    let (status, body) = w
        .server
        .post(
            &format!("/sync/v1/devices/{}/revoke", id()),
            &w.laptop.token,
            &json!({"staff_id": w.owner}),
        )
        .await;
    assert_error(status, &body, StatusCode::NOT_FOUND, "not_found");
    let (status, body) = w
        .server
        .post(
            "/sync/v1/devices/counter-2/revoke",
            &w.laptop.token,
            &json!({"staff_id": w.owner}),
        )
        .await;
    assert_error(status, &body, StatusCode::BAD_REQUEST, "bad_parameter");
    for path in ["/sync/v1/devices", "/sync/v1/devices?staff_id=owner"] {
        let (status, body) = w
            .server
            .send(Method::GET, path, Some(&w.laptop.token), None)
            .await;
        assert_error(status, &body, StatusCode::BAD_REQUEST, "bad_parameter");
    }
}

#[sqlx::test(migrator = "galla_sync_server::db::MIGRATOR")]
async fn another_business_cannot_touch_these_devices(pool: PgPool) {
    let a = world_named(pool.clone(), "anand").await;
    let b = world_named_on(&a, pool.clone(), "bharat").await;
    let (status, body) = a
        .server
        .post(
            &format!("/sync/v1/devices/{}/revoke", a.counter.id),
            &b.0.token,
            &json!({"staff_id": b.1}),
        )
        .await;
    assert_error(status, &body, StatusCode::NOT_FOUND, "not_found");
    let (status, reply) = a
        .server
        .get(&format!("/sync/v1/devices?staff_id={}", b.1), &b.0.token)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(reply["devices"].as_array().unwrap().len(), 1, "{reply}");
    // A's owner is nobody in B.
    let (status, body) = a
        .server
        .get(
            &format!("/sync/v1/devices?staff_id={}", a.owner),
            &b.0.token,
        )
        .await;
    assert_error(status, &body, StatusCode::FORBIDDEN, "forbidden");
    let (status, _) = a.server.get("/sync/v1/pull", &a.counter.token).await;
    assert_eq!(status, StatusCode::OK);
}

/// A second business on the same server: its laptop and its first owner.
async fn world_named_on(a: &World, pool: PgPool, slug: &str) -> (Device, Uuid) {
    create_business(&pool, slug).await;
    let mut laptop = enroll_owner(&a.server, slug, "Laptop").await;
    let owner = id();
    let entry = laptop.entry(
        "staff",
        "create",
        &owner.to_string(),
        Some(owner),
        json!({"fields": {"name": "Bala", "role": "owner", "status": "active"}}),
    );
    push_applied(&a.server, &laptop, &[entry]).await;
    (laptop, owner)
}
