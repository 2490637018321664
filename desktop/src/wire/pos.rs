//! The point of sale's screens as they cross IPC: the cart, payments, receipts,
//! returns, shifts, customers and the counter's settings. Money travels as integer
//! minor units, quantities as integer thousandths; what a person types travels as
//! text that core parses. The UI computes no money: every total here comes from core.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A discount as typed by the cashier: "10" percent or "50.00" off.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct DiscountInput {
    /// "percent" or "amount".
    pub kind: String,
    /// "10", "12.5" (percent) or "50.00" (amount), as typed.
    pub value: String,
}

/// A discount as core holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DiscountView {
    /// "percent" or "amount".
    pub kind: String,
    /// Basis points for a percent (1000 = 10%), minor units for an amount.
    #[ts(type = "number")]
    pub value: i64,
    /// Who approved it over the cashier's limit, if anyone had to.
    pub approved_by: Option<String>,
}

/// One tax on a line or in a summary: "CGST 9%", "SGST 9%", "IGST 18%", "Cess 12%".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TaxAmountView {
    pub name: String,
    /// Parts per million: 90000 = 9%.
    #[ts(type = "number")]
    pub rate_ppm: i64,
    #[ts(type = "number")]
    pub amount_minor: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CartLineView {
    pub line_id: String,
    pub variant_id: String,
    /// "Silk saree (Red / M)".
    pub name: String,
    pub sku: Option<String>,
    pub hsn: Option<String>,
    #[ts(type = "number")]
    pub quantity_milli: i64,
    /// The catalog price, or the overridden or label price.
    #[ts(type = "number")]
    pub unit_price_minor: i64,
    /// "catalog", "override" (a person changed it) or "label" (a price-embedded scale barcode).
    pub price_source: String,
    pub discount: Option<DiscountView>,
    /// Quantity × unit price, before discounts.
    #[ts(type = "number")]
    pub gross_minor: i64,
    /// This line's own discount plus its share of the cart discount.
    #[ts(type = "number")]
    pub discount_minor: i64,
    pub taxes: Vec<TaxAmountView>,
    #[ts(type = "number")]
    pub tax_minor: i64,
    /// What the customer pays for this line.
    #[ts(type = "number")]
    pub total_minor: i64,
}

