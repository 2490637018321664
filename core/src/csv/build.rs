//! The rows of one product into the editor's `ProductForm`, checked by
//! `ProductSpec::parse` so an import obeys every rule the product editor does. A
//! column the file leaves out keeps what the store holds; the variants of an existing
//! product that the file leaves out are kept as they are, in their place, and new
//! variants go after them.

use std::collections::HashMap;

use uuid::Uuid;

use super::columns::Column;
use super::export::amount_text;
use super::group::ProductRows;
use super::paths::{CategoryPaths, Resolved};
use super::report::{quoted, RowProblem};
use super::rows::Row;
use crate::catalog::{
    CatalogError, Product, ProductForm, ProductSpec, ProductStatus, SpecError, Variant,
    VariantForm, MAX_OPTIONS,
};
use crate::money::Currency;
use crate::quantity::Quantity;

/// A product as the file wants it, with where each of its variants came from.
#[derive(Debug, Clone)]
pub(crate) struct BuiltProduct {
    pub spec: ProductSpec,
    pub first_row: u32,
    /// The row of each variant of `spec`, in order; `None` for an existing variant
    /// that the file leaves out.
    pub variant_rows: Vec<Option<u32>>,
    /// The opening_stock cell of each variant of `spec`, in order.
    pub opening_stock: Vec<Option<Quantity>>,
}

/// `current` is the product the rows' product_id names (`None` for a new product);
/// the caller has made sure it exists.
pub(crate) fn build_product(
    group: &ProductRows,
    current: Option<&Product>,
    categories: &CategoryPaths,
    currency: Currency,
) -> Result<BuiltProduct, Vec<RowProblem>> {
    let Some(first) = group.rows.first() else {
        return Err(vec![RowProblem::file("A product without rows.")]);
    };
    let mut problems = Vec::new();
    let mut form = match current {
        Some(product) => form_of(product),
        None => ProductForm::default(),
    };
    product_cells(first, current, categories, &mut form, &mut problems);
    let (variant_rows, opening_stock) = variant_forms(group, current, &mut form, &mut problems);
    check_option_values(group, &form, &mut problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    match ProductSpec::parse(&form, currency) {
        Ok(spec) => Ok(BuiltProduct {
            spec,
            first_row: first.row,
            variant_rows,
            opening_stock,
        }),
        Err(CatalogError::Invalid(e)) => {
            let mut problem = locate(&e, first.row, &variant_rows, &form);
            if matches!(e.error, CatalogError::VariantRepeated(_)) && form.option_names.is_empty() {
                problem.message = one_variant_only(current.is_some()).to_owned();
            }
            Err(vec![problem])
        }
        Err(e) => Err(vec![RowProblem::at(first.row, None, e.to_string())]),
    }
}

/// The slips behind two variants of a product without options: a product_id copied
/// without its variant_id, or one handle on rows meant as separate products.
fn one_variant_only(existing: bool) -> &'static str {
    if existing {
        "This product has no options (such as Size), so it has one variant only. To change that variant, copy its variant_id into this row; to add variants, name an option in option1_name."
    } else {
        "Rows with the same handle make one product, and without options (such as Size) a product has one variant only. Name an option in option1_name, or give the rows different handles."
    }
}

/// The product's variants in order: the existing ones in their place (updated by the
/// row that names them, or as they are), then the file's new ones. Gives each one's
/// row and opening_stock cell.
fn variant_forms(
    group: &ProductRows,
    current: Option<&Product>,
    form: &mut ProductForm,
    problems: &mut Vec<RowProblem>,
) -> (Vec<Option<u32>>, Vec<Option<Quantity>>) {
    let by_variant: HashMap<Uuid, &Row> = group
        .rows
        .iter()
        .filter_map(|r| r.variant_id.map(|id| (id, r)))
        .collect();
    let existing: &[Variant] = current.map_or(&[], |p| &p.variants);
    for row in group.rows.iter().filter(|r| r.variant_id.is_some()) {
        if current.is_some() && !existing.iter().any(|v| Some(v.id) == row.variant_id) {
            problems.push(RowProblem::at(
                row.row,
                Some(Column::VariantId.name()),
                "This is not one of this product's variants (it may have been archived). Leave variant_id blank to add it as a new variant.",
            ));
        }
    }
    let mut rows = Vec::new();
    let mut opening_stock = Vec::new();
    for variant in existing {
        let row = by_variant.get(&variant.id);
        form.variants.push(match row {
            Some(row) => variant_form(row, Some(variant)),
            None => unchanged_variant(variant),
        });
        rows.push(row.map(|r| r.row));
        opening_stock.push(row.and_then(|r| r.opening_stock));
    }
    for row in group.rows.iter().filter(|r| r.variant_id.is_none()) {
        form.variants.push(variant_form(row, None));
        rows.push(Some(row.row));
        opening_stock.push(row.opening_stock);
    }
    (rows, opening_stock)
}

