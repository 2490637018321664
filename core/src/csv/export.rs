//! The catalog as CSV text: one row per active variant, every column filled in on
//! every row (so rows can be sorted and filtered in a spreadsheet), in a fixed order,
//! so exporting twice gives the same bytes and importing the export changes nothing.

use std::collections::HashMap;

use uuid::Uuid;

use super::columns::Column;
use super::paths::CategoryPaths;
use super::rows::guard_formula;
use crate::catalog::{Product, Variant};
use crate::money::Money;
use crate::quantity::Quantity;

/// Spreadsheets on Windows read a CSV without it as the local 8-bit code page and
/// garble every non-English letter and the rupee sign.
const UTF8_BOM: &str = "\u{feff}";

/// `products` in the order given. `on_hand` fills opening_stock (blank where absent);
/// the cost column is written only `with_cost`.
pub fn export_catalog(
    products: &[Product],
    categories: &CategoryPaths,
    on_hand: &HashMap<Uuid, Quantity>,
    with_cost: bool,
) -> String {
    let columns: Vec<Column> = Column::ALL
        .into_iter()
        .filter(|c| with_cost || *c != Column::Cost)
        .collect();
    let mut out = String::from(UTF8_BOM);
    write_record(&mut out, columns.iter().map(|c| c.name().to_owned()));
    for product in products {
        for variant in &product.variants {
            let cells = columns
                .iter()
                .map(|c| cell(*c, product, variant, categories, on_hand));
            write_record(&mut out, cells);
        }
    }
    out
}

fn cell(
    column: Column,
    product: &Product,
    variant: &Variant,
    categories: &CategoryPaths,
    on_hand: &HashMap<Uuid, Quantity>,
) -> String {
    let option = |names: &[String], i: usize| names.get(i).cloned().unwrap_or_default();
    let text = match column {
        Column::ProductId => product.id.to_string(),
        // Rows of a product already in the store are grouped by product_id.
        Column::Handle => String::new(),
        Column::VariantId => variant.id.to_string(),
        Column::Name => product.name.clone(),
        Column::Description => product.description.clone(),
        Column::Category => product
            .category_id
            .and_then(|id| categories.path(id))
            .unwrap_or_default()
            .to_owned(),
        Column::Status => product.status.as_str().to_owned(),
        Column::ShowOnStorefront => if product.show_on_storefront {
            "yes"
        } else {
            "no"
        }
        .to_owned(),
        Column::TaxClass => product.tax_class.clone().unwrap_or_default(),
        Column::HsnCode => product.hsn_code.clone().unwrap_or_default(),
        Column::Option1Name => option(&product.option_names, 0),
        Column::Option2Name => option(&product.option_names, 1),
        Column::Option3Name => option(&product.option_names, 2),
        Column::Option1Value => option(&variant.option_values, 0),
        Column::Option2Value => option(&variant.option_values, 1),
        Column::Option3Value => option(&variant.option_values, 2),
        Column::Sku => variant.sku.clone().unwrap_or_default(),
        Column::Barcodes => variant.barcodes.join(" "),
        Column::Price => amount_text(variant.price),
        Column::Cost => variant.cost.map(amount_text).unwrap_or_default(),
        Column::OpeningStock => on_hand
            .get(&variant.id)
            .map(Quantity::to_string)
            .unwrap_or_default(),
    };
    if column.is_text() {
        guard_formula(&text)
    } else {
        text
    }
}

/// An amount as a plain decimal in the major unit ("1299.50"): no currency, no digit
/// grouping, so a spreadsheet reads it as a number and the import reads it back.
pub(crate) fn amount_text(money: Money) -> String {
    let exponent = u32::from(money.currency().exponent());
    let sign = if money.minor() < 0 { "-" } else { "" };
    let abs = money.minor().unsigned_abs();
    if exponent == 0 {
        return format!("{sign}{abs}");
    }
    let scale = 10u64.pow(exponent);
    let width = exponent as usize;
    format!("{sign}{}.{:0width$}", abs / scale, abs % scale)
}

/// RFC 4180: a cell with a comma, quote or line break is quoted, quotes doubled;
/// rows end in CRLF.
fn write_record(out: &mut String, cells: impl Iterator<Item = String>) {
    for (i, cell) in cells.enumerate() {
        if i > 0 {
            out.push(',');
        }
        if cell.contains([',', '"', '\r', '\n']) {
            out.push('"');
            out.push_str(&cell.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&cell);
        }
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Currency;

    #[test]
    fn amounts_are_plain_decimals_that_the_price_parser_reads_back() {
        for (code, minor, text) in [
            ("INR", 129_950, "1299.50"),
            ("INR", 5, "0.05"),
            ("INR", 0, "0.00"),
            ("JPY", 1200, "1200"),
            ("KWD", 1_500, "1.500"),
        ] {
            let currency = Currency::from_code(code).expect("known currency");
            let money = Money::from_minor(minor, currency);
            assert_eq!(amount_text(money), text);
            assert_eq!(Money::parse_price(text, currency), Ok(money));
        }
    }

    #[test]
    fn cells_are_quoted_only_when_they_must_be() {
        let mut out = String::new();
        let cells = ["plain", "a,b", "say \"hi\"", "two\nlines", ""];
        write_record(&mut out, cells.iter().map(|c| (*c).to_owned()));
        assert_eq!(out, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\r\n");
    }
}
