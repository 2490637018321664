//! The business, its category tree and its shops.

use std::collections::{BTreeMap, HashMap};

use axum::extract::{Extension, State};
use axum::Json;
use serde_json::Value;
use sqlx::types::Json as Jsonb;
use uuid::Uuid;

use super::schema::{Business, Category, CategoryTree, OpeningPeriod, Shop, ShopList};
use super::Storefront;
use crate::error::ApiError;
use crate::http::AppState;
use crate::sync::QueryPairs;

/// The business behind the storefront.
#[utoipa::path(
    get,
    path = "/storefront/v1/{business}",
    tag = "business",
    params(("business" = String, Path, description = "The business's public slug")),
    responses(
        (status = 200, description = "The business", body = Business),
        super::schema::Refusals,
    )
)]
pub async fn business(
    Extension(shop): Extension<Storefront>,
    QueryPairs(pairs): QueryPairs,
) -> Result<Json<Business>, ApiError> {
    super::no_parameters(&pairs)?;
    Ok(Json(Business {
        slug: shop.slug,
        name: shop.name,
    }))
}

/// Active categories as a tree, each with how many storefront products it holds
/// (itself and below). A category under an archived or missing parent is shown at the
/// top level rather than lost.
#[utoipa::path(
    get,
    path = "/storefront/v1/{business}/categories",
    tag = "categories",
    params(("business" = String, Path, description = "The business's public slug")),
    responses(
        (status = 200, description = "The category tree", body = CategoryTree),
        super::schema::Refusals,
    )
)]
pub async fn categories(
    State(state): State<AppState>,
    Extension(shop): Extension<Storefront>,
    QueryPairs(pairs): QueryPairs,
) -> Result<Json<CategoryTree>, ApiError> {
    super::no_parameters(&pairs)?;
    let rows: Vec<(String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT key, data->>'name', data->>'parent_id' FROM records
         WHERE business_id = $1 AND entity = 'category' AND data->>'status' = 'active'",
    )
    .bind(shop.business_id)
    .fetch_all(&state.pool)
    .await?;
    let counts: Vec<(Uuid, i64)> = sqlx::query_as(
        "SELECT category_id, count(*) FROM storefront_products
         WHERE business_id = $1 AND category_id IS NOT NULL GROUP BY category_id",
    )
    .bind(shop.business_id)
    .fetch_all(&state.pool)
    .await?;
    let nodes: BTreeMap<Uuid, (String, Option<Uuid>)> = rows
        .into_iter()
        .filter_map(|(key, name, parent)| {
            Some((
                Uuid::parse_str(&key).ok()?,
                (name?, parent.and_then(|p| Uuid::parse_str(&p).ok())),
            ))
        })
        .collect();
    Ok(Json(CategoryTree {
        categories: tree(&nodes, &counts.into_iter().collect()),
    }))
}

/// Builds the tree from (id → name, parent). Parents that are not shown, and cycles,
/// make their members top-level categories.
fn tree(
    nodes: &BTreeMap<Uuid, (String, Option<Uuid>)>,
    own_counts: &HashMap<Uuid, i64>,
) -> Vec<Category> {
    let mut children: HashMap<Option<Uuid>, Vec<Uuid>> = HashMap::new();
    for (id, (_, parent)) in nodes {
        let shown_parent = parent.filter(|p| nodes.contains_key(p) && !in_cycle(nodes, *id));
        children.entry(shown_parent).or_default().push(*id);
    }
    fn build(
        id: Uuid,
        nodes: &BTreeMap<Uuid, (String, Option<Uuid>)>,
        children: &HashMap<Option<Uuid>, Vec<Uuid>>,
        own_counts: &HashMap<Uuid, i64>,
        depth: usize,
    ) -> Category {
        let (name, parent) = nodes[&id].clone();
        let kids: Vec<Category> = if depth > 64 {
            Vec::new()
        } else {
            children
                .get(&Some(id))
                .map(Vec::as_slice)
                .unwrap_or_default()
                .iter()
                .map(|kid| build(*kid, nodes, children, own_counts, depth + 1))
                .collect()
        };
        let product_count = own_counts.get(&id).copied().unwrap_or(0)
            + kids.iter().map(|k| k.product_count).sum::<i64>();
        Category {
            id,
            name,
            parent_id: parent.filter(|p| nodes.contains_key(p)),
            product_count,
            children: sorted(kids),
        }
    }
    sorted(
        children
            .get(&None)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .map(|id| build(*id, nodes, &children, own_counts, 0))
            .collect(),
    )
}

