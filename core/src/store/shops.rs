//! Shops: each a synced `shop` record (name, status, address, opening hours) that
//! stock, sales and shifts name. A device works in one of them (`settings.shop_id`).
//! Every write stamps the fields it changed and queues them for sync in the same
//! transaction (SYNC.md rules 1 and 5).

use galla_sync_protocol::{parse_opening_hours, OpeningPeriod};
use rusqlite::{params, OptionalExtension, Row, Transaction};
use serde_json::{json, Map, Value};
use uuid::Uuid;

use super::outbox::record_change;
use super::products::parse_uuid;
use super::staff::authorize;
use super::{Error, Store, StoreError};
use crate::hlc::HybridClock;
use crate::staff::{Actor, Permission};
use crate::stock::{self, Shop, ShopDetails, ShopStatus, StockError};

pub(super) const DEFAULT_SHOP_NAME: &str = "Main shop";

impl Store {
    /// Opens another shop of the business. Needs `ManageSettings`.
    pub fn add_shop(&mut self, actor: &Actor, name: &str, now_ms: u64) -> Result<Shop, Error> {
        let name = stock::parse_shop_name(name)?;
        let tx = self.conn.transaction()?;
        // Opening a shop is setting up the business, as the server checks too.
        authorize(&tx, actor, Permission::ManageSettings)?;
        let shop = insert_shop(&tx, &mut self.clock, Some(actor.staff_id()), name, now_ms)?;
        tx.commit()?;
        Ok(shop)
    }

    /// Every shop this store knows, oldest first (ids are UUIDv7).
    pub fn shops(&self) -> Result<Vec<Shop>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, name, status FROM shops ORDER BY id")?;
        let rows = stmt.query_map([], |row| Ok(shop_from_row(row)))?;
        let mut shops = Vec::new();
        for row in rows {
            shops.push(row??);
        }
        Ok(shops)
    }

    /// A shop's name, address and opening hours, or `None` for a shop this store does
    /// not have.
    pub fn shop_details(&self, shop_id: Uuid) -> Result<Option<ShopDetails>, StoreError> {
        read_details(&self.conn, shop_id)
    }

    /// Renames a shop and sets its address and opening hours (empty for "not given").
    /// Needs `ManageSettings`, as opening a shop does. Only the fields that changed are
    /// stamped and queued, in one entry; saving what is already stored records nothing.
    /// Bad input is refused with the protocol's own sentence and changes nothing.
    pub fn update_shop(
        &mut self,
        actor: &Actor,
        shop_id: Uuid,
        name: &str,
        address: &str,
        opening_hours: &[OpeningPeriod],
        now_ms: u64,
    ) -> Result<ShopDetails, Error> {
        let tx = self.conn.transaction()?;
        // Before the form is checked, so a cashier is told what they lack rather than
        // asked to fix hours they may not save.
        authorize(&tx, actor, Permission::ManageSettings)?;
        let (name, address, opening_hours) =
            stock::parse_shop_details(name, address, opening_hours)?;
        let current = read_details(&tx, shop_id)?.ok_or(StockError::ShopNotFound(shop_id))?;

        let mut fields = Map::new();
        if name != current.name {
            fields.insert("name".into(), json!(name));
        }
        if address != current.address {
            fields.insert("address".into(), json!(address));
        }
        let hours = stock::opening_hours_value(&opening_hours);
        if opening_hours != current.opening_hours {
            fields.insert("opening_hours".into(), hours.clone());
        }
        let details = ShopDetails {
            id: shop_id,
            name,
            address,
            opening_hours,
        };
        if fields.is_empty() {
            return Ok(details);
        }
        let stamp = super::stamp(&mut self.clock, &tx, now_ms)?;
        tx.prepare_cached(
            "UPDATE shops SET name = ?2, address = ?3, opening_hours = ?4, updated_hlc = ?5
             WHERE id = ?1",
        )?
        .execute(params![
            shop_id.to_string(),
            details.name,
            details.address,
            hours.to_string(),
            stamp.to_string()
        ])?;
        record_change(
            &tx,
            "shop",
            shop_id,
            "update",
            stamp,
            Some(actor.staff_id()),
            fields,
        )?;
        tx.commit()?;
        Ok(details)
    }

    /// The shop this device sells from. On first use, before the device has been enrolled
    /// into a shop, it takes the oldest shop it knows (one that arrived by sync) or, on a
    /// device of its own, makes one named "Main shop", and remembers it in the settings,
    /// so a single-shop business needs no setup.
    pub fn current_shop(&mut self, now_ms: u64) -> Result<Shop, Error> {
        self.current_shop_as(None, now_ms)
    }

    /// `current_shop` for a write made by `staff`, who is then the one who made the
    /// default shop if it is made now.
    pub(super) fn current_shop_as(
        &mut self,
        staff: Option<Uuid>,
        now_ms: u64,
    ) -> Result<Shop, Error> {
        let tx = self.conn.transaction()?;
        let shop = match super::settings::shop_id(&tx)? {
            Some(id) => read_shop(&tx, id)?.ok_or_else(|| {
                StoreError::Corrupt(format!("this device's shop {id} is missing"))
            })?,
            // A device that joined a business without being given a shop works in
            // the business's first shop, rather than opening a stray one of its own.
            None => match oldest_shop(&tx)? {
                Some(shop) => {
                    super::settings::save_shop_id(&tx, shop.id)?;
                    shop
                }
                None => {
                    let shop = insert_shop(
                        &tx,
                        &mut self.clock,
                        staff,
                        DEFAULT_SHOP_NAME.to_owned(),
                        now_ms,
                    )?;
                    super::settings::save_shop_id(&tx, shop.id)?;
                    shop
                }
            },
        };
        tx.commit()?;
        Ok(shop)
    }
}

