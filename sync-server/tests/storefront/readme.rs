//! The README's storefront requests work as shown, on the demo business `up.sh` loads.

use super::*;
use sqlx::PgPool;

/// The URLs of the `curl -s '…'` lines in the README's "Storefront API" section.
fn readme_requests() -> Vec<String> {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).unwrap();
    let section = readme
        .split("\n## ")
        .find(|s| s.starts_with("Storefront API"))
        .expect("a Storefront API section in the README");
    section
        .lines()
        .filter_map(|line| line.trim().strip_prefix("curl -s '"))
        .filter_map(|rest| rest.strip_suffix('\''))
        .map(str::to_owned)
        .collect()
}

#[sqlx::test(migrator = "galla_sync_server::db::MIGRATOR")]
async fn the_readme_s_requests_answer_as_it_says(pool: PgPool) {
    // As many products as up.sh loads.
    galla_sync_server::demo::load(&pool, "demo", 2000)
        .await
        .unwrap();
    let server = TestServer::start(pool.clone()).await;
    let requests = readme_requests();
    assert!(requests.len() >= 3, "{requests:?}");
    for url in requests {
        let path = url
            .strip_prefix("http://127.0.0.1:8080")
            .unwrap_or_else(|| panic!("{url} is not on up.sh's address"));
        let body = get_ok(&server, path).await;
        let found = match path.split('?').next().unwrap().rsplit('/').next().unwrap() {
            "products" => {
                !body["products"].as_array().unwrap().is_empty()
                    && body["facets"]["total"].as_i64() > Some(0)
            }
            "categories" => !body["categories"].as_array().unwrap().is_empty(),
            _ => body["variants"].as_array().is_some_and(|v| !v.is_empty()),
        };
        assert!(found, "{url} answered {body}");
    }
}
