//! Product pictures on real SQLite files and real picture files in temporary folders.
#![allow(clippy::unwrap_used)]

use std::io::Cursor;
use std::path::{Path, PathBuf};

use galla_core::catalog::{ProductForm, ProductSpec, VariantForm};
use galla_core::id::Uuid;
use galla_core::images::{content_hash, MAX_IMAGE_BYTES, THUMBNAIL_SIDE};
use galla_core::store::{IMAGES_FOLDER_NAME, STORE_FILE_NAME};
use galla_core::{
    Actor, CatalogError, Currency, Error, ImageError, Permission, PermissionError, Role, Store,
};
use image::codecs::jpeg::JpegEncoder;
use image::{DynamicImage, ImageFormat, Rgba, RgbaImage};
use serde_json::Value;

const NOW: u64 = 1_763_700_000_000;

struct Shop {
    dir: tempfile::TempDir,
    store: Store,
    owner: Actor,
}

fn shop() -> Shop {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    let owner = store.create_first_owner("Asha", "2580", NOW).unwrap();
    Shop { dir, store, owner }
}

impl Shop {
    fn product(&mut self, name: &str) -> Uuid {
        let form = ProductForm {
            name: name.into(),
            variants: vec![VariantForm {
                price: "100".into(),
                ..VariantForm::default()
            }],
            ..ProductForm::default()
        };
        let spec = ProductSpec::parse(&form, Currency::INR).unwrap();
        self.store
            .save_product(&self.owner, None, &spec, NOW)
            .unwrap()
            .id
    }

    fn cashier(&mut self) -> Actor {
        let member = self
            .store
            .add_staff(&self.owner, "Ravi", Role::Cashier, "1357", NOW)
            .unwrap();
        self.store.unlock_with_pin(member.id, "1357", NOW).unwrap()
    }

    fn add(&mut self, product: Uuid, bytes: &[u8]) -> galla_core::store::ProductImage {
        self.store
            .add_product_image(&self.owner, product, bytes, NOW)
            .unwrap()
    }

    fn images_folder(&self) -> PathBuf {
        self.dir.path().join(IMAGES_FOLDER_NAME)
    }

    fn hashes(&self, product: Uuid) -> Vec<String> {
        let images = self.store.product_images(product).unwrap();
        images.into_iter().map(|i| i.hash).collect()
    }

    fn reopen(self) -> Shop {
        let Shop { dir, store, owner } = self;
        drop(store);
        let store = Store::open_in(dir.path()).unwrap();
        Shop { dir, store, owner }
    }
}

/// A picture with some detail in it, so different sizes give different bytes.
fn picture(width: u32, height: u32, seed: u8) -> DynamicImage {
    DynamicImage::ImageRgba8(RgbaImage::from_fn(width, height, |x, y| {
        Rgba([(x % 251) as u8, (y % 241) as u8, seed, 255])
    }))
}

fn png(width: u32, height: u32, seed: u8) -> Vec<u8> {
    let mut out = Vec::new();
    picture(width, height, seed)
        .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
        .unwrap();
    out
}

fn jpeg(width: u32, height: u32, seed: u8) -> Vec<u8> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, 85)
        .encode_image(&picture(width, height, seed).to_rgb8())
        .unwrap();
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = (data.len() as u32).to_be_bytes().to_vec();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    out.extend_from_slice(&crc32(&[&kind[..], data].concat()).to_be_bytes());
    out
}

/// A well-formed PNG of a few dozen bytes whose header claims `width` × `height`
/// RGBA pixels: a decompression bomb's first line.
fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    let mut header = width.to_be_bytes().to_vec();
    header.extend_from_slice(&height.to_be_bytes());
    header.extend_from_slice(&[8, 6, 0, 0, 0]);
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    out.extend(chunk(b"IHDR", &header));
    out.extend(chunk(
        b"IDAT",
        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    ));
    out.extend(chunk(b"IEND", &[]));
    out
}

fn rows(dir: &Path, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(dir.join(STORE_FILE_NAME)).unwrap();
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

fn outbox_len(dir: &Path) -> i64 {
    rows(dir, "SELECT count(*) FROM outbox")
}

/// Every file under `folder`, recursively.
fn files_under(folder: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut files = Vec::new();
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(files_under(&path));
        } else {
            files.push(path);
        }
    }
    files.sort();
    files
}

fn refused<T>(result: &Result<T, Error>) -> bool {
    matches!(result, Err(Error::Permission(e)) if *e == PermissionError {
        role: Role::Cashier,
        permission: Permission::ManageCatalog,
    })
}

fn image_entries(store: &Store) -> Vec<(String, String, Value)> {
    store
        .pending_changes()
        .unwrap()
        .into_iter()
        .filter(|e| e.entity == "product_image")
        .map(|e| (e.key, e.op, e.payload["fields"].clone()))
        .collect()
}

