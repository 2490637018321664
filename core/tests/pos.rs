//! Selling through the store: a sale is one transaction with its number, lines,
//! payments, stock movements and outbox entries; returns give back what was charged;
//! shifts add up; approvals are checked below the UI; parked carts survive a restart.
#![allow(clippy::unwrap_used)]

use galla_core::barcode::check_digit;
use galla_core::catalog::{ProductForm, ProductSpec, VariantForm};
use galla_core::id::Uuid;
use galla_core::pos::payment::{Method, Tender};
use galla_core::pos::shift::CashDirection;
use galla_core::pos::{Cart, CustomerForm, Discount, PosError, SellerLimits};
use galla_core::store::Refund;
use galla_core::{Actor, AuditAction, AuditFilter, Currency, Error, Quantity, Role, Store};

/// 2026-11-21 10:00 IST.
const NOW: u64 = 1_795_242_600_000;

fn label(body: &str) -> String {
    format!("{body}{}", check_digit(body))
}

struct Counter {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
    store: Store,
    owner: Actor,
    shop: Uuid,
    /// ₹118.00 incl. GST 18%, HSN 6204.
    kurta: Uuid,
    /// ₹40.00 a kg incl. GST 5%, weighed; base scale code 21 00123 00000.
    rice: Uuid,
    /// ₹10.00, no tax class.
    pen: Uuid,
}

fn product(
    store: &mut Store,
    owner: &Actor,
    name: &str,
    price: &str,
    tax: &str,
    hsn: &str,
    barcode: &str,
) -> Uuid {
    let form = ProductForm {
        name: name.into(),
        tax_class: tax.into(),
        hsn_code: hsn.into(),
        variants: vec![VariantForm {
            price: price.into(),
            barcodes: vec![barcode.into()],
            ..VariantForm::default()
        }],
        ..ProductForm::default()
    };
    let spec = ProductSpec::parse(&form, Currency::INR).unwrap();
    store
        .save_product(owner, None, &spec, NOW)
        .unwrap()
        .variants[0]
        .id
}

fn counter() -> Counter {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    let shop = store.current_shop(NOW).unwrap().id;
    let owner = store.create_first_owner("Asha", "2580", NOW).unwrap();
    let kurta = product(
        &mut store,
        &owner,
        "Kurta",
        "118",
        "GST 18%",
        "6204",
        "8901030865237",
    );
    let rice = product(
        &mut store,
        &owner,
        "Rice",
        "40",
        "GST 5%",
        "1006",
        &label("210012300000"),
    );
    let pen = product(&mut store, &owner, "Pen", "10", "", "", "8901030865244");
    for v in [kurta, rice, pen] {
        store
            .receive_stock(
                v,
                shop,
                Quantity::from_units(20).unwrap(),
                None,
                &owner,
                NOW,
            )
            .unwrap();
    }
    Counter {
        path: dir.path().to_owned(),
        _dir: dir,
        store,
        owner,
        shop,
        kurta,
        rice,
        pen,
    }
}

fn cash(rupees: i64) -> Tender {
    Tender {
        method: Method::Cash,
        amount_minor: rupees * 100,
        reference: None,
    }
}

fn scan_into(store: &Store, cart: &mut Cart, code: &str) {
    let s = store.scan(code).unwrap();
    if s.separate_line {
        cart.add_separate(s.item, s.quantity, s.unit_price_minor, s.source)
            .unwrap();
    } else {
        cart.add(s.item, s.quantity).unwrap();
    }
}

