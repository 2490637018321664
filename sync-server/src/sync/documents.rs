//! Document payloads, checked field by field as core's writers make them
//! (store/stock.rs `append_movement`, sales.rs `document_payload`, shifts.rs,
//! customers.rs, audit.rs), and the facts the server takes out of them. Pure.

use galla_core::stock::{AdjustmentDirection, AdjustmentReason, MovementKind};
use serde_json::{Map, Value};
use uuid::Uuid;

use super::validate::{is_uuid, shown, Facts, Rejection};

/// Typed reads of a document payload, each failure a sentence naming the field.
pub(super) struct Reader<'a> {
    entity: &'static str,
    map: &'a Map<String, Value>,
}

impl<'a> Reader<'a> {
    pub(super) fn new(entity: &'static str, map: &'a Map<String, Value>) -> Self {
        Reader { entity, map }
    }

    fn wrong(&self, field: &str, wanted: &str) -> Rejection {
        match self.map.get(field) {
            None => Rejection::payload(format!("{} needs {field} ({wanted}).", self.entity)),
            Some(value) => Rejection::payload(format!(
                "{}.{field} must be {wanted}, not {}.",
                self.entity,
                shown(value)
            )),
        }
    }

    /// Absent and null read alike, as core writes `null` for "none".
    fn present(&self, field: &str) -> Option<&'a Value> {
        self.map.get(field).filter(|v| !v.is_null())
    }

    fn id(&self, field: &str) -> Result<Uuid, Rejection> {
        self.opt_id(field)?
            .ok_or_else(|| self.wrong(field, "an id (a UUID)"))
    }

    fn opt_id(&self, field: &str) -> Result<Option<Uuid>, Rejection> {
        match self.present(field) {
            None => Ok(None),
            Some(value) => value
                .as_str()
                .filter(|s| is_uuid(s))
                .and_then(|s| Uuid::parse_str(s).ok())
                .map(Some)
                .ok_or_else(|| self.wrong(field, "an id (a UUID)")),
        }
    }

    fn int(&self, field: &str) -> Result<i64, Rejection> {
        self.present(field)
            .and_then(Value::as_i64)
            .ok_or_else(|| self.wrong(field, "a whole number"))
    }

    fn opt_int(&self, field: &str) -> Result<Option<i64>, Rejection> {
        match self.present(field) {
            None => Ok(None),
            Some(value) => value
                .as_i64()
                .map(Some)
                .ok_or_else(|| self.wrong(field, "a whole number or null")),
        }
    }

    fn time(&self, field: &str) -> Result<i64, Rejection> {
        self.present(field)
            .and_then(Value::as_i64)
            .filter(|n| *n >= 0)
            .ok_or_else(|| self.wrong(field, "Unix milliseconds"))
    }

    fn text(&self, field: &str) -> Result<&'a str, Rejection> {
        self.present(field)
            .and_then(Value::as_str)
            .filter(|s| !s.trim().is_empty())
            .ok_or_else(|| self.wrong(field, "text"))
    }

    fn opt_text(&self, field: &str) -> Result<Option<&'a str>, Rejection> {
        match self.present(field) {
            None => Ok(None),
            Some(value) => value
                .as_str()
                .map(Some)
                .ok_or_else(|| self.wrong(field, "text or null")),
        }
    }

    fn flag(&self, field: &str) -> Result<bool, Rejection> {
        self.present(field)
            .and_then(Value::as_bool)
            .ok_or_else(|| self.wrong(field, "true or false"))
    }

    fn one_of(&self, field: &str, allowed: &[&str]) -> Result<&'a str, Rejection> {
        self.present(field)
            .and_then(Value::as_str)
            .filter(|s| allowed.contains(s))
            .ok_or_else(|| self.wrong(field, &format!("one of {}", allowed.join(", "))))
    }

    fn array(&self, field: &str) -> Result<&'a Vec<Value>, Rejection> {
        self.present(field)
            .and_then(Value::as_array)
            .ok_or_else(|| self.wrong(field, "an array"))
    }

    fn object(&self, field: &str) -> Result<Reader<'a>, Rejection> {
        self.present(field)
            .and_then(Value::as_object)
            .map(|map| Reader::new(self.entity, map))
            .ok_or_else(|| self.wrong(field, "an object"))
    }

    /// Each element of an array field read as an object.
    fn items(&self, field: &str) -> Result<Vec<Reader<'a>>, Rejection> {
        self.array(field)?
            .iter()
            .map(|item| {
                item.as_object()
                    .map(|map| Reader::new(self.entity, map))
                    .ok_or_else(|| {
                        Rejection::payload(format!(
                            "{}.{field} must hold objects, not {}.",
                            self.entity,
                            shown(item)
                        ))
                    })
            })
            .collect()
    }
}

