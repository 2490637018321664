//! The product list (filters, search, sorts, facets, cursor pages) and the product page.

use std::collections::{BTreeMap, HashMap};

use axum::extract::{Extension, Path};
use axum::Json;
use serde_json::Value;
use sqlx::types::Json as Jsonb;
use sqlx::{PgConnection, Postgres, QueryBuilder};
use uuid::Uuid;

use super::params::{parse_list, Cursor, ListQuery, Sort};
use super::projection::strings;
use super::schema::{
    Availability, CategoryCount, CategoryRef, Facets, Image, Money, OptionFacet, OptionValueCount,
    PriceRange, Product, ProductPage, ProductSummary, ShopStock, Variant,
};
use super::{like_escape, Storefront};
use crate::error::ApiError;
use crate::http::AppState;
use crate::sync::QueryPairs;

/// A product of the page: its id and the keys a cursor needs.
type PageRow = (Uuid, i64, String);

/// What the list shows of one product.
type SummaryRow = (
    Uuid,
    String,
    String,
    Option<Uuid>,
    String,
    i64,
    i64,
    Option<Jsonb<Value>>,
    i64,
);

/// Products shown on the storefront, filtered, searched, sorted and paged.
#[utoipa::path(
    get,
    path = "/storefront/v1/{business}/products",
    tag = "products",
    params(
        ("business" = String, Path, description = "The business's public slug"),
        ("q" = Option<String>, Query, description = "Search in names and SKUs; tolerates typos. At most 100 characters."),
        ("category" = Option<Uuid>, Query, description = "Only products in this category or any category below it"),
        ("price_min" = Option<i64>, Query, description = "Only products with a variant priced at least this (minor units)"),
        ("price_max" = Option<i64>, Query, description = "Only products with a variant priced at most this (minor units)"),
        ("in_stock" = Option<bool>, Query, description = "Only products in stock in some open shop"),
        ("in_stock_at" = Option<Uuid>, Query, description = "Only products in stock in this shop"),
        ("option" = Option<Vec<String>>, Query, description = "Name:Value, such as Size:M; repeat it. Values of one name are alternatives, different names must all match."),
        ("sort" = Option<String>, Query, description = "relevance (the default with q), price_asc, price_desc, newest, name (the default without q)"),
        ("limit" = Option<u32>, Query, description = "Products per page, 1 to 100 (default 24)"),
        ("cursor" = Option<String>, Query, description = "The next_cursor of the previous page"),
        ("facets" = Option<bool>, Query, description = "Also count the matching products by category, option value, stock and price"),
    ),
    responses(
        (status = 200, description = "A page of products", body = ProductPage),
        super::schema::Refusals,
    )
)]
pub async fn list(
    axum::extract::State(state): axum::extract::State<AppState>,
    Extension(shop): Extension<Storefront>,
    QueryPairs(pairs): QueryPairs,
) -> Result<Json<ProductPage>, ApiError> {
    let query = parse_list(&pairs)?;
    let mut conn = state.pool.acquire().await?;
    if query.q.is_some() {
        set_search_threshold(&mut conn).await?;
    }
    let parents = match query.category.is_some() || query.facets {
        true => category_parents(&mut conn, shop.business_id).await?,
        false => HashMap::new(),
    };
    let categories = query.category.map(|top| subtree(top, &parents));
    // The page first, by its keys alone, then what it shows of those few products:
    // finding the page may pass over thousands of rows, and reading pictures and stock
    // for each of them would be wasted.
    let mut builder = QueryBuilder::<Postgres>::new("");
    push_page(&mut builder, &shop, &query, &categories);
    let rows: Vec<PageRow> = builder.build_query_as().fetch_all(&mut *conn).await?;
    let limit = query.limit as usize;
    let more = rows.len() > limit;
    let page = &rows[..rows.len().min(limit)];
    let next_cursor = more
        .then(|| page.last().map(|last| next_cursor(&query, last)))
        .flatten()
        .map(|c| c.encode());

    let ids: Vec<Uuid> = page.iter().map(|row| row.0).collect();
    let mut builder = QueryBuilder::<Postgres>::new(
        "SELECT p.product_id, p.slug, p.name, p.category_id, p.currency, p.min_price_minor,
                p.max_price_minor, p.detail->'images'->0, ",
    );
    push_on_hand(&mut builder, &shop);
    builder.push(" FROM storefront_products p WHERE p.business_id = ");
    builder.push_bind(shop.business_id);
    builder.push(" AND p.product_id = ANY(");
    builder.push_bind(&ids);
    builder.push(")");
    let shown: HashMap<Uuid, SummaryRow> = builder
        .build_query_as::<SummaryRow>()
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|row| (row.0, row))
        .collect();
    let products = ids
        .iter()
        .filter_map(|id| shown.get(id))
        .map(|row| ProductSummary {
            id: row.0,
            slug: row.1.clone(),
            name: row.2.clone(),
            category_id: row.3,
            price: PriceRange {
                min_minor: row.5,
                max_minor: row.6,
                currency: row.4.clone(),
            },
            availability: availability(row.8, shop.low_stock_milli),
            image: row
                .7
                .as_ref()
                .and_then(|image| image_of(&shop.slug, &image.0)),
        })
        .collect();
    let facets = if query.facets {
        Some(facets(&mut conn, &shop, &query, &categories, &parents).await?)
    } else {
        None
    };
    Ok(Json(ProductPage {
        products,
        next_cursor,
        facets,
    }))
}

