//! The point of sale through `Terminal`: the cart held per window, approvals by PIN
//! over IPC, payments, printing to a file read back as ESC/POS, returns, shifts, and
//! what hostile input gets back.
#![allow(clippy::unwrap_used)]

use serde_json::{json, Value};

use super::Terminal;
use crate::wire::people::RoleView;
use crate::wire::pos::{
    CustomerInput, DenominationInput, DiscountInput, PaymentInput, ReturnInput, ReturnLineInput,
};
use crate::wire::ErrorCode;

const NOW: u64 = 1_795_242_600_000;
const OWNER_PIN: &str = "2580";
const MANAGER_PIN: &str = "4711";
const CASHIER_PIN: &str = "1357";
const KURTA: &str = "8901030865237";

fn editor(name: &str, price: &str, tax: &str, barcode: &str) -> Value {
    json!({
        "name": name, "description": "", "category_id": null, "tax_class": tax, "hsn_code": "6204",
        "status": "active", "show_on_storefront": false, "option_names": [],
        "variants": [{"id": null, "option_values": [], "sku": "", "price": price, "cost": "", "barcodes": [barcode]}]
    })
}

fn pay(method: &str, amount: &str, reference: &str) -> PaymentInput {
    PaymentInput {
        method: method.into(),
        amount: amount.into(),
        reference: reference.into(),
    }
}

/// A counter with a kurta, a manager and a cashier signed in with an open shift; the
/// printer is a folder in the store's directory.
fn counter() -> (tempfile::TempDir, Terminal) {
    let dir = tempfile::tempdir().unwrap();
    let t = Terminal::open(dir.path());
    t.set_up_owner("Asha", OWNER_PIN, NOW).unwrap();
    t.save_product(None, editor("Kurta", "118", "GST 18%", KURTA), NOW)
        .unwrap();
    t.add_staff("Meera", RoleView::Manager, MANAGER_PIN, NOW)
        .unwrap();
    let cashier = t
        .add_staff("Ravi", RoleView::Cashier, CASHIER_PIN, NOW)
        .unwrap();
    let mut settings = t.pos_settings().unwrap();
    let printer = dir.path().join("printer");
    std::fs::create_dir(&printer).unwrap();
    settings.printer_path = printer.display().to_string();
    settings.upi_id = "asha@okbank".into();
    t.save_pos_settings(settings).unwrap();
    t.sign_out();
    t.sign_in(&cashier.id, CASHIER_PIN, NOW).unwrap();
    t.open_shift("1000", NOW).unwrap();
    (dir, t)
}

#[test]
fn a_cashier_sells_with_a_managers_approval_and_prints_the_receipt() {
    let (_dir, t) = counter();
    t.scan(KURTA, NOW).unwrap();
    let cart = t.scan(KURTA, NOW).unwrap();
    assert_eq!(cart.lines.len(), 1);
    assert_eq!(cart.lines[0].quantity_milli, 2000);
    assert_eq!(cart.totals.total_minor, 23_600);
    let fifteen = DiscountInput {
        kind: "percent".into(),
        value: "15".into(),
    };
    let refused = t
        .set_cart_discount(Some(fifteen.clone()), None, NOW)
        .unwrap_err();
    assert_eq!(refused.code, ErrorCode::ApprovalRequired);
    let wrong = t
        .set_cart_discount(Some(fifteen.clone()), Some(CASHIER_PIN.into()), NOW)
        .unwrap_err();
    assert_eq!(wrong.code, ErrorCode::PinWrong);
    let cart = t
        .set_cart_discount(Some(fifteen), Some(MANAGER_PIN.into()), NOW)
        .unwrap();
    assert_eq!(
        cart.cart_discount.as_ref().unwrap().approved_by.as_deref(),
        Some("Meera")
    );
    // 236.00 − 15% = 200.60; UPI 100.00 and the rest in cash, rounded to 101.00.
    assert_eq!(cart.totals.total_minor, 20_060);
    let due = t.amount_due(vec![pay("upi", "100", "")], NOW).unwrap();
    assert_eq!(
        (due.remaining_minor, due.remaining_cash_minor),
        (10_060, 10_100)
    );
    let qr = t.upi_qr("100.00").unwrap();
    assert!(
        qr.uri.contains("pa=asha@okbank") && qr.uri.contains("am=100.00"),
        "{}",
        qr.uri
    );
    assert!(qr.svg.contains("<svg"));
    let receipt = t
        .complete_sale(
            vec![pay("upi", "100", "UPI-778"), pay("cash", "200", "")],
            NOW,
        )
        .unwrap();
    assert_eq!(receipt.number, "S1-C1-000001");
    assert_eq!(
        (
            receipt.rounding_minor,
            receipt.grand_total_minor,
            receipt.change_minor
        ),
        (40, 20_100, 9_900)
    );
    assert!(receipt.text.iter().any(|l| l.contains("S1-C1-000001")));
    assert!(t.pos_state(NOW).unwrap().cart.lines.is_empty());

    let printed = t.print_receipt(&receipt.number).unwrap();
    let bytes = std::fs::read(&printed.path).unwrap();
    let lines = galla_core::receipt::printed_text(&bytes).unwrap();
    let text = lines.join("\n");
    for expected in [
        "S1-C1-000001",
        "Kurta",
        "200.60",
        "201.00",
        "UPI-778",
        "99.00",
    ] {
        assert!(
            text.contains(expected),
            "{expected} missing from the print:\n{text}"
        );
    }
}

