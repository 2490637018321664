//! The storefront's read model: one `storefront_products` row per product a customer may
//! see, rebuilt from the feed's records in the same transaction as the push that changed
//! them. Only public fields are copied: never cost prices, never anything of a draft or
//! archived product.

use std::collections::BTreeSet;

use serde_json::{json, Map, Value};
use sqlx::types::Json as Jsonb;
use sqlx::PgConnection;
use uuid::Uuid;

use super::like_escape;

/// Entities whose changes can change what the storefront shows of a product.
pub fn touches_product(entity: &str) -> bool {
    matches!(entity, "product" | "variant" | "product_image")
}

/// The product a changed record belongs to: itself, or its `product_id`.
pub fn product_of(entity: &str, key: &str, data: &Map<String, Value>) -> Option<Uuid> {
    match entity {
        "product" => Uuid::parse_str(key).ok(),
        "variant" | "product_image" => data
            .get("product_id")
            .and_then(Value::as_str)
            .and_then(|id| Uuid::parse_str(id).ok()),
        _ => None,
    }
}

/// Rebuilds the rows of `products`, each from its current records.
pub async fn refresh(
    conn: &mut PgConnection,
    business_id: Uuid,
    products: &BTreeSet<Uuid>,
) -> Result<(), sqlx::Error> {
    for product_id in products {
        refresh_one(conn, business_id, *product_id).await?;
    }
    Ok(())
}

/// Rebuilds every product of a business (after a bulk load, or to repair the model).
pub async fn refresh_business(
    conn: &mut PgConnection,
    business_id: Uuid,
) -> Result<usize, sqlx::Error> {
    let keys: Vec<String> = sqlx::query_scalar(
        "SELECT key FROM records WHERE business_id = $1 AND entity = 'product' ORDER BY key",
    )
    .bind(business_id)
    .fetch_all(&mut *conn)
    .await?;
    let products: BTreeSet<Uuid> = keys
        .iter()
        .filter_map(|k| Uuid::parse_str(k).ok())
        .collect();
    refresh(conn, business_id, &products).await?;
    Ok(products.len())
}

/// A variant or picture of a product: entity, key, data.
type ChildRow = (String, String, Jsonb<Map<String, Value>>);

