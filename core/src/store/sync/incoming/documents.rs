//! Documents other than sales: stock movements, shifts and their closings, cash
//! movements, store credit and audit entries. A document is written once and never
//! changed (SYNC.md rule 4), so it is inserted when its key is not here yet and left
//! alone when it is (this device's own documents come back that way).

use galla_sync_protocol::{hlc_wall_ms, Change};
use rusqlite::{params, OptionalExtension};
use uuid::Uuid;

use super::values::{parse_id, unusable, Payload, Refusal};
use super::{Applied, Ctx};
use crate::hlc::HlcStamp;
use crate::stock::{AdjustmentReason, MovementKind};

pub(super) fn key(change: &Change) -> Result<String, Refusal> {
    parse_id(&change.key)
        .ok_or_else(|| unusable(format!("{}: the key is not an id", change.entity)))
}

pub(super) fn exists(
    ctx: &Ctx<'_, '_>,
    table: &str,
    column: &str,
    key: &str,
) -> Result<bool, Refusal> {
    Ok(ctx
        .tx
        .prepare_cached(&format!("SELECT 1 FROM {table} WHERE {column} = ?1"))?
        .query_row([key], |_| Ok(()))
        .optional()?
        .is_some())
}

/// The `hlc` column of a document from elsewhere. The payload carries no stamp (the
/// entry's stamp travels beside it and the feed does not repeat it), so unless a
/// newer server adds one, the stamp is made from when and on which device the
/// document happened: lists ordered by stamp then show it at its own time.
pub(super) fn document_stamp(payload: &Payload<'_>, at_ms: i64, device: Option<&str>) -> String {
    if let Some(own) = payload
        .raw("hlc")
        .and_then(|v| v.as_str())
        .filter(|s| hlc_wall_ms(s).is_some() && s.parse::<HlcStamp>().is_ok())
    {
        return own.to_owned();
    }
    let device = device
        .and_then(|d| Uuid::try_parse(d).ok())
        .unwrap_or(Uuid::nil());
    format!("{at_ms:015}-{:010}-{}", 0, device.as_simple())
}

/// A payload that names its own id must name the change's key.
fn same_id(payload: &Payload<'_>, key: &str) -> Result<(), Refusal> {
    match payload.opt_id("id")? {
        Some(id) if id != key => Err(unusable("the payload's id differs from the change's key")),
        _ => Ok(()),
    }
}

/// Inserted with a plain INSERT: the table's AFTER INSERT trigger adds it to
/// `stock_levels`, exactly as for a movement made here.
pub(super) fn stock_movement(ctx: &Ctx<'_, '_>, change: &Change) -> Result<Applied, Refusal> {
    let id = key(change)?;
    if exists(ctx, "stock_movements", "id", &id)? {
        return Ok(Applied::Unchanged);
    }
    let p = Payload::new("stock movement", &change.data)?;
    same_id(&p, &id)?;
    let kind = p.text("kind")?;
    if MovementKind::parse(&kind).is_none() {
        return Err(unusable(format!("stock movement: unknown kind {kind:?}")));
    }
    let reason = p.opt_text("reason")?;
    if let Some(reason) = &reason {
        if AdjustmentReason::parse(reason).is_none() {
            return Err(unusable(format!(
                "stock movement: unknown reason {reason:?}"
            )));
        }
    }
    let device_id = p.id("device_id")?;
    let at_ms = p.time("at_ms")?;
    ctx.tx
        .prepare_cached(
            "INSERT INTO stock_movements (id, variant_id, shop_id, quantity_milli, kind, reason,
                 note, document_id, counterpart_shop_id, staff_id, device_id, hlc, at_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        )?
        .execute(params![
            id,
            p.id("variant_id")?,
            p.id("shop_id")?,
            p.int("quantity_milli")?,
            kind,
            reason,
            p.opt_text("note")?,
            p.opt_id("document_id")?,
            p.opt_id("counterpart_shop_id")?,
            p.opt_id("staff_id")?,
            device_id,
            document_stamp(&p, at_ms, Some(&device_id)),
            at_ms
        ])?;
    Ok(Applied::Changed)
}

/// A shift's opening (entity `shift`, key the shift id).
pub(super) fn shift(ctx: &Ctx<'_, '_>, change: &Change) -> Result<Applied, Refusal> {
    let id = key(change)?;
    if exists(ctx, "shifts", "id", &id)? {
        return Ok(Applied::Unchanged);
    }
    let p = Payload::new("shift", &change.data)?;
    let device_id = p.id("device_id")?;
    let opened_at = p.time("opened_at_ms")?;
    ctx.tx
        .prepare_cached(
            "INSERT INTO shifts (id, device_id, shop_id, opened_by, opened_at_ms, float_minor, hlc)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(params![
            id,
            device_id,
            p.id("shop_id")?,
            p.id("opened_by")?,
            opened_at,
            p.int("float_minor")?,
            document_stamp(&p, opened_at, Some(&device_id))
        ])?;
    Ok(Applied::Changed)
}

