//! Staff, PINs, permissions and the audit log on real SQLite files in temporary folders.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use galla_core::staff::{StaffStatus, LOCK_MS};
use galla_core::store::STORE_FILE_NAME;
use galla_core::{
    Actor, AuditAction, AuditFilter, Error, Permission, PermissionError, PinError, Role,
    StaffError, Store,
};

const NOW: u64 = 1_763_700_000_000;
const OWNER_PIN: &str = "2580";
const CASHIER_PIN: &str = "1357";

struct Shop {
    dir: tempfile::TempDir,
    store: Store,
    owner: Actor,
}

/// A store after the first-start set-up, with Asha as its owner.
fn shop() -> Shop {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    let owner = store.create_first_owner("Asha", OWNER_PIN, NOW).unwrap();
    Shop { dir, store, owner }
}

impl Shop {
    fn add(&mut self, name: &str, role: Role, pin: &str) -> Actor {
        let member = self
            .store
            .add_staff(&self.owner, name, role, pin, NOW)
            .unwrap();
        self.store.unlock_with_pin(member.id, pin, NOW).unwrap()
    }

    fn reopen(self) -> Shop {
        let Shop { dir, store, owner } = self;
        drop(store);
        let store = Store::open_in(dir.path()).unwrap();
        Shop { dir, store, owner }
    }

    fn all_audit(&self) -> Vec<galla_core::AuditEntry> {
        self.store
            .audit_entries(&self.owner, &AuditFilter::default())
            .unwrap()
    }
}

/// Rows in `table`, read through a connection of its own so nothing the store caches
/// can hide what is on disk.
fn rows(dir: &Path, table: &str) -> i64 {
    let conn = rusqlite::Connection::open(dir.join(STORE_FILE_NAME)).unwrap();
    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

fn row_counts(dir: &Path) -> Vec<i64> {
    ["staff", "outbox", "audit_log", "field_clocks", "settings"]
        .iter()
        .map(|t| rows(dir, t))
        .collect()
}

fn pin_hash(dir: &Path, name: &str) -> String {
    let conn = rusqlite::Connection::open(dir.join(STORE_FILE_NAME)).unwrap();
    conn.query_row("SELECT pin_hash FROM staff WHERE name = ?1", [name], |r| {
        r.get(0)
    })
    .unwrap()
}

fn is_permission(result: &Result<impl std::fmt::Debug, Error>, role: Role, p: Permission) -> bool {
    matches!(result, Err(Error::Permission(e)) if *e == PermissionError { role, permission: p })
}

#[test]
fn first_start_makes_one_owner_and_only_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    assert_eq!(
        store.staff_count().unwrap(),
        0,
        "a new store has no staff: the app shows the owner set-up"
    );
    let weak = store.create_first_owner("Asha", "0000", NOW);
    assert!(
        matches!(
            weak,
            Err(Error::Staff(StaffError::WeakPin(
                PinError::OneDigitRepeated
            )))
        ),
        "{weak:?}"
    );
    assert_eq!(rows(dir.path(), "staff"), 0);

    let owner = store
        .create_first_owner("  Asha   Rao ", OWNER_PIN, NOW)
        .unwrap();
    assert_eq!(owner.role(), Role::Owner);
    assert_eq!(owner.name(), "Asha Rao");
    assert_eq!(store.staff_count().unwrap(), 1);

    let again = store.create_first_owner("Mallory", "9146", NOW);
    assert!(
        matches!(again, Err(Error::Staff(StaffError::AlreadySetUp))),
        "the set-up must not make a second owner behind the first one's back: {again:?}"
    );
    assert_eq!(store.staff_count().unwrap(), 1);
    let entries = store
        .audit_entries(&owner, &AuditFilter::default())
        .unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].known_action(), Some(AuditAction::StaffAdded));
    assert_eq!(entries[0].staff_id, Some(owner.staff_id()));
    assert_eq!(entries[0].reason.as_deref(), Some("first start"));
}

