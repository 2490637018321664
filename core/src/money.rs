//! Money as an integer count of minor units with its currency (MONEY.md).
//! No floating point is used anywhere here, and none may be added.

use std::fmt;

/// An ISO 4217 currency this build knows how to count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Currency {
    code: [u8; 3],
    exponent: u8,
}

/// Currencies with their minor-unit exponent. Kept short on purpose: a shop in a
/// currency missing here should get a clear error, not a guessed exponent.
const KNOWN: &[(&str, u8)] = &[
    ("INR", 2),
    ("USD", 2),
    ("EUR", 2),
    ("GBP", 2),
    ("AED", 2),
    ("SGD", 2),
    ("LKR", 2),
    ("NPR", 2),
    ("BDT", 2),
    ("CAD", 2),
    ("AUD", 2),
    ("JPY", 0),
    ("KWD", 3),
];

impl Currency {
    pub const INR: Currency = Currency {
        code: *b"INR",
        exponent: 2,
    };

    pub fn from_code(code: &str) -> Result<Currency, MoneyError> {
        KNOWN
            .iter()
            .find(|(known, _)| *known == code)
            .map(|(known, exponent)| {
                let b = known.as_bytes();
                Currency {
                    code: [b[0], b[1], b[2]],
                    exponent: *exponent,
                }
            })
            .ok_or_else(|| MoneyError::UnknownCurrency(code.to_owned()))
    }

    pub fn code(&self) -> &str {
        // The bytes always come from `KNOWN`, which is ASCII.
        std::str::from_utf8(&self.code).unwrap_or("???")
    }

    /// Digits after the decimal point in the major unit (2 for paise, 0 for yen).
    pub fn exponent(&self) -> u8 {
        self.exponent
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Money {
    minor: i64,
    currency: Currency,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("Enter an amount, like 1299.50.")]
    Empty,
    #[error("\"{0}\" is not an amount. Use digits and at most one decimal point, like 1299.50.")]
    NotANumber(String),
    #[error("An amount cannot be negative.")]
    Negative,
    #[error("{currency} amounts have at most {exponent} digits after the decimal point.")]
    TooPrecise { currency: String, exponent: u8 },
    #[error("That amount is too large.")]
    TooLarge,
    #[error("Galla does not know the currency \"{0}\" yet.")]
    UnknownCurrency(String),
    #[error("Cannot combine {0} and {1} amounts.")]
    CurrencyMismatch(String, String),
}

impl Money {
    pub fn from_minor(minor: i64, currency: Currency) -> Money {
        Money { minor, currency }
    }

    pub fn minor(&self) -> i64 {
        self.minor
    }

    pub fn currency(&self) -> Currency {
        self.currency
    }

    /// Parses what a person types as a price ("1299.50", "1,299.5", "₹ 40") into minor
    /// units, exactly. Grouping commas and a leading currency symbol are tolerated
    /// because people paste them; anything else that is not a plain non-negative
    /// decimal is refused rather than guessed at.
    pub fn parse_price(text: &str, currency: Currency) -> Result<Money, MoneyError> {
        let trimmed = text.trim();
        let trimmed = trimmed
            .strip_prefix('₹')
            .or_else(|| trimmed.strip_prefix('$'))
            .unwrap_or(trimmed)
            .trim_start();
        if trimmed.is_empty() {
            return Err(MoneyError::Empty);
        }
        if trimmed.starts_with('-') {
            return Err(MoneyError::Negative);
        }
        let cleaned: String = trimmed.chars().filter(|c| *c != ',').collect();
        let not_a_number = || MoneyError::NotANumber(text.trim().to_owned());
        let (whole, fraction) = match cleaned.split_once('.') {
            Some((w, f)) => (w, f),
            None => (cleaned.as_str(), ""),
        };
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if (whole.is_empty() && fraction.is_empty()) || !all_digits(whole) || !all_digits(fraction)
        {
            return Err(not_a_number());
        }
        let exponent = usize::from(currency.exponent);
        let significant_fraction = fraction.trim_end_matches('0');
        if significant_fraction.len() > exponent {
            return Err(MoneyError::TooPrecise {
                currency: currency.code().to_owned(),
                exponent: currency.exponent,
            });
        }
        let mut minor: i64 = 0;
        let padded = format!("{significant_fraction:0<exponent$}");
        for digit in whole.bytes().chain(padded.bytes()) {
            minor = minor
                .checked_mul(10)
                .and_then(|m| m.checked_add(i64::from(digit - b'0')))
                .ok_or(MoneyError::TooLarge)?;
        }
        Ok(Money { minor, currency })
    }

    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        if self.currency != other.currency {
            return Err(MoneyError::CurrencyMismatch(
                self.currency.code().to_owned(),
                other.currency.code().to_owned(),
            ));
        }
        let minor = self
            .minor
            .checked_add(other.minor)
            .ok_or(MoneyError::TooLarge)?;
        Ok(Money { minor, ..self })
    }
}

