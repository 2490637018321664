//! Bytes that passed the guard, into the header and rows of text with their
//! spreadsheet row numbers.

use super::guard;
use super::report::RowProblem;

pub(super) struct Table {
    pub header: Vec<String>,
    pub records: Vec<Record>,
}

pub(super) struct Record {
    /// The spreadsheet row (the header is row 1; a blank line is a row too).
    pub row: u32,
    pub cells: Vec<String>,
}

pub(super) fn read(bytes: &[u8]) -> Result<Table, RowProblem> {
    let checked = guard::check(bytes)?;
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(checked.text);
    let mut record = ::csv::ByteRecord::new();
    let mut rows = Vec::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(RowProblem::file(format!("The file could not be read: {e}"))),
        }
        // The guard follows records as the reader does; should they ever disagree,
        // the row after the last one known is the best guess.
        let row = checked
            .rows
            .get(rows.len())
            .copied()
            .unwrap_or_else(|| rows.last().map_or(1, |r: &Record| r.row.saturating_add(1)));
        let mut cells = Vec::with_capacity(record.len());
        for cell in record.iter() {
            // The guard checked the whole file is UTF-8, so this cannot fail; a
            // message rather than a panic all the same.
            let text = std::str::from_utf8(cell)
                .map_err(|_| RowProblem::at(row, None, "This row is not UTF-8 text."))?;
            cells.push(text.to_owned());
        }
        rows.push(Record { row, cells });
    }
    let mut records = rows.into_iter();
    let Some(header) = records.next() else {
        return Err(RowProblem::file(
            "The file is empty. It needs a header row (such as name,price) and one row per product variant.",
        ));
    };
    Ok(Table {
        header: header.cells,
        records: records.collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_numbered_as_a_spreadsheet_numbers_them() {
        let table = read(b"h\r\n\r\na,\"x\r\ny\"\r\nb\n\nc").expect("readable");
        let rows: Vec<u32> = table.records.iter().map(|r| r.row).collect();
        assert_eq!(
            rows,
            [3, 4, 6],
            "blank lines are rows, a quoted line break is not"
        );
        assert_eq!(table.records[0].cells, ["a", "x\r\ny"]);
    }

    proptest::proptest! {
        /// Row numbers come from the guard's walk of the file, so it must find the
        /// records the csv reader finds, one for one.
        #[test]
        fn the_guard_finds_the_records_the_reader_finds(text in "[a,\"\r\n ]{0,80}") {
            if let Ok(checked) = guard::check(text.as_bytes()) {
                let mut reader = ::csv::ReaderBuilder::new()
                    .has_headers(false)
                    .flexible(true)
                    .from_reader(checked.text);
                proptest::prop_assert_eq!(checked.rows.len(), reader.byte_records().count());
            }
        }
    }
}
