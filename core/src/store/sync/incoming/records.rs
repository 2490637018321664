//! Records merge per field (SYNC.md rule 5): a remote field is taken only when its
//! stamp is larger than the stamp of the local value, and every stamp that wins is
//! remembered, for fields this app does not know too, because the verify digests
//! count every stamp.

use std::collections::BTreeMap;

use galla_sync_protocol::{hlc_wall_ms, Change};
use rusqlite::types::Value as SqlValue;
use rusqlite::{params, params_from_iter, OptionalExtension};
use serde_json::{Map, Value};

use super::values::{parse_id, unusable, Kind, Refusal};
use super::{Applied, Ctx};
use crate::hlc::{HlcError, HlcStamp, HybridClock};

/// A record field kept in a column of the record's table.
pub(super) struct Column {
    pub field: &'static str,
    pub column: &'static str,
    pub kind: Kind,
    /// NOT NULL without a default: a row cannot be made without it.
    pub required: bool,
}

pub(super) const fn column(field: &'static str, column: &'static str, kind: Kind) -> Column {
    Column {
        field,
        column,
        kind,
        required: false,
    }
}

pub(super) const fn required(field: &'static str, column: &'static str, kind: Kind) -> Column {
    Column {
        field,
        column,
        kind,
        required: true,
    }
}

/// How one entity's records are stored locally.
pub(super) struct Table {
    pub entity: &'static str,
    pub table: &'static str,
    pub columns: &'static [Column],
    /// Fields the entity's own code stores elsewhere (a product's option names) or
    /// that are part of the key; they count as known.
    pub special: &'static [&'static str],
    pub created_hlc: bool,
}

impl Table {
    fn knows(&self, field: &str) -> bool {
        self.special.contains(&field) || self.columns.iter().any(|c| c.field == field)
    }
}

/// A record change whose stamps have been checked, with the fields whose stamps beat
/// the local ones.
pub(super) struct Incoming<'a> {
    data: &'a Map<String, Value>,
    winners: BTreeMap<&'a str, &'a str>,
}

impl Incoming<'_> {
    pub(super) fn wins(&self, field: &str) -> bool {
        self.winners.contains_key(field)
    }

    /// The merged value of a field; a field with a stamp but no value is null.
    pub(super) fn value(&self, field: &str) -> &Value {
        self.data.get(field).unwrap_or(&Value::Null)
    }

    /// The largest winning stamp among the fields `table` knows: what the row's
    /// `updated_hlc` (and a new row's `created_hlc`) become.
    fn newest(&self, table: &Table) -> Option<&str> {
        self.winners
            .iter()
            .filter(|(field, _)| table.knows(field))
            .map(|(_, stamp)| *stamp)
            .max()
    }
}

