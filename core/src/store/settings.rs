//! Device-wide values kept in the `settings` table.

use rusqlite::{OptionalExtension, Transaction};
use uuid::Uuid;

use super::{ShopSettings, StoreError};
use crate::hlc::HlcStamp;
use crate::money::Currency;

pub(super) fn get(tx: &Transaction<'_>, key: &str) -> Result<Option<String>, StoreError> {
    Ok(tx
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?)
}

pub(super) fn put(tx: &Transaction<'_>, key: &str, value: &str) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?
    .execute([key, value])?;
    Ok(())
}

/// The id this install signs its changes with, made on first start.
pub(super) fn device_id(tx: &Transaction<'_>) -> Result<Uuid, StoreError> {
    match get(tx, "device_id")? {
        Some(text) => {
            Uuid::parse_str(&text).map_err(|_| StoreError::Corrupt(format!("device id {text:?}")))
        }
        None => {
            let id = crate::id::new_id();
            put(tx, "device_id", &id.to_string())?;
            Ok(id)
        }
    }
}

pub(super) fn shop(tx: &Transaction<'_>) -> Result<ShopSettings, StoreError> {
    let code = get(tx, "currency")?.unwrap_or_else(|| "INR".to_owned());
    let currency = Currency::from_code(&code)
        .map_err(|_| StoreError::Corrupt(format!("currency {code:?}")))?;
    let locale = get(tx, "locale")?.unwrap_or_else(|| "en-IN".to_owned());
    Ok(ShopSettings { currency, locale })
}

pub(super) fn last_stamp(tx: &Transaction<'_>) -> Result<Option<HlcStamp>, StoreError> {
    get(tx, "hlc_last")?
        .map(|text| {
            text.parse()
                .map_err(|_| StoreError::Corrupt(format!("clock stamp {text:?}")))
        })
        .transpose()
}

pub(super) fn save_last_stamp(tx: &Transaction<'_>, stamp: HlcStamp) -> Result<(), StoreError> {
    put(tx, "hlc_last", &stamp.to_string())
}

/// The shop this device sells from and counts stock in, once one has been chosen or made.
pub(super) fn shop_id(tx: &Transaction<'_>) -> Result<Option<Uuid>, StoreError> {
    get(tx, "shop_id")?
        .map(|text| {
            Uuid::parse_str(&text).map_err(|_| StoreError::Corrupt(format!("shop id {text:?}")))
        })
        .transpose()
}

pub(super) fn save_shop_id(tx: &Transaction<'_>, id: Uuid) -> Result<(), StoreError> {
    put(tx, "shop_id", &id.to_string())
}
