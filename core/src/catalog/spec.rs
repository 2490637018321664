//! The full product editor: a product with its options and variants, checked as a whole
//! before anything is written. Every error names the field it belongs beside, as a path
//! such as `variants.1.price`.

use std::collections::HashSet;

use uuid::Uuid;

use super::{parse_sku, CatalogError, ProductStatus, DESCRIPTION_MAX_CHARS, NAME_MAX_CHARS};
use crate::barcode::Barcode;
use crate::money::{Currency, Money};

pub const MAX_OPTIONS: usize = 3;
const OPTION_NAME_MAX_CHARS: usize = 40;
const OPTION_VALUE_MAX_CHARS: usize = 60;

/// A catalog error at a field of the editor.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{error}")]
pub struct SpecError {
    /// `name`, `hsn_code`, `option_names.0`, `variants.2.sku`, …
    pub field: String,
    pub error: CatalogError,
}

/// The editor's fields exactly as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProductForm {
    pub name: String,
    pub description: String,
    pub category_id: Option<Uuid>,
    pub tax_class: String,
    pub hsn_code: String,
    pub status: Option<ProductStatus>,
    pub show_on_storefront: bool,
    pub option_names: Vec<String>,
    pub variants: Vec<VariantForm>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VariantForm {
    /// Set when editing a variant that exists.
    pub id: Option<Uuid>,
    pub option_values: Vec<String>,
    pub sku: String,
    pub price: String,
    pub cost: String,
    pub barcodes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductSpec {
    pub name: String,
    pub description: String,
    pub category_id: Option<Uuid>,
    pub tax_class: Option<String>,
    pub hsn_code: Option<String>,
    pub status: ProductStatus,
    pub show_on_storefront: bool,
    pub option_names: Vec<String>,
    pub variants: Vec<VariantSpec>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariantSpec {
    pub id: Option<Uuid>,
    pub option_values: Vec<String>,
    pub sku: Option<String>,
    pub price: Money,
    pub cost: Option<Money>,
    pub barcodes: Vec<Barcode>,
}

fn fold(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn optional(text: &str) -> Option<String> {
    let folded = fold(text);
    (!folded.is_empty()).then_some(folded)
}

impl ProductSpec {
    pub fn parse(form: &ProductForm, currency: Currency) -> Result<ProductSpec, CatalogError> {
        let name = fold(&form.name);
        if name.is_empty() {
            return Err(CatalogError::NameRequired.at("name"));
        }
        if name.chars().count() > NAME_MAX_CHARS {
            return Err(CatalogError::NameTooLong.at("name"));
        }
        // Descriptions keep their line breaks; only the ends are trimmed.
        let description = form.description.trim().to_owned();
        if description.chars().count() > DESCRIPTION_MAX_CHARS {
            return Err(CatalogError::DescriptionTooLong.at("description"));
        }
        let hsn_code = optional(&form.hsn_code);
        if let Some(hsn) = &hsn_code {
            let digits = hsn.bytes().all(|b| b.is_ascii_digit());
            if !digits || ![4, 6, 8].contains(&hsn.len()) {
                return Err(CatalogError::HsnInvalid.at("hsn_code"));
            }
        }
        let option_names = parse_option_names(&form.option_names)?;
        if form.variants.is_empty() {
            return Err(CatalogError::NoVariants.at("variants"));
        }
        let mut variants = Vec::with_capacity(form.variants.len());
        let mut combinations = HashSet::new();
        let mut skus = HashSet::new();
        let mut codes = HashSet::new();
        for (i, variant) in form.variants.iter().enumerate() {
            let at = |field: &str| format!("variants.{i}.{field}");
            let option_values = parse_option_values(&option_names, &variant.option_values, i)?;
            let combination = option_values.join(" / ").to_lowercase();
            if !combinations.insert(combination) {
                let shown = if option_values.is_empty() {
                    "the same".to_owned()
                } else {
                    option_values.join(" / ")
                };
                return Err(CatalogError::VariantRepeated(shown).at(at("options")));
            }
            let sku = parse_sku(&variant.sku).map_err(|e| e.at(at("sku")))?;
            if let Some(sku) = &sku {
                if !skus.insert(sku.to_lowercase()) {
                    return Err(CatalogError::SkuRepeated(sku.clone()).at(at("sku")));
                }
            }
            let price = Money::parse_price(&variant.price, currency)
                .map_err(|e| CatalogError::Price(e).at(at("price")))?;
            let cost = match variant.cost.trim() {
                "" => None,
                text => Some(
                    Money::parse_price(text, currency)
                        .map_err(|e| CatalogError::Cost(e).at(at("cost")))?,
                ),
            };
            let mut barcodes = Vec::new();
            for (j, code) in variant.barcodes.iter().enumerate() {
                if code.trim().is_empty() {
                    continue;
                }
                let barcode = Barcode::parse(code).map_err(|e| {
                    CatalogError::Barcode(e).at(format!("variants.{i}.barcodes.{j}"))
                })?;
                if !codes.insert(barcode.to_string()) {
                    return Err(CatalogError::BarcodeRepeated(barcode.to_string())
                        .at(format!("variants.{i}.barcodes.{j}")));
                }
                barcodes.push(barcode);
            }
            variants.push(VariantSpec {
                id: variant.id,
                option_values,
                sku,
                price,
                cost,
                barcodes,
            });
        }
        Ok(ProductSpec {
            name,
            description,
            category_id: form.category_id,
            tax_class: optional(&form.tax_class),
            hsn_code,
            status: form.status.unwrap_or(ProductStatus::Active),
            show_on_storefront: form.show_on_storefront,
            option_names,
            variants,
        })
    }
}

fn parse_option_names(names: &[String]) -> Result<Vec<String>, CatalogError> {
    if names.len() > MAX_OPTIONS {
        return Err(CatalogError::TooManyOptions.at("option_names"));
    }
    let mut seen = HashSet::new();
    let mut parsed = Vec::with_capacity(names.len());
    for (i, name) in names.iter().enumerate() {
        let name = fold(name);
        if name.is_empty() || name.chars().count() > OPTION_NAME_MAX_CHARS {
            return Err(CatalogError::OptionNameInvalid.at(format!("option_names.{i}")));
        }
        if !seen.insert(name.to_lowercase()) {
            return Err(CatalogError::OptionNameRepeated(name).at(format!("option_names.{i}")));
        }
        parsed.push(name);
    }
    Ok(parsed)
}

fn parse_option_values(
    names: &[String],
    values: &[String],
    variant: usize,
) -> Result<Vec<String>, CatalogError> {
    let mut parsed = Vec::with_capacity(names.len());
    for (j, name) in names.iter().enumerate() {
        let value = values.get(j).map(|v| fold(v)).unwrap_or_default();
        if value.is_empty() || value.chars().count() > OPTION_VALUE_MAX_CHARS {
            return Err(CatalogError::OptionValueMissing(name.clone())
                .at(format!("variants.{variant}.option_values.{j}")));
        }
        parsed.push(value);
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn variant(values: &[&str], sku: &str, price: &str) -> VariantForm {
        VariantForm {
            option_values: values.iter().map(|v| (*v).to_owned()).collect(),
            sku: sku.to_owned(),
            price: price.to_owned(),
            ..VariantForm::default()
        }
    }

    fn kurta() -> ProductForm {
        ProductForm {
            name: "Cotton kurta".into(),
            hsn_code: "6211".into(),
            option_names: vec!["Size".into(), "Colour".into()],
            variants: vec![
                variant(&["M", "Blue"], "KUR-M-B", "899"),
                variant(&["L", "Blue"], "KUR-L-B", "949.50"),
            ],
            ..ProductForm::default()
        }
    }

    fn field_of(result: Result<ProductSpec, CatalogError>) -> String {
        match result {
            Err(CatalogError::Invalid(e)) => e.field,
            other => panic!("expected a field error, got {other:?}"),
        }
    }

    #[test]
    fn a_product_with_two_variants_parses() {
        let spec = ProductSpec::parse(&kurta(), Currency::INR).expect("valid");
        assert_eq!(spec.option_names, ["Size", "Colour"]);
        assert_eq!(spec.variants[1].price.minor(), 94_950);
        assert_eq!(spec.variants[0].option_values, ["M", "Blue"]);
        assert_eq!(spec.status, ProductStatus::Active);
    }

    #[test]
    fn errors_name_the_field_they_belong_to() {
        let mut form = kurta();
        form.variants[1].option_values = vec!["m".into(), "blue".into()];
        assert_eq!(
            field_of(ProductSpec::parse(&form, Currency::INR)),
            "variants.1.options"
        );

        let mut form = kurta();
        form.variants[1].sku = "kur-m-b".into();
        assert_eq!(
            field_of(ProductSpec::parse(&form, Currency::INR)),
            "variants.1.sku"
        );

        let mut form = kurta();
        form.variants[0].price = "abc".into();
        assert_eq!(
            field_of(ProductSpec::parse(&form, Currency::INR)),
            "variants.0.price"
        );

        let mut form = kurta();
        form.variants[1].cost = "-3".into();
        assert_eq!(
            field_of(ProductSpec::parse(&form, Currency::INR)),
            "variants.1.cost"
        );

        let mut form = kurta();
        form.variants[0].barcodes = vec!["4006381333931".into(), "4006381333932".into()];
        assert_eq!(
            field_of(ProductSpec::parse(&form, Currency::INR)),
            "variants.0.barcodes.1"
        );

        let mut form = kurta();
        form.variants[1].option_values = vec!["L".into()];
        assert_eq!(
            field_of(ProductSpec::parse(&form, Currency::INR)),
            "variants.1.option_values.1"
        );

        let mut form = kurta();
        form.option_names = vec!["Size".into(), "size".into()];
        assert_eq!(
            field_of(ProductSpec::parse(&form, Currency::INR)),
            "option_names.1"
        );

        let mut form = kurta();
        form.hsn_code = "62A1".into();
        assert_eq!(
            field_of(ProductSpec::parse(&form, Currency::INR)),
            "hsn_code"
        );

        let mut form = kurta();
        form.variants.clear();
        assert_eq!(
            field_of(ProductSpec::parse(&form, Currency::INR)),
            "variants"
        );

        let mut form = kurta();
        form.name = " \t ".into();
        assert_eq!(field_of(ProductSpec::parse(&form, Currency::INR)), "name");
    }

    #[test]
    fn a_product_without_options_has_one_plain_variant() {
        let form = ProductForm {
            name: "Assam tea 250 g".into(),
            variants: vec![variant(&[], "TEA-250", "180")],
            ..ProductForm::default()
        };
        let spec = ProductSpec::parse(&form, Currency::INR).expect("valid");
        assert!(spec.option_names.is_empty() && spec.variants[0].option_values.is_empty());
        let mut twice = form.clone();
        twice.variants.push(variant(&[], "TEA-500", "340"));
        assert_eq!(
            field_of(ProductSpec::parse(&twice, Currency::INR)),
            "variants.1.options"
        );
    }
}
