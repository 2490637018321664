//! Is a pushed entry well formed? Entity and operation, key, clock stamp, and payload
//! (record fields from the allow-list with the right types; document payloads in
//! `documents`). Pure: nothing here reads the database; what needs it (who acts, which
//! shops exist) is in `authorize` and `apply`.

use galla_core::stock::MovementKind;
use galla_sync_protocol::{
    hlc_wall_ms, parse_address, parse_opening_hours, stored_entity, EntityKind, EntitySpec, Entry,
    MAX_ADDRESS_CHARS, MAX_CLOCK_AHEAD_MS,
};
use serde_json::{Map, Value};
use uuid::Uuid;

use super::documents::{check_document, Reader};

/// Why an entry is refused: a stable code and a sentence for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    pub code: &'static str,
    pub reason: String,
}

impl Rejection {
    pub fn new(code: &'static str, reason: impl Into<String>) -> Rejection {
        Rejection {
            code,
            reason: reason.into(),
        }
    }

    pub(super) fn payload(reason: impl Into<String>) -> Rejection {
        Rejection::new("invalid_payload", reason)
    }
}

/// A well-formed entry, ready to be authorized and applied.
#[derive(Debug)]
pub struct Checked<'a> {
    /// As stored and fed back (a shift's close is `shift_closing`).
    pub spec: &'static EntitySpec,
    pub key: &'a str,
    pub body: Body<'a>,
}

#[derive(Debug)]
pub enum Body<'a> {
    /// The fields an entry sets; all in the entity's allow-list, each of the right type.
    Record(&'a Map<String, Value>),
    /// The payload, stored as pushed, and what the server checks and derives from it.
    Document(&'a Value, Facts),
}

/// What the server reads out of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Facts {
    StockMovement {
        variant_id: Uuid,
        shop_id: Uuid,
        counterpart_shop_id: Option<Uuid>,
        quantity_milli: i64,
        kind: MovementKind,
        device_id: Uuid,
    },
    Sale {
        number: String,
        shop_id: Uuid,
        device_id: Uuid,
    },
    ShiftOpen {
        shop_id: Uuid,
        device_id: Uuid,
    },
    ShiftClose,
    CashMovement {
        shift_id: Uuid,
    },
    StoreCredit {
        device_id: Uuid,
    },
    Audit {
        device_id: Uuid,
    },
}

impl Facts {
    /// The device a document says it was made on, to be the pushing device.
    pub fn device_id(&self) -> Option<Uuid> {
        match self {
            Facts::StockMovement { device_id, .. }
            | Facts::Sale { device_id, .. }
            | Facts::ShiftOpen { device_id, .. }
            | Facts::StoreCredit { device_id }
            | Facts::Audit { device_id } => Some(*device_id),
            Facts::ShiftClose | Facts::CashMovement { .. } => None,
        }
    }
}

/// Checks everything about `entry` that needs no database.
pub fn check(entry: &Entry, now_ms: u64) -> Result<Checked<'_>, Rejection> {
    let spec = stored_entity(&entry.entity, &entry.op).ok_or_else(|| {
        Rejection::new(
            "unknown_entity",
            format!(
                "The server does not know entity {:?} with operation {:?}.",
                clip(&entry.entity),
                clip(&entry.op)
            ),
        )
    })?;
    check_clock(&entry.hlc, now_ms)?;
    check_key(spec, &entry.key)?;
    let body = match spec.kind {
        EntityKind::Record => Body::Record(check_record(spec, &entry.key, &entry.payload)?),
        EntityKind::Document => {
            no_nul(&entry.payload, spec.name)?;
            let payload = entry.payload.as_object().ok_or_else(|| {
                Rejection::payload(format!("A {} payload must be a JSON object.", spec.name))
            })?;
            let facts = check_document(spec.name, &entry.key, &Reader::new(spec.name, payload))?;
            Body::Document(&entry.payload, facts)
        }
    };
    Ok(Checked {
        spec,
        key: &entry.key,
        body,
    })
}

