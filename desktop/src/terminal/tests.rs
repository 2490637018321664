//! The commands' behaviour through `Terminal`, on real store files: who may do what,
//! what bad input gets back, and the wire shape the UI relies on.
#![allow(clippy::unwrap_used)]

use serde_json::{json, Value};

use super::Terminal;
use crate::wire::people::RoleView;
use crate::wire::stock::{AdjustmentReasonView, CountInput};
use crate::wire::ErrorCode;

const NOW: u64 = 1_763_700_000_000;
const OWNER_PIN: &str = "2580";
const CASHIER_PIN: &str = "1357";

fn terminal() -> (tempfile::TempDir, Terminal) {
    let dir = tempfile::tempdir().unwrap();
    let terminal = Terminal::open(dir.path());
    (dir, terminal)
}

fn editor(name: &str, price: &str, sku: &str) -> Value {
    json!({
        "name": name, "description": "", "category_id": null, "tax_class": "", "hsn_code": "",
        "status": "active", "show_on_storefront": false, "option_names": [],
        "variants": [{"id": null, "option_values": [], "sku": sku, "price": price, "cost": "", "barcodes": []}]
    })
}

/// An owner signed in, one product saved, and a cashier on the staff list.
fn shop_with_cashier() -> (tempfile::TempDir, Terminal, String, String) {
    let (dir, t) = terminal();
    t.set_up_owner("Asha", OWNER_PIN, NOW).unwrap();
    let tea = t
        .save_product(None, editor("Tea", "10", "TEA-1"), NOW)
        .unwrap();
    let cashier = t
        .add_staff("Ravi", RoleView::Cashier, CASHIER_PIN, NOW)
        .unwrap();
    (dir, t, tea.id, cashier.id)
}

#[test]
fn nothing_but_the_pin_screen_answers_before_someone_signs_in() {
    let (_dir, t) = terminal();
    let session = t.session(NOW).unwrap();
    assert!(session.needs_setup && session.signed_in.is_none());
    let refused = t
        .save_product(None, editor("Tea", "10", ""), NOW)
        .unwrap_err();
    assert_eq!(refused.code, ErrorCode::SignedOut);
    let query = json!({"text": "", "category_id": null, "status": null, "offset": 0, "limit": 50});
    assert_eq!(
        t.search_products(query.clone()).unwrap_err().code,
        ErrorCode::SignedOut
    );

    let owner = t.set_up_owner("Asha", OWNER_PIN, NOW).unwrap();
    assert!(owner.permissions.iter().any(|p| p == "manage_staff"));
    t.save_product(None, editor("Tea", "10", ""), NOW).unwrap();
    t.sign_out();
    assert_eq!(
        t.search_products(query).unwrap_err().code,
        ErrorCode::SignedOut
    );
    let again = t.set_up_owner("Mallory", "9146", NOW).unwrap_err();
    assert_eq!(again.code, ErrorCode::AlreadySetUp);
}

#[test]
fn a_cashier_changing_a_price_over_ipc_gets_a_permission_error_and_nothing_changes() {
    let (_dir, t, tea, cashier) = shop_with_cashier();
    t.sign_out();
    let signed_in = t.sign_in(&cashier, CASHIER_PIN, NOW + 1).unwrap();
    assert_eq!(signed_in.role, RoleView::Cashier);
    assert!(!signed_in.permissions.iter().any(|p| p == "change_price"));

    let before = t.product(&tea, NOW + 1).unwrap();
    let mut cheaper = editor("Tea", "8", "TEA-1");
    cheaper["variants"][0]["id"] = json!(before.variants[0].id);
    let refused = t.save_product(Some(&tea), cheaper, NOW + 2).unwrap_err();
    assert_eq!(refused.code, ErrorCode::PermissionDenied);
    assert!(
        refused.message.contains("cannot change prices"),
        "{}",
        refused.message
    );
    assert_eq!(t.product(&tea, NOW + 3).unwrap(), before);

    let variant = before.variants[0].id.clone();
    let receive = t.receive_stock(&variant, "5", "", NOW + 4).unwrap_err();
    assert_eq!(receive.code, ErrorCode::PermissionDenied);
    assert_eq!(
        t.audit_log(crate::wire::people::AuditQueryInput {
            staff_id: None,
            action: None,
            from_ms: None,
            until_ms: None
        })
        .unwrap_err()
        .code,
        ErrorCode::PermissionDenied
    );
    assert_eq!(
        t.product(&tea, NOW + 5).unwrap().variants[0].on_hand_milli,
        0
    );
}

