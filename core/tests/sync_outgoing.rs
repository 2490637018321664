//! The terminal's outgoing side of sync on real SQLite files: who each outbox entry is
//! from, the batches pushed, taking in the server's answers (and refusing answers that
//! do not match), renumbering after a restore, the clock shared by two handles on one
//! file, the digests "Verify" compares, and the link to the server.
#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use galla_core::id::Uuid;
use galla_core::pos::payment::{Method, Tender};
use galla_core::pos::shift::CashDirection;
use galla_core::pos::{Cart, CustomerForm};
use galla_core::store::OutboxEntry;
use galla_core::{
    Actor, AdjustmentReason, Currency, Error, ProductDraft, ProductFields, Quantity, Role, Store,
    StoreError, SyncLink, SyncLinkError, SyncReplyError,
};
use galla_sync_protocol::{
    document_digest, entity, record_digest, stored_entity, Change, EntityKind, Entry, EntryResult,
    EntryStatus, PushReply, ScopeSum, SCOPES,
};
use serde_json::json;

const NOW: u64 = 1_763_700_000_000;
const KURTA: &str = "8901030865237";

struct Shop {
    dir: tempfile::TempDir,
    store: Store,
    owner: Actor,
}

impl Shop {
    fn path(&self) -> PathBuf {
        self.dir.path().join("galla.sqlite3")
    }

    fn sql(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.path()).unwrap()
    }

    /// Closes the store, so the file alone (no write-ahead log) holds everything.
    fn close(self) -> (tempfile::TempDir, Actor) {
        drop(self.store);
        (self.dir, self.owner)
    }
}

fn shop() -> Shop {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    let owner = store.create_first_owner("Asha", "2580", NOW).unwrap();
    Shop { dir, store, owner }
}

fn product(store: &mut Store, actor: &Actor, name: &str, barcode: &str, at: u64) -> Uuid {
    let fields = ProductFields {
        name,
        price: "118",
        sku: "",
        barcode,
    };
    let draft = ProductDraft::parse(&fields, Currency::INR).unwrap();
    store.create_product(actor, &draft, at).unwrap().id
}

fn rename(store: &mut Store, actor: &Actor, id: Uuid, name: &str, at: u64) {
    let current = store.product(id).unwrap().unwrap();
    let fields = ProductFields {
        name,
        price: "118",
        sku: "",
        barcode: &current.variants[0].barcodes[0],
    };
    let draft = ProductDraft::parse(&fields, Currency::INR).unwrap();
    store.update_product(actor, id, &draft, at).unwrap();
}

fn sell(store: &mut Store, actor: &Actor, code: &str, at: u64) -> Uuid {
    let scanned = store.scan(code).unwrap();
    let mut cart = Cart::default();
    cart.add(scanned.item, scanned.quantity).unwrap();
    let cash = Tender {
        method: Method::Cash,
        amount_minor: 20_000,
        reference: None,
    };
    store.complete_sale(actor, &cart, &[cash], at).unwrap().id
}

fn cashier(store: &mut Store, owner: &Actor) -> Actor {
    let member = store
        .add_staff(owner, "Ravi", Role::Cashier, "1357", NOW)
        .unwrap();
    store.unlock_with_pin(member.id, "1357", NOW).unwrap()
}

fn answer(entries: &[Entry], statuses: &[EntryStatus]) -> PushReply {
    PushReply {
        results: entries
            .iter()
            .zip(statuses)
            .map(|(e, &status)| EntryResult {
                seq: e.seq,
                status,
                code: None,
                reason: None,
                current: None,
            })
            .collect(),
        last_seq: entries.last().map_or(0, |e| e.seq),
    }
}

fn all_applied(entries: &[Entry]) -> PushReply {
    answer(entries, &vec![EntryStatus::Applied; entries.len()])
}

fn seqs(store: &Store) -> Vec<u64> {
    store
        .outbox_batch(usize::MAX)
        .unwrap()
        .iter()
        .map(|e| e.seq)
        .collect()
}

fn reply_error(error: Error) -> SyncReplyError {
    match error {
        Error::Store(StoreError::SyncReply(e)) => e,
        other => panic!("expected a refused answer, got {other:?}"),
    }
}

