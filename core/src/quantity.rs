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
}