/// The editor only reads as many values as there are option names; a value beyond
/// them would be dropped without a word, so it is an error here.
fn check_option_values(group: &ProductRows, form: &ProductForm, problems: &mut Vec<RowProblem>) {
    for row in &group.rows {
        for (j, value) in row.option_values.iter().enumerate() {
            let filled = value.as_deref().is_some_and(|v| !v.is_empty());
            if filled && j >= form.option_names.len() {
                problems.push(RowProblem::at(
                    row.row,
                    Some(Column::OPTION_VALUES[j].name()),
                    format!(
                        "This product has no option{n}_name, so option{n}_value has nothing to be a value of. Name the option (such as Size) on the product's first row, or leave this cell blank.",
                        n = j + 1
                    ),
                ));
            }
        }
    }
}

/// The first row's product-level cells over what the form holds.
fn product_cells(
    first: &Row,
    current: Option<&Product>,
    categories: &CategoryPaths,
    form: &mut ProductForm,
    problems: &mut Vec<RowProblem>,
) {
    let cell = |column: Column| first.product.get(&column).map(String::as_str);
    if let Some(name) = cell(Column::Name) {
        form.name = name.to_owned();
    }
    if let Some(description) = cell(Column::Description) {
        form.description = description.to_owned();
    }
    if let Some(tax_class) = cell(Column::TaxClass) {
        form.tax_class = tax_class.to_owned();
    }
    if let Some(hsn) = cell(Column::HsnCode) {
        form.hsn_code = hsn.to_owned();
    }
    // Blank status or storefront cells keep what the product has (a new product is
    // active and off the storefront, as in the editor).
    if let Some(status) = cell(Column::Status).and_then(ProductStatus::parse) {
        form.status = Some(status);
    }
    match cell(Column::ShowOnStorefront) {
        Some("yes") => form.show_on_storefront = true,
        Some("no") => form.show_on_storefront = false,
        _ => {}
    }
    if let Some(path) = cell(Column::Category) {
        form.category_id = category(path, first.row, current, categories, problems);
    }
    let mut names: Vec<Option<String>> = (0..MAX_OPTIONS)
        .map(|i| form.option_names.get(i).cloned())
        .collect();
    for (i, column) in Column::OPTION_NAMES.into_iter().enumerate() {
        if let Some(name) = cell(column) {
            names[i] = (!name.is_empty()).then(|| name.to_owned());
        }
    }
    let given = names.iter().take_while(|n| n.is_some()).count();
    if let Some(gap) = names.iter().skip(given).position(Option::is_some) {
        let n = given + gap + 1;
        problems.push(RowProblem::at(
            first.row,
            Some(Column::OPTION_NAMES[n - 1].name()),
            format!(
                "option{n}_name is filled but option{}_name is blank. Fill the options in order, starting with option1_name.",
                given + 1
            ),
        ));
    }
    form.option_names = names.into_iter().map_while(|n| n).collect();
}

fn category(
    path: &str,
    row: u32,
    current: Option<&Product>,
    categories: &CategoryPaths,
    problems: &mut Vec<RowProblem>,
) -> Option<Uuid> {
    if path.is_empty() {
        return None;
    }
    let column = Some(Column::Category.name());
    match categories.resolve(path) {
        Resolved::Active(id) => Some(id),
        // A product left in an archived category may stay there; none may move in.
        Resolved::Archived(id) if current.and_then(|p| p.category_id) == Some(id) => Some(id),
        Resolved::Archived(_) => {
            problems.push(RowProblem::at(
                row,
                column,
                format!(
                    "The category {} has been archived. Choose an active category.",
                    quoted(path)
                ),
            ));
            None
        }
        Resolved::Unknown => {
            let similar = categories.similar(path);
            let hint = if similar.is_empty() {
                "Check the spelling, write it from the top as Parent > Child, or create the category in the app first.".to_owned()
            } else {
                format!(
                    "Did you mean {}? Write it from the top as Parent > Child.",
                    similar
                        .iter()
                        .map(|p| format!("\"{p}\""))
                        .collect::<Vec<_>>()
                        .join(" or ")
                )
            };
            problems.push(RowProblem::at(
                row,
                column,
                format!(
                    "There is no category {}. {hint} An import does not create categories.",
                    quoted(path)
                ),
            ));
            None
        }
    }
}

