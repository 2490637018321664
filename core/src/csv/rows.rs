//! One CSV row into typed cells, with a problem for every cell that cannot be read.
//! Only what a single cell can show is checked here; rules over a whole product come
//! from `ProductSpec::parse` (see `build`).

use std::collections::BTreeMap;

use uuid::Uuid;

use super::columns::{Column, Header};
use super::read::Record;
use super::report::{quoted, RowProblem};
use super::MAX_CELL_BYTES;
use crate::barcode::Barcode;
use crate::catalog::{parse_sku, ProductStatus};
use crate::money::{Currency, Money, MoneyError};
use crate::quantity::Quantity;

/// A variant's row. For each optional column, `None` means the file has no such
/// column, which keeps what the store holds; a blank cell in a column that is there
/// is a value (no cost, no barcodes).
#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub row: u32,
    pub product_id: Option<Uuid>,
    /// Folded and lower-cased: rows of one new product share it.
    pub handle: Option<String>,
    pub variant_id: Option<Uuid>,
    /// The product-level cells of the columns the file has, as text; status and
    /// show_on_storefront in their one spelling, so rows that agree compare equal.
    pub product: BTreeMap<Column, String>,
    pub option_values: [Option<String>; 3],
    pub sku: Option<Option<String>>,
    pub barcodes: Option<Vec<Barcode>>,
    /// `None` only when the cell could not be read (a problem says so).
    pub price: Option<Money>,
    pub cost: Option<Option<Money>>,
    pub opening_stock: Option<Quantity>,
    /// No cell of this row had a problem.
    pub clean: bool,
}

/// The row's cells, or `None` for a row with nothing in it (spreadsheets leave those
/// at the end).
pub(super) fn parse_row(
    header: &Header,
    record: &Record,
    currency: Currency,
    problems: &mut Vec<RowProblem>,
) -> Option<Row> {
    if record.cells.iter().all(|c| c.trim().is_empty()) {
        return None;
    }
    if record.cells.len() != header.width() {
        problems.push(RowProblem::at(
            record.row,
            None,
            format!(
                "This row has {} cells but the header has {}. A cell with a comma in it needs quotes around it.",
                record.cells.len(),
                header.width()
            ),
        ));
        return None;
    }
    let mut cells = Cells {
        header,
        record,
        currency,
        problems,
        clean: true,
    };
    let product_id = cells.id(Column::ProductId, "product");
    let variant_id = cells.id(Column::VariantId, "variant");
    let handle = cells
        .text(Column::Handle)
        .filter(|h| !h.is_empty())
        .map(|h| h.to_lowercase());
    let mut product = BTreeMap::new();
    for column in Column::ALL.into_iter().filter(|c| c.is_product_level()) {
        let value = match column {
            Column::Status => cells.status(),
            Column::ShowOnStorefront => cells.yes_no(),
            _ => cells.text(column),
        };
        if let Some(value) = value {
            product.insert(column, value);
        }
    }
    let option_values = Column::OPTION_VALUES.map(|c| cells.text(c));
    let sku = cells.sku();
    let barcodes = cells.barcodes();
    let found = cells.problems.len();
    let price = cells.money(Column::Price, "price").flatten();
    if price.is_none() && cells.problems.len() == found {
        cells.problem(Column::Price, "Enter a price, such as 1299.50.");
    }
    let cost = cells.money(Column::Cost, "cost");
    let opening_stock = cells.opening_stock();
    let clean = cells.clean;
    Some(Row {
        row: record.row,
        product_id,
        handle,
        variant_id,
        product,
        option_values,
        sku,
        barcodes,
        price,
        cost,
        opening_stock,
        clean,
    })
}

struct Cells<'a> {
    header: &'a Header,
    record: &'a Record,
    currency: Currency,
    problems: &'a mut Vec<RowProblem>,
    clean: bool,
}

