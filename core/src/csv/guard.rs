//! Checks on the raw bytes before the csv reader sees them: size, encoding and shape.
//! A hostile or broken file (huge, binary, UTF-16, a row of a million commas, a quote
//! never closed) is refused here with a message, so the reader only ever holds a
//! bounded file, and a stray quote cannot silently swallow the rest of the file into
//! one cell (the reader would take it to the end without complaint).

use super::report::RowProblem;
use super::{MAX_COLUMNS, MAX_FILE_BYTES, MAX_ROWS};

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";
const SAVE_AS: &str = "Save it from your spreadsheet as \u{201c}CSV UTF-8 (comma delimited)\u{201d} and import that file.";

/// A file that passed: its text without the byte-order mark, and the spreadsheet row
/// of each record in the order the csv reader will yield them (blank lines are rows in
/// a spreadsheet but not records, and a quoted cell's line breaks stay in its row, so
/// the reader's line numbers are not rows).
pub(super) struct Checked<'a> {
    pub text: &'a [u8],
    pub rows: Vec<u32>,
}

/// The file's text and rows, or the one problem that stops it.
pub(super) fn check(bytes: &[u8]) -> Result<Checked<'_>, RowProblem> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(RowProblem::file(format!(
            "The file is {}.{} MB; the most one import takes is {} MB. Split it into smaller files and import them one after another.",
            bytes.len() / 1_000_000,
            bytes.len() / 100_000 % 10,
            MAX_FILE_BYTES / 1_000_000
        )));
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(RowProblem::file(format!(
            "This file is saved as UTF-16 (\u{201c}Unicode text\u{201d}), not UTF-8. {SAVE_AS}"
        )));
    }
    let bytes = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        return Err(RowProblem::at(
            row_at(bytes, at),
            None,
            format!(
                "The file has a NUL byte at byte {}, so it is not CSV text (a UTF-16 file or a spreadsheet's own format looks like this). {SAVE_AS}",
                at + 1
            ),
        ));
    }
    if let Err(e) = std::str::from_utf8(bytes) {
        let at = e.valid_up_to();
        let byte = bytes.get(at).copied().unwrap_or(0);
        // Bytes A0–FF are Latin-1 / Windows-1252 letters, the usual culprit; naming
        // the letter helps a person find the cell.
        let hint = if byte >= 0xA0 {
            format!(
                ", which older spreadsheets use for \u{201c}{}\u{201d}",
                char::from(byte)
            )
        } else {
            String::new()
        };
        return Err(RowProblem::at(
            row_at(bytes, at),
            None,
            format!(
                "The file is not UTF-8 text: byte {} is 0x{byte:02X}{hint}. {SAVE_AS}",
                at + 1
            ),
        ));
    }
    let mut shape = Shape::default();
    let mut rows = Vec::new();
    for &b in bytes {
        if shape.step(b) {
            rows.push(shape.row);
        }
        if shape.fields > MAX_COLUMNS {
            return Err(RowProblem::at(
                shape.row,
                None,
                format!("This row has more than {MAX_COLUMNS} cells. Check for a run of commas, or a file that is not a product list."),
            ));
        }
        // The header and the rows below it.
        if shape.records > MAX_ROWS + 1 {
            return Err(RowProblem::file(format!(
                "The file has more than {MAX_ROWS} rows. Split it into smaller files and import them one after another."
            )));
        }
    }
    if shape.state == State::Quoted {
        return Err(RowProblem::at(
            shape.quote_row,
            None,
            "A quote mark (\") opens a cell in this row and is never closed, so the rest of the file would be read into that one cell. Close the quote or remove it.",
        ));
    }
    Ok(Checked { text: bytes, rows })
}

/// The spreadsheet row of the byte at `offset`.
fn row_at(bytes: &[u8], offset: usize) -> u32 {
    let mut shape = Shape::default();
    for &b in bytes.iter().take(offset) {
        shape.step(b);
    }
    shape.row
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum State {
    #[default]
    RecordStart,
    FieldStart,
    Unquoted,
    Quoted,
    /// A quote inside a quoted cell: either the first of a doubled quote or the end.
    QuoteInQuoted,
}

/// Follows cells and rows the way the csv reader will (RFC 4180: `"` opens a quoted
/// cell only at its start, `""` inside one is a quote, CR, LF or CRLF ends a row,
/// blank lines are skipped) without keeping any of the text.
#[derive(Debug)]
struct Shape {
    state: State,
    /// The spreadsheet row: line breaks outside quoted cells, plus one. Line breaks
    /// inside a quoted cell stay in its row, as a spreadsheet shows them.
    row: u32,
    quote_row: u32,
    /// Cells so far in the current row.
    fields: usize,
    /// Rows that hold anything, the header included.
    records: usize,
}

impl Default for Shape {
    fn default() -> Shape {
        Shape {
            state: State::RecordStart,
            row: 1,
            quote_row: 1,
            fields: 0,
            records: 0,
        }
    }
}

impl Shape {
    /// Follows one byte; true when it starts a record.
    fn step(&mut self, b: u8) -> bool {
        let starts = self.state == State::RecordStart && b != b'\n' && b != b'\r';
        if self.state == State::RecordStart {
            if b == b'\n' {
                self.row = self.row.saturating_add(1);
                return false;
            }
            if b == b'\r' {
                return false;
            }
            self.records += 1;
            self.fields = 1;
            self.state = State::FieldStart;
        }
        self.state = match (self.state, b) {
            (State::FieldStart, b'"') => {
                self.quote_row = self.row;
                State::Quoted
            }
            (State::Quoted, b'"') => State::QuoteInQuoted,
            (State::Quoted, _) => State::Quoted,
            (State::QuoteInQuoted, b'"') => State::Quoted,
            (_, b',') => {
                self.fields += 1;
                State::FieldStart
            }
            (_, b'\n') => {
                self.row = self.row.saturating_add(1);
                State::RecordStart
            }
            (_, b'\r') => State::RecordStart,
            _ => State::Unquoted,
        };
        starts
    }
}
