//! Who may push what (SYNC.md rule 12; the table in docs/sync-protocol.md). Each entry
//! is checked against the role its staff member holds on the server when it is applied,
//! with core's permission table (`staff::require`), so the server and the app agree.

use galla_core::staff::{require, Permission, Role};
use galla_core::stock::MovementKind;
use serde_json::Value;
use sqlx::PgConnection;
use uuid::Uuid;

use super::validate::{Body, Checked, Facts, Rejection};

/// A staff member as the server's copy of the business's `staff` records has them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StaffMember {
    /// `None` when the record holds no role the server knows.
    pub role: Option<Role>,
    pub active: bool,
}

/// The business's staff member `staff_id`, if the feed has one.
pub async fn staff_member(
    conn: &mut PgConnection,
    business_id: Uuid,
    staff_id: Uuid,
) -> Result<Option<StaffMember>, sqlx::Error> {
    let row: Option<(Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT data->>'role', data->>'status' FROM records
         WHERE business_id = $1 AND entity = 'staff' AND key = $2",
    )
    .bind(business_id)
    .bind(staff_id.to_string())
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(role, status)| StaffMember {
        role: role.as_deref().and_then(Role::parse),
        active: status.as_deref().is_none_or(|s| s == "active"),
    }))
}

pub async fn has_staff(conn: &mut PgConnection, business_id: Uuid) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM records WHERE business_id = $1 AND entity = 'staff')",
    )
    .bind(business_id)
    .fetch_one(conn)
    .await
}

/// The permissions an entry needs, most specific first so a refusal names exactly what
/// is missing (a cashier changing a price is told about prices).
pub fn permissions(checked: &Checked<'_>) -> Vec<Permission> {
    match &checked.body {
        Body::Record(fields) => match checked.spec.name {
            "variant" => {
                let mut needed = Vec::new();
                if fields.contains_key("price_minor") {
                    needed.push(Permission::ChangePrice);
                }
                if fields.contains_key("cost_minor") {
                    needed.push(Permission::ChangeCost);
                }
                needed.push(Permission::ManageCatalog);
                needed
            }
            "shop" => vec![Permission::ManageSettings],
            "staff" => vec![Permission::ManageStaff],
            "customer" => vec![Permission::Sell],
            _ => vec![Permission::ManageCatalog],
        },
        Body::Document(_, facts) => match facts {
            Facts::StockMovement { kind, .. } => vec![match kind {
                MovementKind::Sale | MovementKind::Return => Permission::Sell,
                MovementKind::Receive => Permission::ReceiveStock,
                MovementKind::Adjustment => Permission::AdjustStock,
                MovementKind::Count => Permission::CountStock,
                MovementKind::TransferOut | MovementKind::TransferIn => Permission::TransferStock,
            }],
            // Any staff member of the business may leave an audit entry.
            Facts::Audit { .. } => Vec::new(),
            Facts::Sale { .. }
            | Facts::ShiftOpen { .. }
            | Facts::ShiftClose
            | Facts::CashMovement { .. }
            | Facts::StoreCredit { .. } => vec![Permission::Sell],
        },
    }
}

/// The first owner, made at first start before anyone could sign in: while the
/// business has no staff at all, an entry creating an owner in their own name.
pub fn is_bootstrap(
    checked: &Checked<'_>,
    staff_id: Option<Uuid>,
    business_has_staff: bool,
) -> bool {
    let Body::Record(fields) = &checked.body else {
        return false;
    };
    checked.spec.name == "staff"
        && !business_has_staff
        && staff_id.is_some_and(|id| id.to_string() == checked.key)
        && fields.get("role").and_then(Value::as_str) == Some("owner")
        && fields
            .get("status")
            .is_none_or(|status| status.as_str() == Some("active"))
}

