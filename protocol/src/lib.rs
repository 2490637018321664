//! Galla's sync wire format, version 1 (docs/sync-protocol.md is the readable
//! specification; this crate is the same thing as types).
//!
//! Terminals and the server both depend on this crate and on nothing of each other: the
//! messages they exchange, the table of what may be synced, and the digests both sides
//! compute to check that they agree. Plain data, no I/O.

mod blobs;
mod digest;
mod entities;
mod hlc;
mod messages;
mod shop_details;

pub use blobs::{blob_hash, blob_of_image_key, is_blob_hash, MAX_BLOB_BYTES};
pub use digest::{document_digest, record_digest, ScopeSum};
pub use entities::{entity, stored_entity, EntityKind, EntitySpec, ENTITIES, SCOPES};
pub use hlc::{hlc_device, hlc_wall_ms};
pub use messages::*;
pub use shop_details::{
    parse_address, parse_opening_hours, OpeningPeriod, DAYS, MAX_ADDRESS_CHARS, MAX_PERIODS,
};

/// The protocol version this crate speaks, also the `/sync/v1/` of every path.
pub const VERSION: u32 = 1;

/// The most entries the server takes in one push; terminals send at most
/// [`PUSH_BATCH`].
pub const MAX_PUSH_ENTRIES: usize = 1000;
/// How many entries a terminal sends per push.
pub const PUSH_BATCH: usize = 500;
/// The largest request body the server reads (bytes).
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;
/// Pull page sizes: the default and the largest the server gives.
pub const DEFAULT_PULL_LIMIT: u32 = 1000;
pub const MAX_PULL_LIMIT: u32 = 5000;
/// An entry whose clock stamp is further ahead of the server's clock than this is
/// rejected (`clock_ahead`), so one device with a wrong date cannot win every merge.
pub const MAX_CLOCK_AHEAD_MS: u64 = 24 * 60 * 60 * 1000;
