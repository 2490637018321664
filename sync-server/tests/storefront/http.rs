//! HTTP done right: ETags and 304s everywhere, Cache-Control, gzip and brotli, CORS per
//! business, the rate limit, one error shape, and the OpenAPI document served and
//! checked in.

use std::io::Read;

use super::*;
use galla_sync_server::ServeOptions;
use sqlx::PgPool;
use tokio::net::TcpListener;

#[sqlx::test(migrator = "galla_sync_server::db::MIGRATOR")]
async fn every_answer_has_an_etag_that_gives_304_until_something_changes(pool: PgPool) {
    let mut w = world(pool.clone()).await;
    let c = push_catalog(&mut w).await;
    let paths = [
        "/storefront/v1/anand".to_owned(),
        "/storefront/v1/anand/products?sort=price_desc&facets=true".to_owned(),
        format!("/storefront/v1/anand/products/{}", c.kurta),
        "/storefront/v1/anand/categories".to_owned(),
        "/storefront/v1/anand/shops".to_owned(),
        format!("/storefront/v1/anand/images/{}", c.picture),
        format!("/storefront/v1/anand/images/{}/thumbnail", c.picture),
        "/storefront/v1/openapi.json".to_owned(),
    ];
    for path in &paths {
        let first = get(&w.server, path).await;
        assert_eq!(first.status, StatusCode::OK, "{path}");
        let tag = first
            .header("etag")
            .unwrap_or_else(|| panic!("{path} has no ETag"));
        assert!(first.header("cache-control").is_some(), "{path}");
        let again = get_with(&w.server, path, &[("If-None-Match", &tag)]).await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED, "{path}");
        assert_eq!(again.header("etag"), Some(tag.clone()));
        let other = get_with(&w.server, path, &[("If-None-Match", "\"something-else\"")]).await;
        assert_eq!(other.status, StatusCode::OK, "{path}");
    }
    // The tag belongs to the query too: another page is another answer.
    let a = get(&w.server, "/storefront/v1/anand/products?limit=1")
        .await
        .header("etag");
    let b = get(&w.server, "/storefront/v1/anand/products?limit=2")
        .await
        .header("etag");
    assert_ne!(a, b);
}

#[sqlx::test(migrator = "galla_sync_server::db::MIGRATOR")]
async fn answers_are_compressed_with_gzip_or_brotli_when_asked(pool: PgPool) {
    galla_sync_server::demo::load(&pool, "demo", 60)
        .await
        .unwrap();
    let server = TestServer::start(pool.clone()).await;
    let path = "/storefront/v1/demo/products?limit=100&facets=true";
    let plain = get(&server, path).await;
    assert_eq!(plain.header("content-encoding"), None);
    let vary: Vec<String> = plain
        .headers
        .get_all("vary")
        .iter()
        .map(|v| v.to_str().unwrap().to_lowercase())
        .collect();
    assert!(
        vary.iter().any(|v| v.contains("accept-encoding")),
        "{vary:?}"
    );

    let gzip = get_with(&server, path, &[("Accept-Encoding", "gzip")]).await;
    assert_eq!(gzip.header("content-encoding").as_deref(), Some("gzip"));
    let mut unzipped = Vec::new();
    flate2::read::GzDecoder::new(&gzip.bytes[..])
        .read_to_end(&mut unzipped)
        .unwrap();
    assert_eq!(unzipped, plain.bytes);
    assert!(
        gzip.bytes.len() * 3 < plain.bytes.len(),
        "{} of {}",
        gzip.bytes.len(),
        plain.bytes.len()
    );

    let br = get_with(&server, path, &[("Accept-Encoding", "br")]).await;
    assert_eq!(br.header("content-encoding").as_deref(), Some("br"));
    let mut unbrotlied = Vec::new();
    brotli::Decompressor::new(&br.bytes[..], 4096)
        .read_to_end(&mut unbrotlied)
        .unwrap();
    assert_eq!(unbrotlied, plain.bytes);
    spec::spec()
        .check(
            "/storefront/v1/demo/products",
            200,
            Some("application/json"),
            &unbrotlied,
        )
        .unwrap();
}

