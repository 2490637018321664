//! Settling a total with one or more tenders: cash (with change and the shop's cash
//! rounding, recorded as its own line), card, UPI and store credit.

use super::rounding::{divide, RoundingMode};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    Cash,
    Card,
    Upi,
    StoreCredit,
}

impl Method {
    pub const ALL: [Method; 4] = [Method::Cash, Method::Card, Method::Upi, Method::StoreCredit];

    pub fn as_str(&self) -> &'static str {
        match self {
            Method::Cash => "cash",
            Method::Card => "card",
            Method::Upi => "upi",
            Method::StoreCredit => "store_credit",
        }
    }

    pub fn parse(text: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|m| m.as_str() == text)
    }

    /// As printed on a receipt.
    pub fn label(&self) -> &'static str {
        match self {
            Method::Cash => "Cash",
            Method::Card => "Card",
            Method::Upi => "UPI",
            Method::StoreCredit => "Store credit",
        }
    }
}

/// One tender as the cashier entered it. For cash, `amount_minor` is what the customer
/// handed over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tender {
    pub method: Method,
    pub amount_minor: i64,
    pub reference: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettledPayment {
    pub method: Method,
    /// What this tender paid towards the sale.
    pub amount_minor: i64,
    /// For cash: what was handed over (amount + change); otherwise the amount.
    pub tendered_minor: i64,
    pub reference: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settlement {
    pub payments: Vec<SettledPayment>,
    /// The cash-rounding line: positive when the cash due was rounded up.
    pub rounding_minor: i64,
    pub change_minor: i64,
    /// Total + rounding: what the customer paid in all.
    pub grand_total_minor: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PaymentError {
    #[error("Add a payment: {remaining} still to pay.", remaining = .remaining_minor)]
    Short { remaining_minor: i64 },
    #[error("Payment {n} is more than is left to pay.", n = .index + 1)]
    Over { index: usize },
    #[error("Payment {n} comes after the sale is already paid.", n = .index + 1)]
    AfterPaid { index: usize },
    #[error("Payment {n} needs an amount above zero.", n = .index + 1)]
    NotPositive { index: usize },
    #[error("Payment {n}: type the card terminal's reference.", n = .index + 1)]
    ReferenceRequired { index: usize },
    #[error("Store credit needs a customer on the sale.")]
    NoCustomer { index: usize },
    #[error("The customer has only {balance} in store credit.", balance = .balance_minor)]
    NotEnoughCredit { index: usize, balance_minor: i64 },
}

impl PaymentError {
    /// Which tender the error belongs to, if one.
    pub fn index(&self) -> Option<usize> {
        match self {
            PaymentError::Short { .. } => None,
            PaymentError::Over { index }
            | PaymentError::AfterPaid { index }
            | PaymentError::NotPositive { index }
            | PaymentError::ReferenceRequired { index }
            | PaymentError::NoCustomer { index }
            | PaymentError::NotEnoughCredit { index, .. } => Some(*index),
        }
    }
}

/// `amount` to the nearest multiple of the cash step (half up). A step of 1 or less
/// leaves it as it is.
pub fn cash_round(amount_minor: i64, step_minor: i64) -> i64 {
    if step_minor <= 1 {
        return amount_minor;
    }
    let steps = divide(
        i128::from(amount_minor),
        i128::from(step_minor),
        RoundingMode::HalfUp,
    );
    i64::try_from(steps * i128::from(step_minor)).unwrap_or(amount_minor)
}

/// What is left after the tenders so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Due {
    pub paid_minor: i64,
    pub remaining_minor: i64,
    /// The remainder if paid in cash, after cash rounding.
    pub remaining_cash_minor: i64,
}

/// Applies tenders in order. A non-cash tender may not exceed what is left; the cash
/// tender that finishes the sale pays the cash-rounded remainder and gives change; any
/// tender after the sale is paid is refused.
pub fn settle(
    total_minor: i64,
    tenders: &[Tender],
    cash_step_minor: i64,
) -> Result<Settlement, PaymentError> {
    let mut remaining = total_minor;
    let mut payments = Vec::with_capacity(tenders.len());
    let mut rounding = 0;
    let mut change = 0;
    let mut paid = false;
    for (index, tender) in tenders.iter().enumerate() {
        if paid {
            return Err(PaymentError::AfterPaid { index });
        }
        match tender.method {
            Method::Cash => {
                if tender.amount_minor < 0 {
                    return Err(PaymentError::NotPositive { index });
                }
                let due = cash_round(remaining, cash_step_minor);
                if tender.amount_minor >= due {
                    rounding = due - remaining;
                    change = tender.amount_minor - due;
                    payments.push(SettledPayment {
                        method: Method::Cash,
                        amount_minor: due,
                        tendered_minor: tender.amount_minor,
                        reference: None,
                    });
                    remaining = 0;
                    paid = true;
                } else {
                    if tender.amount_minor == 0 {
                        return Err(PaymentError::NotPositive { index });
                    }
                    payments.push(SettledPayment {
                        method: Method::Cash,
                        amount_minor: tender.amount_minor,
                        tendered_minor: tender.amount_minor,
                        reference: None,
                    });
                    remaining -= tender.amount_minor;
                }
            }
            method => {
                if tender.amount_minor <= 0 {
                    return Err(PaymentError::NotPositive { index });
                }
                if tender.amount_minor > remaining {
                    return Err(PaymentError::Over { index });
                }
                if method == Method::Card && tender.reference.is_none() {
                    return Err(PaymentError::ReferenceRequired { index });
                }
                payments.push(SettledPayment {
                    method,
                    amount_minor: tender.amount_minor,
                    tendered_minor: tender.amount_minor,
                    reference: tender.reference.clone(),
                });
                remaining -= tender.amount_minor;
                paid = remaining == 0;
            }
        }
    }
    if remaining > 0 {
        return Err(PaymentError::Short {
            remaining_minor: remaining,
        });
    }
    Ok(Settlement {
        payments,
        rounding_minor: rounding,
        change_minor: change,
        grand_total_minor: total_minor + rounding,
    })
}

/// What is still due after `tenders` (each checked as `settle` would), for the payment
/// dialog. A cash tender that already finished the sale leaves nothing due.
pub fn due(
    total_minor: i64,
    tenders: &[Tender],
    cash_step_minor: i64,
) -> Result<Due, PaymentError> {
    match settle(total_minor, tenders, cash_step_minor) {
        Ok(s) => Ok(Due {
            paid_minor: s.grand_total_minor,
            remaining_minor: 0,
            remaining_cash_minor: 0,
        }),
        Err(PaymentError::Short { remaining_minor }) => Ok(Due {
            paid_minor: total_minor - remaining_minor,
            remaining_minor,
            remaining_cash_minor: cash_round(remaining_minor, cash_step_minor),
        }),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn cash(amount: i64) -> Tender {
        Tender {
            method: Method::Cash,
            amount_minor: amount,
            reference: None,
        }
    }

    #[test]
    fn cash_rounds_and_gives_change() {
        let s = settle(23_456, &[cash(50_000)], 100).unwrap();
        assert_eq!(s.rounding_minor, 44);
        assert_eq!(s.grand_total_minor, 23_500);
        assert_eq!(s.change_minor, 26_500);
        let s = settle(23_449, &[cash(23_400)], 100).unwrap();
        assert_eq!(s.rounding_minor, -49);
        assert_eq!(s.change_minor, 0);
    }

    #[test]
    fn split_payment_rounds_only_the_cash_part() {
        let upi = Tender {
            method: Method::Upi,
            amount_minor: 20_000,
            reference: None,
        };
        let s = settle(23_456, &[upi, cash(5_000)], 100).unwrap();
        assert_eq!(s.rounding_minor, 44);
        assert_eq!(s.payments[1].amount_minor, 3_500);
        assert_eq!(s.change_minor, 1_500);
    }

    #[test]
    fn bad_tenders_are_refused() {
        let card = |amount| Tender {
            method: Method::Card,
            amount_minor: amount,
            reference: None,
        };
        assert_eq!(
            settle(100, &[card(100)], 1),
            Err(PaymentError::ReferenceRequired { index: 0 })
        );
        let mut over = card(200);
        over.reference = Some("x".into());
        assert_eq!(
            settle(100, &[over], 1),
            Err(PaymentError::Over { index: 0 })
        );
        assert_eq!(
            settle(100, &[cash(50)], 1),
            Err(PaymentError::Short {
                remaining_minor: 50
            })
        );
        assert_eq!(
            settle(100, &[cash(100), cash(1)], 1),
            Err(PaymentError::AfterPaid { index: 1 })
        );
    }
}
