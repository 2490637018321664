//! The storefront API through real HTTP, on a catalog pushed through the sync API the
//! way terminals push it. Every answer is checked against the generated OpenAPI
//! document (`spec.rs`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;
mod fuzz;
mod http;
mod listing;
mod public;
mod readme;
mod spec;

use common::*;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde_json::{json, Value};
use uuid::Uuid;

/// One storefront answer.
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub bytes: Vec<u8>,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes).unwrap_or(Value::Null)
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    }
}

/// GETs `path` (with `headers`) and checks the answer against the OpenAPI document.
pub async fn get_with(server: &TestServer, path: &str, headers: &[(&str, &str)]) -> Answer {
    let mut request = client().get(server.url(path));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.bytes().await.unwrap().to_vec();
    let answer = Answer {
        status,
        headers,
        bytes,
    };
    assert!(
        !status.is_server_error(),
        "GET {path}: {status} {}",
        answer.text()
    );
    let bare = path.split('?').next().unwrap_or_default();
    // Compressed bodies are checked where they are decompressed (http.rs).
    if answer.header("content-encoding").is_none() {
        if let Err(problem) = spec::spec().check(
            bare,
            status.as_u16(),
            answer.header("content-type").as_deref(),
            &answer.bytes,
        ) {
            panic!(
                "GET {path} broke the contract: {problem}\n{}",
                answer.text()
            );
        }
    }
    answer
}

pub async fn get(server: &TestServer, path: &str) -> Answer {
    get_with(server, path, &[]).await
}

/// A GET that must answer 200 with JSON.
pub async fn get_ok(server: &TestServer, path: &str) -> Value {
    let answer = get(server, path).await;
    assert_eq!(
        answer.status,
        StatusCode::OK,
        "GET {path}: {}",
        answer.text()
    );
    answer.json()
}

/// A small shop's catalog as pushed from the owner's laptop.
pub struct Catalog {
    pub clothes: Uuid,
    pub kurtas: Uuid,
    pub kurta: Uuid,
    pub small: Uuid,
    pub large: Uuid,
    pub draft: Uuid,
    pub archived: Uuid,
    pub hidden: Uuid,
    pub picture: String,
    pub draft_picture: String,
}

pub const COST: i64 = 31_337;

/// A PNG of `width`×1 pixels, so each width has its own hash.
pub fn png(width: u32) -> Vec<u8> {
    let picture = image::RgbImage::from_pixel(width, 1, image::Rgb([200, 30, 90]));
    let mut bytes = std::io::Cursor::new(Vec::new());
    picture
        .write_to(&mut bytes, image::ImageFormat::Png)
        .unwrap();
    bytes.into_inner()
}

pub async fn put_blob(w: &World, bytes: &[u8]) -> String {
    let hash = galla_sync_protocol::blob_hash(bytes);
    let response = client()
        .put(w.server.url(&format!("/sync/v1/blobs/{hash}")))
        .bearer_auth(&w.laptop.token)
        .header("Content-Type", "application/octet-stream")
        .body(bytes.to_vec())
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "{}", response.status());
    hash
}

pub fn product_fields(name: &str, category: Option<Uuid>, status: &str, shown: bool) -> Value {
    json!({"name": name, "description": format!("{name}, handwoven"), "category_id": category,
           "tax_class": "gst_5", "hsn_code": "6211", "status": status,
           "show_on_storefront": shown, "option_names": ["Size"]})
}

/// A new variant as core sends it: no status, which it sends only to archive one.
pub fn variant_fields(product: Uuid, position: u32, size: &str, price: i64) -> Value {
    json!({"product_id": product, "position": position, "option_values": [size],
           "sku": format!("K-{size}"), "price_minor": price, "cost_minor": COST,
           "currency": "INR"})
}

/// Pushes a catalog: Clothes > Kurtas holding one visible kurta (S in stock, L sold
/// out), and a draft, an archived and a hidden product, each with a variant; pictures
/// on the kurta and on the draft.
pub async fn push_catalog(w: &mut World) -> Catalog {
    let (clothes, kurtas, kurta, small, large) = (id(), id(), id(), id(), id());
    let (draft, archived, hidden) = (id(), id(), id());
    let picture = put_blob(w, &png(2)).await;
    let draft_picture = put_blob(w, &png(3)).await;
    let owner = w.owner;
    let l = &mut w.laptop;
    let mut entries = vec![
        l.record(
            "category",
            &clothes.to_string(),
            owner,
            json!({"name": "Clothes", "parent_id": null, "status": "active"}),
        ),
        l.record(
            "category",
            &kurtas.to_string(),
            owner,
            json!({"name": "Kurtas", "parent_id": clothes, "status": "active"}),
        ),
        l.record(
            "product",
            &kurta.to_string(),
            owner,
            product_fields("Cotton Kurta", Some(kurtas), "active", true),
        ),
        l.record(
            "variant",
            &small.to_string(),
            owner,
            variant_fields(kurta, 0, "S", 49_900),
        ),
        l.record(
            "variant",
            &large.to_string(),
            owner,
            variant_fields(kurta, 1, "L", 59_900),
        ),
        l.record(
            "product_image",
            &format!("{kurta}/{picture}"),
            owner,
            json!({"product_id": kurta, "hash": picture, "position": 0, "width": 2,
                   "height": 1, "byte_size": 71, "status": "active"}),
        ),
    ];
    for (product, status, shown) in [
        (draft, "draft", true),
        (archived, "archived", true),
        (hidden, "active", false),
    ] {
        entries.push(l.record(
            "product",
            &product.to_string(),
            owner,
            product_fields(
                &format!("Secret {status} {shown}"),
                Some(kurtas),
                status,
                shown,
            ),
        ));
        entries.push(l.record(
            "variant",
            &id().to_string(),
            owner,
            variant_fields(product, 0, "M", 10_000),
        ));
    }
    entries.push(l.record(
        "product_image",
        &format!("{draft}/{draft_picture}"),
        owner,
        json!({"product_id": draft, "hash": draft_picture, "position": 0, "width": 2,
               "height": 1, "byte_size": 104, "status": "active"}),
    ));
    let device = l.id;
    entries.push(l.entry(
        "stock_movement",
        "append",
        &id().to_string(),
        Some(owner),
        movement_payload(id(), small, w.shop, device, "receive", 20_000),
    ));
    let key = entries.last().unwrap()["payload"]["id"].clone();
    entries.last_mut().unwrap()["key"] = key;
    push_applied(&w.server, &w.laptop, &entries).await;
    Catalog {
        clothes,
        kurtas,
        kurta,
        small,
        large,
        draft,
        archived,
        hidden,
        picture,
        draft_picture,
    }
}