fn next_cursor(query: &ListQuery, last: &PageRow) -> Cursor {
    let id = last.0;
    match query.sort {
        Sort::Relevance => {
            let before = match &query.cursor {
                Some(Cursor::Offset { offset }) => *offset,
                _ => 0,
            };
            Cursor::Offset {
                offset: before + u64::from(query.limit),
            }
        }
        Sort::PriceAsc | Sort::PriceDesc => Cursor::After {
            sort: query.sort,
            price: Some(last.1),
            name: None,
            id,
        },
        Sort::Name => Cursor::After {
            sort: query.sort,
            price: None,
            name: Some(last.2.clone()),
            id,
        },
        Sort::Newest => Cursor::After {
            sort: query.sort,
            price: None,
            name: None,
            id,
        },
    }
}

/// Units on hand across open shops, never below zero per shop.
fn push_on_hand<'a>(builder: &mut QueryBuilder<'a, Postgres>, shop: &'a Storefront) {
    builder.push(
        "(SELECT COALESCE(sum(greatest(s.on_hand_milli, 0)), 0)::bigint FROM stock_levels s
           WHERE s.business_id = p.business_id AND s.variant_id = ANY(p.variant_ids)
             AND s.shop_id = ANY(",
    );
    builder.push_bind(&shop.open_shops);
    builder.push("))");
}

/// How a query narrows to a category's subtree.
#[derive(Clone, Copy)]
enum Categories<'a> {
    All,
    /// Any of these categories.
    AnyOf(&'a [Uuid]),
    /// The category `c.id` of a lateral join over the subtree (see [`push_page`]).
    EachOf,
}

impl<'a> Categories<'a> {
    fn of(ids: &'a Option<Vec<Uuid>>) -> Categories<'a> {
        match ids {
            Some(ids) => Categories::AnyOf(ids),
            None => Categories::All,
        }
    }
}

/// The query for one page's keys. Within a category subtree and in a keyed order, it
/// reads each category's first rows off the (category, order) index and merges them:
/// otherwise the planner walks the whole catalog in name order looking for the few
/// products of the category.
fn push_page<'a>(
    builder: &mut QueryBuilder<'a, Postgres>,
    shop: &'a Storefront,
    query: &'a ListQuery,
    categories: &'a Option<Vec<Uuid>>,
) {
    match categories {
        Some(ids) if query.sort != Sort::Relevance => {
            builder.push("SELECT x.product_id, x.min_price_minor, x.sort_name FROM unnest(");
            builder.push_bind(ids);
            builder.push(
                "::uuid[]) AS c(id), LATERAL (SELECT p.product_id, p.min_price_minor, p.sort_name
                 FROM storefront_products p",
            );
            push_filters(builder, shop, query, Categories::EachOf);
            push_order(builder, query, "p");
            builder.push(") x");
            push_order(builder, query, "x");
        }
        _ => {
            builder.push(
                "SELECT p.product_id, p.min_price_minor, p.sort_name FROM storefront_products p",
            );
            push_filters(builder, shop, query, Categories::of(categories));
            push_order(builder, query, "p");
        }
    }
}

