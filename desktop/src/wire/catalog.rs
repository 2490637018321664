//! Products, variants, categories and the product list, as they cross IPC.

use galla_core::catalog::{ProductForm, VariantForm};
use std::collections::HashMap;

use galla_core::id::parse_id;
use galla_core::store::ProductImage;
use galla_core::{Category, Product, ProductHit, ProductStatus, Variant};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{ErrorCode, IpcError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename = "ProductStatus", rename_all = "snake_case")]
#[ts(rename = "ProductStatus")]
pub enum ProductStatusView {
    Draft,
    Active,
    Archived,
}

impl From<ProductStatus> for ProductStatusView {
    fn from(s: ProductStatus) -> ProductStatusView {
        match s {
            ProductStatus::Draft => ProductStatusView::Draft,
            ProductStatus::Active => ProductStatusView::Active,
            ProductStatus::Archived => ProductStatusView::Archived,
        }
    }
}

impl From<ProductStatusView> for ProductStatus {
    fn from(s: ProductStatusView) -> ProductStatus {
        match s {
            ProductStatusView::Draft => ProductStatus::Draft,
            ProductStatusView::Active => ProductStatus::Active,
            ProductStatusView::Archived => ProductStatus::Archived,
        }
    }
}

/// The full product editor's fields exactly as typed; core checks them as a whole.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ProductEditorInput {
    pub name: String,
    pub description: String,
    pub category_id: Option<String>,
    pub tax_class: String,
    pub hsn_code: String,
    pub status: ProductStatusView,
    pub show_on_storefront: bool,
    pub option_names: Vec<String>,
    pub variants: Vec<VariantEditorInput>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct VariantEditorInput {
    /// Set when the row is a variant that exists.
    pub id: Option<String>,
    pub option_values: Vec<String>,
    pub sku: String,
    pub price: String,
    pub cost: String,
    pub barcodes: Vec<String>,
}

