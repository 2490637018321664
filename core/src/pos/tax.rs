//! Tax rates as data (MONEY.md): each tax class is a list of components, versioned by
//! the date from which it applies. GST components split into CGST + SGST halves within
//! the shop's state and become IGST across states.

use std::fmt;

/// Rates are parts per million of the base: 18% is 180_000, CGST 0.125% is 1_250.
/// Finer than basis points so a 0.25% GST still halves exactly.
pub const PPM: i128 = 1_000_000;
/// No tax above 1000% is real; a bigger number is a typing slip.
pub const MAX_RATE_PPM: i64 = 10 * 1_000_000;

/// What a tax is charged on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaxBase {
    /// The taxable value (price after discounts, before tax). India's cess sits here,
    /// beside the GST, not on top of it.
    Taxable,
    /// The taxable value plus every tax listed before this one (Québec's QST on GST).
    Compound,
}

impl TaxBase {
    pub fn as_str(&self) -> &'static str {
        match self {
            TaxBase::Taxable => "taxable",
            TaxBase::Compound => "compound",
        }
    }

    pub fn parse(text: &str) -> Option<TaxBase> {
        match text {
            "taxable" => Some(TaxBase::Taxable),
            "compound" => Some(TaxBase::Compound),
            _ => None,
        }
    }
}

/// One row of the owner's rate table. `component` "gst" is India's GST and is split at
/// the counter; any other name is charged as named ("Cess", "VAT", "QST").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxRate {
    pub class: String,
    pub component: String,
    pub rate_ppm: i64,
    pub base: TaxBase,
    /// YYYY-MM-DD: the rate applies to sales on or after this local date.
    pub effective_from: String,
}

/// A tax as charged on a line: named as it prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedTax {
    pub name: String,
    pub rate_ppm: i64,
    pub base: TaxBase,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TaxError {
    #[error("A tax class needs a name.")]
    ClassRequired,
    #[error("A tax needs a component name, such as gst or Cess.")]
    ComponentRequired,
    #[error("\"{0}\" is not a rate. Type a percent such as 18 or 0.25.")]
    RateInvalid(String),
    #[error("\"{0}\" is not a date. Use YYYY-MM-DD, such as 2025-09-22.")]
    DateInvalid(String),
    #[error("\"{0}\" is not a tax base. Use taxable or compound.")]
    BaseInvalid(String),
    #[error("{class} lists {component} twice from {effective_from}.")]
    Repeated {
        class: String,
        component: String,
        effective_from: String,
    },
}

/// Parses a percent as typed ("18", "0.25", "12.5%") into parts per million, exactly.
pub fn parse_rate_percent(text: &str) -> Result<i64, TaxError> {
    let invalid = || TaxError::RateInvalid(text.to_owned());
    let trimmed = text.trim().trim_end_matches('%').trim();
    let (whole, fraction) = trimmed.split_once('.').unwrap_or((trimmed, ""));
    if whole.is_empty() && fraction.is_empty() {
        return Err(invalid());
    }
    if !whole.chars().all(|c| c.is_ascii_digit()) || !fraction.chars().all(|c| c.is_ascii_digit()) {
        return Err(invalid());
    }
    // A percent is 10_000 ppm: four decimal places of a percent are exact.
    if fraction.len() > 4 || whole.len() > 6 {
        return Err(invalid());
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| invalid())?
    };
    let mut fraction_ppm = 0i64;
    for (i, digit) in fraction.chars().enumerate() {
        let d = i64::from(digit.to_digit(10).unwrap_or(0));
        fraction_ppm += d * 10i64.pow(3 - i as u32);
    }
    let ppm = whole * 10_000 + fraction_ppm;
    if ppm > MAX_RATE_PPM {
        return Err(invalid());
    }
    Ok(ppm)
}

/// "18", "0.125", "9" — a rate in ppm as a percent, trailing zeros dropped.
pub fn rate_percent_text(rate_ppm: i64) -> String {
    let whole = rate_ppm / 10_000;
    let fraction = rate_ppm % 10_000;
    if fraction == 0 {
        return whole.to_string();
    }
    let digits = format!("{fraction:04}");
    format!("{whole}.{}", digits.trim_end_matches('0'))
}

