//! The stock ledger on real SQLite files in temporary folders.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::path::Path;

use galla_core::catalog::{ProductForm, ProductSpec, VariantForm};
use galla_core::id::{new_id, Uuid};
use galla_core::stock::{is_low, is_negative};
use galla_core::{
    Actor, AdjustmentReason, AuditAction, AuditEntry, AuditFilter, Currency, Error, MovementKind,
    ProductDraft, ProductFields, Quantity, ReorderLine, StockError, Store,
};
use proptest::prelude::*;
use rusqlite::Connection;
use serde_json::Value;

const NOW: u64 = 1_763_700_000_000;

fn q(milli: i64) -> Quantity {
    Quantity::from_milli(milli)
}

fn units(n: i64) -> Quantity {
    Quantity::from_units(n).unwrap()
}

struct Fixture {
    dir: tempfile::TempDir,
    store: Store,
    main: Uuid,
    branch: Uuid,
    /// The first-start owner, who may do every stock write. One per store: PIN hashing
    /// is slow on purpose.
    owner: Actor,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    let main = store.current_shop(NOW).unwrap().id;
    let owner = store.create_first_owner("Asha", "2580", NOW).unwrap();
    let branch = store.add_shop(&owner, "Park Street", NOW).unwrap().id;
    Fixture {
        dir,
        store,
        main,
        branch,
        owner,
    }
}

/// One product per name, each with its one variant; returns the variant ids. The
/// ledger refuses a variant the catalog does not have, so stock tests stock real ones.
fn items<const N: usize>(store: &mut Store, owner: &Actor, names: [&str; N]) -> [Uuid; N] {
    names.map(|name| {
        let fields = ProductFields {
            name,
            price: "10",
            sku: "",
            barcode: "",
        };
        let draft = ProductDraft::parse(&fields, Currency::INR).unwrap();
        store.create_product(owner, &draft, NOW).unwrap().variants[0].id
    })
}

/// One product with `n` sizes, saved in one go; returns the variant ids in order.
fn sizes(store: &mut Store, owner: &Actor, n: usize) -> Vec<Uuid> {
    let form = ProductForm {
        name: "Cotton kurta".into(),
        option_names: vec!["Size".into()],
        variants: (0..n)
            .map(|i| VariantForm {
                id: None,
                option_values: vec![format!("Size {i}")],
                sku: String::new(),
                price: "899".into(),
                cost: String::new(),
                barcodes: Vec::new(),
            })
            .collect(),
        ..ProductForm::default()
    };
    let spec = ProductSpec::parse(&form, Currency::INR).unwrap();
    let product = store.save_product(owner, None, &spec, NOW).unwrap();
    product.variants.iter().map(|v| v.id).collect()
}

/// Outbox entries of one entity (`stock_movement`, `audit`, ...).
fn outbox_of(conn: &Connection, entity: &str) -> i64 {
    conn.query_row(
        "SELECT count(*) FROM outbox WHERE entity = ?1",
        [entity],
        |r| r.get(0),
    )
    .unwrap()
}

/// The audit entries of one action, newest first.
fn audit_of(store: &Store, owner: &Actor, action: AuditAction) -> Vec<AuditEntry> {
    let filter = AuditFilter {
        action: Some(action),
        ..AuditFilter::default()
    };
    store.audit_entries(owner, &filter).unwrap()
}

fn raw(dir: &Path) -> Connection {
    Connection::open(dir.join("galla.sqlite3")).unwrap()
}

fn count_rows(conn: &Connection, table: &str) -> i64 {
    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

/// (variant, shop) -> milli, straight from the ledger.
fn ledger_sums(conn: &Connection) -> BTreeMap<(String, String), i64> {
    let mut stmt = conn
        .prepare(
            "SELECT variant_id, shop_id, sum(quantity_milli) FROM stock_movements
             GROUP BY variant_id, shop_id",
        )
        .unwrap();
    let rows = stmt
        .query_map([], |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?)))
        .unwrap();
    rows.collect::<Result<_, _>>().unwrap()
}

/// (variant, shop) -> milli, from the trigger-kept cache.
fn cached_levels(conn: &Connection) -> BTreeMap<(String, String), i64> {
    let mut stmt = conn
        .prepare("SELECT variant_id, shop_id, on_hand_milli FROM stock_levels")
        .unwrap();
    let rows = stmt
        .query_map([], |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?)))
        .unwrap();
    rows.collect::<Result<_, _>>().unwrap()
}

/// (variant, shop) -> milli, summed from what the outbox would send to the server.
fn outbox_sums(conn: &Connection) -> BTreeMap<(String, String), i64> {
    let mut stmt = conn
        .prepare("SELECT payload FROM outbox WHERE entity = 'stock_movement' ORDER BY seq")
        .unwrap();
    let payloads = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let mut sums = BTreeMap::new();
    for text in payloads {
        let payload: Value = serde_json::from_str(&text).unwrap();
        let key = (
            payload["variant_id"].as_str().unwrap().to_owned(),
            payload["shop_id"].as_str().unwrap().to_owned(),
        );
        *sums.entry(key).or_insert(0) += payload["quantity_milli"].as_i64().unwrap();
    }
    sums
}

fn history_sum(store: &Store, variant: Uuid, shop: Uuid) -> i64 {
    store
        .stock_history(variant, Some(shop), usize::MAX)
        .unwrap()
        .iter()
        .map(|m| m.quantity.milli())
        .sum()
}

