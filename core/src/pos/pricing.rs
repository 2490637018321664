//! A cart's money, line by line (MONEY.md): quantity × price, line discount, the
//! cart discount spread over the lines, tax per line (or per document, spread back),
//! and totals that are always the sums of the lines.

use super::rounding::{allocate, divide, to_i64, RoundingMode};
use super::tax::{AppliedTax, TaxBase, PPM};

/// Quantities are thousandths.
const MILLI: i128 = 1_000;
/// Percent discounts are basis points: 10% is 1_000.
const BP: i128 = 10_000;

/// A discount as given: a share of the value, or an amount off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Discount {
    /// Basis points: 1_000 is 10%.
    Percent(i64),
    /// Minor units off.
    Amount(i64),
}

/// Where tax is rounded (MONEY.md: a setting).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TaxRounding {
    /// Each line's tax is rounded on its own.
    #[default]
    Line,
    /// Each tax is rounded once over the document and spread back over the lines so
    /// they still add up.
    Document,
}

impl TaxRounding {
    pub fn as_str(&self) -> &'static str {
        match self {
            TaxRounding::Line => "line",
            TaxRounding::Document => "document",
        }
    }

    pub fn parse(text: &str) -> Option<TaxRounding> {
        match text {
            "line" => Some(TaxRounding::Line),
            "document" => Some(TaxRounding::Document),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PricingRules {
    pub prices_include_tax: bool,
    pub rounding: RoundingMode,
    pub tax_rounding: TaxRounding,
}

/// What the pricing needs to know of one cart line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineInput {
    pub quantity_milli: i64,
    pub unit_price_minor: i64,
    pub discount: Option<Discount>,
    pub taxes: Vec<AppliedTax>,
    pub hsn: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxAmount {
    pub name: String,
    pub rate_ppm: i64,
    pub amount_minor: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LineTotals {
    /// Quantity × unit price.
    pub gross_minor: i64,
    pub line_discount_minor: i64,
    /// This line's share of the cart discount.
    pub cart_discount_minor: i64,
    /// The value tax is charged on.
    pub taxable_minor: i64,
    pub taxes: Vec<TaxAmount>,
    pub tax_minor: i64,
    /// What the customer pays for the line: taxable + tax.
    pub total_minor: i64,
}

impl LineTotals {
    pub fn discount_minor(&self) -> i64 {
        self.line_discount_minor + self.cart_discount_minor
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HsnRow {
    pub hsn: String,
    pub taxable_minor: i64,
    pub taxes: Vec<TaxAmount>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Totals {
    pub lines: Vec<LineTotals>,
    pub gross_minor: i64,
    pub discount_minor: i64,
    pub taxable_minor: i64,
    pub tax_minor: i64,
    pub total_minor: i64,
    /// Tax by (name, rate) over the cart, in order of first appearance.
    pub taxes: Vec<TaxAmount>,
    pub hsn: Vec<HsnRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PricingError {
    #[error("A discount cannot be more than 100%.")]
    PercentOver100,
    #[error("A discount cannot be negative.")]
    Negative,
    #[error("The discount is more than the line is worth.")]
    LineDiscountTooLarge { line: usize },
    #[error("The discount is more than the sale is worth.")]
    CartDiscountTooLarge,
    #[error("That sale is too large to total.")]
    TooLarge,
}

/// Largest amount a single line or cart may reach: ₹10 crore in paise is 1e10, far
/// below this, and the i128 arithmetic below has room for any rate and quantity.
const MAX_MINOR: i128 = 1_000_000_000_000_000;

fn discount_value(
    discount: Discount,
    value: i128,
    mode: RoundingMode,
) -> Result<i128, PricingError> {
    match discount {
        Discount::Percent(bp) if bp < 0 => Err(PricingError::Negative),
        Discount::Percent(bp) if i128::from(bp) > BP => Err(PricingError::PercentOver100),
        Discount::Percent(bp) => Ok(divide(value * i128::from(bp), BP, mode)),
        Discount::Amount(minor) if minor < 0 => Err(PricingError::Negative),
        Discount::Amount(minor) => Ok(i128::from(minor)),
    }
}

/// Totals a cart. The same inputs give the same totals on every machine.
pub fn price(
    lines: &[LineInput],
    cart_discount: Option<Discount>,
    rules: PricingRules,
) -> Result<Totals, PricingError> {
    let mode = rules.rounding;
    // 1. Gross and the line's own discount.
    let mut after_line = Vec::with_capacity(lines.len());
    let mut totals: Vec<LineTotals> = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        let gross = divide(
            i128::from(line.quantity_milli) * i128::from(line.unit_price_minor),
            MILLI,
            mode,
        );
        if gross.abs() > MAX_MINOR {
            return Err(PricingError::TooLarge);
        }
        let discount = match line.discount {
            Some(d) => discount_value(d, gross, mode)?,
            None => 0,
        };
        if discount > gross {
            return Err(PricingError::LineDiscountTooLarge { line: i });
        }
        after_line.push(gross - discount);
        totals.push(LineTotals {
            gross_minor: to_i64(gross),
            line_discount_minor: to_i64(discount),
            ..LineTotals::default()
        });
    }
    // 2. The cart discount, spread in proportion to each line's value after its own
    // discount; the rounding remainder goes to the largest line (ties: the first).
    let subtotal: i128 = after_line.iter().sum();
    let cart_discount = match cart_discount {
        Some(d) => discount_value(d, subtotal, mode)?,
        None => 0,
    };
    if cart_discount > subtotal {
        return Err(PricingError::CartDiscountTooLarge);
    }
    let shares = spread(cart_discount, &after_line);
    let nets: Vec<i128> = after_line.iter().zip(&shares).map(|(a, s)| a - s).collect();
    for (t, share) in totals.iter_mut().zip(&shares) {
        t.cart_discount_minor = to_i64(*share);
    }
    // 3. Tax.
    let taxed = if rules.prices_include_tax {
        tax_inclusive(lines, &nets, rules)
    } else {
        tax_exclusive(lines, &nets, rules)
    };
    for ((t, line), (taxable, taxes)) in totals.iter_mut().zip(lines).zip(taxed) {
        let tax: i128 = taxes.iter().sum();
        t.taxable_minor = to_i64(taxable);
        t.tax_minor = to_i64(tax);
        t.total_minor = to_i64(taxable + tax);
        t.taxes = line
            .taxes
            .iter()
            .zip(&taxes)
            .map(|(applied, amount)| TaxAmount {
                name: applied.name.clone(),
                rate_ppm: applied.rate_ppm,
                amount_minor: to_i64(*amount),
            })
            .collect();
    }
    Ok(summarise(lines, totals))
}

/// Splits `amount` over `values` in proportion; the remainder goes to the largest value
/// (ties: the first), capped at what that line has left, any overflow to the next.
fn spread(amount: i128, values: &[i128]) -> Vec<i128> {
    let total: i128 = values.iter().sum();
    if amount == 0 || total == 0 {
        return vec![0; values.len()];
    }
    let mut shares: Vec<i128> = values.iter().map(|v| amount * v / total).collect();
    let mut left = amount - shares.iter().sum::<i128>();
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[b].cmp(&values[a]).then(a.cmp(&b)));
    for &i in &order {
        if left == 0 {
            break;
        }
        let room = values[i] - shares[i];
        let give = room.min(left);
        shares[i] += give;
        left -= give;
    }
    shares
}

/// One line's exact amount of one tax, as numerator over denominator, with the key a
/// document-rounded tax is grouped by: the same tax (name and rate) at the same place in
/// the lines' lists.
type Exact = Option<((String, i64), i128, i128)>;

/// Prices exclude tax: the taxable value is the net, and each tax is added on top.
fn tax_exclusive(
    lines: &[LineInput],
    nets: &[i128],
    rules: PricingRules,
) -> Vec<(i128, Vec<i128>)> {
    let mut taxes: Vec<Vec<i128>> = lines.iter().map(|_| Vec::new()).collect();
    let components = lines.iter().map(|l| l.taxes.len()).max().unwrap_or(0);
    // Component by component, so a compound tax's base holds the taxes before it.
    for c in 0..components {
        let exact: Vec<Exact> = lines
            .iter()
            .enumerate()
            .map(|(i, line)| {
                line.taxes.get(c).map(|applied| {
                    let base = match applied.base {
                        TaxBase::Taxable => nets[i],
                        TaxBase::Compound => nets[i] + taxes[i].iter().sum::<i128>(),
                    };
                    let key = (applied.name.clone(), applied.rate_ppm);
                    (key, base * i128::from(applied.rate_ppm), PPM)
                })
            })
            .collect();
        for (i, amount) in settle(&exact, rules).into_iter().enumerate() {
            if let Some(amount) = amount {
                taxes[i].push(amount);
            }
        }
    }
    nets.iter().copied().zip(taxes).collect()
}

/// Rounds exact amounts: each on its own (per line), or each group of the same tax
/// once over the document, spread back by largest remainder so the lines add up to the
/// document's figure.
fn settle(exact: &[Exact], rules: PricingRules) -> Vec<Option<i128>> {
    match rules.tax_rounding {
        TaxRounding::Line => exact
            .iter()
            .map(|e| e.as_ref().map(|(_, n, d)| divide(*n, *d, rules.rounding)))
            .collect(),
        TaxRounding::Document => {
            let mut out = vec![None; exact.len()];
            let mut keys: Vec<&(String, i64)> = Vec::new();
            for (key, _, _) in exact.iter().flatten() {
                if !keys.contains(&key) {
                    keys.push(key);
                }
            }
            for key in keys {
                let members: Vec<(usize, (i128, i128))> = exact
                    .iter()
                    .enumerate()
                    .filter_map(|(i, e)| match e {
                        Some((k, n, d)) if k == key => Some((i, (*n, *d))),
                        _ => None,
                    })
                    .collect();
                let parts: Vec<(i128, i128)> = members.iter().map(|(_, p)| *p).collect();
                let document = round_sum(&parts, rules.rounding);
                for ((i, _), amount) in members.iter().zip(allocate(document, &parts)) {
                    out[*i] = Some(amount);
                }
            }
            out
        }
    }
}

/// Each tax's coefficient of the taxable value and their common denominator: a tax on
/// the taxable value is rate × T; a compound one is rate × (T + the taxes before it).
fn coefficients(taxes: &[AppliedTax]) -> (Vec<i128>, i128) {
    let mut den: i128 = 1;
    let mut coefficients: Vec<i128> = Vec::with_capacity(taxes.len());
    for applied in taxes {
        let base = match applied.base {
            TaxBase::Taxable => den,
            TaxBase::Compound => den + coefficients.iter().sum::<i128>(),
        };
        for c in coefficients.iter_mut() {
            *c *= PPM;
        }
        coefficients.push(base * i128::from(applied.rate_ppm));
        den *= PPM;
    }
    (coefficients, den)
}

/// Prices include tax: the net is what the customer pays. Each tax is worked out from
/// it (net × its share of the whole) and rounded; the taxable value is what is left,
/// so taxable + taxes = net always, and equal rates (CGST, SGST) come out equal.
fn tax_inclusive(
    lines: &[LineInput],
    nets: &[i128],
    rules: PricingRules,
) -> Vec<(i128, Vec<i128>)> {
    let shares: Vec<(Vec<i128>, i128)> = lines
        .iter()
        .map(|l| {
            let (coefficients, den) = coefficients(&l.taxes);
            let whole = den + coefficients.iter().sum::<i128>();
            (coefficients, whole)
        })
        .collect();
    let mut taxes: Vec<Vec<i128>> = lines.iter().map(|_| Vec::new()).collect();
    let components = lines.iter().map(|l| l.taxes.len()).max().unwrap_or(0);
    for c in 0..components {
        let exact: Vec<Exact> = lines
            .iter()
            .enumerate()
            .map(|(i, line)| {
                line.taxes.get(c).map(|applied| {
                    let (coefficients, whole) = &shares[i];
                    let key = (applied.name.clone(), applied.rate_ppm);
                    (key, nets[i] * coefficients[c], *whole)
                })
            })
            .collect();
        for (i, amount) in settle(&exact, rules).into_iter().enumerate() {
            if let Some(amount) = amount {
                taxes[i].push(amount);
            }
        }
    }
    nets.iter()
        .zip(taxes)
        .map(|(net, taxes)| (net - taxes.iter().sum::<i128>(), taxes))
        .collect()
}

/// Σ n_i/d_i rounded, exactly, for positive denominators.
fn round_sum(parts: &[(i128, i128)], mode: RoundingMode) -> i128 {
    let whole: i128 = parts.iter().map(|(n, d)| n.div_euclid(*d)).sum();
    // The fractional parts sum to less than parts.len(); add them up one by one as a
    // fraction over a running denominator kept small by reducing.
    let mut num: i128 = 0;
    let mut den: i128 = 1;
    for (n, d) in parts {
        let r = n.rem_euclid(*d);
        let g = gcd(den, *d);
        let lcm = den / g * d;
        num = num * (lcm / den) + r * (lcm / d);
        den = lcm;
        let g = gcd(num, den).max(1);
        num /= g;
        den /= g;
    }
    whole + divide(num, den, mode)
}

fn gcd(a: i128, b: i128) -> i128 {
    let (mut a, mut b) = (a.abs(), b.abs());
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// Document totals as sums of the lines, tax by component and the HSN summary.
fn summarise(lines: &[LineInput], line_totals: Vec<LineTotals>) -> Totals {
    let mut totals = Totals::default();
    let mut summary = TaxSummary::default();
    for (line, t) in lines.iter().zip(&line_totals) {
        totals.gross_minor += t.gross_minor;
        totals.discount_minor += t.discount_minor();
        totals.taxable_minor += t.taxable_minor;
        totals.tax_minor += t.tax_minor;
        totals.total_minor += t.total_minor;
        summary.add_line(line.hsn.as_deref(), t.taxable_minor, &t.taxes);
    }
    totals.taxes = summary.taxes;
    totals.hsn = summary.hsn;
    totals.lines = line_totals;
    totals
}

/// Tax by (name, rate) and by HSN code over some lines, in order of first appearance:
/// what a cart's totals, a recorded document and a shift's report all show.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TaxSummary {
    pub taxes: Vec<TaxAmount>,
    pub hsn: Vec<HsnRow>,
}

impl TaxSummary {
    pub fn add_line(&mut self, hsn: Option<&str>, taxable_minor: i64, taxes: &[TaxAmount]) {
        let code = hsn.unwrap_or_default();
        let index = match self.hsn.iter().position(|r| r.hsn == code) {
            Some(i) => i,
            None => {
                self.hsn.push(HsnRow {
                    hsn: code.to_owned(),
                    taxable_minor: 0,
                    taxes: Vec::new(),
                });
                self.hsn.len() - 1
            }
        };
        self.hsn[index].taxable_minor += taxable_minor;
        for amount in taxes {
            add_tax(&mut self.taxes, amount);
            add_tax(&mut self.hsn[index].taxes, amount);
        }
    }
}

/// Adds `amount` to the entry for the same tax (name and rate), or appends it.
pub fn add_tax(into: &mut Vec<TaxAmount>, amount: &TaxAmount) {
    match into
        .iter_mut()
        .find(|t| t.name == amount.name && t.rate_ppm == amount.rate_ppm)
    {
        Some(t) => t.amount_minor += amount.amount_minor,
        None => into.push(amount.clone()),
    }
}