/// A YYYY-MM-DD date that exists on the calendar.
pub fn parse_date(text: &str) -> Result<String, TaxError> {
    let invalid = || TaxError::DateInvalid(text.to_owned());
    let t = text.trim();
    let parts: Vec<&str> = t.split('-').collect();
    if parts.len() != 3 || parts[0].len() != 4 || parts[1].len() != 2 || parts[2].len() != 2 {
        return Err(invalid());
    }
    let num = |s: &str| s.parse::<u32>().map_err(|_| invalid());
    let (y, m, d) = (num(parts[0])?, num(parts[1])?, num(parts[2])?);
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return Err(invalid());
    }
    Ok(t.to_owned())
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Checks a whole rate table before it replaces the old one.
pub fn validate_rates(rates: &[TaxRate]) -> Result<(), (usize, TaxError)> {
    for (i, rate) in rates.iter().enumerate() {
        if rate.class.trim().is_empty() {
            return Err((i, TaxError::ClassRequired));
        }
        if rate.component.trim().is_empty() {
            return Err((i, TaxError::ComponentRequired));
        }
        if !(0..=MAX_RATE_PPM).contains(&rate.rate_ppm) {
            return Err((i, TaxError::RateInvalid(rate.rate_ppm.to_string())));
        }
        parse_date(&rate.effective_from).map_err(|e| (i, e))?;
        let repeated = rates[..i].iter().any(|r| {
            r.class == rate.class
                && r.effective_from == rate.effective_from
                && r.component.eq_ignore_ascii_case(&rate.component)
        });
        if repeated {
            return Err((
                i,
                TaxError::Repeated {
                    class: rate.class.clone(),
                    component: rate.component.clone(),
                    effective_from: rate.effective_from.clone(),
                },
            ));
        }
    }
    Ok(())
}

/// The components of `class` in force on `date` (YYYY-MM-DD), in table order, named as
/// they print. The latest version whose date is on or before `date` wins; a class
/// with no version yet in force charges nothing.
pub fn taxes_for(rates: &[TaxRate], class: &str, date: &str, inter_state: bool) -> Vec<AppliedTax> {
    let version = rates
        .iter()
        .filter(|r| r.class == class && r.effective_from.as_str() <= date)
        .map(|r| r.effective_from.as_str())
        .max();
    let Some(version) = version else {
        return Vec::new();
    };
    let mut applied = Vec::new();
    for rate in rates
        .iter()
        .filter(|r| r.class == class && r.effective_from == version)
    {
        if rate.component.eq_ignore_ascii_case("gst") {
            if inter_state {
                applied.push(AppliedTax {
                    name: "IGST".into(),
                    rate_ppm: rate.rate_ppm,
                    base: rate.base,
                });
            } else {
                // Halves of a ppm rate are exact for every rate typed with up to three
                // decimals of a percent; the odd ppm left over goes to CGST.
                let sgst = rate.rate_ppm / 2;
                applied.push(AppliedTax {
                    name: "CGST".into(),
                    rate_ppm: rate.rate_ppm - sgst,
                    base: rate.base,
                });
                applied.push(AppliedTax {
                    name: "SGST".into(),
                    rate_ppm: sgst,
                    base: rate.base,
                });
            }
        } else {
            applied.push(AppliedTax {
                name: rate.component.clone(),
                rate_ppm: rate.rate_ppm,
                base: rate.base,
            });
        }
    }
    applied
}

/// The GST state code in a GSTIN: its first two digits.
pub fn gstin_state(gstin: &str) -> Option<&str> {
    let code = gstin.get(..2)?;
    code.chars().all(|c| c.is_ascii_digit()).then_some(code)
}