impl ProductEditorInput {
    pub fn form(self) -> Result<ProductForm, IpcError> {
        let category_id = match self.category_id.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(text) => Some(parse_id(text).ok_or_else(|| {
                IpcError::at(
                    ErrorCode::CategoryNotFound,
                    "That category no longer exists. Choose another.",
                    "category_id",
                )
            })?),
        };
        let mut variants = Vec::with_capacity(self.variants.len());
        for (i, v) in self.variants.into_iter().enumerate() {
            let id = match v.id.as_deref() {
                None | Some("") => None,
                Some(text) => Some(parse_id(text).ok_or_else(|| {
                    IpcError::at(
                        ErrorCode::VariantNotFound,
                        "That variant no longer exists. Reload the product.",
                        format!("variants.{i}"),
                    )
                })?),
            };
            variants.push(VariantForm {
                id,
                option_values: v.option_values,
                sku: v.sku,
                price: v.price,
                cost: v.cost,
                barcodes: v.barcodes,
            });
        }
        Ok(ProductForm {
            name: self.name,
            description: self.description,
            category_id,
            tax_class: self.tax_class,
            hsn_code: self.hsn_code,
            status: Some(self.status.into()),
            show_on_storefront: self.show_on_storefront,
            option_names: self.option_names,
            variants,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ProductDetailView {
    pub id: String,
    pub name: String,
    pub description: String,
    pub category_id: Option<String>,
    pub tax_class: Option<String>,
    pub hsn_code: Option<String>,
    pub status: ProductStatusView,
    pub show_on_storefront: bool,
    pub option_names: Vec<String>,
    pub variants: Vec<VariantView>,
    /// In order; the first is the product's main picture.
    pub images: Vec<ImageView>,
}

/// A product picture. The UI shows it through the `galla-image` URI scheme:
/// `<hash>/thumb` for the 256 px thumbnail, `<hash>` for the original.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ImageView {
    pub hash: String,
    pub width: u32,
    pub height: u32,
}

impl From<ProductImage> for ImageView {
    fn from(i: ProductImage) -> ImageView {
        ImageView {
            hash: i.hash,
            width: i.width,
            height: i.height,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct VariantView {
    pub id: String,
    pub option_values: Vec<String>,
    pub sku: Option<String>,
    #[ts(type = "number")]
    pub price_minor: i64,
    /// Null when there is no cost, and for people who may not see costs.
    #[ts(type = "number | null")]
    pub cost_minor: Option<i64>,
    pub currency: String,
    pub barcodes: Vec<String>,
    /// On hand in this device's shop, in thousandths.
    #[ts(type = "number")]
    pub on_hand_milli: i64,
    /// The low-stock threshold in this shop, in thousandths.
    #[ts(type = "number | null")]
    pub low_stock_milli: Option<i64>,
}

/// What the store knows about a variant's stock in this shop.
pub struct VariantStock {
    pub on_hand_milli: i64,
    pub low_stock_milli: Option<i64>,
}

impl ProductDetailView {
    pub fn new(
        p: Product,
        images: Vec<ProductImage>,
        show_cost: bool,
        stock: impl Fn(&Variant) -> VariantStock,
    ) -> ProductDetailView {
        let variants = p
            .variants
            .iter()
            .map(|v| {
                let s = stock(v);
                VariantView {
                    id: v.id.to_string(),
                    option_values: v.option_values.clone(),
                    sku: v.sku.clone(),
                    price_minor: v.price.minor(),
                    cost_minor: v.cost.filter(|_| show_cost).map(|c| c.minor()),
                    currency: v.price.currency().code().to_owned(),
                    barcodes: v.barcodes.clone(),
                    on_hand_milli: s.on_hand_milli,
                    low_stock_milli: s.low_stock_milli,
                }
            })
            .collect();
        ProductDetailView {
            id: p.id.to_string(),
            name: p.name,
            description: p.description,
            category_id: p.category_id.map(|c| c.to_string()),
            tax_class: p.tax_class,
            hsn_code: p.hsn_code,
            status: p.status.into(),
            show_on_storefront: p.show_on_storefront,
            option_names: p.option_names,
            variants,
            images: images.into_iter().map(ImageView::from).collect(),
        }
    }
}

/// The list and search box's filters and page.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ProductQueryInput {
    pub text: String,
    pub category_id: Option<String>,
    /// Null: every product that is not archived.
    pub status: Option<ProductStatusView>,
    pub offset: u32,
    pub limit: u32,
}

/// One row of the product list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ProductRowView {
    pub id: String,
    pub name: String,
    pub status: ProductStatusView,
    pub variant_id: Option<String>,
    #[ts(type = "number | null")]
    pub price_minor: Option<i64>,
    pub currency: Option<String>,
    pub sku: Option<String>,
    pub barcode: Option<String>,
    pub category: Option<String>,
    pub variant_count: u32,
}

impl From<ProductHit> for ProductRowView {
    fn from(h: ProductHit) -> ProductRowView {
        ProductRowView {
            id: h.product_id.to_string(),
            name: h.name,
            status: h.status.into(),
            variant_id: h.variant_id.map(|v| v.to_string()),
            price_minor: h.price.map(|p| p.minor()),
            currency: h.price.map(|p| p.currency().code().to_owned()),
            sku: h.sku,
            barcode: h.barcode,
            category: h.category,
            variant_count: h.variant_count,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CategoryView {
    pub id: String,
    pub parent_id: Option<String>,
    pub name: String,
    /// "Clothing › Sarees › Silk", for pickers.
    pub path: String,
    /// 0 for a top-level category.
    pub depth: u32,
}

impl CategoryView {
    /// `categories` come parents first, so each one's parent is already placed.
    pub fn tree(categories: Vec<Category>) -> Vec<CategoryView> {
        let mut out: Vec<CategoryView> = Vec::with_capacity(categories.len());
        let mut placed: HashMap<String, usize> = HashMap::new();
        for c in categories {
            let id = c.id.to_string();
            let parent_id = c.parent_id.map(|p| p.to_string());
            let parent = parent_id
                .as_ref()
                .and_then(|p| placed.get(p))
                .and_then(|&i| out.get(i));
            let (path, depth) = match parent {
                Some(parent) => (format!("{} › {}", parent.path, c.name), parent.depth + 1),
                None => (c.name.clone(), 0),
            };
            placed.insert(id.clone(), out.len());
            out.push(CategoryView {
                id,
                parent_id,
                name: c.name,
                path,
                depth,
            });
        }
        out
    }
}
