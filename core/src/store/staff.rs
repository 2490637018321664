//! Staff writes and reads, PIN hashing and the PIN check. Every staff change checks
//! the actor's permission first, then writes the row, its field clocks, its outbox
//! entry and its audit entry in one transaction: a refused change writes nothing.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{self, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use serde_json::{json, Map, Value};
use uuid::Uuid;

use super::audit::{record_audit, AuditAction, AuditEvent};
use super::{Error, Store, StoreError};
use crate::staff::{
    looks_like_pin, minutes_left, parse_staff_name, require, Actor, LockState, Permission, Pin,
    PinOutcome, Role, StaffError, StaffMember, StaffStatus,
};

const COLUMNS: &str = "id, name, role, status, locked_until_ms";

/// Argon2id at the OWASP minimum (19 MiB, 2 passes, 1 lane): a check takes tens of
/// milliseconds on a shop's 2-core PC, slow enough to make guessing from a stolen
/// file costly, quick enough that the PIN screen does not lag. The parameters are in
/// each PHC string, so raising them later leaves old hashes checkable.
const M_COST_KIB: u32 = 19 * 1024;
const T_COST: u32 = 2;
const P_COST: u32 = 1;

/// The most a stored hash may ask for. Hashes arrive by sync too, and one with
/// absurd parameters would make every PIN check allocate gigabytes.
const MAX_M_COST_KIB: u32 = 256 * 1024;
const MAX_T_COST: u32 = 16;
const MAX_P_COST: u32 = 8;

impl Store {
    /// Active staff. Zero means this is a first start: the app shows the owner set-up
    /// instead of the PIN screen.
    pub fn staff_count(&self) -> Result<usize, StoreError> {
        let count: i64 = self.conn.query_row(
            "SELECT count(*) FROM staff WHERE status = 'active'",
            [],
            |r| r.get(0),
        )?;
        usize::try_from(count).map_err(|_| StoreError::Corrupt(format!("staff count {count}")))
    }