fn sorted(mut categories: Vec<Category>) -> Vec<Category> {
    categories.sort_by(|a, b| {
        a.name
            .to_lowercase()
            .cmp(&b.name.to_lowercase())
            .then(a.id.cmp(&b.id))
    });
    categories
}

fn in_cycle(nodes: &BTreeMap<Uuid, (String, Option<Uuid>)>, start: Uuid) -> bool {
    let mut at = nodes.get(&start).and_then(|(_, p)| *p);
    for _ in 0..=nodes.len() {
        match at {
            Some(id) if id == start => return true,
            Some(id) => at = nodes.get(&id).and_then(|(_, p)| *p),
            None => return false,
        }
    }
    true
}

/// The business's open shops with their addresses and opening hours.
#[utoipa::path(
    get,
    path = "/storefront/v1/{business}/shops",
    tag = "shops",
    params(("business" = String, Path, description = "The business's public slug")),
    responses(
        (status = 200, description = "The open shops", body = ShopList),
        super::schema::Refusals,
    )
)]
pub async fn shops(
    State(state): State<AppState>,
    Extension(shop): Extension<Storefront>,
    QueryPairs(pairs): QueryPairs,
) -> Result<Json<ShopList>, ApiError> {
    super::no_parameters(&pairs)?;
    let rows: Vec<(String, Jsonb<serde_json::Map<String, Value>>)> = sqlx::query_as(
        "SELECT key, data FROM records
         WHERE business_id = $1 AND entity = 'shop' AND data->>'status' = 'active'
         ORDER BY key",
    )
    .bind(shop.business_id)
    .fetch_all(&state.pool)
    .await?;
    let shops = rows
        .into_iter()
        .filter_map(|(key, data)| {
            let data = data.0;
            let hours = data
                .get("opening_hours")
                .and_then(|v| galla_sync_protocol::parse_opening_hours(v).ok())
                .unwrap_or_default();
            Some(Shop {
                id: Uuid::parse_str(&key).ok()?,
                name: data.get("name")?.as_str()?.to_owned(),
                address: data
                    .get("address")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned(),
                opening_hours: hours
                    .into_iter()
                    .map(|p| OpeningPeriod {
                        day: p.day,
                        opens: p.opens,
                        closes: p.closes,
                    })
                    .collect(),
            })
        })
        .collect();
    Ok(Json(ShopList { shops }))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_tree_nests_counts_up_and_survives_cycles() {
        let id = |n: u128| Uuid::from_u128(n);
        let nodes: BTreeMap<Uuid, (String, Option<Uuid>)> = [
            (id(1), ("Clothes".to_owned(), None)),
            (id(2), ("Shirts".to_owned(), Some(id(1)))),
            (id(3), ("Orphan".to_owned(), Some(id(99)))),
            (id(4), ("Loop A".to_owned(), Some(id(5)))),
            (id(5), ("Loop B".to_owned(), Some(id(4)))),
        ]
        .into_iter()
        .collect();
        let counts = [(id(1), 1), (id(2), 3)].into_iter().collect();
        let top = tree(&nodes, &counts);
        let names: Vec<_> = top.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["Clothes", "Loop A", "Loop B", "Orphan"]);
        assert_eq!(top[0].product_count, 4);
        assert_eq!(top[0].children[0].name, "Shirts");
        assert_eq!(top[3].parent_id, None);
    }
}
