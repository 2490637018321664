//! Push (docs/sync-protocol.md, Push): exactly once, per-field merges, documents once,
//! stock as a ledger, and a batch that fails half-way leaving nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};
use sqlx::PgPool;
use uuid::Uuid;

/// Everything a push can change, to show that another push changed nothing.
async fn footprint(pool: &PgPool) -> Vec<i64> {
    let mut figures = Vec::new();
    for sql in [
        "SELECT count(*) FROM records",
        "SELECT coalesce(sum(cursor), 0)::bigint FROM records",
        "SELECT coalesce(sum(feed_cursor), 0)::bigint FROM businesses",
        "SELECT coalesce(sum(last_seq), 0)::bigint FROM devices",
        "SELECT count(*) FROM device_entries",
        "SELECT count(*) FROM rejections",
        "SELECT count(*) FROM sale_numbers",
        "SELECT coalesce(sum(on_hand_milli), 0)::bigint FROM stock_levels",
    ] {
        figures.push(count(pool, sql).await);
    }
    figures
}

fn statuses(results: &[Value]) -> Vec<String> {
    results
        .iter()
        .map(|r| r["status"].as_str().unwrap().to_owned())
        .collect()
}

#[sqlx::test(migrator = "galla_sync_server::db::MIGRATOR")]
async fn a_replayed_batch_is_answered_again_and_changes_nothing(pool: PgPool) {
    let mut w = world(pool.clone()).await;
    let (product, variant, sale) = (id(), id(), id());
    let entries = vec![
        w.laptop.record(
            "product",
            &product.to_string(),
            w.owner,
            json!({"name": "Kurta", "status": "active"}),
        ),
        w.laptop.record(
            "variant",
            &variant.to_string(),
            w.owner,
            json!({"product_id": product, "price_minor": 45000, "currency": "INR"}),
        ),
        w.laptop.entry(
            "sale",
            "append",
            &sale.to_string(),
            Some(w.cashier),
            sale_payload("L-000001", w.shop, w.laptop.id, w.cashier, variant),
        ),
    ];
    let (status, reply) = push(&w.server, &w.laptop, &entries).await;
    assert_eq!(status, StatusCode::OK, "{reply}");
    assert_eq!(
        statuses(reply["results"].as_array().unwrap()),
        ["applied"; 3]
    );
    let last_seq = reply["last_seq"].as_u64().unwrap();
    assert_eq!(last_seq, w.laptop.seq);
    let before = footprint(&pool).await;
    let cursor_before = cursor(&w.server, &w.laptop).await;

    // The same batch again, e.g. after the reply was lost; then twice at once.
    let (status, reply) = push(&w.server, &w.laptop, &entries).await;
    assert_eq!(status, StatusCode::OK, "{reply}");
    assert_eq!(
        statuses(reply["results"].as_array().unwrap()),
        ["already_applied"; 3]
    );
    assert_eq!(reply["last_seq"].as_u64(), Some(last_seq));
    let (a, b) = tokio::join!(
        push(&w.server, &w.laptop, &entries),
        push(&w.server, &w.laptop, &entries)
    );
    assert_eq!((a.0, b.0), (StatusCode::OK, StatusCode::OK));
    assert_eq!(footprint(&pool).await, before);
    assert_eq!(cursor(&w.server, &w.laptop).await, cursor_before);

    // A batch that overlaps what the server holds: the old part is answered, the new
    // part applied.
    let extra = w.laptop.record(
        "product",
        &product.to_string(),
        w.owner,
        json!({"hsn_code": "6211"}),
    );
    let mut overlapping = entries[1..].to_vec();
    overlapping.push(extra);
    let results = push_ok(&w.server, &w.laptop, &overlapping).await;
    assert_eq!(
        statuses(&results),
        ["already_applied", "already_applied", "applied"]
    );
    assert_eq!(results[2]["seq"].as_u64(), Some(last_seq + 1));
}

#[sqlx::test(migrator = "galla_sync_server::db::MIGRATOR")]
async fn a_rejection_is_answered_again_with_its_code(pool: PgPool) {
    let mut w = world(pool.clone()).await;
    let entries = vec![w.counter.record(
        "product",
        &id().to_string(),
        w.cashier,
        json!({"name": "X"}),
    )];
    let first = push_ok(&w.server, &w.counter, &entries).await;
    assert_eq!(first[0]["status"], json!("rejected"));
    assert_eq!(first[0]["code"], json!("forbidden"));
    let again = push_ok(&w.server, &w.counter, &entries).await;
    assert_eq!(again, first);
    assert_eq!(count(&pool, "SELECT count(*) FROM rejections").await, 1);
}