/// Merges one record change: checks and observes its stamps, finds the fields that
/// win, lets `write` store them, then remembers their stamps. `clock_key` is the key
/// the local write path keeps the record's field clocks under.
pub(super) fn merge(
    ctx: &Ctx<'_, '_>,
    clock: &mut HybridClock,
    change: &Change,
    clock_key: &str,
    write: impl FnOnce(&Incoming<'_>) -> Result<(), Refusal>,
) -> Result<Applied, Refusal> {
    let entity = change.entity.as_str();
    let data = change
        .data
        .as_object()
        .ok_or_else(|| unusable(format!("{entity}: the data is not an object")))?;
    let clocks = change
        .clocks
        .as_ref()
        .ok_or_else(|| unusable(format!("{entity}: a record without clock stamps")))?;
    let mut stamps = Vec::with_capacity(clocks.len());
    for (field, text) in clocks {
        // Both readings: the wire's strict form (so string order is stamp order) and
        // the clock's own (so it can be observed).
        let stamp = hlc_wall_ms(text)
            .and_then(|_| text.parse::<HlcStamp>().ok())
            .ok_or_else(|| unusable(format!("{entity}: the stamp of {field} is malformed")))?;
        stamps.push(stamp);
    }
    observe(clock, stamps, ctx.now_ms);

    let local = local_clocks(ctx, entity, clock_key)?;
    let winners: BTreeMap<&str, &str> = clocks
        .iter()
        .filter(|(field, stamp)| {
            local
                .get(field.as_str())
                .is_none_or(|mine| stamp.as_str() > mine.as_str())
        })
        .map(|(field, stamp)| (field.as_str(), stamp.as_str()))
        .collect();
    if winners.is_empty() {
        return Ok(Applied::Unchanged);
    }
    let incoming = Incoming { data, winners };
    write(&incoming)?;
    let mut save = ctx.tx.prepare_cached(
        "INSERT INTO field_clocks (entity, entity_id, field, hlc) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (entity, entity_id, field) DO UPDATE SET hlc = excluded.hlc",
    )?;
    for (field, stamp) in &incoming.winners {
        save.execute(params![entity, clock_key, field, stamp])?;
    }
    Ok(Applied::Changed)
}

/// Takes the remote stamps into the clock so a later local edit orders after them.
/// Observing the largest one the clock accepts covers all the smaller ones; a stamp
/// too far ahead of this device's time is not observed (it still merges by its text).
fn observe(clock: &mut HybridClock, mut stamps: Vec<HlcStamp>, now_ms: u64) {
    stamps.sort_unstable_by(|a, b| b.cmp(a));
    for stamp in stamps {
        if clock.last().is_some_and(|last| last >= stamp) {
            // Already past it (a page applied again, this device's own edits): moving
            // the clock would only change the store for nothing.
            break;
        }
        match clock.observe(stamp, now_ms) {
            Err(HlcError::TooFarAhead { .. }) => continue,
            // Observed, or the logical counter is exhausted: a smaller stamp cannot
            // help either way.
            Ok(_) | Err(_) => break,
        }
    }
}

fn local_clocks(
    ctx: &Ctx<'_, '_>,
    entity: &str,
    key: &str,
) -> Result<BTreeMap<String, String>, Refusal> {
    let mut stmt = ctx.tx.prepare_cached(
        "SELECT field, hlc FROM field_clocks WHERE entity = ?1 AND entity_id = ?2",
    )?;
    let rows = stmt.query_map([entity, key], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let mut clocks = BTreeMap::new();
    for row in rows {
        let (field, hlc) = row?;
        clocks.insert(field, hlc);
    }
    Ok(clocks)
}

/// What `write_row` did.
pub(super) struct Written {
    pub inserted: bool,
}

/// Writes the winning fields of `table`'s columns to the row with `key` (column,
/// value pairs), inserting the row when it is not there. A new row needs every
/// required column; `on_insert` adds columns the local write path computes.
pub(super) fn write_row(
    ctx: &Ctx<'_, '_>,
    table: &Table,
    key: &[(&'static str, String)],
    incoming: &Incoming<'_>,
    on_insert: &[(&'static str, SqlValue)],
) -> Result<Written, Refusal> {
    let mut columns: Vec<&'static str> = Vec::new();
    let mut values: Vec<SqlValue> = Vec::new();
    for c in table.columns.iter().filter(|c| incoming.wins(c.field)) {
        values.push(
            c.kind
                .to_sql(table.entity, c.field, incoming.value(c.field))?,
        );
        columns.push(c.column);
    }
    let Some(newest) = incoming.newest(table) else {
        // Only fields this app does not know won: their stamps are kept, no row changes.
        return Ok(Written { inserted: false });
    };
    let newest = newest.to_owned();
    let where_key = key
        .iter()
        .enumerate()
        .map(|(i, (column, _))| format!("{column} = ?{}", i + 1))
        .collect::<Vec<_>>()
        .join(" AND ");
    let exists = ctx
        .tx
        .prepare_cached(&format!("SELECT 1 FROM {} WHERE {where_key}", table.table))?
        .query_row(params_from_iter(key.iter().map(|(_, v)| v)), |_| Ok(()))
        .optional()?
        .is_some();

    if exists {
        let mut sql = format!("UPDATE {} SET ", table.table);
        let offset = key.len();
        for (i, column) in columns.iter().enumerate() {
            sql.push_str(&format!("{column} = ?{}, ", offset + i + 1));
        }
        sql.push_str(&format!(
            "updated_hlc = max(updated_hlc, ?{}) WHERE {where_key}",
            offset + columns.len() + 1
        ));
        let args = key
            .iter()
            .map(|(_, v)| SqlValue::Text(v.clone()))
            .chain(values)
            .chain([SqlValue::Text(newest)]);
        ctx.tx
            .prepare_cached(&sql)?
            .execute(params_from_iter(args))?;
        return Ok(Written { inserted: false });
    }

    let missing: Vec<&str> = table
        .columns
        .iter()
        .filter(|c| c.required && !columns.contains(&c.column))
        .map(|c| c.field)
        .collect();
    if !missing.is_empty() {
        return Err(unusable(format!(
            "a new {} needs {}; the change does not have it",
            table.entity,
            missing.join(", ")
        )));
    }
    let mut names: Vec<&str> = key.iter().map(|(column, _)| *column).collect();
    names.extend(&columns);
    names.extend(on_insert.iter().map(|(column, _)| *column));
    let mut args: Vec<SqlValue> = key.iter().map(|(_, v)| SqlValue::Text(v.clone())).collect();
    args.extend(values);
    args.extend(on_insert.iter().map(|(_, v)| v.clone()));
    if table.created_hlc {
        names.push("created_hlc");
        args.push(SqlValue::Text(newest.clone()));
    }
    names.push("updated_hlc");
    args.push(SqlValue::Text(newest));
    let placeholders = (1..=names.len())
        .map(|i| format!("?{i}"))
        .collect::<Vec<_>>()
        .join(", ");
    ctx.tx
        .prepare_cached(&format!(
            "INSERT INTO {} ({}) VALUES ({placeholders})",
            table.table,
            names.join(", ")
        ))?
        .execute(params_from_iter(args))?;
    Ok(Written { inserted: true })
}

/// A record keyed by its id.
pub(super) fn id_key(change: &Change) -> Result<String, Refusal> {
    parse_id(&change.key)
        .ok_or_else(|| unusable(format!("{}: the key is not an id", change.entity)))
}

/// A record keyed by its id whose fields are all plain columns of `table`.
pub(super) fn plain_record(
    ctx: &Ctx<'_, '_>,
    clock: &mut HybridClock,
    change: &Change,
    table: &Table,
) -> Result<Applied, Refusal> {
    let id = id_key(change)?;
    merge(ctx, clock, change, &id, |incoming| {
        write_row(ctx, table, &[("id", id.clone())], incoming, &[]).map(drop)
    })
}
