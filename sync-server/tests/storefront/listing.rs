//! The product list on a generated business: every sort pages through every product
//! once and in order, filters and facets agree with each other, and search forgives
//! typos.

use std::collections::{BTreeMap, BTreeSet};

use super::*;
use sqlx::PgPool;

const PRODUCTS: usize = 300;

async fn demo(pool: &PgPool) -> TestServer {
    let loaded = galla_sync_server::demo::load(pool, "demo", PRODUCTS)
        .await
        .unwrap();
    assert!(
        loaded.shown > 100 && loaded.shown < PRODUCTS,
        "{}",
        loaded.shown
    );
    TestServer::start(pool.clone()).await
}

/// Every product of a listing, following next_cursor with pages of `limit`.
async fn all_pages(server: &TestServer, query: &str, limit: u32) -> Vec<Value> {
    let mut products = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..1000 {
        let mut path = format!("/storefront/v1/demo/products?limit={limit}{query}");
        if let Some(cursor) = &cursor {
            path.push_str(&format!("&cursor={cursor}"));
        }
        let page = get_ok(server, &path).await;
        let items = page["products"].as_array().unwrap();
        assert!(items.len() <= limit as usize);
        products.extend(items.iter().cloned());
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return products,
        }
    }
    panic!("more than 1000 pages");
}

fn ids(products: &[Value]) -> Vec<String> {
    products
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_owned())
        .collect()
}

async fn facets(server: &TestServer, query: &str) -> Value {
    get_ok(
        server,
        &format!("/storefront/v1/demo/products?facets=true{query}"),
    )
    .await["facets"]
        .clone()
}

#[sqlx::test(migrator = "galla_sync_server::db::MIGRATOR")]
async fn every_sort_pages_through_every_product_once_in_order(pool: PgPool) {
    let server = demo(&pool).await;
    let total = facets(&server, "").await["total"].as_i64().unwrap() as usize;
    let shown: i64 = sqlx::query_scalar("SELECT count(*) FROM storefront_products")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(total as i64, shown);

    let by_name = all_pages(&server, "&sort=name", 17).await;
    assert_eq!(by_name.len(), total);
    let names: Vec<String> = by_name
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_lowercase())
        .collect();
    assert!(names.windows(2).all(|w| w[0] <= w[1]), "name order");

    let cheap_first = all_pages(&server, "&sort=price_asc", 50).await;
    let prices: Vec<i64> = cheap_first
        .iter()
        .map(|p| p["price"]["min_minor"].as_i64().unwrap())
        .collect();
    assert!(prices.windows(2).all(|w| w[0] <= w[1]), "price_asc");
    let dear_first = all_pages(&server, "&sort=price_desc", 100).await;
    let prices: Vec<i64> = dear_first
        .iter()
        .map(|p| p["price"]["min_minor"].as_i64().unwrap())
        .collect();
    assert!(prices.windows(2).all(|w| w[0] >= w[1]), "price_desc");
    let newest = all_pages(&server, "&sort=newest", 24).await;
    let newest_ids = ids(&newest);
    assert!(newest_ids.windows(2).all(|w| w[0] > w[1]), "newest first");

    for list in [&by_name, &cheap_first, &dear_first, &newest] {
        let unique: BTreeSet<String> = ids(list).into_iter().collect();
        assert_eq!(unique.len(), total, "each product exactly once");
    }
}