fn count(path: &std::path::Path, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(path.join("galla.sqlite3")).unwrap();
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn a_counter_cannot_sell_without_an_open_shift() {
    let mut c = counter();
    let mut cart = Cart::default();
    scan_into(&c.store, &mut cart, "8901030865237");
    let err = c
        .store
        .complete_sale(&c.owner, &cart, &[cash(200)], NOW)
        .unwrap_err();
    assert!(matches!(err, Error::Pos(PosError::NoOpenShift)), "{err:?}");
    assert_eq!(count(&c.path, "SELECT count(*) FROM sales"), 0);
}

#[test]
fn a_sale_is_written_whole_with_its_number_stock_and_outbox() {
    let mut c = counter();
    c.store.open_shift(&c.owner, "500", NOW).unwrap();
    let mut cart = Cart::default();
    scan_into(&c.store, &mut cart, "8901030865237");
    scan_into(&c.store, &mut cart, "8901030865237");
    // 0.750 kg of rice from the scale.
    scan_into(&c.store, &mut cart, &label("210012300750"));
    assert_eq!(cart.lines.len(), 2);
    assert_eq!(cart.lines[0].quantity.milli(), 2000);
    assert_eq!(cart.lines[1].quantity.milli(), 750);
    let before_outbox = count(&c.path, "SELECT count(*) FROM outbox");
    let doc = c
        .store
        .complete_sale(&c.owner, &cart, &[cash(300)], NOW)
        .unwrap();
    assert_eq!(doc.number, "S1-C1-000001");
    // 2 × 118.00 + 0.75 × 40.00 = 266.00, all tax inclusive.
    assert_eq!(doc.total_minor, 26_600);
    assert_eq!(doc.taxable_minor + doc.tax_minor, doc.total_minor);
    // CGST and SGST halves of 18% on 236.00: 236 × 9/118 = 18.00 each.
    let cgst = doc
        .taxes
        .iter()
        .find(|t| t.name == "CGST" && t.rate_ppm == 90_000)
        .unwrap();
    assert_eq!(cgst.amount_minor, 1_800);
    assert_eq!(doc.change_minor, 3_400);
    assert_eq!(c.store.on_hand(c.kurta, c.shop).unwrap().milli(), 18_000);
    assert_eq!(c.store.on_hand(c.rice, c.shop).unwrap().milli(), 19_250);
    // The sale and one movement per line went to the outbox with it.
    assert_eq!(
        count(&c.path, "SELECT count(*) FROM outbox") - before_outbox,
        3
    );
    assert_eq!(
        count(&c.path, "SELECT count(*) FROM outbox WHERE entity = 'sale'"),
        1
    );
    // Read back from disk, the receipt is the same document.
    let again = c.store.document("S1-C1-000001").unwrap();
    assert_eq!(again.lines, doc.lines);
    assert_eq!(again.payments, doc.payments);
    let second = {
        let mut cart = Cart::default();
        scan_into(&c.store, &mut cart, "8901030865244");
        c.store
            .complete_sale(&c.owner, &cart, &[cash(10)], NOW + 1)
            .unwrap()
    };
    assert_eq!(second.number, "S1-C1-000002");
}

#[test]
fn a_refused_sale_leaves_no_gap_in_the_series() {
    let mut c = counter();
    c.store.open_shift(&c.owner, "0", NOW).unwrap();
    let mut cart = Cart::default();
    scan_into(&c.store, &mut cart, "8901030865237");
    let short = c
        .store
        .complete_sale(&c.owner, &cart, &[cash(50)], NOW)
        .unwrap_err();
    assert!(
        matches!(short, Error::Pos(PosError::Payment(_))),
        "{short:?}"
    );
    let doc = c
        .store
        .complete_sale(&c.owner, &cart, &[cash(118)], NOW)
        .unwrap();
    assert_eq!(doc.number, "S1-C1-000001");
}

#[test]
fn yearly_series_restart_and_carry_the_year() {
    let mut c = counter();
    let mut form = c.store.pos_settings().unwrap().to_form(Currency::INR);
    form.yearly_reset = true;
    form.receipt_prefix = "S2-C3".into();
    c.store.save_pos_settings(&c.owner, &form).unwrap().unwrap();
    c.store.open_shift(&c.owner, "0", NOW).unwrap();
    let sell = |store: &mut Store, owner: &Actor, at: u64| {
        let mut cart = Cart::default();
        scan_into(store, &mut cart, "8901030865244");
        store
            .complete_sale(owner, &cart, &[cash(10)], at)
            .unwrap()
            .number
    };
    assert_eq!(sell(&mut c.store, &c.owner, NOW), "S2-C3-26-000001");
    assert_eq!(sell(&mut c.store, &c.owner, NOW + 1), "S2-C3-26-000002");
    // 2027-01-01 00:30 IST.
    assert_eq!(
        sell(&mut c.store, &c.owner, 1_798_741_800_000),
        "S2-C3-27-000001"
    );
}

#[test]
fn cash_rounding_is_a_recorded_line_and_a_full_return_gives_back_what_was_paid() {
    let mut c = counter();
    c.store.open_shift(&c.owner, "0", NOW).unwrap();
    let mut cart = Cart::default();
    // 0.333 kg × ₹40 = ₹13.32: cash rounds to ₹13.00.
    scan_into(&c.store, &mut cart, &label("210012300333"));
    scan_into(&c.store, &mut cart, "8901030865244");
    let doc = c
        .store
        .complete_sale(&c.owner, &cart, &[cash(50)], NOW)
        .unwrap();
    assert_eq!(doc.total_minor, 2_332);
    assert_eq!(doc.rounding_minor, -32);
    assert_eq!(doc.grand_total_minor, 2_300);
    let refund = Refund {
        method: Method::Cash,
        reference: None,
        restock: true,
    };
    let pen_line = doc.lines[1].line_id;
    let rice_line = doc.lines[0].line_id;
    let first = c
        .store
        .return_items(
            &c.owner,
            &doc.number,
            &[(pen_line, Quantity::from_milli(1000))],
            &refund,
            NOW + 1,
        )
        .unwrap();
    assert_eq!(first.number, "S1-C1-R-000001");
    assert_eq!(first.grand_total_minor, 1_000);
    // More than is left is refused and writes nothing.
    let over = c
        .store
        .return_items(
            &c.owner,
            &doc.number,
            &[(pen_line, Quantity::from_milli(1))],
            &refund,
            NOW + 2,
        )
        .unwrap_err();
    assert!(
        matches!(over, Error::Pos(PosError::ReturnLine { index: 0, .. })),
        "{over:?}"
    );
    let rest = c
        .store
        .return_items(
            &c.owner,
            &doc.number,
            &[(rice_line, Quantity::from_milli(333))],
            &refund,
            NOW + 3,
        )
        .unwrap();
    assert_eq!(rest.number, "S1-C1-R-000002");
    // The last return carries the sale's rounding: together they give back ₹23.00.
    assert_eq!(
        first.grand_total_minor + rest.grand_total_minor,
        doc.grand_total_minor
    );
    assert_eq!(c.store.on_hand(c.rice, c.shop).unwrap().milli(), 20_000);
    assert_eq!(c.store.on_hand(c.pen, c.shop).unwrap().milli(), 20_000);
    let sale = c.store.document(&doc.number).unwrap();
    assert!(sale
        .lines
        .iter()
        .all(|l| l.returned_milli == l.quantity_milli));
}

#[test]
fn a_return_without_restocking_leaves_stock_alone_and_store_credit_is_a_ledger() {
    let mut c = counter();
    c.store.open_shift(&c.owner, "0", NOW).unwrap();
    let customer = c
        .store
        .add_customer(
            &c.owner,
            &CustomerForm {
                name: "Ravi Kumar".into(),
                phone: "+91 98450 12345".into(),
                gstin: String::new(),
            },
            NOW,
        )
        .unwrap();
    assert_eq!(c.store.find_customers("98450").unwrap().len(), 1);
    assert_eq!(c.store.find_customers("ravi").unwrap()[0].id, customer.id);
    let mut cart = Cart::default();
    scan_into(&c.store, &mut cart, "8901030865237");
    cart.customer = Some(galla_core::pos::CartCustomer {
        id: customer.id,
        name: customer.name.clone(),
        phone: customer.phone.clone(),
        gstin: None,
    });
    let doc = c
        .store
        .complete_sale(&c.owner, &cart, &[cash(118)], NOW)
        .unwrap();
    let refund = Refund {
        method: Method::StoreCredit,
        reference: None,
        restock: false,
    };
    c.store
        .return_items(
            &c.owner,
            &doc.number,
            &[(doc.lines[0].line_id, Quantity::from_milli(1000))],
            &refund,
            NOW,
        )
        .unwrap();
    assert_eq!(c.store.on_hand(c.kurta, c.shop).unwrap().milli(), 19_000);
    assert_eq!(
        c.store
            .customer(customer.id)
            .unwrap()
            .unwrap()
            .store_credit_minor,
        11_800
    );
    // Spend part of it on the next sale; more than the balance is refused.
    let mut cart = Cart::default();
    scan_into(&c.store, &mut cart, "8901030865244");
    cart.customer = doc.customer.clone();
    let credit = |minor| Tender {
        method: Method::StoreCredit,
        amount_minor: minor,
        reference: None,
    };
    c.store
        .complete_sale(&c.owner, &cart, &[credit(1_000)], NOW)
        .unwrap();
    assert_eq!(
        c.store
            .customer(customer.id)
            .unwrap()
            .unwrap()
            .store_credit_minor,
        10_800
    );
    assert_eq!(c.store.customer_documents(customer.id).unwrap().len(), 3);
}

#[test]
fn another_states_gstin_makes_it_igst() {
    let mut c = counter();
    let mut form = c.store.pos_settings().unwrap().to_form(Currency::INR);
    form.gstin = "29ABCDE1234F1Z5".into();
    c.store.save_pos_settings(&c.owner, &form).unwrap().unwrap();
    c.store.open_shift(&c.owner, "0", NOW).unwrap();
    let buyer = c
        .store
        .add_customer(
            &c.owner,
            &CustomerForm {
                name: "Mumbai Traders".into(),
                phone: String::new(),
                gstin: "27AAACM1234A1Z5".into(),
            },
            NOW,
        )
        .unwrap();
    let mut cart = Cart::default();
    scan_into(&c.store, &mut cart, "8901030865237");
    cart.customer = Some(galla_core::pos::CartCustomer {
        id: buyer.id,
        name: buyer.name.clone(),
        phone: None,
        gstin: buyer.gstin.clone(),
    });
    let doc = c
        .store
        .complete_sale(&c.owner, &cart, &[cash(118)], NOW)
        .unwrap();
    assert!(doc.inter_state);
    assert_eq!(doc.taxes.len(), 1);
    assert_eq!(
        (doc.taxes[0].name.as_str(), doc.taxes[0].amount_minor),
        ("IGST", 1_800)
    );
}

#[test]
fn a_cashiers_big_discount_needs_a_managers_pin_and_is_audited() {
    let mut c = counter();
    c.store
        .add_staff(&c.owner, "Meera", Role::Manager, "4711", NOW)
        .unwrap();
    let cashier_member = c
        .store
        .add_staff(&c.owner, "Ravi", Role::Cashier, "1357", NOW)
        .unwrap();
    let cashier = c
        .store
        .unlock_with_pin(cashier_member.id, "1357", NOW)
        .unwrap();
    c.store.open_shift(&cashier, "0", NOW).unwrap();
    let limits = SellerLimits {
        discount_limit_bp: c.store.pos_settings().unwrap().discount_limit_bp,
    };
    let mut cart = Cart::default();
    scan_into(&c.store, &mut cart, "8901030865237");
    // 10% is within a cashier's limit; 15% is not.
    cart.set_cart_discount(Some(Discount::Percent(1_000)), &cashier, limits, None)
        .unwrap();
    let err = cart
        .set_cart_discount(Some(Discount::Percent(1_500)), &cashier, limits, None)
        .unwrap_err();
    assert!(err.to_string().contains("manager"), "{err}");
    // A wrong PIN (even a cashier's own) approves nothing.
    let wrong = c
        .store
        .approve(&cashier, "1357", "Cart discount 15%", NOW)
        .unwrap_err();
    assert!(
        matches!(wrong, Error::Pos(PosError::ApprovalPinWrong { .. })),
        "{wrong:?}"
    );
    let approval = c
        .store
        .approve(&cashier, "4711", "Cart discount 15%", NOW)
        .unwrap();
    assert_eq!(approval.name(), "Meera");
    cart.set_cart_discount(
        Some(Discount::Percent(1_500)),
        &cashier,
        limits,
        Some(approval),
    )
    .unwrap();
    let doc = c
        .store
        .complete_sale(&cashier, &cart, &[cash(101)], NOW)
        .unwrap();
    // 15% off ₹118.00 = ₹17.70, leaving ₹100.30, rounded in cash to ₹100.00.
    assert_eq!(doc.total_minor, 10_030);
    assert_eq!(doc.grand_total_minor, 10_000);
    let approvals = c
        .store
        .audit_entries(
            &c.owner,
            &AuditFilter {
                action: Some(AuditAction::OverrideApproved),
                ..AuditFilter::default()
            },
        )
        .unwrap();
    assert_eq!(approvals.len(), 1);
    assert_eq!(approvals[0].staff_name.as_deref(), Some("Meera"));
    assert!(approvals[0].reason.as_deref().unwrap().contains("for Ravi"));
    // An approval given by someone who has since left no longer counts.
    let mut cart2 = Cart::default();
    scan_into(&c.store, &mut cart2, "8901030865237");
    let approval = c.store.approve(&cashier, "4711", "Price", NOW).unwrap();
    cart2
        .override_price(cart2.lines[0].line_id, 5_000, &cashier, Some(approval))
        .unwrap();
    let meera = c
        .store
        .list_staff(false)
        .unwrap()
        .into_iter()
        .find(|m| m.name == "Meera")
        .unwrap();
    c.store.archive_staff(&c.owner, meera.id, NOW).unwrap();
    let refused = c
        .store
        .complete_sale(&cashier, &cart2, &[cash(50)], NOW)
        .unwrap_err();
    assert!(
        refused.to_string().contains("no longer approve"),
        "{refused}"
    );
}

#[test]
fn a_shift_report_adds_up_its_sales_returns_and_cash() {
    let mut c = counter();
    c.store.open_shift(&c.owner, "1000", NOW).unwrap();
    c.store
        .cash_movement(
            &c.owner,
            CashDirection::Out,
            "200",
            "Tea for the staff",
            NOW,
        )
        .unwrap();
    let mut cart = Cart::default();
    scan_into(&c.store, &mut cart, "8901030865237");
    let upi = Tender {
        method: Method::Upi,
        amount_minor: 10_000,
        reference: Some("UPI123".into()),
    };
    let doc = c
        .store
        .complete_sale(&c.owner, &cart, &[upi, cash(20)], NOW)
        .unwrap();
    let refund = Refund {
        method: Method::Cash,
        reference: None,
        restock: true,
    };
    c.store
        .return_items(
            &c.owner,
            &doc.number,
            &[(doc.lines[0].line_id, Quantity::from_milli(1000))],
            &refund,
            NOW,
        )
        .unwrap();
    let x = c.store.current_shift().unwrap().unwrap();
    assert_eq!((x.sale_count, x.return_count), (1, 1));
    assert_eq!(x.net_minor, 0);
    // 1000 float − 200 out + 18 cash in the sale − 118 refunded in cash.
    assert_eq!(x.expected_cash_minor, 100_000 - 20_000 + 1_800 - 11_800);
    let counts = vec![
        (50_000, "1".to_owned()),
        (20_000, "1".to_owned()),
        (1_000, "1".to_owned()),
    ];
    let z = c.store.close_shift(&c.owner, &counts, NOW).unwrap();
    assert_eq!(z.counted_cash_minor, Some(71_000));
    assert_eq!(z.over_short_minor(), Some(1_000));
    assert!(c.store.current_shift().unwrap().is_none());
}

#[test]
fn parked_carts_survive_a_restart() {
    let mut c = counter();
    let mut cart = Cart::default();
    scan_into(&c.store, &mut cart, "8901030865237");
    cart.set_cart_discount(
        Some(Discount::Amount(500)),
        &c.owner,
        SellerLimits {
            discount_limit_bp: 0,
        },
        None,
    )
    .unwrap();
    c.store.park_cart(&c.owner, &cart, "Blue bag", NOW).unwrap();
    let path = c.path.clone();
    drop(c.store);
    let mut store = Store::open_in(&path).unwrap();
    let parked = store.parked_sales().unwrap();
    assert_eq!(parked.len(), 1);
    assert_eq!(parked[0].note, "Blue bag");
    let back = store.take_parked(&c.owner, parked[0].id).unwrap();
    assert_eq!(
        back,
        Cart {
            focus: None,
            ..cart
        }
    );
    assert!(store.parked_sales().unwrap().is_empty());
}

#[test]
fn price_labels_and_unknown_codes() {
    let c = counter();
    let s = c.store.scan(&label("230012304999")).unwrap_err();
    // 23 is a price prefix, but no item carries 23 00123 00000.
    assert!(
        matches!(s, Error::Pos(PosError::UnknownBarcode(_))),
        "{s:?}"
    );
    let weighed = c.store.scan(&label("210012301250")).unwrap();
    assert_eq!(
        (weighed.quantity.milli(), weighed.unit_price_minor),
        (1_250, 4_000)
    );
    assert!(c.store.scan("12345678").is_err());
}

#[test]
fn tax_rates_follow_the_sale_date() {
    let mut c = counter();
    let mut rates = c.store.tax_rates().unwrap();
    rates.push(galla_core::pos::TaxRate {
        class: "GST 18%".into(),
        component: "gst".into(),
        rate_ppm: 50_000,
        base: galla_core::pos::TaxBase::Taxable,
        effective_from: "2026-12-01".into(),
    });
    c.store.save_tax_rates(&c.owner, &rates).unwrap().unwrap();
    c.store.open_shift(&c.owner, "0", NOW).unwrap();
    let mut cart = Cart::default();
    scan_into(&c.store, &mut cart, "8901030865237");
    let before = c
        .store
        .complete_sale(&c.owner, &cart, &[cash(118)], NOW)
        .unwrap();
    assert_eq!(before.taxes[0].rate_ppm, 90_000);
    // 2026-12-02: the new 5% applies.
    let after = c
        .store
        .complete_sale(&c.owner, &cart, &[cash(118)], NOW + 11 * 86_400_000)
        .unwrap();
    assert_eq!(after.taxes[0].rate_ppm, 25_000);
    // A return of the older sale gives back its 18%, not today's 5%.
    let refund = Refund {
        method: Method::Cash,
        reference: None,
        restock: true,
    };
    let back = c
        .store
        .return_items(
            &c.owner,
            &before.number,
            &[(before.lines[0].line_id, Quantity::from_milli(1000))],
            &refund,
            NOW + 12 * 86_400_000,
        )
        .unwrap();
    assert_eq!(back.taxes, before.taxes);
}