fn check_clock(hlc: &str, now_ms: u64) -> Result<(), Rejection> {
    let wall = hlc_wall_ms(hlc).ok_or_else(|| {
        Rejection::new(
            "invalid_clock",
            format!(
                "The clock stamp {:?} is not WWWWWWWWWWWWWWW-LLLLLLLLLL-<32 hex digits>.",
                clip(hlc)
            ),
        )
    })?;
    if wall > now_ms.saturating_add(MAX_CLOCK_AHEAD_MS) {
        let hours = (wall - now_ms) / 3_600_000;
        return Err(Rejection::new(
            "clock_ahead",
            format!(
                "The change is stamped about {hours} hours ahead of the server's clock. Check the date and time on the device that made it."
            ),
        ));
    }
    Ok(())
}

fn check_key(spec: &EntitySpec, key: &str) -> Result<(), Rejection> {
    let ok = match spec.name {
        "barcode" => {
            !key.is_empty() && key.len() <= 64 && key.bytes().all(|b| b.is_ascii_graphic())
        }
        "product_image" => key
            .split_once('/')
            .is_some_and(|(product, hash)| is_uuid(product) && is_sha256(hash)),
        _ => is_uuid(key),
    };
    if ok {
        Ok(())
    } else {
        let form = match spec.name {
            "barcode" => "the code itself (1 to 64 printable ASCII characters)",
            "product_image" => "the product id, a slash and the picture's SHA-256 in hex",
            _ => "an id: a UUID in lower-case hyphenated form",
        };
        Err(Rejection::payload(format!(
            "The key {:?} is not a {} key: it must be {form}.",
            clip(key),
            spec.name
        )))
    }
}

/// The type a record field must have.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Text,
    OptText,
    Id,
    OptId,
    /// Integer ≥ 0 (positions, sizes, prices).
    Count,
    OptCount,
    Flag,
    TextList,
    OneOf(&'static [&'static str]),
    Sha256,
    /// A shop's address (`galla_sync_protocol::parse_address`).
    Address,
    /// A shop's opening hours (`galla_sync_protocol::parse_opening_hours`).
    OpeningHours,
}

const ACTIVE_ARCHIVED: &[&str] = &["active", "archived"];
const ACTIVE_REMOVED: &[&str] = &["active", "removed"];

fn field_kind(entity: &str, field: &str) -> Option<Kind> {
    use Kind::*;
    Some(match (entity, field) {
        (_, "name") => Text,
        ("product", "description") => OptText,
        ("product", "category_id") => OptId,
        ("product", "tax_class" | "hsn_code") => OptText,
        ("product", "status") => OneOf(&["draft", "active", "archived"]),
        ("product", "show_on_storefront") => Flag,
        ("product", "option_names") => TextList,
        ("variant", "product_id") => Id,
        ("variant", "position") => Count,
        ("variant", "option_values") => TextList,
        ("variant", "sku") => OptText,
        ("variant", "price_minor") => Count,
        ("variant", "cost_minor") => OptCount,
        ("variant", "currency") => Text,
        ("category", "parent_id") => OptId,
        ("barcode", "variant_id") => Id,
        ("barcode", "kind") => Text,
        ("barcode", "generated") => Flag,
        ("barcode" | "product_image", "status") => OneOf(ACTIVE_REMOVED),
        ("product_image", "product_id") => Id,
        ("product_image", "hash") => Sha256,
        ("product_image", "position" | "width" | "height" | "byte_size") => Count,
        ("staff", "role") => OneOf(&["owner", "manager", "cashier"]),
        ("staff", "pin_hash") => Text,
        ("customer", "phone" | "gstin") => OptText,
        ("shop", "address") => Address,
        ("shop", "opening_hours") => OpeningHours,
        (_, "status") => OneOf(ACTIVE_ARCHIVED),
        _ => return None,
    })
}

