//! Products as the owner enters them. Validation is pure: it turns what a person typed
//! into a `ProductDraft` (the simple form) or a `ProductSpec` (the full editor, in
//! `spec`), or says, per field, what is wrong.

mod spec;

pub use spec::{ProductForm, ProductSpec, SpecError, VariantForm, VariantSpec, MAX_OPTIONS};

use uuid::Uuid;

use crate::barcode::{Barcode, BarcodeError};
use crate::money::{Currency, Money, MoneyError};

pub const NAME_MAX_CHARS: usize = 200;
pub const SKU_MAX_CHARS: usize = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProductStatus {
    /// Being prepared: kept off the counter and the storefront.
    Draft,
    Active,
    Archived,
}

impl ProductStatus {
    pub fn as_str(&self) -> &'static str {
        match self {
            ProductStatus::Draft => "draft",
            ProductStatus::Active => "active",
            ProductStatus::Archived => "archived",
        }
    }

    pub fn parse(text: &str) -> Option<ProductStatus> {
        match text {
            "draft" => Some(ProductStatus::Draft),
            "active" => Some(ProductStatus::Active),
            "archived" => Some(ProductStatus::Archived),
            _ => None,
        }
    }
}

/// What the owner names and describes. What is sold and counted is a `Variant`; a
/// product without options has exactly one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Product {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    pub category_id: Option<Uuid>,
    pub tax_class: Option<String>,
    /// India's Harmonized System of Nomenclature code, for GST.
    pub hsn_code: Option<String>,
    pub status: ProductStatus,
    pub show_on_storefront: bool,
    /// The names its variants differ by, in order ("Size", "Colour"); empty for a
    /// product with one variant.
    pub option_names: Vec<String>,
    /// Active variants in display order; never empty for a product made through the store.
    pub variants: Vec<Variant>,
}

impl Product {
    /// The variant the simple product form edits: the first one.
    pub fn default_variant(&self) -> Option<&Variant> {
        self.variants.first()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    pub id: Uuid,
    /// One value per option name of the product, in the same order.
    pub option_values: Vec<String>,
    pub sku: Option<String>,
    pub price: Money,
    pub cost: Option<Money>,
    /// Active barcodes, oldest first.
    pub barcodes: Vec<String>,
}

/// The text fields of the product form, exactly as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProductFields<'a> {
    pub name: &'a str,
    pub price: &'a str,
    pub sku: &'a str,
    pub barcode: &'a str,
}

/// A product that passed every check that needs no database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductDraft {
    pub name: String,
    pub price: Money,
    pub sku: Option<String>,
    pub barcode: Option<Barcode>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogError {
    #[error("Enter a product name.")]
    NameRequired,
    #[error("Keep the name under {NAME_MAX_CHARS} characters.")]
    NameTooLong,
    #[error("{0}")]
    Price(#[from] MoneyError),
    #[error("{0}")]
    SkuInvalid(String),
    #[error("SKU {0} is already used by another product.")]
    SkuTaken(String),
    #[error("{0}")]
    Barcode(#[from] BarcodeError),
    #[error("Barcode {0} is already on another product.")]
    BarcodeTaken(String),
    #[error("That product no longer exists.")]
    NotFound(Uuid),
    #[error("Enter a category name of at most {CATEGORY_NAME_MAX_CHARS} characters.")]
    CategoryNameInvalid,
    #[error("There is already a category called {0} here.")]
    CategoryNameTaken(String),
    #[error("That category no longer exists.")]
    CategoryNotFound(Uuid),
    #[error("A category cannot be placed inside itself or one of its own sub-categories.")]
    CategoryCycle,
    #[error("{0} still has sub-categories. Move or archive them first.")]
    CategoryHasChildren(String),
    #[error("{0}")]
    Invalid(Box<SpecError>),
    #[error("A product needs at least one variant.")]
    NoVariants,
    #[error("A product can have at most {MAX_OPTIONS} options, such as Size and Colour.")]
    TooManyOptions,
    #[error("Give each option a name of at most 40 characters, such as Size.")]
    OptionNameInvalid,
    #[error("Two options are both called {0}.")]
    OptionNameRepeated(String),
    #[error("Enter a value for {0}.")]
    OptionValueMissing(String),
    #[error("Two variants are both {0}. Each variant needs its own combination of options.")]
    VariantRepeated(String),
    #[error("An HSN code has 4, 6 or 8 digits.")]
    HsnInvalid,
    #[error("Keep the description under {DESCRIPTION_MAX_CHARS} characters.")]
    DescriptionTooLong,
    #[error("Two variants both use SKU {0}.")]
    SkuRepeated(String),
    #[error("Two variants both use barcode {0}.")]
    BarcodeRepeated(String),
    #[error("Cost: {0}")]
    Cost(MoneyError),
    #[error("That variant does not belong to this product.")]
    VariantNotFound(Uuid),
}

pub const DESCRIPTION_MAX_CHARS: usize = 5000;

impl CatalogError {
    /// Places the error at a field of the full product editor.
    pub fn at(self, field: impl Into<String>) -> CatalogError {
        CatalogError::Invalid(Box::new(SpecError {
            field: field.into(),
            error: self,
        }))
    }
}

pub const CATEGORY_NAME_MAX_CHARS: usize = 80;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    pub id: Uuid,
    pub parent_id: Option<Uuid>,
    pub name: String,
}

/// A category name as typed: white space folded, not empty, not too long.
pub fn parse_category_name(text: &str) -> Result<String, CatalogError> {
    let name = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() || name.chars().count() > CATEGORY_NAME_MAX_CHARS {
        return Err(CatalogError::CategoryNameInvalid);
    }
    Ok(name)
}

impl ProductDraft {
    pub fn parse(
        fields: &ProductFields<'_>,
        currency: Currency,
    ) -> Result<ProductDraft, CatalogError> {
        // Tabs and line breaks pasted from spreadsheets would break receipts and CSVs, so
        // every run of white space becomes one space.
        let name = fields.name.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            return Err(CatalogError::NameRequired);
        }
        if name.chars().count() > NAME_MAX_CHARS {
            return Err(CatalogError::NameTooLong);
        }
        let name = name.chars().filter(|c| !c.is_control()).collect::<String>();
        let price = Money::parse_price(fields.price, currency)?;
        let sku = parse_sku(fields.sku)?;
        let barcode = match fields.barcode.trim() {
            "" => None,
            code => Some(Barcode::parse(code)?),
        };
        Ok(ProductDraft {
            name,
            price,
            sku,
            barcode,
        })
    }
}

