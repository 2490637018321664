//! This device's side of "Verify" (SYNC.md rule 8): per scope, the count and XOR of
//! row digests over what the store holds, computed as the server computes its own
//! (docs/sync-protocol.md), so a scope that differs can be fetched again.

use std::collections::{HashMap, HashSet};

use rusqlite::Connection;

use galla_sync_protocol::{
    document_digest, record_digest, stored_entity, EntityKind, ScopeDigest, ScopeSum, ENTITIES,
    SCOPES,
};

use crate::store::{Store, StoreError};

/// Where each document entity lives here, and the column that is its key.
const DOCUMENTS: &[(&str, &str)] = &[
    ("stock_movement", "SELECT id FROM stock_movements"),
    // Returns are sales of kind "return": the same table and entity.
    ("sale", "SELECT id FROM sales"),
    ("shift", "SELECT id FROM shifts"),
    ("shift_closing", "SELECT shift_id FROM shift_closings"),
    ("cash_movement", "SELECT id FROM cash_movements"),
    ("store_credit", "SELECT id FROM store_credit"),
    ("audit", "SELECT id FROM audit_log"),
];

impl Store {
    /// This device's digest of every scope, in `SCOPES` order. Records are digested
    /// from their field stamps (fields this app does not know included, as they are
    /// kept too); documents from their keys, leaving out those the server rejected,
    /// which it does not hold. Rows are streamed, one record's stamps in memory at a
    /// time, so a large catalog costs time, not memory.
    pub fn scope_digests(&self) -> Result<Vec<ScopeDigest>, StoreError> {
        // One read transaction: every scope as of the same moment.
        let tx = self.conn.unchecked_transaction()?;
        let mut sums = vec![ScopeSum::default(); SCOPES.len()];
        for spec in ENTITIES.iter().filter(|e| e.kind == EntityKind::Record) {
            add_records(&tx, spec.name, &mut sums[scope_index(spec.scope)?])?;
        }
        let rejected = rejected_documents(&tx)?;
        for &(entity, sql) in DOCUMENTS {
            let spec = galla_sync_protocol::entity(entity)
                .ok_or_else(|| StoreError::Corrupt(format!("no sync entity {entity}")))?;
            let sum = &mut sums[scope_index(spec.scope)?];
            let skip = rejected.get(entity);
            let mut stmt = tx.prepare(sql)?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                let key = row.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?;
                if !skip.is_some_and(|keys| keys.contains(key)) {
                    sum.add(document_digest(entity, key));
                }
            }
        }
        Ok(SCOPES
            .iter()
            .zip(sums)
            .map(|(scope, sum)| sum.to_wire(scope))
            .collect())
    }
}

fn scope_index(scope: &str) -> Result<usize, StoreError> {
    SCOPES
        .iter()
        .position(|s| *s == scope)
        .ok_or_else(|| StoreError::Corrupt(format!("no sync scope {scope}")))
}

/// Adds every record of `entity`, its stamps grouped from consecutive rows: the
/// primary key orders them by record, then field.
fn add_records(conn: &Connection, entity: &str, sum: &mut ScopeSum) -> Result<(), StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT entity_id, field, hlc FROM field_clocks WHERE entity = ?1
         ORDER BY entity_id, field",
    )?;
    let mut rows = stmt.query([entity])?;
    let mut key: Option<String> = None;
    let mut clocks: Vec<(String, String)> = Vec::new();
    while let Some(row) = rows.next()? {
        let id = row.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?;
        if key.as_deref() != Some(id) {
            if let Some(done) = key.replace(id.to_owned()) {
                sum.add(digest(entity, &done, &clocks));
                clocks.clear();
            }
        }
        clocks.push((row.get(1)?, row.get(2)?));
    }
    if let Some(done) = key {
        sum.add(digest(entity, &done, &clocks));
    }
    Ok(())
}

fn digest(entity: &str, key: &str, clocks: &[(String, String)]) -> i64 {
    record_digest(
        entity,
        key,
        clocks.iter().map(|(f, s)| (f.as_str(), s.as_str())),
    )
}

/// The keys of rejected document entries, by the entity they are stored as.
fn rejected_documents(
    conn: &Connection,
) -> Result<HashMap<&'static str, HashSet<String>>, StoreError> {
    let mut stmt = conn.prepare("SELECT entity, op, entity_key FROM sync_rejections")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    let mut keys: HashMap<&'static str, HashSet<String>> = HashMap::new();
    for row in rows {
        let (entity, op, key) = row?;
        if let Some(spec) = stored_entity(&entity, &op).filter(|s| s.kind == EntityKind::Document) {
            keys.entry(spec.name).or_default().insert(key);
        }
    }
    Ok(keys)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_document_entity_of_the_protocol_is_digested() {
        for spec in ENTITIES.iter().filter(|e| e.kind == EntityKind::Document) {
            assert!(
                DOCUMENTS.iter().any(|(name, _)| *name == spec.name),
                "{} has no table here",
                spec.name
            );
        }
    }
}