    /// The first-start set-up: makes the first owner and signs them in. Refused once
    /// anyone is on the active staff list, so it cannot be used to make an owner
    /// behind the real owner's back. It matches `staff_count() == 0`, so a shop whose
    /// staff were all archived (possible only through merged edits from two devices)
    /// is not left with a set-up screen that refuses to set up.
    pub fn create_first_owner(
        &mut self,
        name: &str,
        pin: &str,
        now_ms: u64,
    ) -> Result<Actor, Error> {
        let name = parse_staff_name(name)?;
        let pin = Pin::parse(pin).map_err(StaffError::from)?;
        let tx = self.conn.transaction()?;
        let anyone: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM staff WHERE status = 'active')",
            [],
            |r| r.get(0),
        )?;
        if anyone {
            return Err(StaffError::AlreadySetUp.into());
        }
        let id = crate::id::new_id();
        let owner = Actor::new(id, name.clone(), Role::Owner);
        let stamp = super::stamp(&mut self.clock, &tx, now_ms)?;
        // The new owner is the one acting: the server lets an owner's first entry
        // name itself while the business has nobody else.
        insert(&tx, id, &name, Role::Owner, &hash_pin(&pin)?, (stamp, id))?;
        let event = AuditEvent::new(AuditAction::StaffAdded, "staff", id)
            .change("role", None, Some(Role::Owner.as_str()))
            .reason("first start");
        record_audit(
            &tx,
            &mut self.clock,
            self.device,
            Some(&owner),
            &event,
            now_ms,
        )?;
        // The shop is made now, by the owner, unless it was made earlier: made later
        // by whoever sells first, a cashier, the server would refuse it (opening a
        // shop needs the owner's or a manager's permission).
        if super::settings::shop_id(&tx)?.is_none() {
            let shop = super::shops::insert_shop(
                &tx,
                &mut self.clock,
                Some(id),
                super::shops::DEFAULT_SHOP_NAME.to_owned(),
                now_ms,
            )?;
            super::settings::save_shop_id(&tx, shop.id)?;
        }
        queue_set_up_after_owner(&tx, id)?;
        tx.commit()?;
        Ok(owner)
    }

    pub fn add_staff(
        &mut self,
        actor: &Actor,
        name: &str,
        role: Role,
        pin: &str,
        now_ms: u64,
    ) -> Result<StaffMember, Error> {
        let tx = self.conn.transaction()?;
        authorize(&tx, actor, Permission::ManageStaff)?;
        let name = parse_staff_name(name)?;
        let pin = Pin::parse(pin).map_err(StaffError::from)?;
        let id = crate::id::new_id();
        let stamp = super::stamp(&mut self.clock, &tx, now_ms)?;
        insert(
            &tx,
            id,
            &name,
            role,
            &hash_pin(&pin)?,
            (stamp, actor.staff_id()),
        )?;
        let event = AuditEvent::new(AuditAction::StaffAdded, "staff", id).change(
            "role",
            None,
            Some(role.as_str()),
        );
        record_audit(
            &tx,
            &mut self.clock,
            self.device,
            Some(actor),
            &event,
            now_ms,
        )?;
        let member = read(&tx, id)?.ok_or(StaffError::NotFound(id))?;
        tx.commit()?;
        Ok(member)
    }

    /// Setting the role a person already has records nothing.
    pub fn change_role(
        &mut self,
        actor: &Actor,
        staff_id: Uuid,
        role: Role,
        now_ms: u64,
    ) -> Result<StaffMember, Error> {
        let tx = self.conn.transaction()?;
        authorize(&tx, actor, Permission::ManageStaff)?;
        let current = read_active(&tx, staff_id)?;
        if current.role == role {
            return Ok(current);
        }
        if current.role == Role::Owner {
            ensure_another_owner(&tx)?;
        }
        let stamp = super::stamp(&mut self.clock, &tx, now_ms)?;
        tx.execute(
            "UPDATE staff SET role = ?2, updated_hlc = ?3 WHERE id = ?1",
            params![staff_id.to_string(), role.as_str(), stamp.to_string()],
        )?;
        record_staff_change(&tx, actor, staff_id, stamp, "role", json!(role.as_str()))?;
        let event = AuditEvent::new(AuditAction::RoleChanged, "staff", staff_id).change(
            "role",
            Some(current.role.as_str()),
            Some(role.as_str()),
        );
        record_audit(
            &tx,
            &mut self.clock,
            self.device,
            Some(actor),
            &event,
            now_ms,
        )?;
        let member = read(&tx, staff_id)?.ok_or(StaffError::NotFound(staff_id))?;
        tx.commit()?;
        Ok(member)
    }

    /// Gives a person a new PIN (they forgot it, or someone saw it) and lifts any lock
    /// on them. Neither PIN nor hash goes into the audit log.
    pub fn reset_pin(
        &mut self,
        actor: &Actor,
        staff_id: Uuid,
        new_pin: &str,
        now_ms: u64,
    ) -> Result<(), Error> {
        let tx = self.conn.transaction()?;
        authorize(&tx, actor, Permission::ManageStaff)?;
        read_active(&tx, staff_id)?;
        let pin = Pin::parse(new_pin).map_err(StaffError::from)?;
        let pin_hash = hash_pin(&pin)?;
        let stamp = super::stamp(&mut self.clock, &tx, now_ms)?;
        tx.execute(
            "UPDATE staff SET pin_hash = ?2, failed_pins = 0, locked_until_ms = NULL, updated_hlc = ?3
             WHERE id = ?1",
            params![staff_id.to_string(), pin_hash, stamp.to_string()],
        )?;
        record_staff_change(&tx, actor, staff_id, stamp, "pin_hash", json!(pin_hash))?;
        let event =
            AuditEvent::new(AuditAction::PinReset, "staff", staff_id).change("pin", None, None);
        record_audit(
            &tx,
            &mut self.clock,
            self.device,
            Some(actor),
            &event,
            now_ms,
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Takes a person off the staff list. The row stays (sales name who made them)
    /// and the change syncs as a tombstone (SYNC.md rule 6).
    pub fn archive_staff(
        &mut self,
        actor: &Actor,
        staff_id: Uuid,
        now_ms: u64,
    ) -> Result<StaffMember, Error> {
        let tx = self.conn.transaction()?;
        authorize(&tx, actor, Permission::ManageStaff)?;
        let current = read(&tx, staff_id)?.ok_or(StaffError::NotFound(staff_id))?;
        if current.status == StaffStatus::Archived {
            return Ok(current);
        }
        if current.role == Role::Owner {
            ensure_another_owner(&tx)?;
        }
        let stamp = super::stamp(&mut self.clock, &tx, now_ms)?;
        let archived = StaffStatus::Archived.as_str();
        tx.execute(
            "UPDATE staff SET status = ?2, updated_hlc = ?3 WHERE id = ?1",
            params![staff_id.to_string(), archived, stamp.to_string()],
        )?;
        record_staff_change(&tx, actor, staff_id, stamp, "status", json!(archived))?;
        let event = AuditEvent::new(AuditAction::StaffArchived, "staff", staff_id).change(
            "status",
            Some(StaffStatus::Active.as_str()),
            Some(archived),
        );
        record_audit(
            &tx,
            &mut self.clock,
            self.device,
            Some(actor),
            &event,
            now_ms,
        )?;
        let member = read(&tx, staff_id)?.ok_or(StaffError::NotFound(staff_id))?;
        tx.commit()?;
        Ok(member)
    }

    /// The PIN screen: signs `staff_id` in if `pin` is theirs and they are not locked
    /// out. A wrong PIN is counted and audited, and that is committed even though
    /// the call fails, so restarting the app does not reset the count.
    pub fn unlock_with_pin(
        &mut self,
        staff_id: Uuid,
        pin: &str,
        now_ms: u64,
    ) -> Result<Actor, Error> {
        let tx = self.conn.transaction()?;
        let Some((member, pin_hash, before)) = read_credentials(&tx, staff_id)? else {
            return Err(StaffError::NotFound(staff_id).into());
        };
        if member.status != StaffStatus::Active {
            return Err(StaffError::NotFound(staff_id).into());
        }
        let pin = pin.trim();
        let (after, outcome) = before.attempt(now_ms, || {
            if looks_like_pin(pin) {
                verify_pin(pin, &pin_hash, staff_id)
            } else {
                Ok(false)
            }
        })?;
        if after != before {
            // Device-local state: no clock stamp, no outbox entry.
            tx.execute(
                "UPDATE staff SET failed_pins = ?2, locked_until_ms = ?3 WHERE id = ?1",
                params![
                    staff_id.to_string(),
                    after.failed_pins,
                    after.locked_until_ms.map(super::to_sql_ms)
                ],
            )?;
        }
        let failed_before = before.failed_at(now_ms).to_string();
        let failed_after = after.failed_pins.to_string();
        let wrong = AuditEvent::new(AuditAction::PinWrong, "staff", staff_id).change(
            "failed_pins",
            Some(&failed_before),
            Some(&failed_after),
        );
        let result =
            match outcome {
                PinOutcome::LetIn => Ok(Actor::new(member.id, member.name, member.role)),
                PinOutcome::Wrong { attempts_left } => {
                    record_audit(&tx, &mut self.clock, self.device, None, &wrong, now_ms)?;
                    Err(StaffError::WrongPin { attempts_left })
                }
                PinOutcome::LockedNow { until_ms } => {
                    record_audit(&tx, &mut self.clock, self.device, None, &wrong, now_ms)?;
                    let until = until_ms.to_string();
                    let locked = AuditEvent::new(AuditAction::StaffLocked, "staff", staff_id)
                        .change("locked_until_ms", None, Some(&until));
                    record_audit(&tx, &mut self.clock, self.device, None, &locked, now_ms)?;
                    Err(locked_error(until_ms, now_ms))
                }
                PinOutcome::StillLocked { until_ms } => {
                    let refused = AuditEvent::new(AuditAction::PinRefusedLocked, "staff", staff_id);
                    record_audit(&tx, &mut self.clock, self.device, None, &refused, now_ms)?;
                    Err(locked_error(until_ms, now_ms))
                }
            };
        tx.commit()?;
        result.map_err(Error::from)
    }

    /// The staff list, by name. The PIN screen shows the active ones; the staff page
    /// can show archived ones too.
    pub fn list_staff(&self, include_archived: bool) -> Result<Vec<StaffMember>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM staff WHERE ?1 OR status = 'active'
             ORDER BY name COLLATE NOCASE, id"
        ))?;
        let rows = stmt.query_map([include_archived], |row| Ok(from_row(row)))?;
        let mut staff = Vec::new();
        for row in rows {
            staff.push(row??);
        }
        Ok(staff)
    }

    pub fn staff_member(&self, id: Uuid) -> Result<Option<StaffMember>, StoreError> {
        read(&self.conn, id)
    }
}

