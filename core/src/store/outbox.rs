//! The outbox: changes waiting to be pushed to the server (SYNC.md rule 1). Every
//! write records its change here, with a clock stamp per changed field (rule 5), in the
//! same transaction as the change itself.

use rusqlite::{params, Transaction};
use serde_json::{json, Map, Value};
use uuid::Uuid;

use super::{Store, StoreError};
use crate::hlc::HlcStamp;

/// A change waiting to be pushed to the server.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxEntry {
    /// The dense per-device sequence.
    pub seq: i64,
    pub entity: String,
    /// The entity's id, or its natural key (a barcode's code).
    pub key: String,
    pub op: String,
    pub hlc: HlcStamp,
    /// Who made the change; `None` for changes queued before the app recorded it, or
    /// made with nobody signed in.
    pub staff_id: Option<Uuid>,
    pub payload: Value,
}

impl Store {
    /// Changes waiting for sync, oldest first.
    pub fn pending_changes(&self) -> Result<Vec<OutboxEntry>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT seq, entity, entity_id, op, hlc, staff_id, payload FROM outbox ORDER BY seq",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, String>(6)?,
            ))
        })?;
        let mut changes = Vec::new();
        for row in rows {
            let (seq, entity, key, op, hlc, staff_id, payload) = row?;
            changes.push(OutboxEntry {
                seq,
                entity,
                key,
                op,
                hlc: hlc.parse().map_err(|_| {
                    StoreError::Corrupt(format!("clock stamp of outbox entry {seq}"))
                })?,
                staff_id: staff_id
                    .map(|text| {
                        Uuid::parse_str(&text).map_err(|_| {
                            StoreError::Corrupt(format!("staff id of outbox entry {seq}"))
                        })
                    })
                    .transpose()?,
                payload: serde_json::from_str(&payload)
                    .map_err(|_| StoreError::Corrupt(format!("outbox entry {seq}")))?,
            });
        }
        Ok(changes)
    }
}

pub(super) fn record_change(
    tx: &Transaction<'_>,
    entity: &str,
    id: Uuid,
    op: &str,
    stamp: HlcStamp,
    staff: Option<Uuid>,
    fields: Map<String, Value>,
) -> Result<(), StoreError> {
    record_keyed_change(tx, entity, &id.to_string(), op, stamp, staff, fields)
}

/// Stamps each changed field and queues the change for sync. `staff` is who made it:
/// the server checks that person's role before applying the entry (SYNC.md rule 12).
pub(super) fn record_keyed_change(
    tx: &Transaction<'_>,
    entity: &str,
    key: &str,
    op: &str,
    stamp: HlcStamp,
    staff: Option<Uuid>,
    fields: Map<String, Value>,
) -> Result<(), StoreError> {
    let stamp = stamp.to_string();
    let mut clock = tx.prepare_cached(
        "INSERT INTO field_clocks (entity, entity_id, field, hlc) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (entity, entity_id, field) DO UPDATE SET hlc = excluded.hlc",
    )?;
    for field in fields.keys() {
        clock.execute(params![entity, key, field, stamp])?;
    }
    push_keyed(
        tx,
        (entity, key, op),
        &stamp,
        staff,
        &json!({ "fields": fields }),
    )
}

/// Queues one entry for sync in the caller's transaction, for entities that do not
/// merge per field (documents such as audit entries and stock movements).
pub(super) fn push_outbox(
    tx: &Transaction<'_>,
    entity: &str,
    id: Uuid,
    op: &str,
    stamp: HlcStamp,
    staff: Option<Uuid>,
    payload: &Value,
) -> Result<(), StoreError> {
    push_keyed(
        tx,
        (entity, &id.to_string(), op),
        &stamp.to_string(),
        staff,
        payload,
    )
}

fn push_keyed(
    tx: &Transaction<'_>,
    (entity, key, op): (&str, &str, &str),
    stamp: &str,
    staff: Option<Uuid>,
    payload: &Value,
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO outbox (id, entity, entity_id, op, hlc, staff_id, payload)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        crate::id::new_id().to_string(),
        entity,
        key,
        op,
        stamp,
        staff.map(|s| s.to_string()),
        payload.to_string()
    ])?;
    Ok(())
}
