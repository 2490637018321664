//! A shop's public details, as a shop record carries them: its address (free text, the
//! way the shop writes it on a receipt) and its opening hours. The owner types them on a
//! terminal, the server checks them again, and the storefront serves them; all three use
//! this one rule.
//!
//! Opening hours are a JSON list of periods, `{"day": "mon", "opens": "09:30", "closes":
//! "19:00"}`. A day with no period is closed; a day may have several (a lunch break).
//! Times are 24-hour `HH:MM` in the shop's local time; `closes` may be `24:00` and must be
//! after `opens` (a period past midnight is two periods). Periods of one day must not
//! overlap.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The days of the week as the protocol spells them, Monday first.
pub const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
/// The most periods a week may have (a lunch break every day is 14).
pub const MAX_PERIODS: usize = 28;
/// The longest address, in characters.
pub const MAX_ADDRESS_CHARS: usize = 500;

/// One stretch of time a shop is open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpeningPeriod {
    pub day: String,
    pub opens: String,
    pub closes: String,
}

/// Checks opening hours as they arrive in a record, and returns them sorted by day and
/// time. The error is a sentence for the person who typed them.
pub fn parse_opening_hours(value: &Value) -> Result<Vec<OpeningPeriod>, String> {
    let items = value
        .as_array()
        .ok_or("Opening hours must be a list of periods.")?;
    if items.len() > MAX_PERIODS {
        return Err(format!(
            "A week can have at most {MAX_PERIODS} opening periods."
        ));
    }
    let mut periods = Vec::with_capacity(items.len());
    for item in items {
        let period: OpeningPeriod = serde_json::from_value(item.clone()).map_err(|_| {
            "Each opening period is {\"day\": \"mon\", \"opens\": \"09:00\", \"closes\": \"18:00\"}."
                .to_owned()
        })?;
        let day = day_index(&period.day).ok_or_else(|| {
            format!(
                "{:?} is not a day; use one of {}.",
                clip(&period.day),
                DAYS.join(", ")
            )
        })?;
        let opens = minutes(&period.opens, false)?;
        let closes = minutes(&period.closes, true)?;
        if closes <= opens {
            return Err(format!(
                "On {}, closing time {} must be after opening time {}.",
                period.day, period.closes, period.opens
            ));
        }
        periods.push((day, opens, closes, period));
    }
    periods.sort_by_key(|(day, opens, _, _)| (*day, *opens));
    for pair in periods.windows(2) {
        let (day, _, closes, first) = &pair[0];
        let (next_day, opens, _, second) = &pair[1];
        if day == next_day && opens < closes {
            return Err(format!(
                "On {}, {}–{} overlaps {}–{}.",
                first.day, first.opens, first.closes, second.opens, second.closes
            ));
        }
    }
    Ok(periods.into_iter().map(|(_, _, _, p)| p).collect())
}

/// Checks an address: at most [`MAX_ADDRESS_CHARS`] characters, no control characters
/// other than line breaks. Returns it trimmed.
pub fn parse_address(text: &str) -> Result<String, String> {
    let trimmed = text.trim();
    if trimmed.chars().count() > MAX_ADDRESS_CHARS {
        return Err(format!(
            "An address can be at most {MAX_ADDRESS_CHARS} characters."
        ));
    }
    if trimmed.chars().any(|c| c.is_control() && c != '\n') {
        return Err("An address can hold line breaks but no other control characters.".into());
    }
    Ok(trimmed.to_owned())
}

fn day_index(day: &str) -> Option<usize> {
    DAYS.iter().position(|d| *d == day)
}

/// Minutes since midnight of `HH:MM`; `24:00` only when `end` is true.
fn minutes(text: &str, end: bool) -> Result<u32, String> {
    let wrong = || {
        format!(
            "{:?} is not a time; use 24-hour HH:MM, such as 09:30 or 18:00.",
            clip(text)
        )
    };
    let bytes = text.as_bytes();
    if bytes.len() != 5 || bytes[2] != b':' {
        return Err(wrong());
    }
    let number = |part: &str| {
        part.parse::<u32>()
            .ok()
            .filter(|_| part.bytes().all(|b| b.is_ascii_digit()))
    };
    let (Some(hours), Some(mins)) = (number(&text[..2]), number(&text[3..])) else {
        return Err(wrong());
    };
    match (hours, mins) {
        (24, 0) if end => Ok(24 * 60),
        (0..=23, 0..=59) => Ok(hours * 60 + mins),
        _ => Err(wrong()),
    }
}

fn clip(text: &str) -> String {
    text.chars().take(20).collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn periods_come_back_sorted_and_checked() {
        let hours = json!([
            {"day": "tue", "opens": "14:00", "closes": "19:00"},
            {"day": "mon", "opens": "09:00", "closes": "24:00"},
            {"day": "tue", "opens": "09:00", "closes": "13:00"},
        ]);
        let parsed = parse_opening_hours(&hours).unwrap();
        let shown: Vec<_> = parsed
            .iter()
            .map(|p| format!("{} {}-{}", p.day, p.opens, p.closes))
            .collect();
        assert_eq!(
            shown,
            ["mon 09:00-24:00", "tue 09:00-13:00", "tue 14:00-19:00"]
        );
        assert_eq!(parse_opening_hours(&json!([])).unwrap(), vec![]);
    }

    #[test]
    fn bad_hours_are_refused_with_a_reason() {
        let cases = [
            (json!({}), "list"),
            (json!([1]), "Each opening period"),
            (
                json!([{"day": "monday", "opens": "09:00", "closes": "18:00"}]),
                "not a day",
            ),
            (
                json!([{"day": "mon", "opens": "9:00", "closes": "18:00"}]),
                "not a time",
            ),
            (
                json!([{"day": "mon", "opens": "09:00", "closes": "18:60"}]),
                "not a time",
            ),
            (
                json!([{"day": "mon", "opens": "24:00", "closes": "24:00"}]),
                "not a time",
            ),
            (
                json!([{"day": "mon", "opens": "+9:00", "closes": "18:00"}]),
                "not a time",
            ),
            (
                json!([{"day": "mon", "opens": "18:00", "closes": "09:00"}]),
                "after",
            ),
            (
                json!([
                    {"day": "mon", "opens": "09:00", "closes": "13:00"},
                    {"day": "mon", "opens": "12:00", "closes": "18:00"}
                ]),
                "overlaps",
            ),
        ];
        for (value, expected) in cases {
            let error = parse_opening_hours(&value).unwrap_err();
            assert!(error.contains(expected), "{value}: {error}");
        }
        let many: Vec<_> = (0..=MAX_PERIODS)
            .map(|i| json!({"day": "mon", "opens": format!("{:02}:00", i % 24), "closes": "24:00"}))
            .collect();
        assert!(parse_opening_hours(&json!(many)).is_err());
    }

    #[test]
    fn addresses_are_trimmed_and_limited() {
        assert_eq!(
            parse_address("  12 MG Road\nBengaluru 560001 \n").unwrap(),
            "12 MG Road\nBengaluru 560001"
        );
        assert!(parse_address("a\tb").is_err());
        assert!(parse_address(&"x".repeat(MAX_ADDRESS_CHARS + 1)).is_err());
    }
}
