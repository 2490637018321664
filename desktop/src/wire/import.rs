//! CSV import and export, as they cross IPC.

use serde::Serialize;
use ts_rs::TS;

/// One problem or notice of an import, where a spreadsheet would show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ImportLineView {
    /// 1-based, the header being row 1; null for the file as a whole.
    pub row: Option<u32>,
    pub column: Option<String>,
    pub message: String,
}

/// What an import would do (a dry run) or did. Nothing is written while `problems`
/// is not empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ImportReportView {
    pub applied: bool,
    pub rows: u32,
    pub problems: Vec<ImportLineView>,
    pub notices: Vec<ImportLineView>,
    pub products_created: u32,
    pub products_updated: u32,
    pub products_unchanged: u32,
    pub variants_created: u32,
    pub variants_updated: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ExportView {
    /// Where the file was written.
    pub path: String,
    pub products: u32,
    pub rows: u32,
}
