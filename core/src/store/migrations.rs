//! Append-only schema migrations, kept as SQL under `migrations/local/` at the
//! repository root. A shipped migration is never edited; a change is a new file.
//! Where a migration needs what SQL cannot do (making UUIDv7 ids, checking barcodes),
//! a Rust step runs right after its SQL, in the same transaction.

use std::path::Path;

use rusqlite::{params, Connection, Transaction};

use super::{StoreError, APPLICATION_ID};
use crate::barcode::Barcode;

type DataStep = fn(&Transaction<'_>) -> Result<(), StoreError>;

pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
    data_step: Option<DataStep>,
}

pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "catalog",
        sql: include_str!("../../../migrations/local/0001_catalog.sql"),
        data_step: None,
    },
    Migration {
        version: 2,
        name: "catalog_variants",
        sql: include_str!("../../../migrations/local/0002_catalog_variants.sql"),
        data_step: Some(default_variants_for_old_products),
    },
    Migration {
        version: 3,
        name: "staff_audit",
        sql: include_str!("../../../migrations/local/0003_staff_audit.sql"),
        data_step: None,
    },
    Migration {
        version: 4,
        name: "stock",
        sql: include_str!("../../../migrations/local/0004_stock.sql"),
        data_step: None,
    },
    Migration {
        version: 5,
        name: "search",
        sql: include_str!("../../../migrations/local/0005_search.sql"),
        data_step: None,
    },
    Migration {
        version: 6,
        name: "images",
        sql: include_str!("../../../migrations/local/0006_images.sql"),
        data_step: None,
    },
    Migration {
        version: 7,
        name: "pos",
        sql: include_str!("../../../migrations/local/0007_pos.sql"),
        data_step: Some(default_tax_rates),
    },
    Migration {
        version: 8,
        name: "sync",
        sql: include_str!("../../../migrations/local/0008_sync.sql"),
        data_step: None,
    },
    Migration {
        version: 9,
        name: "shop_details",
        sql: include_str!("../../../migrations/local/0009_shop_details.sql"),
        data_step: None,
    },
];

/// A new store starts with India's GST slabs, which the owner can change.
fn default_tax_rates(tx: &Transaction<'_>) -> Result<(), StoreError> {
    super::pos_settings::replace_tax_rates(tx, &crate::pos::tax::default_rates())
}

pub const LATEST_VERSION: i64 = MIGRATIONS.len() as i64;

pub(super) fn migrate(conn: &mut Connection, path: &Path) -> Result<(), StoreError> {
    migrate_to(conn, path, LATEST_VERSION)
}

/// Applies migrations up to `target`; tests use a lower target to write files as an
/// older version of the app would have.
pub fn migrate_to(conn: &mut Connection, path: &Path, target: i64) -> Result<(), StoreError> {
    let application_id: i32 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if application_id != APPLICATION_ID {
        let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
        if application_id != 0 || tables > 0 || version != 0 {
            return Err(StoreError::Foreign {
                path: path.to_owned(),
            });
        }
    }
    if version > LATEST_VERSION {
        return Err(StoreError::TooNew {
            path: path.to_owned(),
            found: version,
            supported: LATEST_VERSION,
        });
    }
    for migration in MIGRATIONS
        .iter()
        .filter(|m| m.version > version && m.version <= target)
    {
        let tx = conn.transaction()?;
        tx.execute_batch(migration.sql)?;
        if let Some(step) = migration.data_step {
            step(&tx)?;
        }
        tx.pragma_update(None, "application_id", APPLICATION_ID)?;
        tx.pragma_update(None, "user_version", migration.version)?;
        tx.commit()?;
    }
    Ok(())
}

/// Version 2: every product of version 1 becomes a product with one variant holding
/// its price, SKU and barcode. The field clocks of those fields move with them, so a
/// later merge still knows when each was last written.
fn default_variants_for_old_products(tx: &Transaction<'_>) -> Result<(), StoreError> {
    let mut old = tx.prepare(
        "SELECT id, price_minor, currency, sku, barcode, created_hlc, updated_hlc
         FROM migration_0002_old_products ORDER BY id",
    )?;
    let rows = old.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, Option<String>>(3)?,
            r.get::<_, Option<String>>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, String>(6)?,
        ))
    })?;
    for row in rows {
        let (product_id, price_minor, currency, sku, barcode, created, updated) = row?;
        let variant_id = crate::id::new_id().to_string();
        tx.execute(
            "INSERT INTO variants (id, product_id, position, sku, price_minor, currency, created_hlc, updated_hlc)
             VALUES (?1, ?2, 0, ?3, ?4, ?5, ?6, ?7)",
            params![variant_id, product_id, sku, price_minor, currency, created, updated],
        )?;
        if let Some(code) = barcode {
            let kind = Barcode::parse(&code)
                .map_err(|e| {
                    StoreError::Corrupt(format!("barcode {code:?} of product {product_id}: {e}"))
                })?
                .kind();
            tx.execute(
                "INSERT INTO barcodes (code, variant_id, kind, updated_hlc) VALUES (?1, ?2, ?3, ?4)",
                params![code, variant_id, kind.code(), updated],
            )?;
        }
        tx.execute(
            "UPDATE field_clocks SET entity = 'variant', entity_id = ?2
             WHERE entity = 'product' AND entity_id = ?1
               AND field IN ('price_minor', 'currency', 'sku', 'barcode')",
            params![product_id, variant_id],
        )?;
    }
    drop(old);
    tx.execute_batch("DROP TABLE migration_0002_old_products")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_dense_and_ordered() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(
                m.version,
                i as i64 + 1,
                "migration {} must be number {}",
                m.name,
                i + 1
            );
        }
    }
}
