//! What the commands do, as plain functions over the local store, so they can be tested
//! without a window. Each returns the IPC error shape on failure and never panics.
//!
//! The window's session (who is signed in) lives here, not in the web UI: every
//! command but the PIN screen's needs a signed-in person, and core checks that
//! person's permission on every write.

mod catalog;
mod import;
mod people;
mod pos;
mod shop;
mod stock;
mod sync;

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use galla_core::id::{parse_id, Uuid};
use galla_core::{Actor, Store};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::credentials::{Credentials, Keyring, OsKeyring};
use crate::sync_loop::SyncHandle;
use crate::wire::{ErrorCode, IpcError, ShopView};

/// The open shop on this device. A store that failed to open is kept as its error, so
/// the window still starts and can say what is wrong.
pub struct Terminal {
    store: Result<Mutex<Store>, String>,
    session: Mutex<Option<Actor>>,
    /// The sale being rung up in this window. Parked sales live in the store.
    cart: Mutex<galla_core::pos::Cart>,
    /// Sync with the server: its own connection, its loop, the device's key. Absent
    /// when the store did not open.
    sync: Option<SyncHandle>,
}

/// The demo catalog is the same on every machine, so a screenshot or a bug report
/// about it can be reproduced.
const DEMO_SEED: u64 = 7;

/// A panic elsewhere must not lock the shop out for the rest of the day: the store's
/// state is always a committed transaction, so the data is sound.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Terminal {
    /// Opens the store in `folder`, keeping the sync key in the system keyring. The
    /// background sync is not started here: see `start_sync`.
    pub fn open(folder: &Path) -> Terminal {
        Terminal::open_with_keyring(folder, Box::new(OsKeyring))
    }

    /// `open` with another keyring (tests, or a computer known to have none).
    pub fn open_with_keyring(folder: &Path, keyring: Box<dyn Keyring>) -> Terminal {
        let store = Store::open_in(folder);
        let sync = store.as_ref().ok().map(|store| {
            let device = store.device();
            let credentials = Credentials::new(keyring, &device.to_string(), folder);
            let seed = u64::try_from(device.as_u128() & u128::from(u64::MAX)).unwrap_or(1);
            SyncHandle::new(
                &folder.join(galla_core::store::STORE_FILE_NAME),
                credentials,
                seed,
            )
        });
        Terminal {
            store: store.map(Mutex::new).map_err(|e| e.to_string()),
            session: Mutex::new(None),
            cart: Mutex::new(galla_core::pos::Cart::default()),
            sync,
        }
    }

    fn with_store<T>(
        &self,
        action: impl FnOnce(&mut Store) -> Result<T, IpcError>,
    ) -> Result<T, IpcError> {
        let store = self
            .store
            .as_ref()
            .map_err(|message| IpcError::new(ErrorCode::StoreFailed, message.clone()))?;
        action(&mut lock(store))
    }

    /// Runs `action` as the person signed in on this window.
    fn as_actor<T>(
        &self,
        action: impl FnOnce(&mut Store, &Actor) -> Result<T, IpcError>,
    ) -> Result<T, IpcError> {
        let actor = lock(&self.session).clone().ok_or_else(|| {
            IpcError::new(ErrorCode::SignedOut, "Sign in with your PIN to continue.")
        })?;
        self.with_store(|store| action(store, &actor))
    }

    /// Fills an empty store with the deterministic demo catalog, for trying Galla out.
    /// A store with any product in it is left alone. Returns how many were loaded.
    pub fn load_demo_catalog(&self, products: usize, now_ms: u64) -> Result<usize, IpcError> {
        self.with_store(|store| {
            if store.product_count()? > 0 {
                return Ok(0);
            }
            let loaded = store.load_generated_catalog(
                galla_core::demo::generate_catalog(DEMO_SEED, products),
                now_ms,
            )?;
            Ok(loaded.products)
        })
    }

    pub fn shop(&self) -> Result<ShopView, IpcError> {
        self.with_store(|store| Ok(ShopView::from(store.shop())))
    }
}

/// Reads a command's JSON argument into its wire type; anything else is refused whole.
pub(crate) fn parse_input<T: DeserializeOwned>(input: Value, what: &str) -> Result<T, IpcError> {
    serde_json::from_value(input).map_err(|e| {
        IpcError::new(
            ErrorCode::InputInvalid,
            format!("The {what} sent something unexpected ({e})."),
        )
    })
}

fn parse_uuid(id: &str, what: &str) -> Result<Uuid, IpcError> {
    parse_id(id).ok_or_else(|| {
        IpcError::new(
            ErrorCode::NotFound,
            format!("That {what} no longer exists."),
        )
    })
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod pos_tests;

#[cfg(test)]
mod sync_tests;