#[test]
fn a_wrong_pin_is_refused_and_locks_after_five() {
    let (_dir, t, _tea, cashier) = shop_with_cashier();
    t.sign_out();
    for attempt in 0..5 {
        let error = t.sign_in(&cashier, "0000", NOW + attempt).unwrap_err();
        let expected = if attempt < 4 {
            ErrorCode::PinWrong
        } else {
            ErrorCode::PinLocked
        };
        assert_eq!(error.code, expected, "attempt {attempt}: {}", error.message);
    }
    let locked = t.sign_in(&cashier, CASHIER_PIN, NOW + 10).unwrap_err();
    assert_eq!(locked.code, ErrorCode::PinLocked);
    assert!(t.session(NOW + 10).unwrap().signed_in.is_none());
    let person = t
        .session(NOW + 10)
        .unwrap()
        .people
        .into_iter()
        .find(|p| p.id == cashier)
        .unwrap();
    assert!(person.locked_until_ms.is_some());
}

#[test]
fn stock_through_ipc_receives_adjusts_counts_and_shows_history_newest_first() {
    let (_dir, t, tea, _cashier) = shop_with_cashier();
    let variant = t.product(&tea, NOW).unwrap().variants[0].id.clone();
    t.receive_stock(&variant, "10", "Invoice 7", NOW + 1)
        .unwrap();
    let refused = t
        .adjust_stock(&variant, "-2", None, "", NOW + 2)
        .unwrap_err();
    assert_eq!(refused.code, ErrorCode::StockInvalid);
    let typo = t
        .adjust_stock(
            &variant,
            "2 kg",
            Some(AdjustmentReasonView::Found),
            "",
            NOW + 2,
        )
        .unwrap_err();
    assert_eq!(typo.code, ErrorCode::QuantityInvalid);
    t.adjust_stock(
        &variant,
        "-2",
        Some(AdjustmentReasonView::Damaged),
        "dropped",
        NOW + 3,
    )
    .unwrap();
    let history = t
        .count_stock(
            vec![CountInput {
                variant_id: variant.clone(),
                counted: "7.5".into(),
            }],
            NOW + 4,
        )
        .unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].quantity_milli, -500);

    let history = t.stock_history(&variant).unwrap();
    let kinds: Vec<(&str, i64)> = history
        .iter()
        .map(|m| (m.kind.as_str(), m.quantity_milli))
        .collect();
    assert_eq!(
        kinds,
        [("count", -500), ("adjustment", -2_000), ("receive", 10_000)]
    );
    assert_eq!(history[1].reason.as_deref(), Some("damaged"));
    assert_eq!(history[0].staff_name.as_deref(), Some("Asha"));
    assert_eq!(
        t.product(&tea, NOW + 5).unwrap().variants[0].on_hand_milli,
        7_500
    );

    let audit = t
        .audit_log(crate::wire::people::AuditQueryInput {
            staff_id: None,
            action: Some("stock_adjusted".into()),
            from_ms: None,
            until_ms: None,
        })
        .unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].subject, "Tea");
    assert_eq!(
        (audit[0].old_value.as_deref(), audit[0].new_value.as_deref()),
        (Some("10"), Some("8"))
    );
}