/// One row of the HSN-wise summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct HsnRowView {
    /// Empty for items without an HSN code.
    pub hsn: String,
    #[ts(type = "number")]
    pub taxable_minor: i64,
    pub taxes: Vec<TaxAmountView>,
    #[ts(type = "number")]
    pub tax_minor: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TotalsView {
    /// Sum of the lines' gross.
    #[ts(type = "number")]
    pub gross_minor: i64,
    #[ts(type = "number")]
    pub discount_minor: i64,
    #[ts(type = "number")]
    pub taxable_minor: i64,
    #[ts(type = "number")]
    pub tax_minor: i64,
    /// Sum of the lines' totals: what is due before cash rounding.
    #[ts(type = "number")]
    pub total_minor: i64,
    /// Tax by component over the whole cart ("CGST 9%": 123).
    pub taxes: Vec<TaxAmountView>,
    pub hsn: Vec<HsnRowView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CustomerView {
    pub id: String,
    pub name: String,
    pub phone: Option<String>,
    pub gstin: Option<String>,
    #[ts(type = "number")]
    pub store_credit_minor: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct CustomerInput {
    pub name: String,
    pub phone: String,
    /// Empty when the customer has none.
    pub gstin: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CartView {
    pub lines: Vec<CartLineView>,
    pub cart_discount: Option<DiscountView>,
    pub customer: Option<CustomerView>,
    /// True when the customer's GSTIN is from another state: IGST instead of CGST + SGST.
    pub inter_state: bool,
    pub totals: TotalsView,
    /// The last line added or changed, so the UI can scroll to and highlight it.
    pub focus_line_id: Option<String>,
}

/// A sale put aside to serve someone else.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ParkedSaleView {
    pub id: String,
    #[ts(type = "number")]
    pub parked_at_ms: u64,
    pub note: String,
    pub customer_name: Option<String>,
    #[ts(type = "number")]
    pub line_count: i64,
    #[ts(type = "number")]
    pub total_minor: i64,
    pub parked_by: String,
}

/// How the counter is set up (owner's Counter settings page).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct PosSettingsView {
    pub shop_name: String,
    pub shop_address: String,
    /// Empty when the shop is not registered for GST.
    pub gstin: String,
    /// Two-digit GST state code of the shop ("29" Karnataka).
    pub state_code: String,
    /// Empty when the shop takes no UPI.
    pub upi_id: String,
    pub prices_include_tax: bool,
    /// "half_up", "half_even" or "down".
    pub rounding_mode: String,
    /// "line" or "document".
    pub tax_rounding: String,
    /// Cash is rounded to this many minor units (100 = ₹1; 5 = ₹0.05; 1 = none), as typed.
    pub cash_step: String,
    /// Receipt numbers start with this: "S1-C2".
    pub receipt_prefix: String,
    /// Start the receipt series again each calendar year (the year goes into the number).
    pub yearly_reset: bool,
    /// Scale barcode prefixes, comma separated: "21 weight, 23 price".
    pub scale_prefixes: String,
    /// The biggest discount a cashier may give without a manager, in percent, as typed.
    pub cashier_discount_limit: String,
    /// Where receipts print: a printer device such as /dev/usb/lp0, or a folder for files.
    pub printer_path: String,
    /// "80mm" or "58mm".
    pub paper: String,
    /// The shop's time zone as an offset from UTC: "+05:30".
    pub utc_offset: String,
}

/// One tender of a payment.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct PaymentInput {
    /// "cash", "card", "upi" or "store_credit".
    pub method: String,
    /// As typed. For cash this is what the customer handed over.
    pub amount: String,
    /// The card terminal's or UPI app's reference; required for card.
    pub reference: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PaymentView {
    pub method: String,
    /// What this tender paid towards the sale (for cash: handed over minus change).
    #[ts(type = "number")]
    pub amount_minor: i64,
    /// For cash: what the customer handed over.
    #[ts(type = "number")]
    pub tendered_minor: i64,
    pub reference: Option<String>,
}

/// The amount still due before a tender, with cash rounding shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DueView {
    #[ts(type = "number")]
    pub total_minor: i64,
    #[ts(type = "number")]
    pub paid_minor: i64,
    #[ts(type = "number")]
    pub remaining_minor: i64,
    /// What is due if the rest is paid in cash, after the shop's cash rounding.
    #[ts(type = "number")]
    pub remaining_cash_minor: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct UpiQrView {
    /// upi://pay?pa=…&am=…
    pub uri: String,
    /// The QR code as an SVG document.
    pub svg: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ReceiptLineView {
    pub line_id: String,
    pub name: String,
    pub hsn: Option<String>,
    #[ts(type = "number")]
    pub quantity_milli: i64,
    #[ts(type = "number")]
    pub unit_price_minor: i64,
    #[ts(type = "number")]
    pub discount_minor: i64,
    pub taxes: Vec<TaxAmountView>,
    #[ts(type = "number")]
    pub total_minor: i64,
    /// How much of this line has already been returned.
    #[ts(type = "number")]
    pub returned_milli: i64,
}

/// A completed sale or return as the receipt shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ReceiptView {
    pub id: String,
    /// "S1-C2-000123".
    pub number: String,
    /// "sale" or "return".
    pub kind: String,
    /// For a return: the sale it returns against, if any.
    pub original_number: Option<String>,
    #[ts(type = "number")]
    pub at_ms: u64,
    pub cashier: String,
    pub customer: Option<CustomerView>,
    pub lines: Vec<ReceiptLineView>,
    pub totals: TotalsView,
    /// The recorded cash-rounding line (positive when rounded up).
    #[ts(type = "number")]
    pub rounding_minor: i64,
    /// What was paid (sale) or given back (return), rounding included.
    #[ts(type = "number")]
    pub grand_total_minor: i64,
    pub payments: Vec<PaymentView>,
    #[ts(type = "number")]
    pub change_minor: i64,
    /// The receipt as it prints, one string per printed line, for the on-screen copy.
    pub text: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ReceiptSummaryView {
    pub number: String,
    pub kind: String,
    #[ts(type = "number")]
    pub at_ms: u64,
    pub customer_name: Option<String>,
    #[ts(type = "number")]
    pub grand_total_minor: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PrintedView {
    /// Where the bytes went.
    pub path: String,
    #[ts(type = "number")]
    pub bytes: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ReturnLineInput {
    pub line_id: String,
    /// As typed: "1", "0.250".
    pub quantity: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ReturnInput {
    /// The receipt number being returned against.
    pub receipt_number: String,
    pub lines: Vec<ReturnLineInput>,
    /// Put the items back on the shelf (a stock movement back in).
    pub restock: bool,
    /// "cash", "card", "upi" or "store_credit".
    pub method: String,
    pub reference: String,
}

/// A return without a receipt: the manager approves, the cashier names items and prices.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct UnreceiptedReturnInput {
    pub variant_id: String,
    pub quantity: String,
    /// What is given back for the whole quantity, tax included, as typed.
    pub amount: String,
    pub restock: bool,
    pub method: String,
    pub reference: String,
    pub approver_pin: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CashMovementView {
    /// "in" or "out".
    pub kind: String,
    #[ts(type = "number")]
    pub amount_minor: i64,
    pub reason: String,
    pub staff_name: String,
    #[ts(type = "number")]
    pub at_ms: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct MethodTotalView {
    pub method: String,
    #[ts(type = "number")]
    pub sales_minor: i64,
    #[ts(type = "number")]
    pub refunds_minor: i64,
    #[ts(type = "number")]
    pub net_minor: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct DenominationInput {
    /// The note or coin, in minor units (50000 = ₹500).
    #[ts(type = "number")]
    pub value_minor: i64,
    /// How many, as typed.
    pub count: String,
}

/// X report (shift open) or Z report (shift closed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ShiftReportView {
    pub shift_id: String,
    /// "X" while the shift is open, "Z" once closed.
    pub kind: String,
    pub opened_by: String,
    #[ts(type = "number")]
    pub opened_at_ms: u64,
    pub closed_by: Option<String>,
    #[ts(type = "number | null")]
    pub closed_at_ms: Option<u64>,
    #[ts(type = "number")]
    pub float_minor: i64,
    #[ts(type = "number")]
    pub sale_count: i64,
    #[ts(type = "number")]
    pub return_count: i64,
    #[ts(type = "number")]
    pub gross_sales_minor: i64,
    #[ts(type = "number")]
    pub discounts_minor: i64,
    #[ts(type = "number")]
    pub refunds_minor: i64,
    #[ts(type = "number")]
    pub tax_minor: i64,
    pub taxes: Vec<TaxAmountView>,
    #[ts(type = "number")]
    pub rounding_minor: i64,
    /// Sales minus refunds, rounding included.
    #[ts(type = "number")]
    pub net_minor: i64,
    pub by_method: Vec<MethodTotalView>,
    pub cash_movements: Vec<CashMovementView>,
    /// Float + cash sales − cash refunds + cash in − cash out.
    #[ts(type = "number")]
    pub expected_cash_minor: i64,
    #[ts(type = "number | null")]
    pub counted_cash_minor: Option<i64>,
    /// Counted − expected: positive is over, negative short.
    #[ts(type = "number | null")]
    pub over_short_minor: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PosStateView {
    /// The open shift's running X report; null when no shift is open (selling is refused).
    pub shift: Option<ShiftReportView>,
    pub cart: CartView,
    pub parked: Vec<ParkedSaleView>,
    pub settings: PosSettingsView,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CustomerHistoryView {
    pub customer: CustomerView,
    pub receipts: Vec<ReceiptSummaryView>,
}

/// One tax class version as the owner edits it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct TaxRateView {
    /// The class products name in their tax_class ("GST 18%").
    pub class: String,
    /// "CGST+SGST/IGST" components are written as "gst"; others by their own name ("Cess").
    pub component: String,
    /// Percent as typed ("18", "0.25").
    pub rate: String,
    /// "taxable" (on the price) or "compound" (on the price plus the taxes before it).
    pub base: String,
    /// YYYY-MM-DD.
    pub effective_from: String,
}

// ---- Conversions from core ----

use galla_core::pos::customer::Customer;
use galla_core::pos::document::SaleDocument;
use galla_core::pos::payment::{PaymentError, SettledPayment};
use galla_core::pos::pricing::{HsnRow, TaxAmount, Totals};
use galla_core::pos::shift::ShiftReport;
use galla_core::pos::tax::{rate_percent_text, TaxRate};
use galla_core::pos::{CartError, Discount, PosError, PosSettingsForm};

use super::{ErrorCode, IpcError};

pub fn error(e: PosError) -> IpcError {
    let message = e.to_string();
    let (code, field) = match &e {
        PosError::Cart(CartError::ApprovalRequired(_)) => (ErrorCode::ApprovalRequired, None),
        PosError::Cart(CartError::Pricing(_)) | PosError::Pricing(_) => {
            (ErrorCode::DiscountInvalid, None)
        }
        PosError::Cart(CartError::LineNotFound) => (ErrorCode::NotFound, None),
        PosError::Cart(CartError::PriceNegative) => (ErrorCode::PriceInvalid, None),
        PosError::Cart(_) => (ErrorCode::QuantityInvalid, None),
        PosError::Payment(p) => (
            ErrorCode::PaymentInvalid,
            match p {
                PaymentError::Short { .. } => None,
                other => other.index().map(|i| format!("payments.{i}.amount")),
            },
        ),
        PosError::Return(_) => (ErrorCode::ReturnInvalid, None),
        PosError::ReturnLine { index, .. } => (
            ErrorCode::ReturnInvalid,
            Some(format!("lines.{index}.quantity")),
        ),
        PosError::Customer(c) => (ErrorCode::CustomerInvalid, c.field().map(str::to_owned)),
        PosError::NoOpenShift => (ErrorCode::NoOpenShift, None),
        PosError::ShiftOpen => (ErrorCode::ShiftOpen, None),
        PosError::CartEmpty => (ErrorCode::CartEmpty, None),
        PosError::ReceiptNotFound(_) | PosError::UnknownBarcode(_) | PosError::ParkedNotFound => {
            (ErrorCode::NotFound, None)
        }
        PosError::ItemArchived => (ErrorCode::NotFound, None),
        PosError::Amount(_) | PosError::Count(_) | PosError::ReasonRequired => {
            (ErrorCode::InputInvalid, None)
        }
        PosError::SettingMissing(_) => (ErrorCode::SettingMissing, None),
        PosError::NothingToReturn => (ErrorCode::ReturnInvalid, None),
        PosError::ApprovalPinWrong { .. } => (ErrorCode::PinWrong, None),
        PosError::ApprovalLocked { .. } => (ErrorCode::PinLocked, None),
    };
    IpcError {
        code,
        message,
        field,
    }
}

impl DiscountView {
    pub fn new(d: Discount, approved_by: Option<&str>) -> DiscountView {
        let (kind, value) = match d {
            Discount::Percent(bp) => ("percent", bp),
            Discount::Amount(m) => ("amount", m),
        };
        DiscountView {
            kind: kind.into(),
            value,
            approved_by: approved_by.map(str::to_owned),
        }
    }
}

impl From<&TaxAmount> for TaxAmountView {
    fn from(t: &TaxAmount) -> TaxAmountView {
        TaxAmountView {
            name: t.name.clone(),
            rate_ppm: t.rate_ppm,
            amount_minor: t.amount_minor,
        }
    }
}

pub fn taxes(list: &[TaxAmount]) -> Vec<TaxAmountView> {
    list.iter().map(TaxAmountView::from).collect()
}

impl From<&HsnRow> for HsnRowView {
    fn from(r: &HsnRow) -> HsnRowView {
        HsnRowView {
            hsn: r.hsn.clone(),
            taxable_minor: r.taxable_minor,
            tax_minor: r.taxes.iter().map(|t| t.amount_minor).sum(),
            taxes: taxes(&r.taxes),
        }
    }
}

impl From<&Totals> for TotalsView {
    fn from(t: &Totals) -> TotalsView {
        TotalsView {
            gross_minor: t.gross_minor,
            discount_minor: t.discount_minor,
            taxable_minor: t.taxable_minor,
            tax_minor: t.tax_minor,
            total_minor: t.total_minor,
            taxes: taxes(&t.taxes),
            hsn: t.hsn.iter().map(HsnRowView::from).collect(),
        }
    }
}

impl From<&Customer> for CustomerView {
    fn from(c: &Customer) -> CustomerView {
        CustomerView {
            id: c.id.to_string(),
            name: c.name.clone(),
            phone: c.phone.clone(),
            gstin: c.gstin.clone(),
            store_credit_minor: c.store_credit_minor,
        }
    }
}

impl From<&SettledPayment> for PaymentView {
    fn from(p: &SettledPayment) -> PaymentView {
        PaymentView {
            method: p.method.as_str().into(),
            amount_minor: p.amount_minor,
            tendered_minor: p.tendered_minor,
            reference: p.reference.clone(),
        }
    }
}

impl ReceiptView {
    /// `customer` is the customer as they are now (with today's store credit), when known.
    pub fn new(
        doc: &SaleDocument,
        customer: Option<CustomerView>,
        text: Vec<String>,
    ) -> ReceiptView {
        let totals = TotalsView {
            gross_minor: doc.gross_minor,
            discount_minor: doc.discount_minor,
            taxable_minor: doc.taxable_minor,
            tax_minor: doc.tax_minor,
            total_minor: doc.total_minor,
            taxes: taxes(&doc.taxes),
            hsn: doc.hsn.iter().map(HsnRowView::from).collect(),
        };
        ReceiptView {
            id: doc.id.to_string(),
            number: doc.number.clone(),
            kind: doc.kind.as_str().into(),
            original_number: doc.original_number.clone(),
            at_ms: doc.at_ms,
            cashier: doc.header.cashier.clone(),
            customer,
            lines: doc
                .lines
                .iter()
                .map(|l| ReceiptLineView {
                    line_id: l.line_id.to_string(),
                    name: l.name.clone(),
                    hsn: l.hsn.clone(),
                    quantity_milli: l.quantity_milli,
                    unit_price_minor: l.unit_price_minor,
                    discount_minor: l.discount_minor,
                    taxes: taxes(&l.taxes),
                    total_minor: l.total_minor,
                    returned_milli: l.returned_milli,
                })
                .collect(),
            totals,
            rounding_minor: doc.rounding_minor,
            grand_total_minor: doc.grand_total_minor,
            payments: doc.payments.iter().map(PaymentView::from).collect(),
            change_minor: doc.change_minor,
            text,
        }
    }
}

impl From<&SaleDocument> for ReceiptSummaryView {
    fn from(doc: &SaleDocument) -> ReceiptSummaryView {
        ReceiptSummaryView {
            number: doc.number.clone(),
            kind: doc.kind.as_str().into(),
            at_ms: doc.at_ms,
            customer_name: doc.customer.as_ref().map(|c| c.name.clone()),
            grand_total_minor: doc.grand_total_minor,
        }
    }
}

impl From<&ShiftReport> for ShiftReportView {
    fn from(r: &ShiftReport) -> ShiftReportView {
        ShiftReportView {
            shift_id: r.shift_id.to_string(),
            kind: if r.closed { "Z" } else { "X" }.into(),
            opened_by: r.opened_by.clone(),
            opened_at_ms: r.opened_at_ms,
            closed_by: r.closed_by.clone(),
            closed_at_ms: r.closed_at_ms,
            float_minor: r.float_minor,
            sale_count: r.sale_count,
            return_count: r.return_count,
            gross_sales_minor: r.gross_sales_minor,
            discounts_minor: r.discounts_minor,
            refunds_minor: r.refunds_minor,
            tax_minor: r.tax_minor,
            taxes: taxes(&r.taxes),
            rounding_minor: r.rounding_minor,
            net_minor: r.net_minor,
            by_method: r
                .by_method
                .iter()
                .map(|m| MethodTotalView {
                    method: m.method.as_str().into(),
                    sales_minor: m.sales_minor,
                    refunds_minor: m.refunds_minor,
                    net_minor: m.sales_minor - m.refunds_minor,
                })
                .collect(),
            cash_movements: r
                .cash_movements
                .iter()
                .map(|m| CashMovementView {
                    kind: m.direction.as_str().into(),
                    amount_minor: m.amount_minor,
                    reason: m.reason.clone(),
                    staff_name: m.staff_name.clone(),
                    at_ms: m.at_ms,
                })
                .collect(),
            expected_cash_minor: r.expected_cash_minor,
            counted_cash_minor: r.counted_cash_minor,
            over_short_minor: r.over_short_minor(),
        }
    }
}

impl From<PosSettingsForm> for PosSettingsView {
    fn from(f: PosSettingsForm) -> PosSettingsView {
        PosSettingsView {
            shop_name: f.shop_name,
            shop_address: f.shop_address,
            gstin: f.gstin,
            state_code: f.state_code,
            upi_id: f.upi_id,
            prices_include_tax: f.prices_include_tax,
            rounding_mode: f.rounding_mode,
            tax_rounding: f.tax_rounding,
            cash_step: f.cash_step,
            receipt_prefix: f.receipt_prefix,
            yearly_reset: f.yearly_reset,
            scale_prefixes: f.scale_prefixes,
            cashier_discount_limit: f.cashier_discount_limit,
            printer_path: f.printer_path,
            paper: f.paper,
            utc_offset: f.utc_offset,
        }
    }
}

impl From<PosSettingsView> for PosSettingsForm {
    fn from(f: PosSettingsView) -> PosSettingsForm {
        PosSettingsForm {
            shop_name: f.shop_name,
            shop_address: f.shop_address,
            gstin: f.gstin,
            state_code: f.state_code,
            upi_id: f.upi_id,
            prices_include_tax: f.prices_include_tax,
            rounding_mode: f.rounding_mode,
            tax_rounding: f.tax_rounding,
            cash_step: f.cash_step,
            receipt_prefix: f.receipt_prefix,
            yearly_reset: f.yearly_reset,
            scale_prefixes: f.scale_prefixes,
            cashier_discount_limit: f.cashier_discount_limit,
            printer_path: f.printer_path,
            paper: f.paper,
            utc_offset: f.utc_offset,
        }
    }
}

impl From<&TaxRate> for TaxRateView {
    fn from(r: &TaxRate) -> TaxRateView {
        TaxRateView {
            class: r.class.clone(),
            component: r.component.clone(),
            rate: rate_percent_text(r.rate_ppm),
            base: r.base.as_str().into(),
            effective_from: r.effective_from.clone(),
        }
    }
}