async fn refresh_one(
    conn: &mut PgConnection,
    business_id: Uuid,
    product_id: Uuid,
) -> Result<(), sqlx::Error> {
    let key = product_id.to_string();
    let product: Option<Jsonb<Map<String, Value>>> = sqlx::query_scalar(
        "SELECT data FROM records WHERE business_id = $1 AND entity = 'product' AND key = $2",
    )
    .bind(business_id)
    .bind(&key)
    .fetch_optional(&mut *conn)
    .await?;
    let children: Vec<ChildRow> = sqlx::query_as(
        "SELECT entity, key, data FROM records
         WHERE business_id = $1 AND entity IN ('variant', 'product_image')
           AND data->>'product_id' = $2",
    )
    .bind(business_id)
    .bind(&key)
    .fetch_all(&mut *conn)
    .await?;
    let (variants, images): (Vec<_>, Vec<_>) = children
        .into_iter()
        .partition(|(entity, _, _)| entity == "variant");
    let listing = product.and_then(|data| {
        Listing::build(
            &data.0,
            variants.iter().map(|(_, k, d)| (k.as_str(), &d.0)),
            images.iter().map(|(_, _, d)| &d.0),
        )
    });
    let Some(listing) = listing else {
        sqlx::query("DELETE FROM storefront_products WHERE business_id = $1 AND product_id = $2")
            .bind(business_id)
            .bind(product_id)
            .execute(&mut *conn)
            .await?;
        return Ok(());
    };
    let slug = slug_for(conn, business_id, product_id, &listing.name).await?;
    sqlx::query(
        "INSERT INTO storefront_products (business_id, product_id, slug, name, sort_name,
             description, category_id, currency, min_price_minor, max_price_minor, prices,
             options, variant_ids, detail, image_hashes, search)
         VALUES ($1, $2, $3, $4, lower($4), $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
         ON CONFLICT (business_id, product_id) DO UPDATE SET
             slug = excluded.slug, name = excluded.name, sort_name = excluded.sort_name,
             description = excluded.description, category_id = excluded.category_id,
             currency = excluded.currency, min_price_minor = excluded.min_price_minor,
             max_price_minor = excluded.max_price_minor, prices = excluded.prices,
             options = excluded.options, variant_ids = excluded.variant_ids,
             detail = excluded.detail, image_hashes = excluded.image_hashes,
             search = excluded.search",
    )
    .bind(business_id)
    .bind(product_id)
    .bind(&slug)
    .bind(&listing.name)
    .bind(&listing.description)
    .bind(listing.category_id)
    .bind(&listing.currency)
    .bind(listing.min_price)
    .bind(listing.max_price)
    .bind(&listing.prices)
    .bind(&listing.options)
    .bind(&listing.variant_ids)
    .bind(Jsonb(&listing.detail))
    .bind(&listing.image_hashes)
    .bind(&listing.search)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// What the storefront keeps of one visible product.
#[derive(Debug, Clone, PartialEq)]
pub struct Listing {
    pub name: String,
    pub description: String,
    pub category_id: Option<Uuid>,
    pub currency: String,
    pub min_price: i64,
    pub max_price: i64,
    pub prices: Vec<i64>,
    pub options: Vec<String>,
    pub variant_ids: Vec<Uuid>,
    pub image_hashes: Vec<String>,
    pub search: String,
    /// `{"option_names": [...], "variants": [...], "images": [...]}`.
    pub detail: Value,
}

impl Listing {
    /// The listing of a product, or `None` when a customer may not see it: not active,
    /// not marked for the storefront, unnamed, or without an active, priced variant.
    pub fn build<'a>(
        product: &Map<String, Value>,
        variants: impl Iterator<Item = (&'a str, &'a Map<String, Value>)>,
        images: impl Iterator<Item = &'a Map<String, Value>>,
    ) -> Option<Listing> {
        let text = |map: &Map<String, Value>, field: &str| {
            map.get(field).and_then(Value::as_str).map(str::to_owned)
        };
        if text(product, "status").as_deref() != Some("active")
            || product.get("show_on_storefront") != Some(&Value::Bool(true))
        {
            return None;
        }
        let name = text(product, "name").filter(|n| !n.trim().is_empty())?;
        let description = text(product, "description").unwrap_or_default();
        let category_id = text(product, "category_id").and_then(|id| Uuid::parse_str(&id).ok());
        let option_names: Vec<String> = strings(product.get("option_names"));

        let mut variants: Vec<PublicVariant> = variants
            .filter_map(|(key, data)| PublicVariant::of(key, data))
            .collect();
        variants.sort_by(|a, b| a.position.cmp(&b.position).then(a.id.cmp(&b.id)));
        // One price list per product: a variant in another currency than the first
        // cannot be compared or filtered with the rest, so it is not offered.
        let currency = variants.first()?.currency.clone();
        variants.retain(|v| v.currency == currency);
        let prices: Vec<i64> = variants.iter().map(|v| v.price_minor).collect();
        let min_price = *prices.iter().min()?;
        let max_price = *prices.iter().max()?;

        let mut options = BTreeSet::new();
        for variant in &variants {
            for (name, value) in option_names.iter().zip(&variant.option_values) {
                if !value.is_empty() {
                    options.insert(format!("{name}={value}"));
                }
            }
        }

        let mut images: Vec<(i64, String, Value)> = images
            .filter(|data| is_active(data))
            .filter_map(|data| {
                let hash = text(data, "hash")?;
                let number = |f: &str| data.get(f).and_then(Value::as_i64).unwrap_or(0);
                Some((
                    number("position"),
                    hash.clone(),
                    json!({"hash": hash, "width": number("width"), "height": number("height")}),
                ))
            })
            .collect();
        images.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));

        // Names and SKUs only: descriptions repeat the same words across a catalog
        // ("cotton", "handwoven"), which would make most searches match most products.
        let mut search = name.clone();
        for variant in &variants {
            if let Some(sku) = &variant.sku {
                search.push(' ');
                search.push_str(sku);
            }
        }
        Some(Listing {
            detail: json!({
                "option_names": option_names,
                "variants": variants.iter().map(PublicVariant::to_json).collect::<Vec<_>>(),
                "images": images.iter().map(|(_, _, v)| v.clone()).collect::<Vec<_>>(),
            }),
            image_hashes: images.into_iter().map(|(_, hash, _)| hash).collect(),
            name,
            description,
            category_id,
            currency,
            min_price,
            max_price,
            prices,
            options: options.into_iter().collect(),
            variant_ids: variants.iter().map(|v| v.id).collect(),
            search: search.to_lowercase(),
        })
    }
}

