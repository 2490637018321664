//! A terminal written from docs/sync-protocol.md alone: JSON made by hand, real HTTP to
//! a server on port 0, one fresh database per test. Shared by the sync test files.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use galla_sync_server::cli::{self, NewBusiness};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use sqlx::PgPool;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use uuid::Uuid;

pub const OWNER_PASSWORD: &str = "correct horse battery";

/// A server running on its own port for the length of one test.
pub struct TestServer {
    pub base: String,
    pub task: JoinHandle<std::io::Result<()>>,
}

impl TestServer {
    pub async fn start(pool: PgPool) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        // No storefront rate limit: tests send many requests from one address, and the
        // limit has a test of its own.
        let options = galla_sync_server::ServeOptions {
            storefront_rate: 0,
            storefront_burst: 1,
            storefront_cache: galla_sync_server::config::DEFAULT_STOREFRONT_CACHE,
            trust_forwarded_for: false,
        };
        let task = tokio::spawn(galla_sync_server::serve_with(
            listener,
            pool,
            options,
            std::future::pending(),
        ));
        TestServer {
            base: format!("http://{addr}"),
            task,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Any request; answers the status and the JSON body (asserting that it is JSON).
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> (StatusCode, Value) {
        let mut request = client().request(method, self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        answer(request.send().await.unwrap()).await
    }

    pub async fn get(&self, path: &str, token: &str) -> (StatusCode, Value) {
        self.send(Method::GET, path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: &Value) -> (StatusCode, Value) {
        self.send(Method::POST, path, Some(token), Some(body)).await
    }

    pub async fn enroll(&self, body: &Value) -> (StatusCode, Value) {
        self.send(Method::POST, "/sync/v1/enroll", None, Some(body))
            .await
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap()
}

pub async fn answer(response: reqwest::Response) -> (StatusCode, Value) {
    let status = response.status();
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let text = response.text().await.unwrap();
    assert_eq!(content_type, "application/json", "status {status}: {text}");
    (status, serde_json::from_str(&text).unwrap())
}

/// The one error shape, with this code.
pub fn assert_error(status: StatusCode, body: &Value, expected: StatusCode, code: &str) {
    assert_eq!(status, expected, "{body}");
    let error = body["error"]
        .as_object()
        .unwrap_or_else(|| panic!("no error in {body}"));
    assert_eq!(error["code"], json!(code), "{body}");
    let message = error["message"].as_str().unwrap();
    assert!(!message.is_empty(), "{body}");
    for key in error.keys() {
        assert!(
            ["code", "message", "last_seq"].contains(&key.as_str()),
            "{body}"
        );
    }
}

pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

/// A clock stamp as the protocol writes it: 15 digits of wall milliseconds, 10 of
/// counter, and the device id as 32 hex digits.
pub fn stamp(wall_ms: u64, counter: u32, device: Uuid) -> String {
    format!("{wall_ms:015}-{counter:010}-{}", device.simple())
}

pub fn id() -> Uuid {
    Uuid::now_v7()
}

pub async fn create_business(pool: &PgPool, slug: &str) -> Uuid {
    cli::create_business(
        pool,
        &NewBusiness {
            name: format!("Business {slug}"),
            slug: slug.to_owned(),
            owner_email: format!("owner@{slug}.example.in"),
            password: OWNER_PASSWORD.to_owned(),
        },
    )
    .await
    .unwrap()
    .id
}

pub async fn pairing_code(pool: &PgPool, slug: &str, shop: Option<Uuid>) -> String {
    cli::pairing_code(pool, slug, shop).await.unwrap().code.code
}

/// One enrolled install, numbering its entries as a terminal does.
pub struct Device {
    pub id: Uuid,
    pub token: String,
    pub business_id: Uuid,
    pub shop_id: Option<Uuid>,
    /// The last sequence number handed to an entry.
    pub seq: u64,
    /// The clock's counter, so every stamp this device makes is distinct.
    pub counter: u32,
}

impl Device {
    pub fn from_reply(reply: &Value) -> Device {
        Device {
            id: reply["device_id"].as_str().unwrap().parse().unwrap(),
            token: reply["token"].as_str().unwrap().to_owned(),
            business_id: reply["business_id"].as_str().unwrap().parse().unwrap(),
            shop_id: reply["shop_id"].as_str().map(|s| s.parse().unwrap()),
            seq: 0,
            counter: 0,
        }
    }

    /// A fresh stamp of this device, now.
    pub fn stamp(&mut self) -> String {
        self.counter += 1;
        stamp(now_ms(), self.counter, self.id)
    }

    /// An entry with the next sequence number and a new id.
    pub fn entry(
        &mut self,
        entity: &str,
        op: &str,
        key: &str,
        staff: Option<Uuid>,
        payload: Value,
    ) -> Value {
        self.seq += 1;
        let hlc = self.stamp();
        json!({"seq": self.seq, "id": id(), "entity": entity, "key": key, "op": op,
               "hlc": hlc, "staff_id": staff, "payload": payload})
    }

    pub fn record(&mut self, entity: &str, key: &str, staff: Uuid, fields: Value) -> Value {
        self.entry(
            entity,
            "upsert",
            key,
            Some(staff),
            json!({ "fields": fields }),
        )
    }

    pub fn record_at(
        &mut self,
        entity: &str,
        key: &str,
        staff: Uuid,
        hlc: &str,
        fields: Value,
    ) -> Value {
        let mut entry = self.record(entity, key, staff, fields);
        entry["hlc"] = json!(hlc);
        entry
    }
}

pub async fn enroll_with_code(server: &TestServer, code: &str, name: &str) -> Device {
    let (status, reply) = server
        .enroll(&json!({"device_id": id(), "device_name": name, "pairing_code": code}))
        .await;
    assert_eq!(status, StatusCode::OK, "{reply}");
    Device::from_reply(&reply)
}

pub async fn enroll_owner(server: &TestServer, slug: &str, name: &str) -> Device {
    let (status, reply) = server
        .enroll(&json!({"device_id": id(), "device_name": name,
                        "email": format!("owner@{slug}.example.in"), "password": OWNER_PASSWORD}))
        .await;
    assert_eq!(status, StatusCode::OK, "{reply}");
    Device::from_reply(&reply)
}

pub async fn push(server: &TestServer, device: &Device, entries: &[Value]) -> (StatusCode, Value) {
    server
        .post(
            "/sync/v1/push",
            &device.token,
            &json!({ "entries": entries }),
        )
        .await
}

/// Pushes and expects a 200; answers the results.
pub async fn push_ok(server: &TestServer, device: &Device, entries: &[Value]) -> Vec<Value> {
    let (status, reply) = push(server, device, entries).await;
    assert_eq!(status, StatusCode::OK, "{reply}");
    assert_eq!(
        reply["results"].as_array().unwrap().len(),
        entries.len(),
        "{reply}"
    );
    reply["results"].as_array().unwrap().clone()
}

/// Pushes entries that must all be applied.
pub async fn push_applied(server: &TestServer, device: &Device, entries: &[Value]) {
    for result in push_ok(server, device, entries).await {
        assert_eq!(result["status"], json!("applied"), "{result}");
    }
}

/// Everything the device's business has, from cursor 0, page by page.
pub async fn pull_all(server: &TestServer, device: &Device, scope: Option<&str>) -> Vec<Value> {
    let mut after = 0u64;
    let mut changes = Vec::new();
    loop {
        let path = match scope {
            Some(scope) => format!("/sync/v1/pull?after={after}&limit=1000&scope={scope}"),
            None => format!("/sync/v1/pull?after={after}&limit=1000"),
        };
        let (status, page) = server.get(&path, &device.token).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        changes.extend(page["changes"].as_array().unwrap().iter().cloned());
        after = page["next"].as_u64().unwrap();
        if !page["more"].as_bool().unwrap() {
            return changes;
        }
    }
}

/// The current state of one row as the feed has it.
pub async fn feed_row(
    server: &TestServer,
    device: &Device,
    entity: &str,
    key: &str,
) -> Option<Value> {
    pull_all(server, device, None)
        .await
        .into_iter()
        .find(|c| c["entity"] == json!(entity) && c["key"] == json!(key))
}

/// A business set up as a real one is: the owner's laptop enrolled by e-mail, the first
/// owner made at first start, a shop, a manager and a cashier, and a counter paired to
/// the shop.
pub struct World {
    pub server: TestServer,
    pub pool: PgPool,
    pub slug: String,
    pub business_id: Uuid,
    pub laptop: Device,
    pub counter: Device,
    pub owner: Uuid,
    pub manager: Uuid,
    pub cashier: Uuid,
    pub shop: Uuid,
}

pub async fn world(pool: PgPool) -> World {
    world_named(pool, "anand").await
}

pub async fn world_named(pool: PgPool, slug: &str) -> World {
    let business_id = create_business(&pool, slug).await;
    let server = TestServer::start(pool.clone()).await;
    let mut laptop = enroll_owner(&server, slug, "Owner's laptop").await;
    let (owner, manager, cashier, shop) = (id(), id(), id(), id());
    let entries = vec![
        laptop.entry(
            "staff",
            "create",
            &owner.to_string(),
            Some(owner),
            json!({"fields": {"name": "Asha", "role": "owner", "pin_hash": "$argon2id$x", "status": "active"}}),
        ),
        laptop.record("shop", &shop.to_string(), owner, json!({"name": "Main shop", "status": "active"})),
        laptop.record(
            "staff",
            &manager.to_string(),
            owner,
            json!({"name": "Meera", "role": "manager", "pin_hash": "$argon2id$y", "status": "active"}),
        ),
        laptop.record(
            "staff",
            &cashier.to_string(),
            owner,
            json!({"name": "Chetan", "role": "cashier", "pin_hash": "$argon2id$z", "status": "active"}),
        ),
    ];
    push_applied(&server, &laptop, &entries).await;
    let code = pairing_code(&pool, slug, Some(shop)).await;
    let counter = enroll_with_code(&server, &code, "Counter 1").await;
    assert_eq!(counter.shop_id, Some(shop));
    World {
        server,
        pool,
        slug: slug.to_owned(),
        business_id,
        laptop,
        counter,
        owner,
        manager,
        cashier,
        shop,
    }
}

/// A sale document as core writes it (store/sales.rs `document_payload`).
pub fn sale_payload(number: &str, shop: Uuid, device: Uuid, staff: Uuid, variant: Uuid) -> Value {
    json!({
        "number": number, "kind": "sale", "original_number": null,
        "shop_id": shop, "shift_id": id(), "device_id": device, "staff_id": staff,
        "customer_id": null, "at_ms": now_ms(), "currency": "INR",
        "inter_state": false, "prices_include_tax": true,
        "lines": [{
            "line_id": id(), "variant_id": variant, "name": "Kurta", "hsn": "6211",
            "quantity_milli": 2000, "unit_price_minor": 45000, "price_source": "catalog",
            "gross_minor": 90000, "discount_minor": 0, "taxable_minor": 80357,
            "tax_minor": 9643, "total_minor": 90000,
            "taxes": [{"component": "cgst", "rate_ppm": 60000, "amount_minor": 4821}]
        }],
        "totals": {"gross_minor": 90000, "discount_minor": 0, "taxable_minor": 80357,
                   "tax_minor": 9643, "total_minor": 90000, "rounding_minor": 0,
                   "grand_total_minor": 90000, "change_minor": 0},
        "payments": [{"method": "cash", "amount_minor": 90000, "tendered_minor": 100000,
                      "reference": null}]
    })
}

/// A stock movement as core writes it (store/stock.rs `append_movement`).
pub fn movement_payload(
    key: Uuid,
    variant: Uuid,
    shop: Uuid,
    device: Uuid,
    kind: &str,
    quantity_milli: i64,
) -> Value {
    json!({
        "id": key, "variant_id": variant, "shop_id": shop, "quantity_milli": quantity_milli,
        "kind": kind, "reason": null, "note": null, "document_id": null,
        "counterpart_shop_id": null, "staff_id": null, "device_id": device, "at_ms": now_ms()
    })
}

pub async fn count(pool: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

/// The business's feed cursor, as verify reports it.
pub async fn cursor(server: &TestServer, device: &Device) -> u64 {
    let (status, reply) = server.get("/sync/v1/verify", &device.token).await;
    assert_eq!(status, StatusCode::OK, "{reply}");
    reply["cursor"].as_u64().unwrap()
}