#[test]
fn every_outbox_entry_carries_the_staff_member_who_made_it() {
    let mut s = shop();
    let owner = s.owner.staff_id();
    let setup = s.store.pending_changes().unwrap();
    assert_eq!(
        setup.iter().map(|e| e.entity.as_str()).collect::<Vec<_>>(),
        ["staff", "audit", "shop"],
        "the first owner makes themself, then the shop"
    );
    assert!(
        setup.iter().all(|e| e.staff_id == Some(owner)),
        "the first owner makes themself: {setup:?}"
    );

    let kurta = product(&mut s.store, &s.owner, "Kurta", KURTA, NOW);
    rename(&mut s.store, &s.owner, kurta, "Cotton kurta", NOW + 1);
    let ravi = cashier(&mut s.store, &s.owner);
    s.store.open_shift(&s.owner, "500", NOW + 2).unwrap();
    let before_sale = s.store.pending_changes().unwrap().len();
    sell(&mut s.store, &ravi, KURTA, NOW + 3);
    let after_sale = s.store.pending_changes().unwrap().len();
    let shop_id = s.store.current_shop(NOW).unwrap().id;
    let variant = s.store.product(kurta).unwrap().unwrap().variants[0].id;
    s.store
        .adjust_stock(
            variant,
            shop_id,
            Quantity::from_units(-1).unwrap(),
            Some(AdjustmentReason::Damaged),
            None,
            &s.owner,
            NOW + 4,
        )
        .unwrap();

    let all = s.store.pending_changes().unwrap();
    let by = |range: std::ops::Range<usize>| -> Vec<(String, Option<Uuid>)> {
        all[range]
            .iter()
            .map(|e| (e.entity.clone(), e.staff_id))
            .collect()
    };
    // The catalog edits, the cashier's enrolment, the shop made for the first shift and
    // the shift itself are the owner's.
    for (entity, staff) in by(2..before_sale) {
        assert_eq!(staff, Some(owner), "{entity}");
    }
    let sale = by(before_sale..after_sale);
    assert!(sale.iter().any(|(e, _)| e == "sale"));
    assert!(sale.iter().any(|(e, _)| e == "stock_movement"));
    for (entity, staff) in sale {
        assert_eq!(staff, Some(ravi.staff_id()), "the cashier's sale: {entity}");
    }
    let adjustment = by(after_sale..all.len());
    assert_eq!(adjustment.len(), 2, "the movement and its audit entry");
    for (entity, staff) in adjustment {
        assert_eq!(staff, Some(owner), "{entity}");
    }
    for entity in ["product", "variant", "barcode", "staff", "shop", "shift"] {
        assert!(
            all.iter().any(|e| e.entity == entity),
            "{entity} is among the entries"
        );
    }

    // The wire entries carry the same.
    let batch = s.store.outbox_batch(usize::MAX).unwrap();
    assert_eq!(batch.len(), all.len());
    for (wire, entry) in batch.iter().zip(&all) {
        assert_eq!(wire.staff_id, entry.staff_id);
        assert_eq!(wire.seq, u64::try_from(entry.seq).unwrap());
        assert_eq!(wire.hlc, entry.hlc.to_string());
        assert_eq!(wire.payload, entry.payload);
    }
    let stored: i64 = s
        .sql()
        .query_row(
            "SELECT count(*) FROM outbox WHERE staff_id IS NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(stored, 0);
}

#[test]
fn batches_are_the_oldest_entries_numbered_densely_from_one() {
    let mut s = shop();
    product(&mut s.store, &s.owner, "Kurta", KURTA, NOW);
    product(&mut s.store, &s.owner, "Pen", "", NOW + 1);
    let waiting = s.store.pending_changes().unwrap().len();
    assert!(waiting > 5);
    let three = s.store.outbox_batch(3).unwrap();
    assert_eq!(three.iter().map(|e| e.seq).collect::<Vec<_>>(), [1, 2, 3]);
    let all = s.store.outbox_batch(1000).unwrap();
    assert_eq!(
        all.iter().map(|e| e.seq).collect::<Vec<_>>(),
        (1..=waiting as u64).collect::<Vec<_>>()
    );
    assert_eq!(all[..3], three[..]);
    let mut ids: Vec<Uuid> = all.iter().map(|e| e.id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), waiting, "each entry has its own id");
    assert!(s.store.outbox_batch(0).unwrap().is_empty());
}