/// Whether `actor` (the staff member named by the entry, if the server knows them) may
/// make this change.
pub fn decide(
    checked: &Checked<'_>,
    staff_id: Option<Uuid>,
    actor: Option<StaffMember>,
) -> Result<(), Rejection> {
    // Some audit entries are the device's own record of what happened while nobody
    // was signed in (a wrong PIN, a lockout): there is nobody to name, and refusing
    // them would lose the trail.
    if staff_id.is_none() && matches!(checked.body, Body::Document(_, Facts::Audit { .. })) {
        return Ok(());
    }
    let staff_id = staff_id.ok_or_else(|| {
        Rejection::new(
            "unknown_actor",
            "The entry names no staff member (staff_id); every change is made by someone.",
        )
    })?;
    let actor = actor.ok_or_else(|| {
        Rejection::new(
            "unknown_actor",
            format!("Staff member {staff_id} is not on this business's staff list on the server."),
        )
    })?;
    let role = actor.role.ok_or_else(|| {
        Rejection::new(
            "unknown_actor",
            format!("Staff member {staff_id} has no role on the server."),
        )
    })?;
    // Documents record what already happened, perhaps offline before someone was
    // archived; records change what is, which only current staff may do.
    if !actor.active && matches!(checked.body, Body::Record(_)) {
        return Err(Rejection::new(
            "forbidden",
            format!("Staff member {staff_id} is archived and can no longer make changes."),
        ));
    }
    for permission in permissions(checked) {
        require(role, permission).map_err(|err| Rejection::new("forbidden", err.to_string()))?;
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::sync::validate::check;
    use galla_sync_protocol::Entry;
    use serde_json::json;

    const NOW: u64 = 1_763_700_000_000;

    fn entry(entity: &str, op: &str, key: &str, payload: Value) -> Entry {
        Entry {
            seq: 1,
            id: Uuid::now_v7(),
            entity: entity.into(),
            key: key.into(),
            op: op.into(),
            hlc: format!("{NOW:015}-0000000000-0194f0e8a1b27c3d8e9f0a1b2c3d4e5f"),
            staff_id: None,
            payload,
        }
    }

    fn member(role: Role, active: bool) -> Option<StaffMember> {
        Some(StaffMember {
            role: Some(role),
            active,
        })
    }

    fn decided(entry: &Entry, actor: Option<StaffMember>) -> Result<(), &'static str> {
        let checked = check(entry, NOW).unwrap();
        decide(&checked, Some(Uuid::now_v7()), actor).map_err(|r| r.code)
    }

    #[test]
    fn an_audit_entry_may_name_nobody_but_nothing_else_may() {
        let device = Uuid::now_v7();
        let wrong_pin = entry(
            "audit",
            "append",
            &Uuid::now_v7().to_string(),
            json!({"at_ms": NOW, "staff_id": null, "device_id": device, "action": "pin_wrong",
                   "entity": "staff", "entity_id": Uuid::now_v7().to_string()}),
        );
        let checked = check(&wrong_pin, NOW).unwrap();
        assert_eq!(decide(&checked, None, None).map_err(|r| r.code), Ok(()));
        let customer = entry(
            "customer",
            "create",
            &Uuid::now_v7().to_string(),
            json!({"fields": {"name": "Ravi"}}),
        );
        let checked = check(&customer, NOW).unwrap();
        assert_eq!(
            decide(&checked, None, None).map_err(|r| r.code),
            Err("unknown_actor")
        );
    }

    #[test]
    fn prices_need_change_price_and_are_named_first() {
        let key = Uuid::now_v7().to_string();
        let price = entry(
            "variant",
            "update",
            &key,
            json!({"fields": {"price_minor": 1}}),
        );
        let sku = entry("variant", "update", &key, json!({"fields": {"sku": "X"}}));
        assert_eq!(
            decided(&price, member(Role::Cashier, true)),
            Err("forbidden")
        );
        assert_eq!(decided(&price, member(Role::Manager, true)), Ok(()));
        assert_eq!(decided(&sku, member(Role::Cashier, true)), Err("forbidden"));
        let checked = check(&price, NOW).unwrap();
        let reason = decide(&checked, Some(Uuid::now_v7()), member(Role::Cashier, true))
            .unwrap_err()
            .reason;
        assert!(reason.contains("change prices"), "{reason}");
    }

    #[test]
    fn staff_changes_are_for_owners_and_archived_staff_change_no_records() {
        let key = Uuid::now_v7().to_string();
        let staff = entry(
            "staff",
            "create",
            &key,
            json!({"fields": {"role": "cashier"}}),
        );
        assert_eq!(
            decided(&staff, member(Role::Manager, true)),
            Err("forbidden")
        );
        assert_eq!(decided(&staff, member(Role::Owner, true)), Ok(()));
        assert_eq!(
            decided(&staff, member(Role::Owner, false)),
            Err("forbidden")
        );
        assert_eq!(decided(&staff, None), Err("unknown_actor"));
        let checked = check(&staff, NOW).unwrap();
        assert_eq!(
            decide(&checked, None, member(Role::Owner, true))
                .unwrap_err()
                .code,
            "unknown_actor"
        );
    }

    #[test]
    fn the_first_owner_may_create_themselves_only_while_there_is_no_staff() {
        let key = Uuid::now_v7();
        let own = entry(
            "staff",
            "create",
            &key.to_string(),
            json!({"fields": {"name": "Asha", "role": "owner", "status": "active"}}),
        );
        let checked = check(&own, NOW).unwrap();
        assert!(is_bootstrap(&checked, Some(key), false));
        assert!(!is_bootstrap(&checked, Some(key), true));
        assert!(!is_bootstrap(&checked, Some(Uuid::now_v7()), false));
        let cashier = entry(
            "staff",
            "create",
            &key.to_string(),
            json!({"fields": {"role": "cashier"}}),
        );
        assert!(!is_bootstrap(
            &check(&cashier, NOW).unwrap(),
            Some(key),
            false
        ));
    }

    #[test]
    fn stock_movements_need_the_permission_of_their_kind() {
        let key = Uuid::now_v7().to_string();
        let receive = entry(
            "stock_movement",
            "append",
            &key,
            json!({"id": key, "variant_id": Uuid::now_v7().to_string(),
                   "shop_id": Uuid::now_v7().to_string(), "quantity_milli": 5000,
                   "kind": "receive", "device_id": Uuid::now_v7().to_string(), "at_ms": NOW}),
        );
        assert_eq!(
            decided(&receive, member(Role::Cashier, true)),
            Err("forbidden")
        );
        assert_eq!(decided(&receive, member(Role::Manager, true)), Ok(()));
        // Documents from archived staff still count: they record what happened.
        assert_eq!(decided(&receive, member(Role::Manager, false)), Ok(()));
    }
}
