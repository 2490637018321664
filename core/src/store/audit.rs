//! The audit log: who did what sensitive thing, when, on which counter, and what the
//! value was before and after. Rows are only ever added; triggers in the schema
//! refuse UPDATE and DELETE. Each row is also queued for sync (an append-only
//! document, SYNC.md rule 4) so the back office sees what every counter recorded.

use rusqlite::{params, Row, Transaction};
use serde_json::json;
use uuid::Uuid;

use super::{Error, Store, StoreError};
use crate::hlc::HybridClock;
use crate::staff::{Actor, Permission};

/// The sensitive actions Galla records. Stored as text; other store modules add
/// their entries with `record_audit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuditAction {
    StaffAdded,
    RoleChanged,
    PinReset,
    StaffArchived,
    /// A wrong PIN was entered for a person.
    PinWrong,
    /// Wrong PINs locked a person out.
    StaffLocked,
    /// Someone tried a PIN while the person was locked out.
    PinRefusedLocked,
    PriceChanged,
    CostChanged,
    StockAdjusted,
    StockCounted,
    /// A manager's PIN allowed a discount, price override or return over a cashier's limit.
    OverrideApproved,
}

impl AuditAction {
    pub const ALL: [AuditAction; 12] = [
        AuditAction::StaffAdded,
        AuditAction::RoleChanged,
        AuditAction::PinReset,
        AuditAction::StaffArchived,
        AuditAction::PinWrong,
        AuditAction::StaffLocked,
        AuditAction::PinRefusedLocked,
        AuditAction::PriceChanged,
        AuditAction::CostChanged,
        AuditAction::StockAdjusted,
        AuditAction::StockCounted,
        AuditAction::OverrideApproved,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            AuditAction::StaffAdded => "staff_added",
            AuditAction::RoleChanged => "role_changed",
            AuditAction::PinReset => "pin_reset",
            AuditAction::StaffArchived => "staff_archived",
            AuditAction::PinWrong => "pin_wrong",
            AuditAction::StaffLocked => "staff_locked",
            AuditAction::PinRefusedLocked => "pin_refused_locked",
            AuditAction::PriceChanged => "price_changed",
            AuditAction::CostChanged => "cost_changed",
            AuditAction::StockAdjusted => "stock_adjusted",
            AuditAction::StockCounted => "stock_counted",
            AuditAction::OverrideApproved => "override_approved",
        }
    }

    pub fn parse(text: &str) -> Option<AuditAction> {
        AuditAction::ALL.into_iter().find(|a| a.as_str() == text)
    }
}

/// One row of the audit log, as the back office shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub id: Uuid,
    pub at_ms: u64,
    /// Who did it; `None` when nobody was signed in (a wrong PIN on the PIN screen).
    pub staff_id: Option<Uuid>,
    /// Their name now, when this device knows them.
    pub staff_name: Option<String>,
    /// The counter or laptop it happened on.
    pub device_id: Uuid,
    /// Kept as text: an entry synced from a newer app may carry an action this one
    /// does not know, and it must still be listed. See `known_action`.
    pub action: String,
    pub entity: String,
    pub entity_id: Option<Uuid>,
    pub field: Option<String>,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub reason: Option<String>,
}

impl AuditEntry {
    pub fn known_action(&self) -> Option<AuditAction> {
        AuditAction::parse(&self.action)
    }
}

/// Which entries to list. Every condition is optional; the list is newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditFilter {
    /// Who did it.
    pub staff_id: Option<Uuid>,
    pub action: Option<AuditAction>,
    /// What it was done to (a product, a person).
    pub entity_id: Option<Uuid>,
    /// From this time on, inclusive.
    pub from_ms: Option<u64>,
    /// Before this time, exclusive.
    pub until_ms: Option<u64>,
    /// At most this many entries, capped at `AuditFilter::MAX_LIMIT`.
    pub limit: usize,
}

impl AuditFilter {
    pub const DEFAULT_LIMIT: usize = 200;
    /// A page the back office can show without stalling the counter's store.
    pub const MAX_LIMIT: usize = 1_000;
}

impl Default for AuditFilter {
    fn default() -> AuditFilter {
        AuditFilter {
            staff_id: None,
            action: None,
            entity_id: None,
            from_ms: None,
            until_ms: None,
            limit: AuditFilter::DEFAULT_LIMIT,
        }
    }
}

/// What happened; who, when and where are added by `record_audit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct AuditEvent<'a> {
    pub action: AuditAction,
    pub entity: &'a str,
    pub entity_id: Option<Uuid>,
    pub field: Option<&'a str>,
    pub old_value: Option<&'a str>,
    pub new_value: Option<&'a str>,
    pub reason: Option<&'a str>,
}

impl<'a> AuditEvent<'a> {
    pub(crate) fn new(action: AuditAction, entity: &'a str, entity_id: Uuid) -> AuditEvent<'a> {
        AuditEvent {
            action,
            entity,
            entity_id: Some(entity_id),
            field: None,
            old_value: None,
            new_value: None,
            reason: None,
        }
    }

    pub(crate) fn change(
        self,
        field: &'a str,
        old_value: Option<&'a str>,
        new_value: Option<&'a str>,
    ) -> AuditEvent<'a> {
        AuditEvent {
            field: Some(field),
            old_value,
            new_value,
            ..self
        }
    }

