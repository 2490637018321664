//! A shop's name, address and opening hours, edited on this device and queued for sync,
//! on real SQLite files in temporary folders.
#![allow(clippy::unwrap_used)]

use galla_core::store::migrations_for_tests::migrate_to;
use galla_core::{Actor, Error, Role, ShopDetails, StockError, Store};
use galla_sync_protocol::OpeningPeriod;
use rusqlite::Connection;
use serde_json::json;
use uuid::Uuid;

const NOW: u64 = 1_763_700_000_000;

fn period(day: &str, opens: &str, closes: &str) -> OpeningPeriod {
    OpeningPeriod {
        day: day.into(),
        opens: opens.into(),
        closes: closes.into(),
    }
}

/// A store with its first owner and the default shop, the outbox as set-up left it.
fn shop() -> (tempfile::TempDir, Store, Actor, Uuid) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    let owner = store.create_first_owner("Asha", "2580", NOW).unwrap();
    let shop = store.current_shop(NOW).unwrap().id;
    (dir, store, owner, shop)
}

fn outbox_len(store: &Store) -> usize {
    store.pending_changes().unwrap().len()
}

#[test]
fn a_new_shop_has_no_address_or_hours() {
    let (_dir, store, _owner, shop) = shop();
    assert_eq!(
        store.shop_details(shop).unwrap(),
        Some(ShopDetails {
            id: shop,
            name: "Main shop".into(),
            address: String::new(),
            opening_hours: vec![],
        })
    );
    assert_eq!(store.shop_details(Uuid::nil()).unwrap(), None);
    let created = store.pending_changes().unwrap();
    let create = created.iter().find(|c| c.entity == "shop").unwrap();
    assert_eq!(
        create.payload["fields"],
        json!({"name": "Main shop", "status": "active"}),
        "empty details are not sent: an older server would refuse fields it does not know"
    );
}

#[test]
fn an_update_queues_one_entry_with_only_the_fields_that_changed() {
    let (_dir, mut store, owner, shop) = shop();
    let before = outbox_len(&store);
    let monday = [period("mon", "09:30", "19:00")];

    let saved = store
        .update_shop(
            &owner,
            shop,
            "Main shop",
            "  12 MG Road\nBengaluru 560001 ",
            &monday,
            NOW + 1,
        )
        .unwrap();
    assert_eq!(saved.address, "12 MG Road\nBengaluru 560001");
    assert_eq!(store.shop_details(shop).unwrap(), Some(saved.clone()));
    let changes = store.pending_changes().unwrap();
    assert_eq!(changes.len(), before + 1, "one entry for the whole save");
    let entry = changes.last().unwrap();
    assert_eq!(
        (entry.entity.as_str(), entry.key.clone(), entry.op.as_str()),
        ("shop", shop.to_string(), "update")
    );
    assert_eq!(entry.staff_id, Some(owner.staff_id()));
    assert_eq!(
        entry.payload,
        json!({"fields": {
            "address": "12 MG Road\nBengaluru 560001",
            "opening_hours": [{"day": "mon", "opens": "09:30", "closes": "19:00"}],
        }}),
        "the name did not change, so it is not sent"
    );

    // The same details again, typed a little differently: nothing to record.
    store
        .update_shop(
            &owner,
            shop,
            " Main  shop ",
            "12 MG Road\nBengaluru 560001",
            &monday,
            NOW + 2,
        )
        .unwrap();
    assert_eq!(
        outbox_len(&store),
        before + 1,
        "saving what is stored records nothing"
    );

    // Only the name: only the name goes.
    store
        .update_shop(
            &owner,
            shop,
            "MG Road",
            "12 MG Road\nBengaluru 560001",
            &monday,
            NOW + 3,
        )
        .unwrap();
    let last = store.pending_changes().unwrap().pop().unwrap();
    assert_eq!(last.payload, json!({"fields": {"name": "MG Road"}}));
    assert_eq!(store.shops().unwrap()[0].name, "MG Road");

    // Clearing the hours sends the empty list, which means "not given".
    store
        .update_shop(
            &owner,
            shop,
            "MG Road",
            "12 MG Road\nBengaluru 560001",
            &[],
            NOW + 4,
        )
        .unwrap();
    let last = store.pending_changes().unwrap().pop().unwrap();
    assert_eq!(last.payload, json!({"fields": {"opening_hours": []}}));
}

#[test]
fn hours_are_kept_sorted_whatever_order_they_were_typed_in() {
    let (_dir, mut store, owner, shop) = shop();
    let typed = [
        period("sat", "10:00", "14:00"),
        period("mon", "16:00", "20:00"),
        period("mon", "09:00", "13:00"),
    ];
    store
        .update_shop(&owner, shop, "Main shop", "", &typed, NOW + 1)
        .unwrap();
    let sorted = vec![
        period("mon", "09:00", "13:00"),
        period("mon", "16:00", "20:00"),
        period("sat", "10:00", "14:00"),
    ];
    assert_eq!(
        store.shop_details(shop).unwrap().unwrap().opening_hours,
        sorted
    );
    let before = outbox_len(&store);
    let mut reordered = sorted.clone();
    reordered.reverse();
    store
        .update_shop(&owner, shop, "Main shop", "", &reordered, NOW + 2)
        .unwrap();
    assert_eq!(
        outbox_len(&store),
        before,
        "the same periods in another order are no change"
    );
}