#[sqlx::test(migrator = "galla_sync_server::db::MIGRATOR")]
async fn browsers_may_call_only_from_the_business_s_allowed_origins(pool: PgPool) {
    let w = world(pool.clone()).await;
    let path = "/storefront/v1/anand/products";
    let site = "https://anand.example.in";
    let stranger = get_with(&w.server, path, &[("Origin", site)]).await;
    assert_eq!(
        stranger.status,
        StatusCode::OK,
        "server-side callers need no CORS"
    );
    assert_eq!(stranger.header("access-control-allow-origin"), None);

    galla_sync_server::cli::storefront_settings(
        &pool,
        "anand",
        Some(vec![site.to_owned()]),
        None,
        None,
    )
    .await
    .unwrap();
    let allowed = get_with(&w.server, path, &[("Origin", site)]).await;
    assert_eq!(
        allowed.header("access-control-allow-origin").as_deref(),
        Some(site)
    );
    assert!(allowed
        .header("access-control-expose-headers")
        .unwrap()
        .contains("ETag"));
    assert!(allowed
        .headers
        .get_all("vary")
        .iter()
        .any(|v| v == "Origin"));
    let other = get_with(&w.server, path, &[("Origin", "https://evil.example")]).await;
    assert_eq!(other.header("access-control-allow-origin"), None);

    let preflight = |origin: &'static str| {
        client()
            .request(reqwest::Method::OPTIONS, w.server.url(path))
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "GET")
            .header("Access-Control-Request-Headers", "if-none-match")
            .send()
    };
    let yes = preflight(site).await.unwrap();
    assert_eq!(yes.status(), StatusCode::NO_CONTENT);
    assert_eq!(yes.headers()["access-control-allow-origin"], site);
    assert!(yes.headers()["access-control-allow-methods"]
        .to_str()
        .unwrap()
        .contains("GET"));
    assert_eq!(
        yes.headers()["access-control-allow-headers"],
        "if-none-match"
    );
    let no = preflight("https://evil.example").await.unwrap();
    assert_eq!(no.status(), StatusCode::FORBIDDEN);
    assert!(no.headers().get("access-control-allow-origin").is_none());

    // Other businesses keep their own lists.
    create_business(&pool, "other").await;
    let elsewhere = get_with(
        &w.server,
        "/storefront/v1/other/products",
        &[("Origin", site)],
    )
    .await;
    assert_eq!(elsewhere.header("access-control-allow-origin"), None);
}

