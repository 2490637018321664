//! Random query strings and path segments at every endpoint: never a 5xx, always an
//! answer the OpenAPI document describes, and never anything private.
//! `GALLA_FUZZ_CASES` sets how many requests (default 400).

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};

use super::*;
use sqlx::PgPool;

const NAMES: &[&str] = &[
    "q",
    "category",
    "price_min",
    "price_max",
    "in_stock",
    "in_stock_at",
    "option",
    "sort",
    "limit",
    "cursor",
    "facets",
];

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("true".to_owned()),
        Just("relevance".to_owned()),
        Just("price_desc".to_owned()),
        Just("Size:M".to_owned()),
        Just("9223372036854775807".to_owned()),
        Just("-1".to_owned()),
        Just("eyJzIjoiYWZ0ZXIifQ".to_owned()),
        Just("0190b3c4-0000-7000-8000-000000000001".to_owned()),
        (0i64..1_000_000).prop_map(|n| n.to_string()),
        "[a-z ]{0,12}",
        any::<String>(),
        proptest::collection::vec(any::<u8>(), 0..24)
            .prop_map(|bytes| { bytes.iter().map(|b| format!("%{b:02X}")).collect() }),
    ]
}

fn query() -> impl Strategy<Value = String> {
    let name = prop_oneof![
        4 => proptest::sample::select(NAMES).prop_map(str::to_owned),
        1 => any::<String>(),
    ];
    proptest::collection::vec((name, value()), 0..6).prop_map(|pairs| {
        pairs
            .into_iter()
            .map(|(name, value)| {
                // Already-encoded values pass as they are; the rest are encoded.
                let value = if value.starts_with('%') {
                    value
                } else {
                    super::listing::urlencode(&value)
                };
                format!("{}={value}", super::listing::urlencode(&name))
            })
            .collect::<Vec<_>>()
            .join("&")
    })
}

fn segment() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z0-9-]{1,20}",
        any::<String>()
            .prop_filter("a segment", |s| !s.is_empty())
            .prop_map(|s| super::listing::urlencode(&s)),
        Just("0190b3c4-0000-7000-8000-000000000001".to_owned()),
        Just("cotton-kurta".to_owned()),
    ]
}

#[sqlx::test(migrator = "galla_sync_server::db::MIGRATOR")]
async fn random_requests_never_fail_the_server_or_leak(pool: PgPool) {
    let mut w = world(pool.clone()).await;
    let c = push_catalog(&mut w).await;
    let cases: u32 = std::env::var("GALLA_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(400);
    let mut runner = TestRunner::new(Config::default());
    let request = (0usize..7, segment(), query());
    for _ in 0..cases {
        let (endpoint, segment, query) = request.new_tree(&mut runner).unwrap().current();
        let path = match endpoint {
            0 => "/storefront/v1/anand".to_owned(),
            1 | 2 => "/storefront/v1/anand/products".to_owned(),
            3 => format!("/storefront/v1/anand/products/{segment}"),
            4 => "/storefront/v1/anand/categories".to_owned(),
            5 => "/storefront/v1/anand/shops".to_owned(),
            _ => format!("/storefront/v1/anand/images/{segment}"),
        };
        let full = if query.is_empty() {
            path
        } else {
            format!("{path}?{query}")
        };
        // `get` fails the test on a 5xx or an answer the document does not describe.
        let answer = get(&w.server, &full).await;
        assert!(
            [200, 304, 400, 404].contains(&answer.status.as_u16()),
            "GET {full}: {}",
            answer.status
        );
        let text = answer.text();
        for secret in [
            format!(":{COST}"),
            "Secret".to_owned(),
            c.draft.to_string(),
            c.hidden.to_string(),
        ] {
            assert!(
                !text.contains(&secret) || full.contains(&secret),
                "GET {full} shows {secret}: {text}"
            );
        }
    }
}
