//! The stock ledger. Every write appends its movements and their outbox entries in
//! one transaction (SYNC.md rule 1), so a movement is either recorded for sync or not
//! made. On-hand figures come from `stock_levels`, which only the
//! migration's insert trigger writes; this file never touches it.

use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use serde_json::json;
use uuid::Uuid;

use super::audit::{record_audit, AuditAction, AuditEvent};
use super::outbox::push_outbox;
use super::shops::ensure_shop;
use super::staff::authorize;
use super::{Error, Store, StoreError};
use crate::hlc::HybridClock;
use crate::quantity::Quantity;
use crate::staff::{Actor, Permission};
use crate::stock::{
    self, AdjustmentReason, MovementKind, ReorderLine, StockError, StockMovement, StockTransfer,
};

const MOVEMENT_COLUMNS: &str = "id, variant_id, shop_id, quantity_milli, kind, reason, note, \
     document_id, counterpart_shop_id, staff_id, device_id, hlc, at_ms";

/// A movement as a write asks for it, already checked; `append_movement` adds the id,
/// the device, the clock stamp and the time.
struct NewMovement {
    variant_id: Uuid,
    shop_id: Uuid,
    quantity: Quantity,
    kind: MovementKind,
    reason: Option<AdjustmentReason>,
    note: Option<String>,
    document_id: Option<Uuid>,
    counterpart_shop_id: Option<Uuid>,
    staff_id: Option<Uuid>,
}

impl NewMovement {
    fn new(variant_id: Uuid, shop_id: Uuid, quantity: Quantity, kind: MovementKind) -> Self {
        NewMovement {
            variant_id,
            shop_id,
            quantity,
            kind,
            reason: None,
            note: None,
            document_id: None,
            counterpart_shop_id: None,
            staff_id: None,
        }
    }
}

impl Store {
    /// Goods arriving at `shop_id`. Needs `ReceiveStock`; the actor is kept on the movement.
    pub fn receive_stock(
        &mut self,
        variant_id: Uuid,
        shop_id: Uuid,
        quantity: Quantity,
        note: Option<&str>,
        actor: &Actor,
        now_ms: u64,
    ) -> Result<StockMovement, Error> {
        let tx = self.conn.transaction()?;
        let movement = receive_in(
            &tx,
            &mut self.clock,
            self.device,
            actor,
            (variant_id, shop_id, quantity),
            note,
            now_ms,
        )?;
        tx.commit()?;
        Ok(movement)
    }

    /// A hand adjustment by a signed quantity (-1 damaged, +2 found) with its reason.
    /// Going below zero is allowed: the ledger records what happened.
    // One argument more than clippy likes; a struct for it would be the only one among
    // the stock writes, and each argument here is a separate field of the form.
    #[allow(clippy::too_many_arguments)]
    pub fn adjust_stock(
        &mut self,
        variant_id: Uuid,
        shop_id: Uuid,
        signed_quantity: Quantity,
        reason: Option<AdjustmentReason>,
        note: Option<&str>,
        actor: &Actor,
        now_ms: u64,
    ) -> Result<StockMovement, Error> {
        let reason = stock::validate_adjustment(signed_quantity, reason)?;
        let note = stock::parse_note(note)?;
        let tx = self.conn.transaction()?;
        authorize(&tx, actor, Permission::AdjustStock)?;
        ensure_shop(&tx, shop_id)?;
        ensure_variant(&tx, variant_id)?;
        let before = level(&tx, variant_id, shop_id)?;
        let movement = append_movement(
            &tx,
            &mut self.clock,
            self.device,
            now_ms,
            NewMovement {
                reason: Some(reason),
                note,
                staff_id: Some(actor.staff_id()),
                ..NewMovement::new(
                    variant_id,
                    shop_id,
                    signed_quantity,
                    MovementKind::Adjustment,
                )
            },
        )?;
        audit_stock_change(
            &tx,
            &mut self.clock,
            self.device,
            actor,
            AuditAction::StockAdjusted,
            variant_id,
            (before, level(&tx, variant_id, shop_id)?),
            &adjustment_reason_text(reason, movement.note.as_deref()),
            now_ms,
        )?;
        tx.commit()?;
        Ok(movement)
    }

