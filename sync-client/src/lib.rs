//! A terminal's side of sync (docs/sync-protocol.md): push the store's outbox, pull the
//! change feed, verify against the server's digests. The store does the bookkeeping in
//! SQLite transactions (galla-core); this crate moves messages and decides when to
//! retry. It never deletes anything local because of a failure: only an answer that
//! matches what was sent lets the store drop an outbox entry.

mod backoff;
mod engine;
mod error;
mod http;

pub use backoff::Backoff;
pub use engine::{fetch_image, sync_once, verify, ScopeCheck, SyncReport, VerifyReport};
pub use error::SyncError;
pub use http::{enroll, HttpTransport};

use galla_sync_protocol::{PullPage, PushReply, PushRequest, VerifyReply};

/// How requests reach the server. [`HttpTransport`] is the real one; tests wrap it to
/// inject faults.
pub trait Transport {
    fn push(&self, request: &PushRequest) -> Result<PushReply, SyncError>;
    fn pull(&self, after: u64, limit: u32, scope: Option<&str>) -> Result<PullPage, SyncError>;
    fn verify(&self) -> Result<VerifyReply, SyncError>;
    /// Keeps a picture's bytes on the server under their SHA-256 (`PUT /sync/v1/blobs/…`).
    fn put_blob(&self, hash: &str, bytes: &[u8]) -> Result<(), SyncError>;
    /// A picture's bytes, or `None` when the server has no blob of that name.
    fn get_blob(&self, hash: &str) -> Result<Option<Vec<u8>>, SyncError>;
}