#[test]
fn an_answer_removes_the_entries_it_answers_and_keeps_the_rest() {
    let mut s = shop();
    product(&mut s.store, &s.owner, "Kurta", KURTA, NOW);
    let waiting = s.store.pending_changes().unwrap().len() as u64;
    let sent = s.store.outbox_batch(3).unwrap();
    let outcome = s
        .store
        .apply_push_reply(
            &sent,
            &answer(
                &sent,
                &[
                    EntryStatus::Applied,
                    EntryStatus::AlreadyApplied,
                    EntryStatus::Applied,
                ],
            ),
            NOW + 5,
        )
        .unwrap();
    assert_eq!(
        (outcome.applied, outcome.already_applied, outcome.rejected),
        (2, 1, 0)
    );
    assert_eq!(seqs(&s.store), (4..=waiting).collect::<Vec<_>>());
    let status = s.store.sync_status().unwrap();
    assert_eq!(status.pending, waiting - 3);
    assert_eq!(status.last_push_ms, Some(NOW + 5));
    assert_eq!(status.rejection_count, 0);

    // The rest go in the next push, and the next change follows them.
    let rest = s.store.outbox_batch(500).unwrap();
    s.store
        .apply_push_reply(&rest, &all_applied(&rest), NOW + 6)
        .unwrap();
    assert!(s.store.outbox_batch(500).unwrap().is_empty());
    product(&mut s.store, &s.owner, "Pen", "", NOW + 7);
    assert_eq!(seqs(&s.store)[0], waiting + 1);
}

#[test]
fn an_answer_that_does_not_match_the_push_changes_nothing() {
    let mut s = shop();
    product(&mut s.store, &s.owner, "Kurta", KURTA, NOW);
    let before = s.store.pending_changes().unwrap();
    let sent = s.store.outbox_batch(3).unwrap();

    let mut short = all_applied(&sent);
    short.results.pop();
    let mut long = all_applied(&sent);
    long.results.push(long.results[2].clone());
    let mut swapped = all_applied(&sent);
    swapped.results.swap(0, 1);
    let mut renumbered = all_applied(&sent);
    renumbered.results[2].seq = 40;
    for (reply, what) in [
        (&short, "too few answers"),
        (&long, "too many answers"),
        (&swapped, "answers out of order"),
        (&renumbered, "an answer for an entry not sent"),
    ] {
        let error = s.store.apply_push_reply(&sent, reply, NOW).unwrap_err();
        assert!(
            matches!(
                reply_error(error),
                SyncReplyError::WrongLength { .. } | SyncReplyError::WrongSeq { .. }
            ),
            "{what}"
        );
        assert_eq!(s.store.pending_changes().unwrap(), before, "{what}");
    }

    // An entry replaced by another under the same number (a restored copy) is not
    // the one answered.
    let mut other = sent.clone();
    other[1].id = galla_core::id::new_id();
    let error = s
        .store
        .apply_push_reply(&other, &all_applied(&other), NOW)
        .unwrap_err();
    assert_eq!(reply_error(error), SyncReplyError::NotWaiting { seq: 2 });
    assert_eq!(s.store.pending_changes().unwrap(), before);

    // The same answer taken in twice: the second time its entries are gone.
    let first = &sent[..2];
    s.store
        .apply_push_reply(first, &all_applied(first), NOW)
        .unwrap();
    let after_first = s.store.pending_changes().unwrap();
    let error = s
        .store
        .apply_push_reply(&sent, &all_applied(&sent), NOW)
        .unwrap_err();
    assert_eq!(reply_error(error), SyncReplyError::NotWaiting { seq: 1 });
    assert_eq!(s.store.pending_changes().unwrap(), after_first);
    let status = s.store.sync_status().unwrap();
    assert_eq!(status.rejection_count, 0);
    assert_eq!(
        status.last_push_ms,
        Some(NOW),
        "only the good answer counted"
    );
}