#[test]
fn adding_stores_the_picture_and_its_thumbnail_under_its_hash() {
    let mut shop = shop();
    let kurta = shop.product("Cotton kurta");
    let bytes = png(800, 600, 1);
    let image = shop.add(kurta, &bytes);

    let hash = content_hash(&bytes);
    assert_eq!(image.hash, hash);
    assert_eq!((image.width, image.height), (800, 600));
    assert_eq!(image.byte_size, bytes.len() as u64);
    assert_eq!(image.position, 0);
    assert_eq!(shop.store.product_images(kurta).unwrap(), vec![image]);

    let shard = shop.images_folder().join(&hash[..2]);
    let original = shard.join(&hash);
    let thumb = shard.join(format!("{hash}.thumb.jpg"));
    assert_eq!(std::fs::read(&original).unwrap(), bytes);
    assert_eq!(shop.store.image_file(&hash), Some(original.clone()));
    assert_eq!(shop.store.thumbnail_file(&hash), Some(thumb.clone()));
    // No temporary file is left beside them.
    assert_eq!(
        files_under(&shop.images_folder()),
        vec![original, thumb.clone()]
    );

    let shown =
        image::load_from_memory_with_format(&std::fs::read(thumb).unwrap(), ImageFormat::Jpeg)
            .unwrap();
    assert_eq!((shown.width(), shown.height()), (THUMBNAIL_SIDE, 192));
}

#[test]
fn a_tall_jpeg_keeps_its_shape_in_the_thumbnail() {
    let mut shop = shop();
    let kurta = shop.product("Cotton kurta");
    let image = shop.add(kurta, &jpeg(300, 1000, 2));
    assert_eq!((image.width, image.height), (300, 1000));
    let thumb = std::fs::read(shop.store.thumbnail_file(&image.hash).unwrap()).unwrap();
    let shown = image::load_from_memory(&thumb).unwrap();
    assert_eq!((shown.width(), shown.height()), (77, 256));
}

#[test]
fn the_same_picture_on_two_products_is_one_file() {
    let mut shop = shop();
    let (kurta, scarf) = (shop.product("Cotton kurta"), shop.product("Silk scarf"));
    let bytes = png(120, 90, 3);
    let a = shop.add(kurta, &bytes);
    let b = shop.add(scarf, &bytes);
    assert_eq!(a.hash, b.hash);
    assert_eq!(files_under(&shop.images_folder()).len(), 2);
    assert_eq!(shop.hashes(kurta), vec![a.hash.clone()]);
    assert_eq!(shop.hashes(scarf), vec![a.hash]);
}

#[test]
fn adding_a_picture_the_product_already_shows_changes_nothing() {
    let mut shop = shop();
    let kurta = shop.product("Cotton kurta");
    let bytes = png(120, 90, 4);
    let first = shop.add(kurta, &bytes);
    let outbox = outbox_len(shop.dir.path());
    let again = shop.add(kurta, &bytes);
    assert_eq!(again, first);
    assert_eq!(outbox_len(shop.dir.path()), outbox);
    assert_eq!(shop.store.product_images(kurta).unwrap().len(), 1);
}

#[test]
fn a_cashier_cannot_add_remove_or_move_pictures_and_nothing_is_written() {
    let mut shop = shop();
    let kurta = shop.product("Cotton kurta");
    let cashier = shop.cashier();
    let outbox = outbox_len(shop.dir.path());
    let added = shop
        .store
        .add_product_image(&cashier, kurta, &png(64, 64, 5), NOW);
    assert!(refused(&added), "{added:?}");
    assert_eq!(
        rows(shop.dir.path(), "SELECT count(*) FROM product_images"),
        0
    );
    assert_eq!(outbox_len(shop.dir.path()), outbox);
    assert!(!shop.images_folder().exists());

    let hash = shop.add(kurta, &png(64, 64, 6)).hash;
    let outbox = outbox_len(shop.dir.path());
    let removed = shop.store.remove_product_image(&cashier, kurta, &hash, NOW);
    assert!(refused(&removed), "{removed:?}");
    let moved = shop
        .store
        .move_product_image(&cashier, kurta, &hash, 0, NOW);
    assert!(refused(&moved), "{moved:?}");
    assert_eq!(outbox_len(shop.dir.path()), outbox);
    assert_eq!(shop.hashes(kurta), vec![hash]);
}