#[test]
fn an_owner_adds_a_cashier_who_can_sign_in() {
    let mut shop = shop();
    let ravi = shop
        .store
        .add_staff(&shop.owner, "Ravi", Role::Cashier, CASHIER_PIN, NOW)
        .unwrap();
    assert_eq!(
        (ravi.role, ravi.status),
        (Role::Cashier, StaffStatus::Active)
    );

    let actor = shop
        .store
        .unlock_with_pin(ravi.id, CASHIER_PIN, NOW + 1)
        .unwrap();
    assert_eq!(actor.staff_id(), ravi.id);
    assert_eq!(actor.role(), Role::Cashier);
    assert_eq!(actor.name(), "Ravi");

    let names: Vec<String> = shop
        .store
        .list_staff(false)
        .unwrap()
        .into_iter()
        .map(|m| m.name)
        .collect();
    assert_eq!(
        names,
        ["Asha", "Ravi"],
        "the PIN screen lists people by name"
    );
    assert_eq!(shop.store.staff_count().unwrap(), 2);

    let changes = shop.store.pending_changes().unwrap();
    let entry = changes
        .iter()
        .find(|c| c.key == ravi.id.to_string() && c.op == "create")
        .expect("adding a person must queue the change for sync");
    assert_eq!(entry.entity, "staff");
    assert_eq!(entry.payload["fields"]["role"], "cashier");
    assert_eq!(entry.payload["fields"]["status"], "active");
}

#[test]
fn a_cashier_cannot_manage_staff_and_nothing_is_written() {
    let mut shop = shop();
    let ravi = shop.add("Ravi", Role::Cashier, CASHIER_PIN);
    let meena = shop.add("Meena", Role::Manager, "4826");
    let before = row_counts(shop.dir.path());

    let add = shop
        .store
        .add_staff(&ravi, "Friend", Role::Owner, "9146", NOW + 1);
    assert!(
        is_permission(&add, Role::Cashier, Permission::ManageStaff),
        "{add:?}"
    );
    let message = add.unwrap_err().to_string();
    assert_eq!(message, "A cashier cannot manage staff. Ask the owner.");

    let promote = shop
        .store
        .change_role(&ravi, ravi.staff_id(), Role::Owner, NOW + 1);
    assert!(
        is_permission(&promote, Role::Cashier, Permission::ManageStaff),
        "a cashier must not promote themselves: {promote:?}"
    );
    let reset = shop
        .store
        .reset_pin(&ravi, shop.owner.staff_id(), "9146", NOW + 1);
    assert!(is_permission(
        &reset,
        Role::Cashier,
        Permission::ManageStaff
    ));
    let archive = shop
        .store
        .archive_staff(&ravi, shop.owner.staff_id(), NOW + 1);
    assert!(is_permission(
        &archive,
        Role::Cashier,
        Permission::ManageStaff
    ));
    let audit = shop.store.audit_entries(&ravi, &AuditFilter::default());
    assert!(is_permission(
        &audit,
        Role::Cashier,
        Permission::ViewAuditLog
    ));

    // A manager runs the shop but does not decide who works in it.
    let manager_add = shop
        .store
        .add_staff(&meena, "Friend", Role::Cashier, "9146", NOW + 1);
    assert!(is_permission(
        &manager_add,
        Role::Manager,
        Permission::ManageStaff
    ));
    let manager_promote = shop
        .store
        .change_role(&meena, meena.staff_id(), Role::Owner, NOW + 1);
    assert!(is_permission(
        &manager_promote,
        Role::Manager,
        Permission::ManageStaff
    ));

    assert_eq!(
        row_counts(shop.dir.path()),
        before,
        "a refused change must write no staff row, outbox entry, audit entry, field clock or clock stamp"
    );
    let roles: Vec<Role> = shop
        .store
        .list_staff(false)
        .unwrap()
        .into_iter()
        .map(|m| m.role)
        .collect();
    assert_eq!(roles, [Role::Owner, Role::Manager, Role::Cashier]);
}