#[test]
fn rejected_entries_are_kept_and_shown() {
    let mut s = shop();
    product(&mut s.store, &s.owner, "Kurta", KURTA, NOW);
    let sent = s.store.outbox_batch(4).unwrap();
    let mut reply = answer(
        &sent,
        &[
            EntryStatus::Applied,
            EntryStatus::Rejected,
            EntryStatus::Applied,
            EntryStatus::Rejected,
        ],
    );
    reply.results[1].code = Some("forbidden".into());
    reply.results[1].reason = Some("Cashiers cannot change prices".into());
    let outcome = s.store.apply_push_reply(&sent, &reply, NOW + 9).unwrap();
    assert_eq!(outcome.rejected, 2);
    assert_eq!(outcome.applied, 2);
    assert_eq!(
        seqs(&s.store)[0],
        5,
        "rejected entries leave the outbox too"
    );

    let status = s.store.sync_status().unwrap();
    assert_eq!(status.rejection_count, 2);
    let shown: Vec<(u64, &str, &str, &str)> = status
        .rejections
        .iter()
        .map(|r| (r.seq, r.entity.as_str(), r.code.as_str(), r.reason.as_str()))
        .collect();
    assert_eq!(
        shown,
        [
            (4, sent[3].entity.as_str(), "rejected", "no reason given"),
            (
                2,
                sent[1].entity.as_str(),
                "forbidden",
                "Cashiers cannot change prices"
            ),
        ],
        "newest first"
    );
    assert_eq!(status.rejections[1].key, sent[1].key);
    assert_eq!(status.rejections[1].op, sent[1].op);
    assert_eq!(status.rejections[1].at_ms, NOW + 9);
}

