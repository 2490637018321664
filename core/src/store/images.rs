//! Product pictures: files beside the store, named by content hash, and rows in
//! `product_images` saying which product shows which picture in which order.
//!
//! Files are written, fsynced and renamed into place before the row is committed. A
//! crash in between leaves at worst a file nothing points at, which is harmless; a row
//! pointing at a missing or half-written file would show a broken picture forever.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use serde_json::{json, Map};
use uuid::Uuid;

use super::outbox::record_keyed_change;
use super::staff::authorize;
use super::{Error, Store, StoreError, IMAGES_FOLDER_NAME};
use crate::catalog::CatalogError;
use crate::hlc::HlcStamp;
use crate::images::{content_hash, is_content_hash, make_thumbnail, ImageError};
use crate::staff::{Actor, Permission};

const THUMBNAIL_SUFFIX: &str = ".thumb.jpg";
const COLUMNS: &str = "product_id, hash, position, width, height, byte_size";

/// One picture of a product, as the catalog shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductImage {
    pub product_id: Uuid,
    /// The content hash; `Store::image_file` and `Store::thumbnail_file` find the files.
    pub hash: String,
    /// Sort key within the product: lower comes first, and the first picture is the
    /// product's main one. Not necessarily 0, 1, 2…: removals leave gaps.
    pub position: i64,
    /// The picture's size as shown, after the camera's rotation.
    pub width: u32,
    pub height: u32,
    pub byte_size: u64,
}

