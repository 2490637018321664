//! The terminal's side of sync, as bookkeeping in the store (docs/sync-protocol.md):
//! what waits to be pushed and what the server answered (`outgoing`), the link to the
//! server and how syncing went (`state`), this device's digests for "Verify"
//! (`digests`), and applying what was pulled (`incoming`). Moving messages over the
//! network is another crate's job; everything here is one SQLite transaction or a read.

mod digests;
mod incoming;
mod outgoing;
mod state;

pub use incoming::ApplyReport;
pub use outgoing::{PushOutcome, SyncReplyError};
pub use state::{SyncLink, SyncLinkError, SyncRejection, SyncStatus};