/// Makes a shop with its field clocks and outbox entry, like a product, so the shop
/// reaches the server before (in the same push as) the movements that name it. Its
/// address and opening hours start empty and are not sent until someone sets them.
pub(super) fn insert_shop(
    tx: &Transaction<'_>,
    clock: &mut HybridClock,
    staff: Option<Uuid>,
    name: String,
    now_ms: u64,
) -> Result<Shop, Error> {
    let shop = Shop {
        id: crate::id::new_id(),
        name,
        status: ShopStatus::Active,
    };
    let stamp = super::stamp(clock, tx, now_ms)?;
    tx.execute(
        "INSERT INTO shops (id, name, status, created_hlc, updated_hlc) VALUES (?1, ?2, ?3, ?4, ?4)",
        params![
            shop.id.to_string(),
            shop.name,
            shop.status.as_str(),
            stamp.to_string()
        ],
    )?;
    let mut fields = Map::new();
    fields.insert("name".into(), json!(shop.name));
    fields.insert("status".into(), json!(shop.status.as_str()));
    record_change(tx, "shop", shop.id, "create", stamp, staff, fields)?;
    Ok(shop)
}

/// Local writes name a shop this store has. (Movements synced in from other counters
/// are not checked: their shop may not have arrived yet.)
pub(super) fn ensure_shop(tx: &Transaction<'_>, shop_id: Uuid) -> Result<(), Error> {
    let known: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM shops WHERE id = ?1)",
        [shop_id.to_string()],
        |r| r.get(0),
    )?;
    if !known {
        return Err(StockError::ShopNotFound(shop_id).into());
    }
    Ok(())
}

fn oldest_shop(tx: &Transaction<'_>) -> Result<Option<Shop>, StoreError> {
    let row = tx
        .prepare_cached("SELECT id, name, status FROM shops ORDER BY id LIMIT 1")?
        .query_row([], |row| Ok(shop_from_row(row)))
        .optional()?;
    row.transpose()
}

fn read_shop(tx: &Transaction<'_>, id: Uuid) -> Result<Option<Shop>, StoreError> {
    let row = tx
        .prepare_cached("SELECT id, name, status FROM shops WHERE id = ?1")?
        .query_row([id.to_string()], |row| Ok(shop_from_row(row)))
        .optional()?;
    row.transpose()
}

fn read_details(conn: &rusqlite::Connection, id: Uuid) -> Result<Option<ShopDetails>, StoreError> {
    let row: Option<(String, String, String)> = conn
        .prepare_cached("SELECT name, address, opening_hours FROM shops WHERE id = ?1")?
        .query_row([id.to_string()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let Some((name, address, hours)) = row else {
        return Ok(None);
    };
    Ok(Some(ShopDetails {
        id,
        name,
        address,
        opening_hours: stored_hours(id, &hours)?,
    }))
}

/// Every write path checks the hours before storing them, so a value that does not
/// read back was put there by something else.
fn stored_hours(shop: Uuid, text: &str) -> Result<Vec<OpeningPeriod>, StoreError> {
    let corrupt = |why: String| StoreError::Corrupt(format!("opening hours of shop {shop}: {why}"));
    let value: Value = serde_json::from_str(text).map_err(|e| corrupt(e.to_string()))?;
    parse_opening_hours(&value).map_err(corrupt)
}

fn shop_from_row(row: &Row<'_>) -> Result<Shop, StoreError> {
    let id: String = row.get(0)?;
    let status: String = row.get(2)?;
    Ok(Shop {
        id: parse_uuid(&id, "shop id")?,
        name: row.get(1)?,
        status: ShopStatus::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("shop status {status:?}")))?,
    })
}
