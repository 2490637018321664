//! The local store on real SQLite files in temporary folders.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use galla_core::store::{StoreError, APPLICATION_ID, LATEST_VERSION, MIGRATIONS};
use galla_core::{
    Actor, AuditAction, CatalogError, Error, ProductDraft, ProductFields, ProductStatus, Store,
};

const NOW: u64 = 1_763_700_000_000;

/// The first-start owner, who may do everything these tests do. One per store: PIN
/// hashing is slow on purpose.
fn owner(store: &mut Store) -> Actor {
    store.create_first_owner("Asha", "2580", NOW).unwrap()
}

fn draft(name: &str, price: &str, sku: &str, barcode: &str) -> ProductDraft {
    ProductDraft::parse(
        &ProductFields {
            name,
            price,
            sku,
            barcode,
        },
        galla_core::Currency::INR,
    )
    .unwrap()
}

fn outbox_len(store: &Store) -> usize {
    store.pending_changes().unwrap().len()
}

#[test]
fn products_survive_closing_and_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let id = {
        let mut store = Store::open_in(dir.path()).unwrap();
        let owner = owner(&mut store);
        let saree = store
            .create_product(
                &owner,
                &draft("Silk saree", "1299.50", "SAR-1", "8901030865237"),
                NOW,
            )
            .unwrap();
        store
            .update_product(
                &owner,
                saree.id,
                &draft("Silk saree, red", "1350", "SAR-1", "8901030865237"),
                NOW + 1,
            )
            .unwrap();
        saree.id
    };
    let store = Store::open_in(dir.path()).unwrap();
    let saree = store
        .product(id)
        .unwrap()
        .expect("the product must still be there");
    assert_eq!(saree.name, "Silk saree, red");
    let variant = saree.default_variant().expect("a product has a variant");
    assert_eq!(variant.price.minor(), 135_000);
    assert_eq!(variant.barcodes, ["8901030865237"]);
}

#[test]
fn every_change_is_in_the_outbox_with_only_the_changed_fields() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    let owner = owner(&mut store);
    let setup = outbox_len(&store);
    let tea = store
        .create_product(&owner, &draft("Tea", "10", "", "8901030865237"), NOW)
        .unwrap();
    store
        .update_product(
            &owner,
            tea.id,
            &draft("Tea", "12", "", "8901030865237"),
            NOW + 1,
        )
        .unwrap();
    store
        .update_product(
            &owner,
            tea.id,
            &draft("Tea", "12", "", "8901030865237"),
            NOW + 2,
        )
        .unwrap();
    store
        .set_product_status(&owner, tea.id, ProductStatus::Archived, NOW + 3)
        .unwrap();

    let all = store.pending_changes().unwrap();
    let changes = &all[setup..];
    let ops: Vec<(&str, &str)> = changes
        .iter()
        .map(|c| (c.entity.as_str(), c.op.as_str()))
        .collect();
    assert_eq!(
        ops,
        [
            ("product", "create"),
            ("variant", "create"),
            ("barcode", "upsert"),
            ("variant", "update"),
            ("audit", "append"),
            ("product", "update")
        ],
        "an unchanged save must record nothing; a price change is audited"
    );
    assert_eq!(
        changes[3].payload["fields"],
        serde_json::json!({"price_minor": 1200})
    );
    assert_eq!(
        changes[4].payload["action"],
        AuditAction::PriceChanged.as_str()
    );
    assert_eq!(
        changes[4].payload["entity_id"],
        tea.variants[0].id.to_string()
    );
    assert_eq!(
        changes[5].payload["fields"],
        serde_json::json!({"status": "archived"})
    );
    let seqs: Vec<i64> = all.iter().map(|c| c.seq).collect();
    let dense: Vec<i64> = (1..=all.len() as i64).collect();
    assert_eq!(seqs, dense, "the outbox sequence is dense");
}

#[test]
fn a_barcode_moves_off_an_item_as_a_tombstone_and_can_be_reused() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    let owner = owner(&mut store);
    let a = store
        .create_product(&owner, &draft("A", "1", "", "4006381333931"), NOW)
        .unwrap();
    store
        .update_product(&owner, a.id, &draft("A", "1", "", ""), NOW + 1)
        .unwrap();
    let b = store
        .create_product(&owner, &draft("B", "2", "", "4006381333931"), NOW + 2)
        .expect("a removed barcode is free for another item");
    assert!(store.product(a.id).unwrap().unwrap().variants[0]
        .barcodes
        .is_empty());
    assert_eq!(
        store.product(b.id).unwrap().unwrap().variants[0].barcodes,
        ["4006381333931"]
    );
    let barcode_changes: Vec<String> = store
        .pending_changes()
        .unwrap()
        .into_iter()
        .filter(|c| c.entity == "barcode")
        .map(|c| {
            c.payload["fields"]["status"]
                .as_str()
                .unwrap_or("")
                .to_owned()
        })
        .collect();
    assert_eq!(barcode_changes, ["active", "removed", "active"]);
}