    pub(crate) fn reason(self, reason: &'a str) -> AuditEvent<'a> {
        AuditEvent {
            reason: Some(reason),
            ..self
        }
    }
}

/// Appends one audit entry and its outbox entry in the caller's transaction, so the
/// entry exists exactly when the change it describes does. Call it from the store
/// method that makes the change, after the permission check.
pub(crate) fn record_audit(
    tx: &Transaction<'_>,
    clock: &mut HybridClock,
    device: Uuid,
    actor: Option<&Actor>,
    event: &AuditEvent<'_>,
    now_ms: u64,
) -> Result<Uuid, StoreError> {
    let id = crate::id::new_id();
    let staff_id = actor.map(|a| a.staff_id().to_string());
    let entity_id = event.entity_id.map(|e| e.to_string());
    let at_ms = super::to_sql_ms(now_ms);
    tx.prepare_cached(
        "INSERT INTO audit_log (id, at_ms, staff_id, device_id, action, entity, entity_id, field,
             old_value, new_value, reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        id.to_string(),
        at_ms,
        staff_id,
        device.to_string(),
        event.action.as_str(),
        event.entity,
        entity_id,
        event.field,
        event.old_value,
        event.new_value,
        event.reason,
    ])?;
    let stamp = super::stamp(clock, tx, now_ms)?;
    let payload = json!({
        "at_ms": at_ms,
        "staff_id": staff_id,
        "device_id": device.to_string(),
        "action": event.action.as_str(),
        "entity": event.entity,
        "entity_id": entity_id,
        "field": event.field,
        "old_value": event.old_value,
        "new_value": event.new_value,
        "reason": event.reason,
    });
    super::push_outbox(
        tx,
        "audit",
        id,
        "append",
        stamp,
        actor.map(Actor::staff_id),
        &payload,
    )?;
    Ok(id)
}

impl Store {
    /// Audit entries matching `filter`, newest first. Needs `ViewAuditLog`.
    pub fn audit_entries(
        &self,
        actor: &Actor,
        filter: &AuditFilter,
    ) -> Result<Vec<AuditEntry>, Error> {
        super::staff::authorize(&self.conn, actor, Permission::ViewAuditLog)?;
        let limit = filter.limit.min(AuditFilter::MAX_LIMIT);
        let mut stmt = self.conn.prepare_cached(
            "SELECT a.id, a.at_ms, a.staff_id, s.name, a.device_id, a.action, a.entity,
                    a.entity_id, a.field, a.old_value, a.new_value, a.reason
             FROM audit_log a LEFT JOIN staff s ON s.id = a.staff_id
             WHERE (?1 IS NULL OR a.staff_id = ?1)
               AND (?2 IS NULL OR a.action = ?2)
               AND (?3 IS NULL OR a.entity_id = ?3)
               AND (?4 IS NULL OR a.at_ms >= ?4)
               AND (?5 IS NULL OR a.at_ms < ?5)
             ORDER BY a.at_ms DESC, a.id DESC
             LIMIT ?6",
        )?;
        let rows = stmt.query_map(
            params![
                filter.staff_id.map(|id| id.to_string()),
                filter.action.map(|a| a.as_str()),
                filter.entity_id.map(|id| id.to_string()),
                filter.from_ms.map(super::to_sql_ms),
                filter.until_ms.map(super::to_sql_ms),
                i64::try_from(limit).unwrap_or(i64::MAX),
            ],
            |row| Ok(from_row(row)),
        )?;
        let mut entries = Vec::new();
        for row in rows {
            entries.push(row??);
        }
        Ok(entries)
    }
}

/// Reads a row defensively: entries arrive by sync from other devices too.
fn from_row(row: &Row<'_>) -> Result<AuditEntry, StoreError> {
    let uuid = |text: String, what: &str| {
        Uuid::parse_str(&text).map_err(|_| StoreError::Corrupt(format!("audit {what} {text:?}")))
    };
    let optional_uuid = |text: Option<String>, what: &str| text.map(|t| uuid(t, what)).transpose();
    let at_ms: i64 = row.get(1)?;
    Ok(AuditEntry {
        id: uuid(row.get(0)?, "id")?,
        at_ms: u64::try_from(at_ms)
            .map_err(|_| StoreError::Corrupt(format!("audit time {at_ms}")))?,
        staff_id: optional_uuid(row.get(2)?, "staff id")?,
        staff_name: row.get(3)?,
        device_id: uuid(row.get(4)?, "device id")?,
        action: row.get(5)?,
        entity: row.get(6)?,
        entity_id: optional_uuid(row.get(7)?, "entity id")?,
        field: row.get(8)?,
        old_value: row.get(9)?,
        new_value: row.get(10)?,
        reason: row.get(11)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_round_trip_as_text() {
        for action in AuditAction::ALL {
            assert_eq!(AuditAction::parse(action.as_str()), Some(action));
        }
        assert_eq!(AuditAction::parse("price_change"), None);
    }

    #[test]
    fn times_beyond_sqlite_integers_are_held_not_wrapped() {
        assert_eq!(super::super::to_sql_ms(5), 5);
        assert_eq!(super::super::to_sql_ms(u64::MAX), i64::MAX);
    }
}