/// Checks that `actor` may do `permission` now. Reads the actor's current role and
/// status rather than trusting the `Actor` held since sign-in, so a demotion or an
/// archive takes effect on the next action, not the next sign-in. Every store method
/// that needs a permission calls this inside its transaction, before writing.
pub(crate) fn authorize(
    conn: &Connection,
    actor: &Actor,
    permission: Permission,
) -> Result<Role, Error> {
    let member = read(conn, actor.staff_id())?;
    let Some(member) = member.filter(|m| m.status == StaffStatus::Active) else {
        return Err(StaffError::NoLongerActive.into());
    };
    require(member.role, permission)?;
    Ok(member.role)
}

fn insert(
    tx: &Transaction<'_>,
    id: Uuid,
    name: &str,
    role: Role,
    pin_hash: &str,
    (stamp, by): (crate::hlc::HlcStamp, Uuid),
) -> Result<(), StoreError> {
    let active = StaffStatus::Active.as_str();
    tx.execute(
        "INSERT INTO staff (id, name, role, pin_hash, failed_pins, locked_until_ms, status,
             created_hlc, updated_hlc)
         VALUES (?1, ?2, ?3, ?4, 0, NULL, ?5, ?6, ?6)",
        params![
            id.to_string(),
            name,
            role.as_str(),
            pin_hash,
            active,
            stamp.to_string()
        ],
    )?;
    let mut fields = Map::new();
    fields.insert("name".into(), json!(name));
    fields.insert("role".into(), json!(role.as_str()));
    fields.insert("pin_hash".into(), json!(pin_hash));
    fields.insert("status".into(), json!(active));
    super::record_change(tx, "staff", id, "create", stamp, Some(by), fields)
}

