//! Shifts on this counter: open with a counted float, cash in and out, the X report,
//! and the close with the Z report kept as an immutable document.

use rusqlite::{params, Connection, OptionalExtension};
use serde_json::json;
use uuid::Uuid;

use super::outbox::push_outbox;
use super::staff::authorize;
use super::{Error, Store, StoreError};
use crate::money::Money;
use crate::pos::payment::Method;
use crate::pos::pricing::TaxAmount;
use crate::pos::shift::{count_drawer, CashDirection, CashMovement, MethodTotal, ShiftReport};
use crate::pos::PosError;
use crate::staff::{Actor, Permission};

impl Store {
    pub fn open_shift(
        &mut self,
        actor: &Actor,
        float: &str,
        now_ms: u64,
    ) -> Result<ShiftReport, Error> {
        authorize(&self.conn, actor, Permission::Sell)?;
        let float = Money::parse_price(float, self.shop.currency)
            .map_err(|e| PosError::Amount(format!("Opening float: {e}")))?;
        let shop = self.current_shop_as(Some(actor.staff_id()), now_ms)?;
        let tx = self.conn.transaction()?;
        if open_shift_id(&tx, self.device)?.is_some() {
            return Err(PosError::ShiftOpen.into());
        }
        let id = crate::id::new_id();
        let stamp = super::stamp(&mut self.clock, &tx, now_ms)?;
        tx.prepare_cached(
            "INSERT INTO shifts (id, device_id, shop_id, opened_by, opened_at_ms, float_minor, hlc)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(params![
            id.to_string(),
            self.device.to_string(),
            shop.id.to_string(),
            actor.staff_id().to_string(),
            super::to_sql_ms(now_ms),
            float.minor(),
            stamp.to_string()
        ])?;
        push_outbox(
            &tx,
            "shift",
            id,
            "open",
            stamp,
            Some(actor.staff_id()),
            &json!({
                "device_id": self.device.to_string(),
                "shop_id": shop.id.to_string(),
                "opened_by": actor.staff_id().to_string(),
                "opened_at_ms": super::to_sql_ms(now_ms),
                "float_minor": float.minor(),
            }),
        )?;
        let report = report(&tx, id)?;
        tx.commit()?;
        Ok(report)
    }

    /// The open shift's running report; `None` when no shift is open on this counter.
    pub fn current_shift(&self) -> Result<Option<ShiftReport>, StoreError> {
        match open_shift_id(&self.conn, self.device)? {
            Some(id) => Ok(Some(report(&self.conn, id)?)),
            None => Ok(None),
        }
    }

    pub fn shift_report(&self, shift_id: Uuid) -> Result<ShiftReport, StoreError> {
        report(&self.conn, shift_id)
    }

    pub fn cash_movement(
        &mut self,
        actor: &Actor,
        direction: CashDirection,
        amount: &str,
        reason: &str,
        now_ms: u64,
    ) -> Result<ShiftReport, Error> {
        authorize(&self.conn, actor, Permission::Sell)?;
        let amount = Money::parse_price(amount, self.shop.currency)
            .map_err(|e| PosError::Amount(format!("Cash amount: {e}")))?;
        if amount.minor() == 0 {
            return Err(PosError::Amount("Cash amount: type an amount above zero.".into()).into());
        }
        let reason: String = reason
            .trim()
            .chars()
            .filter(|c| !c.is_control())
            .take(200)
            .collect();
        if reason.is_empty() {
            return Err(PosError::ReasonRequired.into());
        }
        let tx = self.conn.transaction()?;
        let shift = open_shift_id(&tx, self.device)?.ok_or(PosError::NoOpenShift)?;
        let id = crate::id::new_id();
        let stamp = super::stamp(&mut self.clock, &tx, now_ms)?;
        tx.prepare_cached(
            "INSERT INTO cash_movements (id, shift_id, kind, amount_minor, reason, staff_id, at_ms, hlc)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![
            id.to_string(),
            shift.to_string(),
            direction.as_str(),
            amount.minor(),
            reason,
            actor.staff_id().to_string(),
            super::to_sql_ms(now_ms),
            stamp.to_string()
        ])?;
        push_outbox(
            &tx,
            "cash_movement",
            id,
            "append",
            stamp,
            Some(actor.staff_id()),
            &json!({
                "shift_id": shift.to_string(),
                "kind": direction.as_str(),
                "amount_minor": amount.minor(),
                "reason": reason,
                "staff_id": actor.staff_id().to_string(),
                "at_ms": super::to_sql_ms(now_ms),
            }),
        )?;
        let report = report(&tx, shift)?;
        tx.commit()?;
        Ok(report)
    }

    /// Closes the open shift with the drawer counted by denomination (value, count typed).
    pub fn close_shift(
        &mut self,
        actor: &Actor,
        counts: &[(i64, String)],
        now_ms: u64,
    ) -> Result<ShiftReport, Error> {
        authorize(&self.conn, actor, Permission::Sell)?;
        let (counted, parsed) = count_drawer(counts).map_err(PosError::from)?;
        let tx = self.conn.transaction()?;
        let shift = open_shift_id(&tx, self.device)?.ok_or(PosError::NoOpenShift)?;
        let mut z = report(&tx, shift)?;
        z.closed = true;
        z.closed_by = Some(actor.name().to_owned());
        z.closed_at_ms = Some(now_ms);
        z.counted_cash_minor = Some(counted);
        let stamp = super::stamp(&mut self.clock, &tx, now_ms)?;
        let denominations = json!(parsed
            .iter()
            .map(|(v, c)| json!({"value_minor": v, "count": c}))
            .collect::<Vec<_>>());
        let summary = json!({
            "sale_count": z.sale_count, "return_count": z.return_count,
            "gross_sales_minor": z.gross_sales_minor, "discounts_minor": z.discounts_minor,
            "refunds_minor": z.refunds_minor, "tax_minor": z.tax_minor,
            "rounding_minor": z.rounding_minor, "net_minor": z.net_minor,
            "expected_cash_minor": z.expected_cash_minor, "counted_cash_minor": counted,
        });
        tx.prepare_cached(
            "INSERT INTO shift_closings (shift_id, closed_by, closed_at_ms, counted_minor,
                 expected_minor, denominations, report, hlc)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![
            shift.to_string(),
            actor.staff_id().to_string(),
            super::to_sql_ms(now_ms),
            counted,
            z.expected_cash_minor,
            denominations.to_string(),
            summary.to_string(),
            stamp.to_string()
        ])?;
        push_outbox(
            &tx,
            "shift",
            shift,
            "close",
            stamp,
            Some(actor.staff_id()),
            &json!({
                "closed_by": actor.staff_id().to_string(),
                "closed_at_ms": super::to_sql_ms(now_ms),
                "denominations": denominations,
                "report": summary,
            }),
        )?;
        tx.commit()?;
        Ok(z)
    }
}