pub(super) fn check_document(entity: &str, key: &str, p: &Reader<'_>) -> Result<Facts, Rejection> {
    match entity {
        "stock_movement" => stock_movement(key, p),
        "sale" => sale(p),
        "shift" => {
            p.id("opened_by")?;
            p.time("opened_at_ms")?;
            if p.int("float_minor")? < 0 {
                return Err(Rejection::payload("shift.float_minor cannot be negative."));
            }
            Ok(Facts::ShiftOpen {
                shop_id: p.id("shop_id")?,
                device_id: p.id("device_id")?,
            })
        }
        "shift_closing" => {
            p.id("closed_by")?;
            p.time("closed_at_ms")?;
            for denomination in p.items("denominations")? {
                denomination.int("value_minor")?;
                denomination.int("count")?;
            }
            let report = p.object("report")?;
            for (field, value) in report.map {
                if !value.is_null() && value.as_i64().is_none() {
                    return Err(report.wrong(field, "a whole number"));
                }
            }
            Ok(Facts::ShiftClose)
        }
        "cash_movement" => {
            p.one_of("kind", &["in", "out"])?;
            if p.int("amount_minor")? <= 0 {
                return Err(Rejection::payload(
                    "cash_movement.amount_minor must be more than 0 (kind says which way).",
                ));
            }
            p.opt_text("reason")?;
            p.opt_id("staff_id")?;
            p.time("at_ms")?;
            Ok(Facts::CashMovement {
                shift_id: p.id("shift_id")?,
            })
        }
        "store_credit" => {
            p.id("customer_id")?;
            if p.int("amount_minor")? == 0 {
                return Err(Rejection::payload("store_credit.amount_minor cannot be 0."));
            }
            p.id("document_id")?;
            p.time("at_ms")?;
            Ok(Facts::StoreCredit {
                device_id: p.id("device_id")?,
            })
        }
        "audit" => {
            p.time("at_ms")?;
            p.opt_id("staff_id")?;
            p.text("action")?;
            p.text("entity")?;
            for field in ["entity_id", "field", "old_value", "new_value", "reason"] {
                p.opt_text(field)?;
            }
            Ok(Facts::Audit {
                device_id: p.id("device_id")?,
            })
        }
        // Every document of the protocol's table is handled above; a new one must be
        // taught to the server before it is accepted.
        other => Err(Rejection::new(
            "unknown_entity",
            format!("The server cannot check {other} documents yet."),
        )),
    }
}