fn push_filters<'a>(
    builder: &mut QueryBuilder<'a, Postgres>,
    shop: &'a Storefront,
    query: &'a ListQuery,
    categories: Categories<'a>,
) {
    builder.push(" WHERE p.business_id = ");
    builder.push_bind(shop.business_id);
    match categories {
        Categories::All => {}
        Categories::AnyOf(ids) => {
            builder.push(" AND p.category_id = ANY(");
            builder.push_bind(ids);
            builder.push(")");
        }
        Categories::EachOf => {
            builder.push(" AND p.category_id = c.id");
        }
    }
    if query.price_min.is_some() || query.price_max.is_some() {
        builder.push(" AND EXISTS (SELECT 1 FROM unnest(p.prices) price WHERE price >= ");
        builder.push_bind(query.price_min.unwrap_or(0));
        builder.push(" AND price <= ");
        builder.push_bind(query.price_max.unwrap_or(i64::MAX));
        builder.push(")");
    }
    if query.in_stock || query.in_stock_at.is_some() {
        builder.push(
            " AND EXISTS (SELECT 1 FROM stock_levels s WHERE s.business_id = p.business_id
                AND s.variant_id = ANY(p.variant_ids) AND s.on_hand_milli > 0",
        );
        match query.in_stock_at {
            Some(at) => {
                builder.push(" AND s.shop_id = ");
                builder.push_bind(at);
            }
            None => {
                builder.push(" AND s.shop_id = ANY(");
                builder.push_bind(&shop.open_shops);
                builder.push(")");
            }
        }
        builder.push(")");
    }
    for (name, values) in &query.options {
        let wanted: Vec<String> = values.iter().map(|v| format!("{name}={v}")).collect();
        builder.push(" AND p.options && ");
        builder.push_bind(wanted);
    }
    if let Some(q) = &query.q {
        let lowered = q.to_lowercase();
        builder.push(" AND (p.search LIKE ");
        builder.push_bind(format!("%{}%", like_escape(&lowered)));
        builder.push(" OR ");
        builder.push_bind(lowered);
        builder.push(" <% p.search)");
    }
    match &query.cursor {
        Some(Cursor::After {
            price, name, id, ..
        }) => match query.sort {
            Sort::PriceAsc => {
                builder.push(" AND (p.min_price_minor, p.product_id) > (");
                builder.push_bind(price.unwrap_or(0));
                builder.push(", ");
                builder.push_bind(*id);
                builder.push(")");
            }
            Sort::PriceDesc => {
                builder.push(" AND (p.min_price_minor, p.product_id) < (");
                builder.push_bind(price.unwrap_or(0));
                builder.push(", ");
                builder.push_bind(*id);
                builder.push(")");
            }
            Sort::Name => {
                builder.push(" AND (p.sort_name, p.product_id) > (");
                builder.push_bind(name.clone().unwrap_or_default());
                builder.push(", ");
                builder.push_bind(*id);
                builder.push(")");
            }
            Sort::Newest => {
                builder.push(" AND p.product_id < ");
                builder.push_bind(*id);
            }
            Sort::Relevance => {}
        },
        Some(Cursor::Offset { .. }) | None => {}
    }
}

