//! The JSON bodies of each request and answer. Unknown fields are ignored on reading
//! (rule 10: changes are additive), so an older terminal keeps working against a newer
//! server.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

/// `POST /sync/v1/enroll`: a new install joins a business, with either a one-time
/// pairing code or the owner's e-mail and password.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnrollRequest {
    /// The id the device's store made for itself.
    pub device_id: Uuid,
    /// What the owner will see in the device list ("Counter 2").
    pub device_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pairing_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnrollReply {
    pub device_id: Uuid,
    pub business_id: Uuid,
    pub business_name: String,
    pub business_slug: String,
    /// The shop the pairing code was made for, if it named one.
    #[serde(default)]
    pub shop_id: Option<Uuid>,
    /// The device's credential: sent as `Authorization: Bearer <token>` from now on.
    /// The server keeps only its hash; it is shown once.
    pub token: String,
    pub protocol: u32,
}

/// One outbox entry, as pushed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// The device's dense sequence number: 1, 2, 3, … with no gaps.
    pub seq: u64,
    /// The entry's own id, so a replay can be told from a reused sequence number.
    pub id: Uuid,
    pub entity: String,
    pub key: String,
    pub op: String,
    pub hlc: String,
    /// The staff member who made the change; the server checks their role.
    #[serde(default)]
    pub staff_id: Option<Uuid>,
    pub payload: Value,
}

/// `POST /sync/v1/push`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushRequest {
    pub entries: Vec<Entry>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryStatus {
    Applied,
    AlreadyApplied,
    Rejected,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntryResult {
    pub seq: u64,
    pub status: EntryStatus,
    /// For a rejection: a stable code (`forbidden`, `invalid_payload`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// For a rejection: what a person should read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// For a rejected record entry: the server's current state of that record (as in
    /// the feed), or absent when the server has none, so the terminal can put its copy
    /// right at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<Change>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushReply {
    /// One per entry pushed, in the same order.
    pub results: Vec<EntryResult>,
    /// The highest sequence number the server holds for this device.
    pub last_seq: u64,
}

/// One row of the change feed: the current state of one record or one document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub cursor: u64,
    pub entity: String,
    pub key: String,
    /// A record's merged fields, or a document's payload.
    pub data: Value,
    /// A record's stamp per field; absent for documents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clocks: Option<BTreeMap<String, String>>,
}

/// `GET /sync/v1/pull?after=C&limit=N[&scope=S]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PullPage {
    pub changes: Vec<Change>,
    /// The cursor to ask from next: the last change's, or `after` when there were none.
    pub next: u64,
    /// Whether more changes follow `next` right now.
    pub more: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScopeDigest {
    pub scope: String,
    pub count: u64,
    /// 16 lower-case hex digits.
    pub digest: String,
}

/// `GET /sync/v1/verify`: the server's digests at `cursor`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifyReply {
    pub cursor: u64,
    pub scopes: Vec<ScopeDigest>,
}

/// `POST /sync/v1/pairing-codes` (an owner's device).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairingCodeRequest {
    /// The owner asking; must be an active owner on the server.
    pub staff_id: Uuid,
    #[serde(default)]
    pub shop_id: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairingCode {
    /// `XXXX-XXXX-XXXX`; usable once.
    pub code: String,
    /// Unix milliseconds.
    pub expires_at_ms: u64,
}

/// One device in `GET /sync/v1/devices`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceInfo {
    pub device_id: Uuid,
    pub name: String,
    #[serde(default)]
    pub shop_id: Option<Uuid>,
    pub enrolled_at_ms: u64,
    #[serde(default)]
    pub last_seen_at_ms: Option<u64>,
    #[serde(default)]
    pub revoked_at_ms: Option<u64>,
    pub last_seq: u64,
}

/// `POST /sync/v1/devices/{id}/revoke` (an owner's device).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RevokeRequest {
    pub staff_id: Uuid,
}

/// Every error answer: `{"error": {"code": "...", "message": "..."}}`, with the
/// device's `last_seq` on sequence errors.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorInfo,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorInfo {
    pub code: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_seq: Option<u64>,
}