#[test]
fn a_count_that_matches_on_hand_writes_nothing() {
    let Fixture {
        dir,
        mut store,
        main,
        owner,
        ..
    } = fixture();
    let [tea, rice] = items(&mut store, &owner, ["Tea", "Rice"]);
    store
        .receive_stock(tea, main, units(5), None, &owner, NOW)
        .unwrap();
    let conn = raw(dir.path());
    let (movements, outbox, audit) = (
        count_rows(&conn, "stock_movements"),
        count_rows(&conn, "outbox"),
        count_rows(&conn, "audit_log"),
    );

    let written = store
        .count_stock(main, &[(tea, units(5)), (rice, units(0))], &owner, NOW + 1)
        .unwrap();

    assert_eq!(
        written,
        [],
        "a shelf that matches the ledger, and an empty shelf of an item never stocked, record nothing"
    );
    assert_eq!(count_rows(&conn, "stock_movements"), movements);
    assert_eq!(count_rows(&conn, "outbox"), outbox);
    assert_eq!(
        count_rows(&conn, "audit_log"),
        audit,
        "a count that matches is not audited"
    );
    assert_eq!(store.on_hand(rice, main).unwrap(), q(0));
}

#[test]
fn a_count_records_the_difference_under_one_document() {
    let Fixture {
        mut store,
        main,
        owner,
        ..
    } = fixture();
    let [tea, rice, dal, oil] = items(&mut store, &owner, ["Tea", "Rice", "Dal", "Oil"]);
    store
        .receive_stock(tea, main, units(10), None, &owner, NOW)
        .unwrap();
    store
        .receive_stock(rice, main, q(5_000), None, &owner, NOW)
        .unwrap();
    store
        .receive_stock(dal, main, units(3), None, &owner, NOW)
        .unwrap();

    let staff = owner.staff_id();
    let written = store
        .count_stock(
            main,
            &[
                (tea, units(8)),  // two missing
                (rice, q(5_250)), // 0.250 kg more than the ledger
                (dal, units(3)),  // matches
                (oil, units(4)),  // never received, found on the shelf
            ],
            &owner,
            NOW + 1,
        )
        .unwrap();

    let differences: Vec<(Uuid, i64)> = written
        .iter()
        .map(|m| (m.variant_id, m.quantity.milli()))
        .collect();
    assert_eq!(
        differences,
        [(tea, -2_000), (rice, 250), (oil, 4_000)],
        "one Count movement per variant that differs, none for the one that matches"
    );
    let document = written[0].document_id.expect("a count has a document id");
    for m in &written {
        assert_eq!(m.kind, MovementKind::Count);
        assert_eq!(m.document_id, Some(document), "one stocktake, one document");
        assert_eq!(m.staff_id, Some(staff), "who counted is kept");
        assert_eq!(m.reason, None);
    }
    assert_eq!(store.on_hand(tea, main).unwrap(), units(8));
    assert_eq!(store.on_hand(rice, main).unwrap(), q(5_250));
    assert_eq!(store.on_hand(dal, main).unwrap(), units(3));
    assert_eq!(store.on_hand(oil, main).unwrap(), units(4));
}