#[sqlx::test(migrator = "galla_sync_server::db::MIGRATOR")]
async fn a_reused_sequence_number_is_a_conflict(pool: PgPool) {
    let mut w = world(pool.clone()).await;
    let product = id().to_string();
    let first = vec![
        w.laptop
            .record("product", &product, w.owner, json!({"name": "A"})),
        w.laptop
            .record("product", &product, w.owner, json!({"name": "B"})),
    ];
    push_applied(&w.server, &w.laptop, &first).await;
    let before = footprint(&pool).await;

    // A restored store numbers a different entry as its last one (and goes on from there).
    let held = w.laptop.seq;
    w.laptop.seq = held - 1;
    let restored = vec![
        w.laptop
            .record("product", &product, w.owner, json!({"name": "C"})),
        w.laptop
            .record("product", &product, w.owner, json!({"name": "D"})),
    ];
    let (status, body) = push(&w.server, &w.laptop, &restored).await;
    assert_error(status, &body, StatusCode::CONFLICT, "sequence_conflict");
    let last_seq = body["error"]["last_seq"].as_u64().unwrap();
    assert_eq!(last_seq, held, "{body}");
    assert_eq!(footprint(&pool).await, before);

    // Renumbered to follow last_seq, they go through.
    let renumbered: Vec<Value> = restored
        .into_iter()
        .enumerate()
        .map(|(i, mut e)| {
            e["seq"] = json!(last_seq + 1 + i as u64);
            e
        })
        .collect();
    push_applied(&w.server, &w.laptop, &renumbered).await;
}

