//! Receipts as they print: the layout for 80 mm and 58 mm paper, and the raw ESC/POS
//! bytes a thermal printer takes. Pure: the store fills a `ReceiptDoc`, this module
//! turns it into text lines and bytes; nothing here reads the database or the clock.

mod escpos;
mod layout;

pub use escpos::{encode, printed_text, EscPosError};
pub use layout::{format_amount, layout};

use crate::money::Currency;

/// Paper width: 48 characters a line on 80 mm paper (font A), 32 on 58 mm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paper {
    Mm80,
    Mm58,
}

impl Paper {
    pub fn columns(&self) -> usize {
        match self {
            Paper::Mm80 => 48,
            Paper::Mm58 => 32,
        }
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            Paper::Mm80 => "80mm",
            Paper::Mm58 => "58mm",
        }
    }

    pub fn parse(text: &str) -> Option<Paper> {
        match text {
            "80mm" => Some(Paper::Mm80),
            "58mm" => Some(Paper::Mm58),
            _ => None,
        }
    }
}

/// One tax amount: "CGST 9%" and what it came to. Rates are parts per million (9% = 90_000).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptTax {
    pub name: String,
    pub rate_ppm: i64,
    pub amount_minor: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptLine {
    pub name: String,
    pub hsn: Option<String>,
    /// Thousandths: 1500 is 1.5 (kg, m, pieces).
    pub quantity_milli: i64,
    pub unit_price_minor: i64,
    /// Quantity × unit price, before discounts.
    pub gross_minor: i64,
    /// The line's own discount plus its share of the cart discount.
    pub discount_minor: i64,
    /// What the customer pays for the line, tax included.
    pub total_minor: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptHsnRow {
    /// Empty for items without an HSN code.
    pub hsn: String,
    pub taxable_minor: i64,
    pub taxes: Vec<ReceiptTax>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptPayment {
    /// "Cash", "Card", "UPI", "Store credit".
    pub method: String,
    pub amount_minor: i64,
    /// For cash: what was handed over.
    pub tendered_minor: i64,
    pub reference: Option<String>,
}

/// Everything a receipt shows, already decided by the store. Amounts are minor units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptDoc {
    pub shop_name: String,
    /// May hold several lines separated by '\n'.
    pub shop_address: String,
    pub gstin: Option<String>,
    /// "TAX INVOICE" for a sale, "CREDIT NOTE" for a return.
    pub title: String,
    /// "S1-C2-000123".
    pub number: String,
    /// For a return: the sale's receipt number.
    pub original_number: Option<String>,
    /// Already formatted in the shop's time zone: "21-11-2026 14:05".
    pub date_time: String,
    pub cashier: String,
    pub customer_name: Option<String>,
    pub customer_phone: Option<String>,
    pub customer_gstin: Option<String>,
    pub currency: Currency,
    /// Group digits the Indian way (1,00,000.00) rather than 100,000.00.
    pub indian_grouping: bool,
    pub lines: Vec<ReceiptLine>,
    pub gross_minor: i64,
    pub discount_minor: i64,
    pub taxable_minor: i64,
    pub tax_minor: i64,
    /// Sum of the lines' totals.
    pub total_minor: i64,
    /// The cash-rounding line: positive when rounded up. Zero prints nothing.
    pub rounding_minor: i64,
    /// Total plus rounding: what was paid or given back.
    pub grand_total_minor: i64,
    pub change_minor: i64,
    pub prices_include_tax: bool,
    pub taxes: Vec<ReceiptTax>,
    pub hsn: Vec<ReceiptHsnRow>,
    pub payments: Vec<ReceiptPayment>,
    /// "Thank you!"; may be empty.
    pub footer: String,
}
