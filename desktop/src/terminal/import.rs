//! CSV import (a dry run, then the import) and export of the catalog.

use std::path::{Path, PathBuf};

use galla_core::csv::ImportReport;

use super::Terminal;
use crate::wire::import::{ExportView, ImportLineView, ImportReportView};
use crate::wire::{ErrorCode, IpcError};

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl From<ImportReport> for ImportReportView {
    fn from(r: ImportReport) -> ImportReportView {
        let line = |p: galla_core::csv::RowProblem| ImportLineView {
            row: p.row,
            column: p.column,
            message: p.message,
        };
        let mut problems: Vec<ImportLineView> = r.problems.into_iter().map(line).collect();
        if r.problems_not_shown > 0 {
            problems.push(ImportLineView {
                row: None,
                column: None,
                message: format!(
                    "…and {} more problems. Fix these and check the file again.",
                    r.problems_not_shown
                ),
            });
        }
        ImportReportView {
            applied: r.applied,
            rows: count(r.rows),
            problems,
            notices: r.notices.into_iter().map(line).collect(),
            products_created: count(r.products.created),
            products_updated: count(r.products.updated),
            products_unchanged: count(r.products.unchanged),
            variants_created: count(r.variants.created),
            variants_updated: count(r.variants.updated),
        }
    }
}

/// "2026-11-21" for a time in ms since the epoch (UTC), for the export's file name.
pub(crate) fn date(now_ms: u64) -> String {
    // Howard Hinnant's days-to-civil; no calendar crate for one file name.
    let days = i64::try_from(now_ms / 86_400_000).unwrap_or(0) + 719_468;
    let era = days.div_euclid(146_097);
    let doe = days.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// A file name in `folder` that is not taken yet, so an export never overwrites one.
pub(crate) fn free_path(folder: &Path, stem: &str, extension: &str) -> PathBuf {
    let first = folder.join(format!("{stem}.{extension}"));
    if !first.exists() {
        return first;
    }
    (2..)
        .map(|n| folder.join(format!("{stem} ({n}).{extension}")))
        .find(|p| !p.exists())
        .unwrap_or(first)
}

impl Terminal {
    pub fn preview_import(&self, bytes: &[u8]) -> Result<ImportReportView, IpcError> {
        self.as_actor(|store, actor| Ok(store.plan_import(actor, bytes)?.into()))
    }

    pub fn apply_import(&self, bytes: &[u8], now_ms: u64) -> Result<ImportReportView, IpcError> {
        self.as_actor(|store, actor| Ok(store.apply_import(actor, bytes, now_ms)?.into()))
    }

    /// Writes the catalog as CSV into `folder` (the person's Downloads folder).
    pub fn export_csv(&self, folder: &Path, now_ms: u64) -> Result<ExportView, IpcError> {
        self.as_actor(|store, actor| {
            let text = store.export_csv(actor)?;
            let path = free_path(folder, &format!("galla-products-{}", date(now_ms)), "csv");
            std::fs::create_dir_all(folder)
                .and_then(|()| std::fs::write(&path, text.as_bytes()))
                .map_err(|e| {
                    IpcError::new(
                        ErrorCode::StoreFailed,
                        format!("Could not write {}: {e}", path.display()),
                    )
                })?;
            let rows = text.lines().count().saturating_sub(1);
            Ok(ExportView {
                path: path.display().to_string(),
                products: count(store.product_count()?.try_into().unwrap_or(usize::MAX)),
                rows: count(rows),
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::date;

    #[test]
    fn names_the_day() {
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(date(1_763_700_000_000), "2025-11-21");
        assert_eq!(date(951_782_400_000), "2000-02-29");
    }
}
