//! Categories as a tree. Moves that would make a loop are refused; archiving is the
//! delete, and only a leaf can be archived so no product is left under a hidden branch.

use rusqlite::{params, OptionalExtension, Transaction};
use serde_json::{json, Map};
use uuid::Uuid;

use super::outbox::record_change;
use super::products::parse_uuid;
use super::staff::authorize;
use super::{Error, Store, StoreError};
use crate::catalog::{parse_category_name, CatalogError, Category};
use crate::staff::{Actor, Permission};

/// Every category write needs `ManageCatalog`.
impl Store {
    pub fn create_category(
        &mut self,
        actor: &Actor,
        name: &str,
        parent_id: Option<Uuid>,
        now_ms: u64,
    ) -> Result<Category, Error> {
        let name = parse_category_name(name)?;
        let id = crate::id::new_id();
        let tx = self.conn.transaction()?;
        authorize(&tx, actor, Permission::ManageCatalog)?;
        if let Some(parent) = parent_id {
            read(&tx, parent)?.ok_or(CatalogError::CategoryNotFound(parent))?;
        }
        ensure_free_name(&tx, &name, parent_id, None)?;
        let stamp = super::stamp(&mut self.clock, &tx, now_ms)?;
        tx.execute(
            "INSERT INTO categories (id, parent_id, name, created_hlc, updated_hlc) VALUES (?1, ?2, ?3, ?4, ?4)",
            params![id.to_string(), parent_id.map(|p| p.to_string()), name, stamp.to_string()],
        )?;
        let mut fields = Map::new();
        fields.insert("name".into(), json!(name));
        fields.insert("parent_id".into(), json!(parent_id.map(|p| p.to_string())));
        fields.insert("status".into(), json!("active"));
        record_change(
            &tx,
            "category",
            id,
            "create",
            stamp,
            Some(actor.staff_id()),
            fields,
        )?;
        tx.commit()?;
        Ok(Category {
            id,
            parent_id,
            name,
        })
    }

    pub fn rename_category(
        &mut self,
        actor: &Actor,
        id: Uuid,
        name: &str,
        now_ms: u64,
    ) -> Result<Category, Error> {
        let name = parse_category_name(name)?;
        let tx = self.conn.transaction()?;
        authorize(&tx, actor, Permission::ManageCatalog)?;
        let current = read(&tx, id)?.ok_or(CatalogError::CategoryNotFound(id))?;
        if current.name == name {
            return Ok(current);
        }
        ensure_free_name(&tx, &name, current.parent_id, Some(id))?;
        let stamp = super::stamp(&mut self.clock, &tx, now_ms)?;
        tx.execute(
            "UPDATE categories SET name = ?2, updated_hlc = ?3 WHERE id = ?1",
            params![id.to_string(), name, stamp.to_string()],
        )?;
        let mut fields = Map::new();
        fields.insert("name".into(), json!(name));
        record_change(
            &tx,
            "category",
            id,
            "update",
            stamp,
            Some(actor.staff_id()),
            fields,
        )?;
        tx.commit()?;
        Ok(Category { name, ..current })
    }

    /// Moves a category (with everything under it) below `new_parent`, or to the top.
    pub fn move_category(
        &mut self,
        actor: &Actor,
        id: Uuid,
        new_parent: Option<Uuid>,
        now_ms: u64,
    ) -> Result<Category, Error> {
        let tx = self.conn.transaction()?;
        authorize(&tx, actor, Permission::ManageCatalog)?;
        let current = read(&tx, id)?.ok_or(CatalogError::CategoryNotFound(id))?;
        if current.parent_id == new_parent {
            return Ok(current);
        }
        if let Some(parent) = new_parent {
            read(&tx, parent)?.ok_or(CatalogError::CategoryNotFound(parent))?;
            if subtree_ids(&tx, id)?.contains(&parent) {
                return Err(CatalogError::CategoryCycle.into());
            }
        }
        ensure_free_name(&tx, &current.name, new_parent, Some(id))?;
        let stamp = super::stamp(&mut self.clock, &tx, now_ms)?;
        tx.execute(
            "UPDATE categories SET parent_id = ?2, updated_hlc = ?3 WHERE id = ?1",
            params![
                id.to_string(),
                new_parent.map(|p| p.to_string()),
                stamp.to_string()
            ],
        )?;
        let mut fields = Map::new();
        fields.insert("parent_id".into(), json!(new_parent.map(|p| p.to_string())));
        record_change(
            &tx,
            "category",
            id,
            "update",
            stamp,
            Some(actor.staff_id()),
            fields,
        )?;
        tx.commit()?;
        Ok(Category {
            parent_id: new_parent,
            ..current
        })
    }