    /// A stocktake of a shelf in `shop_id`: for each variant, what was counted. Writes one
    /// Count movement for each variant whose count differs from on-hand, all under one
    /// document id and in one transaction, and returns them (none when the shelf matched
    /// the ledger). The difference is taken against on-hand inside the transaction, so a
    /// sale committed just before cannot be counted twice.
    pub fn count_stock(
        &mut self,
        shop_id: Uuid,
        counts: &[(Uuid, Quantity)],
        actor: &Actor,
        now_ms: u64,
    ) -> Result<Vec<StockMovement>, Error> {
        stock::validate_count(counts)?;
        let tx = self.conn.transaction()?;
        authorize(&tx, actor, Permission::CountStock)?;
        ensure_shop(&tx, shop_id)?;
        for &(variant_id, _) in counts {
            ensure_variant(&tx, variant_id)?;
        }
        let document_id = crate::id::new_id();
        let mut movements = Vec::new();
        for &(variant_id, counted) in counts {
            let on_hand = level(&tx, variant_id, shop_id)?;
            let Some(difference) = stock::stocktake_difference(on_hand, counted) else {
                continue;
            };
            stock::validate_movement_size(difference)?;
            audit_stock_change(
                &tx,
                &mut self.clock,
                self.device,
                actor,
                AuditAction::StockCounted,
                variant_id,
                (on_hand, counted),
                "stocktake",
                now_ms,
            )?;
            movements.push(append_movement(
                &tx,
                &mut self.clock,
                self.device,
                now_ms,
                NewMovement {
                    document_id: Some(document_id),
                    staff_id: Some(actor.staff_id()),
                    ..NewMovement::new(variant_id, shop_id, difference, MovementKind::Count)
                },
            )?);
        }
        tx.commit()?;
        Ok(movements)
    }

    /// Sends stock from one shop to another: a TransferOut at the source and a TransferIn
    /// at the destination, sharing one document id, in one transaction. Sending more than
    /// the source has is allowed and leaves it negative, like overselling.
    pub fn transfer_stock(
        &mut self,
        variant_id: Uuid,
        from_shop: Uuid,
        to_shop: Uuid,
        quantity: Quantity,
        actor: &Actor,
        now_ms: u64,
    ) -> Result<StockTransfer, Error> {
        stock::validate_transfer(from_shop, to_shop, quantity)?;
        let tx = self.conn.transaction()?;
        authorize(&tx, actor, Permission::TransferStock)?;
        ensure_variant(&tx, variant_id)?;
        ensure_shop(&tx, from_shop)?;
        ensure_shop(&tx, to_shop)?;
        let document_id = crate::id::new_id();
        // Validation bounds the quantity far from i64::MIN, so negating cannot overflow.
        let out = Quantity::from_milli(-quantity.milli());
        let sent = append_movement(
            &tx,
            &mut self.clock,
            self.device,
            now_ms,
            NewMovement {
                document_id: Some(document_id),
                counterpart_shop_id: Some(to_shop),
                staff_id: Some(actor.staff_id()),
                ..NewMovement::new(variant_id, from_shop, out, MovementKind::TransferOut)
            },
        )?;
        let received = append_movement(
            &tx,
            &mut self.clock,
            self.device,
            now_ms,
            NewMovement {
                document_id: Some(document_id),
                counterpart_shop_id: Some(from_shop),
                staff_id: Some(actor.staff_id()),
                ..NewMovement::new(variant_id, to_shop, quantity, MovementKind::TransferIn)
            },
        )?;
        tx.commit()?;
        Ok(StockTransfer { sent, received })
    }

    /// The sum of the ledger for one variant in one shop (zero when nothing moved), read
    /// from the trigger-kept cache. May be negative after overselling.
    pub fn on_hand(&self, variant_id: Uuid, shop_id: Uuid) -> Result<Quantity, StoreError> {
        level(&self.conn, variant_id, shop_id)
    }

