//! Customers and their store credit, a ledger like stock: the balance is the sum of
//! its movements, each tied to the sale or return that made it.

use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use serde_json::{json, Map};
use uuid::Uuid;

use super::outbox::{push_outbox, record_change};
use super::staff::authorize;
use super::{Error, Store, StoreError};
use crate::hlc::HybridClock;
use crate::pos::customer::{parse_customer, search_text, Customer, CustomerError, CustomerForm};
use crate::staff::{Actor, Permission};

const COLUMNS: &str = "c.id, c.name, c.phone, c.gstin,
    (SELECT coalesce(sum(amount_minor), 0) FROM store_credit s WHERE s.customer_id = c.id)";

fn from_row(row: &Row<'_>) -> Result<Customer, StoreError> {
    let id: String = row.get(0)?;
    Ok(Customer {
        id: super::products::parse_uuid(&id, "customer id")?,
        name: row.get(1)?,
        phone: row.get(2)?,
        gstin: row.get(3)?,
        store_credit_minor: row.get(4)?,
    })
}

impl Store {
    pub fn add_customer(
        &mut self,
        actor: &Actor,
        form: &CustomerForm,
        now_ms: u64,
    ) -> Result<Customer, Error> {
        authorize(&self.conn, actor, Permission::Sell)?;
        let parsed = parse_customer(form).map_err(pos_error)?;
        let tx = self.conn.transaction()?;
        if let Some(phone) = &parsed.phone {
            let taken: Option<String> = tx
                .prepare_cached("SELECT name FROM customers WHERE phone = ?1")?
                .query_row([phone], |r| r.get(0))
                .optional()?;
            if let Some(name) = taken {
                return Err(pos_error(CustomerError::PhoneTaken(phone.clone(), name)));
            }
        }
        let id = crate::id::new_id();
        let stamp = super::stamp(&mut self.clock, &tx, now_ms)?.to_string();
        tx.prepare_cached(
            "INSERT INTO customers (id, name, phone, gstin, search_text, created_hlc, updated_hlc)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
        )?
        .execute(params![
            id.to_string(),
            parsed.name,
            parsed.phone,
            parsed.gstin,
            search_text(&parsed.name, parsed.phone.as_deref()),
            stamp
        ])?;
        let mut fields = Map::new();
        fields.insert("name".into(), json!(parsed.name));
        fields.insert("phone".into(), json!(parsed.phone));
        fields.insert("gstin".into(), json!(parsed.gstin));
        let stamp = stamp
            .parse()
            .map_err(|_| StoreError::Corrupt("clock stamp".into()))?;
        record_change(
            &tx,
            "customer",
            id,
            "create",
            stamp,
            Some(actor.staff_id()),
            fields,
        )?;
        tx.commit()?;
        Ok(Customer {
            id,
            name: parsed.name,
            phone: parsed.phone,
            gstin: parsed.gstin,
            store_credit_minor: 0,
        })
    }

    /// Customers whose phone contains the digits typed, or whose name has every word
    /// typed; at most 50, by name.
    pub fn find_customers(&self, text: &str) -> Result<Vec<Customer>, StoreError> {
        let words: Vec<String> = text
            .to_lowercase()
            .split_whitespace()
            .take(6)
            .map(|w| w.chars().filter(|c| *c != '%' && *c != '_').collect())
            .filter(|w: &String| !w.is_empty())
            .collect();
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        let mut sql = format!("SELECT {COLUMNS} FROM customers c WHERE 1 = 1");
        let mut args: Vec<String> = Vec::new();
        if !digits.is_empty()
            && digits.len() == text.chars().filter(|c| !" +-()".contains(*c)).count()
        {
            sql.push_str(" AND c.phone LIKE ?1");
            args.push(format!("%{digits}%"));
        } else {
            for word in &words {
                args.push(format!("%{word}%"));
                sql.push_str(&format!(" AND c.search_text LIKE ?{}", args.len()));
            }
        }
        sql.push_str(" ORDER BY c.name COLLATE NOCASE LIMIT 50");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), |r| Ok(from_row(r)))?;
        let mut found = Vec::new();
        for row in rows {
            found.push(row??);
        }
        Ok(found)
    }

    pub fn customer(&self, id: Uuid) -> Result<Option<Customer>, StoreError> {
        read_customer(&self.conn, id)
    }
}

pub(super) fn read_customer(conn: &Connection, id: Uuid) -> Result<Option<Customer>, StoreError> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM customers c WHERE c.id = ?1"
    ))?
    .query_row([id.to_string()], |r| Ok(from_row(r)))
    .optional()?
    .transpose()
}

/// Moves store credit in the caller's transaction (negative: spent on a sale).
pub(super) fn move_credit(
    tx: &Transaction<'_>,
    clock: &mut HybridClock,
    device: Uuid,
    actor: &Actor,
    (customer_id, amount_minor, document_id): (Uuid, i64, Uuid),
    now_ms: u64,
) -> Result<(), StoreError> {
    let id = crate::id::new_id();
    let stamp = super::stamp(clock, tx, now_ms)?;
    tx.prepare_cached(
        "INSERT INTO store_credit (id, customer_id, amount_minor, document_id, device_id, hlc, at_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        id.to_string(),
        customer_id.to_string(),
        amount_minor,
        document_id.to_string(),
        device.to_string(),
        stamp.to_string(),
        super::to_sql_ms(now_ms)
    ])?;
    push_outbox(
        tx,
        "store_credit",
        id,
        "append",
        stamp,
        Some(actor.staff_id()),
        &json!({
            "customer_id": customer_id.to_string(),
            "amount_minor": amount_minor,
            "document_id": document_id.to_string(),
            "device_id": device.to_string(),
            "at_ms": super::to_sql_ms(now_ms),
        }),
    )
}

fn pos_error(e: CustomerError) -> Error {
    Error::Pos(crate::pos::PosError::Customer(e))
}
