//! The types that cross IPC to the web UI. They live apart from the domain types, and the
//! UI's TypeScript declarations are generated from them (see `bindings.rs`).

use galla_core::{
    CatalogError, Error, Product, ProductFields, ProductStatus, ShopSettings, StaffError,
    StockError, StoreError,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ProductInput {
    pub name: String,
    /// The price as the owner typed it; core parses it into minor units exactly.
    pub price: String,
    pub sku: String,
    pub barcode: String,
}

impl ProductInput {
    pub fn fields(&self) -> ProductFields<'_> {
        ProductFields {
            name: &self.name,
            price: &self.price,
            sku: &self.sku,
            barcode: &self.barcode,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename = "ProductStatus", rename_all = "snake_case")]
#[ts(rename = "ProductStatus")]
pub enum ProductStatusView {
    Draft,
    Active,
    Archived,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ProductView {
    pub id: String,
    pub name: String,
    /// Integer minor units (paise); the UI formats, never computes.
    #[ts(type = "number")]
    pub price_minor: i64,
    pub currency: String,
    pub sku: Option<String>,
    pub barcode: Option<String>,
    pub status: ProductStatusView,
}

/// The simple product form shows a product through its default variant.
impl From<Product> for ProductView {
    fn from(p: Product) -> ProductView {
        let variant = p.variants.into_iter().next();
        ProductView {
            id: p.id.to_string(),
            name: p.name,
            price_minor: variant.as_ref().map_or(0, |v| v.price.minor()),
            currency: variant.as_ref().map_or_else(
                || "INR".to_owned(),
                |v| v.price.currency().code().to_owned(),
            ),
            sku: variant.as_ref().and_then(|v| v.sku.clone()),
            barcode: variant.and_then(|v| v.barcodes.into_iter().next()),
            status: match p.status {
                ProductStatus::Draft => ProductStatusView::Draft,
                ProductStatus::Active => ProductStatusView::Active,
                ProductStatus::Archived => ProductStatusView::Archived,
            },
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ShopView {
    pub currency: String,
    pub locale: String,
}

impl From<&ShopSettings> for ShopView {
    fn from(s: &ShopSettings) -> ShopView {
        ShopView {
            currency: s.currency.code().to_owned(),
            locale: s.locale.clone(),
        }
    }
}

/// What the UI branches on. Messages are for people; codes are for code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    NameRequired,
    NameTooLong,
    PriceInvalid,
    SkuInvalid,
    SkuTaken,
    BarcodeInvalid,
    BarcodeTaken,
    NotFound,
    CategoryNameInvalid,
    CategoryNameTaken,
    CategoryNotFound,
    CategoryCycle,
    CategoryHasChildren,
    NoVariants,
    TooManyOptions,
    OptionNameInvalid,
    OptionNameRepeated,
    OptionValueMissing,
    VariantRepeated,
    VariantNotFound,
    HsnInvalid,
    DescriptionTooLong,
    SkuRepeated,
    BarcodeRepeated,
    CostInvalid,
    PermissionDenied,
    StaffNameInvalid,
    PinWeak,
    PinWrong,
    PinLocked,
    LastOwner,
    StaffNotFound,
    AlreadySetUp,
    StockInvalid,
    ShopNotFound,
    InputInvalid,
    StoreFailed,
}

/// The one shape every failed command rejects with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct IpcError {
    pub code: ErrorCode,
    pub message: String,
    /// Where the product editor should show it, as a path such as `variants.1.sku`;
    /// null when the error belongs to the whole screen or the simple form's own field.
    pub field: Option<String>,
}

impl IpcError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> IpcError {
        IpcError {
            code,
            message: message.into(),
            field: None,
        }
    }
}

fn catalog_code(e: &CatalogError) -> ErrorCode {
    match e {
        CatalogError::NameRequired => ErrorCode::NameRequired,
        CatalogError::NameTooLong => ErrorCode::NameTooLong,
        CatalogError::Price(_) => ErrorCode::PriceInvalid,
        CatalogError::SkuInvalid(_) => ErrorCode::SkuInvalid,
        CatalogError::SkuTaken(_) => ErrorCode::SkuTaken,
        CatalogError::Barcode(_) => ErrorCode::BarcodeInvalid,
        CatalogError::BarcodeTaken(_) => ErrorCode::BarcodeTaken,
        CatalogError::NotFound(_) => ErrorCode::NotFound,
        CatalogError::CategoryNameInvalid => ErrorCode::CategoryNameInvalid,
        CatalogError::CategoryNameTaken(_) => ErrorCode::CategoryNameTaken,
        CatalogError::CategoryNotFound(_) => ErrorCode::CategoryNotFound,
        CatalogError::CategoryCycle => ErrorCode::CategoryCycle,
        CatalogError::CategoryHasChildren(_) => ErrorCode::CategoryHasChildren,
        CatalogError::Invalid(inner) => catalog_code(&inner.error),
        CatalogError::NoVariants => ErrorCode::NoVariants,
        CatalogError::TooManyOptions => ErrorCode::TooManyOptions,
        CatalogError::OptionNameInvalid => ErrorCode::OptionNameInvalid,
        CatalogError::OptionNameRepeated(_) => ErrorCode::OptionNameRepeated,
        CatalogError::OptionValueMissing(_) => ErrorCode::OptionValueMissing,
        CatalogError::VariantRepeated(_) => ErrorCode::VariantRepeated,
        CatalogError::VariantNotFound(_) => ErrorCode::VariantNotFound,
        CatalogError::HsnInvalid => ErrorCode::HsnInvalid,
        CatalogError::DescriptionTooLong => ErrorCode::DescriptionTooLong,
        CatalogError::SkuRepeated(_) => ErrorCode::SkuRepeated,
        CatalogError::BarcodeRepeated(_) => ErrorCode::BarcodeRepeated,
        CatalogError::Cost(_) => ErrorCode::CostInvalid,
    }
}

impl From<CatalogError> for IpcError {
    fn from(e: CatalogError) -> IpcError {
        let field = match &e {
            CatalogError::Invalid(inner) => Some(inner.field.clone()),
            _ => None,
        };
        IpcError {
            code: catalog_code(&e),
            message: e.to_string(),
            field,
        }
    }
}

impl From<StoreError> for IpcError {
    fn from(e: StoreError) -> IpcError {
        IpcError::new(ErrorCode::StoreFailed, e.to_string())
    }
}

impl From<Error> for IpcError {
    fn from(e: Error) -> IpcError {
        match e {
            Error::Catalog(e) => e.into(),
            Error::Store(e) => e.into(),
            Error::Permission(e) => IpcError::new(ErrorCode::PermissionDenied, e.to_string()),
            Error::Staff(e) => {
                let code = match &e {
                    StaffError::NameRequired | StaffError::NameTooLong => {
                        ErrorCode::StaffNameInvalid
                    }
                    StaffError::WeakPin(_) => ErrorCode::PinWeak,
                    StaffError::WrongPin { .. } => ErrorCode::PinWrong,
                    StaffError::Locked { .. } => ErrorCode::PinLocked,
                    StaffError::LastOwner => ErrorCode::LastOwner,
                    StaffError::NotFound(_) | StaffError::NoLongerActive => {
                        ErrorCode::StaffNotFound
                    }
                    StaffError::AlreadySetUp => ErrorCode::AlreadySetUp,
                };
                IpcError::new(code, e.to_string())
            }
            Error::Stock(e) => {
                let code = match &e {
                    StockError::ShopNotFound(_) => ErrorCode::ShopNotFound,
                    _ => ErrorCode::StockInvalid,
                };
                IpcError::new(code, e.to_string())
            }
            Error::Image(e) => IpcError::new(ErrorCode::InputInvalid, e.to_string()),
        }
    }
}