    pub fn archive_category(&mut self, actor: &Actor, id: Uuid, now_ms: u64) -> Result<(), Error> {
        let tx = self.conn.transaction()?;
        authorize(&tx, actor, Permission::ManageCatalog)?;
        let current = read(&tx, id)?.ok_or(CatalogError::CategoryNotFound(id))?;
        let children: i64 = tx.query_row(
            "SELECT count(*) FROM categories WHERE parent_id = ?1 AND status = 'active'",
            [id.to_string()],
            |r| r.get(0),
        )?;
        if children > 0 {
            return Err(CatalogError::CategoryHasChildren(current.name).into());
        }
        let stamp = super::stamp(&mut self.clock, &tx, now_ms)?;
        tx.execute(
            "UPDATE categories SET status = 'archived', updated_hlc = ?2 WHERE id = ?1",
            params![id.to_string(), stamp.to_string()],
        )?;
        let mut fields = Map::new();
        fields.insert("status".into(), json!("archived"));
        record_change(
            &tx,
            "category",
            id,
            "update",
            stamp,
            Some(actor.staff_id()),
            fields,
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Active categories, parents before children, siblings by name.
    pub fn categories(&self) -> Result<Vec<Category>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "WITH RECURSIVE tree (id, parent_id, name, path) AS (
                 SELECT id, parent_id, name, lower(name) FROM categories
                 WHERE parent_id IS NULL AND status = 'active'
                 UNION ALL
                 SELECT c.id, c.parent_id, c.name, tree.path || char(31) || lower(c.name)
                 FROM categories c JOIN tree ON c.parent_id = tree.id
                 WHERE c.status = 'active'
             )
             SELECT id, parent_id, name FROM tree ORDER BY path",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        let mut categories = Vec::new();
        for row in rows {
            let (id, parent, name) = row?;
            categories.push(Category {
                id: parse_uuid(&id, "category id")?,
                parent_id: parent.map(|p| parse_uuid(&p, "category id")).transpose()?,
                name,
            });
        }
        Ok(categories)
    }

    /// The category and everything below it: what a filter on a category should match.
    pub fn category_with_descendants(&self, id: Uuid) -> Result<Vec<Uuid>, StoreError> {
        subtree_ids(&self.conn, id)
    }
}

fn read(conn: &rusqlite::Connection, id: Uuid) -> Result<Option<Category>, StoreError> {
    let row = conn
        .query_row(
            "SELECT parent_id, name FROM categories WHERE id = ?1 AND status = 'active'",
            [id.to_string()],
            |r| Ok((r.get::<_, Option<String>>(0)?, r.get::<_, String>(1)?)),
        )
        .optional()?;
    row.map(|(parent, name)| {
        Ok(Category {
            id,
            parent_id: parent.map(|p| parse_uuid(&p, "category id")).transpose()?,
            name,
        })
    })
    .transpose()
}

fn subtree_ids(conn: &rusqlite::Connection, id: Uuid) -> Result<Vec<Uuid>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "WITH RECURSIVE below (id) AS (
             SELECT id FROM categories WHERE id = ?1 AND status = 'active'
             UNION
             SELECT c.id FROM categories c JOIN below ON c.parent_id = below.id
             WHERE c.status = 'active'
         )
         SELECT id FROM below",
    )?;
    let ids = stmt
        .query_map([id.to_string()], |r| r.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    ids.iter().map(|id| parse_uuid(id, "category id")).collect()
}

fn ensure_free_name(
    tx: &Transaction<'_>,
    name: &str,
    parent: Option<Uuid>,
    except: Option<Uuid>,
) -> Result<(), Error> {
    let taken: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM categories WHERE status = 'active'
             AND coalesce(parent_id, '') = ?1 AND name = ?2 COLLATE NOCASE AND id <> ?3)",
        params![
            parent.map(|p| p.to_string()).unwrap_or_default(),
            name,
            except.map(|e| e.to_string()).unwrap_or_default()
        ],
        |r| r.get(0),
    )?;
    if taken {
        return Err(CatalogError::CategoryNameTaken(name.to_owned()).into());
    }
    Ok(())
}