#[test]
fn returns_refund_exactly_and_the_z_report_matches() {
    let (_dir, t) = counter();
    t.scan(KURTA, NOW).unwrap();
    t.scan(KURTA, NOW).unwrap();
    let sale = t
        .complete_sale(vec![pay("card", "236", "AUTH-1")], NOW)
        .unwrap();
    let line = sale.lines[0].line_id.clone();
    let over = t
        .return_items(
            ReturnInput {
                receipt_number: sale.number.clone(),
                lines: vec![ReturnLineInput {
                    line_id: line.clone(),
                    quantity: "3".into(),
                }],
                restock: true,
                method: "cash".into(),
                reference: String::new(),
            },
            NOW,
        )
        .unwrap_err();
    assert_eq!(
        (over.code, over.field.as_deref()),
        (ErrorCode::ReturnInvalid, Some("lines.0.quantity"))
    );
    let back = t
        .return_items(
            ReturnInput {
                receipt_number: sale.number.clone(),
                lines: vec![ReturnLineInput {
                    line_id: line,
                    quantity: "1".into(),
                }],
                restock: true,
                method: "cash".into(),
                reference: String::new(),
            },
            NOW,
        )
        .unwrap();
    assert_eq!(back.grand_total_minor, 11_800);
    assert_eq!(
        t.receipt(&sale.number).unwrap().lines[0].returned_milli,
        1000
    );
    let counts = vec![
        DenominationInput {
            value_minor: 50_000,
            count: "1".into(),
        },
        DenominationInput {
            value_minor: 20_000,
            count: "2".into(),
        },
    ];
    let z = t.close_shift(counts, NOW).unwrap();
    assert_eq!(z.kind, "Z");
    assert_eq!((z.sale_count, z.return_count), (1, 1));
    assert_eq!(z.net_minor, 23_600 - 11_800);
    // 1000 float − 118 refunded in cash; counted 900.
    assert_eq!(z.expected_cash_minor, 88_200);
    assert_eq!(z.over_short_minor, Some(90_000 - 88_200));
    let card = z.by_method.iter().find(|m| m.method == "card").unwrap();
    assert_eq!(card.sales_minor, 23_600);
    assert_eq!(t.scan(KURTA, NOW).unwrap().lines.len(), 1);
    let closed = t
        .complete_sale(vec![pay("cash", "118", "")], NOW)
        .unwrap_err();
    assert_eq!(closed.code, ErrorCode::NoOpenShift);
}

