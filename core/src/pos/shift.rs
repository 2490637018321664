//! Shifts: the float counted in, cash in and out with a reason, the X report at any
//! time and the Z report at the close, with the drawer counted by denomination.

use uuid::Uuid;

use super::payment::Method;
use super::pricing::TaxAmount;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CashDirection {
    In,
    Out,
}

impl CashDirection {
    pub fn as_str(&self) -> &'static str {
        match self {
            CashDirection::In => "in",
            CashDirection::Out => "out",
        }
    }

    pub fn parse(text: &str) -> Option<CashDirection> {
        match text {
            "in" => Some(CashDirection::In),
            "out" => Some(CashDirection::Out),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CashMovement {
    pub direction: CashDirection,
    pub amount_minor: i64,
    pub reason: String,
    pub staff_name: String,
    pub at_ms: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MethodTotal {
    pub method: Method,
    pub sales_minor: i64,
    pub refunds_minor: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShiftReport {
    pub shift_id: Uuid,
    pub closed: bool,
    pub opened_by: String,
    pub opened_at_ms: u64,
    pub closed_by: Option<String>,
    pub closed_at_ms: Option<u64>,
    pub float_minor: i64,
    pub sale_count: i64,
    pub return_count: i64,
    /// Before discounts, of sales.
    pub gross_sales_minor: i64,
    pub discounts_minor: i64,
    /// What returns gave back, rounding included.
    pub refunds_minor: i64,
    /// Tax on sales less tax given back on returns.
    pub tax_minor: i64,
    pub taxes: Vec<TaxAmount>,
    /// Cash rounding on sales less rounding given back on returns.
    pub rounding_minor: i64,
    /// Sales' grand totals less returns' grand totals.
    pub net_minor: i64,
    pub by_method: Vec<MethodTotal>,
    pub cash_movements: Vec<CashMovement>,
    pub expected_cash_minor: i64,
    pub counted_cash_minor: Option<i64>,
}

impl ShiftReport {
    pub fn over_short_minor(&self) -> Option<i64> {
        self.counted_cash_minor
            .map(|counted| counted - self.expected_cash_minor)
    }
}

/// Notes and coins a drawer is counted in, largest first (minor units of INR).
pub const INR_DENOMINATIONS: [i64; 10] = [
    200_000, 50_000, 20_000, 10_000, 5_000, 2_000, 1_000, 500, 200, 100,
];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CountError {
    #[error("\"{0}\" is not a count. Type a whole number of notes or coins.")]
    NotACount(String),
    #[error("{0} is not a note or coin.")]
    UnknownDenomination(i64),
    #[error("That is more cash than a drawer holds.")]
    TooLarge,
}

/// The counted drawer: Σ value × count. Counts are typed; blank is zero.
pub fn count_drawer(counts: &[(i64, String)]) -> Result<(i64, Vec<(i64, i64)>), CountError> {
    let mut total: i64 = 0;
    let mut parsed = Vec::new();
    for (value, text) in counts {
        if *value <= 0 || *value > 10_000_000 {
            return Err(CountError::UnknownDenomination(*value));
        }
        let t = text.trim();
        let count: i64 = if t.is_empty() {
            0
        } else if t.len() <= 6 && t.chars().all(|c| c.is_ascii_digit()) {
            t.parse().map_err(|_| CountError::NotACount(t.to_owned()))?
        } else {
            return Err(CountError::NotACount(t.to_owned()));
        };
        total = total
            .checked_add(value.checked_mul(count).ok_or(CountError::TooLarge)?)
            .ok_or(CountError::TooLarge)?;
        parsed.push((*value, count));
    }
    Ok((total, parsed))
}
