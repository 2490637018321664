//! The link to the sync server and how syncing went, kept in `sync_state` (one text
//! value per key) so the app can show it and the next sync can resume.

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use uuid::Uuid;

use crate::store::{settings, Error, Store, StoreError};

pub(in crate::store) const SERVER_URL: &str = "server_url";
pub(in crate::store) const BUSINESS_ID: &str = "business_id";
pub(in crate::store) const BUSINESS_NAME: &str = "business_name";
pub(in crate::store) const BUSINESS_SLUG: &str = "business_slug";
pub(in crate::store) const DEVICE_NAME: &str = "device_name";
/// The shop the enrolment named, if any (the device's own shop is `settings.shop_id`).
pub(in crate::store) const LINK_SHOP_ID: &str = "shop_id";
/// The pull cursor, as integer text; absent means 0 (nothing pulled yet).
pub(in crate::store) const CURSOR: &str = "cursor";
pub(in crate::store) const LAST_PUSH_MS: &str = "last_push_ms";
pub(in crate::store) const LAST_PULL_MS: &str = "last_pull_ms";
pub(in crate::store) const LAST_SUCCESS_MS: &str = "last_success_ms";
pub(in crate::store) const LAST_ERROR: &str = "last_error";
pub(in crate::store) const REVOKED: &str = "revoked";

/// How many rejections `sync_status` lists; the rest are counted.
const REJECTIONS_SHOWN: i64 = 50;

/// Where this device syncs and as what, from its enrolment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncLink {
    pub server_url: String,
    pub business_id: Uuid,
    pub business_name: String,
    pub business_slug: String,
    pub device_name: String,
    /// The shop the pairing code named; the device works in it.
    pub shop_id: Option<Uuid>,
}

/// What the sync screen shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncStatus {
    pub link: Option<SyncLink>,
    /// Outbox entries waiting to be pushed.
    pub pending: u64,
    pub cursor: u64,
    pub last_push_ms: Option<u64>,
    pub last_pull_ms: Option<u64>,
    pub last_success_ms: Option<u64>,
    /// Why the last sync failed, until one succeeds.
    pub last_error: Option<String>,
    pub revoked: bool,
    /// The newest first, at most 50.
    pub rejections: Vec<SyncRejection>,
    pub rejection_count: u64,
    /// Pulled changes this device could not apply.
    pub skipped: u64,
}

/// A change the server refused; it never reached the other devices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncRejection {
    pub seq: u64,
    pub entity: String,
    pub key: String,
    pub op: String,
    pub code: String,
    pub reason: String,
    pub at_ms: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum SyncLinkError {
    #[error("This device already sells and keeps stock in its own shop ({name}), so it cannot be moved into the shop it was enrolled for ({requested}). Enrol it without a shop, or enrol a fresh install for that shop.")]
    ShopInUse { name: String, requested: Uuid },
}

impl Store {
    /// Records the server link. When `link.shop_id` is given this device works in that
    /// shop from now on, which is refused once the device's own shop has stock
    /// movements, sales or shifts (they would be left in a shop the counter no longer
    /// uses). Linking to another business starts its pull from the beginning, since
    /// cursors belong to one business's feed.
    pub fn link_to_server(&mut self, link: &SyncLink) -> Result<(), Error> {
        let tx = self.conn.transaction()?;
        if let Some(requested) = link.shop_id {
            match settings::shop_id(&tx)? {
                Some(own) if own != requested && shop_in_use(&tx, own)? => {
                    let name: Option<String> = tx
                        .query_row(
                            "SELECT name FROM shops WHERE id = ?1",
                            [own.to_string()],
                            |r| r.get(0),
                        )
                        .optional()?;
                    return Err(StoreError::from(SyncLinkError::ShopInUse {
                        name: name.unwrap_or_else(|| own.to_string()),
                        requested,
                    })
                    .into());
                }
                _ => settings::save_shop_id(&tx, requested)?,
            }
        }
        let business = link.business_id.to_string();
        if get(&tx, BUSINESS_ID)?.is_some_and(|old| old != business) {
            remove(&tx, CURSOR)?;
        }
        put(&tx, SERVER_URL, &link.server_url)?;
        put(&tx, BUSINESS_ID, &business)?;
        put(&tx, BUSINESS_NAME, &link.business_name)?;
        put(&tx, BUSINESS_SLUG, &link.business_slug)?;
        put(&tx, DEVICE_NAME, &link.device_name)?;
        match link.shop_id {
            Some(shop) => put(&tx, LINK_SHOP_ID, &shop.to_string())?,
            None => remove(&tx, LINK_SHOP_ID)?,
        }
        crate::store::pos_settings::take_own_receipt_prefix(&tx, self.device, self.shop.currency)?;
        // A new enrolment is a fresh start: the old credential's refusal no longer applies.
        remove(&tx, REVOKED)?;
        remove(&tx, LAST_ERROR)?;
        tx.commit()?;
        Ok(())
    }

    pub fn sync_link(&self) -> Result<Option<SyncLink>, StoreError> {
        read_link(&self.conn)
    }

    /// Where the next pull starts: the `next` of the last page applied.
    pub fn pull_cursor(&self) -> Result<u64, StoreError> {
        Ok(get_ms(&self.conn, CURSOR)?.unwrap_or(0))
    }

