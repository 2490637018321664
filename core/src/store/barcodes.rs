//! Barcodes belong to variants, one variant per code. Removing one leaves a tombstone so
//! the removal syncs; items without a barcode get an internal EAN-13.

use rusqlite::{params, OptionalExtension, Transaction};
use serde_json::{json, Map};
use uuid::Uuid;

use super::outbox::record_keyed_change;
use super::StoreError;
use crate::barcode::{check_digit, Barcode};
use crate::hlc::HlcStamp;

/// GS1 keeps prefixes 20–29 for codes used inside one company. 21 and 23 are left
/// free for scale labels (weight or price in the code), so Galla's own codes start 20.
pub const INTERNAL_PREFIX: &str = "20";

/// Gives `barcode` to `variant_id`, reviving the row if the code was once removed.
pub(super) fn attach(
    tx: &Transaction<'_>,
    barcode: &Barcode,
    variant_id: Uuid,
    generated: bool,
    (stamp, staff): (HlcStamp, Option<Uuid>),
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO barcodes (code, variant_id, kind, generated, status, updated_hlc)
         VALUES (?1, ?2, ?3, ?4, 'active', ?5)
         ON CONFLICT (code) DO UPDATE SET variant_id = excluded.variant_id, kind = excluded.kind,
             generated = excluded.generated, status = 'active', updated_hlc = excluded.updated_hlc",
    )?
    .execute(params![
        barcode.as_str(),
        variant_id.to_string(),
        barcode.kind().code(),
        generated,
        stamp.to_string()
    ])?;
    let mut fields = Map::new();
    fields.insert("variant_id".into(), json!(variant_id.to_string()));
    fields.insert("kind".into(), json!(barcode.kind().code()));
    fields.insert("generated".into(), json!(generated));
    fields.insert("status".into(), json!("active"));
    record_keyed_change(
        tx,
        "barcode",
        barcode.as_str(),
        "upsert",
        stamp,
        staff,
        fields,
    )
}

pub(super) fn remove(
    tx: &Transaction<'_>,
    code: &str,
    (stamp, staff): (HlcStamp, Option<Uuid>),
) -> Result<(), StoreError> {
    tx.prepare_cached("UPDATE barcodes SET status = 'removed', updated_hlc = ?2 WHERE code = ?1")?
        .execute(params![code, stamp.to_string()])?;
    let mut fields = Map::new();
    fields.insert("status".into(), json!("removed"));
    record_keyed_change(tx, "barcode", code, "upsert", stamp, staff, fields)
}

/// The variant an active barcode points at.
pub(super) fn owner(conn: &rusqlite::Connection, code: &str) -> Result<Option<String>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT variant_id FROM barcodes WHERE code = ?1 AND status = 'active'")?
        .query_row([code], |r| r.get(0))
        .optional()?)
}

/// The next internal EAN-13: prefix 20, four digits from this device's id so devices
/// working offline do not hand out the same codes, six digits of sequence, check digit.
/// A code already in the store (on any item, even removed) is skipped.
pub(super) fn next_internal(tx: &Transaction<'_>, device: Uuid) -> Result<Barcode, StoreError> {
    let slot = device.as_u128() % 10_000;
    let mut seq: u64 = tx
        .prepare_cached("SELECT value FROM settings WHERE key = 'internal_barcode_seq'")?
        .query_row([], |r| r.get::<_, String>(0))
        .optional()?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    loop {
        seq += 1;
        if seq > 999_999 {
            return Err(StoreError::Corrupt(
                "this device has used all of its internal barcodes".to_owned(),
            ));
        }
        let body = format!("{INTERNAL_PREFIX}{slot:04}{seq:06}");
        let code = format!("{body}{}", check_digit(&body));
        let used: bool = tx
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM barcodes WHERE code = ?1)")?
            .query_row([&code], |r| r.get(0))?;
        if !used {
            tx.prepare_cached(
                "INSERT INTO settings (key, value) VALUES ('internal_barcode_seq', ?1)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )?
            .execute([seq.to_string()])?;
            return Barcode::parse(&code).map_err(|e| {
                StoreError::Corrupt(format!("made an invalid internal barcode: {e}"))
            });
        }
    }
}