#[sqlx::test(migrator = "galla_sync_server::db::MIGRATOR")]
async fn filters_and_facets_agree(pool: PgPool) {
    let server = demo(&pool).await;
    let tree = get_ok(&server, "/storefront/v1/demo/categories").await;
    let all = facets(&server, "").await;
    let counts: BTreeMap<String, i64> = all["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap().to_owned(),
                c["count"].as_i64().unwrap(),
            )
        })
        .collect();

    // A top category with children: filtering by it finds its children's products too,
    // as many as the tree and the facets say.
    let parent = tree["categories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| !c["children"].as_array().unwrap().is_empty())
        .expect("a category with children");
    let parent_id = parent["id"].as_str().unwrap();
    let in_parent = all_pages(&server, &format!("&category={parent_id}"), 100).await;
    assert_eq!(
        in_parent.len() as i64,
        parent["product_count"].as_i64().unwrap()
    );
    assert_eq!(in_parent.len() as i64, counts[parent_id]);
    let child_ids: BTreeSet<String> = parent["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(in_parent
        .iter()
        .any(|p| child_ids.contains(p["category_id"].as_str().unwrap())));

    // In stock: as many as the facet says, each in stock or low.
    let in_stock = all_pages(&server, "&in_stock=true", 100).await;
    assert_eq!(in_stock.len() as i64, all["in_stock"].as_i64().unwrap());
    assert!(in_stock.len() < all["total"].as_i64().unwrap() as usize);
    assert!(in_stock.iter().all(|p| p["availability"] != json!("out")));
    let shop = get_ok(&server, "/storefront/v1/demo/shops").await["shops"][0]["id"].clone();
    let at_shop = all_pages(
        &server,
        &format!("&in_stock_at={}", shop.as_str().unwrap()),
        100,
    )
    .await;
    assert_eq!(ids(&at_shop).len(), in_stock.len(), "the demo has one shop");
    let nowhere = get_ok(
        &server,
        &format!("/storefront/v1/demo/products?in_stock_at={}", id()),
    )
    .await;
    assert_eq!(nowhere["products"], json!([]));

    // An option value: as many as its facet count, each offering it.
    let option = &all["options"][0];
    let (name, value) = (option["name"].as_str().unwrap(), &option["values"][0]);
    let wanted = format!("{name}:{}", value["value"].as_str().unwrap());
    let with_option = all_pages(&server, &format!("&option={}", urlencode(&wanted)), 100).await;
    assert_eq!(with_option.len() as i64, value["count"].as_i64().unwrap());
    // Its own filter does not narrow its own counts: the other values are still offered.
    let narrowed = facets(&server, &format!("&option={}", urlencode(&wanted))).await;
    assert_eq!(narrowed["total"], value["count"]);
    let same = narrowed["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == option["name"])
        .unwrap();
    assert_eq!(same["values"], option["values"]);
    // Two values of one option are alternatives: at least as many as either.
    if let Some(second) = option["values"].get(1) {
        let other = format!("{name}:{}", second["value"].as_str().unwrap());
        let either = facets(
            &server,
            &format!(
                "&option={}&option={}",
                urlencode(&wanted),
                urlencode(&other)
            ),
        )
        .await;
        assert!(
            either["total"].as_i64().unwrap()
                >= value["count"]
                    .as_i64()
                    .unwrap()
                    .max(second["count"].as_i64().unwrap())
        );
    }

    // A price range: every product has a variant inside it.
    let (low, high) = (50_000, 150_000);
    let priced = all_pages(&server, &format!("&price_min={low}&price_max={high}"), 100).await;
    assert!(!priced.is_empty());
    for product in &priced {
        let detail = get_ok(
            &server,
            &format!(
                "/storefront/v1/demo/products/{}",
                product["slug"].as_str().unwrap()
            ),
        )
        .await;
        assert!(
            detail["variants"].as_array().unwrap().iter().any(|v| {
                let price = v["price"]["amount_minor"].as_i64().unwrap();
                (low..=high).contains(&price)
            }),
            "{detail}"
        );
    }
    let range = facets(&server, &format!("&price_min={low}&price_max={high}")).await;
    assert_eq!(range["total"].as_i64().unwrap() as usize, priced.len());
}

#[sqlx::test(migrator = "galla_sync_server::db::MIGRATOR")]
async fn search_finds_words_with_typos_best_match_first(pool: PgPool) {
    let server = demo(&pool).await;
    let every = all_pages(&server, "", 100).await;
    let name = every
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .find(|n| n.split(' ').count() >= 3)
        .unwrap()
        .to_owned();
    let exact = get_ok(
        &server,
        &format!("/storefront/v1/demo/products?q={}", urlencode(&name)),
    )
    .await;
    assert!(
        exact["products"][0]["name"]
            .as_str()
            .unwrap()
            .eq_ignore_ascii_case(&name),
        "{name}: {exact}"
    );
    // One letter dropped from each of the last two words, and a letter swapped.
    let words: Vec<&str> = name.split(' ').collect();
    let typo: Vec<String> = words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            if i + 2 >= words.len() && w.len() > 4 {
                format!("{}{}", &w[..2], &w[3..])
            } else {
                w.to_lowercase()
            }
        })
        .collect();
    let typo = typo.join(" ");
    let found = get_ok(
        &server,
        &format!("/storefront/v1/demo/products?q={}", urlencode(&typo)),
    )
    .await;
    let names: Vec<&str> = found["products"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert!(
        names.iter().any(|n| n.eq_ignore_ascii_case(&name)),
        "{typo:?} found {names:?}"
    );
    // Relevance pages with a cursor like the others.
    let paged = all_pages(&server, &format!("&q={}", urlencode(&typo)), 5).await;
    let unique: BTreeSet<String> = ids(&paged).into_iter().collect();
    assert_eq!(unique.len(), paged.len());
    // Nonsense finds nothing, and says so with an empty page.
    let nothing = get_ok(
        &server,
        "/storefront/v1/demo/products?q=zzqxv%20wwkkj&facets=true",
    )
    .await;
    assert_eq!(nothing["products"], json!([]));
    assert_eq!(nothing["facets"]["total"], json!(0));
}

pub fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