/// A GSTIN as typed: 15 characters, two digits of state first. The check character is
/// not verified here: a wrong one on a customer's receipt is theirs to correct.
pub fn parse_gstin(text: &str) -> Option<String> {
    let t = text.trim().to_ascii_uppercase();
    (t.len() == 15 && t.chars().all(|c| c.is_ascii_alphanumeric()) && gstin_state(&t).is_some())
        .then_some(t)
}

/// India's GST slabs as a new shop starts with them: 5%, 18% and 40% from 22 September
/// 2025, with the older 12% and 28% slabs kept for receipts before that date.
pub fn default_rates() -> Vec<TaxRate> {
    let gst = |class: &str, rate_ppm: i64, from: &str| TaxRate {
        class: class.into(),
        component: "gst".into(),
        rate_ppm,
        base: TaxBase::Taxable,
        effective_from: from.into(),
    };
    vec![
        gst("GST 0%", 0, "2017-07-01"),
        gst("GST 5%", 50_000, "2017-07-01"),
        gst("GST 12%", 120_000, "2017-07-01"),
        gst("GST 18%", 180_000, "2017-07-01"),
        gst("GST 28%", 280_000, "2017-07-01"),
        gst("GST 40%", 400_000, "2025-09-22"),
    ]
}

impl fmt::Display for AppliedTax {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}%", self.name, rate_percent_text(self.rate_ppm))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn rates_parse_exactly() {
        assert_eq!(parse_rate_percent("18"), Ok(180_000));
        assert_eq!(parse_rate_percent("0.25"), Ok(2_500));
        assert_eq!(parse_rate_percent("12.5%"), Ok(125_000));
        assert_eq!(parse_rate_percent("0.0001"), Ok(1));
        assert!(parse_rate_percent("0.00001").is_err());
        assert!(parse_rate_percent("-5").is_err());
        assert!(parse_rate_percent("").is_err());
        assert!(parse_rate_percent("1e3").is_err());
        assert!(parse_rate_percent("5000").is_err());
        assert_eq!(rate_percent_text(1_250), "0.125");
        assert_eq!(rate_percent_text(90_000), "9");
    }

    #[test]
    fn gst_splits_within_the_state_and_not_across() {
        let rates = default_rates();
        let local = taxes_for(&rates, "GST 18%", "2026-01-01", false);
        assert_eq!(
            local
                .iter()
                .map(|t| (t.name.as_str(), t.rate_ppm))
                .collect::<Vec<_>>(),
            vec![("CGST", 90_000), ("SGST", 90_000)]
        );
        let across = taxes_for(&rates, "GST 18%", "2026-01-01", true);
        assert_eq!(across[0].name, "IGST");
        assert_eq!(across[0].rate_ppm, 180_000);
    }

    #[test]
    fn the_version_in_force_on_the_sale_date_applies() {
        let mut rates = default_rates();
        rates.push(TaxRate {
            class: "GST 12%".into(),
            component: "gst".into(),
            rate_ppm: 50_000,
            base: TaxBase::Taxable,
            effective_from: "2025-09-22".into(),
        });
        assert_eq!(
            taxes_for(&rates, "GST 12%", "2025-09-21", true)[0].rate_ppm,
            120_000
        );
        assert_eq!(
            taxes_for(&rates, "GST 12%", "2025-09-22", true)[0].rate_ppm,
            50_000
        );
        assert!(taxes_for(&rates, "GST 40%", "2025-01-01", true).is_empty());
        assert!(taxes_for(&rates, "Unknown", "2025-01-01", true).is_empty());
    }

    #[test]
    fn dates_and_gstins_are_checked() {
        assert!(parse_date("2024-02-29").is_ok());
        assert!(parse_date("2023-02-29").is_err());
        assert!(parse_date("2023-13-01").is_err());
        assert!(parse_date("23-1-1").is_err());
        assert_eq!(
            parse_gstin(" 29abcde1234f1z5 ").as_deref(),
            Some("29ABCDE1234F1Z5")
        );
        assert!(parse_gstin("AB12").is_none());
        assert!(parse_gstin("XXABCDE1234F1Z5").is_none());
    }
}