#[test]
fn hostile_ipc_input_is_refused_cleanly() {
    let (_dir, t, tea, _cashier) = shop_with_cashier();
    for bad in [
        json!(null),
        json!("a string"),
        json!([1, 2]),
        json!({"name": "Tea"}),
        json!({"name": 5}),
    ] {
        let error = t.save_product(None, bad.clone(), NOW).unwrap_err();
        assert_eq!(error.code, ErrorCode::InputInvalid, "{bad}");
    }
    let mut extra = editor("Tea", "10", "");
    extra["owner"] = json!("me");
    assert_eq!(
        t.save_product(None, extra, NOW).unwrap_err().code,
        ErrorCode::InputInvalid
    );
    let mut bad_category = editor("Tea", "10", "");
    bad_category["category_id"] = json!("../../etc");
    let error = t.save_product(None, bad_category, NOW).unwrap_err();
    assert_eq!(error.field.as_deref(), Some("category_id"));
    assert_eq!(
        t.product("../../etc/passwd", NOW).unwrap_err().code,
        ErrorCode::NotFound
    );
    assert_eq!(
        t.receive_stock("nope", "1", "", NOW).unwrap_err().code,
        ErrorCode::NotFound
    );
    assert!(t.image_bytes("../../galla.sqlite3").is_none());
    assert!(t
        .image_bytes(&format!("{}/thumb", "a".repeat(64)))
        .is_none());
    let rows = t
        .search_products(
            json!({"text": "", "category_id": null, "status": null, "offset": 0, "limit": 50}),
        )
        .unwrap();
    assert_eq!(rows.len(), 1, "only the one product: {tea}");
}

#[test]
fn an_editor_error_names_its_field_path() {
    let (_dir, t, _tea, _cashier) = shop_with_cashier();
    let mut two = editor("Kurta", "10", "K-1");
    two["option_names"] = json!(["Size"]);
    two["variants"] = json!([
        {"id": null, "option_values": ["M"], "sku": "K-M", "price": "10", "cost": "", "barcodes": []},
        {"id": null, "option_values": ["L"], "sku": "tea-1", "price": "10", "cost": "", "barcodes": []}
    ]);
    let error = t.save_product(None, two, NOW).unwrap_err();
    assert_eq!(error.code, ErrorCode::SkuTaken);
    assert_eq!(error.field.as_deref(), Some("variants.1.sku"));
}

#[test]
fn the_wire_shape_is_what_the_ui_expects() {
    let (_dir, t, tea, _cashier) = shop_with_cashier();
    let json = serde_json::to_value(t.product(&tea, NOW).unwrap()).unwrap();
    assert_eq!(json["variants"][0]["price_minor"], json!(1_000));
    assert_eq!(json["status"], json!("active"));
    assert_eq!(json["variants"][0]["currency"], json!("INR"));
    let error = serde_json::to_value(crate::wire::IpcError::new(ErrorCode::SkuTaken, "x")).unwrap();
    assert_eq!(
        error,
        json!({"code": "sku_taken", "message": "x", "field": null})
    );
}

#[test]
fn a_store_that_cannot_open_answers_every_command_with_its_reason() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("data");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join(galla_core::store::STORE_FILE_NAME),
        b"garbage".repeat(300),
    )
    .unwrap();
    let t = Terminal::open(&folder);
    let error = t.session(NOW).unwrap_err();
    assert_eq!(error.code, ErrorCode::StoreFailed);
    assert!(error.message.contains("move it aside"), "{}", error.message);
}

#[test]
fn the_demo_catalog_fills_an_empty_store_once() {
    let (_dir, t) = terminal();
    assert_eq!(t.load_demo_catalog(40, NOW).unwrap(), 40);
    assert_eq!(t.load_demo_catalog(40, NOW).unwrap(), 0, "never twice");
    t.set_up_owner("Asha", OWNER_PIN, NOW).unwrap();
    let rows = t
        .search_products(
            json!({"text": "", "category_id": null, "status": null, "offset": 0, "limit": 500}),
        )
        .unwrap();
    assert!(!rows.is_empty() && rows.len() <= 40);
}