    /// Movements of one variant, in one shop or in all, newest first by clock stamp (so
    /// a movement synced in from another counter sorts by when it happened there).
    pub fn stock_history(
        &self,
        variant_id: Uuid,
        shop_id: Option<Uuid>,
        limit: usize,
    ) -> Result<Vec<StockMovement>, StoreError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {MOVEMENT_COLUMNS} FROM stock_movements
             WHERE variant_id = ?1 AND (?2 IS NULL OR shop_id = ?2)
             ORDER BY hlc DESC, id DESC LIMIT ?3"
        ))?;
        let rows = stmt.query_map(
            params![
                variant_id.to_string(),
                shop_id.map(|s| s.to_string()),
                limit
            ],
            |row| Ok(movement_from_row(row)),
        )?;
        let mut movements = Vec::new();
        for row in rows {
            movements.push(row??);
        }
        Ok(movements)
    }

    /// Sets (or with `None` clears) the figure at or below which a variant shows on the
    /// shop's reorder list. Setting the value already stored records nothing.
    /// Needs `AdjustStock`.
    pub fn set_low_stock_threshold(
        &mut self,
        actor: &Actor,
        variant_id: Uuid,
        shop_id: Uuid,
        threshold: Option<Quantity>,
        now_ms: u64,
    ) -> Result<(), Error> {
        stock::validate_threshold(threshold)?;
        let low_milli = threshold.map(|t| t.milli());
        let tx = self.conn.transaction()?;
        authorize(&tx, actor, Permission::AdjustStock)?;
        ensure_shop(&tx, shop_id)?;
        ensure_variant(&tx, variant_id)?;
        let current: Option<Option<i64>> = tx
            .query_row(
                "SELECT low_milli FROM stock_thresholds WHERE variant_id = ?1 AND shop_id = ?2",
                params![variant_id.to_string(), shop_id.to_string()],
                |r| r.get(0),
            )
            .optional()?;
        if current.flatten() == low_milli {
            return Ok(());
        }
        let stamp = super::stamp(&mut self.clock, &tx, now_ms)?;
        tx.execute(
            "INSERT INTO stock_thresholds (variant_id, shop_id, low_milli, updated_hlc)
             VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (variant_id, shop_id)
             DO UPDATE SET low_milli = excluded.low_milli, updated_hlc = excluded.updated_hlc",
            params![
                variant_id.to_string(),
                shop_id.to_string(),
                low_milli,
                stamp.to_string()
            ],
        )?;
        // Thresholds stay on this device: sync protocol 1 has no entity for them yet
        // (they are keyed by variant and shop), and an entry the server cannot take
        // would only come back rejected.
        tx.commit()?;
        Ok(())
    }

    /// The low-stock threshold of a variant in a shop, if one is set.
    pub fn low_stock_threshold(
        &self,
        variant_id: Uuid,
        shop_id: Uuid,
    ) -> Result<Option<Quantity>, StoreError> {
        let low: Option<Option<i64>> = self
            .conn
            .prepare_cached(
                "SELECT low_milli FROM stock_thresholds WHERE variant_id = ?1 AND shop_id = ?2",
            )?
            .query_row(params![variant_id.to_string(), shop_id.to_string()], |r| {
                r.get(0)
            })
            .optional()?;
        Ok(low.flatten().map(Quantity::from_milli))
    }

    /// Variants of `shop_id` at or below their threshold, the furthest below first.
    /// A variant with a threshold and no movements has nothing on hand, so it is listed.
    pub fn reorder_list(&self, shop_id: Uuid) -> Result<Vec<ReorderLine>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT t.variant_id, t.low_milli, coalesce(l.on_hand_milli, 0)
             FROM stock_thresholds t
             LEFT JOIN stock_levels l ON l.variant_id = t.variant_id AND l.shop_id = t.shop_id
             WHERE t.shop_id = ?1 AND t.low_milli IS NOT NULL
               AND coalesce(l.on_hand_milli, 0) <= t.low_milli",
        )?;
        let rows = stmt.query_map([shop_id.to_string()], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?;
        let mut lines = Vec::new();
        for row in rows {
            let (variant_id, low, on_hand) = row?;
            // i128 so a deeply negative on-hand cannot overflow the subtraction.
            let shortfall = i128::from(low) - i128::from(on_hand);
            lines.push(ReorderLine {
                variant_id: parse_uuid(&variant_id, "threshold variant id")?,
                shop_id,
                on_hand: Quantity::from_milli(on_hand),
                threshold: Quantity::from_milli(low),
                shortfall: Quantity::from_milli(i64::try_from(shortfall).unwrap_or(i64::MAX)),
            });
        }
        lines.sort_by(|a, b| {
            b.shortfall
                .cmp(&a.shortfall)
                .then(a.variant_id.cmp(&b.variant_id))
        });
        Ok(lines)
    }
}