#[test]
fn refused_changes_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    let owner = owner(&mut store);
    let saree = store
        .create_product(
            &owner,
            &draft("Saree", "100", "SKU-1", "4006381333931"),
            NOW,
        )
        .unwrap();
    store
        .create_product(&owner, &draft("Shawl", "50", "SKU-2", ""), NOW)
        .unwrap();
    let before = outbox_len(&store);

    let sku_clash = store.create_product(&owner, &draft("Other", "1", "sku-1", ""), NOW);
    assert!(
        matches!(sku_clash, Err(Error::Catalog(CatalogError::SkuTaken(_)))),
        "SKUs are unique whatever their case: {sku_clash:?}"
    );
    let barcode_clash =
        store.create_product(&owner, &draft("Other", "1", "", "4006381333931"), NOW);
    assert!(matches!(
        barcode_clash,
        Err(Error::Catalog(CatalogError::BarcodeTaken(_)))
    ));
    let edit_clash =
        store.update_product(&owner, saree.id, &draft("Saree", "100", "SKU-2", ""), NOW);
    assert!(matches!(
        edit_clash,
        Err(Error::Catalog(CatalogError::SkuTaken(_)))
    ));
    let missing = store.update_product(
        &owner,
        galla_core::id::new_id(),
        &draft("X", "1", "", ""),
        NOW,
    );
    assert!(matches!(
        missing,
        Err(Error::Catalog(CatalogError::NotFound(_)))
    ));

    assert_eq!(
        outbox_len(&store),
        before,
        "a refused change must leave no outbox entry"
    );
    assert_eq!(store.list_products(true).unwrap().len(), 2);
    assert_eq!(
        store.product(saree.id).unwrap().unwrap().variants[0]
            .sku
            .as_deref(),
        Some("SKU-1")
    );
}

#[test]
fn archived_products_leave_the_list_but_not_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    let owner = owner(&mut store);
    let a = store
        .create_product(&owner, &draft("A", "1", "", ""), NOW)
        .unwrap();
    let b = store
        .create_product(&owner, &draft("B", "2", "", ""), NOW)
        .unwrap();
    store
        .set_product_status(&owner, a.id, ProductStatus::Archived, NOW)
        .unwrap();

    let names =
        |list: Vec<galla_core::Product>| list.into_iter().map(|p| p.name).collect::<Vec<_>>();
    assert_eq!(names(store.list_products(false).unwrap()), ["B"]);
    assert_eq!(
        names(store.list_products(true).unwrap()),
        ["B", "A"],
        "newest first"
    );
    store
        .set_product_status(&owner, a.id, ProductStatus::Active, NOW)
        .unwrap();
    assert_eq!(store.list_products(false).unwrap().len(), 2);
    assert_eq!(b.status, ProductStatus::Active);
}

#[test]
fn the_clock_never_goes_back_across_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    let owner = owner(&mut store);
    let p = store
        .create_product(&owner, &draft("A", "1", "", ""), NOW)
        .unwrap();
    drop(store);
    // The machine's clock is now an hour behind what it was.
    let mut store = Store::open_in(dir.path()).unwrap();
    store
        .update_product(&owner, p.id, &draft("B", "1", "", ""), NOW - 3_600_000)
        .unwrap();
    let stamps: Vec<_> = store
        .pending_changes()
        .unwrap()
        .into_iter()
        .filter(|c| c.entity == "product")
        .map(|c| c.hlc)
        .collect();
    assert_eq!(stamps.len(), 2, "the create and the rename");
    let (first, last) = (stamps[0], stamps[stamps.len() - 1]);
    assert!(
        last > first,
        "a later edit must carry a later stamp: {stamps:?}"
    );
}

#[test]
fn the_store_file_uses_the_write_ahead_log() {
    let dir = tempfile::tempdir().unwrap();
    let _store = Store::open_in(dir.path()).unwrap();
    let conn = rusqlite::Connection::open(dir.path().join("galla.sqlite3")).unwrap();
    let mode: String = conn
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

fn write_file_at_version(path: &Path, version: i64) {
    let mut conn = rusqlite::Connection::open(path).unwrap();
    galla_core::store::migrations_for_tests::migrate_to(&mut conn, path, version).unwrap();
}

#[test]
fn files_from_every_earlier_schema_version_open_and_upgrade() {
    for version in 0..LATEST_VERSION {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("galla.sqlite3");
        write_file_at_version(&path, version);
        let mut store = Store::open(&path).unwrap_or_else(|e| panic!("version {version}: {e}"));
        let owner = owner(&mut store);
        store
            .create_product(&owner, &draft("A", "1", "", ""), NOW)
            .unwrap();
        let conn = rusqlite::Connection::open(&path).unwrap();
        let now: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(now, LATEST_VERSION);
    }
    assert_eq!(MIGRATIONS.len() as i64, LATEST_VERSION);
}

#[test]
fn a_file_from_a_newer_app_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("galla.sqlite3");
    write_file_at_version(&path, LATEST_VERSION);
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", LATEST_VERSION + 1)
        .unwrap();
    drop(conn);
    let error = Store::open(&path)
        .err()
        .expect("a newer file must be refused");
    assert!(matches!(error, StoreError::TooNew { .. }), "{error}");
    assert!(error.to_string().contains("Update the app"), "{error}");
}