fn details(name: &str, address: &str, hours: Value) -> crate::wire::shop::ShopDetailsView {
    super::parse_input(
        json!({"name": name, "address": address, "opening_hours": hours}),
        "shop details form",
    )
    .unwrap()
}

#[test]
fn the_owner_saves_the_shop_details_and_reads_back_what_was_stored() {
    let (_dir, t, _tea, _cashier) = shop_with_cashier();
    let fresh = t.shop_details(NOW).unwrap();
    assert_eq!(
        serde_json::to_value(&fresh).unwrap(),
        json!({"name": "Main shop", "address": "", "opening_hours": []})
    );
    let saved = t
        .save_shop_details(
            details(
                "MG Road",
                " 12 MG Road\nBengaluru ",
                json!([
                    {"day": "tue", "opens": "10:00", "closes": "19:00"},
                    {"day": "mon", "opens": "09:30", "closes": "19:00"}
                ]),
            ),
            NOW + 1,
        )
        .unwrap();
    assert_eq!(saved.address, "12 MG Road\nBengaluru");
    assert_eq!(
        serde_json::to_value(&saved.opening_hours).unwrap(),
        json!([
            {"day": "mon", "opens": "09:30", "closes": "19:00"},
            {"day": "tue", "opens": "10:00", "closes": "19:00"}
        ]),
        "sorted, as the storefront will show them"
    );
    assert_eq!(t.shop_details(NOW + 2).unwrap(), saved);
}

#[test]
fn a_cashier_may_read_the_shop_details_but_not_save_them() {
    let (_dir, t, _tea, cashier) = shop_with_cashier();
    t.sign_out();
    t.sign_in(&cashier, CASHIER_PIN, NOW + 1).unwrap();
    let before = t.shop_details(NOW + 1).unwrap();
    let refused = t
        .save_shop_details(details("Ravi's shop", "", json!([])), NOW + 2)
        .unwrap_err();
    assert_eq!(refused.code, ErrorCode::PermissionDenied);
    assert_eq!(t.shop_details(NOW + 3).unwrap(), before);
}

#[test]
fn bad_shop_details_get_the_protocols_message_beside_their_field() {
    let (_dir, t, _tea, _cashier) = shop_with_cashier();
    let cases = [
        (details("", "", json!([])), "name", "Enter a name"),
        (
            details("Main shop", "a\u{1b}b", json!([])),
            "address",
            "control",
        ),
        (
            details(
                "Main shop",
                "",
                json!([{"day": "mon", "opens": "19:00", "closes": "09:30"}]),
            ),
            "opening_hours",
            "On mon, closing time 09:30 must be after opening time 19:00.",
        ),
        (
            details(
                "Main shop",
                "",
                json!([{"day": "mon", "opens": "9.30", "closes": "19:00"}]),
            ),
            "opening_hours",
            "not a time",
        ),
    ];
    for (input, field, message) in cases {
        let error = t.save_shop_details(input, NOW + 1).unwrap_err();
        assert_eq!(
            error.code,
            ErrorCode::ShopDetailsInvalid,
            "{}",
            error.message
        );
        assert_eq!(error.field.as_deref(), Some(field));
        assert!(error.message.contains(message), "{}", error.message);
    }
    assert_eq!(
        t.shop_details(NOW + 2).unwrap().name,
        "Main shop",
        "nothing was saved"
    );
    // A form of another shape is refused before it reaches core.
    for bad in [
        json!({"name": "Main shop", "address": ""}),
        json!({"name": "Main shop", "address": "", "opening_hours": [], "id": "x"}),
        json!({"name": "Main shop", "address": "", "opening_hours": [{"day": "mon"}]}),
    ] {
        let error =
            super::parse_input::<crate::wire::shop::ShopDetailsView>(bad, "shop details form")
                .unwrap_err();
        assert_eq!(error.code, ErrorCode::InputInvalid);
    }
}