/// `receive_stock` inside the caller's transaction, so an import's opening stock is
/// part of the import's one transaction.
pub(super) fn receive_in(
    tx: &Transaction<'_>,
    clock: &mut HybridClock,
    device: Uuid,
    actor: &Actor,
    (variant_id, shop_id, quantity): (Uuid, Uuid, Quantity),
    note: Option<&str>,
    now_ms: u64,
) -> Result<StockMovement, Error> {
    stock::validate_receive(quantity)?;
    let note = stock::parse_note(note)?;
    authorize(tx, actor, Permission::ReceiveStock)?;
    ensure_shop(tx, shop_id)?;
    ensure_variant(tx, variant_id)?;
    append_movement(
        tx,
        clock,
        device,
        now_ms,
        NewMovement {
            note,
            staff_id: Some(actor.staff_id()),
            ..NewMovement::new(variant_id, shop_id, quantity, MovementKind::Receive)
        },
    )
}

/// Local writes name a variant of this store's catalog. (Movements synced in from
/// other counters are not checked: their variant may not have arrived yet.)
fn ensure_variant(tx: &Transaction<'_>, variant_id: Uuid) -> Result<(), Error> {
    let known: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM variants WHERE id = ?1)",
        [variant_id.to_string()],
        |r| r.get(0),
    )?;
    if !known {
        return Err(StockError::VariantNotFound(variant_id).into());
    }
    Ok(())
}

fn adjustment_reason_text(reason: AdjustmentReason, note: Option<&str>) -> String {
    match note {
        Some(note) => format!("{}: {note}", reason.as_str()),
        None => reason.as_str().to_owned(),
    }
}

/// Audits a hand change to on-hand in this device's shop: the figure before and after.
#[allow(clippy::too_many_arguments)]
fn audit_stock_change(
    tx: &Transaction<'_>,
    clock: &mut HybridClock,
    device: Uuid,
    actor: &Actor,
    action: AuditAction,
    variant_id: Uuid,
    (before, after): (Quantity, Quantity),
    reason: &str,
    now_ms: u64,
) -> Result<(), StoreError> {
    let (before, after) = (before.to_string(), after.to_string());
    let event = AuditEvent::new(action, "variant", variant_id)
        .change("on_hand", Some(&before), Some(&after))
        .reason(reason);
    record_audit(tx, clock, device, Some(actor), &event, now_ms)?;
    Ok(())
}

