//! Barcode check digits against the worked examples shared with the UI's tests.
#![allow(clippy::unwrap_used)]

use galla_core::barcode::{Barcode, BarcodeKind};

#[derive(serde::Deserialize)]
struct Case {
    code: String,
    valid: bool,
    kind: Option<String>,
    why: Option<String>,
}

#[test]
fn shared_barcode_examples() {
    let text = include_str!("data/barcodes.json");
    let cases: Vec<Case> = serde_json::from_str(text).unwrap();
    assert!(cases.len() >= 10, "the examples file lost its cases");
    for case in cases {
        let why = case.why.as_deref().unwrap_or("");
        let parsed = Barcode::parse(&case.code);
        assert_eq!(
            parsed.is_ok(),
            case.valid,
            "{:?} ({why}): {parsed:?}",
            case.code
        );
        if let (Ok(barcode), Some(kind)) = (parsed, case.kind) {
            let expected = match kind.as_str() {
                "ean13" => BarcodeKind::Ean13,
                "ean8" => BarcodeKind::Ean8,
                "upca" => BarcodeKind::UpcA,
                other => panic!("unknown kind {other} in the examples"),
            };
            assert_eq!(barcode.kind(), expected, "{:?}", case.code);
        }
    }
}