#[test]
fn a_rejected_record_loses_only_the_stamps_it_wrote() {
    let mut s = shop();
    let kurta = product(&mut s.store, &s.owner, "Kurta", KURTA, NOW);
    rename(&mut s.store, &s.owner, kurta, "Cotton kurta", NOW + 1);
    let key = kurta.to_string();
    let clocks = |s: &Shop| -> BTreeMap<String, String> {
        let conn = s.sql();
        let mut stmt = conn
            .prepare(
                "SELECT field, hlc FROM field_clocks WHERE entity = 'product' AND entity_id = ?1",
            )
            .unwrap();
        stmt.query_map([&key], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let before = clocks(&s);
    let sent = s.store.outbox_batch(500).unwrap();
    let create = sent
        .iter()
        .position(|e| e.entity == "product" && e.op == "create")
        .unwrap();
    let update = sent
        .iter()
        .position(|e| e.entity == "product" && e.op == "update")
        .unwrap();
    let mut statuses = vec![EntryStatus::Applied; sent.len()];
    statuses[create] = EntryStatus::Rejected;
    let mut reply = answer(&sent, &statuses);
    // The server's state of the record comes back with the rejection.
    // The server's state of the record comes back with the rejection: the rename
    // (applied) and a description another device wrote, older than anything here.
    let other_device = format!("{:015}-{:010}-{}", NOW - 1_000, 0, "0".repeat(32));
    reply.results[create].current = Some(Change {
        cursor: 7,
        entity: "product".into(),
        key: key.clone(),
        data: json!({ "name": "Cotton kurta", "description": "Hand loom" }),
        clocks: Some(BTreeMap::from([
            ("name".to_owned(), sent[update].hlc.clone()),
            ("description".to_owned(), other_device.clone()),
        ])),
    });
    s.store.apply_push_reply(&sent, &reply, NOW + 2).unwrap();

    let after = clocks(&s);
    assert_eq!(before.len(), 8);
    // The rename came later and was applied: its stamp stays. Every field stamped only
    // by the rejected create loses its stamp, so the server's older value of one of
    // them now wins here.
    assert_eq!(
        after,
        BTreeMap::from([
            ("name".to_owned(), sent[update].hlc.clone()),
            ("description".to_owned(), other_device),
        ])
    );
    let product = s.store.product(kurta).unwrap().unwrap();
    assert_eq!(product.name, "Cotton kurta");
    assert_eq!(product.description, "Hand loom");
    // Other records' stamps of the same save are untouched.
    let variant_clocks: i64 = s
        .sql()
        .query_row(
            "SELECT count(*) FROM field_clocks WHERE entity = 'variant' AND hlc = ?1",
            [&sent[create].hlc],
            |r| r.get(0),
        )
        .unwrap();
    assert!(variant_clocks > 0);
    assert_eq!(s.store.sync_status().unwrap().rejection_count, 1);
    assert!(s.store.outbox_batch(500).unwrap().is_empty());
}

#[test]
fn the_servers_state_of_a_rejected_record_is_taken_even_if_it_names_one_not_here() {
    let mut s = shop();
    product(&mut s.store, &s.owner, "Kurta", KURTA, NOW);
    let sent = s.store.outbox_batch(500).unwrap();
    let barcode = sent.iter().position(|e| e.entity == "barcode").unwrap();
    let mut statuses = vec![EntryStatus::Applied; sent.len()];
    statuses[barcode] = EntryStatus::Rejected;
    let mut reply = answer(&sent, &statuses);
    // Another counter gave the code to a variant this one has not pulled yet.
    let elsewhere = galla_core::id::new_id().to_string();
    let stamp = format!("{:015}-{:010}-{}", NOW + 10, 0, "1".repeat(32));
    reply.results[barcode].code = Some("invalid_payload".into());
    reply.results[barcode].current = Some(Change {
        cursor: 3,
        entity: "barcode".into(),
        key: KURTA.into(),
        data: json!({
            "variant_id": elsewhere, "kind": "ean13", "generated": false, "status": "active"
        }),
        clocks: Some(
            ["variant_id", "kind", "generated", "status"]
                .into_iter()
                .map(|f| (f.to_owned(), stamp.clone()))
                .collect(),
        ),
    });
    s.store.apply_push_reply(&sent, &reply, NOW + 11).unwrap();
    let holder: String = s
        .sql()
        .query_row(
            "SELECT variant_id FROM barcodes WHERE code = ?1",
            [KURTA],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(holder, elsewhere);
    let status = s.store.sync_status().unwrap();
    assert_eq!(status.skipped, 0);
    assert_eq!(status.rejections[0].code, "invalid_payload");
}

/// Replaces the store file with `copy`, as restoring a backup would.
fn restore(dir: &Path, copy: &Path) {
    let file = dir.join("galla.sqlite3");
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(dir.join(format!("galla.sqlite3{suffix}")));
    }
    std::fs::copy(copy, file).unwrap();
}

#[test]
fn after_a_restore_the_waiting_entries_follow_the_servers_sequence() {
    let s = shop();
    let (dir, owner) = s.close();
    let mut store = Store::open_in(dir.path()).unwrap();
    // Everything so far reached the server.
    let sent = store.outbox_batch(500).unwrap();
    store
        .apply_push_reply(&sent, &all_applied(&sent), NOW)
        .unwrap();
    let mut server_last = sent.last().unwrap().seq;
    // A change waits; then the owner copies the file aside.
    product(&mut store, &owner, "Kurta", KURTA, NOW + 1);
    drop(store);
    let backup = tempfile::tempdir().unwrap();
    let copy = backup.path().join("copy.sqlite3");
    std::fs::copy(dir.path().join("galla.sqlite3"), &copy).unwrap();

    // Work goes on and reaches the server.
    let mut store = Store::open_in(dir.path()).unwrap();
    product(&mut store, &owner, "Pen", "", NOW + 2);
    let sent = store.outbox_batch(500).unwrap();
    store
        .apply_push_reply(&sent, &all_applied(&sent), NOW + 3)
        .unwrap();
    server_last = server_last.max(sent.last().unwrap().seq);
    drop(store);

    // The disk dies; the copy comes back, and the counter records one more change.
    restore(dir.path(), &copy);
    let mut store = Store::open_in(dir.path()).unwrap();
    let restored = store.outbox_batch(500).unwrap();
    product(&mut store, &owner, "Bag", "", NOW + 4);
    let waiting = store.outbox_batch(500).unwrap();
    assert!(
        waiting[0].seq <= server_last,
        "the copy reuses used numbers"
    );

    store.renumber_outbox(server_last).unwrap();
    let renumbered = store.outbox_batch(500).unwrap();
    assert_eq!(
        renumbered.iter().map(|e| e.seq).collect::<Vec<_>>(),
        (server_last + 1..=server_last + waiting.len() as u64).collect::<Vec<_>>()
    );
    assert_eq!(
        renumbered.iter().map(|e| e.id).collect::<Vec<_>>(),
        waiting.iter().map(|e| e.id).collect::<Vec<_>>(),
        "same entries, same order"
    );
    assert_eq!(renumbered[0].id, restored[0].id);
    let next = server_last + waiting.len() as u64 + 1;
    product(&mut store, &owner, "Cap", "", NOW + 5);
    assert_eq!(
        *seqs(&store).last().unwrap(),
        next - 1 + 3,
        "a product is 3 entries"
    );
    assert_eq!(
        seqs(&store),
        (server_last + 1..=next + 2).collect::<Vec<_>>(),
        "new entries follow on"
    );

    // Numbering down also works (the server holds fewer than the store thought),
    // and an empty outbox still moves the sequence.
    store.renumber_outbox(1).unwrap();
    let down = seqs(&store);
    assert_eq!(down, (2..2 + down.len() as u64).collect::<Vec<_>>());
    let sent = store.outbox_batch(500).unwrap();
    store
        .apply_push_reply(&sent, &all_applied(&sent), NOW + 6)
        .unwrap();
    store.renumber_outbox(1000).unwrap();
    product(&mut store, &owner, "Hat", "", NOW + 7);
    assert_eq!(seqs(&store)[0], 1001);
}

#[test]
fn a_second_handle_on_the_file_never_stamps_below_the_first() {
    let s = shop();
    let (dir, owner) = s.close();
    let mut counter = Store::open_in(dir.path()).unwrap();
    let mut sync = Store::open_in(dir.path()).unwrap();
    // The counter's clock runs ahead of the other handle's.
    let late = product(&mut counter, &owner, "Kurta", KURTA, NOW + 60_000);
    let early = product(&mut sync, &owner, "Pen", "", NOW);
    let stamp_of = |store: &Store, id: Uuid| {
        store
            .pending_changes()
            .unwrap()
            .into_iter()
            .find(|e| e.entity == "product" && e.key == id.to_string())
            .unwrap()
            .hlc
    };
    assert!(stamp_of(&sync, early) > stamp_of(&sync, late));

    // A stamp seen on the sync connection (saved there as the clock's last) is
    // passed by the counter's next change, whatever its wall clock says.
    let seen = format!(
        "{:015}-{:010}-{}",
        NOW + 120_000,
        7,
        counter.device().simple()
    );
    let conn = rusqlite::Connection::open(dir.path().join("galla.sqlite3")).unwrap();
    conn.execute(
        "UPDATE settings SET value = ?1 WHERE key = 'hlc_last'",
        [&seen],
    )
    .unwrap();
    let after = product(&mut counter, &owner, "Bag", "", NOW + 61_000);
    assert!(stamp_of(&counter, after).to_string() > seen);
}

/// What the server would hold after taking every waiting entry (none rejected), per
/// scope, from the entries themselves: a record's fields with the stamp of their last
/// write, a document's key.
fn digests_of_entries(entries: &[OutboxEntry]) -> Vec<galla_sync_protocol::ScopeDigest> {
    let mut records: BTreeMap<(String, String), HashMap<String, String>> = BTreeMap::new();
    let mut documents = Vec::new();
    for e in entries {
        let Some(spec) = stored_entity(&e.entity, &e.op) else {
            continue;
        };
        match spec.kind {
            EntityKind::Record => {
                let fields = records
                    .entry((e.entity.clone(), e.key.clone()))
                    .or_default();
                for name in e.payload["fields"].as_object().unwrap().keys() {
                    fields.insert(name.clone(), e.hlc.to_string());
                }
            }
            EntityKind::Document => documents.push((spec.name, e.key.clone())),
        }
    }
    let mut sums = vec![ScopeSum::default(); SCOPES.len()];
    let at = |entity_name: &str| {
        let scope = entity(entity_name).unwrap().scope;
        SCOPES.iter().position(|s| *s == scope).unwrap()
    };
    for ((name, key), fields) in &records {
        let digest = record_digest(
            name,
            key,
            fields.iter().map(|(f, h)| (f.as_str(), h.as_str())),
        );
        sums[at(name)].add(digest);
    }
    for (name, key) in &documents {
        sums[at(name)].add(document_digest(name, key));
    }
    SCOPES
        .iter()
        .zip(sums)
        .map(|(scope, sum)| sum.to_wire(scope))
        .collect()
}

#[test]
fn the_digests_are_the_protocols_over_what_the_store_holds() {
    let mut s = shop();
    let empty = s.store.scope_digests().unwrap();
    assert_eq!(
        empty.iter().map(|d| d.scope.as_str()).collect::<Vec<_>>(),
        SCOPES
    );
    let kurta = product(&mut s.store, &s.owner, "Kurta", KURTA, NOW);
    let ravi = cashier(&mut s.store, &s.owner);
    s.store
        .add_customer(
            &s.owner,
            &CustomerForm {
                name: "Meera".into(),
                phone: "9876543210".into(),
                gstin: String::new(),
            },
            NOW,
        )
        .unwrap();
    s.store.open_shift(&s.owner, "500", NOW + 1).unwrap();
    let sale = sell(&mut s.store, &ravi, KURTA, NOW + 2);
    s.store
        .cash_movement(&s.owner, CashDirection::Out, "50", "tea", NOW + 3)
        .unwrap();
    s.store
        .close_shift(&s.owner, &[(50_000, "1".into())], NOW + 4)
        .unwrap();

    let entries = s.store.pending_changes().unwrap();
    let mine = s.store.scope_digests().unwrap();
    assert_eq!(mine, digests_of_entries(&entries));
    for scope in &mine {
        assert!(scope.count > 0, "{} has rows in this test", scope.scope);
    }

    // A field written again changes its record's digest, and only its scope's.
    rename(&mut s.store, &s.owner, kurta, "Cotton kurta", NOW + 5);
    let renamed = s.store.scope_digests().unwrap();
    assert_eq!(
        renamed,
        digests_of_entries(&s.store.pending_changes().unwrap())
    );
    assert_ne!(renamed[0].digest, mine[0].digest);
    assert_eq!(renamed[0].count, mine[0].count);
    assert_eq!(renamed[1..], mine[1..]);

    // A document the server rejected is not counted: the server does not hold it.
    let sent = s.store.outbox_batch(500).unwrap();
    let rejected = sent.iter().position(|e| e.entity == "sale").unwrap();
    assert_eq!(sent[rejected].key, sale.to_string());
    let mut statuses = vec![EntryStatus::Applied; sent.len()];
    statuses[rejected] = EntryStatus::Rejected;
    s.store
        .apply_push_reply(&sent, &answer(&sent, &statuses), NOW + 6)
        .unwrap();
    let without: Vec<OutboxEntry> = entries.into_iter().filter(|e| e.entity != "sale").collect();
    let sales = SCOPES.iter().position(|s| *s == "sales").unwrap();
    let after = s.store.scope_digests().unwrap();
    assert_eq!(after[sales], digests_of_entries(&without)[sales]);
    assert_eq!(after[sales].count, mine[sales].count - 1);
}

#[test]
fn a_store_from_before_sync_opens_and_its_entries_name_nobody() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("galla.sqlite3");
    {
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        galla_core::store::migrations_for_tests::migrate_to(&mut conn, &path, 7).unwrap();
        conn.execute(
            "INSERT INTO outbox (id, entity, entity_id, op, hlc, payload)
             VALUES (?1, 'category', ?2, 'create', ?3, '{\"fields\":{\"name\":\"Old\"}}')",
            [
                galla_core::id::new_id().to_string(),
                galla_core::id::new_id().to_string(),
                format!("{:015}-{:010}-{}", NOW, 0, Uuid::nil().simple()),
            ],
        )
        .unwrap();
    }
    let mut store = Store::open(&path).unwrap();
    let old = store.outbox_batch(10).unwrap();
    assert_eq!(old.len(), 1);
    assert_eq!(old[0].seq, 1);
    assert_eq!(old[0].staff_id, None);
    assert_eq!(store.pending_changes().unwrap()[0].staff_id, None);
    let status = store.sync_status().unwrap();
    assert_eq!((status.pending, status.cursor), (1, 0));
    assert_eq!(status.link, None);
    let owner = store.create_first_owner("Asha", "2580", NOW).unwrap();
    let now = store.outbox_batch(10).unwrap();
    assert_eq!(now[1].seq, 2);
    assert_eq!(now[1].staff_id, Some(owner.staff_id()));
}

fn link(shop_id: Option<Uuid>) -> SyncLink {
    SyncLink {
        server_url: "https://sync.example.in".into(),
        business_id: galla_core::id::new_id(),
        business_name: "Anand Textiles".into(),
        business_slug: "anand".into(),
        device_name: "Counter 2".into(),
        shop_id,
    }
}

/// Two devices that both kept the default prefix would both print S1-C1-000001, and
/// the server would refuse the second sale.
#[test]
fn linking_gives_a_device_a_receipt_prefix_of_its_own_unless_one_was_chosen() {
    let mut a = shop();
    let mut b = shop();
    assert_eq!(a.store.pos_settings().unwrap().receipt_prefix, "S1-C1");
    a.store.link_to_server(&link(None)).unwrap();
    b.store.link_to_server(&link(None)).unwrap();
    let (pa, pb) = (
        a.store.pos_settings().unwrap().receipt_prefix,
        b.store.pos_settings().unwrap().receipt_prefix,
    );
    assert_ne!(pa, pb);
    let tail = a.store.device().simple().to_string().to_ascii_uppercase();
    assert_eq!(pa, format!("C-{}", &tail[tail.len() - 6..]));
    // Linking again keeps it; so does a prefix the owner chose before linking.
    a.store.link_to_server(&link(None)).unwrap();
    assert_eq!(a.store.pos_settings().unwrap().receipt_prefix, pa);
    let mut c = shop();
    let mut form = c
        .store
        .pos_settings()
        .unwrap()
        .to_form(galla_core::Currency::INR);
    form.receipt_prefix = "S2-C4".into();
    let owner = c.owner.clone();
    c.store.save_pos_settings(&owner, &form).unwrap().unwrap();
    c.store.link_to_server(&link(None)).unwrap();
    assert_eq!(c.store.pos_settings().unwrap().receipt_prefix, "S2-C4");
}

#[test]
fn the_link_and_the_sync_results_are_remembered() {
    let mut s = shop();
    assert_eq!(s.store.sync_link().unwrap(), None);
    assert_eq!(s.store.pull_cursor().unwrap(), 0);
    let shop_id = galla_core::id::new_id();
    let linked = link(Some(shop_id));
    s.store.link_to_server(&linked).unwrap();
    assert_eq!(s.store.sync_link().unwrap(), Some(linked.clone()));
    let works_in: String = s
        .sql()
        .query_row(
            "SELECT value FROM settings WHERE key = 'shop_id'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(works_in, shop_id.to_string());

    s.store
        .note_sync_result(Some("the server cannot be reached"), NOW)
        .unwrap();
    let status = s.store.sync_status().unwrap();
    assert_eq!(
        status.last_error.as_deref(),
        Some("the server cannot be reached")
    );
    assert_eq!(status.last_success_ms, None);
    s.store.note_sync_result(None, NOW + 1).unwrap();
    let status = s.store.sync_status().unwrap();
    assert_eq!(status.last_error, None);
    assert_eq!(status.last_success_ms, Some(NOW + 1));
    assert!(!status.revoked);
    s.store.note_revoked().unwrap();
    let status = s.store.sync_status().unwrap();
    assert!(status.revoked);
    assert_eq!(status.link, Some(linked));
    assert_eq!(
        status.pending,
        s.store.pending_changes().unwrap().len() as u64
    );
}

#[test]
fn a_counter_that_has_traded_in_its_own_shop_is_not_moved_to_another() {
    let mut s = shop();
    s.store.open_shift(&s.owner, "0", NOW).unwrap();
    let own = s.store.current_shop(NOW).unwrap().id;
    let error = s
        .store
        .link_to_server(&link(Some(galla_core::id::new_id())))
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::Store(StoreError::SyncLink(SyncLinkError::ShopInUse { .. }))
        ),
        "{error:?}"
    );
    assert!(error.to_string().contains("Main shop"), "{error}");
    assert_eq!(s.store.sync_link().unwrap(), None, "nothing was recorded");
    assert_eq!(s.store.current_shop(NOW).unwrap().id, own);
    // Its own shop, or none named, is fine.
    s.store.link_to_server(&link(Some(own))).unwrap();
    s.store.link_to_server(&link(None)).unwrap();
    assert_eq!(s.store.current_shop(NOW).unwrap().id, own);
    assert_eq!(s.store.sync_link().unwrap().unwrap().shop_id, None);
}

