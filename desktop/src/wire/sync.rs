//! The Sync page as it crosses IPC: linking this device to a server, how syncing goes,
//! "Verify", pairing codes and the business's devices. The device's key (its token)
//! never crosses: the UI only learns where it is kept.

use galla_core::SyncRejection;
use galla_sync_client::SyncError;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{ErrorCode, IpcError};

/// The enrolment form, as typed. Give either `pairing_code`, or `email` and `password`;
/// the other stays empty.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct EnrolInput {
    /// `https://sync.example.in` (or `http://…` on a shop's own network).
    pub server_url: String,
    /// What the owner sees in the device list: "Counter 2".
    pub device_name: String,
    pub pairing_code: String,
    pub email: String,
    pub password: String,
    /// Keep the key in a file beside the store instead of the system keyring; for
    /// computers that have no keyring.
    pub key_in_file: bool,
}

/// Where this device stands with its server, in one word for the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename = "SyncConnection", rename_all = "snake_case")]
#[ts(rename = "SyncConnection")]
pub enum ConnectionView {
    /// Not linked to a server: everything stays on this device.
    NotLinked,
    /// Linked, but its key is not found (keyring emptied, file removed): link again.
    KeyMissing,
    /// Linked, not synced yet.
    NeverSynced,
    /// The last attempt succeeded.
    Online,
    /// The last attempt failed; changes wait here and go when the server is back.
    Offline,
    /// The owner revoked this device; its unsynced changes stay on it.
    Revoked,
}

/// Where the device's key is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename = "KeyPlace", rename_all = "snake_case")]
#[ts(rename = "KeyPlace")]
pub enum KeyPlaceView {
    Keyring,
    File,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SyncLinkView {
    pub server_url: String,
    pub business_name: String,
    pub business_slug: String,
    pub device_name: String,
    /// The shop the enrolment put this device in, if it named one.
    pub shop_name: Option<String>,
}

/// A change the server refused: it never reached the other devices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RejectionView {
    #[ts(type = "number")]
    pub seq: u64,
    /// product, variant, sale, …
    pub entity: String,
    pub key: String,
    pub op: String,
    /// forbidden, invalid_payload, …
    pub code: String,
    /// The server's words.
    pub reason: String,
    #[ts(type = "number")]
    pub at_ms: u64,
}

impl From<SyncRejection> for RejectionView {
    fn from(r: SyncRejection) -> RejectionView {
        RejectionView {
            seq: r.seq,
            entity: r.entity,
            key: r.key,
            op: r.op,
            code: r.code,
            reason: r.reason,
            at_ms: r.at_ms,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SyncStatusView {
    pub connection: ConnectionView,
    pub link: Option<SyncLinkView>,
    pub device_id: String,
    /// Changes waiting to be sent.
    #[ts(type = "number")]
    pub pending: u64,
    #[ts(type = "number | null")]
    pub last_success_ms: Option<u64>,
    /// The last attempt since the app started, successful or not.
    #[ts(type = "number | null")]
    pub last_attempt_ms: Option<u64>,
    /// Why the last sync failed, until one succeeds.
    pub last_error: Option<String>,
    /// The newest first, at most 50.
    pub rejections: Vec<RejectionView>,
    #[ts(type = "number")]
    pub rejection_count: u64,
    /// Changes from the server this device could not apply.
    #[ts(type = "number")]
    pub skipped: u64,
    /// Whether the background sync is running.
    pub background: bool,
    /// Whether the server's live updates are coming in (changes arrive at once).
    pub live: bool,
    /// Where the key is kept, when the device is linked and the key is found.
    pub key_place: Option<KeyPlaceView>,
    /// Whether this computer has a keyring to keep the key in (checked once per run).
    pub keyring_available: bool,
}

/// What "Sync now" did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SyncNowView {
    #[ts(type = "number")]
    pub sent: u64,
    #[ts(type = "number")]
    pub received: u64,
    /// Of those sent, how many the server refused (listed in the status).
    #[ts(type = "number")]
    pub rejected: u64,
    pub status: SyncStatusView,
}

/// One scope (catalog, shops, people, stock, sales, audit) as "Verify" found it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ScopeCheckView {
    pub scope: String,
    /// This device agrees with the server now (after any repair).
    pub agrees: bool,
    /// It differed and was fetched again from the server.
    pub repaired: bool,
    #[ts(type = "number")]
    pub server_count: u64,
    /// What this device held before any repair.
    #[ts(type = "number")]
    pub device_count: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct VerifyView {
    pub agrees: bool,
    pub scopes: Vec<ScopeCheckView>,
    /// The scopes that differed and were fetched again.
    pub repaired: Vec<String>,
    pub status: SyncStatusView,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PairingCodeView {
    /// `XXXX-XXXX-XXXX`, usable once.
    pub code: String,
    #[ts(type = "number")]
    pub expires_at_ms: u64,
    /// The shop a device enrolled with it will work in, if the code names one.
    pub shop_name: Option<String>,
}

/// One device of the business, as the server lists it for an owner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DeviceView {
    pub id: String,
    pub name: String,
    pub shop_name: Option<String>,
    #[ts(type = "number")]
    pub enrolled_at_ms: u64,
    #[ts(type = "number | null")]
    pub last_seen_at_ms: Option<u64>,
    #[ts(type = "number | null")]
    pub revoked_at_ms: Option<u64>,
    /// How many changes the server has from it.
    #[ts(type = "number")]
    pub last_seq: u64,
    /// The device this window runs on; it cannot revoke itself.
    pub this_device: bool,
}

/// The client's messages begin in lower case, to be part of a sentence; shown alone
/// they begin with a capital.
pub fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A failed sync, Verify or owner action, in the one error shape.
pub fn error(e: SyncError) -> IpcError {
    let code = match &e {
        SyncError::Offline(_) => ErrorCode::ServerUnreachable,
        SyncError::Server { .. } | SyncError::Garbage(_) => ErrorCode::ServerFailed,
        SyncError::Refused { .. } | SyncError::Unauthenticated => ErrorCode::ServerRefused,
        SyncError::Revoked => ErrorCode::DeviceRevoked,
        SyncError::Store(_) => ErrorCode::StoreFailed,
    };
    match e {
        SyncError::Store(inner) => inner.into(),
        other => IpcError::new(code, format!("{}.", sentence(&other.to_string()))),
    }
}

/// What joining a shop on first start answers: the first screen's view afterwards (the
/// shop's people when its first fetch went through) and, when it did not, why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct JoinView {
    pub session: crate::wire::people::SessionView,
    pub first_sync_error: Option<String>,
}

/// Where the changes this device has not synced were saved, and how many.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct UnsyncedExportView {
    pub path: String,
    #[ts(type = "number")]
    pub entries: u64,
}