fn check_record<'a>(
    spec: &EntitySpec,
    key: &str,
    payload: &'a Value,
) -> Result<&'a Map<String, Value>, Rejection> {
    let fields = payload
        .get("fields")
        .and_then(Value::as_object)
        .ok_or_else(|| {
            Rejection::payload(format!(
                "A {} entry's payload must be {{\"fields\": {{name: value, …}}}}.",
                spec.name
            ))
        })?;
    if fields.is_empty() {
        return Err(Rejection::payload(format!(
            "A {} entry must change at least one field.",
            spec.name
        )));
    }
    for (name, value) in fields {
        let kind = field_kind(spec.name, name)
            .filter(|_| spec.fields.contains(&name.as_str()))
            .ok_or_else(|| {
                Rejection::payload(format!(
                    "{} has no field {:?}; its fields are {}.",
                    spec.name,
                    clip(name),
                    spec.fields.join(", ")
                ))
            })?;
        if !fits(kind, value) {
            return Err(Rejection::payload(format!(
                "{}.{name} must be {}, not {}.",
                spec.name,
                describe(kind),
                shown(value)
            )));
        }
    }
    if spec.name == "product_image" {
        let (product, hash) = key.split_once('/').unwrap_or((key, ""));
        for (field, expected) in [("product_id", product), ("hash", hash)] {
            if let Some(value) = fields.get(field).and_then(Value::as_str) {
                if value != expected {
                    return Err(Rejection::payload(format!(
                        "product_image.{field} {value:?} does not match the key {key:?}."
                    )));
                }
            }
        }
    }
    Ok(fields)
}

fn fits(kind: Kind, value: &Value) -> bool {
    let text = |v: &Value| v.as_str().is_some_and(|s| !s.contains('\0'));
    match kind {
        Kind::Text => text(value),
        Kind::OptText => value.is_null() || text(value),
        Kind::Id => value.as_str().is_some_and(is_uuid),
        Kind::OptId => value.is_null() || value.as_str().is_some_and(is_uuid),
        Kind::Count => value.as_i64().is_some_and(|n| n >= 0),
        Kind::OptCount => value.is_null() || value.as_i64().is_some_and(|n| n >= 0),
        Kind::Flag => value.is_boolean(),
        Kind::TextList => value.as_array().is_some_and(|items| items.iter().all(text)),
        Kind::OneOf(allowed) => value.as_str().is_some_and(|s| allowed.contains(&s)),
        Kind::Sha256 => value.as_str().is_some_and(is_sha256),
        Kind::Address => value.as_str().is_some_and(|s| parse_address(s).is_ok()),
        Kind::OpeningHours => parse_opening_hours(value).is_ok(),
    }
}

fn describe(kind: Kind) -> String {
    match kind {
        Kind::Text => "text".into(),
        Kind::OptText => "text or null".into(),
        Kind::Id => "an id (a UUID)".into(),
        Kind::OptId => "an id (a UUID) or null".into(),
        Kind::Count => "a whole number, 0 or more".into(),
        Kind::OptCount => "a whole number, 0 or more, or null".into(),
        Kind::Flag => "true or false".into(),
        Kind::TextList => "an array of texts".into(),
        Kind::OneOf(allowed) => format!("one of {}", allowed.join(", ")),
        Kind::Sha256 => "a SHA-256 in lower-case hex".into(),
        Kind::Address => format!(
            "text of at most {MAX_ADDRESS_CHARS} characters with no control characters but line breaks"
        ),
        Kind::OpeningHours => {
            "a list of periods such as {\"day\": \"mon\", \"opens\": \"09:00\", \"closes\": \"18:00\"}, not overlapping".into()
        }
    }
}

/// Postgres cannot keep a NUL character in jsonb; refusing it here makes it this
/// entry's rejection rather than a failed batch.
fn no_nul(value: &Value, entity: &str) -> Result<(), Rejection> {
    let found = match value {
        Value::String(s) => s.contains('\0'),
        Value::Array(items) => return items.iter().try_for_each(|v| no_nul(v, entity)),
        Value::Object(map) => {
            if map.keys().any(|k| k.contains('\0')) {
                true
            } else {
                return map.values().try_for_each(|v| no_nul(v, entity));
            }
        }
        _ => false,
    };
    if found {
        Err(Rejection::payload(format!(
            "The {entity} payload holds a NUL character, which the server cannot store."
        )))
    } else {
        Ok(())
    }
}