#[test]
fn files_that_are_not_usable_pictures_are_refused_and_change_nothing() {
    let mut shop = shop();
    let kurta = shop.product("Cotton kurta");
    let full = png(200, 150, 7);
    let cases: Vec<(&str, Vec<u8>, ImageError)> = vec![
        ("empty", Vec::new(), ImageError::Empty),
        (
            "garbage",
            b"Invoice 2024-117, not a picture at all".to_vec(),
            ImageError::NotAPicture,
        ),
        (
            "gif",
            b"GIF89a\x01\x00\x01\x00\x00\x00\x00;".to_vec(),
            ImageError::NotAPicture,
        ),
        (
            "truncated png",
            full[..full.len() / 2].to_vec(),
            ImageError::Damaged,
        ),
        ("png header only", full[..20].to_vec(), ImageError::Damaged),
        (
            "100000 x 100000 png",
            png_claiming(100_000, 100_000),
            ImageError::TooManyPixels,
        ),
        (
            "80 megapixel png",
            png_claiming(10_000, 8_000),
            ImageError::TooManyPixels,
        ),
        (
            "over 20 MB",
            vec![0xFF; MAX_IMAGE_BYTES + 1],
            ImageError::TooLarge {
                bytes: MAX_IMAGE_BYTES + 1,
            },
        ),
    ];
    let outbox = outbox_len(shop.dir.path());
    for (name, bytes, expected) in cases {
        match shop
            .store
            .add_product_image(&shop.owner, kurta, &bytes, NOW)
        {
            Err(Error::Image(e)) => assert_eq!(e, expected, "{name}"),
            other => panic!("{name}: {other:?}"),
        }
    }
    assert_eq!(
        rows(shop.dir.path(), "SELECT count(*) FROM product_images"),
        0
    );
    assert_eq!(outbox_len(shop.dir.path()), outbox);
    assert!(!shop.images_folder().exists());
    assert!(ImageError::NotAPicture
        .to_string()
        .contains("JPEG, PNG or WebP"));
}

#[test]
fn a_picture_for_a_product_that_does_not_exist_is_refused() {
    let mut shop = shop();
    let nowhere = galla_core::id::new_id();
    let result = shop
        .store
        .add_product_image(&shop.owner, nowhere, &png(10, 10, 8), NOW);
    assert!(
        matches!(result, Err(Error::Catalog(CatalogError::NotFound(id))) if id == nowhere),
        "{result:?}"
    );
    assert!(!shop.images_folder().exists());
}

#[test]
fn removing_leaves_a_tombstone_and_the_files() {
    let mut shop = shop();
    let (kurta, scarf) = (shop.product("Cotton kurta"), shop.product("Silk scarf"));
    let bytes = png(90, 90, 9);
    let hash = shop.add(kurta, &bytes).hash;
    shop.add(scarf, &bytes);

    shop.store
        .remove_product_image(&shop.owner, kurta, &hash, NOW)
        .unwrap();
    assert!(shop.store.product_images(kurta).unwrap().is_empty());
    assert_eq!(shop.hashes(scarf), vec![hash.clone()]);
    assert_eq!(
        rows(
            shop.dir.path(),
            "SELECT count(*) FROM product_images WHERE status = 'removed'"
        ),
        1
    );
    assert!(shop.store.image_file(&hash).is_some());
    assert!(shop.store.thumbnail_file(&hash).is_some());

    // Again: nothing more to record.
    let outbox = outbox_len(shop.dir.path());
    shop.store
        .remove_product_image(&shop.owner, kurta, &hash, NOW)
        .unwrap();
    assert_eq!(outbox_len(shop.dir.path()), outbox);

    let never = content_hash(b"never added");
    let result = shop
        .store
        .remove_product_image(&shop.owner, kurta, &never, NOW);
    assert!(
        matches!(result, Err(Error::Image(ImageError::NotOnProduct))),
        "{result:?}"
    );

    // Adding it back revives the row, at the end of the list.
    let other = shop.add(kurta, &png(50, 50, 10)).hash;
    let back = shop.add(kurta, &bytes);
    assert_eq!(shop.hashes(kurta), vec![other, hash]);
    assert_eq!(back.position, 1);
}