pub(crate) fn parse_sku(text: &str) -> Result<Option<String>, CatalogError> {
    let sku = text.trim();
    if sku.is_empty() {
        return Ok(None);
    }
    if sku.chars().count() > SKU_MAX_CHARS {
        return Err(CatalogError::SkuInvalid(format!(
            "Keep the SKU under {SKU_MAX_CHARS} characters."
        )));
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/');
    if !sku.chars().all(allowed) {
        return Err(CatalogError::SkuInvalid(
            "A SKU uses letters, digits and - _ . / only, with no spaces.".to_owned(),
        ));
    }
    Ok(Some(sku.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields<'a>(
        name: &'a str,
        price: &'a str,
        sku: &'a str,
        barcode: &'a str,
    ) -> ProductFields<'a> {
        ProductFields {
            name,
            price,
            sku,
            barcode,
        }
    }

    fn parse(f: ProductFields<'_>) -> Result<ProductDraft, CatalogError> {
        ProductDraft::parse(&f, Currency::INR)
    }

    #[test]
    fn a_complete_product_parses() {
        let draft = parse(fields(
            "  Silk\tsaree \n red ",
            "1,299.50",
            " SAR-001 ",
            "8901030865237",
        ))
        .expect("valid product");
        assert_eq!(
            draft.name, "Silk saree red",
            "white space is folded, not kept"
        );
        assert_eq!(draft.price.minor(), 129_950);
        assert_eq!(draft.sku.as_deref(), Some("SAR-001"));
        assert_eq!(
            draft.barcode.map(|b| b.to_string()).as_deref(),
            Some("8901030865237")
        );
    }

    #[test]
    fn sku_and_barcode_are_optional() {
        let draft = parse(fields("Tea", "10", "", "  ")).expect("valid product");
        assert_eq!((draft.sku, draft.barcode), (None, None));
    }

    #[test]
    fn each_bad_field_is_named() {
        assert_eq!(
            parse(fields(" ", "1", "", "")),
            Err(CatalogError::NameRequired)
        );
        assert_eq!(
            parse(fields(&"x".repeat(201), "1", "", "")),
            Err(CatalogError::NameTooLong)
        );
        assert_eq!(
            parse(fields("Tea", "-1", "", "")),
            Err(CatalogError::Price(MoneyError::Negative))
        );
        assert!(matches!(
            parse(fields("Tea", "ten", "", "")),
            Err(CatalogError::Price(MoneyError::NotANumber(_)))
        ));
        assert!(matches!(
            parse(fields("Tea", "1", "A B", "")),
            Err(CatalogError::SkuInvalid(_))
        ));
        assert!(matches!(
            parse(fields("Tea", "1", "", "8901030865230")),
            Err(CatalogError::Barcode(BarcodeError::WrongCheckDigit { .. }))
        ));
    }
}
