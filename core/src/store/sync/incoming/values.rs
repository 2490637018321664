//! Reading feed values. The feed comes from the network: every value is checked for
//! the type and form the local tables and their readers expect, and anything else
//! makes the change unusable (skipped and noted), never a panic or a failed page.

use galla_sync_protocol::{parse_address, parse_opening_hours};
use rusqlite::types::Value as SqlValue;
use rusqlite::ErrorCode;
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::store::StoreError;

/// Why one change was not applied.
#[derive(Debug)]
pub(super) enum Refusal {
    /// The change cannot be applied here: a missing or mistyped value, a broken CHECK.
    Unusable(String),
    /// A UNIQUE column already holds the value on another row (a SKU, a barcode, a
    /// receipt number). Another change of the same page may free it, so it is retried.
    Clash(String),
    /// The store itself failed: the whole page must not commit.
    Failed(StoreError),
}

impl From<rusqlite::Error> for Refusal {
    fn from(e: rusqlite::Error) -> Refusal {
        match &e {
            rusqlite::Error::SqliteFailure(failure, message)
                if failure.code == ErrorCode::ConstraintViolation =>
            {
                let text = message.clone().unwrap_or_else(|| e.to_string());
                if failure.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                    || failure.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
                {
                    Refusal::Clash(text)
                } else {
                    Refusal::Unusable(text)
                }
            }
            _ => Refusal::Failed(StoreError::Sqlite(e)),
        }
    }
}

impl From<StoreError> for Refusal {
    fn from(e: StoreError) -> Refusal {
        match e {
            StoreError::Sqlite(e) => Refusal::from(e),
            other => Refusal::Failed(other),
        }
    }
}

pub(super) fn unusable(text: impl Into<String>) -> Refusal {
    Refusal::Unusable(text.into())
}

/// The hyphenated lower-case form every local table stores ids in, whatever form the
/// sender used, so joins on ids keep working.
pub(super) fn parse_id(text: &str) -> Option<String> {
    Uuid::try_parse(text).ok().map(|id| id.to_string())
}

/// The largest value SQLite text stamps and `HlcStamp` parsing allow for a time
/// (15 digits of milliseconds).
const MAX_MS: i64 = 999_999_999_999_999;

/// The named fields of a document payload, read with the entity's name in every
/// complaint so a `sync_skipped` row says what was wrong.
pub(super) struct Payload<'a> {
    what: &'static str,
    data: &'a Map<String, Value>,
}

impl<'a> Payload<'a> {
    pub(super) fn new(what: &'static str, data: &'a Value) -> Result<Payload<'a>, Refusal> {
        match data.as_object() {
            Some(data) => Ok(Payload { what, data }),
            None => Err(unusable(format!("{what}: the payload is not an object"))),
        }
    }

    fn value(&self, name: &str) -> Option<&'a Value> {
        self.data.get(name).filter(|v| !v.is_null())
    }

    fn wrong(&self, name: &str, expected: &str) -> Refusal {
        let state = if self.value(name).is_some() {
            "is not"
        } else {
            "is missing; it must be"
        };
        unusable(format!("{}: {name} {state} {expected}", self.what))
    }

    pub(super) fn object(&self, name: &str) -> Result<Payload<'a>, Refusal> {
        match self.value(name).and_then(Value::as_object) {
            Some(data) => Ok(Payload {
                what: self.what,
                data,
            }),
            None => Err(self.wrong(name, "an object")),
        }
    }

    pub(super) fn array(&self, name: &str) -> Result<&'a Vec<Value>, Refusal> {
        self.value(name)
            .and_then(Value::as_array)
            .ok_or_else(|| self.wrong(name, "a list"))
    }

    pub(super) fn raw(&self, name: &str) -> Option<&'a Value> {
        self.value(name)
    }

    pub(super) fn text(&self, name: &str) -> Result<String, Refusal> {
        self.value(name)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| self.wrong(name, "text"))
    }

    pub(super) fn opt_text(&self, name: &str) -> Result<Option<String>, Refusal> {
        match self.value(name) {
            None => Ok(None),
            Some(v) => v
                .as_str()
                .map(|s| Some(s.to_owned()))
                .ok_or_else(|| self.wrong(name, "text")),
        }
    }

    pub(super) fn id(&self, name: &str) -> Result<String, Refusal> {
        self.value(name)
            .and_then(Value::as_str)
            .and_then(parse_id)
            .ok_or_else(|| self.wrong(name, "an id"))
    }

    pub(super) fn opt_id(&self, name: &str) -> Result<Option<String>, Refusal> {
        match self.value(name) {
            None => Ok(None),
            Some(_) => self.id(name).map(Some),
        }
    }

    pub(super) fn int(&self, name: &str) -> Result<i64, Refusal> {
        self.value(name)
            .and_then(Value::as_i64)
            .ok_or_else(|| self.wrong(name, "a whole number"))
    }

    pub(super) fn opt_int(&self, name: &str) -> Result<Option<i64>, Refusal> {
        match self.value(name) {
            None => Ok(None),
            Some(_) => self.int(name).map(Some),
        }
    }

    /// A time in milliseconds that the local readers can turn back into a `u64` and a
    /// clock stamp.
    pub(super) fn time(&self, name: &str) -> Result<i64, Refusal> {
        let ms = self.int(name)?;
        if (0..=MAX_MS).contains(&ms) {
            Ok(ms)
        } else {
            Err(self.wrong(name, "a time in milliseconds"))
        }
    }

    pub(super) fn flag(&self, name: &str) -> Result<bool, Refusal> {
        self.value(name)
            .and_then(as_flag)
            .ok_or_else(|| self.wrong(name, "true or false"))
    }

    pub(super) fn opt_flag(&self, name: &str) -> Result<Option<bool>, Refusal> {
        match self.value(name) {
            None => Ok(None),
            Some(_) => self.flag(name).map(Some),
        }
    }
}