#[test]
fn bad_details_are_refused_with_a_reason_and_change_nothing() {
    let (dir, mut store, owner, shop) = shop();
    store
        .update_shop(
            &owner,
            shop,
            "Main shop",
            "12 MG Road",
            &[period("mon", "09:00", "18:00")],
            NOW + 1,
        )
        .unwrap();
    let before = store.shop_details(shop).unwrap();
    let queued = outbox_len(&store);
    let clocks = field_clocks(dir.path());

    let long = "x".repeat(501);
    let cases: Vec<(&str, &str, Vec<OpeningPeriod>, &str)> = vec![
        ("", "", vec![], "Enter a name"),
        ("Main shop", "a\tb", vec![], "control characters"),
        ("Main shop", &long, vec![], "at most 500"),
        (
            "Main shop",
            "",
            vec![period("mon", "18:00", "09:00")],
            "must be after",
        ),
        (
            "Main shop",
            "",
            vec![
                period("tue", "09:00", "13:00"),
                period("tue", "12:00", "18:00"),
            ],
            "overlaps",
        ),
        (
            "Main shop",
            "",
            vec![period("funday", "09:00", "18:00")],
            "not a day",
        ),
        (
            "Main shop",
            "",
            vec![period("mon", "9am", "18:00")],
            "not a time",
        ),
    ];
    for (name, address, hours, expected) in cases {
        let error = store
            .update_shop(&owner, shop, name, address, &hours, NOW + 2)
            .unwrap_err();
        assert!(
            matches!(error, Error::Stock(_)),
            "a mistake in the form, not a failure: {error:?}"
        );
        assert!(
            error.to_string().contains(expected),
            "{expected:?} in {error}"
        );
    }
    assert_eq!(store.shop_details(shop).unwrap(), before);
    assert_eq!(outbox_len(&store), queued);
    assert_eq!(field_clocks(dir.path()), clocks, "no field was stamped");

    let unknown = Uuid::nil();
    assert!(matches!(
        store.update_shop(&owner, unknown, "Elsewhere", "", &[], NOW + 3),
        Err(Error::Stock(StockError::ShopNotFound(id))) if id == unknown
    ));
}

#[test]
fn only_an_owner_or_manager_may_change_the_shop() {
    let (_dir, mut store, owner, shop) = shop();
    let ravi = store
        .add_staff(&owner, "Ravi", Role::Cashier, "1357", NOW)
        .unwrap();
    let meena = store
        .add_staff(&owner, "Meena", Role::Manager, "2468", NOW)
        .unwrap();
    let cashier = store.unlock_with_pin(ravi.id, "1357", NOW + 1).unwrap();
    let manager = store.unlock_with_pin(meena.id, "2468", NOW + 1).unwrap();
    let queued = outbox_len(&store);

    // Even with hours that are wrong: the cashier is told what they lack first.
    let refused = store
        .update_shop(
            &cashier,
            shop,
            "Ravi's shop",
            "",
            &[period("mon", "18:00", "09:00")],
            NOW + 2,
        )
        .unwrap_err();
    assert!(matches!(refused, Error::Permission(_)), "{refused:?}");
    assert_eq!(store.shop_details(shop).unwrap().unwrap().name, "Main shop");
    assert_eq!(outbox_len(&store), queued);

    let saved = store
        .update_shop(&manager, shop, "Main shop", "Park Street", &[], NOW + 3)
        .unwrap();
    assert_eq!(saved.address, "Park Street");
    let entry = store.pending_changes().unwrap().pop().unwrap();
    assert_eq!(entry.staff_id, Some(meena.id), "the manager answers for it");
}

fn field_clocks(folder: &std::path::Path) -> Vec<(String, String, String)> {
    let conn = Connection::open(folder.join("galla.sqlite3")).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT entity_id, field, hlc FROM field_clocks WHERE entity = 'shop' ORDER BY 1, 2",
        )
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// A version-8 store that pulled a shop from a newer terminal kept the stamps of its
/// address and hours but had nowhere for the values. Opened by this app, the shop reads
/// as "not given" and those stamps are gone, so the next change or Verify brings them.
#[test]
fn a_version_8_store_forgets_the_stamps_of_details_it_could_not_keep() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("galla.sqlite3");
    let mut conn = Connection::open(&path).unwrap();
    migrate_to(&mut conn, &path, 8).unwrap();
    let shop = "019a0000-0000-7000-8000-0000000000aa";
    let stamp = "001763700000000-0000000000-00000000000000000000000000000009";
    conn.execute_batch(&format!(
        "INSERT INTO shops (id, name, status, created_hlc, updated_hlc)
         VALUES ('{shop}', 'Station Road', 'active', '{stamp}', '{stamp}');
         INSERT INTO field_clocks (entity, entity_id, field, hlc) VALUES
           ('shop', '{shop}', 'name', '{stamp}'),
           ('shop', '{shop}', 'status', '{stamp}'),
           ('shop', '{shop}', 'address', '{stamp}'),
           ('shop', '{shop}', 'opening_hours', '{stamp}');"
    ))
    .unwrap();
    drop(conn);

    let store = Store::open(&path).unwrap();
    let details = store.shop_details(shop.parse().unwrap()).unwrap().unwrap();
    assert_eq!(
        (details.name.as_str(), details.address.as_str()),
        ("Station Road", "")
    );
    assert_eq!(details.opening_hours, []);
    let fields: Vec<String> = field_clocks(dir.path())
        .into_iter()
        .map(|(_, field, _)| field)
        .collect();
    assert_eq!(fields, ["name", "status"]);
}
