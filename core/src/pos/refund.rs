//! Returns give back exactly what was charged per line (MONEY.md): never recomputed at
//! today's prices or rates. A part return takes its share of each recorded amount so
//! that all the parts of a line, however it is returned, add up to the line exactly.

use super::pricing::TaxAmount;
use super::rounding::{divide, RoundingMode};

/// A sold line as recorded on its receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SoldLine {
    pub quantity_milli: i64,
    pub gross_minor: i64,
    pub discount_minor: i64,
    pub taxes: Vec<TaxAmount>,
    pub total_minor: i64,
}

/// What a return of part of a line gives back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnedLine {
    pub quantity_milli: i64,
    pub gross_minor: i64,
    pub discount_minor: i64,
    pub taxable_minor: i64,
    pub taxes: Vec<TaxAmount>,
    pub tax_minor: i64,
    pub total_minor: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReturnError {
    #[error("Return a quantity above zero.")]
    NotPositive,
    #[error("Only {left} of this line is left to return.", left = crate::quantity::Quantity::from_milli(*.left_milli))]
    MoreThanSold { left_milli: i64 },
}

/// The share of `value` that returning `quantity` more, after `before` was already
/// returned, gives back: round(value × (before+q)/sold) − round(value × before/sold).
fn share(value: i64, sold: i64, before: i64, quantity: i64) -> i64 {
    let at = |returned: i64| {
        divide(
            i128::from(value) * i128::from(returned),
            i128::from(sold),
            RoundingMode::HalfUp,
        )
    };
    i64::try_from(at(before + quantity) - at(before)).unwrap_or(0)
}

/// Gives back `quantity_milli` of `line`, `returned_before_milli` of which went back
/// already. The tax keeps the sale's split; the taxable value is the rest of the total.
pub fn return_line(
    line: &SoldLine,
    returned_before_milli: i64,
    quantity_milli: i64,
) -> Result<ReturnedLine, ReturnError> {
    if quantity_milli <= 0 {
        return Err(ReturnError::NotPositive);
    }
    let left = line.quantity_milli - returned_before_milli;
    if quantity_milli > left {
        return Err(ReturnError::MoreThanSold {
            left_milli: left.max(0),
        });
    }
    let part = |value| {
        share(
            value,
            line.quantity_milli,
            returned_before_milli,
            quantity_milli,
        )
    };
    let taxes: Vec<TaxAmount> = line
        .taxes
        .iter()
        .map(|t| TaxAmount {
            name: t.name.clone(),
            rate_ppm: t.rate_ppm,
            amount_minor: part(t.amount_minor),
        })
        .collect();
    let tax: i64 = taxes.iter().map(|t| t.amount_minor).sum();
    let total = part(line.total_minor);
    Ok(ReturnedLine {
        quantity_milli,
        gross_minor: part(line.gross_minor),
        discount_minor: part(line.discount_minor),
        taxable_minor: total - tax,
        taxes,
        tax_minor: tax,
        total_minor: total,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn line() -> SoldLine {
        SoldLine {
            quantity_milli: 3000,
            gross_minor: 10_000,
            discount_minor: 1_000,
            taxes: vec![
                TaxAmount {
                    name: "CGST".into(),
                    rate_ppm: 25_000,
                    amount_minor: 215,
                },
                TaxAmount {
                    name: "SGST".into(),
                    rate_ppm: 25_000,
                    amount_minor: 214,
                },
            ],
            total_minor: 9_000,
        }
    }

    #[test]
    fn returning_a_line_in_parts_gives_back_exactly_the_line() {
        let l = line();
        let a = return_line(&l, 0, 1000).unwrap();
        let b = return_line(&l, 1000, 1000).unwrap();
        let c = return_line(&l, 2000, 1000).unwrap();
        assert_eq!(a.total_minor + b.total_minor + c.total_minor, 9_000);
        assert_eq!(
            a.taxes[0].amount_minor + b.taxes[0].amount_minor + c.taxes[0].amount_minor,
            215
        );
        assert_eq!(a.total_minor, 3_000);
        assert_eq!(a.taxable_minor + a.tax_minor, a.total_minor);
    }

    #[test]
    fn more_than_sold_is_refused() {
        let l = line();
        assert_eq!(
            return_line(&l, 2000, 1500),
            Err(ReturnError::MoreThanSold { left_milli: 1000 })
        );
        assert_eq!(return_line(&l, 0, 0), Err(ReturnError::NotPositive));
    }
}