/// A plain, locale-free rendering ("INR 1299.50") for logs and errors; the UI formats
/// for people with the shop's locale.
impl Money {
    /// The amount in major units without the currency, as typed back into a form or
    /// written in a UPI link: "1234.50", "-0.44", "1235" for yen.
    pub fn amount_text(&self) -> String {
        let exponent = u32::from(self.currency.exponent);
        let sign = if self.minor < 0 { "-" } else { "" };
        let abs = self.minor.unsigned_abs();
        if exponent == 0 {
            return format!("{sign}{abs}");
        }
        let scale = 10u64.pow(exponent);
        let width = exponent as usize;
        format!("{sign}{}.{:0width$}", abs / scale, abs % scale)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.currency, self.amount_text())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inr(text: &str) -> Result<i64, MoneyError> {
        Money::parse_price(text, Currency::INR).map(|m| m.minor())
    }

    #[test]
    fn parses_prices_people_type() {
        let cases = [
            ("1299.50", 129_950),
            ("1299.5", 129_950),
            ("1299", 129_900),
            ("0", 0),
            ("0.05", 5),
            (".5", 50),
            ("7.", 700),
            ("1,00,000.00", 10_000_000),
            ("₹ 40", 4_000),
            ("  12.30  ", 1_230),
            ("12.300", 1_230),
        ];
        for (text, minor) in cases {
            assert_eq!(inr(text), Ok(minor), "{text:?} should be {minor} paise");
        }
    }

    #[test]
    fn refuses_what_is_not_a_price() {
        assert_eq!(inr(""), Err(MoneyError::Empty));
        assert_eq!(inr("   "), Err(MoneyError::Empty));
        assert_eq!(inr("-5"), Err(MoneyError::Negative));
        assert!(matches!(inr("abc"), Err(MoneyError::NotANumber(_))));
        assert!(matches!(inr("1.2.3"), Err(MoneyError::NotANumber(_))));
        assert!(matches!(inr("1e3"), Err(MoneyError::NotANumber(_))));
        assert!(matches!(inr("."), Err(MoneyError::NotANumber(_))));
        assert!(matches!(inr("१२"), Err(MoneyError::NotANumber(_))));
        assert!(matches!(inr("1.234"), Err(MoneyError::TooPrecise { .. })));
        assert_eq!(inr("99999999999999999999"), Err(MoneyError::TooLarge));
    }

    #[test]
    fn exponent_follows_the_currency() {
        let jpy = Currency::from_code("JPY").expect("JPY is known");
        assert_eq!(Money::parse_price("500", jpy).map(|m| m.minor()), Ok(500));
        assert!(Money::parse_price("500.5", jpy).is_err());
        let kwd = Currency::from_code("KWD").expect("KWD is known");
        assert_eq!(Money::parse_price("1.5", kwd).map(|m| m.minor()), Ok(1500));
        assert!(Currency::from_code("XYZ").is_err());
    }

    #[test]
    fn display_is_exact() {
        assert_eq!(
            Money::from_minor(129_950, Currency::INR).to_string(),
            "INR 1299.50"
        );
        assert_eq!(
            Money::from_minor(-5, Currency::INR).to_string(),
            "INR -0.05"
        );
        let jpy = Currency::from_code("JPY").expect("JPY is known");
        assert_eq!(Money::from_minor(500, jpy).to_string(), "JPY 500");
    }

    #[test]
    fn addition_checks_currency_and_overflow() {
        let a = Money::from_minor(i64::MAX, Currency::INR);
        assert_eq!(
            a.checked_add(Money::from_minor(1, Currency::INR)),
            Err(MoneyError::TooLarge)
        );
        let usd = Currency::from_code("USD").expect("USD is known");
        assert!(Money::from_minor(1, Currency::INR)
            .checked_add(Money::from_minor(1, usd))
            .is_err());
    }

    proptest::proptest! {
        #[test]
        fn formatting_then_parsing_gives_back_the_amount(minor in 0i64..i64::MAX) {
            let money = Money::from_minor(minor, Currency::INR);
            let text = money.to_string();
            let number = text.trim_start_matches("INR ");
            proptest::prop_assert_eq!(inr(number), Ok(minor));
        }

        #[test]
        fn parsing_never_panics(text in "\\PC{0,24}") {
            let _ = inr(&text);
        }
    }
}
