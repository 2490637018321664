//! The point of sale's money engine (`pos::pricing`, `pos::tax`, `pos::payment`,
//! `pos::refund`) against worked examples kept as data in `tests/data/money/`, each
//! worked out by hand with its arithmetic in a "working" field, and against properties
//! that must hold for any cart (MONEY.md).
#![allow(clippy::unwrap_used)]

use galla_core::pos::payment::{settle, Method, Settlement, Tender};
use galla_core::pos::pricing::{
    price, Discount, LineInput, PricingRules, TaxAmount, TaxRounding, Totals,
};
use galla_core::pos::refund::{return_line, ReturnedLine, SoldLine};
use galla_core::pos::rounding::RoundingMode;
use galla_core::pos::tax::{taxes_for, TaxBase, TaxRate};
use proptest::prelude::*;
use proptest::test_runner::Config;
use serde::Deserialize;
use serde_json::{json, Value};

// ---------------------------------------------------------------------------------
// Worked examples
// ---------------------------------------------------------------------------------

#[derive(Deserialize)]
struct PricingFile {
    rates: Vec<RateRow>,
    cases: Vec<PricingCase>,
}

#[derive(Deserialize)]
struct RateRow {
    class: String,
    component: String,
    rate_ppm: i64,
    base: String,
    from: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PricingCase {
    name: String,
    why: String,
    working: String,
    #[serde(default)]
    rules: Rules,
    lines: Vec<CaseLine>,
    cart_discount: Option<DiscountSpec>,
    expect: Option<Value>,
    error: Option<String>,
}

#[derive(Deserialize)]
#[serde(default, deny_unknown_fields)]
struct Rules {
    inclusive: bool,
    inter_state: bool,
    rounding: String,
    tax_rounding: String,
    date: String,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            inclusive: false,
            inter_state: false,
            rounding: "half_up".into(),
            tax_rounding: "line".into(),
            date: "2026-01-01".into(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseLine {
    qty_milli: i64,
    price: i64,
    class: String,
    hsn: Option<String>,
    discount: Option<DiscountSpec>,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
enum DiscountSpec {
    PercentBp(i64),
    Amount(i64),
}

impl From<DiscountSpec> for Discount {
    fn from(d: DiscountSpec) -> Discount {
        match d {
            DiscountSpec::PercentBp(bp) => Discount::Percent(bp),
            DiscountSpec::Amount(minor) => Discount::Amount(minor),
        }
    }
}

#[derive(Deserialize)]
struct PaymentFile {
    cases: Vec<PaymentCase>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PaymentCase {
    name: String,
    why: String,
    working: String,
    total: i64,
    cash_step: i64,
    tenders: Vec<TenderSpec>,
    expect: Option<Value>,
    error: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TenderSpec {
    method: String,
    amount: i64,
    reference: Option<String>,
}

#[derive(Deserialize)]
struct RefundFile {
    cases: Vec<RefundCase>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RefundCase {
    name: String,
    why: String,
    working: String,
    line: SoldSpec,
    returns: Vec<ReturnSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SoldSpec {
    quantity_milli: i64,
    gross: i64,
    discount: i64,
    taxes: Vec<(String, i64, i64)>,
    total: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReturnSpec {
    returned_before_milli: i64,
    quantity_milli: i64,
    expect: Option<Value>,
    error: Option<String>,
}

/// Every field the expectation names must match; fields it leaves out are not checked.
fn diff(path: &str, expected: &Value, actual: &Value, out: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (key, value) in e {
                let found = a.get(key).unwrap_or(&Value::Null);
                diff(&format!("{path}.{key}"), value, found, out);
            }
        }
        (Value::Array(e), Value::Array(a)) if e.len() == a.len() => {
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                diff(&format!("{path}[{i}]"), ev, av, out);
            }
        }
        _ if expected == actual => {}
        _ => out.push(format!("{path}: expected {expected}, got {actual}")),
    }
}

/// Checks one example: the outcome as JSON (or the error as Debug prints it) against
/// the expectation; returns the differences.
fn check(
    outcome: Result<Value, String>,
    expect: Option<&Value>,
    error: Option<&str>,
) -> Vec<String> {
    let mut out = Vec::new();
    match (outcome, expect, error) {
        (Ok(actual), Some(expected), None) => diff("", expected, &actual, &mut out),
        (Err(e), None, Some(expected)) if e == expected => {}
        (Err(e), None, Some(expected)) => out.push(format!("expected error {expected}, got {e}")),
        (Err(e), Some(_), None) => out.push(format!("refused: {e}")),
        (Ok(actual), None, Some(expected)) => {
            out.push(format!("expected error {expected}, got {actual}"));
        }
        _ => out.push("an example needs exactly one of expect and error".into()),
    }
    out
}

/// Runs every case, then fails once listing every example that disagreed.
fn report(file: &str, results: Vec<(String, String, Vec<String>)>) {
    let mut names: Vec<&str> = results.iter().map(|(n, _, _)| n.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(
        names.len(),
        results.len(),
        "{file}: example names must be unique"
    );
    let failed: Vec<String> = results
        .iter()
        .filter(|(_, _, d)| !d.is_empty())
        .map(|(name, why, d)| format!("{name} ({why})\n    {}", d.join("\n    ")))
        .collect();
    assert!(
        failed.is_empty(),
        "{file}: {} of {} examples disagree:\n{}",
        failed.len(),
        results.len(),
        failed.join("\n")
    );
}

fn need_text(file: &str, name: &str, why: &str, working: &str) {
    assert!(!name.trim().is_empty(), "{file}: an example has no name");
    assert!(!why.trim().is_empty(), "{file}: {name} says not why");
    assert!(
        !working.trim().is_empty(),
        "{file}: {name} shows no working"
    );
}

fn line_taxes(taxes: &[TaxAmount]) -> Value {
    taxes
        .iter()
        .map(|t| json!([t.name, t.amount_minor]))
        .collect()
}

fn rated_taxes(taxes: &[TaxAmount]) -> Value {
    taxes
        .iter()
        .map(|t| json!([t.name, t.rate_ppm, t.amount_minor]))
        .collect()
}

fn totals_json(t: &Totals) -> Value {
    json!({
        "lines": t.lines.iter().map(|l| json!({
            "gross": l.gross_minor,
            "line_discount": l.line_discount_minor,
            "cart_discount": l.cart_discount_minor,
            "taxable": l.taxable_minor,
            "taxes": line_taxes(&l.taxes),
            "tax": l.tax_minor,
            "total": l.total_minor,
        })).collect::<Vec<_>>(),
        "gross": t.gross_minor,
        "discount": t.discount_minor,
        "taxable": t.taxable_minor,
        "tax": t.tax_minor,
        "total": t.total_minor,
        "taxes": rated_taxes(&t.taxes),
        "hsn": t.hsn.iter().map(|r| json!({
            "hsn": r.hsn,
            "taxable": r.taxable_minor,
            "taxes": rated_taxes(&r.taxes),
        })).collect::<Vec<_>>(),
    })
}

fn settlement_json(s: &Settlement) -> Value {
    json!({
        "payments": s.payments.iter().map(|p| json!({
            "method": p.method.as_str(),
            "amount": p.amount_minor,
            "tendered": p.tendered_minor,
            "reference": p.reference,
        })).collect::<Vec<_>>(),
        "rounding": s.rounding_minor,
        "change": s.change_minor,
        "grand_total": s.grand_total_minor,
    })
}

fn returned_json(r: &ReturnedLine) -> Value {
    json!({
        "gross": r.gross_minor,
        "discount": r.discount_minor,
        "taxable": r.taxable_minor,
        "taxes": line_taxes(&r.taxes),
        "tax": r.tax_minor,
        "total": r.total_minor,
    })
}

#[test]
fn worked_pricing_examples() {
    let file: PricingFile = serde_json::from_str(include_str!("data/money/pricing.json")).unwrap();
    assert!(
        file.cases.len() >= 20,
        "the pricing examples lost their cases"
    );
    let rates: Vec<TaxRate> = file
        .rates
        .iter()
        .map(|r| TaxRate {
            class: r.class.clone(),
            component: r.component.clone(),
            rate_ppm: r.rate_ppm,
            base: TaxBase::parse(&r.base).unwrap(),
            effective_from: r.from.clone(),
        })
        .collect();
    let mut results = Vec::new();
    for case in &file.cases {
        need_text("pricing.json", &case.name, &case.why, &case.working);
        let rules = PricingRules {
            prices_include_tax: case.rules.inclusive,
            rounding: RoundingMode::parse(&case.rules.rounding).unwrap(),
            tax_rounding: TaxRounding::parse(&case.rules.tax_rounding).unwrap(),
        };
        let lines: Vec<LineInput> = case
            .lines
            .iter()
            .map(|l| {
                let taxes = taxes_for(&rates, &l.class, &case.rules.date, case.rules.inter_state);
                assert!(
                    !taxes.is_empty(),
                    "{}: class {} is not in the rate table",
                    case.name,
                    l.class
                );
                LineInput {
                    quantity_milli: l.qty_milli,
                    unit_price_minor: l.price,
                    discount: l.discount.map(Discount::from),
                    taxes,
                    hsn: l.hsn.clone(),
                }
            })
            .collect();
        let outcome = price(&lines, case.cart_discount.map(Discount::from), rules)
            .map(|t| totals_json(&t))
            .map_err(|e| format!("{e:?}"));
        let problems = check(outcome, case.expect.as_ref(), case.error.as_deref());
        results.push((case.name.clone(), case.why.clone(), problems));
    }
    report("pricing.json", results);
}

#[test]
fn worked_payment_examples() {
    let file: PaymentFile = serde_json::from_str(include_str!("data/money/payments.json")).unwrap();
    assert!(
        file.cases.len() >= 10,
        "the payment examples lost their cases"
    );
    let mut results = Vec::new();
    for case in &file.cases {
        need_text("payments.json", &case.name, &case.why, &case.working);
        let tenders: Vec<Tender> = case
            .tenders
            .iter()
            .map(|t| Tender {
                method: Method::parse(&t.method).unwrap(),
                amount_minor: t.amount,
                reference: t.reference.clone(),
            })
            .collect();
        let outcome = settle(case.total, &tenders, case.cash_step)
            .map(|s| settlement_json(&s))
            .map_err(|e| format!("{e:?}"));
        let problems = check(outcome, case.expect.as_ref(), case.error.as_deref());
        results.push((case.name.clone(), case.why.clone(), problems));
    }
    report("payments.json", results);
}

#[test]
fn worked_refund_examples() {
    let file: RefundFile = serde_json::from_str(include_str!("data/money/refunds.json")).unwrap();
    assert!(
        file.cases.len() >= 5,
        "the refund examples lost their cases"
    );
    let mut results = Vec::new();
    for case in &file.cases {
        need_text("refunds.json", &case.name, &case.why, &case.working);
        let l = &case.line;
        let sold = SoldLine {
            quantity_milli: l.quantity_milli,
            gross_minor: l.gross,
            discount_minor: l.discount,
            taxes: l
                .taxes
                .iter()
                .map(|(name, rate_ppm, amount)| TaxAmount {
                    name: name.clone(),
                    rate_ppm: *rate_ppm,
                    amount_minor: *amount,
                })
                .collect(),
            total_minor: l.total,
        };
        let mut problems = Vec::new();
        let mut returned = Vec::new();
        for (i, r) in case.returns.iter().enumerate() {
            let outcome = return_line(&sold, r.returned_before_milli, r.quantity_milli);
            if let Ok(back) = &outcome {
                returned.push(back.clone());
            }
            let outcome = outcome
                .map(|b| returned_json(&b))
                .map_err(|e| format!("{e:?}"));
            for p in check(outcome, r.expect.as_ref(), r.error.as_deref()) {
                problems.push(format!("return {}: {p}", i + 1));
            }
        }
        // Returns that cover the whole line give back exactly the line.
        if returned.iter().map(|r| r.quantity_milli).sum::<i64>() == sold.quantity_milli {
            let sum = |f: fn(&ReturnedLine) -> i64| returned.iter().map(f).sum::<i64>();
            let tax = |i: usize| {
                returned
                    .iter()
                    .map(|r| r.taxes[i].amount_minor)
                    .sum::<i64>()
            };
            let mut whole = vec![
                ("total", sum(|r| r.total_minor), sold.total_minor),
                ("gross", sum(|r| r.gross_minor), sold.gross_minor),
                ("discount", sum(|r| r.discount_minor), sold.discount_minor),
            ];
            for (i, t) in sold.taxes.iter().enumerate() {
                whole.push(("a tax", tax(i), t.amount_minor));
            }
            for (what, got, line) in whole {
                if got != line {
                    problems.push(format!(
                        "the returns give back {got} of {what}, the line had {line}"
                    ));
                }
            }
        }
        results.push((case.name.clone(), case.why.clone(), problems));
    }
    report("refunds.json", results);
}

// ---------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------

/// A small rate table with every shape of tax: GST halves (one with an odd ppm), a cess
/// beside GST, compound taxes on top of others, a zero rate, and (not in the table) a
/// class that charges nothing.
fn property_rates() -> Vec<TaxRate> {
    let row = |class: &str, component: &str, rate_ppm: i64, base: TaxBase| TaxRate {
        class: class.into(),
        component: component.into(),
        rate_ppm,
        base,
        effective_from: "2017-07-01".into(),
    };
    use TaxBase::{Compound, Taxable};
    vec![
        row("GST 0%", "gst", 0, Taxable),
        row("GST 5%", "gst", 50_000, Taxable),
        row("GST 18%", "gst", 180_000, Taxable),
        row("GST 28% + Cess 12%", "gst", 280_000, Taxable),
        row("GST 28% + Cess 12%", "Cess", 120_000, Taxable),
        row("GST 5% + QST", "gst", 50_000, Taxable),
        row("GST 5% + QST", "QST", 99_750, Compound),
        row("VAT and two levies on it", "VAT", 70_000, Taxable),
        row("VAT and two levies on it", "QST", 99_750, Compound),
        row("VAT and two levies on it", "Levy", 15_000, Compound),
        row("GST 0.1251% + Cess 1%", "gst", 1_251, Taxable),
        row("GST 0.1251% + Cess 1%", "Cess", 10_000, Taxable),
    ]
}

const CLASSES: [&str; 7] = [
    "GST 0%",
    "GST 5%",
    "GST 18%",
    "GST 28% + Cess 12%",
    "GST 5% + QST",
    "VAT and two levies on it",
    "GST 0.1251% + Cess 1%",
];
const UNTAXED: &str = "Not in the table";
const HSN: [Option<&str>; 3] = [Some("6109"), Some("0902"), None];

/// A discount as generated: a percent, or a share (per mille) of what the line or cart
/// is worth, so that it is always valid.
#[derive(Debug, Clone)]
enum DiscountGen {
    None,
    Percent(i64),
    Share(i64),
}

fn discount_gen() -> impl Strategy<Value = DiscountGen> {
    prop_oneof![
        4 => Just(DiscountGen::None),
        2 => (0i64..=10_000).prop_map(DiscountGen::Percent),
        1 => Just(DiscountGen::Percent(10_000)),
        2 => (0i64..=1_000).prop_map(DiscountGen::Share),
    ]
}

#[derive(Debug, Clone)]
struct LineGen {
    qty: i64,
    price: i64,
    /// An index into CLASSES, or CLASSES.len() for a class with no taxes.
    class: usize,
    hsn: usize,
    discount: DiscountGen,
    /// Relative sizes of the parts the line is returned in.
    parts: Vec<u32>,
}

fn line_gen() -> impl Strategy<Value = LineGen> {
    (
        prop_oneof![3 => 1i64..=100_000, 1 => 1i64..=20, 1 => Just(1_000i64)],
        prop_oneof![3 => 0i64..=10_000_000, 1 => 0i64..=300],
        0..=CLASSES.len(),
        0..HSN.len(),
        discount_gen(),
        proptest::collection::vec(1u32..=1_000, 1..5),
    )
        .prop_map(|(qty, price, class, hsn, discount, parts)| LineGen {
            qty,
            price,
            class,
            hsn,
            discount,
            parts,
        })
}

#[derive(Debug, Clone)]
struct CartGen {
    lines: Vec<LineGen>,
    cart_discount: DiscountGen,
    inter_state: bool,
    rules: PricingRules,
    /// Cash step, extra cash handed over, and the share (per mille) paid by UPI first.
    cash_step: i64,
    extra_cash: i64,
    upi_share: i64,
}

fn cart_gen(inclusive: impl Strategy<Value = bool>) -> impl Strategy<Value = CartGen> {
    (
        proptest::collection::vec(line_gen(), 1..20),
        discount_gen(),
        any::<bool>(),
        inclusive,
        proptest::sample::select(vec![
            RoundingMode::HalfUp,
            RoundingMode::HalfEven,
            RoundingMode::Down,
        ]),
        proptest::sample::select(vec![TaxRounding::Line, TaxRounding::Document]),
        proptest::sample::select(vec![1i64, 5, 10, 50, 100]),
        0i64..100_000,
        prop_oneof![Just(0i64), 0i64..=1_000],
    )
        .prop_map(
            |(
                lines,
                cart_discount,
                inter_state,
                inclusive,
                rounding,
                tax_rounding,
                cash_step,
                extra_cash,
                upi_share,
            )| {
                CartGen {
                    lines,
                    cart_discount,
                    inter_state,
                    rules: PricingRules {
                        prices_include_tax: inclusive,
                        rounding,
                        tax_rounding,
                    },
                    cash_step,
                    extra_cash,
                    upi_share,
                }
            },
        )
}

fn discount_of(d: &DiscountGen, worth: i64) -> Option<Discount> {
    match d {
        DiscountGen::None => None,
        DiscountGen::Percent(bp) => Some(Discount::Percent(*bp)),
        DiscountGen::Share(per_mille) => Some(Discount::Amount(worth * per_mille / 1_000)),
    }
}

/// The cart's lines and cart discount, all valid.
fn inputs(cart: &CartGen) -> (Vec<LineInput>, Option<Discount>) {
    let rates = property_rates();
    let lines: Vec<LineInput> = cart
        .lines
        .iter()
        .map(|l| LineInput {
            quantity_milli: l.qty,
            unit_price_minor: l.price,
            // Any rounding gives at least the floor of quantity × price.
            discount: discount_of(&l.discount, l.qty * l.price / 1_000),
            taxes: taxes_for(
                &rates,
                CLASSES.get(l.class).copied().unwrap_or(UNTAXED),
                "2026-01-01",
                cart.inter_state,
            ),
            hsn: HSN[l.hsn].map(str::to_owned),
        })
        .collect();
    let cart_discount = match cart.cart_discount {
        DiscountGen::Share(_) => {
            // What the lines are worth after their own discounts.
            let t = price(&lines, None, cart.rules).unwrap();
            discount_of(&cart.cart_discount, t.gross_minor - t.discount_minor)
        }
        ref other => discount_of(other, 0),
    };
    (lines, cart_discount)
}

fn config() -> Config {
    Config {
        cases: 512,
        failure_persistence: None,
        ..Config::default()
    }
}

/// (a) the document is the sum of its lines, every way it is summed; (b) discounts.
fn check_totals(t: &Totals, lines: &[LineInput]) -> Result<(), TestCaseError> {
    prop_assert_eq!(t.lines.len(), lines.len());
    let sum = |f: fn(&galla_core::pos::LineTotals) -> i64| t.lines.iter().map(f).sum::<i64>();
    prop_assert_eq!(t.total_minor, sum(|l| l.total_minor));
    prop_assert_eq!(t.taxable_minor, sum(|l| l.taxable_minor));
    prop_assert_eq!(t.tax_minor, sum(|l| l.tax_minor));
    prop_assert_eq!(t.gross_minor, sum(|l| l.gross_minor));
    prop_assert_eq!(t.discount_minor, sum(|l| l.discount_minor()));
    for (l, input) in t.lines.iter().zip(lines) {
        prop_assert_eq!(l.taxable_minor + l.tax_minor, l.total_minor, "{:?}", l);
        prop_assert_eq!(
            l.tax_minor,
            l.taxes.iter().map(|x| x.amount_minor).sum::<i64>()
        );
        prop_assert_eq!(l.taxes.len(), input.taxes.len());
        prop_assert!(
            l.gross_minor >= 0 && l.line_discount_minor >= 0 && l.cart_discount_minor >= 0,
            "{:?}",
            l
        );
        prop_assert!(l.discount_minor() <= l.gross_minor, "{:?}", l);
        prop_assert!(l.taxable_minor >= 0 && l.total_minor >= 0, "{:?}", l);
        prop_assert!(l.taxes.iter().all(|x| x.amount_minor >= 0), "{:?}", l);
    }
    prop_assert_eq!(
        t.tax_minor,
        t.taxes.iter().map(|x| x.amount_minor).sum::<i64>()
    );
    prop_assert_eq!(
        t.taxable_minor,
        t.hsn.iter().map(|r| r.taxable_minor).sum::<i64>()
    );
    prop_assert_eq!(
        t.tax_minor,
        t.hsn
            .iter()
            .flat_map(|r| &r.taxes)
            .map(|x| x.amount_minor)
            .sum::<i64>()
    );
    Ok(())
}

/// (c) every line returned, in the generated parts, gives back exactly the line.
fn check_full_refund(t: &Totals, cart: &CartGen) -> Result<(), TestCaseError> {
    let mut given_back = 0;
    for (line, gen) in t.lines.iter().zip(&cart.lines) {
        let sold = SoldLine {
            quantity_milli: gen.qty,
            gross_minor: line.gross_minor,
            discount_minor: line.discount_minor(),
            taxes: line.taxes.clone(),
            total_minor: line.total_minor,
        };
        // Cut points at the running share of the parts; the last is the whole line.
        let whole: u64 = gen.parts.iter().map(|&p| u64::from(p)).sum();
        let mut running = 0u64;
        let mut before = 0i64;
        let mut back = Vec::new();
        for &p in &gen.parts {
            running += u64::from(p);
            let upto = i64::try_from(u64::try_from(gen.qty).unwrap() * running / whole).unwrap();
            if upto > before {
                back.push(return_line(&sold, before, upto - before).unwrap());
                before = upto;
            }
        }
        prop_assert_eq!(before, gen.qty);
        prop_assert!(
            return_line(&sold, before, 1).is_err(),
            "nothing is left to return"
        );
        let sum = |f: fn(&ReturnedLine) -> i64| back.iter().map(f).sum::<i64>();
        prop_assert_eq!(sum(|r| r.total_minor), line.total_minor);
        prop_assert_eq!(sum(|r| r.taxable_minor), line.taxable_minor);
        prop_assert_eq!(sum(|r| r.tax_minor), line.tax_minor);
        prop_assert_eq!(sum(|r| r.gross_minor), line.gross_minor);
        prop_assert_eq!(sum(|r| r.discount_minor), line.discount_minor());
        for (i, tax) in line.taxes.iter().enumerate() {
            let returned: i64 = back.iter().map(|r| r.taxes[i].amount_minor).sum();
            prop_assert_eq!(returned, tax.amount_minor, "{}", tax.name);
        }
        given_back += sum(|r| r.total_minor);
    }
    prop_assert_eq!(given_back, t.total_minor);
    Ok(())
}

/// (d) a cash payment, alone or after UPI: only the cash is rounded, to the nearest
/// step, and the payments add up to the grand total.
fn check_cash(total: i64, cart: &CartGen) -> Result<(), TestCaseError> {
    let step = cart.cash_step;
    let upi = total * cart.upi_share / 1_000;
    let mut tenders = Vec::new();
    if upi > 0 && upi < total {
        tenders.push(Tender {
            method: Method::Upi,
            amount_minor: upi,
            reference: Some("UPI 1".into()),
        });
    }
    let paid_before: i64 = tenders.iter().map(|t| t.amount_minor).sum();
    let cash_left = total - paid_before;
    // Enough for any rounding, and then some.
    let handed = cash_left + step + cart.extra_cash;
    tenders.push(Tender {
        method: Method::Cash,
        amount_minor: handed,
        reference: None,
    });
    let s = settle(total, &tenders, step).unwrap();
    prop_assert_eq!(s.grand_total_minor, total + s.rounding_minor);
    prop_assert!(2 * s.rounding_minor.abs() <= step, "{:?}", s);
    prop_assert_eq!(
        s.payments.iter().map(|p| p.amount_minor).sum::<i64>(),
        s.grand_total_minor
    );
    let cash = s.payments.last().unwrap();
    prop_assert_eq!(cash.method, Method::Cash);
    prop_assert_eq!(cash.amount_minor % step, 0, "{:?}", s);
    prop_assert_eq!(cash.amount_minor, cash_left + s.rounding_minor);
    prop_assert_eq!(s.change_minor, handed - cash.amount_minor);
    prop_assert!(s.change_minor >= 0);
    Ok(())
}

#[test]
fn any_cart_adds_up_refunds_exactly_and_settles_in_cash() {
    let mut runner = proptest::test_runner::TestRunner::new(config());
    runner
        .run(&cart_gen(any::<bool>()), |cart| {
            let (lines, cart_discount) = inputs(&cart);
            let totals = price(&lines, cart_discount, cart.rules);
            prop_assert!(totals.is_ok(), "{:?}", totals);
            let totals = totals.unwrap();
            check_totals(&totals, &lines)?;
            check_full_refund(&totals, &cart)?;
            check_cash(totals.total_minor, &cart)?;
            Ok(())
        })
        .unwrap();
}

/// Exclusive prices: tax is added on top of the line's value after discounts.
#[test]
fn an_exclusive_line_is_taxed_on_its_value_after_discounts() {
    let mut runner = proptest::test_runner::TestRunner::new(config());
    runner
        .run(&cart_gen(Just(false)), |cart| {
            let (lines, cart_discount) = inputs(&cart);
            let totals = price(&lines, cart_discount, cart.rules).unwrap();
            for l in &totals.lines {
                prop_assert_eq!(
                    l.taxable_minor,
                    l.gross_minor - l.discount_minor(),
                    "{:?}",
                    l
                );
            }
            Ok(())
        })
        .unwrap();
}

/// Inclusive prices: what the customer pays for a line is its value after discounts,
/// the tax being inside it.
#[test]
fn an_inclusive_line_costs_its_value_after_discounts() {
    let mut runner = proptest::test_runner::TestRunner::new(config());
    runner
        .run(&cart_gen(Just(true)), |cart| {
            let (lines, cart_discount) = inputs(&cart);
            let totals = price(&lines, cart_discount, cart.rules).unwrap();
            for l in &totals.lines {
                prop_assert_eq!(l.total_minor, l.gross_minor - l.discount_minor(), "{:?}", l);
            }
            Ok(())
        })
        .unwrap();
}
