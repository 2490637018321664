//! The PIN screen, the staff page and the audit log.

use galla_core::{AuditAction, AuditFilter, Role};

use super::{lock, parse_uuid, Terminal};
use crate::wire::people::{
    AuditEntryView, AuditQueryInput, PersonView, RoleView, SessionView, SignedInView,
};
use crate::wire::{ErrorCode, IpcError};

impl Terminal {
    pub fn session(&self, now_ms: u64) -> Result<SessionView, IpcError> {
        let signed_in = lock(&self.session).as_ref().map(SignedInView::from);
        self.with_store(|store| {
            let people: Vec<PersonView> = store
                .list_staff(false)?
                .into_iter()
                .map(|m| PersonView::new(m, now_ms))
                .collect();
            let joining = match store.sync_link()? {
                Some(link) if people.is_empty() => Some(link.business_name),
                _ => None,
            };
            Ok(SessionView {
                needs_setup: people.is_empty() && joining.is_none(),
                people,
                signed_in,
                joining,
                keyring_available: self
                    .sync
                    .as_ref()
                    .is_some_and(|sync| sync.credentials().keyring_available()),
            })
        })
    }

    /// First start: the owner names themselves and picks a PIN, and is signed in.
    pub fn set_up_owner(
        &self,
        name: &str,
        pin: &str,
        now_ms: u64,
    ) -> Result<SignedInView, IpcError> {
        let actor = self.with_store(|store| {
            if let Some(link) = store.sync_link()? {
                return Err(IpcError::new(
                    ErrorCode::InputInvalid,
                    format!(
                        "This device joined {}; its owner and staff arrive with its first sync.",
                        link.business_name
                    ),
                ));
            }
            Ok(store.create_first_owner(name, pin, now_ms)?)
        })?;
        let view = SignedInView::from(&actor);
        *lock(&self.session) = Some(actor);
        Ok(view)
    }

    pub fn sign_in(
        &self,
        staff_id: &str,
        pin: &str,
        now_ms: u64,
    ) -> Result<SignedInView, IpcError> {
        let id = parse_uuid(staff_id, "person")?;
        let actor = self.with_store(|store| Ok(store.unlock_with_pin(id, pin, now_ms)?))?;
        let view = SignedInView::from(&actor);
        *lock(&self.session) = Some(actor);
        Ok(view)
    }

    pub fn sign_out(&self) {
        *lock(&self.session) = None;
    }

    pub fn list_staff(
        &self,
        include_archived: bool,
        now_ms: u64,
    ) -> Result<Vec<PersonView>, IpcError> {
        self.as_actor(|store, _| {
            Ok(store
                .list_staff(include_archived)?
                .into_iter()
                .map(|m| PersonView::new(m, now_ms))
                .collect())
        })
    }

    pub fn add_staff(
        &self,
        name: &str,
        role: RoleView,
        pin: &str,
        now_ms: u64,
    ) -> Result<PersonView, IpcError> {
        self.as_actor(|store, actor| {
            let member = store.add_staff(actor, name, Role::from(role), pin, now_ms)?;
            Ok(PersonView::new(member, now_ms))
        })
    }

    pub fn change_role(
        &self,
        staff_id: &str,
        role: RoleView,
        now_ms: u64,
    ) -> Result<PersonView, IpcError> {
        let id = parse_uuid(staff_id, "person")?;
        self.as_actor(|store, actor| {
            let member = store.change_role(actor, id, Role::from(role), now_ms)?;
            Ok(PersonView::new(member, now_ms))
        })
    }

    pub fn reset_pin(&self, staff_id: &str, pin: &str, now_ms: u64) -> Result<(), IpcError> {
        let id = parse_uuid(staff_id, "person")?;
        self.as_actor(|store, actor| Ok(store.reset_pin(actor, id, pin, now_ms)?))
    }

    pub fn archive_staff(&self, staff_id: &str, now_ms: u64) -> Result<PersonView, IpcError> {
        let id = parse_uuid(staff_id, "person")?;
        self.as_actor(|store, actor| {
            let member = store.archive_staff(actor, id, now_ms)?;
            Ok(PersonView::new(member, now_ms))
        })
    }

    /// The audit log, newest first, with each entry's subject named in words.
    pub fn audit_log(&self, query: AuditQueryInput) -> Result<Vec<AuditEntryView>, IpcError> {
        let staff_id = match query.staff_id.as_deref() {
            None | Some("") => None,
            Some(id) => Some(parse_uuid(id, "person")?),
        };
        let action = match query.action.as_deref() {
            None | Some("") => None,
            Some(text) => Some(AuditAction::parse(text).ok_or_else(|| {
                IpcError::new(ErrorCode::InputInvalid, "Choose an action from the list.")
            })?),
        };
        let filter = AuditFilter {
            staff_id,
            action,
            from_ms: query.from_ms,
            until_ms: query.until_ms,
            ..AuditFilter::default()
        };
        self.as_actor(|store, actor| {
            let entries = store.audit_entries(actor, &filter)?;
            let mut views = Vec::with_capacity(entries.len());
            for entry in entries {
                let subject = match (entry.entity.as_str(), entry.entity_id) {
                    ("variant", Some(id)) => store
                        .product_of_variant(id)?
                        .map(|p| super::catalog::item_name(&p, id))
                        .unwrap_or_else(|| "An item no longer in the catalog".to_owned()),
                    ("staff", Some(id)) => store
                        .staff_member(id)?
                        .map(|m| m.name)
                        .unwrap_or_else(|| "Someone no longer on the staff list".to_owned()),
                    (entity, _) => entity.to_owned(),
                };
                views.push(AuditEntryView::new(entry, subject));
            }
            Ok(views)
        })
    }
}