/// The form that would leave `product` as it is.
fn form_of(product: &Product) -> ProductForm {
    ProductForm {
        name: product.name.clone(),
        description: product.description.clone(),
        category_id: product.category_id,
        tax_class: product.tax_class.clone().unwrap_or_default(),
        hsn_code: product.hsn_code.clone().unwrap_or_default(),
        status: Some(product.status),
        show_on_storefront: product.show_on_storefront,
        option_names: product.option_names.clone(),
        variants: Vec::new(),
    }
}

fn unchanged_variant(variant: &Variant) -> VariantForm {
    VariantForm {
        id: Some(variant.id),
        option_values: variant.option_values.clone(),
        sku: variant.sku.clone().unwrap_or_default(),
        price: amount_text(variant.price),
        cost: variant.cost.map(amount_text).unwrap_or_default(),
        barcodes: variant.barcodes.clone(),
    }
}

/// A row over the variant it names (or over nothing, for a new variant).
fn variant_form(row: &Row, existing: Option<&Variant>) -> VariantForm {
    let kept = existing.map(unchanged_variant).unwrap_or_default();
    let option_values = (0..MAX_OPTIONS)
        .map(|j| match &row.option_values[j] {
            Some(value) => value.clone(),
            None => kept.option_values.get(j).cloned().unwrap_or_default(),
        })
        .collect();
    VariantForm {
        id: kept.id,
        option_values,
        sku: match &row.sku {
            Some(sku) => sku.clone().unwrap_or_default(),
            None => kept.sku,
        },
        price: row.price.map(amount_text).unwrap_or_default(),
        cost: match row.cost {
            Some(cost) => cost.map(amount_text).unwrap_or_default(),
            None => kept.cost,
        },
        barcodes: match &row.barcodes {
            Some(codes) => codes.iter().map(|b| b.as_str().to_owned()).collect(),
            None => kept.barcodes,
        },
    }
}

/// An editor error (`variants.1.sku`) at the row and column it came from.
fn locate(
    e: &SpecError,
    first_row: u32,
    variant_rows: &[Option<u32>],
    form: &ProductForm,
) -> RowProblem {
    let message = e.error.to_string();
    let parts: Vec<&str> = e.field.split('.').collect();
    let index = |text: &str| text.parse::<usize>().ok();
    let column = match parts.as_slice() {
        ["category_id"] => Some(Column::Category),
        ["option_names"] => Some(Column::Option1Name),
        ["option_names", i] => index(i).and_then(|i| Column::OPTION_NAMES.get(i).copied()),
        ["variants", _, rest @ ..] => match rest {
            [] => Some(Column::VariantId),
            ["option_values", j] => index(j).and_then(|j| Column::OPTION_VALUES.get(j).copied()),
            ["sku"] => Some(Column::Sku),
            ["price"] => Some(Column::Price),
            ["cost"] => Some(Column::Cost),
            ["barcodes", ..] => Some(Column::Barcodes),
            _ => None,
        },
        [field] => Column::ALL.into_iter().find(|c| c.name() == *field),
        _ => None,
    };
    let column = column.map(Column::name);
    let ["variants", i, ..] = parts.as_slice() else {
        return RowProblem::at(first_row, column, message);
    };
    let i = index(i).unwrap_or(usize::MAX);
    match variant_rows.get(i).copied().flatten() {
        Some(row) => RowProblem::at(row, column, message),
        None => {
            // A variant the file leaves out: say which one, at the product's first row.
            let label = form.variants.get(i).map_or_else(String::new, |v| {
                if v.sku.is_empty() {
                    v.option_values.join(" / ")
                } else {
                    format!("SKU {}", v.sku)
                }
            });
            RowProblem::at(
                first_row,
                column,
                format!("A variant of this product that is not in the file ({label}): {message}"),
            )
        }
    }
}