fn push_order<'a>(builder: &mut QueryBuilder<'a, Postgres>, query: &'a ListQuery, at: &str) {
    match (query.sort, &query.q) {
        (Sort::Relevance, Some(q)) => {
            let lowered = q.to_lowercase();
            // Whole-phrase matches first (at the start of the name best), then by how
            // closely the words resemble what was typed.
            builder.push(" ORDER BY (CASE WHEN p.search LIKE ");
            builder.push_bind(format!("{}%", like_escape(&lowered)));
            builder.push(" THEN 2 WHEN p.search LIKE ");
            builder.push_bind(format!("%{}%", like_escape(&lowered)));
            builder.push(" THEN 1 ELSE 0 END) DESC, word_similarity(");
            builder.push_bind(lowered);
            builder.push(", p.search) DESC, p.product_id");
        }
        (Sort::PriceAsc, _) => {
            builder.push(format!(" ORDER BY {at}.min_price_minor, {at}.product_id"));
        }
        (Sort::PriceDesc, _) => {
            builder.push(format!(
                " ORDER BY {at}.min_price_minor DESC, {at}.product_id DESC"
            ));
        }
        // Ids are UUIDv7, made when the product was: newest first is highest id first.
        (Sort::Newest, _) => {
            builder.push(format!(" ORDER BY {at}.product_id DESC"));
        }
        (Sort::Name, _) | (Sort::Relevance, None) => {
            builder.push(format!(" ORDER BY {at}.sort_name, {at}.product_id"));
        }
    }
    builder.push(" LIMIT ");
    builder.push_bind(i64::from(query.limit) + 1);
    if let Some(Cursor::Offset { offset }) = &query.cursor {
        builder.push(" OFFSET ");
        builder.push_bind(i64::try_from(*offset).unwrap_or(0));
    }
}

/// How alike a word must be to one typed for search to find it (pg_trgm's default, 0.6,
/// misses most typos in short words). Set on the connection, which keeps it: every
/// search sets the same value.
async fn set_search_threshold(conn: &mut PgConnection) -> Result<(), sqlx::Error> {
    sqlx::query("SET pg_trgm.word_similarity_threshold = 0.3")
        .execute(conn)
        .await
        .map(|_| ())
}

async fn facets(
    conn: &mut PgConnection,
    shop: &Storefront,
    query: &ListQuery,
    in_categories: &Option<Vec<Uuid>>,
    parents: &HashMap<Uuid, Option<Uuid>>,
) -> Result<Facets, ApiError> {
    let unpaged = ListQuery {
        cursor: None,
        ..query.clone()
    };
    let mut builder = QueryBuilder::<Postgres>::new(
        "WITH m AS (SELECT p.category_id, p.options, p.min_price_minor, p.max_price_minor,
                    p.currency, ",
    );
    push_on_hand(&mut builder, shop);
    builder.push(" AS on_hand FROM storefront_products p");
    push_filters(&mut builder, shop, &unpaged, Categories::of(in_categories));
    builder.push(
        ") SELECT
            (SELECT count(*) FROM m),
            (SELECT count(*) FROM m WHERE on_hand > 0),
            (SELECT COALESCE(json_agg(json_build_array(category_id, n)), '[]')
               FROM (SELECT category_id, count(*) AS n FROM m WHERE category_id IS NOT NULL
                     GROUP BY category_id) c),
            (SELECT COALESCE(json_agg(json_build_array(o, n) ORDER BY o), '[]')
               FROM (SELECT o, count(*) AS n FROM m, unnest(m.options) o GROUP BY o) v),
            (SELECT min(min_price_minor) FROM m), (SELECT max(max_price_minor) FROM m),
            (SELECT min(currency) FROM m)",
    );
    type FacetRow = (
        i64,
        i64,
        Jsonb<Vec<(Uuid, i64)>>,
        Jsonb<Vec<(String, i64)>>,
        Option<i64>,
        Option<i64>,
        Option<String>,
    );
    let row: FacetRow = builder.build_query_as().fetch_one(&mut *conn).await?;
    let mut categories: BTreeMap<Uuid, i64> = BTreeMap::new();
    for (category, count) in &row.2 .0 {
        // Counted in its own category and every one above it; a cycle (two devices
        // moving categories under each other) stops at the first repeat.
        let mut seen = Vec::new();
        let mut at = Some(*category);
        while let Some(id) = at.filter(|id| !seen.contains(id)) {
            *categories.entry(id).or_default() += count;
            seen.push(id);
            at = parents.get(&id).copied().flatten();
        }
    }
    // An option someone filters by is counted without its own filter, so that choosing
    // Size M still shows how many come in L; every other filter applies.
    let mut pairs: Vec<(String, i64)> = row
        .3
         .0
        .into_iter()
        .filter(|(pair, _)| !query.options.iter().any(|(name, _)| is_of(pair, name)))
        .collect();
    for (name, _) in &query.options {
        let others = ListQuery {
            cursor: None,
            options: query
                .options
                .iter()
                .filter(|(other, _)| other != name)
                .cloned()
                .collect(),
            ..query.clone()
        };
        let mut builder = QueryBuilder::<Postgres>::new(
            "SELECT o, count(*) FROM storefront_products p, unnest(p.options) o",
        );
        push_filters(&mut builder, shop, &others, Categories::of(in_categories));
        builder.push(" AND starts_with(o, ");
        builder.push_bind(format!("{name}="));
        builder.push(") GROUP BY o");
        let counts: Vec<(String, i64)> = builder.build_query_as().fetch_all(&mut *conn).await?;
        pairs.extend(counts);
    }
    pairs.sort();
    let mut options: Vec<OptionFacet> = Vec::new();
    for (pair, count) in pairs {
        let Some((name, value)) = pair.split_once('=') else {
            continue;
        };
        let value = OptionValueCount {
            value: value.to_owned(),
            count,
        };
        match options.iter_mut().find(|o| o.name == name) {
            Some(facet) => facet.values.push(value),
            None => options.push(OptionFacet {
                name: name.to_owned(),
                values: vec![value],
            }),
        }
    }
    Ok(Facets {
        total: row.0,
        in_stock: row.1,
        categories: categories
            .into_iter()
            .map(|(id, count)| CategoryCount { id, count })
            .collect(),
        options,
        price: match (row.4, row.5, row.6) {
            (Some(min_minor), Some(max_minor), Some(currency)) => Some(PriceRange {
                min_minor,
                max_minor,
                currency,
            }),
            _ => None,
        },
    })
}