    /// After a sync: success clears the last error and notes the time; a failure keeps
    /// its message for the sync screen.
    pub fn note_sync_result(&mut self, error: Option<&str>, now_ms: u64) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        match error {
            None => {
                put(&tx, LAST_SUCCESS_MS, &now_ms.to_string())?;
                remove(&tx, LAST_ERROR)?;
            }
            Some(text) => put(&tx, LAST_ERROR, text)?,
        }
        tx.commit()?;
        Ok(())
    }

    /// The server said this device is revoked; sync stops until it is enrolled again.
    pub fn note_revoked(&mut self) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        put(&tx, REVOKED, "1")?;
        tx.commit()?;
        Ok(())
    }

    pub fn sync_status(&self) -> Result<SyncStatus, StoreError> {
        // One read transaction, so the figures agree with each other.
        let tx = self.conn.unchecked_transaction()?;
        let count = |sql: &str| -> Result<u64, StoreError> {
            let n: i64 = tx.query_row(sql, [], |r| r.get(0))?;
            u64::try_from(n).map_err(|_| StoreError::Corrupt(format!("a count of {n}")))
        };
        let status = SyncStatus {
            link: read_link(&tx)?,
            pending: count("SELECT count(*) FROM outbox")?,
            cursor: get_ms(&tx, CURSOR)?.unwrap_or(0),
            last_push_ms: get_ms(&tx, LAST_PUSH_MS)?,
            last_pull_ms: get_ms(&tx, LAST_PULL_MS)?,
            last_success_ms: get_ms(&tx, LAST_SUCCESS_MS)?,
            last_error: get(&tx, LAST_ERROR)?,
            revoked: get(&tx, REVOKED)?.is_some_and(|v| v == "1"),
            rejections: newest_rejections(&tx)?,
            rejection_count: count("SELECT count(*) FROM sync_rejections")?,
            skipped: count("SELECT count(*) FROM sync_skipped")?,
        };
        Ok(status)
    }
}

/// Whether the shop has anything of this device's trade in it yet.
fn shop_in_use(tx: &Transaction<'_>, shop: Uuid) -> Result<bool, StoreError> {
    Ok(tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM stock_movements WHERE shop_id = ?1)
             OR EXISTS (SELECT 1 FROM sales WHERE shop_id = ?1)
             OR EXISTS (SELECT 1 FROM shifts WHERE shop_id = ?1)",
        [shop.to_string()],
        |r| r.get(0),
    )?)
}

fn read_link(conn: &Connection) -> Result<Option<SyncLink>, StoreError> {
    let (Some(server_url), Some(business)) = (get(conn, SERVER_URL)?, get(conn, BUSINESS_ID)?)
    else {
        return Ok(None);
    };
    let uuid = |text: &str, what: &str| {
        Uuid::parse_str(text).map_err(|_| StoreError::Corrupt(format!("sync {what} {text:?}")))
    };
    Ok(Some(SyncLink {
        server_url,
        business_id: uuid(&business, "business id")?,
        business_name: get(conn, BUSINESS_NAME)?.unwrap_or_default(),
        business_slug: get(conn, BUSINESS_SLUG)?.unwrap_or_default(),
        device_name: get(conn, DEVICE_NAME)?.unwrap_or_default(),
        shop_id: get(conn, LINK_SHOP_ID)?
            .map(|text| uuid(&text, "shop id"))
            .transpose()?,
    }))
}

fn newest_rejections(conn: &Connection) -> Result<Vec<SyncRejection>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, entity, entity_key, op, code, reason, at_ms FROM sync_rejections
         ORDER BY at_ms DESC, seq DESC LIMIT ?1",
    )?;
    let rows = stmt.query_map([REJECTIONS_SHOWN], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            SyncRejection {
                seq: 0,
                entity: r.get(1)?,
                key: r.get(2)?,
                op: r.get(3)?,
                code: r.get(4)?,
                reason: r.get(5)?,
                at_ms: 0,
            },
            r.get::<_, i64>(6)?,
        ))
    })?;
    let mut rejections = Vec::new();
    for row in rows {
        let (seq, rejection, at_ms) = row?;
        rejections.push(SyncRejection {
            seq: to_u64(seq, "rejected entry number")?,
            at_ms: to_u64(at_ms, "rejection time")?,
            ..rejection
        });
    }
    Ok(rejections)
}

pub(in crate::store) fn to_u64(n: i64, what: &str) -> Result<u64, StoreError> {
    u64::try_from(n).map_err(|_| StoreError::Corrupt(format!("{what} {n}")))
}

pub(in crate::store) fn get(conn: &Connection, key: &str) -> Result<Option<String>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT value FROM sync_state WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?)
}

/// A number kept as text (times in ms, the cursor).
pub(in crate::store) fn get_ms(conn: &Connection, key: &str) -> Result<Option<u64>, StoreError> {
    get(conn, key)?
        .map(|text| {
            text.parse()
                .map_err(|_| StoreError::Corrupt(format!("sync {key} {text:?}")))
        })
        .transpose()
}

pub(in crate::store) fn put(
    tx: &Transaction<'_>,
    key: &str,
    value: &str,
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO sync_state (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?
    .execute(params![key, value])?;
    Ok(())
}

fn remove(tx: &Transaction<'_>, key: &str) -> Result<(), StoreError> {
    tx.prepare_cached("DELETE FROM sync_state WHERE key = ?1")?
        .execute([key])?;
    Ok(())
}
