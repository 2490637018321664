//! What the storefront answers, as types: each is serialised as the response body and
//! described in the OpenAPI document by the same derive, so the two cannot disagree.

use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// A price in integer minor units (paise, cents) and its ISO 4217 currency.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Money {
    #[schema(example = 49900)]
    pub amount_minor: i64,
    #[schema(example = "INR")]
    pub currency: String,
}

/// The lowest and highest price of a product's variants.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PriceRange {
    pub min_minor: i64,
    pub max_minor: i64,
    pub currency: String,
}

/// Whether something can be bought: more than the seller's "low" level, at or below
/// it, or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Availability {
    InStock,
    Low,
    Out,
}

/// A product picture. `url` is the picture as uploaded, `thumbnail_url` a JPEG at most
/// 256 pixels on its longer side; both carry the content hash and never change.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Image {
    pub hash: String,
    pub width: i64,
    pub height: i64,
    pub url: String,
    pub thumbnail_url: String,
}

/// A product as listed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProductSummary {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub category_id: Option<Uuid>,
    pub price: PriceRange,
    pub availability: Availability,
    /// The first picture, if any.
    pub image: Option<Image>,
}

/// One page of products.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProductPage {
    pub products: Vec<ProductSummary>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
    /// Only when asked for with `facets=true`.
    pub facets: Option<Facets>,
}

/// Counts over every product matching the request's filters (not only this page).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Facets {
    pub total: i64,
    pub in_stock: i64,
    /// Per category, counting a product in its category and in each parent above it.
    pub categories: Vec<CategoryCount>,
    /// Per option name and value, in name then value order. An option the request
    /// filters by is counted without its own filter (choosing Size M still shows how
    /// many come in L); every other filter applies.
    pub options: Vec<OptionFacet>,
    /// The lowest and highest variant price of the matching products.
    pub price: Option<PriceRange>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CategoryCount {
    pub id: Uuid,
    pub count: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OptionFacet {
    pub name: String,
    pub values: Vec<OptionValueCount>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OptionValueCount {
    pub value: String,
    pub count: i64,
}

/// A product with everything a product page shows.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Product {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub category: Option<CategoryRef>,
    /// Option names such as "Size" and "Colour", in order; each variant's
    /// `option_values` follow the same order.
    pub option_names: Vec<String>,
    pub price: PriceRange,
    pub availability: Availability,
    pub variants: Vec<Variant>,
    pub images: Vec<Image>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CategoryRef {
    pub id: Uuid,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Variant {
    pub id: Uuid,
    pub sku: Option<String>,
    pub option_values: Vec<String>,
    pub price: Money,
    pub availability: Availability,
    /// Units on hand in thousandths, across shops; only if the seller shows exact counts.
    pub on_hand_milli: Option<i64>,
    /// Per open shop.
    pub shops: Vec<ShopStock>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ShopStock {
    pub shop_id: Uuid,
    pub availability: Availability,
    /// Only if the seller shows exact counts.
    pub on_hand_milli: Option<i64>,
}

/// The category tree: top-level categories, each with its children.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CategoryTree {
    pub categories: Vec<Category>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Category {
    pub id: Uuid,
    pub name: String,
    pub parent_id: Option<Uuid>,
    /// Products shown on the storefront in this category or any below it.
    pub product_count: i64,
    #[schema(no_recursion)]
    pub children: Vec<Category>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ShopList {
    pub shops: Vec<Shop>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Shop {
    pub id: Uuid,
    pub name: String,
    /// As the shop writes it, lines separated by `\n`; empty when not given.
    pub address: String,
    /// Empty when not given; a day without a period is closed.
    pub opening_hours: Vec<OpeningPeriod>,
}

/// A stretch of a day the shop is open, in its local time.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OpeningPeriod {
    #[schema(example = "mon")]
    pub day: String,
    #[schema(example = "09:30")]
    pub opens: String,
    /// May be "24:00".
    #[schema(example = "19:00")]
    pub closes: String,
}

/// The business behind a storefront.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Business {
    pub slug: String,
    pub name: String,
}

/// Every error: a stable `code` to branch on and a `message` for people.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorDetail {
    #[schema(example = "bad_parameter")]
    pub code: String,
    pub message: String,
}

/// The answers every storefront path may give besides its own 200, described once.
#[derive(utoipa::IntoResponses)]
pub enum Refusals {
    /// Not modified since the ETag sent in If-None-Match.
    #[response(status = 304)]
    NotModified,
    /// A parameter is wrong; the message says which.
    #[response(status = 400)]
    BadParameter(ErrorBody),
    /// No such business, or nothing of it at this path (a product or picture that is not
    /// on the storefront).
    #[response(status = 404)]
    NotFound(ErrorBody),
    /// Too many requests from this address; try again after Retry-After seconds.
    #[response(status = 429)]
    RateLimited(ErrorBody),
}
