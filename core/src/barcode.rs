//! Retail barcodes: EAN-13, EAN-8 and UPC-A, each with its GS1 mod-10 check digit.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BarcodeKind {
    Ean13,
    Ean8,
    UpcA,
}

impl BarcodeKind {
    /// The stable code kept in the store and on the wire.
    pub fn code(&self) -> &'static str {
        match self {
            BarcodeKind::Ean13 => "ean13",
            BarcodeKind::Ean8 => "ean8",
            BarcodeKind::UpcA => "upca",
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            BarcodeKind::Ean13 => "EAN-13",
            BarcodeKind::Ean8 => "EAN-8",
            BarcodeKind::UpcA => "UPC-A",
        }
    }
}

/// A barcode whose length and check digit have been verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Barcode {
    digits: String,
    kind: BarcodeKind,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BarcodeError {
    #[error("A barcode has only digits 0 to 9.")]
    NotDigits,
    #[error("A barcode has 8, 12 or 13 digits; this one has {0}.")]
    WrongLength(usize),
    #[error(
        "The check digit should be {expected}, not {found}. Check the number for a typing mistake."
    )]
    WrongCheckDigit { expected: u8, found: u8 },
}

impl Barcode {
    pub fn parse(text: &str) -> Result<Barcode, BarcodeError> {
        let digits = text.trim();
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(BarcodeError::NotDigits);
        }
        let kind = match digits.len() {
            13 => BarcodeKind::Ean13,
            12 => BarcodeKind::UpcA,
            8 => BarcodeKind::Ean8,
            n => return Err(BarcodeError::WrongLength(n)),
        };
        let (body, check) = digits.split_at(digits.len() - 1);
        let expected = check_digit(body);
        let found = check.as_bytes()[0] - b'0';
        if expected != found {
            return Err(BarcodeError::WrongCheckDigit { expected, found });
        }
        Ok(Barcode {
            digits: digits.to_owned(),
            kind,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.digits
    }

    pub fn kind(&self) -> BarcodeKind {
        self.kind
    }
}

impl fmt::Display for Barcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.digits)
    }
}

/// GS1 mod-10: from the right, weights 3, 1, 3, 1, … over the digits before the check.
/// `body` must be ASCII digits.
pub fn check_digit(body: &str) -> u8 {
    let sum: u32 = body
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| u32::from(b - b'0') * if i % 2 == 0 { 3 } else { 1 })
        .sum();
    // `sum % 10` is below 10, so the result fits in a u8.
    ((10 - sum % 10) % 10) as u8
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn names_what_is_wrong() {
        assert_eq!(
            Barcode::parse("4006381333932"),
            Err(BarcodeError::WrongCheckDigit {
                expected: 1,
                found: 2
            })
        );
        assert_eq!(Barcode::parse("12345"), Err(BarcodeError::WrongLength(5)));
        assert_eq!(Barcode::parse("12a45678"), Err(BarcodeError::NotDigits));
    }

    proptest! {
        #[test]
        fn a_computed_check_digit_always_validates(body in "[0-9]{12}") {
            let code = format!("{body}{}", check_digit(&body));
            prop_assert_eq!(Barcode::parse(&code).map(|b| b.kind()), Ok(BarcodeKind::Ean13));
        }

        #[test]
        fn any_single_digit_typo_is_caught(body in "[0-9]{12}", pos in 0usize..13, delta in 1u8..10) {
            let code = format!("{body}{}", check_digit(&body));
            let mut bytes = code.into_bytes();
            bytes[pos] = b'0' + (bytes[pos] - b'0' + delta) % 10;
            let typo = String::from_utf8(bytes).expect("ascii");
            prop_assert!(Barcode::parse(&typo).is_err());
        }
    }
}