#[test]
fn five_wrong_pins_lock_and_the_lock_expires() {
    let mut shop = shop();
    let ravi = shop.add("Ravi", Role::Cashier, CASHIER_PIN).staff_id();

    for left in (1..=4).rev() {
        let wrong = shop.store.unlock_with_pin(ravi, "9999", NOW + 10);
        assert!(
            matches!(wrong, Err(Error::Staff(StaffError::WrongPin { attempts_left })) if attempts_left == left),
            "expected {left} tries left: {wrong:?}"
        );
    }
    let fifth = shop.store.unlock_with_pin(ravi, "9999", NOW + 20);
    let until = NOW + 20 + LOCK_MS;
    assert!(
        matches!(
            fifth,
            Err(Error::Staff(StaffError::Locked { until_ms, minutes_left: 5 })) if until_ms == until
        ),
        "{fifth:?}"
    );
    assert!(fifth
        .unwrap_err()
        .to_string()
        .contains("Try again in 5 min"));

    // The count and the lock are on disk, so restarting the app does not lift it.
    let mut shop = shop.reopen();
    let listed = shop.store.staff_member(ravi).unwrap().unwrap();
    assert_eq!(listed.locked_until_ms, Some(until));
    let early = shop.store.unlock_with_pin(ravi, CASHIER_PIN, until - 1);
    assert!(
        matches!(
            early,
            Err(Error::Staff(StaffError::Locked {
                minutes_left: 1,
                ..
            }))
        ),
        "the right PIN must not open a lock early: {early:?}"
    );

    let actor = shop
        .store
        .unlock_with_pin(ravi, CASHIER_PIN, until)
        .unwrap();
    assert_eq!(actor.staff_id(), ravi);
    let after = shop.store.unlock_with_pin(ravi, "9999", until + 1);
    assert!(
        matches!(
            after,
            Err(Error::Staff(StaffError::WrongPin { attempts_left: 4 }))
        ),
        "a right PIN after the lock resets the count: {after:?}"
    );
}

#[test]
fn during_a_lock_the_right_and_a_wrong_pin_get_the_same_answer() {
    let mut shop = shop();
    let ravi = shop.add("Ravi", Role::Cashier, CASHIER_PIN).staff_id();
    for _ in 0..5 {
        let _ = shop.store.unlock_with_pin(ravi, "9999", NOW);
    }
    let right = shop
        .store
        .unlock_with_pin(ravi, CASHIER_PIN, NOW + 1_000)
        .unwrap_err()
        .to_string();
    let wrong = shop
        .store
        .unlock_with_pin(ravi, "8642", NOW + 1_000)
        .unwrap_err()
        .to_string();
    assert_eq!(
        right, wrong,
        "a locked PIN screen must not tell right from wrong"
    );
    let refused = shop
        .store
        .audit_entries(
            &shop.owner,
            &AuditFilter {
                action: Some(AuditAction::PinRefusedLocked),
                ..AuditFilter::default()
            },
        )
        .unwrap();
    assert_eq!(refused.len(), 2, "attempts during a lock are audited");
}