pub(super) fn open_shift_id(conn: &Connection, device: Uuid) -> Result<Option<Uuid>, StoreError> {
    let id: Option<String> = conn
        .prepare_cached(
            "SELECT s.id FROM shifts s LEFT JOIN shift_closings c ON c.shift_id = s.id
             WHERE s.device_id = ?1 AND c.shift_id IS NULL ORDER BY s.id DESC LIMIT 1",
        )?
        .query_row([device.to_string()], |r| r.get(0))
        .optional()?;
    id.map(|t| super::products::parse_uuid(&t, "shift id"))
        .transpose()
}

fn staff_name(conn: &Connection, id: &str) -> Result<String, StoreError> {
    Ok(conn
        .prepare_cached("SELECT name FROM staff WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?
        .unwrap_or_else(|| "someone".to_owned()))
}

/// Everything a shift's report says, from its documents.
fn report(conn: &Connection, shift_id: Uuid) -> Result<ShiftReport, StoreError> {
    let id = shift_id.to_string();
    let (opened_by, opened_at, float): (String, i64, i64) = conn
        .prepare_cached("SELECT opened_by, opened_at_ms, float_minor FROM shifts WHERE id = ?1")?
        .query_row([&id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    let closing: Option<(String, i64, i64)> = conn
        .prepare_cached(
            "SELECT closed_by, closed_at_ms, counted_minor FROM shift_closings WHERE shift_id = ?1",
        )?
        .query_row([&id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let mut report = ShiftReport {
        shift_id,
        closed: closing.is_some(),
        opened_by: staff_name(conn, &opened_by)?,
        opened_at_ms: opened_at.max(0) as u64,
        closed_by: None,
        closed_at_ms: None,
        float_minor: float,
        sale_count: 0,
        return_count: 0,
        gross_sales_minor: 0,
        discounts_minor: 0,
        refunds_minor: 0,
        tax_minor: 0,
        taxes: Vec::new(),
        rounding_minor: 0,
        net_minor: 0,
        by_method: Method::ALL
            .into_iter()
            .map(|method| MethodTotal {
                method,
                sales_minor: 0,
                refunds_minor: 0,
            })
            .collect(),
        cash_movements: Vec::new(),
        expected_cash_minor: float,
        counted_cash_minor: None,
    };
    if let Some((by, at, counted)) = closing {
        report.closed_by = Some(staff_name(conn, &by)?);
        report.closed_at_ms = Some(at.max(0) as u64);
        report.counted_cash_minor = Some(counted);
    }
    let mut stmt = conn.prepare_cached(
        "SELECT kind, count(*), sum(gross_minor), sum(discount_minor), sum(tax_minor),
                sum(rounding_minor), sum(grand_total_minor)
         FROM sales WHERE shift_id = ?1 GROUP BY kind",
    )?;
    let rows = stmt.query_map([&id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, i64>(3)?,
            r.get::<_, i64>(4)?,
            r.get::<_, i64>(5)?,
            r.get::<_, i64>(6)?,
        ))
    })?;
    for row in rows {
        let (kind, count, gross, discount, tax, rounding, grand) = row?;
        if kind == "sale" {
            report.sale_count = count;
            report.gross_sales_minor = gross;
            report.discounts_minor += discount;
            report.tax_minor += tax;
            report.rounding_minor += rounding;
            report.net_minor += grand;
        } else {
            report.return_count = count;
            report.discounts_minor -= discount;
            report.refunds_minor = grand;
            report.tax_minor -= tax;
            report.rounding_minor -= rounding;
            report.net_minor -= grand;
        }
    }
    // Tax by component, returns subtracted.
    let mut stmt = conn.prepare_cached(
        "SELECT s.kind, l.taxes FROM sale_lines l JOIN sales s ON s.id = l.sale_id WHERE s.shift_id = ?1",
    )?;
    let rows = stmt.query_map([&id], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    for row in rows {
        let (kind, taxes) = row?;
        let sign = if kind == "sale" { 1 } else { -1 };
        for t in super::sales::parse_taxes(&taxes)? {
            let signed = TaxAmount {
                amount_minor: sign * t.amount_minor,
                ..t
            };
            crate::pos::pricing::add_tax(&mut report.taxes, &signed);
        }
    }
    let mut stmt = conn.prepare_cached(
        "SELECT s.kind, p.method, sum(p.amount_minor) FROM payments p JOIN sales s ON s.id = p.sale_id
         WHERE s.shift_id = ?1 GROUP BY s.kind, p.method",
    )?;
    let rows = stmt.query_map([&id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
        ))
    })?;
    for row in rows {
        let (kind, method, amount) = row?;
        let method = Method::parse(&method)
            .ok_or_else(|| StoreError::Corrupt(format!("payment method {method:?}")))?;
        if let Some(total) = report.by_method.iter_mut().find(|m| m.method == method) {
            if kind == "sale" {
                total.sales_minor += amount;
            } else {
                total.refunds_minor += amount;
            }
        }
    }
    let mut stmt = conn.prepare_cached(
        "SELECT kind, amount_minor, reason, staff_id, at_ms FROM cash_movements WHERE shift_id = ?1 ORDER BY at_ms, id",
    )?;
    let rows = stmt.query_map([&id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, i64>(4)?,
        ))
    })?;
    for row in rows {
        let (kind, amount, reason, staff, at) = row?;
        let direction = CashDirection::parse(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("cash movement {kind:?}")))?;
        report.cash_movements.push(CashMovement {
            direction,
            amount_minor: amount,
            reason,
            staff_name: staff_name(conn, &staff)?,
            at_ms: at.max(0) as u64,
        });
    }
    let cash = report.by_method.iter().find(|m| m.method == Method::Cash);
    let (cash_in, cash_out) =
        report
            .cash_movements
            .iter()
            .fold((0, 0), |(i, o), m| match m.direction {
                CashDirection::In => (i + m.amount_minor, o),
                CashDirection::Out => (i, o + m.amount_minor),
            });
    report.expected_cash_minor =
        float + cash.map(|c| c.sales_minor - c.refunds_minor).unwrap_or(0) + cash_in - cash_out;
    Ok(report)
}
