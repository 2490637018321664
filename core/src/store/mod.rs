//! The terminal's local store: one SQLite file holding the whole shop.
//!
//! Durability: WAL with `synchronous=FULL`, so a transaction that returned from commit
//! has its WAL frames fsynced and survives a power cut (NORMAL could lose the last
//! commits). See ARCHITECTURE.md.

mod audit;
mod barcodes;
mod categories;
mod customers;
mod demo;
mod images;
mod import;
mod migrations;
mod outbox;
mod pos_settings;
mod products;
mod ranking;
mod returns;
mod sales;
mod search;
mod settings;
mod shifts;
mod shops;
mod staff;
mod stock;
mod sync;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, Transaction};
use uuid::Uuid;

use crate::catalog::CatalogError;
use crate::hlc::{HlcError, HlcStamp, HybridClock};
use crate::images::ImageError;
use crate::money::Currency;
use crate::staff::{PermissionError, StaffError};
use crate::stock::StockError;

use outbox::{push_outbox, record_change};

pub use audit::{AuditAction, AuditEntry, AuditFilter};
pub use barcodes::INTERNAL_PREFIX;
pub use demo::LoadedCatalog;
pub use images::ProductImage;
pub use migrations::{LATEST_VERSION, MIGRATIONS};
pub use outbox::OutboxEntry;
pub use pos_settings::TaxTableError;
pub use returns::Refund;
pub use sales::{ParkedSale, Scanned};
pub use staff::require_permission;
pub use sync::{
    ApplyReport, PushOutcome, SyncLink, SyncLinkError, SyncRejection, SyncReplyError, SyncStatus,
};

/// Lets tests write files as an older version of the app would have.
pub mod migrations_for_tests {
    pub use super::migrations::migrate_to;
}

/// `PRAGMA application_id` of a Galla store ("GALL"), so a foreign SQLite file is
/// recognised as such instead of being migrated into.
pub const APPLICATION_ID: i32 = 0x4741_4C4C;

pub const STORE_FILE_NAME: &str = "galla.sqlite3";
/// Product pictures live in this folder beside the store file, named by content hash.
pub const IMAGES_FOLDER_NAME: &str = "images";

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path} is not a Galla store (it belongs to another program). Move it aside or choose another data folder.")]
    Foreign { path: PathBuf },
    #[error("{path} is damaged or is not a database: {detail}. Restore it from a backup or move it aside.")]
    NotADatabase { path: PathBuf, detail: String },
    #[error("{path} was written by a newer Galla (store version {found}; this app knows up to {supported}). Update the app.")]
    TooNew {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error("cannot create the data folder {path}: {source}")]
    Folder {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the local store failed: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("the local store holds a value this app cannot read: {0}")]
    Corrupt(String),
    #[error("the device clock: {0}")]
    Clock(#[from] HlcError),
    #[error("could not hash a PIN ({0}). Try again; if it keeps failing, restart the device.")]
    PinHash(String),
    #[error("could not save the picture to {path}: {source}. Check that the disk is not full.")]
    ImageFile {
        path: PathBuf,
        source: std::io::Error,
    },
    /// Here rather than in `Error` because the shells match `Error` exhaustively; a
    /// sync failure is the store's to report, like any other.
    #[error(transparent)]
    SyncReply(#[from] SyncReplyError),
    #[error(transparent)]
    SyncLink(#[from] SyncLinkError),
}

/// Every failure a store operation can end in: what the person did wrong, or what
/// went wrong underneath them.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Staff(#[from] StaffError),
    #[error(transparent)]
    Permission(#[from] PermissionError),
    #[error(transparent)]
    Stock(#[from] StockError),
    #[error(transparent)]
    Image(#[from] ImageError),
    #[error(transparent)]
    Pos(#[from] crate::pos::PosError),
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Error {
        Error::Store(StoreError::Sqlite(e))
    }
}

/// The shop-wide settings the UI needs to show money.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShopSettings {
    pub currency: Currency,
    /// A BCP 47 tag, such as en-IN, for formatting numbers and dates.
    pub locale: String,
}

pub struct Store {
    conn: Connection,
    /// The folder holding the store file; pictures are kept beside it.
    folder: PathBuf,
    device: Uuid,
    clock: HybridClock,
    shop: ShopSettings,
}

impl Store {
    /// Opens the store in `folder`, creating the folder and the file on first start and
    /// bringing an older file up to the current schema.
    pub fn open_in(folder: &Path) -> Result<Store, StoreError> {
        std::fs::create_dir_all(folder).map_err(|source| StoreError::Folder {
            path: folder.to_owned(),
            source,
        })?;
        Store::open(&folder.join(STORE_FILE_NAME))
    }

    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let not_a_database = |e: rusqlite::Error| StoreError::NotADatabase {
            path: path.to_owned(),
            detail: e.to_string(),
        };
        let mut conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        // The first read of the header is where a non-database file shows itself.
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(not_a_database)?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        // Every write transaction takes the write lock when it begins. A deferred one
        // that read first and then met another connection's commit (sync runs on its
        // own connection, SYNC.md rule 9) would fail at once with SQLITE_BUSY instead
        // of waiting its turn under the busy timeout.
        conn.set_transaction_behavior(rusqlite::TransactionBehavior::Immediate);
        conn.set_prepared_statement_cache_capacity(256);
        migrations::migrate(&mut conn, path)?;
        let tx = conn.transaction()?;
        let device = settings::device_id(&tx)?;
        let shop = settings::shop(&tx)?;
        let last = settings::last_stamp(&tx)?;
        tx.commit()?;
        Ok(Store {
            conn,
            folder: path.parent().map(Path::to_owned).unwrap_or_default(),
            device,
            clock: HybridClock::new(device, last),
            shop,
        })
    }

    pub fn device(&self) -> Uuid {
        self.device
    }

    pub fn shop(&self) -> &ShopSettings {
        &self.shop
    }
}

/// Stamps a local change and persists the clock in the same transaction as the change,
/// so a restart never issues a stamp lower than one already written.
///
/// The stamp persisted in the file may be ahead of this handle's clock: sync runs on a
/// connection of its own and moves the clock there when it sees other devices' stamps.
/// Reading it inside the writing transaction makes every handle on the file tick past
/// every stamp any of them issued or saw.
fn stamp(
    clock: &mut HybridClock,
    tx: &Transaction<'_>,
    now_ms: u64,
) -> Result<HlcStamp, StoreError> {
    let mut stamp = clock.tick(now_ms)?;
    if let Some(persisted) = settings::last_stamp(tx)? {
        if persisted >= stamp {
            *clock = HybridClock::new(stamp.device(), Some(persisted));
            stamp = clock.tick(now_ms)?;
        }
    }
    settings::save_last_stamp(tx, stamp)?;
    Ok(stamp)
}

/// SQLite integers are signed; a time past i64::MAX milliseconds is no real time, so
/// it is held at the largest one rather than wrapped to a negative.
fn to_sql_ms(ms: u64) -> i64 {
    i64::try_from(ms).unwrap_or(i64::MAX)
}