/// The fields of a variant a customer may see (no cost price, no barcode).
struct PublicVariant {
    id: Uuid,
    position: i64,
    option_values: Vec<String>,
    sku: Option<String>,
    price_minor: i64,
    currency: String,
}

impl PublicVariant {
    fn of(key: &str, data: &Map<String, Value>) -> Option<PublicVariant> {
        // Terminals send a variant's status only when it is archived: a variant without
        // one is on sale.
        if !is_active(data) {
            return None;
        }
        Some(PublicVariant {
            id: Uuid::parse_str(key).ok()?,
            position: data.get("position").and_then(Value::as_i64).unwrap_or(0),
            option_values: strings(data.get("option_values")),
            sku: data
                .get("sku")
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_owned),
            price_minor: data.get("price_minor").and_then(Value::as_i64)?,
            currency: data.get("currency").and_then(Value::as_str)?.to_owned(),
        })
    }

    fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "option_values": self.option_values,
            "sku": self.sku,
            "price_minor": self.price_minor,
            "currency": self.currency,
        })
    }
}

/// Active unless a status says otherwise.
fn is_active(data: &Map<String, Value>) -> bool {
    data.get("status")
        .and_then(Value::as_str)
        .is_none_or(|status| status == "active")
}

/// The texts of a JSON list; anything else is no texts.
pub(super) fn strings(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// The product's slug: the one it was given before, or a new one from its name that no
/// other product of the business has.
async fn slug_for(
    conn: &mut PgConnection,
    business_id: Uuid,
    product_id: Uuid,
    name: &str,
) -> Result<String, sqlx::Error> {
    let given: Option<String> = sqlx::query_scalar(
        "SELECT slug FROM storefront_slugs WHERE business_id = $1 AND product_id = $2",
    )
    .bind(business_id)
    .bind(product_id)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(slug) = given {
        return Ok(slug);
    }
    let base = slugify(name);
    let taken: Vec<String> = sqlx::query_scalar(
        "SELECT slug FROM storefront_slugs
         WHERE business_id = $1 AND (slug = $2 OR slug LIKE $3)",
    )
    .bind(business_id)
    .bind(&base)
    .bind(format!("{}-%", like_escape(&base)))
    .fetch_all(&mut *conn)
    .await?;
    let taken: BTreeSet<String> = taken.into_iter().collect();
    let slug = std::iter::once(base.clone())
        .chain((2..).map(|n| format!("{base}-{n}")))
        .find(|candidate| !taken.contains(candidate))
        .unwrap_or(base);
    sqlx::query("INSERT INTO storefront_slugs (business_id, product_id, slug) VALUES ($1, $2, $3)")
        .bind(business_id)
        .bind(product_id)
        .bind(&slug)
        .execute(&mut *conn)
        .await?;
    Ok(slug)
}

/// Lower-case letters and digits of any script, words joined by hyphens, at most 60
/// characters; "product" when nothing is left. Never a UUID's shape, so a slug and a
/// product id in the same path segment cannot be confused.
pub fn slugify(name: &str) -> String {
    let mut slug = String::new();
    for word in name.split(separates).filter(|w| !w.is_empty()) {
        let word: String = word.chars().flat_map(char::to_lowercase).collect();
        if slug.chars().count() + word.chars().count() + 1 > 60 && !slug.is_empty() {
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.extend(word.chars().take(60));
    }
    if slug.is_empty() || Uuid::parse_str(&slug).is_ok() {
        slug.insert_str(0, "product-");
        if slug.ends_with('-') {
            slug.pop();
        }
    }
    slug
}

/// Spaces, punctuation and symbols. Letters, digits and combining marks stay: a
/// Devanagari word's vowel signs and virama are marks, not separators.
fn separates(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || c.is_ascii_punctuation()
        || matches!(c,
            '\u{00A0}'..='\u{00BF}' | '\u{00D7}' | '\u{00F7}' // Latin-1 punctuation, signs
            | '\u{0964}' | '\u{0965}' // danda, double danda
            | '\u{2000}'..='\u{206F}' // general punctuation
            | '\u{20A0}'..='\u{20CF}' // currency signs
            | '\u{2100}'..='\u{2BFF}' // letterlike symbols, arrows, shapes
            | '\u{3000}'..='\u{303F}' // CJK punctuation
        )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn map(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => Map::new(),
        }
    }

    #[test]
    fn slugs_keep_words_of_any_script() {
        assert_eq!(slugify("Cotton Kurta, Blue (XL)"), "cotton-kurta-blue-xl");
        assert_eq!(slugify("  ---  "), "product");
        assert_eq!(slugify("Tea ₹99 — 250 g"), "tea-99-250-g");
        assert_eq!(slugify("सूती कुर्ता"), "सूती-कुर्ता");
        assert_eq!(slugify(&"word ".repeat(40)).chars().count(), 59);
        let id = "0190b3c4-0000-7000-8000-000000000001";
        assert_ne!(slugify(id), id);
    }

    #[test]
    fn a_listing_holds_only_public_active_things() {
        let product = map(json!({
            "name": "Kurta", "status": "active", "show_on_storefront": true,
            "option_names": ["Size"], "description": "Soft"
        }));
        let small = map(
            json!({"status": "active", "position": 0, "option_values": ["S"],
            "price_minor": 49900, "cost_minor": 20000, "currency": "INR", "sku": "K-S"}),
        );
        let large = map(
            json!({"status": "active", "position": 1, "option_values": ["L"],
            "price_minor": 59900, "cost_minor": 25000, "currency": "INR"}),
        );
        let gone = map(
            json!({"status": "archived", "position": 2, "option_values": ["XL"],
            "price_minor": 1, "currency": "INR"}),
        );
        let ids = [
            "0190b3c4-0000-7000-8000-000000000001",
            "0190b3c4-0000-7000-8000-000000000002",
            "0190b3c4-0000-7000-8000-000000000003",
        ];
        let variants = [(ids[1], &large), (ids[0], &small), (ids[2], &gone)];
        let picture =
            map(json!({"status": "active", "hash": "ab", "position": 0, "width": 4, "height": 3}));
        let removed = map(json!({"status": "removed", "hash": "cd", "position": 1}));
        let listing = Listing::build(
            &product,
            variants.into_iter(),
            [&picture, &removed].into_iter(),
        )
        .unwrap();
        assert_eq!((listing.min_price, listing.max_price), (49900, 59900));
        assert_eq!(listing.options, ["Size=L", "Size=S"]);
        assert_eq!(listing.image_hashes, ["ab"]);
        assert_eq!(listing.search, "kurta k-s");
        let detail = listing.detail.to_string();
        assert!(!detail.contains("cost"), "{detail}");
        assert!(!detail.contains("XL"), "{detail}");
        assert!(
            detail.find("\"S\"") < detail.find("\"L\""),
            "by position: {detail}"
        );

        for hidden in [
            json!({"status": "draft"}),
            json!({"status": "archived"}),
            json!({"show_on_storefront": false}),
            json!({"name": " "}),
        ] {
            let mut product = product.clone();
            product.extend(map(hidden.clone()));
            let variants = [(ids[0], &small)];
            assert!(
                Listing::build(&product, variants.into_iter(), std::iter::empty()).is_none(),
                "{hidden}"
            );
        }
        assert!(Listing::build(&product, std::iter::empty(), std::iter::empty()).is_none());
    }
}