#[test]
fn pin_hashes_are_argon2id_phc_strings_never_the_pin() {
    let mut shop = shop();
    let pin = "25803691";
    shop.add("Ravi", Role::Cashier, pin);
    shop.add("Meena", Role::Cashier, pin);
    let ravi = pin_hash(shop.dir.path(), "Ravi");
    let meena = pin_hash(shop.dir.path(), "Meena");
    assert!(
        ravi.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "a PIN hash is an argon2id PHC string with the agreed cost: {ravi}"
    );
    assert!(!ravi.contains(pin));
    assert_ne!(ravi, meena, "every hash has its own salt");

    // Nothing else on disk holds the PIN either: not the outbox, not the audit log.
    let conn = rusqlite::Connection::open(shop.dir.path().join(STORE_FILE_NAME)).unwrap();
    let leaks: i64 = conn
        .query_row(
            "SELECT (SELECT count(*) FROM outbox WHERE instr(payload, ?1) > 0)
                  + (SELECT count(*) FROM audit_log
                     WHERE instr(coalesce(old_value, '') || coalesce(new_value, ''), ?1) > 0)",
            [pin],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(leaks, 0);
}

#[test]
fn weak_pins_and_bad_names_are_refused_and_write_nothing() {
    let mut shop = shop();
    let ravi = shop.add("Ravi", Role::Cashier, CASHIER_PIN).staff_id();
    let before = row_counts(shop.dir.path());

    let cases = [
        ("1111", PinError::OneDigitRepeated),
        ("1234", PinError::DigitsInARow),
        ("98", PinError::Length),
        ("12ab", PinError::NotDigits),
    ];
    for (pin, expected) in cases {
        let add = shop
            .store
            .add_staff(&shop.owner, "Kiran", Role::Cashier, pin, NOW);
        assert!(
            matches!(&add, Err(Error::Staff(StaffError::WeakPin(e))) if *e == expected),
            "{pin}: {add:?}"
        );
        let reset = shop.store.reset_pin(&shop.owner, ravi, pin, NOW);
        assert!(
            matches!(&reset, Err(Error::Staff(StaffError::WeakPin(e))) if *e == expected),
            "{pin}: {reset:?}"
        );
    }
    let nameless = shop
        .store
        .add_staff(&shop.owner, " \t ", Role::Cashier, "9146", NOW);
    assert!(matches!(
        nameless,
        Err(Error::Staff(StaffError::NameRequired))
    ));
    let long = shop
        .store
        .add_staff(&shop.owner, &"n".repeat(101), Role::Cashier, "9146", NOW);
    assert!(matches!(long, Err(Error::Staff(StaffError::NameTooLong))));

    assert_eq!(row_counts(shop.dir.path()), before);
    shop.store
        .unlock_with_pin(ravi, CASHIER_PIN, NOW)
        .expect("a refused reset must leave the old PIN working");
}

#[test]
fn the_audit_log_refuses_updates_and_deletes() {
    let mut shop = shop();
    shop.add("Ravi", Role::Cashier, CASHIER_PIN);
    let before = shop.all_audit();
    assert!(!before.is_empty());

    let conn = rusqlite::Connection::open(shop.dir.path().join(STORE_FILE_NAME)).unwrap();
    let update = conn.execute("UPDATE audit_log SET new_value = 'owner'", []);
    let update = update.expect_err("an audit entry must not be changed");
    assert!(update.to_string().contains("append-only"), "{update}");
    let delete = conn.execute("DELETE FROM audit_log", []);
    let delete = delete.expect_err("an audit entry must not be deleted");
    assert!(delete.to_string().contains("append-only"), "{delete}");
    drop(conn);

    assert_eq!(
        shop.all_audit(),
        before,
        "the refused statements changed nothing"
    );
}

#[test]
fn the_last_owner_cannot_be_demoted_or_archived() {
    let mut shop = shop();
    let asha = shop.owner.staff_id();
    let demote = shop
        .store
        .change_role(&shop.owner, asha, Role::Manager, NOW);
    assert!(
        matches!(demote, Err(Error::Staff(StaffError::LastOwner))),
        "{demote:?}"
    );
    let archive = shop.store.archive_staff(&shop.owner, asha, NOW);
    assert!(matches!(archive, Err(Error::Staff(StaffError::LastOwner))));
    assert_eq!(
        shop.store.staff_member(asha).unwrap().unwrap().role,
        Role::Owner
    );

    // With a second owner, the first may step down, and then loses owner rights at
    // once, even though the `Actor` she holds was made when she was an owner.
    let vikram = shop.add("Vikram", Role::Owner, "4826");
    let stepped_down = shop
        .store
        .change_role(&shop.owner, asha, Role::Manager, NOW + 1)
        .unwrap();
    assert_eq!(stepped_down.role, Role::Manager);
    let add = shop
        .store
        .add_staff(&shop.owner, "Kiran", Role::Cashier, "9146", NOW + 2);
    assert!(
        is_permission(&add, Role::Manager, Permission::ManageStaff),
        "{add:?}"
    );
    let last = shop
        .store
        .archive_staff(&vikram, vikram.staff_id(), NOW + 3);
    assert!(matches!(last, Err(Error::Staff(StaffError::LastOwner))));
}

#[test]
fn archived_staff_cannot_sign_in_or_act() {
    let mut shop = shop();
    let meena = shop.add("Meena", Role::Manager, "4826");
    let archived = shop
        .store
        .archive_staff(&shop.owner, meena.staff_id(), NOW + 1)
        .unwrap();
    assert_eq!(archived.status, StaffStatus::Archived);

    let sign_in = shop
        .store
        .unlock_with_pin(meena.staff_id(), "4826", NOW + 2);
    assert!(matches!(
        sign_in,
        Err(Error::Staff(StaffError::NotFound(_)))
    ));
    let act = shop.store.audit_entries(&meena, &AuditFilter::default());
    assert!(
        matches!(act, Err(Error::Staff(StaffError::NoLongerActive))),
        "an archived person still holding a session must be refused: {act:?}"
    );
    assert_eq!(shop.store.list_staff(false).unwrap().len(), 1);
    assert_eq!(
        shop.store.list_staff(true).unwrap().len(),
        2,
        "archiving keeps the row: sales still name who made them"
    );
    let again = shop
        .store
        .archive_staff(&shop.owner, meena.staff_id(), NOW + 3)
        .unwrap();
    assert_eq!(again.status, StaffStatus::Archived);
    let archives = shop
        .all_audit()
        .iter()
        .filter(|e| e.known_action() == Some(AuditAction::StaffArchived))
        .count();
    assert_eq!(archives, 1, "archiving twice records once");
}

#[test]
fn resetting_a_pin_lifts_a_lock() {
    let mut shop = shop();
    let ravi = shop.add("Ravi", Role::Cashier, CASHIER_PIN).staff_id();
    for _ in 0..5 {
        let _ = shop.store.unlock_with_pin(ravi, "9999", NOW);
    }
    shop.store
        .reset_pin(&shop.owner, ravi, "7531", NOW)
        .unwrap();
    let old = shop.store.unlock_with_pin(ravi, CASHIER_PIN, NOW + 1);
    assert!(
        matches!(
            old,
            Err(Error::Staff(StaffError::WrongPin { attempts_left: 4 }))
        ),
        "the reset lifts the lock and starts the count afresh: {old:?}"
    );
    shop.store.unlock_with_pin(ravi, "7531", NOW + 2).unwrap();
}

#[test]
fn hostile_pin_screen_input_gets_clear_errors() {
    let mut shop = shop();
    let ravi = shop.add("Ravi", Role::Cashier, CASHIER_PIN).staff_id();
    let stranger = galla_core::id::new_id();
    let unknown = shop.store.unlock_with_pin(stranger, CASHIER_PIN, NOW);
    assert!(matches!(unknown, Err(Error::Staff(StaffError::NotFound(id))) if id == stranger));

    let huge = "9".repeat(100_000);
    for text in ["", "abcd", "١٢٣٤", huge.as_str()] {
        let result = shop.store.unlock_with_pin(ravi, text, NOW);
        assert!(
            matches!(result, Err(Error::Staff(StaffError::WrongPin { .. }))),
            "what cannot be a PIN is a wrong PIN, counted like any other: {result:?}"
        );
    }
    let with_spaces = shop
        .store
        .unlock_with_pin(ravi, &format!(" {CASHIER_PIN}\n"), NOW);
    assert!(with_spaces.is_ok(), "{with_spaces:?}");
}

#[test]
fn the_audit_log_says_who_when_where_and_filters() {
    let mut shop = shop();
    let asha = shop.owner.staff_id();
    let t = |n: u64| NOW + n * 60_000;
    let ravi = shop
        .store
        .add_staff(&shop.owner, "Ravi", Role::Cashier, CASHIER_PIN, t(1))
        .unwrap()
        .id;
    let meena = shop
        .store
        .add_staff(&shop.owner, "Meena", Role::Cashier, "4826", t(2))
        .unwrap()
        .id;
    shop.store
        .change_role(&shop.owner, meena, Role::Manager, t(3))
        .unwrap();
    let _ = shop.store.unlock_with_pin(ravi, "9999", t(4));
    shop.store
        .reset_pin(&shop.owner, ravi, "7531", t(5))
        .unwrap();

    let all = shop.all_audit();
    let actions: Vec<&str> = all.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "pin_reset",
            "pin_wrong",
            "role_changed",
            "staff_added",
            "staff_added",
            "staff_added"
        ],
        "newest first"
    );

    let role_change = &all[2];
    assert_eq!(role_change.staff_id, Some(asha), "who");
    assert_eq!(role_change.staff_name.as_deref(), Some("Asha"));
    assert_eq!(role_change.at_ms, t(3), "when");
    assert_eq!(
        role_change.device_id,
        shop.store.device(),
        "on which counter"
    );
    assert_eq!(role_change.entity, "staff");
    assert_eq!(role_change.entity_id, Some(meena));
    assert_eq!(role_change.field.as_deref(), Some("role"));
    assert_eq!(role_change.old_value.as_deref(), Some("cashier"));
    assert_eq!(role_change.new_value.as_deref(), Some("manager"));

    let wrong = &all[1];
    assert_eq!(
        wrong.staff_id, None,
        "nobody was signed in at the PIN screen"
    );
    assert_eq!(wrong.entity_id, Some(ravi));
    assert_eq!(
        (wrong.old_value.as_deref(), wrong.new_value.as_deref()),
        (Some("0"), Some("1"))
    );

    let filter = |f: AuditFilter| -> Vec<String> {
        shop.store
            .audit_entries(&shop.owner, &f)
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .collect()
    };
    assert_eq!(
        filter(AuditFilter {
            action: Some(AuditAction::RoleChanged),
            ..AuditFilter::default()
        }),
        ["role_changed"]
    );
    assert_eq!(
        filter(AuditFilter {
            entity_id: Some(ravi),
            ..AuditFilter::default()
        }),
        ["pin_reset", "pin_wrong", "staff_added"]
    );
    assert_eq!(
        filter(AuditFilter {
            staff_id: Some(asha),
            ..AuditFilter::default()
        })
        .len(),
        5,
        "everything but the wrong PIN was done by Asha"
    );
    assert_eq!(
        filter(AuditFilter {
            from_ms: Some(t(2)),
            until_ms: Some(t(4)),
            ..AuditFilter::default()
        }),
        ["role_changed", "staff_added"],
        "from is inclusive, until exclusive"
    );
    assert_eq!(
        filter(AuditFilter {
            limit: 2,
            ..AuditFilter::default()
        }),
        ["pin_reset", "pin_wrong"]
    );

    let synced = shop
        .store
        .pending_changes()
        .unwrap()
        .into_iter()
        .filter(|c| c.entity == "audit" && c.op == "append")
        .count();
    assert_eq!(synced, all.len(), "every audit entry is queued for sync");
}