fn as_flag(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => match n.as_i64() {
            Some(0) => Some(false),
            Some(1) => Some(true),
            _ => None,
        },
        _ => None,
    }
}

/// How a record field is stored in its column.
#[derive(Debug, Clone, Copy)]
pub(super) enum Kind {
    /// Text, not empty (names).
    Name,
    /// Text, possibly empty.
    Text,
    OptText,
    Int,
    OptInt,
    Flag,
    Id,
    OptId,
    OneOf(&'static [&'static str]),
    /// A currency code this app can show money in.
    Currency,
    /// A list of strings, stored as its JSON text (a variant's option values).
    Strings,
    /// A shop's address as the protocol's `parse_address` accepts it, stored trimmed.
    Address,
    /// A shop's opening hours as the protocol's `parse_opening_hours` accepts them,
    /// stored as the sorted list's JSON text, the form the shop's reader expects.
    OpeningHours,
}

impl Kind {
    pub(super) fn to_sql(
        self,
        what: &str,
        field: &str,
        value: &Value,
    ) -> Result<SqlValue, Refusal> {
        let wrong = |expected: &str| unusable(format!("{what}: {field} is not {expected}"));
        let null = value.is_null();
        match self {
            Kind::Name => match value.as_str() {
                Some(s) if !s.trim().is_empty() => Ok(SqlValue::Text(s.to_owned())),
                _ => Err(wrong("a name")),
            },
            Kind::Text => value
                .as_str()
                .map(|s| SqlValue::Text(s.to_owned()))
                .ok_or_else(|| wrong("text")),
            Kind::OptText if null => Ok(SqlValue::Null),
            Kind::OptText => Kind::Text.to_sql(what, field, value),
            Kind::Int => value
                .as_i64()
                .map(SqlValue::Integer)
                .ok_or_else(|| wrong("a whole number")),
            Kind::OptInt if null => Ok(SqlValue::Null),
            Kind::OptInt => Kind::Int.to_sql(what, field, value),
            Kind::Flag => as_flag(value)
                .map(|b| SqlValue::Integer(i64::from(b)))
                .ok_or_else(|| wrong("true or false")),
            Kind::Id => value
                .as_str()
                .and_then(parse_id)
                .map(SqlValue::Text)
                .ok_or_else(|| wrong("an id")),
            Kind::OptId if null => Ok(SqlValue::Null),
            Kind::OptId => Kind::Id.to_sql(what, field, value),
            Kind::OneOf(allowed) => match value.as_str() {
                Some(s) if allowed.contains(&s) => Ok(SqlValue::Text(s.to_owned())),
                _ => Err(wrong(&format!("one of {}", allowed.join(", ")))),
            },
            Kind::Currency => match value.as_str() {
                Some(code) if crate::money::Currency::from_code(code).is_ok() => {
                    Ok(SqlValue::Text(code.to_owned()))
                }
                _ => Err(wrong("a currency this app knows")),
            },
            Kind::Strings => match strings(value) {
                Some(list) => Ok(SqlValue::Text(Value::from(list).to_string())),
                None => Err(wrong("a list of text")),
            },
            Kind::Address => match value.as_str().map(parse_address) {
                Some(Ok(address)) => Ok(SqlValue::Text(address)),
                Some(Err(reason)) => Err(wrong(&format!("an address ({reason})"))),
                None => Err(wrong("text")),
            },
            Kind::OpeningHours => match parse_opening_hours(value) {
                Ok(periods) => Ok(SqlValue::Text(
                    crate::stock::opening_hours_value(&periods).to_string(),
                )),
                Err(reason) => Err(wrong(&format!("opening hours ({reason})"))),
            },
        }
    }
}

pub(super) fn strings(value: &Value) -> Option<Vec<String>> {
    value
        .as_array()?
        .iter()
        .map(|v| v.as_str().map(str::to_owned))
        .collect()
}