#[test]
fn pictures_keep_their_order_and_can_be_moved() {
    let mut shop = shop();
    let kurta = shop.product("Cotton kurta");
    let [a, b, c, d] = [11, 12, 13, 14].map(|seed| content_hash(&png(30, 20, seed)));
    for seed in [11, 12, 13] {
        shop.add(kurta, &png(30, 20, seed));
    }
    assert_eq!(shop.hashes(kurta), vec![a.clone(), b.clone(), c.clone()]);

    // The last becomes the main picture.
    let moved = shop
        .store
        .move_product_image(&shop.owner, kurta, &c, 0, NOW)
        .unwrap();
    let order = vec![c.clone(), a.clone(), b.clone()];
    assert_eq!(
        moved.iter().map(|i| i.hash.clone()).collect::<Vec<_>>(),
        order
    );
    assert_eq!(
        moved.iter().map(|i| i.position).collect::<Vec<_>>(),
        [0, 1, 2]
    );
    assert_eq!(shop.store.product_images(kurta).unwrap(), moved);

    // Past the end means last; only the pictures that moved are queued.
    let before = image_entries(&shop.store).len();
    shop.store
        .move_product_image(&shop.owner, kurta, &a, 99, NOW)
        .unwrap();
    assert_eq!(shop.hashes(kurta), vec![c.clone(), b.clone(), a.clone()]);
    assert_eq!(image_entries(&shop.store).len(), before + 2);

    // Moving to where it already is changes nothing.
    let outbox = outbox_len(shop.dir.path());
    shop.store
        .move_product_image(&shop.owner, kurta, &c, 0, NOW)
        .unwrap();
    assert_eq!(outbox_len(shop.dir.path()), outbox);

    // A removed picture leaves a gap; a new one still goes last.
    shop.store
        .remove_product_image(&shop.owner, kurta, &b, NOW)
        .unwrap();
    shop.add(kurta, &png(30, 20, 14));
    assert_eq!(shop.hashes(kurta), vec![c.clone(), a.clone(), d]);

    let result = shop
        .store
        .move_product_image(&shop.owner, kurta, &b, 0, NOW);
    assert!(
        matches!(result, Err(Error::Image(ImageError::NotOnProduct))),
        "{result:?}"
    );
}

#[test]
fn hostile_hashes_never_become_paths() {
    let mut shop = shop();
    let kurta = shop.product("Cotton kurta");
    let real = shop.add(kurta, &png(30, 30, 15)).hash;
    // A real file where a path escaping the images folder would land.
    std::fs::write(shop.dir.path().join("secret"), b"x").unwrap();
    let hostile = [
        "../../etc/passwd".to_owned(),
        "/etc/passwd".to_owned(),
        "../secret".to_owned(),
        format!("../{}", &real[3..]),
        format!("{}/..", &real[..61]),
        real.to_uppercase(),
        real[..63].to_owned(),
        format!("{real}.thumb.jpg"),
        format!("{real}\0"),
        String::new(),
    ];
    for hash in &hostile {
        assert_eq!(shop.store.image_file(hash), None, "{hash:?}");
        assert_eq!(shop.store.thumbnail_file(hash), None, "{hash:?}");
        let removed = shop
            .store
            .remove_product_image(&shop.owner, kurta, hash, NOW);
        assert!(
            matches!(removed, Err(Error::Image(ImageError::NotOnProduct))),
            "{hash:?}"
        );
    }
    // A well-formed hash whose file is not on this device.
    assert_eq!(shop.store.image_file(&content_hash(b"elsewhere")), None);
    assert!(shop.store.image_file(&real).is_some());
}

#[test]
fn pictures_survive_reopening_the_store() {
    let mut shop = shop();
    let kurta = shop.product("Cotton kurta");
    shop.add(kurta, &png(60, 40, 16));
    shop.add(kurta, &jpeg(40, 60, 17));
    let before = shop.store.product_images(kurta).unwrap();
    let shop = shop.reopen();
    assert_eq!(shop.store.product_images(kurta).unwrap(), before);
    for image in before {
        assert!(shop.store.image_file(&image.hash).is_some());
        assert!(shop.store.thumbnail_file(&image.hash).is_some());
    }
}

#[test]
fn adding_and_removing_are_queued_for_sync() {
    let mut shop = shop();
    let kurta = shop.product("Cotton kurta");
    let bytes = png(64, 48, 18);
    let hash = shop.add(kurta, &bytes).hash;
    shop.store
        .remove_product_image(&shop.owner, kurta, &hash, NOW)
        .unwrap();

    let entries = image_entries(&shop.store);
    let key = format!("{kurta}/{hash}");
    assert_eq!(entries.len(), 2);
    let (added_key, op, added) = &entries[0];
    assert_eq!((added_key, op.as_str()), (&key, "upsert"));
    assert_eq!(added["product_id"], kurta.to_string());
    assert_eq!(added["hash"], hash);
    assert_eq!(added["position"], 0);
    assert_eq!(
        (added["width"].as_u64(), added["height"].as_u64()),
        (Some(64), Some(48))
    );
    assert_eq!(added["byte_size"], bytes.len());
    assert_eq!(added["status"], "active");
    let (removed_key, _, removed) = &entries[1];
    assert_eq!(removed_key, &key);
    assert_eq!(removed, &serde_json::json!({ "status": "removed" }));

    // Each field carries the clock of its last write, for per-field merges.
    assert_eq!(
        rows(
            shop.dir.path(),
            "SELECT count(*) FROM field_clocks WHERE entity = 'product_image'"
        ),
        7
    );
}