#[test]
fn transfers_move_stock_between_shops_and_sum_to_zero() {
    let Fixture {
        dir,
        mut store,
        main,
        branch,
        owner,
    } = fixture();
    let [saree] = items(&mut store, &owner, ["Saree"]);
    store
        .receive_stock(saree, main, units(10), None, &owner, NOW)
        .unwrap();

    let transfer = store
        .transfer_stock(saree, main, branch, units(4), &owner, NOW + 1)
        .unwrap();

    assert_eq!(store.on_hand(saree, main).unwrap(), units(6));
    assert_eq!(store.on_hand(saree, branch).unwrap(), units(4));
    assert_eq!(transfer.sent.kind, MovementKind::TransferOut);
    assert_eq!(transfer.sent.quantity, units(-4));
    assert_eq!(transfer.sent.counterpart_shop_id, Some(branch));
    assert_eq!(transfer.received.kind, MovementKind::TransferIn);
    assert_eq!(transfer.received.quantity, units(4));
    assert_eq!(transfer.received.counterpart_shop_id, Some(main));
    assert!(transfer.sent.document_id.is_some());
    assert_eq!(
        transfer.sent.document_id, transfer.received.document_id,
        "both halves belong to one transfer document"
    );
    let conn = raw(dir.path());
    let moved: i64 = conn
        .query_row(
            "SELECT sum(quantity_milli) FROM stock_movements WHERE document_id = ?1",
            [transfer.sent.document_id.unwrap().to_string()],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(moved, 0, "a transfer neither makes nor loses stock overall");
}

#[test]
fn refused_input_writes_nothing() {
    let Fixture {
        dir,
        mut store,
        main,
        branch,
        owner,
    } = fixture();
    let [tea] = items(&mut store, &owner, ["Tea"]);
    store
        .receive_stock(tea, main, units(5), None, &owner, NOW)
        .unwrap();
    let conn = raw(dir.path());
    let before = (
        count_rows(&conn, "stock_movements"),
        count_rows(&conn, "outbox"),
        count_rows(&conn, "audit_log"),
        cached_levels(&conn),
    );
    let unknown = new_id();

    let refusals: Vec<(Result<(), Error>, StockError)> = vec![
        (
            store
                .receive_stock(tea, main, q(0), None, &owner, NOW)
                .map(drop),
            StockError::ReceiveNotPositive,
        ),
        (
            store
                .receive_stock(tea, main, units(-1), None, &owner, NOW)
                .map(drop),
            StockError::ReceiveNotPositive,
        ),
        (
            store
                .adjust_stock(tea, main, units(-1), None, None, &owner, NOW)
                .map(drop),
            StockError::ReasonRequired,
        ),
        (
            store
                .adjust_stock(
                    tea,
                    main,
                    q(0),
                    Some(AdjustmentReason::Correction),
                    None,
                    &owner,
                    NOW,
                )
                .map(drop),
            StockError::AdjustmentZero,
        ),
        (
            store
                .adjust_stock(
                    tea,
                    main,
                    units(1),
                    Some(AdjustmentReason::Damaged),
                    None,
                    &owner,
                    NOW,
                )
                .map(drop),
            StockError::ReasonOnlyDown(AdjustmentReason::Damaged),
        ),
        (
            store
                .transfer_stock(tea, main, main, units(1), &owner, NOW)
                .map(drop),
            StockError::TransferToSameShop,
        ),
        (
            store
                .transfer_stock(tea, main, branch, q(0), &owner, NOW)
                .map(drop),
            StockError::TransferNotPositive,
        ),
        (
            store
                .receive_stock(tea, unknown, units(1), None, &owner, NOW)
                .map(drop),
            StockError::ShopNotFound(unknown),
        ),
        (
            store
                .transfer_stock(tea, main, unknown, units(1), &owner, NOW)
                .map(drop),
            StockError::ShopNotFound(unknown),
        ),
        (
            store
                .count_stock(unknown, &[(tea, units(1))], &owner, NOW)
                .map(drop),
            StockError::ShopNotFound(unknown),
        ),
        (
            store
                .count_stock(main, &[(tea, units(3)), (tea, units(1))], &owner, NOW)
                .map(drop),
            StockError::CountedTwice(tea),
        ),
        (
            store
                .count_stock(main, &[(tea, units(-1))], &owner, NOW)
                .map(drop),
            StockError::CountNegative(tea),
        ),
        (
            store
                .receive_stock(tea, main, units(1), Some(&"x".repeat(501)), &owner, NOW)
                .map(drop),
            StockError::NoteTooLong,
        ),
        (
            store
                .set_low_stock_threshold(&owner, tea, main, Some(units(-1)), NOW)
                .map(drop),
            StockError::ThresholdNegative,
        ),
        (
            store
                .set_low_stock_threshold(&owner, tea, unknown, Some(units(1)), NOW)
                .map(drop),
            StockError::ShopNotFound(unknown),
        ),
        (
            store.add_shop(&owner, "  ", NOW).map(drop),
            StockError::ShopNameRequired,
        ),
    ];
    for (result, expected) in refusals {
        match result {
            Err(Error::Stock(e)) => assert_eq!(e, expected),
            other => panic!("expected {expected:?}, got {other:?}"),
        }
    }

    assert_eq!(
        (
            count_rows(&conn, "stock_movements"),
            count_rows(&conn, "outbox"),
            count_rows(&conn, "audit_log"),
            cached_levels(&conn),
        ),
        before,
        "a refused request must leave no movement, no outbox entry, no audit entry and no level change"
    );
    assert_eq!(store.shops().unwrap().len(), 2);
    assert_eq!(store.reorder_list(main).unwrap(), []);
}

#[test]
fn stock_writes_on_an_unknown_variant_are_refused_and_write_nothing() {
    let Fixture {
        dir,
        mut store,
        main,
        branch,
        owner,
    } = fixture();
    let [tea] = items(&mut store, &owner, ["Tea"]);
    store
        .receive_stock(tea, main, units(5), None, &owner, NOW)
        .unwrap();
    let tea_product = store.list_products(true).unwrap()[0].id;
    let conn = raw(dir.path());
    let snapshot = || {
        (
            count_rows(&conn, "stock_movements"),
            count_rows(&conn, "outbox"),
            count_rows(&conn, "audit_log"),
            count_rows(&conn, "stock_thresholds"),
            cached_levels(&conn),
        )
    };
    let before = snapshot();

    // A made-up id, and a real id of the wrong kind: the product, not its variant.
    for unknown in [new_id(), tea_product] {
        let refusals: Vec<(&str, Result<(), Error>)> = vec![
            (
                "receive",
                store
                    .receive_stock(unknown, main, units(1), None, &owner, NOW + 1)
                    .map(drop),
            ),
            (
                "adjust",
                store
                    .adjust_stock(
                        unknown,
                        main,
                        units(-1),
                        Some(AdjustmentReason::Damaged),
                        None,
                        &owner,
                        NOW + 1,
                    )
                    .map(drop),
            ),
            (
                "count",
                // A real line beside it is not counted either: a count is all or nothing.
                store
                    .count_stock(
                        main,
                        &[(tea, units(2)), (unknown, units(1))],
                        &owner,
                        NOW + 1,
                    )
                    .map(drop),
            ),
            (
                "transfer",
                store
                    .transfer_stock(unknown, main, branch, units(1), &owner, NOW + 1)
                    .map(drop),
            ),
            (
                "threshold",
                store
                    .set_low_stock_threshold(&owner, unknown, main, Some(units(3)), NOW + 1)
                    .map(drop),
            ),
        ];
        for (what, result) in refusals {
            match result {
                Err(Error::Stock(StockError::VariantNotFound(id))) => {
                    assert_eq!(id, unknown, "{what}")
                }
                other => panic!("{what}: expected VariantNotFound, got {other:?}"),
            }
        }
    }
    let message = StockError::VariantNotFound(tea_product).to_string();
    assert!(message.contains("not in the catalog"), "{message}");

    assert_eq!(
        snapshot(),
        before,
        "a refused write leaves no movement, outbox or audit entry, threshold or level change"
    );
    assert_eq!(store.on_hand(tea, main).unwrap(), units(5));
    assert_eq!(store.reorder_list(main).unwrap(), []);
}

#[test]
fn adjusting_stock_is_audited_with_on_hand_before_and_after() {
    let Fixture {
        mut store,
        main,
        branch,
        owner,
        ..
    } = fixture();
    let [tea, rice] = items(&mut store, &owner, ["Tea", "Rice"]);
    store
        .receive_stock(tea, main, units(10), None, &owner, NOW)
        .unwrap();
    store
        .receive_stock(tea, branch, units(50), None, &owner, NOW)
        .unwrap();
    assert_eq!(
        audit_of(&store, &owner, AuditAction::StockAdjusted),
        [],
        "receiving goods is in the ledger, not the audit log"
    );

    store
        .adjust_stock(
            tea,
            main,
            units(-2),
            Some(AdjustmentReason::Damaged),
            Some(" wet\tin the rain "),
            &owner,
            NOW + 1,
        )
        .unwrap();
    store
        .adjust_stock(
            tea,
            main,
            q(500),
            Some(AdjustmentReason::Found),
            None,
            &owner,
            NOW + 2,
        )
        .unwrap();
    store
        .adjust_stock(
            rice,
            main,
            q(-250),
            Some(AdjustmentReason::OwnUse),
            None,
            &owner,
            NOW + 3,
        )
        .unwrap();

    let entries = audit_of(&store, &owner, AuditAction::StockAdjusted);
    let summary: Vec<(Uuid, &str, &str, &str, u64)> = entries
        .iter()
        .map(|e| {
            (
                e.entity_id.unwrap(),
                e.old_value.as_deref().unwrap(),
                e.new_value.as_deref().unwrap(),
                e.reason.as_deref().unwrap(),
                e.at_ms,
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (rice, "0", "-0.25", "own_use", NOW + 3),
            (tea, "8", "8.5", "found", NOW + 2),
            (tea, "10", "8", "damaged: wet in the rain", NOW + 1),
        ],
        "on-hand in the shop adjusted, before and after, with the reason and the note; newest first"
    );
    for entry in &entries {
        assert_eq!(entry.staff_id, Some(owner.staff_id()), "who");
        assert_eq!(entry.staff_name.as_deref(), Some("Asha"));
        assert_eq!(entry.device_id, store.device());
        assert_eq!(entry.entity, "variant");
        assert_eq!(entry.field.as_deref(), Some("on_hand"));
    }
    assert_eq!(
        store.on_hand(tea, branch).unwrap(),
        units(50),
        "the other shop's stock is untouched"
    );
    let queued = store
        .pending_changes()
        .unwrap()
        .into_iter()
        .filter(|c| c.entity == "audit" && c.payload["action"] == "stock_adjusted")
        .count();
    assert_eq!(
        queued, 3,
        "every adjustment's audit entry is queued for sync"
    );
}

#[test]
fn a_count_audits_each_line_that_differs_and_none_that_matches() {
    let Fixture {
        mut store,
        main,
        owner,
        ..
    } = fixture();
    let [tea, rice, dal, oil] = items(&mut store, &owner, ["Tea", "Rice", "Dal", "Oil"]);
    store
        .receive_stock(tea, main, units(10), None, &owner, NOW)
        .unwrap();
    store
        .receive_stock(rice, main, q(5_000), None, &owner, NOW)
        .unwrap();
    store
        .receive_stock(dal, main, units(3), None, &owner, NOW)
        .unwrap();

    store
        .count_stock(main, &[(dal, units(3))], &owner, NOW + 1)
        .unwrap();
    assert_eq!(
        audit_of(&store, &owner, AuditAction::StockCounted),
        [],
        "a count that matches on-hand writes no audit entry"
    );

    store
        .count_stock(
            main,
            &[
                (tea, units(8)),
                (rice, q(5_250)),
                (dal, units(3)),
                (oil, units(4)),
            ],
            &owner,
            NOW + 2,
        )
        .unwrap();
    let entries = audit_of(&store, &owner, AuditAction::StockCounted);
    let mut summary: Vec<(Uuid, &str, &str)> = entries
        .iter()
        .map(|e| {
            (
                e.entity_id.unwrap(),
                e.old_value.as_deref().unwrap(),
                e.new_value.as_deref().unwrap(),
            )
        })
        .collect();
    summary.sort();
    let mut expected = vec![(tea, "10", "8"), (rice, "5", "5.25"), (oil, "0", "4")];
    expected.sort();
    assert_eq!(
        summary, expected,
        "one entry per line that differs, with on-hand before and as counted; none for dal"
    );
    for entry in &entries {
        assert_eq!(entry.staff_id, Some(owner.staff_id()));
        assert_eq!(entry.at_ms, NOW + 2);
        assert_eq!(entry.entity, "variant");
        assert_eq!(entry.field.as_deref(), Some("on_hand"));
        assert_eq!(entry.reason.as_deref(), Some("stocktake"));
    }
}

#[test]
fn movements_cannot_be_updated_or_deleted() {
    let Fixture {
        dir,
        mut store,
        main,
        owner,
        ..
    } = fixture();
    let [tea] = items(&mut store, &owner, ["Tea"]);
    let movement = store
        .receive_stock(tea, main, units(5), None, &owner, NOW)
        .unwrap();
    let conn = raw(dir.path());

    let update = conn.execute(
        "UPDATE stock_movements SET quantity_milli = 50000 WHERE id = ?1",
        [movement.id.to_string()],
    );
    let error = update.expect_err("the ledger must refuse an edit");
    assert!(
        error.to_string().contains("never changed"),
        "the refusal says why: {error}"
    );
    let delete = conn.execute("DELETE FROM stock_movements", []);
    let error = delete.expect_err("the ledger must refuse a delete");
    assert!(error.to_string().contains("never deleted"), "{error}");

    assert_eq!(count_rows(&conn, "stock_movements"), 1);
    assert_eq!(store.on_hand(tea, main).unwrap(), units(5));
    assert_eq!(
        store.stock_history(tea, None, 10).unwrap(),
        [movement],
        "the movement is exactly as written"
    );
}

#[test]
fn history_is_newest_first() {
    let Fixture {
        mut store,
        main,
        branch,
        owner,
        ..
    } = fixture();
    let [tea, other] = items(&mut store, &owner, ["Tea", "Other"]);
    let staff = owner.staff_id();
    let received = store
        .receive_stock(tea, main, units(10), Some(" from the\tdepot "), &owner, NOW)
        .unwrap();
    store
        .receive_stock(other, main, units(1), None, &owner, NOW + 1)
        .unwrap();
    // The device clock stepped back a minute; the ledger's order must not.
    let damaged = store
        .adjust_stock(
            tea,
            main,
            units(-1),
            Some(AdjustmentReason::Damaged),
            Some("wet"),
            &owner,
            NOW - 60_000,
        )
        .unwrap();
    let transfer = store
        .transfer_stock(tea, main, branch, units(2), &owner, NOW + 2)
        .unwrap();

    let all = store.stock_history(tea, None, 100).unwrap();
    assert_eq!(
        all,
        [
            transfer.received.clone(),
            transfer.sent.clone(),
            damaged.clone(),
            received.clone()
        ],
        "newest first, across shops, other variants left out"
    );
    assert_eq!(received.note.as_deref(), Some("from the depot"));
    assert_eq!(received.staff_id, Some(staff));
    assert_eq!(damaged.reason, Some(AdjustmentReason::Damaged));
    assert_eq!(
        store.stock_history(tea, Some(main), 100).unwrap(),
        [transfer.sent.clone(), damaged.clone(), received],
        "one shop's history"
    );
    assert_eq!(
        store.stock_history(tea, Some(main), 2).unwrap(),
        [transfer.sent, damaged],
        "the limit keeps the newest"
    );
    assert_eq!(store.stock_history(tea, Some(main), 0).unwrap(), []);
}

#[test]
fn the_reorder_list_shows_what_is_at_or_below_its_threshold_furthest_first() {
    let Fixture {
        dir,
        mut store,
        main,
        branch,
        owner,
    } = fixture();
    let [tea, rice, dal, oil, salt] =
        items(&mut store, &owner, ["Tea", "Rice", "Dal", "Oil", "Salt"]);
    store
        .receive_stock(tea, main, units(10), None, &owner, NOW)
        .unwrap();
    store
        .receive_stock(rice, main, units(3), None, &owner, NOW)
        .unwrap();
    store
        .receive_stock(dal, main, units(5), None, &owner, NOW)
        .unwrap();
    store
        .receive_stock(salt, main, units(1), None, &owner, NOW)
        .unwrap();
    store
        .set_low_stock_threshold(&owner, tea, main, Some(units(5)), NOW)
        .unwrap(); // 10 on hand: fine
    store
        .set_low_stock_threshold(&owner, rice, main, Some(units(5)), NOW)
        .unwrap(); // 2 short
    store
        .set_low_stock_threshold(&owner, dal, main, Some(units(5)), NOW)
        .unwrap(); // exactly at it
    store
        .set_low_stock_threshold(&owner, oil, main, Some(units(4)), NOW)
        .unwrap(); // never received: 4 short
    store
        .set_low_stock_threshold(&owner, salt, branch, Some(units(9)), NOW)
        .unwrap(); // another shop

    let line = |variant_id, on_hand, threshold, shortfall| ReorderLine {
        variant_id,
        shop_id: main,
        on_hand: units(on_hand),
        threshold: units(threshold),
        shortfall: units(shortfall),
    };
    assert_eq!(
        store.reorder_list(main).unwrap(),
        [line(oil, 0, 4, 4), line(rice, 3, 5, 2), line(dal, 5, 5, 0)]
    );
    assert!(is_low(units(5), units(5)));

    let conn = raw(dir.path());
    let outbox = count_rows(&conn, "outbox");
    store
        .set_low_stock_threshold(&owner, rice, main, Some(units(5)), NOW + 1)
        .unwrap();
    assert_eq!(
        count_rows(&conn, "outbox"),
        outbox,
        "setting the same threshold again records nothing"
    );
    store
        .set_low_stock_threshold(&owner, oil, main, None, NOW + 1)
        .unwrap();
    store
        .set_low_stock_threshold(&owner, rice, main, Some(units(2)), NOW + 1)
        .unwrap();
    assert_eq!(
        store.reorder_list(main).unwrap(),
        [line(dal, 5, 5, 0)],
        "a cleared threshold and one now below on-hand leave the list"
    );
    let queued: i64 = conn
        .query_row(
            "SELECT count(*) FROM outbox WHERE entity = 'stock_threshold'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        queued, 0,
        "thresholds stay on the device (not in sync protocol 1)"
    );
    assert_eq!(
        store.reorder_list(branch).unwrap().len(),
        1,
        "salt is low in the branch only"
    );
}

#[test]
fn every_movement_is_in_the_outbox_as_a_signed_change() {
    let Fixture {
        dir,
        mut store,
        main,
        branch,
        owner,
    } = fixture();
    let [tea] = items(&mut store, &owner, ["Tea"]);
    store
        .receive_stock(tea, main, units(10), None, &owner, NOW)
        .unwrap();
    let lost = store
        .adjust_stock(
            tea,
            main,
            q(-500),
            Some(AdjustmentReason::Lost),
            None,
            &owner,
            NOW,
        )
        .unwrap();
    store
        .transfer_stock(tea, main, branch, units(3), &owner, NOW)
        .unwrap();
    store
        .count_stock(main, &[(tea, units(7))], &owner, NOW)
        .unwrap();

    let conn = raw(dir.path());
    let mut stmt = conn
        .prepare("SELECT entity, entity_id, op, payload FROM outbox ORDER BY seq")
        .unwrap();
    let entries: Vec<(String, String, String, Value)> = stmt
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                serde_json::from_str(&r.get::<_, String>(3)?).unwrap(),
            ))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    // The owner's set-up, the catalog and the audit log have outbox entries of their
    // own; the stock ledger's are the shops and the movements.
    let ledger: Vec<&(String, String, String, Value)> = entries
        .iter()
        .filter(|(entity, ..)| entity == "shop" || entity == "stock_movement")
        .collect();
    let entities: Vec<(&str, &str)> = ledger
        .iter()
        .map(|(e, _, op, _)| (e.as_str(), op.as_str()))
        .collect();
    assert_eq!(
        entities,
        [
            ("shop", "create"),
            ("shop", "create"),
            ("stock_movement", "append"),
            ("stock_movement", "append"),
            ("stock_movement", "append"),
            ("stock_movement", "append"),
            ("stock_movement", "append"),
        ],
        "the shops go first, so the server knows them before their movements"
    );
    let position = |entity: &str| entries.iter().position(|(e, ..)| e == entity).unwrap();
    assert!(
        position("variant") < position("stock_movement"),
        "the variant is queued before its movements"
    );
    let audited: Vec<&str> = entries
        .iter()
        .filter(|(entity, ..)| entity == "audit")
        .map(|(_, _, _, p)| p["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        audited,
        ["staff_added", "stock_adjusted", "stock_counted"],
        "the adjustment and the count are audited; the receive and the transfer are not"
    );
    let signed: Vec<i64> = ledger[2..]
        .iter()
        .map(|(_, _, _, p)| p["quantity_milli"].as_i64().unwrap())
        .collect();
    assert_eq!(signed, [10_000, -500, -3_000, 3_000, 500]);
    let lost_entry = ledger[3];
    assert_eq!(lost_entry.1, lost.id.to_string());
    assert_eq!(lost_entry.3["reason"], "lost");
    assert_eq!(lost_entry.3["kind"], "adjustment");
    for (_, _, _, payload) in &ledger[2..] {
        for absolute in ["on_hand", "on_hand_milli", "level", "stock"] {
            assert!(
                payload.get(absolute).is_none(),
                "no absolute stock figure may be synced (SYNC.md rule 3): {payload}"
            );
        }
    }
    assert_eq!(
        store.pending_changes().unwrap().len(),
        entries.len(),
        "every entry's id reads back as a UUID"
    );
}

#[test]
fn overselling_goes_negative_and_is_flagged_not_refused() {
    let Fixture {
        dir,
        mut store,
        main,
        branch,
        owner,
    } = fixture();
    let [saree] = items(&mut store, &owner, ["Saree"]);
    store
        .receive_stock(saree, main, units(2), None, &owner, NOW)
        .unwrap();
    store
        .transfer_stock(saree, main, branch, units(3), &owner, NOW)
        .unwrap();
    assert_eq!(store.on_hand(saree, main).unwrap(), units(-1));
    store
        .adjust_stock(
            saree,
            branch,
            units(-5),
            Some(AdjustmentReason::Lost),
            None,
            &owner,
            NOW,
        )
        .unwrap();
    assert_eq!(store.on_hand(saree, branch).unwrap(), units(-2));

    // A sale recorded on another counter arrives by a path that is not written yet; the
    // cache must follow any insert into the ledger, not only the ones made here.
    let conn = raw(dir.path());
    conn.execute(
        "INSERT INTO stock_movements (id, variant_id, shop_id, quantity_milli, kind, device_id, hlc, at_ms)
         VALUES (?1, ?2, ?3, -4000, 'sale', ?4, '000000000000000-0000000000-00000000000000000000000000000000', 0)",
        [
            new_id().to_string(),
            saree.to_string(),
            main.to_string(),
            new_id().to_string(),
        ],
    )
    .unwrap();
    let on_hand = store.on_hand(saree, main).unwrap();
    assert_eq!(on_hand, units(-5));
    assert!(is_negative(on_hand), "negative stock is flagged");
    assert_eq!(ledger_sums(&conn), cached_levels(&conn));

    store
        .set_low_stock_threshold(&owner, saree, main, Some(units(0)), NOW)
        .unwrap();
    assert_eq!(
        store.reorder_list(main).unwrap()[0].shortfall,
        units(5),
        "an oversold item heads the reorder list"
    );
    let found = store
        .count_stock(main, &[(saree, units(1))], &owner, NOW)
        .unwrap();
    assert_eq!(
        found[0].quantity,
        units(6),
        "a count brings it back to the shelf"
    );
}

#[test]
fn everything_survives_reopening() {
    let Fixture {
        dir,
        mut store,
        main,
        branch,
        owner,
    } = fixture();
    let [tea] = items(&mut store, &owner, ["Tea"]);
    store
        .receive_stock(tea, main, units(10), None, &owner, NOW)
        .unwrap();
    store
        .adjust_stock(
            tea,
            main,
            units(1),
            Some(AdjustmentReason::Found),
            None,
            &owner,
            NOW + 1,
        )
        .unwrap();
    store
        .transfer_stock(tea, main, branch, units(4), &owner, NOW + 2)
        .unwrap();
    store
        .count_stock(branch, &[(tea, units(3))], &owner, NOW + 3)
        .unwrap();
    store
        .set_low_stock_threshold(&owner, tea, branch, Some(units(5)), NOW + 4)
        .unwrap();
    let history = store.stock_history(tea, None, 100).unwrap();
    let shops = store.shops().unwrap();
    drop(store);

    let mut store = Store::open_in(dir.path()).unwrap();
    assert_eq!(
        store.current_shop(NOW + 10).unwrap().id,
        main,
        "the device keeps its shop"
    );
    assert_eq!(store.shops().unwrap(), shops);
    assert_eq!(store.on_hand(tea, main).unwrap(), units(7));
    assert_eq!(store.on_hand(tea, branch).unwrap(), units(3));
    assert_eq!(store.stock_history(tea, None, 100).unwrap(), history);
    assert_eq!(store.reorder_list(branch).unwrap().len(), 1);
    let next = store
        .receive_stock(tea, main, units(1), None, &owner, NOW - 3_600_000)
        .unwrap();
    assert!(
        next.hlc > history[0].hlc,
        "a movement after a restart, with the clock an hour behind, is still the newest"
    );
}

#[test]
fn the_default_shop_is_made_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    assert_eq!(store.shops().unwrap(), [], "no shop until one is needed");
    let first = store.current_shop(NOW).unwrap();
    assert_eq!(first.name, "Main shop");
    assert_eq!(store.current_shop(NOW + 1).unwrap(), first);
    assert_eq!(store.shops().unwrap(), std::slice::from_ref(&first));
    let conn = raw(dir.path());
    let setting: String = conn
        .query_row(
            "SELECT value FROM settings WHERE key = 'shop_id'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(setting, first.id.to_string());
    let owner = store.create_first_owner("Asha", "2580", NOW).unwrap();
    let second = store.add_shop(&owner, " Park\tStreet ", NOW).unwrap();
    assert_eq!(second.name, "Park Street");
    assert_eq!(
        store.current_shop(NOW).unwrap(),
        first,
        "adding a shop does not move the device"
    );
}

#[derive(Debug, Clone)]
enum Step {
    Receive {
        variant: usize,
        shop: usize,
        milli: i64,
    },
    Adjust {
        variant: usize,
        shop: usize,
        milli: i64,
        reason: Option<usize>,
    },
    Count {
        shop: usize,
        counts: Vec<(usize, i64)>,
    },
    Transfer {
        variant: usize,
        from: usize,
        to: usize,
        milli: i64,
    },
}

/// Three variants of a real product and, at index 3, one the catalog has never heard of.
const VARIANTS: usize = 4;
/// Two real shops and, at index 2, one the store has never heard of.
const SHOPS: usize = 3;

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (0..VARIANTS, 0..SHOPS, -1_000i64..20_000).prop_map(|(variant, shop, milli)| {
            Step::Receive {
                variant,
                shop,
                milli,
            }
        }),
        (
            0..VARIANTS,
            0..SHOPS,
            -8_000i64..8_000,
            proptest::option::weighted(0.9, 0..AdjustmentReason::ALL.len())
        )
            .prop_map(|(variant, shop, milli, reason)| Step::Adjust {
                variant,
                shop,
                milli,
                reason,
            }),
        (
            0..SHOPS,
            proptest::collection::vec((0..VARIANTS, -500i64..15_000), 0..4)
        )
            .prop_map(|(shop, counts)| Step::Count { shop, counts }),
        (0..VARIANTS, 0..SHOPS, 0..SHOPS, -1_000i64..12_000).prop_map(
            |(variant, from, to, milli)| Step::Transfer {
                variant,
                from,
                to,
                milli,
            }
        ),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// The level cache equals the ledger, on-hand equals the history and the outbox, and
    /// a refused step writes nothing, whatever happens in whatever order.
    #[test]
    fn the_level_cache_always_equals_the_sum_of_the_ledger(
        steps in proptest::collection::vec(step(), 1..=30)
    ) {
        let Fixture { dir, mut store, main, branch, owner } = fixture();
        let shops = [main, branch, new_id()];
        let mut variants = sizes(&mut store, &owner, VARIANTS - 1);
        variants.push(new_id());
        let conn = raw(dir.path());
        // What on-hand must be, worked out independently of the store.
        let mut model: BTreeMap<(Uuid, Uuid), i64> = BTreeMap::new();
        let snapshot = || {
            (
                count_rows(&conn, "stock_movements"),
                outbox_of(&conn, "stock_movement"),
                count_rows(&conn, "audit_log"),
                count_rows(&conn, "outbox"),
            )
        };

        for (i, step) in steps.into_iter().enumerate() {
            // After the set-up's own audit entry, so a step's entries are those from `now`.
            let now = NOW + 1 + i as u64;
            let modelled = |model: &BTreeMap<(Uuid, Uuid), i64>, v: Uuid, s: Uuid| {
                model.get(&(v, s)).copied().unwrap_or(0)
            };
            let before = snapshot();
            // The audit entries the step must write if it succeeds: (variant, on-hand
            // before, on-hand after).
            let mut expected_audit: Vec<(Uuid, String, String)> = Vec::new();
            let result: Result<Vec<(Uuid, Uuid, i64)>, Error> = match &step {
                Step::Receive { variant, shop, milli } => store
                    .receive_stock(variants[*variant], shops[*shop], q(*milli), None, &owner, now)
                    .map(|m| vec![(m.variant_id, m.shop_id, m.quantity.milli())]),
                Step::Adjust { variant, shop, milli, reason } => {
                    let (v, s) = (variants[*variant], shops[*shop]);
                    let old = modelled(&model, v, s);
                    expected_audit.push((v, q(old).to_string(), q(old + milli).to_string()));
                    store
                        .adjust_stock(v, s, q(*milli), reason.map(|r| AdjustmentReason::ALL[r]), None, &owner, now)
                        .map(|m| vec![(m.variant_id, m.shop_id, m.quantity.milli())])
                }
                Step::Count { shop, counts } => {
                    let counts: Vec<(Uuid, Quantity)> =
                        counts.iter().map(|(v, c)| (variants[*v], q(*c))).collect();
                    for &(v, counted) in &counts {
                        let old = modelled(&model, v, shops[*shop]);
                        if old != counted.milli() {
                            expected_audit.push((v, q(old).to_string(), counted.to_string()));
                        }
                    }
                    store.count_stock(shops[*shop], &counts, &owner, now).map(|written| {
                        written
                            .iter()
                            .map(|m| (m.variant_id, m.shop_id, m.quantity.milli()))
                            .collect()
                    })
                }
                Step::Transfer { variant, from, to, milli } => store
                    .transfer_stock(variants[*variant], shops[*from], shops[*to], q(*milli), &owner, now)
                    .map(|t| {
                        vec![
                            (t.sent.variant_id, t.sent.shop_id, t.sent.quantity.milli()),
                            (t.received.variant_id, t.received.shop_id, t.received.quantity.milli()),
                        ]
                    }),
            };
            let after = snapshot();
            match result {
                Ok(written) => {
                    let n = written.len() as i64;
                    let audited = expected_audit.len() as i64;
                    prop_assert_eq!((after.0, after.1), (before.0 + n, before.1 + n),
                        "each movement has exactly one outbox entry ({:?})", step);
                    prop_assert_eq!((after.2, after.3), (before.2 + audited, before.3 + n + audited),
                        "each audit entry has one outbox entry, and nothing else is queued ({:?})", step);
                    let filter = AuditFilter { from_ms: Some(now), ..AuditFilter::default() };
                    let mut audit: Vec<(Uuid, String, String)> = store
                        .audit_entries(&owner, &filter)
                        .unwrap()
                        .into_iter()
                        .map(|e| (e.entity_id.unwrap(), e.old_value.unwrap(), e.new_value.unwrap()))
                        .collect();
                    audit.sort();
                    expected_audit.sort();
                    prop_assert_eq!(audit, expected_audit,
                        "the audit log has on-hand before and after ({:?})", step);
                    for (v, s, milli) in written {
                        prop_assert_ne!(milli, 0);
                        *model.entry((v, s)).or_insert(0) += milli;
                    }
                    if let Step::Count { shop, counts } = &step {
                        for (v, counted) in counts {
                            prop_assert_eq!(
                                store.on_hand(variants[*v], shops[*shop]).unwrap(),
                                q(*counted),
                                "after a count, on-hand is what was counted"
                            );
                        }
                    }
                }
                Err(Error::Stock(_)) => {
                    prop_assert_eq!(after, before, "a refused step wrote something: {:?}", step);
                }
                Err(other) => prop_assert!(false, "{:?} failed underneath: {}", step, other),
            }

            let levels = cached_levels(&conn);
            prop_assert_eq!(&levels, &ledger_sums(&conn));
            prop_assert_eq!(&levels, &outbox_sums(&conn),
                "the outbox's signed movements add up to the same stock");
            for &variant in &variants {
                for &shop in &shops[..2] {
                    let on_hand = store.on_hand(variant, shop).unwrap().milli();
                    prop_assert_eq!(on_hand, history_sum(&store, variant, shop));
                    prop_assert_eq!(on_hand, modelled(&model, variant, shop));
                }
            }
        }
    }
}

#[test]
fn only_the_trigger_writes_the_level_cache() {
    // ARCHITECTURE.md: the cache cannot drift because no code writes it; the insert
    // trigger on the ledger is its only writer. A write added in Rust would break that.
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    let mut checked = 0;
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let folded = text
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase();
            for write in [
                "insert into stock_levels",
                "update stock_levels",
                "delete from stock_levels",
                "replace into stock_levels",
            ] {
                assert!(
                    !folded.contains(write),
                    "{} writes stock_levels ({write:?}); record a movement instead",
                    path.display()
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 5, "the source folder was not found");
}
