//! Signing in, the staff list and the audit log, as they cross IPC.

use galla_core::staff::allows;
use galla_core::{Actor, AuditEntry, Permission, Role, StaffMember, StaffStatus};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename = "Role", rename_all = "snake_case")]
#[ts(rename = "Role")]
pub enum RoleView {
    Owner,
    Manager,
    Cashier,
}

impl From<Role> for RoleView {
    fn from(r: Role) -> RoleView {
        match r {
            Role::Owner => RoleView::Owner,
            Role::Manager => RoleView::Manager,
            Role::Cashier => RoleView::Cashier,
        }
    }
}

impl From<RoleView> for Role {
    fn from(r: RoleView) -> Role {
        match r {
            RoleView::Owner => Role::Owner,
            RoleView::Manager => Role::Manager,
            RoleView::Cashier => Role::Cashier,
        }
    }
}

/// A person on the PIN screen and the staff page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PersonView {
    pub id: String,
    pub name: String,
    pub role: RoleView,
    pub archived: bool,
    /// Until when wrong PINs locked them out (ms since the epoch), if that is later
    /// than now.
    #[ts(type = "number | null")]
    pub locked_until_ms: Option<u64>,
}

impl PersonView {
    pub fn new(m: StaffMember, now_ms: u64) -> PersonView {
        PersonView {
            id: m.id.to_string(),
            name: m.name,
            role: m.role.into(),
            archived: m.status != StaffStatus::Active,
            locked_until_ms: m.locked_until_ms.filter(|until| *until > now_ms),
        }
    }
}

/// The person signed in on this window, and what they may do. The UI uses the
/// permissions to lock fields; core checks them again on every write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SignedInView {
    pub id: String,
    pub name: String,
    pub role: RoleView,
    pub permissions: Vec<String>,
}

impl From<&Actor> for SignedInView {
    fn from(a: &Actor) -> SignedInView {
        SignedInView {
            id: a.staff_id().to_string(),
            name: a.name().to_owned(),
            role: a.role().into(),
            permissions: Permission::ALL
                .into_iter()
                .filter(|p| allows(a.role(), *p))
                .map(|p| p.as_str().to_owned())
                .collect(),
        }
    }
}

/// What the app starts on: the owner set-up when nobody works here yet, else the PIN
/// screen (or the back office, when someone is already signed in).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SessionView {
    pub needs_setup: bool,
    pub people: Vec<PersonView>,
    pub signed_in: Option<SignedInView>,
    /// The business this device joined on first start while its people have not
    /// arrived yet: the first screen then waits for them instead of offering set-up.
    pub joining: Option<String>,
    /// Whether the OS keyring answers, so the join form knows whether to offer keeping
    /// the device's key in a file.
    pub keyring_available: bool,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct AuditQueryInput {
    pub staff_id: Option<String>,
    pub action: Option<String>,
    /// From this day on (ms since the epoch), inclusive.
    #[ts(type = "number | null")]
    pub from_ms: Option<u64>,
    /// Before this time, exclusive.
    #[ts(type = "number | null")]
    pub until_ms: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AuditEntryView {
    pub id: String,
    #[ts(type = "number")]
    pub at_ms: u64,
    pub staff_name: Option<String>,
    pub device_id: String,
    pub action: String,
    /// What it was done to, in words: "Silk saree (Red / M)", "Ravi".
    pub subject: String,
    pub field: Option<String>,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub reason: Option<String>,
}

impl AuditEntryView {
    pub fn new(e: AuditEntry, subject: String) -> AuditEntryView {
        AuditEntryView {
            id: e.id.to_string(),
            at_ms: e.at_ms,
            staff_name: e.staff_name,
            device_id: e.device_id.to_string(),
            action: e.action,
            subject,
            field: e.field,
            old_value: e.old_value,
            new_value: e.new_value,
            reason: e.reason,
        }
    }
}
