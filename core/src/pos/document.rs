//! A completed sale or return as recorded: what its receipt shows and what a return
//! reads back. Built by the store; turned into print by `receipt`.

use uuid::Uuid;

use super::calendar::receipt_time;
use super::cart::CartCustomer;
use super::payment::SettledPayment;
use super::pricing::{HsnRow, TaxAmount, TaxSummary};
use crate::money::Currency;
use crate::receipt::{ReceiptDoc, ReceiptHsnRow, ReceiptLine, ReceiptPayment, ReceiptTax};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    Sale,
    Return,
}

impl DocumentKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            DocumentKind::Sale => "sale",
            DocumentKind::Return => "return",
        }
    }

    pub fn parse(text: &str) -> Option<DocumentKind> {
        match text {
            "sale" => Some(DocumentKind::Sale),
            "return" => Some(DocumentKind::Return),
            _ => None,
        }
    }
}

/// The shop as it was printed on the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShopHeader {
    pub shop_name: String,
    pub shop_address: String,
    pub gstin: Option<String>,
    pub cashier: String,
    pub utc_offset_minutes: i32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentLine {
    pub line_id: Uuid,
    pub variant_id: Uuid,
    pub name: String,
    pub sku: Option<String>,
    pub hsn: Option<String>,
    pub quantity_milli: i64,
    pub unit_price_minor: i64,
    pub price_source: String,
    pub gross_minor: i64,
    pub discount_minor: i64,
    pub taxable_minor: i64,
    pub tax_minor: i64,
    pub total_minor: i64,
    pub taxes: Vec<TaxAmount>,
    /// For a sale's line: how much has been returned since.
    pub returned_milli: i64,
    pub approved_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaleDocument {
    pub id: Uuid,
    pub number: String,
    pub kind: DocumentKind,
    pub original_number: Option<String>,
    pub at_ms: u64,
    pub header: ShopHeader,
    pub customer: Option<CartCustomer>,
    pub currency: Currency,
    pub prices_include_tax: bool,
    pub inter_state: bool,
    pub lines: Vec<DocumentLine>,
    pub gross_minor: i64,
    pub discount_minor: i64,
    pub taxable_minor: i64,
    pub tax_minor: i64,
    pub total_minor: i64,
    pub taxes: Vec<TaxAmount>,
    pub hsn: Vec<HsnRow>,
    pub rounding_minor: i64,
    pub grand_total_minor: i64,
    pub change_minor: i64,
    pub payments: Vec<SettledPayment>,
}

fn receipt_taxes(taxes: &[TaxAmount]) -> Vec<ReceiptTax> {
    taxes
        .iter()
        .map(|t| ReceiptTax {
            name: t.name.clone(),
            rate_ppm: t.rate_ppm,
            amount_minor: t.amount_minor,
        })
        .collect()
}

impl SaleDocument {
    /// What prints. `indian_grouping` follows the shop's locale.
    pub fn receipt(&self, indian_grouping: bool) -> ReceiptDoc {
        let (title, footer) = match self.kind {
            DocumentKind::Sale => ("TAX INVOICE", "Thank you! Please come again."),
            DocumentKind::Return => ("CREDIT NOTE", "Refund given as shown above."),
        };
        ReceiptDoc {
            shop_name: self.header.shop_name.clone(),
            shop_address: self.header.shop_address.clone(),
            gstin: self.header.gstin.clone(),
            title: title.into(),
            number: self.number.clone(),
            original_number: self.original_number.clone(),
            date_time: receipt_time(self.at_ms, self.header.utc_offset_minutes),
            cashier: self.header.cashier.clone(),
            customer_name: self.customer.as_ref().map(|c| c.name.clone()),
            customer_phone: self.customer.as_ref().and_then(|c| c.phone.clone()),
            customer_gstin: self.customer.as_ref().and_then(|c| c.gstin.clone()),
            currency: self.currency,
            indian_grouping,
            lines: self
                .lines
                .iter()
                .map(|l| ReceiptLine {
                    name: l.name.clone(),
                    hsn: l.hsn.clone(),
                    quantity_milli: l.quantity_milli,
                    unit_price_minor: l.unit_price_minor,
                    gross_minor: l.gross_minor,
                    discount_minor: l.discount_minor,
                    total_minor: l.total_minor,
                })
                .collect(),
            gross_minor: self.gross_minor,
            discount_minor: self.discount_minor,
            taxable_minor: self.taxable_minor,
            tax_minor: self.tax_minor,
            total_minor: self.total_minor,
            rounding_minor: self.rounding_minor,
            grand_total_minor: self.grand_total_minor,
            change_minor: self.change_minor,
            prices_include_tax: self.prices_include_tax,
            taxes: receipt_taxes(&self.taxes),
            hsn: self
                .hsn
                .iter()
                .filter(|row| !row.hsn.is_empty())
                .map(|row| ReceiptHsnRow {
                    hsn: row.hsn.clone(),
                    taxable_minor: row.taxable_minor,
                    taxes: receipt_taxes(&row.taxes),
                })
                .collect(),
            payments: self
                .payments
                .iter()
                .map(|p| ReceiptPayment {
                    method: p.method.label().into(),
                    amount_minor: p.amount_minor,
                    tendered_minor: p.tendered_minor,
                    reference: p.reference.clone(),
                })
                .collect(),
            footer: footer.into(),
        }
    }
}

/// Totals by tax and HSN of recorded lines (a return's lines, or a sale read back).
pub fn summarise_lines(lines: &[DocumentLine]) -> (Vec<TaxAmount>, Vec<HsnRow>) {
    let mut summary = TaxSummary::default();
    for line in lines {
        summary.add_line(line.hsn.as_deref(), line.taxable_minor, &line.taxes);
    }
    (summary.taxes, summary.hsn)
}