impl Store {
    /// Adds a picture at the end of the product's list. Adding a picture the product
    /// already shows changes nothing and returns it: a double click, or the shell
    /// retrying after a timeout, must neither fail nor make a second copy. A picture
    /// that was removed from the product comes back at the end.
    pub fn add_product_image(
        &mut self,
        actor: &Actor,
        product_id: Uuid,
        bytes: &[u8],
        now_ms: u64,
    ) -> Result<ProductImage, Error> {
        // Checked first outside the transaction too, so nobody without the right
        // writes files, and a refused picture costs no decoding.
        authorize(&self.conn, actor, Permission::ManageCatalog)?;
        ensure_product(&self.conn, product_id)?;
        // Decoding can take a second on a big photo; it runs before the transaction so
        // the counter's writes never wait for it.
        let thumbnail = make_thumbnail(bytes)?;
        let hash = content_hash(bytes);
        let original = self.blob_path(&hash, "")?;
        let thumb = self.blob_path(&hash, THUMBNAIL_SUFFIX)?;
        write_once(&original, bytes)?;
        write_once(&thumb, &thumbnail.jpeg)?;

        let tx = self.conn.transaction()?;
        authorize(&tx, actor, Permission::ManageCatalog)?;
        ensure_product(&tx, product_id)?;
        let existing = read(&tx, product_id, &hash)?;
        if let Some((image, true)) = existing {
            return Ok(image);
        }
        let position = next_position(&tx, product_id)?;
        let byte_size = i64::try_from(bytes.len())
            .map_err(|_| StoreError::Corrupt(format!("picture of {} bytes", bytes.len())))?;
        let stamp = super::stamp(&mut self.clock, &tx, now_ms)?;
        tx.execute(
            "INSERT INTO product_images (product_id, hash, position, width, height, byte_size,
                 status, created_hlc, updated_hlc)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'active', ?7, ?7)
             ON CONFLICT (product_id, hash) DO UPDATE SET position = excluded.position,
                 width = excluded.width, height = excluded.height,
                 byte_size = excluded.byte_size, status = 'active',
                 updated_hlc = excluded.updated_hlc",
            params![
                product_id.to_string(),
                hash,
                position,
                thumbnail.original_width,
                thumbnail.original_height,
                byte_size,
                stamp.to_string()
            ],
        )?;
        let mut fields = Map::new();
        fields.insert("product_id".into(), json!(product_id.to_string()));
        fields.insert("hash".into(), json!(hash));
        fields.insert("position".into(), json!(position));
        fields.insert("width".into(), json!(thumbnail.original_width));
        fields.insert("height".into(), json!(thumbnail.original_height));
        fields.insert("byte_size".into(), json!(byte_size));
        fields.insert("status".into(), json!("active"));
        record(&tx, actor, product_id, &hash, stamp, fields)?;
        let (image, _) = read(&tx, product_id, &hash)?
            .ok_or_else(|| StoreError::Corrupt(format!("picture {hash} vanished")))?;
        tx.commit()?;
        Ok(image)
    }

    /// Takes a picture off a product, as a tombstone that syncs. The files stay:
    /// another product or a counter that has not synced yet may show the same picture.
    /// Removing a picture already removed changes nothing.
    pub fn remove_product_image(
        &mut self,
        actor: &Actor,
        product_id: Uuid,
        hash: &str,
        now_ms: u64,
    ) -> Result<(), Error> {
        let tx = self.conn.transaction()?;
        authorize(&tx, actor, Permission::ManageCatalog)?;
        let Some((_, active)) = read(&tx, product_id, hash)? else {
            return Err(ImageError::NotOnProduct.into());
        };
        if !active {
            return Ok(());
        }
        let stamp = super::stamp(&mut self.clock, &tx, now_ms)?;
        tx.execute(
            "UPDATE product_images SET status = 'removed', updated_hlc = ?3
             WHERE product_id = ?1 AND hash = ?2",
            params![product_id.to_string(), hash, stamp.to_string()],
        )?;
        let mut fields = Map::new();
        fields.insert("status".into(), json!("removed"));
        record(&tx, actor, product_id, hash, stamp, fields)?;
        tx.commit()?;
        Ok(())
    }

    /// Moves a picture to `new_position` in the product's list (0 makes it the main
    /// picture; past the end moves it last) and returns the list in its new order.
    /// Only pictures whose position changed are written and queued for sync.
    pub fn move_product_image(
        &mut self,
        actor: &Actor,
        product_id: Uuid,
        hash: &str,
        new_position: usize,
        now_ms: u64,
    ) -> Result<Vec<ProductImage>, Error> {
        let tx = self.conn.transaction()?;
        authorize(&tx, actor, Permission::ManageCatalog)?;
        let mut images = active(&tx, product_id)?;
        let from = images
            .iter()
            .position(|i| i.hash == hash)
            .ok_or(ImageError::NotOnProduct)?;
        let moved = images.remove(from);
        images.insert(new_position.min(images.len()), moved);
        let mut stamp = None;
        for (position, image) in (0_i64..).zip(images.iter_mut()) {
            if image.position == position {
                continue;
            }
            let stamp = match stamp {
                Some(stamp) => stamp,
                None => *stamp.insert(super::stamp(&mut self.clock, &tx, now_ms)?),
            };
            tx.execute(
                "UPDATE product_images SET position = ?3, updated_hlc = ?4
                 WHERE product_id = ?1 AND hash = ?2",
                params![
                    product_id.to_string(),
                    image.hash,
                    position,
                    stamp.to_string()
                ],
            )?;
            let mut fields = Map::new();
            fields.insert("position".into(), json!(position));
            record(&tx, actor, product_id, &image.hash, stamp, fields)?;
            image.position = position;
        }
        tx.commit()?;
        Ok(images)
    }

    /// Keeps a picture fetched from the server: `bytes` must hash to `hash` and be a
    /// picture this device could have taken itself. Files only, no row: the row came
    /// by sync. Keeping one already here changes nothing.
    pub fn keep_fetched_image(&self, hash: &str, bytes: &[u8]) -> Result<(), Error> {
        if !is_content_hash(hash) || content_hash(bytes) != hash {
            return Err(StoreError::Corrupt(format!(
                "the server's picture {hash:?} does not match its name"
            ))
            .into());
        }
        let thumbnail = make_thumbnail(bytes)?;
        write_once(&self.blob_path(hash, "")?, bytes)?;
        write_once(&self.blob_path(hash, THUMBNAIL_SUFFIX)?, &thumbnail.jpeg)?;
        Ok(())
    }

    /// Whether some product (shown or not) names the picture `hash`: only those are
    /// fetched from the server.
    pub fn knows_image(&self, hash: &str) -> Result<bool, StoreError> {
        Ok(self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM product_images WHERE hash = ?1)",
            [hash],
            |row| row.get(0),
        )?)
    }

    /// The product's pictures in order, the main one first. Removed ones are left out.
    pub fn product_images(&self, product_id: Uuid) -> Result<Vec<ProductImage>, StoreError> {
        active(&self.conn, product_id)
    }

    /// The picture file named `hash`, if `hash` is a content hash and the file is on
    /// this device (a picture added on another counter may not have been fetched yet).
    /// Anything else, such as `../../etc/passwd`, gives `None`, never a path.
    pub fn image_file(&self, hash: &str) -> Option<PathBuf> {
        self.existing_blob(hash, "")
    }

    /// The thumbnail of the picture named `hash`, under the same rules as `image_file`.
    pub fn thumbnail_file(&self, hash: &str) -> Option<PathBuf> {
        self.existing_blob(hash, THUMBNAIL_SUFFIX)
    }

    fn existing_blob(&self, hash: &str, suffix: &str) -> Option<PathBuf> {
        self.blob_path(hash, suffix).ok().filter(|p| p.is_file())
    }

    /// `<store folder>/images/ab/abcd…<suffix>`. The two-character folders keep any one
    /// folder small enough for file browsers and backup tools.
    fn blob_path(&self, hash: &str, suffix: &str) -> Result<PathBuf, StoreError> {
        let shard = hash
            .get(..2)
            .filter(|_| is_content_hash(hash))
            .ok_or_else(|| StoreError::Corrupt(format!("picture name {hash:?}")))?;
        Ok(self
            .folder
            .join(IMAGES_FOLDER_NAME)
            .join(shard)
            .join(format!("{hash}{suffix}")))
    }
}

