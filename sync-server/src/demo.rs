//! `galla-server demo`: a generated business for trying the storefront and for its
//! benchmarks. It is written into the feed as a device would have pushed it (records with
//! clock stamps and digests, stock as receive movements), so the storefront, pulls and
//! Verify all see one consistent business, and a joined device would receive it whole.

use std::collections::BTreeMap;

use galla_core::catalog::ProductStatus;
use galla_core::demo::generate_catalog;
use galla_sync_protocol::{document_digest, record_digest};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};
use sqlx::types::Json as Jsonb;
use sqlx::{PgConnection, PgPool, Postgres, QueryBuilder};
use uuid::Uuid;

use crate::cli::{is_slug, CliError};
use crate::storefront::projection;

/// The generator's seed: the same demo on every machine.
const SEED: u64 = 7;
/// Rows per INSERT, well under Postgres's 65,535 bound parameters at 8 a row.
const CHUNK: usize = 5000;

pub struct DemoLoaded {
    pub business_id: Uuid,
    pub slug: String,
    pub products: usize,
    pub shown: usize,
}

/// One feed row before it has a cursor.
struct Row {
    entity: &'static str,
    key: String,
    scope: &'static str,
    data: Value,
    clocks: Option<BTreeMap<String, String>>,
    digest: i64,
}

/// Makes business `slug` with `products` generated products, one shop with an address
/// and opening hours, and stock for most variants.
pub async fn load(pool: &PgPool, slug: &str, products: usize) -> Result<DemoLoaded, CliError> {
    if !is_slug(slug) {
        return Err(CliError::BadSlug(slug.to_owned()));
    }
    let mut tx = pool.begin().await?;
    let taken: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM businesses WHERE slug = $1)")
            .bind(slug)
            .fetch_one(&mut *tx)
            .await?;
    if taken {
        return Err(CliError::SlugTaken(slug.to_owned()));
    }
    let business_id = Uuid::now_v7();
    sqlx::query("INSERT INTO businesses (id, slug, name) VALUES ($1, $2, $3)")
        .bind(business_id)
        .bind(slug)
        .bind("Galla demo shop")
        .execute(&mut *tx)
        .await?;
    // The records need a device that made them; this one has a token nobody holds and
    // is revoked, so it can never sync.
    let device = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO devices (id, business_id, name, token_hash, revoked_at)
         VALUES ($1, $2, 'Demo loader', $3, now())",
    )
    .bind(device)
    .bind(business_id)
    .bind(Sha256::digest(device.as_bytes()).to_vec())
    .execute(&mut *tx)
    .await?;

    let mut stamps = Stamps::new(device);
    let mut rows = Vec::new();
    let shop = Uuid::now_v7();
    let week = ["mon", "tue", "wed", "thu", "fri", "sat"];
    let hours: Vec<Value> = week
        .iter()
        .map(|day| json!({"day": day, "opens": "10:00", "closes": "20:30"}))
        .chain(std::iter::once(
            json!({"day": "sun", "opens": "11:00", "closes": "18:00"}),
        ))
        .collect();
    rows.push(stamps.record(
        "shop",
        shop,
        "shops",
        json!({
            "name": "Galla demo shop, MG Road",
            "status": "active",
            "address": "12 MG Road\nBengaluru 560001",
            "opening_hours": hours,
        }),
    ));
    let mut categories: BTreeMap<Vec<String>, Uuid> = BTreeMap::new();
    let mut shown = 0;
    for (index, product) in generate_catalog(SEED, products).enumerate() {
        let mut parent = None;
        for depth in 1..=product.category.len() {
            let path = product.category[..depth].to_vec();
            let id = match categories.get(&path) {
                Some(id) => *id,
                None => {
                    let id = Uuid::now_v7();
                    rows.push(stamps.record(
                        "category",
                        id,
                        "catalog",
                        json!({"name": path[depth - 1], "parent_id": parent, "status": "active"}),
                    ));
                    categories.insert(path, id);
                    id
                }
            };
            parent = Some(id);
        }
        let status = match product.status {
            ProductStatus::Draft => "draft",
            ProductStatus::Archived => "archived",
            ProductStatus::Active => "active",
        };
        // Most active products are on the storefront; a few are kept for the counter.
        let on_storefront = index % 10 != 9;
        shown += usize::from(status == "active" && on_storefront);
        let product_id = Uuid::now_v7();
        rows.push(stamps.record(
            "product",
            product_id,
            "catalog",
            json!({
                "name": product.name, "description": product.description,
                "category_id": parent, "tax_class": "gst_5", "hsn_code": null,
                "status": status, "show_on_storefront": on_storefront,
                "option_names": product.option_names,
            }),
        ));
        for (position, variant) in product.variants.iter().enumerate() {
            let variant_id = Uuid::now_v7();
            rows.push(stamps.record(
                "variant",
                variant_id,
                "catalog",
                json!({
                    "product_id": product_id, "position": position,
                    "option_values": variant.option_values, "sku": variant.sku,
                    "price_minor": variant.price_minor,
                    "cost_minor": variant.price_minor * 6 / 10,
                    "currency": "INR", "status": "active",
                }),
            ));
            // Some variants sold out, some low, most in stock.
            let units = (index * 7 + position * 3 + 5) % 23;
            if units > 0 {
                let movement = Uuid::now_v7();
                rows.push(Row {
                    entity: "stock_movement",
                    key: movement.to_string(),
                    scope: "stock",
                    data: json!({
                        "id": movement, "variant_id": variant_id, "shop_id": shop,
                        "quantity_milli": units * 1000, "kind": "receive", "reason": null,
                        "note": "demo", "document_id": null, "counterpart_shop_id": null,
                        "staff_id": null, "device_id": device, "at_ms": stamps.now_ms,
                    }),
                    clocks: None,
                    digest: document_digest("stock_movement", &movement.to_string()),
                });
            }
        }
    }
    let cursor = write_rows(&mut tx, business_id, device, &rows).await?;
    sqlx::query(
        "INSERT INTO stock_levels (business_id, variant_id, shop_id, on_hand_milli)
         SELECT business_id, (data->>'variant_id')::uuid, (data->>'shop_id')::uuid,
                sum((data->>'quantity_milli')::bigint)
         FROM records WHERE business_id = $1 AND entity = 'stock_movement'
         GROUP BY 1, 2, 3",
    )
    .bind(business_id)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE businesses SET feed_cursor = $2 WHERE id = $1")
        .bind(business_id)
        .bind(cursor)
        .execute(&mut *tx)
        .await?;
    projection::refresh_business(&mut tx, business_id).await?;
    tx.commit().await?;
    // Fresh statistics, so the first queries use the indexes rather than wait for
    // autovacuum to notice thousands of new rows.
    sqlx::query("ANALYZE records, stock_levels, storefront_products")
        .execute(pool)
        .await?;
    Ok(DemoLoaded {
        business_id,
        slug: slug.to_owned(),
        products,
        shown,
    })
}