#[test]
fn everything_survives_reopening() {
    let mut shop = shop();
    let ravi = shop.add("Ravi", Role::Cashier, CASHIER_PIN).staff_id();
    shop.add("Meena", Role::Manager, "4826");
    let _ = shop.store.unlock_with_pin(ravi, "9999", NOW + 1);
    let staff = shop.store.list_staff(true).unwrap();
    let audit = shop.all_audit();
    let outbox = shop.store.pending_changes().unwrap();

    let mut shop = shop.reopen();
    assert_eq!(shop.store.list_staff(true).unwrap(), staff);
    assert_eq!(shop.all_audit(), audit);
    assert_eq!(shop.store.pending_changes().unwrap(), outbox);
    assert_eq!(shop.store.staff_count().unwrap(), 3);
    let wrong = shop.store.unlock_with_pin(ravi, "9999", NOW + 2);
    assert!(
        matches!(
            wrong,
            Err(Error::Staff(StaffError::WrongPin { attempts_left: 3 }))
        ),
        "the wrong-PIN count survives a restart: {wrong:?}"
    );
    let owner = shop
        .store
        .unlock_with_pin(shop.owner.staff_id(), OWNER_PIN, NOW + 3)
        .unwrap();
    assert_eq!(owner, shop.owner);
}

#[test]
fn a_file_from_before_staff_existed_gains_staff_and_keeps_its_products() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(STORE_FILE_NAME);
    let mut conn = rusqlite::Connection::open(&path).unwrap();
    // Version 1 is the last one whose products table holds prices directly.
    galla_core::store::migrations_for_tests::migrate_to(&mut conn, &path, 1).unwrap();
    conn.execute(
        "INSERT INTO products (id, name, price_minor, currency, sku, barcode, status, created_hlc, updated_hlc)
         VALUES (?1, 'Tea', 1000, 'INR', NULL, NULL, 'active', 'x', 'x')",
        [galla_core::id::new_id().to_string()],
    )
    .unwrap();
    drop(conn);

    let mut store = Store::open(&path).unwrap();
    assert_eq!(
        store.staff_count().unwrap(),
        0,
        "an upgraded shop starts with the owner set-up"
    );
    store.create_first_owner("Asha", OWNER_PIN, NOW).unwrap();
    assert_eq!(store.list_products(true).unwrap().len(), 1);
}
