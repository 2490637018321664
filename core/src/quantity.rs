//! Quantities as integer thousandths (MONEY.md): 0.250 kg is 250, two pieces are 2000.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Quantity(i64);

impl Quantity {
    pub const SCALE: i64 = 1000;

    pub fn from_milli(milli: i64) -> Quantity {
        Quantity(milli)
    }

    pub fn from_units(units: i64) -> Option<Quantity> {
        units.checked_mul(Self::SCALE).map(Quantity)
    }

    pub fn milli(&self) -> i64 {
        self.0
    }

    pub fn checked_add(self, other: Quantity) -> Option<Quantity> {
        self.0.checked_add(other.0).map(Quantity)
    }

    /// A quantity as a person typed it: "5", "-2", "0.250", "1,000". At most three
    /// decimals (grams of a kilo), exactly; never through a float.
    pub fn parse(text: &str) -> Result<Quantity, QuantityError> {
        let text: String = text.trim().chars().filter(|c| *c != ',').collect();
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text.strip_prefix('+').unwrap_or(&text)),
        };
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        let all_digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
        if (whole.is_empty() && fraction.is_empty()) || !all_digits(whole) || !all_digits(fraction)
        {
            return Err(QuantityError::NotANumber);
        }
        if fraction.len() > 3 {
            return Err(QuantityError::TooPrecise);
        }
        let whole: i64 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| QuantityError::TooLarge)?
        };
        let fraction: i64 = format!("{fraction:0<3}")
            .parse()
            .map_err(|_| QuantityError::NotANumber)?;
        let milli = whole
            .checked_mul(Self::SCALE)
            .and_then(|w| w.checked_add(fraction))
            .ok_or(QuantityError::TooLarge)?;
        Ok(Quantity(if negative { -milli } else { milli }))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum QuantityError {
    #[error("Enter a number, such as 5 or 2.5.")]
    NotANumber,
    #[error("Enter at most three decimals, such as 0.250.")]
    TooPrecise,
    #[error("Enter a quantity under 1,000,000,000.")]
    TooLarge,
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let scale = Self::SCALE.unsigned_abs();
        let (whole, fraction) = (abs / scale, abs % scale);
        if fraction == 0 {
            write!(f, "{sign}{whole}")
        } else {
            let digits = format!("{fraction:03}");
            write!(f, "{sign}{whole}.{}", digits.trim_end_matches('0'))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_weighed_and_counted_goods() {
        assert_eq!(Quantity::from_milli(250).to_string(), "0.25");
        assert_eq!(Quantity::from_milli(2000).to_string(), "2");
        assert_eq!(Quantity::from_milli(1005).to_string(), "1.005");
        assert_eq!(Quantity::from_milli(-1500).to_string(), "-1.5");
        assert_eq!(Quantity::from_units(2), Some(Quantity::from_milli(2000)));
        assert_eq!(Quantity::from_units(i64::MAX), None);
    }

    #[test]
    fn reads_what_people_type() {
        let ok = |t: &str| Quantity::parse(t).map(|q| q.milli());
        assert_eq!(ok("5"), Ok(5_000));
        assert_eq!(ok(" -2 "), Ok(-2_000));
        assert_eq!(ok("0.25"), Ok(250));
        assert_eq!(ok(".5"), Ok(500));
        assert_eq!(ok("1,000"), Ok(1_000_000));
        assert_eq!(ok("+3.005"), Ok(3_005));
        for bad in ["", "-", ".", "1.2.3", "abc", "1e3", "٣", "--1", " - 1"] {
            assert_eq!(ok(bad), Err(QuantityError::NotANumber), "{bad:?}");
        }
        assert_eq!(ok("1.0001"), Err(QuantityError::TooPrecise));
        assert_eq!(ok("99999999999999999999"), Err(QuantityError::TooLarge));
    }

    proptest::proptest! {
        #[test]
        fn what_is_shown_reads_back(milli in -1_000_000_000_000i64..1_000_000_000_000) {
            let q = Quantity::from_milli(milli);
            proptest::prop_assert_eq!(Quantity::parse(&q.to_string()), Ok(q));
        }
    }
}