impl Cells<'_> {
    fn problem(&mut self, column: Column, message: impl Into<String>) {
        self.clean = false;
        self.problems.push(RowProblem::at(
            self.record.row,
            Some(column.name()),
            message,
        ));
    }

    /// The cell trimmed, with the export's formula guard taken off; `None` when the
    /// file has no such column. Runs of white space are folded except in descriptions,
    /// which keep their line breaks.
    fn text(&mut self, column: Column) -> Option<String> {
        let raw = self.header.cell(&self.record.cells, column)?;
        if raw.len() > MAX_CELL_BYTES {
            self.problem(
                column,
                format!(
                    "This cell holds {} bytes of text; a cell may hold at most {MAX_CELL_BYTES}.",
                    raw.len()
                ),
            );
            return Some(String::new());
        }
        let mut text = raw.trim();
        if column.is_text() {
            text = unguard_formula(text);
        }
        Some(if column == Column::Description {
            text.to_owned()
        } else {
            text.split_whitespace().collect::<Vec<_>>().join(" ")
        })
    }

    fn id(&mut self, column: Column, what: &str) -> Option<Uuid> {
        let text = self.text(column)?;
        if text.is_empty() {
            return None;
        }
        match Uuid::parse_str(&text) {
            Ok(id) => Some(id),
            Err(_) => {
                self.problem(
                    column,
                    format!(
                        "{} is not a {what} id. Leave {} blank for a new {what}, or copy the id from an export.",
                        quoted(&text),
                        column.name()
                    ),
                );
                None
            }
        }
    }

    fn status(&mut self) -> Option<String> {
        let text = self.text(Column::Status)?;
        if text.is_empty() {
            return Some(text);
        }
        match ProductStatus::parse(&text.to_lowercase()) {
            Some(status) => Some(status.as_str().to_owned()),
            None => {
                self.problem(
                    Column::Status,
                    format!(
                        "{} is not a status. Use draft, active or archived.",
                        quoted(&text)
                    ),
                );
                Some(String::new())
            }
        }
    }

    fn yes_no(&mut self) -> Option<String> {
        let text = self.text(Column::ShowOnStorefront)?;
        let value = match text.to_lowercase().as_str() {
            "" => "",
            "yes" | "y" | "true" | "1" => "yes",
            "no" | "n" | "false" | "0" => "no",
            _ => {
                self.problem(
                    Column::ShowOnStorefront,
                    format!(
                        "{} is not yes or no. Use yes or no (true/false and 1/0 work too).",
                        quoted(&text)
                    ),
                );
                ""
            }
        };
        Some(value.to_owned())
    }

    fn sku(&mut self) -> Option<Option<String>> {
        let text = self.text(Column::Sku)?;
        match parse_sku(&text) {
            Ok(sku) => Some(sku),
            Err(e) => {
                self.problem(Column::Sku, format!("{}: {e}", quoted(&text)));
                Some(None)
            }
        }
    }

    fn barcodes(&mut self) -> Option<Vec<Barcode>> {
        let text = self.text(Column::Barcodes)?;
        if text.contains(['E', 'e']) && text.contains('+') {
            self.problem(
                Column::Barcodes,
                format!("{} looks like a barcode that the spreadsheet turned into a shortened number. Format the barcodes column as Text and type the digits again.", quoted(&text)),
            );
            return Some(Vec::new());
        }
        let mut codes = Vec::new();
        for code in text
            .split(|c: char| c.is_whitespace() || c == '|' || c == ';')
            .filter(|c| !c.is_empty())
        {
            match Barcode::parse(code) {
                Ok(barcode) => codes.push(barcode),
                Err(e) => self.problem(Column::Barcodes, format!("Barcode {}: {e}", quoted(code))),
            }
        }
        Some(codes)
    }

    /// `Some(None)` for a blank cell.
    fn money(&mut self, column: Column, what: &str) -> Option<Option<Money>> {
        let text = self.text(column)?;
        if text.is_empty() {
            return Some(None);
        }
        match Money::parse_price(&text, self.currency) {
            Ok(money) => Some(Some(money)),
            Err(e) => {
                let message = match e {
                    MoneyError::NotANumber(_) | MoneyError::Empty => {
                        format!(
                            "{} is not a {what}. Enter a number such as 1299.50.",
                            quoted(&text)
                        )
                    }
                    MoneyError::Negative => {
                        format!("{}: a {what} cannot be negative.", quoted(&text))
                    }
                    other => format!("{}: {other}", quoted(&text)),
                };
                self.problem(column, message);
                Some(None)
            }
        }
    }

    fn opening_stock(&mut self) -> Option<Quantity> {
        let text = self.text(Column::OpeningStock)?;
        if text.is_empty() {
            return None;
        }
        let checked = Quantity::parse(&text)
            .map_err(|e| e.to_string())
            .and_then(|q| {
                if q.milli() < 0 {
                    Err(
                        "Opening stock cannot be negative. Leave it blank, or enter what you have."
                            .to_owned(),
                    )
                } else if q.milli() == 0 {
                    Ok(q)
                } else {
                    crate::stock::validate_receive(q)
                        .map(|()| q)
                        .map_err(|e| e.to_string())
                }
            });
        match checked {
            Ok(q) => Some(q),
            Err(message) => {
                self.problem(
                    Column::OpeningStock,
                    format!("{}: {message}", quoted(&text)),
                );
                None
            }
        }
    }
}

/// Takes off the apostrophe the export puts before text a spreadsheet would run as a
/// formula (`'=SUM(…)` is the text `=SUM(…)`).
fn unguard_formula(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest,
        _ => text,
    }
}

/// Puts the apostrophe on, for the export.
pub(super) fn guard_formula(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}