#[test]
fn a_foreign_sqlite_file_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("galla.sqlite3");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("CREATE TABLE photos (id INTEGER); INSERT INTO photos VALUES (1);")
        .unwrap();
    drop(conn);
    let error = Store::open(&path)
        .err()
        .expect("a foreign file must be refused");
    assert!(matches!(error, StoreError::Foreign { .. }), "{error}");
    let conn = rusqlite::Connection::open(&path).unwrap();
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
        .unwrap();
    assert_eq!(tables, 1, "nothing may be added to a file that is not ours");
    let id: i32 = conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .unwrap();
    assert_ne!(id, APPLICATION_ID);
}

#[test]
fn a_corrupt_file_gives_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("galla.sqlite3");
    std::fs::write(
        &path,
        b"this is a shopping list, not a database\n".repeat(200),
    )
    .unwrap();
    let error = Store::open(&path)
        .err()
        .expect("a corrupt file must be refused");
    assert!(matches!(error, StoreError::NotADatabase { .. }), "{error}");
    assert!(error.to_string().contains("move it aside"), "{error}");
}

#[test]
fn a_data_folder_that_cannot_be_made_gives_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-folder");
    std::fs::write(&file, b"x").unwrap();
    let error = Store::open_in(&file.join("data")).err().expect("must fail");
    assert!(matches!(error, StoreError::Folder { .. }), "{error}");
}

#[test]
fn a_version_1_catalog_moves_price_sku_and_barcode_to_a_default_variant() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("galla.sqlite3");
    write_file_at_version(&path, 1);
    // Rows as the version-1 app wrote them.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "INSERT INTO products (id, name, price_minor, currency, sku, barcode, status, created_hlc, updated_hlc)
         VALUES ('019a0000-0000-7000-8000-000000000001', 'Silk saree', 129950, 'INR', 'SAR-1',
                 '8901030865237', 'active', '001763700000000-0000000000-00000000000000000000000000000001',
                 '001763700000000-0000000000-00000000000000000000000000000001'),
                ('019a0000-0000-7000-8000-000000000002', 'Tea', 1000, 'INR', NULL, NULL, 'archived',
                 '001763700000000-0000000001-00000000000000000000000000000001',
                 '001763700000000-0000000001-00000000000000000000000000000001');
         INSERT INTO field_clocks VALUES
           ('product', '019a0000-0000-7000-8000-000000000001', 'name', '001763700000000-0000000000-00000000000000000000000000000001'),
           ('product', '019a0000-0000-7000-8000-000000000001', 'price_minor', '001763700000000-0000000000-00000000000000000000000000000001');",
    )
    .unwrap();
    drop(conn);

    let store = Store::open(&path).unwrap();
    let saree = store
        .product("019a0000-0000-7000-8000-000000000001".parse().unwrap())
        .unwrap()
        .expect("the product survives the migration");
    assert_eq!(saree.name, "Silk saree");
    assert_eq!(saree.variants.len(), 1);
    let variant = &saree.variants[0];
    assert_eq!(
        (
            variant.sku.as_deref(),
            variant.price.minor(),
            variant.barcodes.clone()
        ),
        (Some("SAR-1"), 129_950, vec!["8901030865237".to_owned()])
    );
    let tea = store
        .product("019a0000-0000-7000-8000-000000000002".parse().unwrap())
        .unwrap()
        .unwrap();
    assert_eq!(tea.status, ProductStatus::Archived);
    assert_eq!(tea.variants[0].price.minor(), 1000);
    drop(store);

    let conn = rusqlite::Connection::open(&path).unwrap();
    let clocks: Vec<(String, String)> = conn
        .prepare("SELECT entity, field FROM field_clocks ORDER BY entity, field")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        clocks,
        [
            ("product".to_owned(), "name".to_owned()),
            ("variant".to_owned(), "price_minor".to_owned())
        ],
        "a field's clock follows the field to its new home"
    );
    let leftovers: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE name LIKE 'migration_%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(leftovers, 0, "the migration cleans up after itself");
}
