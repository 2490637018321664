//! A whole file into products: rows read and checked, grouped by product (its
//! product_id, or the handle of a new one), with the checks that span rows: rows of
//! one product agree, and no SKU, barcode or variant id is on two rows.

use std::collections::HashMap;

use uuid::Uuid;

use super::columns::{Column, Header};
use super::paths;
use super::read::read;
use super::report::{quoted, RowProblem};
use super::rows::{parse_row, Row};
use crate::money::Currency;

pub(crate) struct ParsedFile {
    pub groups: Vec<ProductRows>,
    pub problems: Vec<RowProblem>,
    /// Rows below the header that held anything.
    pub rows: usize,
}

/// The rows of one product, in file order.
pub(crate) struct ProductRows {
    pub product_id: Option<Uuid>,
    pub rows: Vec<Row>,
}

impl ProductRows {
    /// Every row read without a problem, so the product can be built and checked.
    pub(crate) fn clean(&self) -> bool {
        self.rows.iter().all(|r| r.clean)
    }

    pub(crate) fn first_row(&self) -> u32 {
        self.rows.first().map_or(1, |r| r.row)
    }
}

#[derive(Hash, PartialEq, Eq)]
enum Key {
    Product(Uuid),
    Handle(String),
}

pub(crate) fn parse_file(bytes: &[u8], currency: Currency) -> ParsedFile {
    let failed = |problems| ParsedFile {
        groups: Vec::new(),
        problems,
        rows: 0,
    };
    let table = match read(bytes) {
        Ok(table) => table,
        Err(problem) => return failed(vec![problem]),
    };
    let header = match Header::parse(&table.header) {
        Ok(header) => header,
        Err(problems) => return failed(problems),
    };
    let mut problems = Vec::new();
    let filled = table
        .records
        .iter()
        .filter(|r| r.cells.iter().any(|c| !c.trim().is_empty()))
        .count();
    let mut rows: Vec<Row> = table
        .records
        .iter()
        .filter_map(|r| parse_row(&header, r, currency, &mut problems))
        .collect();
    if filled == 0 {
        problems.push(RowProblem::file(
            "There are no rows below the header. Add one row per product variant.",
        ));
    }
    check_ids(&mut rows, &mut problems);
    check_unique(&mut rows, &mut problems);
    let mut groups = group(rows);
    for group in &mut groups {
        check_agreement(group, &mut problems);
    }
    ParsedFile {
        groups,
        problems,
        rows: filled,
    }
}

/// Rows of products the store has carry their product_id; rows of a new product share
/// a handle; a row with neither is a product of its own.
fn group(rows: Vec<Row>) -> Vec<ProductRows> {
    let mut groups: Vec<ProductRows> = Vec::new();
    let mut index: HashMap<Key, usize> = HashMap::new();
    for row in rows {
        let key = match (row.product_id, &row.handle) {
            (Some(id), _) => Some(Key::Product(id)),
            (None, Some(handle)) => Some(Key::Handle(handle.clone())),
            (None, None) => None,
        };
        let existing = key.as_ref().and_then(|k| index.get(k).copied());
        match existing {
            Some(i) => groups[i].rows.push(row),
            None => {
                if let Some(key) = key {
                    index.insert(key, groups.len());
                }
                groups.push(ProductRows {
                    product_id: row.product_id,
                    rows: vec![row],
                });
            }
        }
    }
    groups
}

fn check_ids(rows: &mut [Row], problems: &mut Vec<RowProblem>) {
    let mut variant_rows: HashMap<Uuid, u32> = HashMap::new();
    for row in rows.iter_mut() {
        if row.product_id.is_some() && row.handle.is_some() {
            row.clean = false;
            problems.push(RowProblem::at(
                row.row,
                Some(Column::Handle.name()),
                "Leave handle blank on a row with a product_id: a handle only groups the rows of a new product.",
            ));
        }
        let Some(variant) = row.variant_id else {
            continue;
        };
        if row.product_id.is_none() && row.clean {
            row.clean = false;
            problems.push(RowProblem::at(
                row.row,
                Some(Column::VariantId.name()),
                "This row has a variant_id but no product_id. Copy both from an export, or leave both blank for a new product.",
            ));
        }
        if let Some(first) = variant_rows.insert(variant, row.row) {
            row.clean = false;
            problems.push(RowProblem::at(
                row.row,
                Some(Column::VariantId.name()),
                format!("This variant is also on row {first}. Keep one row per variant."),
            ));
        }
    }
}

/// A SKU or barcode on two rows of the file: the store allows each on one variant.
fn check_unique(rows: &mut [Row], problems: &mut Vec<RowProblem>) {
    let mut skus: HashMap<String, u32> = HashMap::new();
    let mut codes: HashMap<String, u32> = HashMap::new();
    for row in rows.iter_mut() {
        if let Some(Some(sku)) = &row.sku {
            // SKUs are unique regardless of case, as in the store.
            if let Some(first) = skus.insert(sku.to_lowercase(), row.row) {
                row.clean = false;
                problems.push(RowProblem::at(
                    row.row,
                    Some(Column::Sku.name()),
                    format!("SKU {sku} is also on row {first}. Each variant needs its own SKU."),
                ));
            }
        }
        for code in row.barcodes.iter().flatten() {
            if let Some(first) = codes.insert(code.as_str().to_owned(), row.row) {
                row.clean = false;
                let message = if first == row.row {
                    format!(
                        "Barcode {code} is in this cell twice.",
                        code = code.as_str()
                    )
                } else {
                    format!(
                        "Barcode {code} is also on row {first}. A barcode belongs to one variant.",
                        code = code.as_str()
                    )
                };
                problems.push(RowProblem::at(
                    row.row,
                    Some(Column::Barcodes.name()),
                    message,
                ));
            }
        }
    }
}

/// The first row of a product says its name, category and the rest; a later row may
/// repeat them or leave them blank, but not say something else.
fn check_agreement(group: &mut ProductRows, problems: &mut Vec<RowProblem>) {
    let Some((first, later)) = group.rows.split_first_mut() else {
        return;
    };
    for row in later {
        for (column, text) in &row.product {
            let said = first.product.get(column).map_or("", String::as_str);
            let same = match column {
                Column::Category => paths::key(text) == paths::key(said),
                _ => text == said,
            };
            if text.is_empty() || same {
                continue;
            }
            row.clean = false;
            let first_says = if said.is_empty() {
                "leaves it blank".to_owned()
            } else {
                format!("says {}", quoted(said))
            };
            problems.push(RowProblem::at(
                row.row,
                Some(column.name()),
                format!(
                    "{} differs from row {}, the first row of this product, which {first_says}. Rows of one product must agree: repeat the value or leave the cell blank.",
                    quoted(text),
                    first.row
                ),
            ));
        }
    }
}