/// A UUID in the protocol's form: hyphenated, lower case.
pub fn is_uuid(text: &str) -> bool {
    text.len() == 36 && Uuid::parse_str(text).is_ok_and(|id| id.hyphenated().to_string() == text)
}

fn is_sha256(text: &str) -> bool {
    text.len() == 64
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Client text quoted in a reason, kept short.
pub(super) fn clip(text: &str) -> String {
    let mut clipped: String = text.chars().take(60).collect();
    if clipped.len() < text.len() {
        clipped.push('…');
    }
    clipped
}

/// A JSON value quoted in a reason, kept short.
pub(super) fn shown(value: &Value) -> String {
    clip(&value.to_string())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    const NOW: u64 = 1_763_700_000_000;
    const DEVICE: &str = "0194f0e8-a1b2-7c3d-8e9f-0a1b2c3d4e5f";
    const SHOP: &str = "0194f0e8-a1b2-7c3d-8e9f-00000000000a";

    fn stamp(wall: u64) -> String {
        format!("{wall:015}-0000000000-0194f0e8a1b27c3d8e9f0a1b2c3d4e5f")
    }

    fn entry(entity: &str, op: &str, key: &str, payload: Value) -> Entry {
        Entry {
            seq: 1,
            id: Uuid::now_v7(),
            entity: entity.into(),
            key: key.into(),
            op: op.into(),
            hlc: stamp(NOW),
            staff_id: None,
            payload,
        }
    }

    fn code(entry: &Entry) -> &'static str {
        check(entry, NOW).unwrap_err().code
    }

    fn id() -> String {
        Uuid::now_v7().to_string()
    }

    fn movement(kind: &str, quantity: i64, reason: Value) -> Entry {
        let key = id();
        entry(
            "stock_movement",
            "append",
            &key,
            json!({"id": key, "variant_id": id(), "shop_id": SHOP, "quantity_milli": quantity,
                   "kind": kind, "reason": reason, "note": null, "document_id": null,
                   "counterpart_shop_id": null, "staff_id": null, "device_id": DEVICE,
                   "at_ms": NOW}),
        )
    }

    #[test]
    fn records_take_known_fields_of_the_right_type() {
        let key = id();
        let ok = entry(
            "variant",
            "update",
            &key,
            json!({"fields": {"price_minor": 45000, "cost_minor": null, "sku": "A-1"}}),
        );
        assert!(matches!(check(&ok, NOW).unwrap().body, Body::Record(_)));
        for fields in [
            json!({"price": 1}),
            json!({"price_minor": "45000"}),
            json!({"price_minor": 1.5}),
            json!({"price_minor": -1}),
            json!({"status": "deleted"}),
            json!({"product_id": "not-an-id"}),
            json!({"option_values": [1]}),
            json!({}),
        ] {
            let bad = entry("variant", "update", &key, json!({ "fields": fields }));
            assert_eq!(code(&bad), "invalid_payload", "{fields}");
        }
        let bad = entry("variant", "update", &key, json!({"price_minor": 1}));
        assert_eq!(code(&bad), "invalid_payload");
    }

    #[test]
    fn keys_have_the_entity_s_form() {
        let fields = json!({"fields": {"status": "active"}});
        assert_eq!(
            code(&entry("product", "create", "p1", fields.clone())),
            "invalid_payload"
        );
        let upper = id().to_uppercase();
        assert_eq!(
            code(&entry("product", "create", &upper, fields.clone())),
            "invalid_payload"
        );
        assert!(check(
            &entry("barcode", "upsert", "8901234567890", fields.clone()),
            NOW
        )
        .is_ok());
        assert_eq!(
            code(&entry("barcode", "upsert", "", fields.clone())),
            "invalid_payload"
        );
        let hash = "ab".repeat(32);
        let image = format!("{}/{hash}", id());
        let status = json!({"fields": {"status": "removed"}});
        assert!(check(
            &entry("product_image", "upsert", &image, status.clone()),
            NOW
        )
        .is_ok());
        let colon = image.replace('/', ":");
        assert_eq!(
            code(&entry("product_image", "upsert", &colon, status)),
            "invalid_payload"
        );
        let other = json!({"fields": {"product_id": id()}});
        assert_eq!(
            code(&entry("product_image", "upsert", &image, other)),
            "invalid_payload"
        );
    }

    #[test]
    fn unknown_pairs_and_bad_clocks_are_named() {
        let fields = json!({"fields": {"name": "x"}});
        assert_eq!(
            code(&entry("product", "append", &id(), fields.clone())),
            "unknown_entity"
        );
        assert_eq!(
            code(&entry("stock_threshold", "set", &id(), fields.clone())),
            "unknown_entity"
        );
        let mut bad = entry("product", "create", &id(), fields.clone());
        bad.hlc = "yesterday".into();
        assert_eq!(code(&bad), "invalid_clock");
        bad.hlc = stamp(NOW + MAX_CLOCK_AHEAD_MS + 1);
        assert_eq!(code(&bad), "clock_ahead");
        bad.hlc = stamp(NOW + MAX_CLOCK_AHEAD_MS);
        assert!(check(&bad, NOW).is_ok());
    }

    #[test]
    fn stock_movements_are_read_as_core_writes_them() {
        let ok = movement("receive", 10_000, Value::Null);
        match check(&ok, NOW).unwrap().body {
            Body::Document(_, Facts::StockMovement { quantity_milli, .. }) => {
                assert_eq!(quantity_milli, 10_000)
            }
            other => panic!("{other:?}"),
        }
        assert!(check(&movement("adjustment", -1000, json!("damaged")), NOW).is_ok());
        assert!(check(&movement("adjustment", 1000, json!("correction")), NOW).is_ok());
        for bad in [
            movement("receive", -1, Value::Null),
            movement("sale", 1000, Value::Null),
            movement("count", 0, Value::Null),
            movement("adjustment", 1000, json!("damaged")),
            movement("adjustment", 1000, Value::Null),
            movement("adjustment", 1000, json!("stolen")),
            movement("transfer_out", -1000, Value::Null),
            movement("teleport", 1000, Value::Null),
        ] {
            assert_eq!(code(&bad), "invalid_payload", "{}", bad.payload);
        }
        let mut other_id = movement("receive", 1, Value::Null);
        other_id.payload["id"] = json!(id());
        assert_eq!(code(&other_id), "invalid_payload");
    }

    #[test]
    fn documents_refuse_missing_and_mistyped_fields() {
        let shift = json!({"device_id": DEVICE, "shop_id": SHOP, "opened_by": id(),
                           "opened_at_ms": NOW, "float_minor": 50000});
        assert!(check(&entry("shift", "open", &id(), shift.clone()), NOW).is_ok());
        let mut no_shop = shift.clone();
        no_shop.as_object_mut().unwrap().remove("shop_id");
        assert_eq!(
            code(&entry("shift", "open", &id(), no_shop)),
            "invalid_payload"
        );
        let mut float = shift.clone();
        float["float_minor"] = json!(1.5);
        assert_eq!(
            code(&entry("shift", "open", &id(), float)),
            "invalid_payload"
        );
        assert_eq!(
            code(&entry("shift", "open", &id(), json!([1]))),
            "invalid_payload"
        );
        let mut nul = shift;
        nul["note"] = json!("a\u{0}b");
        assert_eq!(code(&entry("shift", "open", &id(), nul)), "invalid_payload");

        let close = json!({"closed_by": id(), "closed_at_ms": NOW,
                           "denominations": [{"value_minor": 50000, "count": 2}],
                           "report": {"sale_count": 3, "net_minor": 1200}});
        let close = entry("shift", "close", &id(), close);
        let checked = check(&close, NOW).unwrap();
        assert_eq!(checked.spec.name, "shift_closing");
    }
}