/// Whether an option's "Name=Value" is of option `name`.
fn is_of(pair: &str, name: &str) -> bool {
    pair.split_once('=').is_some_and(|(of, _)| of == name)
}

/// `top` and every category below it. A cycle (two devices moving categories under
/// each other) ends where it repeats.
fn subtree(top: Uuid, parents: &HashMap<Uuid, Option<Uuid>>) -> Vec<Uuid> {
    let mut found = vec![top];
    let mut at = 0;
    while at < found.len() {
        let here = found[at];
        let children: Vec<Uuid> = parents
            .iter()
            .filter(|(id, parent)| **parent == Some(here) && !found.contains(id))
            .map(|(id, _)| *id)
            .collect();
        found.extend(children);
        at += 1;
    }
    found
}

/// Every category's parent, for rolling counts up the tree.
pub async fn category_parents(
    conn: &mut PgConnection,
    business_id: Uuid,
) -> Result<HashMap<Uuid, Option<Uuid>>, ApiError> {
    let rows: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT key, data->>'parent_id' FROM records WHERE business_id = $1 AND entity = 'category'",
    )
    .bind(business_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(key, parent)| {
            Some((
                Uuid::parse_str(&key).ok()?,
                parent.and_then(|p| Uuid::parse_str(&p).ok()),
            ))
        })
        .collect())
}

type DetailRow = (
    Uuid,
    String,
    String,
    String,
    Option<Uuid>,
    String,
    i64,
    i64,
    Jsonb<Value>,
    Vec<Uuid>,
);

