//! The columns of the catalog CSV and the header row that places them.

use std::collections::HashMap;

use super::report::{quoted, RowProblem};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Column {
    ProductId,
    Handle,
    VariantId,
    Name,
    Description,
    Category,
    Status,
    ShowOnStorefront,
    TaxClass,
    HsnCode,
    Option1Name,
    Option1Value,
    Option2Name,
    Option2Value,
    Option3Name,
    Option3Value,
    Sku,
    Barcodes,
    Price,
    Cost,
    OpeningStock,
}

impl Column {
    /// Every column, in the order the export writes them.
    pub const ALL: [Column; 21] = [
        Column::ProductId,
        Column::Handle,
        Column::VariantId,
        Column::Name,
        Column::Description,
        Column::Category,
        Column::Status,
        Column::ShowOnStorefront,
        Column::TaxClass,
        Column::HsnCode,
        Column::Option1Name,
        Column::Option1Value,
        Column::Option2Name,
        Column::Option2Value,
        Column::Option3Name,
        Column::Option3Value,
        Column::Sku,
        Column::Barcodes,
        Column::Price,
        Column::Cost,
        Column::OpeningStock,
    ];

    /// A file without these cannot describe a variant that can be sold.
    pub const REQUIRED: [Column; 2] = [Column::Name, Column::Price];

    pub const OPTION_NAMES: [Column; 3] = [
        Column::Option1Name,
        Column::Option2Name,
        Column::Option3Name,
    ];
    pub const OPTION_VALUES: [Column; 3] = [
        Column::Option1Value,
        Column::Option2Value,
        Column::Option3Value,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Column::ProductId => "product_id",
            Column::Handle => "handle",
            Column::VariantId => "variant_id",
            Column::Name => "name",
            Column::Description => "description",
            Column::Category => "category",
            Column::Status => "status",
            Column::ShowOnStorefront => "show_on_storefront",
            Column::TaxClass => "tax_class",
            Column::HsnCode => "hsn_code",
            Column::Option1Name => "option1_name",
            Column::Option1Value => "option1_value",
            Column::Option2Name => "option2_name",
            Column::Option2Value => "option2_value",
            Column::Option3Name => "option3_name",
            Column::Option3Value => "option3_value",
            Column::Sku => "sku",
            Column::Barcodes => "barcodes",
            Column::Price => "price",
            Column::Cost => "cost",
            Column::OpeningStock => "opening_stock",
        }
    }

    /// Header text as people type it: any case, spaces or hyphens for underscores
    /// ("Option1 Name", "SKU").
    fn from_header(text: &str) -> Option<Column> {
        let key: String = text
            .trim()
            .chars()
            .map(|c| match c {
                ' ' | '-' => '_',
                c => c.to_ascii_lowercase(),
            })
            .collect();
        Column::ALL.into_iter().find(|c| c.name() == key)
    }

    /// Said once per product: every row of one product must agree on it.
    pub fn is_product_level(self) -> bool {
        matches!(
            self,
            Column::Name
                | Column::Description
                | Column::Category
                | Column::Status
                | Column::ShowOnStorefront
                | Column::TaxClass
                | Column::HsnCode
                | Column::Option1Name
                | Column::Option2Name
                | Column::Option3Name
        )
    }

    /// Free text a spreadsheet could take for a formula (`=`, `+`, `-`, `@` first);
    /// the export guards these and the import takes the guard off.
    pub(super) fn is_text(self) -> bool {
        matches!(
            self,
            Column::Handle
                | Column::Name
                | Column::Description
                | Column::Category
                | Column::TaxClass
                | Column::Option1Name
                | Column::Option1Value
                | Column::Option2Name
                | Column::Option2Value
                | Column::Option3Name
                | Column::Option3Value
                | Column::Sku
        )
    }
}

/// Where each column is in this file's rows.
#[derive(Debug, Clone)]
pub(crate) struct Header {
    positions: HashMap<Column, usize>,
    width: usize,
}

impl Header {
    /// Reads the header row; every problem with it is reported at once, at row 1.
    pub(super) fn parse(cells: &[String]) -> Result<Header, Vec<RowProblem>> {
        let mut positions = HashMap::new();
        let mut problems = Vec::new();
        let mut unknown = Vec::new();
        for (index, cell) in cells.iter().enumerate() {
            let text = cell.trim();
            if text.is_empty() {
                problems.push(RowProblem::at(
                    1,
                    None,
                    format!(
                        "Column {} of the header row is blank. Give it one of the column names, or delete the column.",
                        index + 1
                    ),
                ));
                continue;
            }
            match Column::from_header(text) {
                Some(column) => {
                    if positions.insert(column, index).is_some() {
                        problems.push(RowProblem::at(
                            1,
                            Some(column.name()),
                            format!("The header has two {} columns. Keep one.", column.name()),
                        ));
                    }
                }
                None => unknown.push(quoted(text)),
            }
        }
        if !unknown.is_empty() {
            let known: Vec<&str> = Column::ALL.iter().map(|c| c.name()).collect();
            problems.push(RowProblem::at(
                1,
                None,
                format!(
                    "Unknown {} {}. Rename or delete {}; the columns Galla reads are {}.",
                    if unknown.len() == 1 {
                        "column"
                    } else {
                        "columns"
                    },
                    unknown.join(", "),
                    if unknown.len() == 1 { "it" } else { "them" },
                    known.join(", ")
                ),
            ));
        }
        for required in Column::REQUIRED {
            if !positions.contains_key(&required) {
                problems.push(RowProblem::at(
                    1,
                    None,
                    format!(
                        "The header has no {} column. Every row needs a {}.",
                        required.name(),
                        required.name()
                    ),
                ));
            }
        }
        if problems.is_empty() {
            Ok(Header {
                positions,
                width: cells.len(),
            })
        } else {
            Err(problems)
        }
    }

    /// The cell of `column` in `cells`; `None` when the file has no such column.
    pub(super) fn cell<'a>(&self, cells: &'a [String], column: Column) -> Option<&'a str> {
        let index = *self.positions.get(&column)?;
        Some(cells.get(index).map_or("", String::as_str))
    }

    /// Cells in a header row, which every row must match.
    pub(super) fn width(&self) -> usize {
        self.width
    }
}