async fn write_rows(
    conn: &mut PgConnection,
    business_id: Uuid,
    device: Uuid,
    rows: &[Row],
) -> Result<i64, sqlx::Error> {
    let mut cursor = 0i64;
    for chunk in rows.chunks(CHUNK) {
        let mut insert = QueryBuilder::<Postgres>::new(
            "INSERT INTO records (business_id, entity, key, cursor, scope, data, clocks, digest,
                                  origin_device, changed_by_device) ",
        );
        insert.push_values(chunk, |mut values, row| {
            cursor += 1;
            values
                .push_bind(business_id)
                .push_bind(row.entity)
                .push_bind(&row.key)
                .push_bind(cursor)
                .push_bind(row.scope)
                .push_bind(Jsonb(&row.data))
                .push_bind(row.clocks.as_ref().map(Jsonb))
                .push_bind(row.digest)
                .push_bind(device)
                .push_bind(device);
        });
        insert.build().execute(&mut *conn).await?;
    }
    Ok(cursor)
}

/// Clock stamps from the loader's device, one logical tick per record.
struct Stamps {
    device: Uuid,
    now_ms: u64,
    counter: u64,
}

impl Stamps {
    fn new(device: Uuid) -> Stamps {
        Stamps {
            device,
            now_ms: crate::sync::now_ms(),
            counter: 0,
        }
    }

    fn record(&mut self, entity: &'static str, id: Uuid, scope: &'static str, data: Value) -> Row {
        self.counter += 1;
        let stamp = format!(
            "{:015}-{:010}-{}",
            self.now_ms,
            self.counter,
            self.device.simple()
        );
        let fields: Map<String, Value> = match data {
            Value::Object(map) => map,
            _ => Map::new(),
        };
        let clocks: BTreeMap<String, String> =
            fields.keys().map(|f| (f.clone(), stamp.clone())).collect();
        let key = id.to_string();
        Row {
            entity,
            digest: record_digest(
                entity,
                &key,
                clocks.iter().map(|(f, s)| (f.as_str(), s.as_str())),
            ),
            key,
            scope,
            data: Value::Object(fields),
            clocks: Some(clocks),
        }
    }
}