fn record_staff_change(
    tx: &Transaction<'_>,
    actor: &Actor,
    id: Uuid,
    stamp: crate::hlc::HlcStamp,
    field: &str,
    value: Value,
) -> Result<(), StoreError> {
    let mut fields = Map::new();
    fields.insert(field.into(), value);
    super::record_change(
        tx,
        "staff",
        id,
        "update",
        stamp,
        Some(actor.staff_id()),
        fields,
    )
}

/// The shop must always have an owner who can manage staff; called before an owner
/// is demoted or archived.
fn ensure_another_owner(tx: &Transaction<'_>) -> Result<(), Error> {
    let owners: i64 = tx.query_row(
        "SELECT count(*) FROM staff WHERE role = 'owner' AND status = 'active'",
        [],
        |r| r.get(0),
    )?;
    if owners <= 1 {
        return Err(StaffError::LastOwner.into());
    }
    Ok(())
}

fn locked_error(until_ms: u64, now_ms: u64) -> StaffError {
    StaffError::Locked {
        until_ms,
        minutes_left: minutes_left(until_ms, now_ms),
    }
}

fn argon2() -> Result<Argon2<'static>, StoreError> {
    let params = Params::new(M_COST_KIB, T_COST, P_COST, None)
        .map_err(|e| StoreError::PinHash(e.to_string()))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// A PHC string (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`) with a fresh random salt.
fn hash_pin(pin: &Pin) -> Result<String, StoreError> {
    let salt = SaltString::generate(&mut OsRng);
    let hash = argon2()?
        .hash_password(pin.as_str().as_bytes(), &salt)
        .map_err(|e| StoreError::PinHash(e.to_string()))?;
    Ok(hash.to_string())
}

fn verify_pin(pin: &str, stored: &str, staff_id: Uuid) -> Result<bool, StoreError> {
    let corrupt = || StoreError::Corrupt(format!("the PIN hash of staff member {staff_id}"));
    let hash = PasswordHash::new(stored).map_err(|_| corrupt())?;
    if hash.algorithm != Algorithm::Argon2id.ident() {
        return Err(corrupt());
    }
    let params = Params::try_from(&hash).map_err(|_| corrupt())?;
    if params.m_cost() > MAX_M_COST_KIB
        || params.t_cost() > MAX_T_COST
        || params.p_cost() > MAX_P_COST
    {
        return Err(corrupt());
    }
    // The stored string carries its own parameters; verification uses those.
    match argon2()?.verify_password(pin.as_bytes(), &hash) {
        Ok(()) => Ok(true),
        Err(password_hash::Error::Password) => Ok(false),
        Err(e) => Err(StoreError::PinHash(e.to_string())),
    }
}

fn read(conn: &Connection, id: Uuid) -> Result<Option<StaffMember>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM staff WHERE id = ?1"))?;
    let row = stmt
        .query_row([id.to_string()], |row| Ok(from_row(row)))
        .optional()?;
    row.transpose()
}

