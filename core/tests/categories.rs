//! Categories as a tree, on a real SQLite file.
#![allow(clippy::unwrap_used)]

use galla_core::{Actor, CatalogError, Error, Store};

const NOW: u64 = 1_763_700_000_000;

/// A new store and its first-start owner, who may manage the catalog. One owner per
/// store: PIN hashing is slow on purpose.
fn store_with_owner(dir: &std::path::Path) -> (Store, Actor) {
    let mut store = Store::open_in(dir).unwrap();
    let owner = store.create_first_owner("Asha", "2580", NOW).unwrap();
    (store, owner)
}

fn names(store: &Store) -> Vec<String> {
    store
        .categories()
        .unwrap()
        .into_iter()
        .map(|c| c.name)
        .collect()
}

#[test]
fn a_tree_lists_parents_before_children_and_siblings_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, owner) = store_with_owner(dir.path());
    let sarees = store.create_category(&owner, "Sarees", None, NOW).unwrap();
    store
        .create_category(&owner, "Silk", Some(sarees.id), NOW)
        .unwrap();
    store
        .create_category(&owner, "cotton", Some(sarees.id), NOW)
        .unwrap();
    store
        .create_category(&owner, "Dupattas", None, NOW)
        .unwrap();
    assert_eq!(names(&store), ["Dupattas", "Sarees", "cotton", "Silk"]);
    drop(store);
    let store = Store::open_in(dir.path()).unwrap();
    assert_eq!(names(&store).len(), 4, "the tree survives a restart");
}

#[test]
fn sibling_names_are_unique_but_cousins_may_share_one() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, owner) = store_with_owner(dir.path());
    let sarees = store.create_category(&owner, "Sarees", None, NOW).unwrap();
    let kurtas = store.create_category(&owner, "Kurtas", None, NOW).unwrap();
    store
        .create_category(&owner, "Silk", Some(sarees.id), NOW)
        .unwrap();
    store
        .create_category(&owner, "Silk", Some(kurtas.id), NOW)
        .unwrap();
    let clash = store.create_category(&owner, " silk ", Some(sarees.id), NOW);
    assert!(matches!(
        clash,
        Err(Error::Catalog(CatalogError::CategoryNameTaken(_)))
    ));
    let blank = store.create_category(&owner, "   ", None, NOW);
    assert!(matches!(
        blank,
        Err(Error::Catalog(CatalogError::CategoryNameInvalid))
    ));
}

#[test]
fn a_category_cannot_move_inside_itself() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, owner) = store_with_owner(dir.path());
    let a = store.create_category(&owner, "A", None, NOW).unwrap();
    let b = store.create_category(&owner, "B", Some(a.id), NOW).unwrap();
    let c = store.create_category(&owner, "C", Some(b.id), NOW).unwrap();
    for target in [a.id, c.id] {
        let moved = store.move_category(&owner, a.id, Some(target), NOW);
        assert!(
            matches!(moved, Err(Error::Catalog(CatalogError::CategoryCycle))),
            "{moved:?}"
        );
    }
    store.move_category(&owner, c.id, None, NOW).unwrap();
    assert_eq!(store.category_with_descendants(a.id).unwrap().len(), 2);
}

#[test]
fn only_leaves_can_be_archived_and_archived_ones_leave_the_tree() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, owner) = store_with_owner(dir.path());
    let a = store.create_category(&owner, "A", None, NOW).unwrap();
    let b = store.create_category(&owner, "B", Some(a.id), NOW).unwrap();
    let refused = store.archive_category(&owner, a.id, NOW);
    assert!(matches!(
        refused,
        Err(Error::Catalog(CatalogError::CategoryHasChildren(_)))
    ));
    store.archive_category(&owner, b.id, NOW).unwrap();
    store.archive_category(&owner, a.id, NOW).unwrap();
    assert!(names(&store).is_empty());
    store
        .create_category(&owner, "A", None, NOW)
        .expect("an archived name is free again");
    let entities: Vec<String> = store
        .pending_changes()
        .unwrap()
        .into_iter()
        .filter(|c| c.entity == "category")
        .map(|c| format!("{} {}", c.entity, c.op))
        .collect();
    assert_eq!(
        entities.len(),
        5,
        "every change is queued for sync: {entities:?}"
    );
}