#[sqlx::test(migrator = "galla_sync_server::db::MIGRATOR")]
async fn a_gap_and_bad_numbering_are_refused(pool: PgPool) {
    let mut w = world(pool.clone()).await;
    let last = w.laptop.seq;
    let before = footprint(&pool).await;

    w.laptop.seq = last + 2;
    let gap = vec![w
        .laptop
        .record("product", &id().to_string(), w.owner, json!({"name": "A"}))];
    let (status, body) = push(&w.server, &w.laptop, &gap).await;
    assert_error(status, &body, StatusCode::CONFLICT, "sequence_gap");
    assert_eq!(body["error"]["last_seq"].as_u64(), Some(last));

    w.laptop.seq = last;
    let mut a = w
        .laptop
        .record("product", &id().to_string(), w.owner, json!({"name": "A"}));
    let mut b = w
        .laptop
        .record("product", &id().to_string(), w.owner, json!({"name": "B"}));
    for (sa, sb) in [
        (last + 1, last + 3),
        (last + 2, last + 1),
        (last + 1, last + 1),
        (0, 1),
    ] {
        a["seq"] = json!(sa);
        b["seq"] = json!(sb);
        let (status, body) = push(&w.server, &w.laptop, &[a.clone(), b.clone()]).await;
        assert_error(status, &body, StatusCode::BAD_REQUEST, "bad_sequence");
    }
    assert_eq!(footprint(&pool).await, before);

    // An empty push is answered with the device's last_seq.
    let (status, reply) = push(&w.server, &w.laptop, &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(reply, json!({"results": [], "last_seq": last}));
}

#[sqlx::test(migrator = "galla_sync_server::db::MIGRATOR")]
async fn different_fields_merge_and_the_larger_stamp_wins(pool: PgPool) {
    let mut w = world(pool.clone()).await;
    let product = id().to_string();
    let create = w.laptop.record(
        "product",
        &product,
        w.owner,
        json!({"name": "Kurta", "description": "Cotton", "status": "active"}),
    );
    push_applied(&w.server, &w.laptop, &[create]).await;

    // Two devices change different fields: both kept.
    let on_laptop = w
        .laptop
        .record("product", &product, w.owner, json!({"name": "Silk kurta"}));
    let on_counter = w.counter.record(
        "product",
        &product,
        w.manager,
        json!({"description": "Pure silk"}),
    );
    push_applied(&w.server, &w.counter, &[on_counter]).await;
    push_applied(&w.server, &w.laptop, &[on_laptop]).await;
    let row = feed_row(&w.server, &w.laptop, "product", &product)
        .await
        .unwrap();
    assert_eq!(row["data"]["name"], json!("Silk kurta"));
    assert_eq!(row["data"]["description"], json!("Pure silk"));
    assert_eq!(row["data"]["status"], json!("active"));

    // The same field from both, in both arrival orders: the larger stamp wins.
    let base = now_ms();
    for (first_late, key) in [(true, id().to_string()), (false, id().to_string())] {
        let late = stamp(base + 10, 0, w.counter.id);
        let early = stamp(base, 5, w.laptop.id);
        let from_counter = w.counter.record_at(
            "variant",
            &key,
            w.manager,
            &late,
            json!({"price_minor": 50000}),
        );
        let from_laptop = w.laptop.record_at(
            "variant",
            &key,
            w.owner,
            &early,
            json!({"price_minor": 40000}),
        );
        if first_late {
            push_applied(&w.server, &w.counter, &[from_counter]).await;
            push_applied(&w.server, &w.laptop, &[from_laptop]).await;
        } else {
            push_applied(&w.server, &w.laptop, &[from_laptop]).await;
            push_applied(&w.server, &w.counter, &[from_counter]).await;
        }
        let row = feed_row(&w.server, &w.laptop, "variant", &key)
            .await
            .unwrap();
        assert_eq!(
            row["data"]["price_minor"],
            json!(50000),
            "late first: {first_late}"
        );
        assert_eq!(row["clocks"]["price_minor"], json!(late));
    }

    // Equal wall clocks: the counter, then the device id, decide.
    let key = id().to_string();
    let a = w.laptop.record_at(
        "variant",
        &key,
        w.owner,
        &stamp(base, 2, w.laptop.id),
        json!({"sku": "A"}),
    );
    let b = w.counter.record_at(
        "variant",
        &key,
        w.manager,
        &stamp(base, 1, w.counter.id),
        json!({"sku": "B"}),
    );
    push_applied(&w.server, &w.laptop, &[a]).await;
    push_applied(&w.server, &w.counter, &[b]).await;
    let row = feed_row(&w.server, &w.laptop, "variant", &key)
        .await
        .unwrap();
    assert_eq!(row["data"]["sku"], json!("A"));
}

#[sqlx::test(migrator = "galla_sync_server::db::MIGRATOR")]
async fn a_stale_write_does_not_move_the_record(pool: PgPool) {
    let mut w = world(pool.clone()).await;
    let key = id().to_string();
    let now = now_ms();
    let new = w.laptop.record_at(
        "product",
        &key,
        w.owner,
        &stamp(now, 9, w.laptop.id),
        json!({"name": "New"}),
    );
    push_applied(&w.server, &w.laptop, &[new]).await;
    let before = feed_row(&w.server, &w.laptop, "product", &key)
        .await
        .unwrap();
    let stale = w.counter.record_at(
        "product",
        &key,
        w.manager,
        &stamp(now - 60_000, 0, w.counter.id),
        json!({"name": "Old"}),
    );
    let results = push_ok(&w.server, &w.counter, &[stale]).await;
    assert_eq!(results[0]["status"], json!("applied"));
    let after = feed_row(&w.server, &w.laptop, "product", &key)
        .await
        .unwrap();
    assert_eq!(after, before);
}

#[sqlx::test(migrator = "galla_sync_server::db::MIGRATOR")]
async fn a_document_is_kept_once_whoever_sends_it_again(pool: PgPool) {
    let mut w = world(pool.clone()).await;
    let sale = id().to_string();
    let payload = sale_payload("C1-000001", w.shop, w.counter.id, w.cashier, id());
    let first = w
        .counter
        .entry("sale", "append", &sale, Some(w.cashier), payload.clone());
    push_applied(&w.server, &w.counter, &[first]).await;
    // The same sale under a new entry (a restored outbox), and from another device.
    let again = w
        .counter
        .entry("sale", "append", &sale, Some(w.cashier), payload.clone());
    let results = push_ok(&w.server, &w.counter, &[again]).await;
    assert_eq!(results[0]["status"], json!("already_applied"));
    let copy = w
        .laptop
        .entry("sale", "append", &sale, Some(w.owner), payload);
    let results = push_ok(&w.server, &w.laptop, &[copy]).await;
    assert_eq!(results[0]["status"], json!("already_applied"));
    let sales = count(
        &pool,
        &format!("SELECT count(*) FROM records WHERE entity = 'sale' AND key = '{sale}'"),
    )
    .await;
    assert_eq!(sales, 1);
    assert_eq!(count(&pool, "SELECT count(*) FROM sale_numbers").await, 1);
}

#[sqlx::test(migrator = "galla_sync_server::db::MIGRATOR")]
async fn on_hand_is_the_sum_of_the_movements(pool: PgPool) {
    let mut w = world(pool.clone()).await;
    let variant = id();
    let (d, s) = (w.counter.id, w.shop);
    let mut moves = Vec::new();
    for (kind, quantity, staff) in [
        ("receive", 10_000, w.manager),
        ("sale", -2_000, w.cashier),
        ("sale", -500, w.cashier),
        ("return", 1_000, w.cashier),
    ] {
        let key = id();
        moves.push(w.counter.entry(
            "stock_movement",
            "append",
            &key.to_string(),
            Some(staff),
            movement_payload(key, variant, s, d, kind, quantity),
        ));
    }
    let key = id();
    let mut damaged = movement_payload(key, variant, s, d, "adjustment", -1_000);
    damaged["reason"] = json!("damaged");
    moves.push(w.counter.entry(
        "stock_movement",
        "append",
        &key.to_string(),
        Some(w.manager),
        damaged,
    ));
    push_applied(&w.server, &w.counter, &moves).await;
    // Replayed: counted once.
    push_ok(&w.server, &w.counter, &moves).await;

    let on_hand: i64 = sqlx::query_scalar(
        "SELECT on_hand_milli FROM stock_levels WHERE variant_id = $1 AND shop_id = $2",
    )
    .bind(variant)
    .bind(s)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(on_hand, 7_500);
    let summed: i64 = pull_all(&w.server, &w.laptop, Some("stock"))
        .await
        .iter()
        .map(|c| c["data"]["quantity_milli"].as_i64().unwrap())
        .sum();
    assert_eq!(summed, on_hand);
}

#[sqlx::test(migrator = "galla_sync_server::db::MIGRATOR")]
async fn a_rejected_entry_does_not_block_the_ones_after_it(pool: PgPool) {
    let mut w = world(pool.clone()).await;
    let (good1, good2) = (id().to_string(), id().to_string());
    let entries = vec![
        w.laptop
            .record("product", &good1, w.owner, json!({"name": "One"})),
        w.laptop
            .record("gadget", &id().to_string(), w.owner, json!({"name": "?"})),
        w.laptop.record(
            "product",
            &id().to_string(),
            w.owner,
            json!({"colour": "red"}),
        ),
        w.laptop
            .record("product", &good2, w.owner, json!({"name": "Two"})),
    ];
    let (status, reply) = push(&w.server, &w.laptop, &entries).await;
    assert_eq!(status, StatusCode::OK, "{reply}");
    let results = reply["results"].as_array().unwrap();
    assert_eq!(
        statuses(results),
        ["applied", "rejected", "rejected", "applied"]
    );
    assert_eq!(results[1]["code"], json!("unknown_entity"));
    assert_eq!(results[2]["code"], json!("invalid_payload"));
    assert!(results[2]["reason"].as_str().unwrap().contains("colour"));
    assert_eq!(reply["last_seq"].as_u64(), Some(w.laptop.seq));
    assert!(feed_row(&w.server, &w.laptop, "product", &good2)
        .await
        .is_some());
    // Kept for the owner.
    let kept: Vec<(String, String)> =
        sqlx::query_as("SELECT entity, code FROM rejections ORDER BY seq")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(
        kept,
        [
            ("gadget".to_owned(), "unknown_entity".to_owned()),
            ("product".to_owned(), "invalid_payload".to_owned())
        ]
    );
}

#[sqlx::test(migrator = "galla_sync_server::db::MIGRATOR")]
async fn data_the_database_refuses_is_that_entry_s_rejection(pool: PgPool) {
    let mut w = world(pool.clone()).await;
    let variant = id();
    let key = id();
    let huge = movement_payload(key, variant, w.shop, w.counter.id, "receive", i64::MAX);
    let key2 = id();
    let more = movement_payload(key2, variant, w.shop, w.counter.id, "receive", 1);
    let after = w.laptop.record(
        "product",
        &id().to_string(),
        w.owner,
        json!({"name": "After"}),
    );
    let entries = vec![
        w.counter.entry(
            "stock_movement",
            "append",
            &key.to_string(),
            Some(w.manager),
            huge,
        ),
        w.counter.entry(
            "stock_movement",
            "append",
            &key2.to_string(),
            Some(w.manager),
            more,
        ),
    ];
    // On hand would overflow: the second movement is refused, the batch goes on.
    let results = push_ok(&w.server, &w.counter, &entries).await;
    assert_eq!(statuses(&results), ["applied", "rejected"]);
    assert_eq!(results[1]["code"], json!("invalid_payload"));
    push_applied(&w.server, &w.laptop, &[after]).await;
    let rows = count(
        &pool,
        &format!("SELECT count(*) FROM records WHERE key = '{key2}'"),
    )
    .await;
    assert_eq!(rows, 0);
}

/// The database session of a push is killed half-way through a large batch (as a
/// crash of the server or the database would end it): nothing of the batch stays, and
/// the retry applies all of it once.
#[sqlx::test(migrator = "galla_sync_server::db::MIGRATOR")]
async fn a_push_that_dies_half_way_leaves_nothing(pool: PgPool) {
    let mut w = world(pool.clone()).await;
    let entries: Vec<Value> = (0..1000)
        .map(|i| {
            w.laptop.record("product", &id().to_string(), w.owner,
                json!({"name": format!("Product {i}"), "description": "x".repeat(200), "status": "active"}))
        })
        .collect();
    let before = footprint(&pool).await;
    let last_before = w.laptop.seq - 1000;

    let server = w.server.url("/sync/v1/push");
    let token = w.laptop.token.clone();
    let body = json!({ "entries": entries });
    let request = tokio::spawn(async move {
        client()
            .post(server)
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
    });
    // Wait until the push's transaction has written something, then end its session.
    let mut killed = false;
    for _ in 0..2000 {
        let terminated: Option<bool> = sqlx::query_scalar(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
             WHERE datname = current_database() AND pid <> pg_backend_pid()
               AND backend_xid IS NOT NULL
             LIMIT 1",
        )
        .fetch_optional(&pool)
        .await
        .unwrap();
        if terminated == Some(true) {
            killed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    assert!(killed, "never saw the push's transaction");
    let response = request.await.unwrap().unwrap();
    let (status, body) = answer(response).await;
    assert!(status.is_server_error(), "{status}: {body}");
    assert_error(
        status,
        &body,
        StatusCode::SERVICE_UNAVAILABLE,
        "database_unavailable",
    );
    assert_eq!(footprint(&pool).await, before);

    // The terminal retries the same batch: everything applied, once.
    let results = push_ok(&w.server, &w.laptop, &entries_again(&entries)).await;
    assert!(results.iter().all(|r| r["status"] == json!("applied")));
    let products = count(
        &pool,
        "SELECT count(*) FROM records WHERE entity = 'product'",
    )
    .await;
    assert_eq!(products, 1000);
    let last: i64 = sqlx::query_scalar("SELECT last_seq FROM devices WHERE id = $1")
        .bind(w.laptop.id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(last as u64, last_before + 1000);
    let results = push_ok(&w.server, &w.laptop, &entries).await;
    assert!(results
        .iter()
        .all(|r| r["status"] == json!("already_applied")));
}

fn entries_again(entries: &[Value]) -> Vec<Value> {
    entries.to_vec()
}

#[sqlx::test(migrator = "galla_sync_server::db::MIGRATOR")]
async fn the_feed_only_moves_when_something_changes(pool: PgPool) {
    let mut w = world(pool.clone()).await;
    let start = cursor(&w.server, &w.laptop).await;
    let key = id().to_string();
    let a = w
        .laptop
        .record("product", &key, w.owner, json!({"name": "A"}));
    push_applied(&w.server, &w.laptop, &[a]).await;
    assert_eq!(cursor(&w.server, &w.laptop).await, start + 1);
    // Rejected entries move nothing.
    let b = w
        .counter
        .record("product", &key, w.cashier, json!({"name": "B"}));
    push_ok(&w.server, &w.counter, &[b]).await;
    assert_eq!(cursor(&w.server, &w.laptop).await, start + 1);
    let _: Uuid = w.laptop.id;
}