#[sqlx::test(migrator = "galla_sync_server::db::MIGRATOR")]
async fn a_client_over_its_rate_gets_429_with_retry_after(pool: PgPool) {
    create_business(&pool, "anand").await;
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let options = ServeOptions {
        storefront_rate: 1,
        storefront_burst: 3,
        storefront_cache: 0,
        trust_forwarded_for: true,
    };
    let task = tokio::spawn(galla_sync_server::serve_with(
        listener,
        pool.clone(),
        options,
        std::future::pending(),
    ));
    let url = format!("http://{addr}/storefront/v1/anand/shops");
    for _ in 0..3 {
        assert_eq!(
            client().get(&url).send().await.unwrap().status(),
            StatusCode::OK
        );
    }
    let limited = client().get(&url).send().await.unwrap();
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = limited.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=2).contains(&wait), "{wait}");
    let body: Value = limited.json().await.unwrap();
    assert_eq!(body["error"]["code"], json!("rate_limited"));
    spec::spec()
        .check(
            "/storefront/v1/anand/shops",
            429,
            Some("application/json"),
            body.to_string().as_bytes(),
        )
        .unwrap();
    // Behind a trusted proxy, each forwarded client has its own bucket: the one the
    // proxy added last counts, not what the client claimed before it.
    let forwarded =
        |chain: &'static str| client().get(&url).header("X-Forwarded-For", chain).send();
    for _ in 0..3 {
        assert_eq!(
            forwarded("203.0.113.5, 198.51.100.1")
                .await
                .unwrap()
                .status(),
            StatusCode::OK
        );
    }
    assert_eq!(
        forwarded("192.0.2.77, 198.51.100.1")
            .await
            .unwrap()
            .status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        forwarded("198.51.100.2").await.unwrap().status(),
        StatusCode::OK
    );
    // Sync is not limited by the storefront's limit.
    assert_eq!(
        client()
            .get(format!("http://{addr}/healthz"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert_eq!(
        client().get(&url).send().await.unwrap().status(),
        StatusCode::OK
    );
    task.abort();
}

#[sqlx::test(migrator = "galla_sync_server::db::MIGRATOR")]
async fn bad_requests_get_400_or_404_in_one_shape(pool: PgPool) {
    let w = world(pool.clone()).await;
    let base = "/storefront/v1/anand";
    let bad = [
        "/products?sort=cheapest",
        "/products?limit=0",
        "/products?limit=1000",
        "/products?limit=-3",
        "/products?cursor=not-a-cursor",
        "/products?price_min=10&price_max=5",
        "/products?price_min=1e3",
        "/products?category=shirts",
        "/products?in_stock=maybe",
        "/products?option=Size",
        "/products?colour=red",
        "/products?sort=relevance",
        "/categories?x=1",
        "/shops?page=2",
        "/products/cotton-kurta?limit=1",
    ];
    for path in bad {
        let answer = get(&w.server, &format!("{base}{path}")).await;
        assert_eq!(
            answer.status,
            StatusCode::BAD_REQUEST,
            "{path}: {}",
            answer.text()
        );
        let body = answer.json();
        assert_eq!(body["error"]["code"], json!("bad_parameter"), "{path}");
        assert!(!body["error"]["message"].as_str().unwrap().is_empty());
        assert_eq!(answer.header("cache-control").as_deref(), Some("no-store"));
    }
    for path in [
        "/products/no-such-thing",
        "/products/00000000-0000-7000-8000-000000000000",
        "/images/abc",
        "/images/0000000000000000000000000000000000000000000000000000000000000000",
    ] {
        let answer = get(&w.server, &format!("{base}{path}")).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(answer.json()["error"]["code"], json!("not_found"));
    }
    let post = client()
        .post(w.server.url(&format!("{base}/products")))
        .send()
        .await
        .unwrap();
    assert_eq!(post.status(), StatusCode::METHOD_NOT_ALLOWED);
    let body: Value = post.json().await.unwrap();
    assert_eq!(body["error"]["code"], json!("method_not_allowed"));
}

/// The OpenAPI document is generated from the handlers; the copy in docs/ is what
/// website developers read, and this keeps it from drifting.
/// `GALLA_WRITE_OPENAPI=1 cargo test -p galla-sync-server --test storefront openapi`
/// rewrites it.
#[tokio::test]
async fn the_openapi_document_matches_the_checked_in_copy() {
    let generated = galla_sync_server::storefront::openapi_json();
    let document = spec::spec().document();
    assert_eq!(document["openapi"], json!("3.1.0"));
    for template in [
        "/storefront/v1/{business}",
        "/storefront/v1/{business}/products",
        "/storefront/v1/{business}/products/{product}",
        "/storefront/v1/{business}/categories",
        "/storefront/v1/{business}/shops",
        "/storefront/v1/{business}/images/{hash}",
        "/storefront/v1/{business}/images/{hash}/thumbnail",
    ] {
        assert!(document["paths"][template]["get"].is_object(), "{template}");
    }
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/storefront-openapi.json");
    if std::env::var_os("GALLA_WRITE_OPENAPI").is_some() {
        std::fs::write(&path, format!("{generated}\n")).unwrap();
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    // Not assert_eq: a page of JSON twice helps nobody; git diff shows the change.
    assert!(
        checked_in.trim_end() == generated,
        "docs/storefront-openapi.json is out of date; run GALLA_WRITE_OPENAPI=1 cargo test -p galla-sync-server --test storefront openapi"
    );
}