/// A person who can be acted on: archived people are as good as gone.
fn read_active(tx: &Transaction<'_>, id: Uuid) -> Result<StaffMember, Error> {
    read(tx, id)?
        .filter(|m| m.status == StaffStatus::Active)
        .ok_or_else(|| StaffError::NotFound(id).into())
}

fn read_credentials(
    tx: &Transaction<'_>,
    id: Uuid,
) -> Result<Option<(StaffMember, String, LockState)>, StoreError> {
    let mut stmt = tx.prepare_cached(&format!(
        "SELECT {COLUMNS}, pin_hash, failed_pins FROM staff WHERE id = ?1"
    ))?;
    let row = stmt
        .query_row([id.to_string()], |row| {
            Ok(from_row(row).and_then(|member| {
                let pin_hash: String = row.get(5)?;
                let failed: i64 = row.get(6)?;
                let failed_pins = u32::try_from(failed)
                    .map_err(|_| StoreError::Corrupt(format!("failed PIN count {failed}")))?;
                let lock = LockState {
                    failed_pins,
                    locked_until_ms: member.locked_until_ms,
                };
                Ok((member, pin_hash, lock))
            }))
        })
        .optional()?;
    row.transpose()
}

/// Reads a row defensively: rows arrive by sync from other devices too.
fn from_row(row: &Row<'_>) -> Result<StaffMember, StoreError> {
    let id: String = row.get(0)?;
    let role: String = row.get(2)?;
    let status: String = row.get(3)?;
    let locked_until: Option<i64> = row.get(4)?;
    Ok(StaffMember {
        id: Uuid::parse_str(&id).map_err(|_| StoreError::Corrupt(format!("staff id {id:?}")))?,
        name: row.get(1)?,
        role: Role::parse(&role).ok_or_else(|| StoreError::Corrupt(format!("role {role:?}")))?,
        status: StaffStatus::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("staff status {status:?}")))?,
        locked_until_ms: locked_until
            .map(|ms| u64::try_from(ms).map_err(|_| StoreError::Corrupt(format!("lock time {ms}"))))
            .transpose()?,
    })
}

/// Wrong approval PINs on this device and the lock they lead to, kept in the settings:
/// an approval PIN names nobody, so the count cannot live in one person's row.
const APPROVAL_LOCK_KEY: &str = "approval_lock";

impl Store {
    /// A manager or owner approves something over `requester`'s limit by typing their
    /// PIN at the counter. The approval is audited in the approver's name, with `what`
    /// as the reason. Five wrong PINs lock approvals on this device for five minutes.
    pub fn approve(
        &mut self,
        requester: &Actor,
        pin: &str,
        what: &str,
        now_ms: u64,
    ) -> Result<crate::pos::Approval, Error> {
        use crate::pos::PosError;
        authorize(&self.conn, requester, Permission::Sell)?;
        let tx = self.conn.transaction()?;
        let before = read_approval_lock(&tx)?;
        let candidates: Vec<(StaffMember, String)> = {
            let mut stmt = tx.prepare_cached(&format!(
                "SELECT {COLUMNS}, pin_hash FROM staff WHERE status = 'active' ORDER BY id"
            ))?;
            let rows = stmt.query_map([], |row| {
                Ok(from_row(row).and_then(|m| Ok((m, row.get::<_, String>(5)?))))
            })?;
            let mut list = Vec::new();
            for row in rows {
                let (member, hash) = row??;
                if crate::staff::allows(member.role, Permission::ApproveOverride) {
                    list.push((member, hash));
                }
            }
            list
        };
        let pin = pin.trim();
        let mut approver = None;
        let (after, outcome) = before.attempt(now_ms, || -> Result<bool, StoreError> {
            if !looks_like_pin(pin) {
                return Ok(false);
            }
            for (member, hash) in &candidates {
                if verify_pin(pin, hash, member.id)? {
                    approver = Some(member.clone());
                    return Ok(true);
                }
            }
            Ok(false)
        })?;
        if after != before {
            super::settings::put(
                &tx,
                APPROVAL_LOCK_KEY,
                &format!(
                    "{},{}",
                    after.failed_pins,
                    after
                        .locked_until_ms
                        .map(|u| u.to_string())
                        .unwrap_or_default()
                ),
            )?;
        }
        let result = match (outcome, approver) {
            (PinOutcome::LetIn, Some(member)) => {
                let approver_actor = Actor::new(member.id, member.name.clone(), member.role);
                let reason = format!("{what} (for {})", requester.name());
                let event =
                    AuditEvent::new(AuditAction::OverrideApproved, "staff", requester.staff_id())
                        .reason(&reason);
                record_audit(
                    &tx,
                    &mut self.clock,
                    self.device,
                    Some(&approver_actor),
                    &event,
                    now_ms,
                )?;
                Ok(crate::pos::Approval::new(member.id, member.name))
            }
            (PinOutcome::LetIn, None) => {
                Err(StoreError::Corrupt("approval without approver".into()).into())
            }
            (PinOutcome::Wrong { attempts_left }, _) => {
                let event =
                    AuditEvent::new(AuditAction::PinWrong, "approval", requester.staff_id())
                        .reason(what);
                record_audit(
                    &tx,
                    &mut self.clock,
                    self.device,
                    Some(requester),
                    &event,
                    now_ms,
                )?;
                Err(PosError::ApprovalPinWrong { attempts_left }.into())
            }
            (PinOutcome::LockedNow { until_ms }, _) | (PinOutcome::StillLocked { until_ms }, _) => {
                let event =
                    AuditEvent::new(AuditAction::PinWrong, "approval", requester.staff_id())
                        .reason(what);
                record_audit(
                    &tx,
                    &mut self.clock,
                    self.device,
                    Some(requester),
                    &event,
                    now_ms,
                )?;
                Err(PosError::ApprovalLocked {
                    minutes: minutes_left(until_ms, now_ms),
                }
                .into())
            }
        };
        tx.commit()?;
        result
    }
}