fn shift_device(ctx: &Ctx<'_, '_>, shift: &str) -> Result<Option<String>, Refusal> {
    Ok(ctx
        .tx
        .prepare_cached("SELECT device_id FROM shifts WHERE id = ?1")?
        .query_row([shift], |r| r.get(0))
        .optional()?)
}

/// A shift's closing (entity `shift_closing`, key the shift id) with its Z report as
/// `shifts.rs` stores it: the counted and expected cash are the report's figures.
pub(super) fn shift_closing(ctx: &Ctx<'_, '_>, change: &Change) -> Result<Applied, Refusal> {
    let shift = key(change)?;
    if exists(ctx, "shift_closings", "shift_id", &shift)? {
        return Ok(Applied::Unchanged);
    }
    let p = Payload::new("shift closing", &change.data)?;
    let report = p.object("report")?;
    let counted = match p.opt_int("counted_minor")? {
        Some(counted) => counted,
        None => report.int("counted_cash_minor")?,
    };
    let expected = match p.opt_int("expected_minor")? {
        Some(expected) => expected,
        None => report.int("expected_cash_minor")?,
    };
    let denominations = p
        .raw("denominations")
        .ok_or_else(|| unusable("shift closing: denominations is missing"))?;
    let closed_at = p.time("closed_at_ms")?;
    let device = shift_device(ctx, &shift)?;
    ctx.tx
        .prepare_cached(
            "INSERT INTO shift_closings (shift_id, closed_by, closed_at_ms, counted_minor,
                 expected_minor, denominations, report, hlc)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![
            shift,
            p.id("closed_by")?,
            closed_at,
            counted,
            expected,
            denominations.to_string(),
            p.raw("report").map(|r| r.to_string()),
            document_stamp(&p, closed_at, device.as_deref())
        ])?;
    Ok(Applied::Changed)
}

pub(super) fn cash_movement(ctx: &Ctx<'_, '_>, change: &Change) -> Result<Applied, Refusal> {
    let id = key(change)?;
    if exists(ctx, "cash_movements", "id", &id)? {
        return Ok(Applied::Unchanged);
    }
    let p = Payload::new("cash movement", &change.data)?;
    let shift = p.id("shift_id")?;
    let at_ms = p.time("at_ms")?;
    let device = match p.opt_id("device_id")? {
        Some(device) => Some(device),
        None => shift_device(ctx, &shift)?,
    };
    ctx.tx
        .prepare_cached(
            "INSERT INTO cash_movements (id, shift_id, kind, amount_minor, reason, staff_id, at_ms, hlc)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![
            id,
            shift,
            p.text("kind")?,
            p.int("amount_minor")?,
            p.text("reason")?,
            p.id("staff_id")?,
            at_ms,
            document_stamp(&p, at_ms, device.as_deref())
        ])?;
    Ok(Applied::Changed)
}

pub(super) fn store_credit(ctx: &Ctx<'_, '_>, change: &Change) -> Result<Applied, Refusal> {
    let id = key(change)?;
    if exists(ctx, "store_credit", "id", &id)? {
        return Ok(Applied::Unchanged);
    }
    let p = Payload::new("store credit", &change.data)?;
    let device_id = p.id("device_id")?;
    let at_ms = p.time("at_ms")?;
    ctx.tx
        .prepare_cached(
            "INSERT INTO store_credit (id, customer_id, amount_minor, document_id, device_id, hlc, at_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(params![
            id,
            p.id("customer_id")?,
            p.int("amount_minor")?,
            p.opt_id("document_id")?,
            device_id,
            document_stamp(&p, at_ms, Some(&device_id)),
            at_ms
        ])?;
    Ok(Applied::Changed)
}

/// An audit entry as `audit.rs` records it. Ids are checked because the audit
/// reader parses them and would refuse the whole list over one bad row.
pub(super) fn audit(ctx: &Ctx<'_, '_>, change: &Change) -> Result<Applied, Refusal> {
    let id = key(change)?;
    if exists(ctx, "audit_log", "id", &id)? {
        return Ok(Applied::Unchanged);
    }
    let p = Payload::new("audit entry", &change.data)?;
    ctx.tx
        .prepare_cached(
            "INSERT INTO audit_log (id, at_ms, staff_id, device_id, action, entity, entity_id,
                 field, old_value, new_value, reason)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?
        .execute(params![
            id,
            p.time("at_ms")?,
            p.opt_id("staff_id")?,
            p.id("device_id")?,
            p.text("action")?,
            p.text("entity")?,
            p.opt_id("entity_id")?,
            p.opt_text("field")?,
            p.opt_text("old_value")?,
            p.opt_text("new_value")?,
            p.opt_text("reason")?
        ])?;
    Ok(Applied::Changed)
}
