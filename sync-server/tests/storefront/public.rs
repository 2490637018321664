//! Only what is public, and fresh: what a customer may see of a pushed catalog, what they
//! may never reach, and changes visible on the very next request.

use super::*;
use sqlx::PgPool;

/// Every storefront path a client could try for `w`'s business and catalog.
fn every_path(slug: &str, c: &Catalog) -> Vec<String> {
    let base = format!("/storefront/v1/{slug}");
    let mut paths = vec![
        base.clone(),
        format!("{base}/products"),
        format!("{base}/products?facets=true&limit=100"),
        format!("{base}/products?q=secret&facets=true"),
        format!("{base}/categories"),
        format!("{base}/shops"),
        format!("{base}/images/{}", c.picture),
        format!("{base}/images/{}/thumbnail", c.picture),
    ];
    for product in [c.kurta, c.draft, c.archived, c.hidden] {
        paths.push(format!("{base}/products/{product}"));
    }
    paths
}

#[sqlx::test(migrator = "galla_sync_server::db::MIGRATOR")]
async fn customers_see_active_storefront_products_and_nothing_private(pool: PgPool) {
    let mut w = world(pool.clone()).await;
    let c = push_catalog(&mut w).await;
    // A customer and a sale, which nothing public may show.
    let (customer, counter, cashier, shop) = (id(), w.counter.id, w.cashier, w.shop);
    let entries = vec![
        w.counter.record(
            "customer",
            &customer.to_string(),
            cashier,
            json!({"name": "Private Person", "phone": "+919800000001", "status": "active"}),
        ),
        w.counter.entry(
            "sale",
            "append",
            &id().to_string(),
            Some(cashier),
            sale_payload("S1-C1-000001", shop, counter, cashier, c.small),
        ),
    ];
    push_applied(&w.server, &w.counter, &entries).await;

    let list = get_ok(&w.server, "/storefront/v1/anand/products").await;
    let products = list["products"].as_array().unwrap();
    assert_eq!(products.len(), 1, "{list}");
    assert_eq!(products[0]["id"], json!(c.kurta));
    assert_eq!(products[0]["slug"], json!("cotton-kurta"));
    assert_eq!(
        products[0]["price"],
        json!({"min_minor": 49_900, "max_minor": 59_900, "currency": "INR"})
    );
    assert_eq!(products[0]["availability"], json!("in_stock"));
    assert_eq!(products[0]["image"]["hash"], json!(c.picture));

    let by_slug = get_ok(&w.server, "/storefront/v1/anand/products/cotton-kurta").await;
    let by_id = get_ok(
        &w.server,
        &format!("/storefront/v1/anand/products/{}", c.kurta),
    )
    .await;
    assert_eq!(by_slug, by_id);
    assert_eq!(by_id["category"], json!({"id": c.kurtas, "name": "Kurtas"}));
    assert_eq!(by_id["option_names"], json!(["Size"]));
    let variants = by_id["variants"].as_array().unwrap();
    assert_eq!(variants.len(), 2);
    assert_eq!(variants[0]["id"], json!(c.small));
    assert_eq!(variants[0]["availability"], json!("in_stock"));
    assert_eq!(
        variants[0]["on_hand_milli"],
        Value::Null,
        "exact counts are off by default"
    );
    assert_eq!(variants[1]["id"], json!(c.large));
    assert_eq!(variants[1]["availability"], json!("out"));
    assert_eq!(
        variants[1]["price"],
        json!({"amount_minor": 59_900, "currency": "INR"})
    );

    let image = get(
        &w.server,
        &format!("/storefront/v1/anand/images/{}", c.picture),
    )
    .await;
    assert_eq!(image.status, StatusCode::OK);
    assert_eq!(image.header("content-type").as_deref(), Some("image/png"));
    assert_eq!(galla_sync_protocol::blob_hash(&image.bytes), c.picture);
    assert!(image.header("cache-control").unwrap().contains("immutable"));
    let thumb = get(
        &w.server,
        &format!("/storefront/v1/anand/images/{}/thumbnail", c.picture),
    )
    .await;
    assert_eq!(thumb.status, StatusCode::OK);
    assert_eq!(thumb.header("content-type").as_deref(), Some("image/jpeg"));
    assert!(thumb.bytes.starts_with(&[0xFF, 0xD8]));
    // The second time it is the kept copy.
    let again = get(
        &w.server,
        &format!("/storefront/v1/anand/images/{}/thumbnail", c.picture),
    )
    .await;
    assert_eq!(again.bytes, thumb.bytes);

    // Drafts, archived and hidden products, by id or by name; the draft's picture.
    for product in [c.draft, c.archived, c.hidden] {
        let answer = get(
            &w.server,
            &format!("/storefront/v1/anand/products/{product}"),
        )
        .await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{product}");
        assert_eq!(answer.json()["error"]["code"], json!("not_found"));
    }
    for path in [
        format!("/storefront/v1/anand/images/{}", c.draft_picture),
        format!("/storefront/v1/anand/images/{}/thumbnail", c.draft_picture),
        "/storefront/v1/anand/products/secret-draft-true".to_owned(),
    ] {
        assert_eq!(
            get(&w.server, &path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }

    // Nothing private in any answer: costs, staff, customers, devices, sales, the drafts.
    let private = [
        // As a JSON number; ids are hex and cannot hold a colon.
        format!(":{COST}"),
        "cost".to_owned(),
        "Secret".to_owned(),
        "Asha".to_owned(),
        "Chetan".to_owned(),
        "argon2".to_owned(),
        "Private Person".to_owned(),
        "9800000001".to_owned(),
        "S1-C1-000001".to_owned(),
        w.laptop.id.to_string(),
        w.counter.id.to_string(),
        c.draft_picture.clone(),
        c.draft.to_string(),
        c.hidden.to_string(),
    ];
    for path in every_path("anand", &c) {
        let answer = get(&w.server, &path).await;
        let text = answer.text();
        for secret in &private {
            if path.ends_with(secret.as_str()) {
                continue;
            }
            assert!(
                !text.contains(secret.as_str()),
                "GET {path} shows {secret:?}: {text}"
            );
        }
    }
}

#[sqlx::test(migrator = "galla_sync_server::db::MIGRATOR")]
async fn another_business_sees_nothing_of_this_one(pool: PgPool) {
    let mut w = world(pool.clone()).await;
    let c = push_catalog(&mut w).await;
    create_business(&pool, "other").await;
    let other = get_ok(&w.server, "/storefront/v1/other/products?facets=true").await;
    assert_eq!(other["products"], json!([]));
    assert_eq!(other["facets"]["total"], json!(0));
    assert_eq!(
        get_ok(&w.server, "/storefront/v1/other/categories").await["categories"],
        json!([])
    );
    assert_eq!(
        get_ok(&w.server, "/storefront/v1/other/shops").await["shops"],
        json!([])
    );
    for path in [
        format!("/storefront/v1/other/products/{}", c.kurta),
        "/storefront/v1/other/products/cotton-kurta".to_owned(),
        format!("/storefront/v1/other/images/{}", c.picture),
        "/storefront/v1/nobody/products".to_owned(),
        "/storefront/v1/Anand/products".to_owned(),
    ] {
        let answer = get(&w.server, &path).await;
        assert_eq!(
            answer.status,
            StatusCode::NOT_FOUND,
            "{path}: {}",
            answer.text()
        );
    }
}

#[sqlx::test(migrator = "galla_sync_server::db::MIGRATOR")]
async fn a_pushed_change_is_visible_on_the_next_request(pool: PgPool) {
    let mut w = world(pool.clone()).await;
    let c = push_catalog(&mut w).await;
    let path = format!("/storefront/v1/anand/products/{}", c.kurta);
    let first = get(&w.server, &path).await;
    let tag = first.header("etag").unwrap();
    assert_eq!(
        first.header("cache-control").as_deref(),
        Some("public, no-cache")
    );
    let unchanged = get_with(&w.server, &path, &[("If-None-Match", &tag)]).await;
    assert_eq!(unchanged.status, StatusCode::NOT_MODIFIED);
    assert!(unchanged.bytes.is_empty());

    // Renamed on the laptop: the next request shows it, even with the old ETag.
    let owner = w.owner;
    let rename = w.laptop.record(
        "product",
        &c.kurta.to_string(),
        owner,
        json!({"name": "Cotton Kurta, Indigo"}),
    );
    push_applied(&w.server, &w.laptop, &[rename]).await;
    let renamed = get_with(&w.server, &path, &[("If-None-Match", &tag)]).await;
    assert_eq!(renamed.status, StatusCode::OK);
    assert_eq!(renamed.json()["name"], json!("Cotton Kurta, Indigo"));
    assert_eq!(
        renamed.json()["slug"],
        json!("cotton-kurta"),
        "a slug stays when renamed"
    );
    assert_ne!(renamed.header("etag").unwrap(), tag);

    // Sales on the counter move availability: 20 on hand, low at 5, then none.
    let (counter, cashier, shop) = (w.counter.id, w.cashier, w.shop);
    let sell = |w: &mut World, units: i64| {
        w.counter.entry(
            "stock_movement",
            "append",
            &id().to_string(),
            Some(cashier),
            movement_payload(id(), c.small, shop, counter, "sale", -units * 1000),
        )
    };
    let mut sale = sell(&mut w, 16);
    sale["key"] = sale["payload"]["id"].clone();
    push_applied(&w.server, &w.counter, &[sale]).await;
    let low = get_ok(&w.server, &path).await;
    assert_eq!(low["variants"][0]["availability"], json!("low"));
    assert_eq!(low["availability"], json!("low"));
    let mut sale = sell(&mut w, 4);
    sale["key"] = sale["payload"]["id"].clone();
    push_applied(&w.server, &w.counter, &[sale]).await;
    let out = get_ok(&w.server, &path).await;
    assert_eq!(out["availability"], json!("out"));
    let list = get_ok(&w.server, "/storefront/v1/anand/products?in_stock=true").await;
    assert_eq!(list["products"], json!([]));

    // Exact counts once the seller turns them on; the old ETags no longer match.
    let before = get(&w.server, &path).await.header("etag").unwrap();
    galla_sync_server::cli::storefront_settings(&pool, "anand", None, Some(true), None)
        .await
        .unwrap();
    let exact = get_with(&w.server, &path, &[("If-None-Match", &before)]).await;
    assert_eq!(exact.status, StatusCode::OK);
    assert_eq!(exact.json()["variants"][0]["on_hand_milli"], json!(0));

    // Archived on the laptop: gone on the next request, and its slug with it.
    let archive = w.laptop.record(
        "product",
        &c.kurta.to_string(),
        owner,
        json!({"status": "archived"}),
    );
    push_applied(&w.server, &w.laptop, &[archive]).await;
    assert_eq!(get(&w.server, &path).await.status, StatusCode::NOT_FOUND);
    let gone = get(&w.server, "/storefront/v1/anand/products/cotton-kurta").await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    let image = get(
        &w.server,
        &format!("/storefront/v1/anand/images/{}", c.picture),
    )
    .await;
    assert_eq!(image.status, StatusCode::NOT_FOUND, "its pictures go too");
    assert_eq!(
        get_ok(&w.server, "/storefront/v1/anand/products").await["products"],
        json!([])
    );
}

#[sqlx::test(migrator = "galla_sync_server::db::MIGRATOR")]
async fn shops_show_their_address_and_hours(pool: PgPool) {
    let mut w = world(pool.clone()).await;
    let (owner, shop) = (w.owner, w.shop);
    let hours = json!([
        {"day": "sat", "opens": "10:00", "closes": "14:00"},
        {"day": "mon", "opens": "09:30", "closes": "19:00"},
    ]);
    let details = w.laptop.record(
        "shop",
        &shop.to_string(),
        owner,
        json!({"address": "12 MG Road\nBengaluru 560001", "opening_hours": hours}),
    );
    push_applied(&w.server, &w.laptop, &[details]).await;
    // Bad hours are refused by sync and never reach the storefront.
    let bad = w.laptop.record(
        "shop",
        &shop.to_string(),
        owner,
        json!({"opening_hours": [{"day": "mon", "opens": "19:00", "closes": "09:00"}]}),
    );
    let results = push_ok(&w.server, &w.laptop, &[bad]).await;
    assert_eq!(results[0]["status"], json!("rejected"), "{results:?}");

    let shops = get_ok(&w.server, "/storefront/v1/anand/shops").await;
    assert_eq!(
        shops,
        json!({"shops": [{
            "id": shop, "name": "Main shop", "address": "12 MG Road\nBengaluru 560001",
            "opening_hours": [
                {"day": "mon", "opens": "09:30", "closes": "19:00"},
                {"day": "sat", "opens": "10:00", "closes": "14:00"},
            ]
        }]})
    );
    let closed = w.laptop.record(
        "shop",
        &shop.to_string(),
        owner,
        json!({"status": "archived"}),
    );
    push_applied(&w.server, &w.laptop, &[closed]).await;
    assert_eq!(
        get_ok(&w.server, "/storefront/v1/anand/shops").await,
        json!({"shops": []})
    );
}
