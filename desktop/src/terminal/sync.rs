//! The Sync page: linking this device to a server (enrolment), how syncing goes,
//! "Sync now", "Verify", and the owner's pairing codes and device list.
//!
//! Nothing here holds the store's lock while it waits for the network: the counter
//! keeps selling during an enrolment or a slow server. Syncing itself runs on sync's
//! own connection (`sync_loop`).

use galla_core::id::Uuid;
use galla_core::store::require_permission;
use galla_core::{Actor, Permission, Role, StaffStatus, Store, SyncLink};
use galla_sync_client::{HttpTransport, ScopeCheck, SyncError};
use galla_sync_protocol::EnrollRequest;

use super::{lock, parse_uuid, Terminal};
use crate::credentials::Where;
use crate::sync_loop::{Failure, SyncHandle};
use crate::wire::sync::{
    error as sync_error, sentence, ConnectionView, DeviceView, EnrolInput, JoinView, KeyPlaceView,
    PairingCodeView, RejectionView, ScopeCheckView, SyncLinkView, SyncNowView, SyncStatusView,
    UnsyncedExportView, VerifyView,
};
use crate::wire::{ErrorCode, IpcError};

/// The letters and digits of a pairing code (docs/sync-protocol.md).
const PAIRING_ALPHABET: &str = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
const DEVICE_NAME_MAX: usize = 100;

/// The enrolment form, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Enrolment {
    pub server_url: String,
    pub device_name: String,
    pub credential: EnrolWith,
    pub key_in_file: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum EnrolWith {
    Code(String),
    Owner { email: String, password: String },
}

fn invalid(message: &str, field: &str) -> IpcError {
    IpcError::at(ErrorCode::EnrolInvalid, message, field)
}

/// Checks the form before anything goes to the server, each problem beside its field.
pub(crate) fn check_enrolment(input: &EnrolInput) -> Result<Enrolment, IpcError> {
    let server_url = input.server_url.trim().trim_end_matches('/').to_owned();
    let lower = server_url.to_ascii_lowercase();
    let host = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    match host {
        None if server_url.is_empty() => {
            return Err(invalid(
                "Type the server's address, such as https://sync.example.in.",
                "server_url",
            ))
        }
        Some(host) if !host.is_empty() && !host.contains(char::is_whitespace) => {}
        _ => {
            return Err(invalid(
                "Type the whole address with http:// or https://, such as https://sync.example.in.",
                "server_url",
            ))
        }
    }
    let device_name = input.device_name.trim().to_owned();
    if device_name.is_empty() {
        return Err(invalid(
            "Name this device, such as Counter 2, so the owner can tell it apart.",
            "device_name",
        ));
    }
    if device_name.chars().count() > DEVICE_NAME_MAX || device_name.chars().any(char::is_control) {
        return Err(invalid(
            "Use at most 100 letters, digits and spaces for the device's name.",
            "device_name",
        ));
    }
    let code = input.pairing_code.trim();
    let email = input.email.trim();
    let credential = if !code.is_empty() {
        if !email.is_empty() || !input.password.is_empty() {
            return Err(invalid(
                "Give a pairing code or the owner's e-mail and password, not both.",
                "pairing_code",
            ));
        }
        EnrolWith::Code(pairing_code(code).ok_or_else(|| {
            invalid(
                "A pairing code is 12 letters and digits, such as K7QM-X2PA-9RTD.",
                "pairing_code",
            )
        })?)
    } else if email.is_empty() && input.password.is_empty() {
        return Err(invalid(
            "Type the pairing code from the owner, or the owner's e-mail and password.",
            "pairing_code",
        ));
    } else {
        let parts: Vec<&str> = email.split('@').collect();
        if parts.len() != 2
            || parts.iter().any(|p| p.is_empty())
            || email.contains(char::is_whitespace)
        {
            return Err(invalid(
                "Type the owner's e-mail address, such as asha@example.in.",
                "email",
            ));
        }
        if input.password.is_empty() {
            return Err(invalid("Type the owner's password.", "password"));
        }
        EnrolWith::Owner {
            email: email.to_owned(),
            password: input.password.clone(),
        }
    };
    Ok(Enrolment {
        server_url,
        device_name,
        credential,
        key_in_file: input.key_in_file,
    })
}