/// Writes `bytes` to `path` so that `path` is either absent or complete: into a
/// temporary file in the same folder, fsynced, renamed over, and the folder fsynced so
/// the rename itself survives a power cut. A file already there with the right size is
/// the same content (the name is its hash) and is left alone.
fn write_once(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let failed = |source| StoreError::ImageFile {
        path: path.to_owned(),
        source,
    };
    let Some(folder) = path.parent() else {
        return Err(StoreError::Corrupt(format!("picture path {path:?}")));
    };
    if fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64) {
        return Ok(());
    }
    fs::create_dir_all(folder).map_err(failed)?;
    let temp = folder.join(format!(".tmp-{}", crate::id::new_id()));
    let written = (|| {
        let mut file = File::create_new(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        fs::rename(&temp, path)?;
        sync_folder(folder)?;
        // The shard folder may be new; its entry in images/ must last too.
        folder.parent().map_or(Ok(()), sync_folder)
    })();
    if written.is_err() {
        // Best effort: a leftover temporary file is only wasted space.
        let _ = fs::remove_file(&temp);
    }
    written.map_err(failed)
}

/// On Unix a rename is durable only once its folder is fsynced. Windows cannot open a
/// folder as a file, and NTFS journals the rename itself.
#[cfg(unix)]
fn sync_folder(folder: &Path) -> std::io::Result<()> {
    File::open(folder)?.sync_all()
}

#[cfg(not(unix))]
fn sync_folder(_folder: &Path) -> std::io::Result<()> {
    Ok(())
}

fn ensure_product(conn: &Connection, product_id: Uuid) -> Result<(), Error> {
    let exists: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM products WHERE id = ?1)",
        [product_id.to_string()],
        |r| r.get(0),
    )?;
    if exists {
        Ok(())
    } else {
        Err(CatalogError::NotFound(product_id).into())
    }
}

/// One past the last active picture, so a new picture goes to the end.
fn next_position(tx: &Transaction<'_>, product_id: Uuid) -> Result<i64, StoreError> {
    Ok(tx.query_row(
        "SELECT coalesce(max(position) + 1, 0) FROM product_images
         WHERE product_id = ?1 AND status = 'active'",
        [product_id.to_string()],
        |r| r.get(0),
    )?)
}

/// Picture rows sync keyed by product and hash together: that pair is the row's key.
fn record(
    tx: &Transaction<'_>,
    actor: &Actor,
    product_id: Uuid,
    hash: &str,
    stamp: HlcStamp,
    fields: Map<String, serde_json::Value>,
) -> Result<(), StoreError> {
    let key = format!("{product_id}/{hash}");
    record_keyed_change(
        tx,
        "product_image",
        &key,
        "upsert",
        stamp,
        Some(actor.staff_id()),
        fields,
    )
}

/// The picture row and whether it is active, whatever its status.
fn read(
    conn: &Connection,
    product_id: Uuid,
    hash: &str,
) -> Result<Option<(ProductImage, bool)>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS}, status = 'active' FROM product_images
         WHERE product_id = ?1 AND hash = ?2"
    ))?;
    let row = stmt
        .query_row(params![product_id.to_string(), hash], |row| {
            Ok(from_row(row).and_then(|image| Ok((image, row.get::<_, bool>(6)?))))
        })
        .optional()?;
    row.transpose()
}

/// Ties in position (possible after merging edits from two counters) break by hash,
/// so every counter shows the same order.
fn active(conn: &Connection, product_id: Uuid) -> Result<Vec<ProductImage>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM product_images
         WHERE product_id = ?1 AND status = 'active'
         ORDER BY position, hash"
    ))?;
    let rows = stmt.query_map([product_id.to_string()], |row| Ok(from_row(row)))?;
    let mut images = Vec::new();
    for row in rows {
        images.push(row??);
    }
    Ok(images)
}

/// Reads a row defensively: rows arrive by sync from other devices too.
fn from_row(row: &Row<'_>) -> Result<ProductImage, StoreError> {
    let product_id: String = row.get(0)?;
    let hash: String = row.get(1)?;
    let corrupt = |what: &str| StoreError::Corrupt(format!("{what} of picture {hash}"));
    let width: i64 = row.get(3)?;
    let height: i64 = row.get(4)?;
    let byte_size: i64 = row.get(5)?;
    Ok(ProductImage {
        product_id: Uuid::parse_str(&product_id).map_err(|_| corrupt("product id"))?,
        position: row.get(2)?,
        width: u32::try_from(width).map_err(|_| corrupt("width"))?,
        height: u32::try_from(height).map_err(|_| corrupt("height"))?,
        byte_size: u64::try_from(byte_size).map_err(|_| corrupt("size"))?,
        hash,
    })
}
