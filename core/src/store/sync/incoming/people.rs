//! Shops, staff and customers, stored as `shops.rs`, `staff.rs` and `customers.rs`
//! store them.

use galla_sync_protocol::Change;
use rusqlite::types::Value as SqlValue;

use super::records::{column, id_key, merge, required, write_row, Table};
use super::values::{Kind, Refusal};
use super::{Applied, Ctx};
use crate::hlc::HybridClock;

const ACTIVE_ARCHIVED: &[&str] = &["active", "archived"];
const ROLES: &[&str] = &["owner", "manager", "cashier"];

pub(super) const SHOP: Table = Table {
    entity: "shop",
    table: "shops",
    columns: &[
        required("name", "name", Kind::Name),
        required("status", "status", Kind::OneOf(ACTIVE_ARCHIVED)),
        // Not required: a shop made on an older app has neither, and the columns'
        // defaults ('' and '[]') mean "not given".
        column("address", "address", Kind::Address),
        column("opening_hours", "opening_hours", Kind::OpeningHours),
    ],
    special: &[],
    created_hlc: true,
};

const STAFF: Table = Table {
    entity: "staff",
    table: "staff",
    columns: &[
        required("name", "name", Kind::Name),
        required("role", "role", Kind::OneOf(ROLES)),
        // The table's CHECK refuses anything that is not a PHC string.
        required("pin_hash", "pin_hash", Kind::Text),
        required("status", "status", Kind::OneOf(ACTIVE_ARCHIVED)),
    ],
    special: &[],
    created_hlc: true,
};

/// Customers have no status column here (nobody archives one on a counter yet), so a
/// `status` from the feed is kept as a stamp only.
const CUSTOMER: Table = Table {
    entity: "customer",
    table: "customers",
    columns: &[
        required("name", "name", Kind::Name),
        column("phone", "phone", Kind::OptText),
        column("gstin", "gstin", Kind::OptText),
    ],
    special: &[],
    created_hlc: true,
};

pub(super) fn staff(
    ctx: &Ctx<'_, '_>,
    clock: &mut HybridClock,
    change: &Change,
) -> Result<Applied, Refusal> {
    let id = id_key(change)?;
    merge(ctx, clock, change, &id, |incoming| {
        let written = write_row(ctx, &STAFF, &[("id", id.clone())], incoming, &[])?;
        if incoming.wins("pin_hash") && !written.inserted {
            // A new PIN set elsewhere lifts this counter's lock, as `reset_pin` does
            // here: the person was given the PIN to get back in.
            ctx.tx
                .prepare_cached(
                    "UPDATE staff SET failed_pins = 0, locked_until_ms = NULL WHERE id = ?1",
                )?
                .execute([&id])?;
        }
        Ok(())
    })
}

pub(super) fn customer(
    ctx: &Ctx<'_, '_>,
    clock: &mut HybridClock,
    change: &Change,
) -> Result<Applied, Refusal> {
    let id = id_key(change)?;
    merge(ctx, clock, change, &id, |incoming| {
        write_row(
            ctx,
            &CUSTOMER,
            &[("id", id.clone())],
            incoming,
            &[("search_text", SqlValue::Text(String::new()))],
        )?;
        // The counter's customer search reads this folded copy of name and phone.
        let row: Option<(String, Option<String>)> = {
            use rusqlite::OptionalExtension;
            ctx.tx
                .prepare_cached("SELECT name, phone FROM customers WHERE id = ?1")?
                .query_row([&id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?
        };
        if let Some((name, phone)) = row {
            let text = crate::pos::customer::search_text(&name, phone.as_deref());
            ctx.tx
                .prepare_cached("UPDATE customers SET search_text = ?2 WHERE id = ?1")?
                .execute([&id, &text])?;
        }
        Ok(())
    })
}