#[test]
fn parked_sales_come_back_and_customers_attach() {
    let (_dir, t) = counter();
    t.scan(KURTA, NOW).unwrap();
    let state = t.park_sale("Red bag", NOW).unwrap();
    assert!(state.cart.lines.is_empty());
    assert_eq!(state.parked.len(), 1);
    assert_eq!(state.parked[0].total_minor, 11_800);
    let customer = t
        .add_customer(
            CustomerInput {
                name: "Ravi Kumar".into(),
                phone: "98450 12345".into(),
                gstin: String::new(),
            },
            NOW,
        )
        .unwrap();
    let state = t.resume_sale(&state.parked[0].id, NOW).unwrap();
    assert_eq!(state.cart.lines.len(), 1);
    assert!(state.parked.is_empty());
    let cart = t.attach_customer(Some(customer.id.clone()), NOW).unwrap();
    assert_eq!(cart.customer.unwrap().name, "Ravi Kumar");
    let dup = t
        .add_customer(
            CustomerInput {
                name: "Other".into(),
                phone: "9845012345".into(),
                gstin: String::new(),
            },
            NOW,
        )
        .unwrap_err();
    assert_eq!(
        (dup.code, dup.field.as_deref()),
        (ErrorCode::CustomerInvalid, Some("phone"))
    );
}

#[test]
fn hostile_input_gets_a_clear_error_and_changes_nothing() {
    let (_dir, t) = counter();
    assert_eq!(
        t.scan("99999999", NOW).unwrap_err().code,
        ErrorCode::NotFound
    );
    assert_eq!(
        t.scan("'; DROP TABLE sales; --", NOW).unwrap_err().code,
        ErrorCode::NotFound
    );
    t.scan(KURTA, NOW).unwrap();
    let line = t.pos_state(NOW).unwrap().cart.lines[0].line_id.clone();
    assert_eq!(
        t.set_line_quantity(&line, "-1", NOW).unwrap_err().code,
        ErrorCode::QuantityInvalid
    );
    assert_eq!(
        t.set_line_quantity(&line, "1e9", NOW).unwrap_err().code,
        ErrorCode::QuantityInvalid
    );
    assert_eq!(
        t.set_line_quantity("not-a-line", "1", NOW)
            .unwrap_err()
            .code,
        ErrorCode::NotFound
    );
    let bad = DiscountInput {
        kind: "percent".into(),
        value: "150".into(),
    };
    assert_eq!(
        t.set_line_discount(&line, Some(bad), None, NOW)
            .unwrap_err()
            .code,
        ErrorCode::DiscountInvalid
    );
    let odd = DiscountInput {
        kind: "bogus".into(),
        value: "1".into(),
    };
    assert_eq!(
        t.set_cart_discount(Some(odd), None, NOW).unwrap_err().code,
        ErrorCode::DiscountInvalid
    );
    let short = t
        .complete_sale(vec![pay("cash", "1", "")], NOW)
        .unwrap_err();
    assert_eq!(short.code, ErrorCode::PaymentInvalid);
    let nan = t
        .complete_sale(vec![pay("cash", "NaN", "")], NOW)
        .unwrap_err();
    assert_eq!(
        (nan.code, nan.field.as_deref()),
        (ErrorCode::PaymentInvalid, Some("payments.0.amount"))
    );
    let card = t
        .complete_sale(vec![pay("card", "118", " ")], NOW)
        .unwrap_err();
    assert_eq!(card.code, ErrorCode::PaymentInvalid);
    assert_eq!(
        t.complete_sale(vec![pay("cheque", "118", "")], NOW)
            .unwrap_err()
            .code,
        ErrorCode::InputInvalid
    );
    let credit = t
        .complete_sale(vec![pay("store_credit", "118", "")], NOW)
        .unwrap_err();
    assert_eq!(credit.code, ErrorCode::PaymentInvalid);
    // Nothing was sold by any of that; the cart is still there.
    assert!(t.recent_receipts().unwrap().is_empty());
    assert_eq!(t.pos_state(NOW).unwrap().cart.lines.len(), 1);
    assert_eq!(
        t.receipt("S1-C1-999999").unwrap_err().code,
        ErrorCode::NotFound
    );
    // A cashier cannot change the counter's settings.
    let mut settings = t.pos_settings().unwrap();
    settings.cash_step = "0.05".into();
    assert_eq!(
        t.save_pos_settings(settings).unwrap_err().code,
        ErrorCode::PermissionDenied
    );
}
