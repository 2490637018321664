//! The catalog as a CSV file that a shop owner edits in a spreadsheet: one row per
//! variant, described for people in docs/csv-format.md.
//!
//! Pure: bytes in, product forms and a report of problems out; CSV text out for the
//! export. The store (`store/import.rs`) checks the result against what it holds and
//! writes it in one transaction.
//!
//! The path of a file through here: `guard` (size, encoding, shape, before anything is
//! parsed) → `read` (the csv crate: rows of text with spreadsheet row numbers) →
//! `columns` (the header) → `rows` (each cell typed, each bad cell a problem) → `group`
//! (rows into products; checks across rows) → `build` (each product through
//! `ProductSpec::parse`, its errors put back at a row and column) → `compare` (what
//! would change on a product the store has).

mod build;
mod columns;
mod compare;
mod export;
mod group;
mod guard;
mod paths;
mod read;
mod report;
mod rows;

pub use columns::Column;
pub use report::{
    ChangeCounts, ChangeKind, FieldChange, ImportReport, ProductChange, RowProblem,
    MAX_PROBLEMS_SHOWN,
};

pub(crate) use build::{build_product, BuiltProduct};
pub(crate) use compare::compare;
pub(crate) use export::export_catalog;
pub(crate) use group::{parse_file, ProductRows};
pub(crate) use paths::CategoryPaths;

/// A larger file is refused before it is parsed.
pub const MAX_FILE_BYTES: usize = 50_000_000;
/// Rows below the header.
pub const MAX_ROWS: usize = 100_000;
/// Cells in one row; the format has 21 columns, so more is a broken file.
pub const MAX_COLUMNS: usize = 64;
/// Bytes in one cell: a description of the longest allowed length in any script fits.
pub const MAX_CELL_BYTES: usize = 32_768;