/// `k7qm x2pa-9rtd` → `K7QM-X2PA-9RTD`; `None` when it cannot be a code.
fn pairing_code(typed: &str) -> Option<String> {
    let plain: String = typed
        .chars()
        .filter(|c| *c != '-' && !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if plain.chars().count() != 12 || !plain.chars().all(|c| PAIRING_ALPHABET.contains(c)) {
        return None;
    }
    Some(format!(
        "{}-{}-{}",
        &plain[0..4],
        &plain[4..8],
        &plain[8..12]
    ))
}

/// What the server said to an enrolment, for the person at the form.
fn enrol_error(e: SyncError, form: &Enrolment) -> IpcError {
    match e {
        SyncError::Offline(detail) => IpcError::at(
            ErrorCode::ServerUnreachable,
            format!(
                "Could not reach the server at {} ({detail}). Check the address and this computer's network, then try again.",
                form.server_url
            ),
            "server_url",
        ),
        SyncError::Refused { code, message, .. } => match code.as_str() {
            "enrolment_refused" => match form.credential {
                EnrolWith::Code(_) => IpcError::at(
                    ErrorCode::ServerRefused,
                    "The server did not accept that pairing code: it is wrong, already used or expired. Ask the owner for a new one.",
                    "pairing_code",
                ),
                EnrolWith::Owner { .. } => IpcError::at(
                    ErrorCode::ServerRefused,
                    "The server did not accept that e-mail and password.",
                    "password",
                ),
            },
            "device_taken" => IpcError::new(
                ErrorCode::ServerRefused,
                "This device is already enrolled with a server. If it was enrolled and its link was lost, the owner can revoke it in the device list; then link a fresh install.",
            ),
            "not_found" => IpcError::at(
                ErrorCode::ServerRefused,
                "That address answers, but not as a Galla sync server. Check the address.",
                "server_url",
            ),
            _ => IpcError::new(
                ErrorCode::ServerRefused,
                format!("The server refused the enrolment: {message}"),
            ),
        },
        SyncError::Garbage(_) => IpcError::at(
            ErrorCode::ServerFailed,
            "That address answered something that is not a Galla sync server's answer. Check the address.",
            "server_url",
        ),
        SyncError::Revoked => IpcError::new(
            ErrorCode::DeviceRevoked,
            "This device was revoked by the owner and cannot be enrolled again. Use a fresh install.",
        ),
        other => sync_error(other),
    }
}

fn failure_error(failure: Failure) -> IpcError {
    match failure {
        Failure::NotLinked => IpcError::new(
            ErrorCode::NotLinked,
            "This device is not linked to a sync server. Link it on the Sync page first.",
        ),
        Failure::NoKey => IpcError::new(
            ErrorCode::NotLinked,
            "This device's key was not found in the keyring or beside the store, so it cannot sync. Its changes are safe here; ask the owner how to link it again.",
        ),
        Failure::Sync(SyncError::Revoked) => IpcError::new(
            ErrorCode::DeviceRevoked,
            "The owner revoked this device, so it no longer syncs. Changes not yet synced stay on this device.",
        ),
        Failure::Sync(e) => sync_error(e),
    }
}

/// Only an active owner may make pairing codes and revoke devices; the role is read
/// from the store now, so a demotion counts at once. The server checks again.
fn require_owner(store: &Store, actor: &Actor, doing: &str) -> Result<(), IpcError> {
    match store.staff_member(actor.staff_id())? {
        Some(m) if m.role == Role::Owner && m.status == StaffStatus::Active => Ok(()),
        _ => Err(IpcError::new(
            ErrorCode::PermissionDenied,
            format!("Only an owner can {doing}."),
        )),
    }
}

/// An owner action the server refused, said plainly.
fn owner_error(e: SyncError, not_found: &str) -> IpcError {
    match &e {
        SyncError::Refused { code, .. } if code == "forbidden" => IpcError::new(
            ErrorCode::ServerRefused,
            "The server does not know you as an owner of this business yet. Sync now so it has your staff record, then try again.",
        ),
        SyncError::Refused { code, .. } if code == "not_found" => {
            IpcError::new(ErrorCode::ServerRefused, not_found)
        }
        _ => sync_error(e),
    }
}

impl Terminal {
    fn syncer(&self) -> Result<&SyncHandle, IpcError> {
        match &self.sync {
            Some(sync) => Ok(sync),
            // The store did not open; say why.
            None => self.with_store(|_| {
                Err(IpcError::new(
                    ErrorCode::StoreFailed,
                    "The local store is not open.",
                ))
            }),
        }
    }

    /// The person signed in, without taking the store's lock.
    fn signed_in(&self) -> Result<Actor, IpcError> {
        lock(&self.session).clone().ok_or_else(|| {
            IpcError::new(ErrorCode::SignedOut, "Sign in with your PIN to continue.")
        })
    }

    /// Starts the background sync when this device is linked, not revoked, and its key
    /// is found. Called at launch; enrolment starts it too.
    pub fn start_sync(&self) {
        let Some(sync) = &self.sync else {
            return;
        };
        let ready = self
            .with_store(|store| {
                let status = store.sync_status()?;
                Ok(status.link.is_some() && !status.revoked)
            })
            .unwrap_or(false);
        if ready && sync.credentials().load().is_some() {
            sync.start();
        }
    }

    /// Asks the background sync to send what was just recorded. Never waits.
    pub(crate) fn poke_sync(&self) {
        if let Some(sync) = &self.sync {
            sync.poke();
        }
    }

    pub fn sync_status(&self) -> Result<SyncStatusView, IpcError> {
        self.as_actor(|store, _| self.status_view(store))
    }

    fn status_view(&self, store: &Store) -> Result<SyncStatusView, IpcError> {
        let sync = self.syncer()?;
        let status = store.sync_status()?;
        let state = sync.state();
        let credentials = sync.credentials();
        let key_place = match status.link {
            Some(_) => credentials.place(),
            None => None,
        };
        let connection = match &status.link {
            None => ConnectionView::NotLinked,
            Some(_) if status.revoked => ConnectionView::Revoked,
            Some(_) if key_place.is_none() => ConnectionView::KeyMissing,
            Some(_) => match state.last_ok {
                Some(true) => ConnectionView::Online,
                Some(false) => ConnectionView::Offline,
                None if status.last_error.is_some() => ConnectionView::Offline,
                None if status.last_success_ms.is_some() => ConnectionView::Online,
                None => ConnectionView::NeverSynced,
            },
        };
        let last_error = match state.last_ok {
            Some(true) => None,
            Some(false) => state.last_error.clone(),
            None => status.last_error.clone(),
        }
        .map(|text| format!("{}.", sentence(text.trim_end_matches('.'))));
        let link = match status.link {
            Some(link) => Some(SyncLinkView {
                shop_name: match link.shop_id {
                    Some(id) => shop_name(store, id)?,
                    None => None,
                },
                server_url: link.server_url,
                business_name: link.business_name,
                business_slug: link.business_slug,
                device_name: link.device_name,
            }),
            None => None,
        };
        Ok(SyncStatusView {
            connection,
            link,
            device_id: store.device().to_string(),
            pending: status.pending,
            last_success_ms: status.last_success_ms,
            last_attempt_ms: state.last_attempt_ms,
            last_error,
            rejections: status
                .rejections
                .into_iter()
                .map(RejectionView::from)
                .collect(),
            rejection_count: status.rejection_count,
            skipped: status.skipped,
            background: state.running,
            live: state.running && state.live,
            key_place: key_place.map(|place| match place {
                Where::Keyring => KeyPlaceView::Keyring,
                Where::File => KeyPlaceView::File,
            }),
            keyring_available: credentials.keyring_available(),
        })
    }

    /// Links this device to a server: checks the form, asks the server, keeps the key,
    /// records the link, and starts syncing. On any failure nothing is kept.
    pub fn enroll_device(&self, input: EnrolInput) -> Result<SyncStatusView, IpcError> {
        let form = check_enrolment(&input)?;
        let device = self.as_actor(|store, actor| {
            match require_permission(store, actor, Permission::ManageSettings) {
                Ok(()) => {}
                Err(galla_core::Error::Permission(_)) => {
                    return Err(IpcError::new(
                        ErrorCode::PermissionDenied,
                        "Only an owner or manager can link this device to a server.",
                    ))
                }
                Err(e) => return Err(e.into()),
            }
            if let Some(link) = store.sync_link()? {
                return Err(IpcError::new(
                    ErrorCode::InputInvalid,
                    format!(
                        "This device is already linked to {} at {}.",
                        link.business_name, link.server_url
                    ),
                ));
            }
            Ok(store.device())
        })?;
        self.link_device(&form, device)?;
        self.with_store(|store| self.status_view(store))
    }

    /// First start on a fresh install: joins a shop on a server instead of setting up
    /// a new one, then fetches the shop (its people, catalog and stock) at once, so the
    /// PIN screen shows the shop's staff. Only a device nobody works on yet may join;
    /// the server decides whether the code or the owner's password is good.
    ///
    /// When the first fetch fails (the server went away after enrolling) the device
    /// stays linked and the background sync keeps trying; the answer says so.
    pub fn join_shop(&self, input: EnrolInput, now_ms: u64) -> Result<JoinView, IpcError> {
        let form = check_enrolment(&input)?;
        let sync = self.syncer()?;
        let device = self.with_store(|store| {
            if let Some(link) = store.sync_link()? {
                return Err(IpcError::new(
                    ErrorCode::InputInvalid,
                    format!(
                        "This device has already joined {} at {}.",
                        link.business_name, link.server_url
                    ),
                ));
            }
            if !store.list_staff(true)?.is_empty() {
                return Err(IpcError::new(
                    ErrorCode::InputInvalid,
                    "People already work on this device, so it cannot join another shop from here. Sign in and link it on the Sync page.",
                ));
            }
            Ok(store.device())
        })?;
        self.link_device(&form, device)?;
        let first_sync_error = sync.sync_now().err().map(|f| failure_error(f).message);
        Ok(JoinView {
            session: self.session(now_ms)?,
            first_sync_error,
        })
    }

    /// Asks the server for a key, keeps it, records the link and starts syncing. On
    /// any failure nothing is kept.
    fn link_device(&self, form: &Enrolment, device: Uuid) -> Result<(), IpcError> {
        let sync = self.syncer()?;
        let credentials = sync.credentials();
        // Where the key will go is settled before the server hands one out: a key the
        // server gave and this device could not keep would leave it enrolled on the
        // server and unable to sync.
        let place = if form.key_in_file {
            Where::File
        } else if credentials.keyring_available() {
            Where::Keyring
        } else {
            return Err(IpcError::at(
                ErrorCode::SyncKeyFailed,
                "No keyring was found on this computer to keep the device's key in. Tick \"Keep the key in a file on this computer\" to keep it in a file beside the shop's data instead.",
                "key_in_file",
            ));
        };
        let (pairing_code, email, password) = match &form.credential {
            EnrolWith::Code(code) => (Some(code.clone()), None, None),
            EnrolWith::Owner { email, password } => {
                (None, Some(email.clone()), Some(password.clone()))
            }
        };
        let request = EnrollRequest {
            device_id: device,
            device_name: form.device_name.clone(),
            pairing_code,
            email,
            password,
        };
        let reply = galla_sync_client::enroll(&form.server_url, &request)
            .map_err(|e| enrol_error(e, form))?;
        credentials
            .save(&reply.token, place)
            .map_err(|e| IpcError::at(ErrorCode::SyncKeyFailed, e.to_string(), "key_in_file"))?;
        let link = SyncLink {
            server_url: form.server_url.clone(),
            business_id: reply.business_id,
            business_name: reply.business_name,
            business_slug: reply.business_slug,
            device_name: form.device_name.clone(),
            shop_id: reply.shop_id,
        };
        if let Err(e) = self.with_store(|store| Ok(store.link_to_server(&link)?)) {
            credentials.forget();
            return Err(e);
        }
        sync.start();
        Ok(())
    }

    /// Syncs now, in this command's thread, and answers what was sent and received.
    pub fn sync_now(&self) -> Result<SyncNowView, IpcError> {
        self.signed_in()?;
        let sync = self.syncer()?;
        let report = sync.sync_now().map_err(failure_error)?;
        if !sync.state().running {
            // It stopped (say the key was missing); it may go on now.
            sync.start();
        }
        let status = self.sync_status()?;
        Ok(SyncNowView {
            sent: report.pushed,
            received: report.pulled,
            rejected: report.rejected,
            status,
        })
    }

    /// "Verify": syncs, compares every scope with the server, and fetches again the
    /// scopes that differ.
    pub fn verify_sync(&self) -> Result<VerifyView, IpcError> {
        self.signed_in()?;
        let sync = self.syncer()?;
        let report = sync.verify().map_err(failure_error)?;
        let scopes = report.scopes.iter().map(scope_view).collect();
        Ok(VerifyView {
            agrees: report.agrees(),
            scopes,
            repaired: report.repaired().into_iter().map(str::to_owned).collect(),
            status: self.sync_status()?,
        })
    }

    /// The transport to this device's server, and the owner asking, checked.
    fn owner_transport(&self, doing: &str) -> Result<(HttpTransport, Uuid), IpcError> {
        let sync = self.syncer()?;
        let (link, owner) = self.as_actor(|store, actor| {
            require_owner(store, actor, doing)?;
            let link = store
                .sync_link()?
                .ok_or_else(|| failure_error(Failure::NotLinked))?;
            Ok((link, actor.staff_id()))
        })?;
        let token = sync
            .credentials()
            .load()
            .ok_or_else(|| failure_error(Failure::NoKey))?;
        let transport = HttpTransport::new(&link.server_url, &token).map_err(sync_error)?;
        Ok((transport, owner))
    }

    /// A one-time code for enrolling another device, valid for 24 hours; with
    /// `for_this_shop`, that device will work in this device's shop.
    pub fn new_pairing_code(
        &self,
        for_this_shop: bool,
        now_ms: u64,
    ) -> Result<PairingCodeView, IpcError> {
        let (transport, owner) = self.owner_transport("make pairing codes")?;
        let shop = if for_this_shop {
            let shop = self.with_store(|store| Ok(store.current_shop(now_ms)?))?;
            Some(shop)
        } else {
            None
        };
        let code = transport
            .pairing_code(owner, shop.as_ref().map(|s| s.id))
            .map_err(|e| {
                owner_error(
                    e,
                    "The server does not have this shop yet. Sync now, then make the code again.",
                )
            })?;
        Ok(PairingCodeView {
            code: code.code,
            expires_at_ms: code.expires_at_ms,
            shop_name: shop.map(|s| s.name),
        })
    }

    /// The business's devices, in the order they enrolled.
    pub fn list_devices(&self) -> Result<Vec<DeviceView>, IpcError> {
        let (transport, owner) = self.owner_transport("see the device list")?;
        let devices = transport
            .devices(owner)
            .map_err(|e| owner_error(e, "The server does not know this business."))?;
        self.with_store(|store| {
            let shops = store.shops()?;
            let this = store.device();
            Ok(devices
                .into_iter()
                .map(|d| DeviceView {
                    id: d.device_id.to_string(),
                    name: d.name,
                    shop_name: d
                        .shop_id
                        .and_then(|id| shops.iter().find(|s| s.id == id).map(|s| s.name.clone())),
                    enrolled_at_ms: d.enrolled_at_ms,
                    last_seen_at_ms: d.last_seen_at_ms,
                    revoked_at_ms: d.revoked_at_ms,
                    last_seq: d.last_seq,
                    this_device: d.device_id == this,
                })
                .collect())
        })
    }

    /// Cuts a device off: the server refuses it from now on; what it has not synced
    /// stays on it. A device cannot revoke itself.
    pub fn revoke_device(&self, device_id: &str) -> Result<Vec<DeviceView>, IpcError> {
        let device = parse_uuid(device_id, "device")?;
        let this = self.with_store(|store| Ok(store.device()))?;
        if device == this {
            return Err(IpcError::new(
                ErrorCode::PermissionDenied,
                "A device cannot revoke itself. Revoke it from another owner's device.",
            ));
        }
        let (transport, owner) = self.owner_transport("revoke devices")?;
        transport
            .revoke(owner, device)
            .map_err(|e| owner_error(e, "The server has no such device in this business."))?;
        self.list_devices()
    }
}

impl Terminal {
    /// Saves every change this device has not synced, exactly as it would send them
    /// (docs/sync-protocol.md, "Push"), in a JSON file in `folder`: for a device the
    /// owner revoked, or whose key was lost, so nothing it recorded is stranded. The
    /// changes stay in the store as well. Owners and managers only: the file holds
    /// staff records and sales.
    pub fn export_unsynced(
        &self,
        folder: &std::path::Path,
        now_ms: u64,
    ) -> Result<UnsyncedExportView, IpcError> {
        self.as_actor(|store, actor| {
            match require_permission(store, actor, Permission::ManageSettings) {
                Ok(()) => {}
                Err(galla_core::Error::Permission(_)) => {
                    return Err(IpcError::new(
                        ErrorCode::PermissionDenied,
                        "Only an owner or manager can export this device's unsynced changes.",
                    ))
                }
                Err(e) => return Err(e.into()),
            }
            let entries = store.outbox_batch(usize::MAX)?;
            let link = store.sync_link()?;
            let document = serde_json::json!({
                "format": "galla-unsynced-changes",
                "protocol": galla_sync_protocol::VERSION,
                "device_id": store.device(),
                "business_id": link.as_ref().map(|l| l.business_id),
                "business_name": link.as_ref().map(|l| l.business_name.clone()),
                "server_url": link.as_ref().map(|l| l.server_url.clone()),
                "exported_at_ms": now_ms,
                "entries": entries,
            });
            let text = serde_json::to_string_pretty(&document).map_err(|e| {
                IpcError::new(
                    ErrorCode::StoreFailed,
                    format!("Could not write the changes: {e}"),
                )
            })?;
            let path = super::import::free_path(
                folder,
                &format!("galla-unsynced-{}", super::import::date(now_ms)),
                "json",
            );
            std::fs::create_dir_all(folder)
                .and_then(|()| std::fs::write(&path, text.as_bytes()))
                .map_err(|e| {
                    IpcError::new(
                        ErrorCode::StoreFailed,
                        format!("Could not write {}: {e}", path.display()),
                    )
                })?;
            Ok(UnsyncedExportView {
                path: path.display().to_string(),
                entries: entries.len() as u64,
            })
        })
    }
}

fn shop_name(store: &Store, id: Uuid) -> Result<Option<String>, IpcError> {
    Ok(store
        .shops()?
        .into_iter()
        .find(|s| s.id == id)
        .map(|s| s.name))
}

fn scope_view(check: &ScopeCheck) -> ScopeCheckView {
    ScopeCheckView {
        scope: check.scope.clone(),
        agrees: check.agrees(),
        repaired: check.after.is_some(),
        server_count: check.server.count,
        device_count: check.before.count,
    }
}