/// On-hand from the cache; no row means nothing has ever moved, which is zero.
fn level(conn: &Connection, variant_id: Uuid, shop_id: Uuid) -> Result<Quantity, StoreError> {
    let milli: Option<i64> = conn
        .prepare_cached(
            "SELECT on_hand_milli FROM stock_levels WHERE variant_id = ?1 AND shop_id = ?2",
        )?
        .query_row(params![variant_id.to_string(), shop_id.to_string()], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(Quantity::from_milli(milli.unwrap_or(0)))
}

/// Appends one movement and its outbox entry. The outbox carries the signed quantity,
/// never a resulting stock figure, so movements made offline on several counters add
/// up on the server (SYNC.md rule 3). Each movement gets its own clock stamp, so the
/// two halves of a transfer and the lines of a count keep a fixed order in history.
fn append_movement(
    tx: &Transaction<'_>,
    clock: &mut HybridClock,
    device: Uuid,
    now_ms: u64,
    new: NewMovement,
) -> Result<StockMovement, Error> {
    let at_ms = i64::try_from(now_ms).map_err(|_| StockError::ClockOutOfRange)?;
    let hlc = super::stamp(clock, tx, now_ms)?;
    let movement = StockMovement {
        id: crate::id::new_id(),
        variant_id: new.variant_id,
        shop_id: new.shop_id,
        quantity: new.quantity,
        kind: new.kind,
        reason: new.reason,
        note: new.note,
        document_id: new.document_id,
        counterpart_shop_id: new.counterpart_shop_id,
        staff_id: new.staff_id,
        device_id: device,
        hlc,
        at_ms: now_ms,
    };
    let text = |id: Option<Uuid>| id.map(|id| id.to_string());
    tx.prepare_cached(&format!(
        "INSERT INTO stock_movements ({MOVEMENT_COLUMNS})
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
    ))?
    .execute(params![
        movement.id.to_string(),
        movement.variant_id.to_string(),
        movement.shop_id.to_string(),
        movement.quantity.milli(),
        movement.kind.as_str(),
        movement.reason.map(|r| r.as_str()),
        movement.note,
        text(movement.document_id),
        text(movement.counterpart_shop_id),
        text(movement.staff_id),
        movement.device_id.to_string(),
        hlc.to_string(),
        at_ms,
    ])?;
    let payload = json!({
        "id": movement.id.to_string(),
        "variant_id": movement.variant_id.to_string(),
        "shop_id": movement.shop_id.to_string(),
        "quantity_milli": movement.quantity.milli(),
        "kind": movement.kind.as_str(),
        "reason": movement.reason.map(|r| r.as_str()),
        "note": movement.note,
        "document_id": text(movement.document_id),
        "counterpart_shop_id": text(movement.counterpart_shop_id),
        "staff_id": text(movement.staff_id),
        "device_id": movement.device_id.to_string(),
        "at_ms": now_ms,
    });
    push_outbox(
        tx,
        "stock_movement",
        movement.id,
        "append",
        hlc,
        movement.staff_id,
        &payload,
    )?;
    Ok(movement)
}

fn parse_uuid(text: &str, what: &str) -> Result<Uuid, StoreError> {
    Uuid::parse_str(text).map_err(|_| StoreError::Corrupt(format!("{what} {text:?}")))
}

fn parse_optional_uuid(text: Option<String>, what: &str) -> Result<Option<Uuid>, StoreError> {
    text.map(|t| parse_uuid(&t, what)).transpose()
}

/// Reads a row defensively: the file may have been written by another tool, or a
/// movement may have arrived by sync from a newer app.
fn movement_from_row(row: &Row<'_>) -> Result<StockMovement, StoreError> {
    let id: String = row.get(0)?;
    let variant_id: String = row.get(1)?;
    let shop_id: String = row.get(2)?;
    let kind: String = row.get(4)?;
    let reason: Option<String> = row.get(5)?;
    let device_id: String = row.get(10)?;
    let hlc: String = row.get(11)?;
    let at_ms: i64 = row.get(12)?;
    Ok(StockMovement {
        id: parse_uuid(&id, "movement id")?,
        variant_id: parse_uuid(&variant_id, "movement variant id")?,
        shop_id: parse_uuid(&shop_id, "movement shop id")?,
        quantity: Quantity::from_milli(row.get(3)?),
        kind: MovementKind::parse(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("movement kind {kind:?}")))?,
        reason: reason
            .map(|r| {
                AdjustmentReason::parse(&r)
                    .ok_or_else(|| StoreError::Corrupt(format!("adjustment reason {r:?}")))
            })
            .transpose()?,
        note: row.get(6)?,
        document_id: parse_optional_uuid(row.get(7)?, "movement document id")?,
        counterpart_shop_id: parse_optional_uuid(row.get(8)?, "transfer shop id")?,
        staff_id: parse_optional_uuid(row.get(9)?, "movement staff id")?,
        device_id: parse_uuid(&device_id, "movement device id")?,
        hlc: hlc
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("movement clock stamp {hlc:?}")))?,
        at_ms: u64::try_from(at_ms)
            .map_err(|_| StoreError::Corrupt(format!("movement time {at_ms}")))?,
    })
}

/// A sale's or return's stock movement, in the document's transaction: −quantity for a
/// sale, +quantity for a return put back on the shelf. Selling more than is on hand is
/// allowed (SYNC.md rule 3): on-hand goes negative and the reorder list shows it.
pub(super) fn document_movement_in(
    tx: &Transaction<'_>,
    clock: &mut HybridClock,
    device: Uuid,
    actor: &Actor,
    (variant_id, shop_id, quantity, kind): (Uuid, Uuid, Quantity, MovementKind),
    document_id: Uuid,
    now_ms: u64,
) -> Result<StockMovement, Error> {
    append_movement(
        tx,
        clock,
        device,
        now_ms,
        NewMovement {
            document_id: Some(document_id),
            staff_id: Some(actor.staff_id()),
            ..NewMovement::new(variant_id, shop_id, quantity, kind)
        },
    )
}
