//! What may be synced: every entity a terminal pushes, whether it merges per field (a
//! record) or is appended once and never changed (a document), the operations it comes
//! with, and the scope it is verified in.

/// How the server and the terminals combine changes to one entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntityKind {
    /// Merged per field, last writer wins by clock stamp (SYNC.md rule 5). Entries carry
    /// `{"fields": {name: value}}`; the feed carries the merged state with a stamp per
    /// field.
    Record,
    /// Written once and never changed (rule 4). The first entry with an id wins; the
    /// feed carries the payload as it was pushed.
    Document,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntitySpec {
    pub name: &'static str,
    pub kind: EntityKind,
    /// The verification scope (see [`SCOPES`]).
    pub scope: &'static str,
    /// Operations a terminal may send for it.
    pub ops: &'static [&'static str],
    /// For records, the fields an entry may set. Documents list nothing here: their
    /// payloads are checked by the server per entity.
    pub fields: &'static [&'static str],
}

const RECORD_OPS: &[&str] = &["create", "update", "upsert"];
const APPEND: &[&str] = &["append"];

/// Every syncable entity. An entity not listed here is rejected by the server with
/// `unknown_entity`; terminals skip feed entries of entities they do not know.
pub const ENTITIES: &[EntitySpec] = &[
    record(
        "product",
        "catalog",
        &[
            "name",
            "description",
            "category_id",
            "tax_class",
            "hsn_code",
            "status",
            "show_on_storefront",
            "option_names",
        ],
    ),
    record(
        "variant",
        "catalog",
        &[
            "product_id",
            "position",
            "option_values",
            "sku",
            "price_minor",
            "cost_minor",
            "currency",
            "status",
        ],
    ),
    record("category", "catalog", &["name", "parent_id", "status"]),
    record(
        "barcode",
        "catalog",
        &["variant_id", "kind", "generated", "status"],
    ),
    record(
        "product_image",
        "catalog",
        &[
            "product_id",
            "hash",
            "position",
            "width",
            "height",
            "byte_size",
            "status",
        ],
    ),
    record(
        "shop",
        "shops",
        &["name", "status", "address", "opening_hours"],
    ),
    record("staff", "people", &["name", "role", "pin_hash", "status"]),
    record("customer", "people", &["name", "phone", "gstin", "status"]),
    document("stock_movement", "stock", APPEND),
    document("sale", "sales", APPEND),
    // A shift is opened by one entry ("open") and closed by another ("close"); each is
    // its own document (see `stored_entity`).
    document("shift", "sales", &["open"]),
    document("shift_closing", "sales", &[]),
    document("cash_movement", "sales", APPEND),
    document("store_credit", "sales", APPEND),
    document("audit", "audit", APPEND),
];

/// The verification scopes, in the order the server reports them.
pub const SCOPES: &[&str] = &["catalog", "shops", "people", "stock", "sales", "audit"];

const fn record(
    name: &'static str,
    scope: &'static str,
    fields: &'static [&'static str],
) -> EntitySpec {
    EntitySpec {
        name,
        kind: EntityKind::Record,
        scope,
        ops: RECORD_OPS,
        fields,
    }
}

const fn document(
    name: &'static str,
    scope: &'static str,
    ops: &'static [&'static str],
) -> EntitySpec {
    EntitySpec {
        name,
        kind: EntityKind::Document,
        scope,
        ops,
        fields: &[],
    }
}

pub fn entity(name: &str) -> Option<&'static EntitySpec> {
    ENTITIES.iter().find(|e| e.name == name)
}

/// The entity an entry of (`entity`, `op`) is stored and fed back as, or `None` when
/// that pair is not part of the protocol. Only a shift's "close" differs: it becomes a
/// `shift_closing` document with the shift's id as its key.
pub fn stored_entity(entity: &str, op: &str) -> Option<&'static EntitySpec> {
    if entity == "shift" && op == "close" {
        return self::entity("shift_closing");
    }
    self::entity(entity).filter(|spec| spec.ops.contains(&op))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entity_has_a_known_scope_and_a_unique_name() {
        for (i, e) in ENTITIES.iter().enumerate() {
            assert!(SCOPES.contains(&e.scope), "{}", e.name);
            assert!(ENTITIES[..i].iter().all(|o| o.name != e.name), "{}", e.name);
            assert_eq!(
                e.kind == EntityKind::Record,
                !e.fields.is_empty(),
                "{}",
                e.name
            );
        }
    }

    #[test]
    fn a_shift_close_is_stored_as_its_own_document() {
        assert_eq!(
            stored_entity("shift", "open").map(|e| e.name),
            Some("shift")
        );
        assert_eq!(
            stored_entity("shift", "close").map(|e| e.name),
            Some("shift_closing")
        );
        assert_eq!(stored_entity("shift_closing", "append"), None);
        assert_eq!(stored_entity("product", "append"), None);
        assert_eq!(
            stored_entity("sale", "append").map(|e| e.name),
            Some("sale")
        );
        assert_eq!(stored_entity("nothing", "create"), None);
    }
}