#[test]
fn what_was_queued_before_the_first_owner_follows_the_owner_and_names_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    // The default shop made before anyone could sign in.
    let shop = store.current_shop(1_795_242_600_000).unwrap();
    let owner = store
        .create_first_owner("Asha", "2580", 1_795_242_600_001)
        .unwrap();
    let batch = store.outbox_batch(100).unwrap();
    let seqs: Vec<u64> = batch.iter().map(|e| e.seq).collect();
    let expected: Vec<u64> = (1..=batch.len() as u64).collect();
    assert_eq!(seqs, expected, "still dense from 1");
    assert_eq!(
        batch[0].entity, "staff",
        "the owner comes first: {batch:#?}"
    );
    assert_eq!(batch[0].key, owner.staff_id().to_string());
    let shop_at = batch
        .iter()
        .position(|e| e.entity == "shop" && e.key == shop.id.to_string())
        .unwrap();
    assert!(shop_at > 0);
    assert!(batch.iter().all(|e| e.staff_id == Some(owner.staff_id())));
    // New entries continue after the moved ones.
    store
        .add_shop(&owner, "Park Street", 1_795_242_600_002)
        .unwrap();
    let last = store.outbox_batch(100).unwrap().last().unwrap().seq;
    assert_eq!(last, batch.len() as u64 + 1);
}
