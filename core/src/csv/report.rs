//! What an import found and did, for a person to read: problems by row and column,
//! notices, and what would change.

use std::fmt;

use uuid::Uuid;

/// Problems kept in a report; a file with more says how many were left out, because a
/// person fixes the first ones and imports again rather than reading a thousand.
pub const MAX_PROBLEMS_SHOWN: usize = 1000;

/// A person's text inside a message, in quotes and cut short, so one huge cell cannot
/// make a huge report.
pub(crate) fn quoted(text: &str) -> String {
    const SHOWN: usize = 60;
    if text.chars().count() <= SHOWN {
        format!("\"{text}\"")
    } else {
        format!(
            "\"{}\u{2026}\"",
            text.chars().take(SHOWN).collect::<String>()
        )
    }
}

/// One thing wrong with the file (or, among notices, worth knowing about).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    /// The spreadsheet row, the header being row 1; `None` for the file as a whole
    /// (too large, empty, not text).
    pub row: Option<u32>,
    /// The column's name as this format spells it (`price`), when one cell is at fault.
    pub column: Option<String>,
    pub message: String,
}

impl RowProblem {
    pub(crate) fn at(row: u32, column: Option<&str>, message: impl Into<String>) -> RowProblem {
        RowProblem {
            row: Some(row),
            column: column.map(str::to_owned),
            message: message.into(),
        }
    }

    pub(crate) fn file(message: impl Into<String>) -> RowProblem {
        RowProblem {
            row: None,
            column: None,
            message: message.into(),
        }
    }
}

/// "Row 14, price: …", the way a shop owner reads it beside the spreadsheet.
impl fmt::Display for RowProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.row, &self.column) {
            (Some(row), Some(column)) => write!(f, "Row {row}, {column}: {}", self.message),
            (Some(row), None) => write!(f, "Row {row}: {}", self.message),
            (None, _) => write!(f, "The file: {}", self.message),
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ChangeCounts {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Create,
    Update,
    Unchanged,
}

/// One cell that an import changes on an existing product, as text a person compares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    pub row: u32,
    pub column: String,
    pub before: String,
    pub after: String,
}

/// What an import does to one product.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductChange {
    /// The product's first row in the file.
    pub row: u32,
    /// `None` for a product the import creates.
    pub product_id: Option<Uuid>,
    pub name: String,
    pub kind: ChangeKind,
    /// The cells that change (updates only).
    pub fields: Vec<FieldChange>,
    pub variants_created: usize,
}

/// The result of a dry run or an import. Nothing was written unless `applied`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub applied: bool,
    /// Rows below the header that held anything.
    pub rows: usize,
    /// Errors, in row order. Any error means nothing is (or would be) imported.
    pub problems: Vec<RowProblem>,
    /// Errors beyond `MAX_PROBLEMS_SHOWN`, counted but not listed.
    pub problems_not_shown: usize,
    /// Worth knowing, never blocking: opening stock ignored for an existing variant.
    pub notices: Vec<RowProblem>,
    /// Notices beyond `MAX_PROBLEMS_SHOWN`, counted but not listed.
    pub notices_not_shown: usize,
    pub products: ChangeCounts,
    pub variants: ChangeCounts,
    /// Products created or updated, in file order; unchanged ones are only counted.
    pub changes: Vec<ProductChange>,
    /// Variants that get an "Opening stock" receive.
    pub stock_receipts: usize,
}

impl ImportReport {
    /// No errors: the file can be imported as it is.
    pub fn is_clean(&self) -> bool {
        self.problems.is_empty() && self.problems_not_shown == 0
    }

    pub(crate) fn add_problems(&mut self, problems: Vec<RowProblem>) {
        self.problems_not_shown += shown(&mut self.problems, problems);
    }

    pub(crate) fn add_notices(&mut self, notices: Vec<RowProblem>) {
        self.notices_not_shown += shown(&mut self.notices, notices);
    }

    pub(crate) fn count(&mut self, product: ChangeKind, variants: ChangeCounts) {
        let products = &mut self.products;
        match product {
            ChangeKind::Create => products.created += 1,
            ChangeKind::Update => products.updated += 1,
            ChangeKind::Unchanged => products.unchanged += 1,
        }
        self.variants.created += variants.created;
        self.variants.updated += variants.updated;
        self.variants.unchanged += variants.unchanged;
    }
}

/// Adds `more` to `list` in row order (the whole file first, and the order found
/// within a row), trimmed to what a person will read; gives how many were left out.
fn shown(list: &mut Vec<RowProblem>, mut more: Vec<RowProblem>) -> usize {
    list.append(&mut more);
    list.sort_by_key(|p| p.row);
    let left_out = list.len().saturating_sub(MAX_PROBLEMS_SHOWN);
    list.truncate(MAX_PROBLEMS_SHOWN);
    left_out
}