/// One product by its id or its slug.
#[utoipa::path(
    get,
    path = "/storefront/v1/{business}/products/{product}",
    tag = "products",
    params(
        ("business" = String, Path, description = "The business's public slug"),
        ("product" = String, Path, description = "The product's id or slug"),
    ),
    responses(
        (status = 200, description = "The product", body = Product),
        super::schema::Refusals,
    )
)]
pub async fn detail(
    axum::extract::State(state): axum::extract::State<AppState>,
    Extension(shop): Extension<Storefront>,
    Path((_, product)): Path<(String, String)>,
    QueryPairs(pairs): QueryPairs,
) -> Result<Json<Product>, ApiError> {
    super::no_parameters(&pairs)?;
    let by_id = Uuid::parse_str(&product).ok();
    let row: Option<DetailRow> = sqlx::query_as(
        "SELECT product_id, slug, name, description, category_id, currency, min_price_minor,
                max_price_minor, detail, variant_ids
         FROM storefront_products
         WHERE business_id = $1 AND (product_id = $2 OR ($2 IS NULL AND slug = $3))",
    )
    .bind(shop.business_id)
    .bind(by_id)
    .bind(&product)
    .fetch_optional(&state.pool)
    .await?;
    let Some(row) = row else {
        return Err(ApiError::Missing(format!(
            "This storefront shows no product {:?}.",
            product.chars().take(80).collect::<String>()
        )));
    };
    let levels: Vec<(Uuid, Uuid, i64)> = sqlx::query_as(
        "SELECT s.variant_id, s.shop_id, s.on_hand_milli FROM stock_levels s
         WHERE s.business_id = $1 AND s.variant_id = ANY($2) AND s.shop_id = ANY($3)
         ORDER BY s.shop_id",
    )
    .bind(shop.business_id)
    .bind(&row.9)
    .bind(&shop.open_shops)
    .fetch_all(&state.pool)
    .await?;
    let category = match row.4 {
        Some(id) => {
            let name: Option<String> = sqlx::query_scalar(
                "SELECT data->>'name' FROM records
                 WHERE business_id = $1 AND entity = 'category' AND key = $2
                   AND data->>'status' = 'active'",
            )
            .bind(shop.business_id)
            .bind(id.to_string())
            .fetch_optional(&state.pool)
            .await?
            .flatten();
            name.map(|name| CategoryRef { id, name })
        }
        None => None,
    };
    let detail = &row.8 .0;
    let exact = |milli: i64| shop.exact_stock.then_some(milli.max(0));
    let variants: Vec<Variant> = detail["variants"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter_map(|v| {
            let id = v["id"].as_str().and_then(|id| Uuid::parse_str(id).ok())?;
            let shops: Vec<ShopStock> = levels
                .iter()
                .filter(|(variant, _, _)| *variant == id)
                .map(|(_, shop_id, milli)| ShopStock {
                    shop_id: *shop_id,
                    availability: availability(*milli, shop.low_stock_milli),
                    on_hand_milli: exact(*milli),
                })
                .collect();
            let total: i64 = levels
                .iter()
                .filter(|(variant, _, _)| *variant == id)
                .map(|(_, _, milli)| (*milli).max(0))
                .sum();
            Some(Variant {
                id,
                sku: v["sku"].as_str().map(str::to_owned),
                option_values: strings(v.get("option_values")),
                price: Money {
                    amount_minor: v["price_minor"].as_i64().unwrap_or(0),
                    currency: v["currency"].as_str().unwrap_or_default().to_owned(),
                },
                availability: availability(total, shop.low_stock_milli),
                on_hand_milli: exact(total),
                shops,
            })
        })
        .collect();
    let total: i64 = levels.iter().map(|(_, _, milli)| (*milli).max(0)).sum();
    Ok(Json(Product {
        id: row.0,
        slug: row.1,
        name: row.2,
        description: row.3,
        category,
        option_names: strings(detail.get("option_names")),
        price: PriceRange {
            min_minor: row.6,
            max_minor: row.7,
            currency: row.5,
        },
        availability: availability(total, shop.low_stock_milli),
        variants,
        images: detail["images"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .filter_map(|image| image_of(&shop.slug, image))
            .collect(),
    }))
}

pub fn availability(on_hand_milli: i64, low_milli: i64) -> Availability {
    if on_hand_milli <= 0 {
        Availability::Out
    } else if on_hand_milli <= low_milli {
        Availability::Low
    } else {
        Availability::InStock
    }
}

fn image_of(business: &str, image: &Value) -> Option<Image> {
    let hash = image["hash"].as_str()?;
    let url = format!("/storefront/v1/{business}/images/{hash}");
    Some(Image {
        hash: hash.to_owned(),
        width: image["width"].as_i64().unwrap_or(0),
        height: image["height"].as_i64().unwrap_or(0),
        thumbnail_url: format!("{url}/thumbnail"),
        url,
    })
}