fn stock_movement(key: &str, p: &Reader<'_>) -> Result<Facts, Rejection> {
    if p.id("id")?.to_string() != key {
        return Err(Rejection::payload(format!(
            "stock_movement.id does not match the key {key:?}."
        )));
    }
    let kinds: Vec<&str> = MovementKind::ALL.iter().map(|k| k.as_str()).collect();
    let kind = MovementKind::parse(p.one_of("kind", &kinds)?)
        .ok_or_else(|| p.wrong("kind", "a movement kind"))?;
    let quantity_milli = p.int("quantity_milli")?;
    let reasons: Vec<&str> = AdjustmentReason::ALL.iter().map(|r| r.as_str()).collect();
    let reason = match p.present("reason") {
        None => None,
        Some(_) => AdjustmentReason::parse(p.one_of("reason", &reasons)?),
    };
    // The sign each kind can have, as core makes them; adjustments follow their reason.
    let sign_ok = match kind {
        MovementKind::Receive | MovementKind::Return | MovementKind::TransferIn => {
            quantity_milli > 0
        }
        MovementKind::Sale | MovementKind::TransferOut => quantity_milli < 0,
        MovementKind::Count => quantity_milli != 0,
        MovementKind::Adjustment => match reason.map(|r| r.direction()) {
            None => false,
            Some(AdjustmentDirection::Down) => quantity_milli < 0,
            Some(AdjustmentDirection::Up) => quantity_milli > 0,
            Some(AdjustmentDirection::Either) => quantity_milli != 0,
        },
    };
    if !sign_ok {
        return Err(Rejection::payload(format!(
            "A {} movement of {quantity_milli} thousandths is not possible{}.",
            kind.as_str(),
            if kind == MovementKind::Adjustment {
                " with this reason (an adjustment needs one, and its sign must fit it)"
            } else {
                " (check its sign; 0 never moves)"
            }
        )));
    }
    let counterpart_shop_id = p.opt_id("counterpart_shop_id")?;
    let transfer = matches!(kind, MovementKind::TransferOut | MovementKind::TransferIn);
    if transfer && counterpart_shop_id.is_none() {
        return Err(p.wrong("counterpart_shop_id", "the other shop's id, for a transfer"));
    }
    p.opt_text("note")?;
    p.opt_id("document_id")?;
    p.opt_id("staff_id")?;
    p.time("at_ms")?;
    Ok(Facts::StockMovement {
        variant_id: p.id("variant_id")?,
        shop_id: p.id("shop_id")?,
        counterpart_shop_id,
        quantity_milli,
        kind,
        device_id: p.id("device_id")?,
    })
}

fn sale(p: &Reader<'_>) -> Result<Facts, Rejection> {
    let number = p.text("number")?;
    if number.chars().count() > 64 {
        return Err(Rejection::payload(
            "sale.number is longer than 64 characters.",
        ));
    }
    let kind = p.one_of("kind", &["sale", "return"])?;
    let original = p.opt_text("original_number")?;
    if kind == "return" && original.is_none() {
        return Err(p.wrong("original_number", "the number of the sale returned"));
    }
    p.id("shift_id")?;
    p.id("staff_id")?;
    p.opt_id("customer_id")?;
    p.time("at_ms")?;
    let currency = p.text("currency")?;
    if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(p.wrong("currency", "a three-letter currency code such as INR"));
    }
    p.flag("inter_state")?;
    p.flag("prices_include_tax")?;
    let lines = p.items("lines")?;
    if lines.is_empty() {
        return Err(Rejection::payload("A sale needs at least one line."));
    }
    for line in &lines {
        line.id("line_id")?;
        line.id("variant_id")?;
        line.text("name")?;
        line.opt_text("hsn")?;
        line.opt_text("price_source")?;
        for field in [
            "quantity_milli",
            "unit_price_minor",
            "gross_minor",
            "discount_minor",
            "taxable_minor",
            "tax_minor",
            "total_minor",
        ] {
            line.int(field)?;
        }
    }
    let totals = p.object("totals")?;
    for field in [
        "gross_minor",
        "discount_minor",
        "taxable_minor",
        "tax_minor",
        "total_minor",
        "rounding_minor",
        "grand_total_minor",
        "change_minor",
    ] {
        totals.int(field)?;
    }
    for payment in p.items("payments")? {
        payment.text("method")?;
        payment.int("amount_minor")?;
        payment.opt_int("tendered_minor")?;
        payment.opt_text("reference")?;
    }
    Ok(Facts::Sale {
        number: number.to_owned(),
        shop_id: p.id("shop_id")?,
        device_id: p.id("device_id")?,
    })
}
