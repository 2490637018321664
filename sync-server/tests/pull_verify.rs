//! Pull and verify (docs/sync-protocol.md, Pull and Verify): pages, scopes, tenants, and
//! digests a terminal computes itself from what it pushed.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::{BTreeMap, HashMap};

use common::*;
use galla_sync_protocol::{document_digest, record_digest, ScopeSum, SCOPES};
use reqwest::StatusCode;
use serde_json::{json, Value};
use sqlx::PgPool;

#[sqlx::test(migrator = "galla_sync_server::db::MIGRATOR")]
async fn pages_follow_the_cursor_until_no_more(pool: PgPool) {
    let mut w = world(pool.clone()).await;
    let entries: Vec<Value> = (0..21)
        .map(|i| {
            w.laptop.record(
                "product",
                &id().to_string(),
                w.owner,
                json!({"name": format!("P{i}")}),
            )
        })
        .collect();
    push_applied(&w.server, &w.laptop, &entries).await;
    let total = 4 + 21; // the world's staff and shop, and these
    let mut after = 0u64;
    let mut seen = Vec::new();
    let mut pages = 0;
    loop {
        let (status, page) = w
            .server
            .get(
                &format!("/sync/v1/pull?after={after}&limit=10"),
                &w.counter.token,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{page}");
        pages += 1;
        let changes = page["changes"].as_array().unwrap();
        assert!(changes.len() <= 10);
        for change in changes {
            let cursor = change["cursor"].as_u64().unwrap();
            assert!(cursor > after && seen.last().is_none_or(|last| cursor > *last));
            seen.push(cursor);
        }
        let next = page["next"].as_u64().unwrap();
        assert_eq!(next, *seen.last().unwrap_or(&after));
        after = next;
        if !page["more"].as_bool().unwrap() {
            break;
        }
        assert_eq!(changes.len(), 10);
    }
    assert_eq!(pages, 3);
    assert_eq!(seen.len(), total);
    // Nothing after the end: `next` stays where it was.
    let (_, page) = w
        .server
        .get(&format!("/sync/v1/pull?after={after}"), &w.counter.token)
        .await;
    assert_eq!(page, json!({"changes": [], "next": after, "more": false}));
    // The default page and the largest both hold everything here.
    for path in ["/sync/v1/pull", "/sync/v1/pull?limit=5000&after=0"] {
        let (_, page) = w.server.get(path, &w.counter.token).await;
        assert_eq!(page["changes"].as_array().unwrap().len(), total);
        assert_eq!(page["more"], json!(false));
    }
}

#[sqlx::test(migrator = "galla_sync_server::db::MIGRATOR")]
async fn records_come_with_clocks_and_documents_as_pushed(pool: PgPool) {
    let mut w = world(pool.clone()).await;
    let product = id().to_string();
    let entry = w.laptop.record(
        "product",
        &product,
        w.owner,
        json!({"name": "Kurta", "option_names": ["Size"]}),
    );
    let stamp = entry["hlc"].clone();
    let sale = id().to_string();
    let payload = sale_payload("C1-000009", w.shop, w.counter.id, w.cashier, id());
    let sale_entry = w
        .counter
        .entry("sale", "append", &sale, Some(w.cashier), payload.clone());
    push_applied(&w.server, &w.laptop, &[entry]).await;
    push_applied(&w.server, &w.counter, &[sale_entry]).await;

    let row = feed_row(&w.server, &w.counter, "product", &product)
        .await
        .unwrap();
    assert_eq!(
        row["data"],
        json!({"name": "Kurta", "option_names": ["Size"]})
    );
    assert_eq!(row["clocks"], json!({"name": stamp, "option_names": stamp}));
    let row = feed_row(&w.server, &w.counter, "sale", &sale)
        .await
        .unwrap();
    assert_eq!(row["data"], payload);
    assert!(row.get("clocks").is_none(), "{row}");

    // A change moves the record to a new cursor; it appears once after the old one.
    let old = feed_row(&w.server, &w.counter, "product", &product)
        .await
        .unwrap()["cursor"]
        .as_u64()
        .unwrap();
    let update = w
        .laptop
        .record("product", &product, w.owner, json!({"hsn_code": "6211"}));
    push_applied(&w.server, &w.laptop, &[update]).await;
    let (_, page) = w
        .server
        .get(&format!("/sync/v1/pull?after={old}"), &w.counter.token)
        .await;
    let keys: Vec<&Value> = page["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| &c["key"])
        .collect();
    assert_eq!(keys.iter().filter(|k| **k == &json!(product)).count(), 1);
    let row = feed_row(&w.server, &w.counter, "product", &product)
        .await
        .unwrap();
    assert!(row["cursor"].as_u64().unwrap() > old);
    assert_eq!(row["data"]["name"], json!("Kurta"));
    assert_eq!(row["data"]["hsn_code"], json!("6211"));
}

#[sqlx::test(migrator = "galla_sync_server::db::MIGRATOR")]
async fn a_scoped_pull_holds_only_that_scope(pool: PgPool) {
    let mut w = world(pool.clone()).await;
    let variant = id();
    let key = id();
    let entries = vec![
        w.counter.record(
            "product",
            &id().to_string(),
            w.manager,
            json!({"name": "A"}),
        ),
        w.counter.entry(
            "stock_movement",
            "append",
            &key.to_string(),
            Some(w.manager),
            movement_payload(key, variant, w.shop, w.counter.id, "receive", 3000),
        ),
    ];
    push_applied(&w.server, &w.counter, &entries).await;
    let entity_names = |changes: Vec<Value>| -> Vec<String> {
        changes
            .iter()
            .map(|c| c["entity"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        entity_names(pull_all(&w.server, &w.counter, Some("catalog")).await),
        ["product"]
    );
    assert_eq!(
        entity_names(pull_all(&w.server, &w.counter, Some("stock")).await),
        ["stock_movement"]
    );
    assert_eq!(
        entity_names(pull_all(&w.server, &w.counter, Some("shops")).await),
        ["shop"]
    );
    assert_eq!(
        entity_names(pull_all(&w.server, &w.counter, Some("people")).await),
        ["staff"; 3]
    );
    assert!(pull_all(&w.server, &w.counter, Some("audit"))
        .await
        .is_empty());
}

#[sqlx::test(migrator = "galla_sync_server::db::MIGRATOR")]
async fn a_business_never_sees_another_s_rows(pool: PgPool) {
    let mut a = world_named(pool.clone(), "anand").await;
    let b_id = create_business(&pool, "bharat").await;
    let b = enroll_owner(&a.server, "bharat", "Bharat's laptop").await;
    assert_eq!(b.business_id, b_id);

    let product = id().to_string();
    let entry = a
        .laptop
        .record("product", &product, a.owner, json!({"name": "Secret"}));
    push_applied(&a.server, &a.laptop, &[entry]).await;

    assert!(pull_all(&a.server, &b, None).await.is_empty());
    for scope in SCOPES {
        assert!(pull_all(&a.server, &b, Some(scope)).await.is_empty());
    }
    let (status, verify) = a.server.get("/sync/v1/verify", &b.token).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(verify["cursor"], json!(0));
    for scope in verify["scopes"].as_array().unwrap() {
        assert_eq!(scope["count"], json!(0), "{verify}");
        assert_eq!(scope["digest"], json!("0000000000000000"), "{verify}");
    }
    // A's feed is whole, and holds nothing of B.
    assert!(feed_row(&a.server, &a.counter, "product", &product)
        .await
        .is_some());
}

/// What a terminal holds, computed from what it pushed: per record the largest stamp
/// of each field, per document its key.
#[derive(Default)]
struct Model {
    records: HashMap<(String, String), BTreeMap<String, String>>,
    documents: Vec<(String, String)>,
}

impl Model {
    fn push(&mut self, entry: &Value) {
        let (entity, key, op) = (
            entry["entity"].as_str().unwrap(),
            entry["key"].as_str().unwrap().to_owned(),
            entry["op"].as_str().unwrap(),
        );
        let scope_entity = if entity == "shift" && op == "close" {
            "shift_closing"
        } else {
            entity
        };
        match entry["payload"].get("fields").and_then(Value::as_object) {
            Some(fields) => {
                let clocks = self.records.entry((entity.to_owned(), key)).or_default();
                let hlc = entry["hlc"].as_str().unwrap().to_owned();
                for field in fields.keys() {
                    let slot = clocks.entry(field.clone()).or_default();
                    if hlc > *slot {
                        *slot = hlc.clone();
                    }
                }
            }
            None => {
                let row = (scope_entity.to_owned(), key);
                if !self.documents.contains(&row) {
                    self.documents.push(row);
                }
            }
        }
    }

    fn scopes(&self) -> Vec<Value> {
        let scope_of = |entity: &str| galla_sync_protocol::entity(entity).unwrap().scope;
        let mut sums: HashMap<&str, ScopeSum> = HashMap::new();
        for ((entity, key), clocks) in &self.records {
            let digest = record_digest(
                entity,
                key,
                clocks.iter().map(|(f, s)| (f.as_str(), s.as_str())),
            );
            sums.entry(scope_of(entity)).or_default().add(digest);
        }
        for (entity, key) in &self.documents {
            sums.entry(scope_of(entity))
                .or_default()
                .add(document_digest(entity, key));
        }
        SCOPES
            .iter()
            .map(|scope| {
                let wire = sums.get(scope).copied().unwrap_or_default().to_wire(scope);
                json!({"scope": wire.scope, "count": wire.count, "digest": wire.digest})
            })
            .collect()
    }
}

#[sqlx::test(migrator = "galla_sync_server::db::MIGRATOR")]
async fn verify_agrees_with_digests_computed_from_what_was_pushed(pool: PgPool) {
    let business = create_business(&pool, "anand").await;
    let server = TestServer::start(pool.clone()).await;
    let mut laptop = enroll_owner(&server, "anand", "Laptop").await;
    let (owner, shop, product, variant, shift) =
        (id(), id(), id().to_string(), id(), id().to_string());
    let now = now_ms();
    let mut entries = vec![
        laptop.entry("staff", "create", &owner.to_string(), Some(owner),
            json!({"fields": {"name": "Asha", "role": "owner", "status": "active"}})),
        laptop.record("shop", &shop.to_string(), owner, json!({"name": "Main", "status": "active"})),
        laptop.record("product", &product, owner, json!({"name": "Kurta", "status": "active"})),
        laptop.record("variant", &variant.to_string(), owner, json!({"product_id": product, "price_minor": 100})),
        laptop.record("variant", &variant.to_string(), owner, json!({"price_minor": 200})),
        // An older stamp for the name: loses, and must not count.
        laptop.record_at("product", &product, owner, &stamp(now - 5_000, 0, laptop.id), json!({"name": "Old"})),
        laptop.record("barcode", "8901234567890", owner, json!({"variant_id": variant, "kind": "ean13", "generated": false, "status": "active"})),
        laptop.entry("shift", "open", &shift, Some(owner), json!({"device_id": laptop.id, "shop_id": shop,
            "opened_by": owner, "opened_at_ms": now, "float_minor": 50000})),
        laptop.entry("sale", "append", &id().to_string(), Some(owner), sale_payload("L-1", shop, laptop.id, owner, variant)),
        laptop.entry("shift", "close", &shift, Some(owner), json!({"closed_by": owner, "closed_at_ms": now,
            "denominations": [{"value_minor": 50000, "count": 1}], "report": {"sale_count": 1}})),
        laptop.entry("audit", "append", &id().to_string(), Some(owner), json!({"at_ms": now, "staff_id": owner,
            "device_id": laptop.id, "action": "price_change", "entity": "variant", "entity_id": variant,
            "field": "price_minor", "old_value": "100", "new_value": "200", "reason": null})),
    ];
    let key = id();
    entries.push(laptop.entry(
        "stock_movement",
        "append",
        &key.to_string(),
        Some(owner),
        movement_payload(key, variant, shop, laptop.id, "receive", 1000),
    ));
    push_applied(&server, &laptop, &entries).await;

    let mut model = Model::default();
    entries.iter().for_each(|e| model.push(e));
    let (status, reply) = server.get("/sync/v1/verify", &laptop.token).await;
    assert_eq!(status, StatusCode::OK, "{reply}");
    assert_eq!(reply["scopes"], json!(model.scopes()));
    let feed_cursor: i64 = sqlx::query_scalar("SELECT feed_cursor FROM businesses WHERE id = $1")
        .bind(business)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(reply["cursor"].as_i64(), Some(feed_cursor));
    // Pulled up to exactly that cursor, a terminal holds the same rows.
    let pulled = pull_all(&server, &laptop, None).await;
    assert_eq!(pulled.last().unwrap()["cursor"], reply["cursor"]);
    let scopes: Vec<&str> = reply["scopes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["scope"].as_str().unwrap())
        .collect();
    assert_eq!(scopes, SCOPES);
}
