//! The UPI payment link a customer's app reads from the QR code at the counter
//! (NPCI's `upi://pay` deep link): payee, name, exact amount, currency and a note.

use crate::money::Money;

/// `upi://pay?pa=shop@bank&pn=Shop&am=1234.50&cu=INR&tn=Sale`. The amount is exact,
/// in major units with the currency's decimals.
pub fn payment_uri(upi_id: &str, payee_name: &str, amount: Money, note: &str) -> String {
    format!(
        "upi://pay?pa={}&pn={}&am={}&cu={}&tn={}",
        encode(upi_id),
        encode(payee_name),
        amount.amount_text(),
        amount.currency().code(),
        encode(note)
    )
}

/// Percent-encodes everything but unreserved characters (RFC 3986), and '@' in ids.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~@".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::money::Currency;

    #[test]
    fn the_link_carries_the_exact_amount() {
        let uri = payment_uri(
            "shop@okbank",
            "Asha & Sons",
            Money::from_minor(123_450, Currency::INR),
            "S1-C1-000001",
        );
        assert_eq!(
            uri,
            "upi://pay?pa=shop@okbank&pn=Asha%20%26%20Sons&am=1234.50&cu=INR&tn=S1-C1-000001"
        );
    }
}
