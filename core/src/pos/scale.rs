//! Scale barcodes: EAN-13 labels printed by a shop's scale, `PP IIIII VVVVV C`, where PP
//! is a prefix the shop reserves (21, 23…), IIIII the item and VVVVV its weight in grams
//! or its price in minor units. The item is found by its base code: the same label with
//! the value zeroed (so the owner gives a weighed item the barcode 21 IIIII 00000 C).

use crate::barcode::check_digit;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScaleKind {
    /// The value is the weight in grams: the quantity, in thousandths of a kilogram.
    Weight,
    /// The value is the price of the piece, in minor units.
    Price,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScalePrefix {
    pub prefix: String,
    pub kind: ScaleKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScaleLabel {
    /// The barcode the item carries in the catalog: the label with the value zeroed.
    pub item_code: String,
    pub kind: ScaleKind,
    pub value: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{0}\" is not a scale prefix list. Write two-digit prefixes with weight or price, such as \"21 weight, 23 price\".")]
pub struct ScalePrefixError(pub String);

/// Reads "21 weight, 23 price". Empty means no scale barcodes.
pub fn parse_prefixes(text: &str) -> Result<Vec<ScalePrefix>, ScalePrefixError> {
    let invalid = || ScalePrefixError(text.to_owned());
    let mut prefixes: Vec<ScalePrefix> = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let mut words = part.split_whitespace();
        let prefix = words.next().ok_or_else(invalid)?;
        let kind = match words.next() {
            Some("weight") => ScaleKind::Weight,
            Some("price") => ScaleKind::Price,
            _ => return Err(invalid()),
        };
        if words.next().is_some()
            || prefix.len() != 2
            || !prefix.chars().all(|c| c.is_ascii_digit())
            // 20 is Galla's own prefix for internal item codes.
            || !("21"..="29").contains(&prefix)
            || prefixes.iter().any(|p| p.prefix == prefix)
        {
            return Err(invalid());
        }
        prefixes.push(ScalePrefix {
            prefix: prefix.to_owned(),
            kind,
        });
    }
    Ok(prefixes)
}

pub fn prefixes_text(prefixes: &[ScalePrefix]) -> String {
    prefixes
        .iter()
        .map(|p| {
            let kind = match p.kind {
                ScaleKind::Weight => "weight",
                ScaleKind::Price => "price",
            };
            format!("{} {kind}", p.prefix)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reads a scanned code as a scale label, if it is one of the shop's prefixes and its
/// check digit is right.
pub fn read_label(code: &str, prefixes: &[ScalePrefix]) -> Option<ScaleLabel> {
    if code.len() != 13 || !code.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let prefix = prefixes.iter().find(|p| code.starts_with(&p.prefix))?;
    let check = code[12..].parse::<u8>().ok()?;
    if check_digit(&code[..12]) != check {
        return None;
    }
    let value: i64 = code[7..12].parse().ok()?;
    let base = format!("{}00000", &code[..7]);
    let item_code = format!("{base}{}", check_digit(&base));
    Some(ScaleLabel {
        item_code,
        kind: prefix.kind,
        value,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn label(body: &str) -> String {
        format!("{body}{}", check_digit(body))
    }

    #[test]
    fn a_weight_label_reads_as_grams_of_its_item() {
        let prefixes = parse_prefixes("21 weight, 23 price").unwrap();
        let code = label("210012301250");
        let read = read_label(&code, &prefixes).unwrap();
        assert_eq!(read.kind, ScaleKind::Weight);
        assert_eq!(read.value, 1250);
        assert_eq!(read.item_code, label("210012300000"));
        let price = read_label(&label("230004504999"), &prefixes).unwrap();
        assert_eq!((price.kind, price.value), (ScaleKind::Price, 4999));
    }

    #[test]
    fn other_codes_are_not_labels() {
        let prefixes = parse_prefixes("21 weight").unwrap();
        assert!(read_label("8901030865278", &prefixes).is_none());
        let mut wrong = label("210012301250");
        wrong.replace_range(12.., "0");
        if wrong != label("210012301250") {
            assert!(read_label(&wrong, &prefixes).is_none());
        }
        assert!(read_label("21001230125", &prefixes).is_none());
    }

    #[test]
    fn prefix_lists_are_checked() {
        assert!(parse_prefixes("").unwrap().is_empty());
        assert!(parse_prefixes("20 weight").is_err());
        assert!(parse_prefixes("21 kilos").is_err());
        assert!(parse_prefixes("21 weight, 21 price").is_err());
        assert_eq!(
            prefixes_text(&parse_prefixes("21 weight,23 price").unwrap()),
            "21 weight, 23 price"
        );
    }
}