fn read_approval_lock(tx: &Transaction<'_>) -> Result<LockState, StoreError> {
    let Some(text) = super::settings::get(tx, APPROVAL_LOCK_KEY)? else {
        return Ok(LockState::default());
    };
    let corrupt = || StoreError::Corrupt(format!("approval lock {text:?}"));
    let (failed, until) = text.split_once(',').ok_or_else(corrupt)?;
    Ok(LockState {
        failed_pins: failed.parse().map_err(|_| corrupt())?,
        locked_until_ms: if until.is_empty() {
            None
        } else {
            Some(until.parse().map_err(|_| corrupt())?)
        },
    })
}

/// Checks that `actor` is still on the staff and may do `permission`, for reads and
/// in-memory changes that write nothing themselves (the counter's cart).
/// Whatever was queued before anyone could sign in (the default shop made at first
/// start) was part of this owner setting up. The server needs someone to answer for
/// each entry, and knows the owner only once the owner's own entry has arrived, so
/// those entries are attributed to the owner and moved behind the owner's entries,
/// keeping the sequence dense. Nothing can have been pushed yet: enrolling a device
/// needs a signed-in owner.
fn queue_set_up_after_owner(tx: &Transaction<'_>, owner: Uuid) -> Result<(), StoreError> {
    let owner_text = owner.to_string();
    tx.execute(
        "UPDATE outbox SET staff_id = ?1 WHERE staff_id IS NULL",
        [&owner_text],
    )?;
    let (first, owners_first, last): (Option<i64>, Option<i64>, Option<i64>) = tx.query_row(
        "SELECT min(seq), (SELECT min(seq) FROM outbox WHERE entity = 'staff' AND entity_id = ?1),
                max(seq)
         FROM outbox",
        [&owner_text],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let (Some(first), Some(owners_first), Some(last)) = (first, owners_first, last) else {
        return Ok(());
    };
    if owners_first == first {
        return Ok(());
    }
    // Negative numbers are free (stored ones are positive), so no step meets a number
    // still in place: set-up entries go to the end, then everything shifts down.
    let moved = owners_first - first;
    tx.execute(
        "UPDATE outbox SET seq = -(seq + ?1 - ?2 + 1) WHERE seq < ?2",
        params![last, owners_first],
    )?;
    tx.execute(
        "UPDATE outbox SET seq = -(seq - ?1) WHERE seq > 0",
        params![moved],
    )?;
    tx.execute("UPDATE outbox SET seq = -seq WHERE seq < 0", [])?;
    tx.execute(
        "UPDATE sqlite_sequence SET seq = (SELECT max(seq) FROM outbox) WHERE name = 'outbox'",
        [],
    )?;
    Ok(())
}

pub fn require_permission(
    store: &Store,
    actor: &Actor,
    permission: Permission,
) -> Result<(), Error> {
    authorize(&store.conn, actor, permission).map(|_| ())
}
