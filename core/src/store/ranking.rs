//! The order of a word search: an exact SKU or barcode first, then bm25 with the name
//! weighted highest, then the name.
//!
//! Scoring is the cost that grows with the catalog, about 0.6 µs a match (most of it
//! FTS5 reading each match's length), so every match is scored in the index alone,
//! filters included, and only the rows that can be on the page are then looked up in
//! the catalog tables, to break ties on the score by name.

use rusqlite::{params, Connection};
use serde_json::{json, Value};

use super::search::{ExactMatches, Filter};
use super::StoreError;

/// bm25 weights, in the index's column order: name, description, category, sku,
/// options, barcode, and the two filter columns, which must not count. The name says
/// what a product is; a word that only turns up in a description is the weakest reason
/// to show it.
const BM25: &str = "bm25(product_search, 10.0, 1.0, 3.0, 5.0, 2.0, 5.0, 0.0, 0.0)";

/// Spare rows scored beyond the page, for ties on its last score. Names built from a few
/// words tie in the hundreds (a generated catalog's best "silk" group has 184 rows), and
/// a second pass over every match would double the cost of a search, while a longer
/// window costs a fraction of a millisecond.
const TIE_SLACK: u32 = 300;

/// The ids of the products on the page of `filter` for the FTS5 expression `expr`.
pub(super) fn ranked(
    conn: &Connection,
    expr: &str,
    exact: &ExactMatches,
    filter: &Filter<'_>,
) -> Result<Vec<String>, StoreError> {
    // The exact matches (two at most) that also pass the filters lead the page; keeping
    // them out of the scoring query spares it a comparison per match.
    let mut leading = Vec::new();
    for m in exact.values() {
        if matches_expression(conn, expr, m.doc)? {
            leading.push(m.doc);
        }
    }
    let wanted = filter
        .offset
        .saturating_add(filter.limit)
        .saturating_add(leading.len() as u32);
    let mut window = wanted.saturating_add(TIE_SLACK);
    let best = loop {
        let best = best_scores(conn, expr, window)?;
        if !ties_run_past(&best, wanted, window) {
            break best;
        }
        window = window.saturating_mul(4);
    };

    // Rank groups: the exact matches are group 0; after them rows with the same score
    // share a group. Rows after the group of the page's last row cannot be on the page
    // and are not looked up.
    let last = usize::try_from(wanted).map_or(best.len(), |w| w.min(best.len()));
    let mut groups: Vec<Value> = leading.iter().map(|doc| json!([doc, 0])).collect();
    let mut group = 0_u32;
    for (i, row) in best.iter().enumerate() {
        if i == 0 || row.score.to_bits() != best[i - 1].score.to_bits() {
            if i >= last {
                break;
            }
            group += 1;
        }
        if !leading.contains(&row.doc) {
            groups.push(json!([row.doc, group]));
        }
    }
    let mut stmt = conn.prepare_cached(
        "SELECT r.product_id FROM json_each(?1) c
         JOIN search_rowids r ON r.doc = c.value ->> 0
         JOIN products p ON p.id = r.product_id
         ORDER BY c.value ->> 1, p.name COLLATE NOCASE, p.id
         LIMIT ?2 OFFSET ?3",
    )?;
    let ids = stmt
        .query_map(
            params![
                Value::Array(groups).to_string(),
                filter.limit,
                filter.offset
            ],
            |r| r.get(0),
        )?
        .collect::<Result<_, _>>()?;
    Ok(ids)
}

/// Whether the product indexed as `doc` matches `expr`, filters included: a seek to one
/// row of the index.
fn matches_expression(conn: &Connection, expr: &str, doc: i64) -> Result<bool, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM product_search WHERE product_search MATCH ?1 AND rowid = ?2)",
    )?;
    Ok(stmt.query_row(params![expr, doc], |r| r.get(0))?)
}

struct Scored {
    doc: i64,
    score: f64,
}

/// The `window` best matches by bm25 (lower is better), best first.
fn best_scores(conn: &Connection, expr: &str, window: u32) -> Result<Vec<Scored>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT rowid, {BM25} AS score FROM product_search WHERE product_search MATCH ?1
         ORDER BY score LIMIT ?2"
    ))?;
    let rows = stmt
        .query_map(params![expr, window], |r| {
            Ok(Scored {
                doc: r.get(0)?,
                score: r.get(1)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// Whether rows tied with the last row of the page may have been cut off by the window:
/// the window is full and its last row still has the page's last score.
fn ties_run_past(best: &[Scored], wanted: u32, window: u32) -> bool {
    let (Ok(wanted), Ok(window)) = (usize::try_from(wanted), usize::try_from(window)) else {
        return false;
    };
    if best.len() < window || wanted == 0 || window <= wanted {
        return false;
    }
    best[wanted - 1].score.to_bits() == best[window - 1].score.to_bits()
}
