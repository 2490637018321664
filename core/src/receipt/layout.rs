//! The receipt as lines of text for a fixed-width paper. The same lines, with how
//! each is aligned and emphasised, feed the ESC/POS encoder, so the screen preview
//! and the paper cannot drift apart.
//!
//! No floating point: amounts, quantities and rates are integers formatted by hand.

use super::{Paper, ReceiptDoc, ReceiptHsnRow, ReceiptLine, ReceiptPayment};
use crate::money::Currency;

/// How a line sits on the paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Align {
    Left,
    Center,
}

/// How a line is printed. Text layout is plain either way; only ESC/POS shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Emphasis {
    Normal,
    /// Bold and double height: the grand total. Width is unchanged.
    Strong,
    /// Bold, double width and double height: the shop name. Lines carrying it are
    /// wrapped at half the paper's columns so they still fit when printed.
    Title,
}

/// One line before it is rendered: `text` carries no centring padding, because the
/// printer centres by itself (ESC a 1) and padding would push the text off-centre.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct PrintLine {
    pub text: String,
    pub align: Align,
    pub emphasis: Emphasis,
}

impl PrintLine {
    fn left(text: String) -> PrintLine {
        PrintLine {
            text,
            align: Align::Left,
            emphasis: Emphasis::Normal,
        }
    }

    fn center(text: String) -> PrintLine {
        PrintLine {
            text,
            align: Align::Center,
            emphasis: Emphasis::Normal,
        }
    }

    /// The line as it looks on a monospaced screen `columns` wide.
    fn render(&self, columns: usize) -> String {
        match self.align {
            Align::Left => self.text.clone(),
            Align::Center => {
                let pad = columns.saturating_sub(char_len(&self.text)) / 2;
                format!("{}{}", " ".repeat(pad), self.text)
            }
        }
    }
}

/// An amount in minor units as digits with grouping and the currency's decimals, no
/// symbol: thermal printers' code pages have no ₹. (123456789, INR, true) is
/// "12,34,567.89"; with western grouping "1,234,567.89".
pub fn format_amount(minor: i64, currency: Currency, indian_grouping: bool) -> String {
    let exponent = usize::from(currency.exponent());
    let sign = if minor < 0 { "-" } else { "" };
    // `unsigned_abs` so i64::MIN formats rather than overflows. Splitting the digit
    // string avoids 10^exponent arithmetic altogether.
    let digits = format!("{:0>width$}", minor.unsigned_abs(), width = exponent + 1);
    let (whole, fraction) = digits.split_at(digits.len() - exponent);
    let whole = group_digits(whole, indian_grouping);
    if fraction.is_empty() {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{fraction}")
    }
}

/// Commas into a run of ASCII digits: 1,234,567 or, the Indian way, 12,34,567
/// (the last three digits, then pairs).
fn group_digits(digits: &str, indian: bool) -> String {
    let len = digits.len();
    let mut out = String::with_capacity(len + len / 2);
    for (i, digit) in digits.chars().enumerate() {
        // Digits from this one to the end; a comma goes before this digit when
        // they complete a group.
        let left = len - i;
        let boundary = if indian {
            left >= 3 && (left - 3) % 2 == 0
        } else {
            left % 3 == 0
        };
        if boundary && i > 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// Thousandths as a plain decimal with trailing zeros dropped: 1500 is "1.5".
fn format_quantity(milli: i64) -> String {
    trimmed_decimal(milli, 1_000, 3)
}

/// Parts per million as a percentage: 90_000 is "9%", 1_250 is "0.125%".
fn format_rate(ppm: i64) -> String {
    format!("{}%", trimmed_decimal(ppm, 10_000, 4))
}

/// `value / scale` with up to `places` decimals, trailing zeros trimmed.
fn trimmed_decimal(value: i64, scale: u64, places: usize) -> String {
    let sign = if value < 0 { "-" } else { "" };
    let abs = value.unsigned_abs();
    let whole = abs / scale;
    let fraction = format!("{:0places$}", abs % scale);
    let fraction = fraction.trim_end_matches('0');
    if fraction.is_empty() {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{fraction}")
    }
}

/// The receipt as text lines, none longer than `paper.columns()` characters. Centred
/// lines are padded on the left so a monospaced preview looks like the paper.
pub fn layout(doc: &ReceiptDoc, paper: Paper) -> Vec<String> {
    let columns = paper.columns();
    print_lines(doc, paper)
        .iter()
        .map(|line| line.render(columns))
        .collect()
}

/// The receipt's lines with their alignment and emphasis, for `layout` and `encode`.
pub(super) fn print_lines(doc: &ReceiptDoc, paper: Paper) -> Vec<PrintLine> {
    let sheet = Sheet {
        doc,
        width: paper.columns(),
    };
    let mut lines = sheet.header();
    lines.push(sheet.rule());
    for item in &doc.lines {
        lines.extend(sheet.item(item));
    }
    lines.push(sheet.rule());
    lines.extend(sheet.totals());
    if !doc.payments.is_empty() {
        lines.push(sheet.rule());
        for payment in &doc.payments {
            lines.extend(sheet.payment(payment));
        }
    }
    if !doc.hsn.is_empty() {
        lines.push(sheet.rule());
        lines.extend(sheet.hsn_summary());
    }
    lines.push(sheet.rule());
    lines.extend(sheet.closing());
    lines
}

/// A document and the width it is laid out for.
struct Sheet<'a> {
    doc: &'a ReceiptDoc,
    width: usize,
}

impl Sheet<'_> {
    fn amount(&self, minor: i64) -> String {
        format_amount(minor, self.doc.currency, self.doc.indian_grouping)
    }

    fn rule(&self) -> PrintLine {
        PrintLine::left("-".repeat(self.width))
    }

    /// A label with its amount flush right, or, when both cannot share a line, the
    /// label wrapped above the amount: a tax's rate or a card reference is worth
    /// keeping whole.
    fn row(&self, label: &str, amount: String) -> Vec<PrintLine> {
        let label = clean(label);
        if char_len(&label) + 1 + char_len(&amount) <= self.width {
            return vec![PrintLine::left(two_columns(&label, &amount, self.width))];
        }
        let indent = " ".repeat(char_len(&label) - char_len(label.trim_start()));
        let mut texts: Vec<String> = wrap(&label, self.width.saturating_sub(indent.len()))
            .into_iter()
            .map(|text| format!("{indent}{text}"))
            .collect();
        // The amount joins the label's last line when that line is short enough.
        match texts.pop() {
            Some(last) if char_len(&last) + 1 + char_len(&amount) <= self.width => {
                texts.push(two_columns(&last, &amount, self.width));
            }
            last => {
                texts.extend(last);
                texts.push(two_columns("", &amount, self.width));
            }
        }
        texts.into_iter().map(PrintLine::left).collect()
    }

    fn centered(&self, text: &str) -> Vec<PrintLine> {
        wrap(text, self.width)
            .into_iter()
            .map(PrintLine::center)
            .collect()
    }

    fn header(&self) -> Vec<PrintLine> {
        let doc = self.doc;
        let mut lines: Vec<PrintLine> = wrap(&doc.shop_name, self.width / 2)
            .into_iter()
            .map(|text| PrintLine {
                text,
                align: Align::Center,
                emphasis: Emphasis::Title,
            })
            .collect();
        for address_line in doc.shop_address.lines() {
            lines.extend(self.centered(address_line));
        }
        if let Some(gstin) = &doc.gstin {
            lines.extend(self.centered(&format!("GSTIN: {gstin}")));
        }
        lines.push(PrintLine::left(String::new()));
        lines.extend(self.centered(&doc.title));
        lines.extend(self.centered(&format!("Receipt: {}", doc.number)));
        if let Some(original) = &doc.original_number {
            lines.extend(self.centered(&format!("Against: {original}")));
        }
        lines.extend(self.centered(&doc.date_time));
        lines.extend(self.centered(&format!("Cashier: {}", doc.cashier)));
        if let Some(name) = &doc.customer_name {
            lines.extend(self.centered(&format!("Customer: {name}")));
        }
        if let Some(phone) = &doc.customer_phone {
            lines.extend(self.centered(&format!("Phone: {phone}")));
        }
        if let Some(gstin) = &doc.customer_gstin {
            lines.extend(self.centered(&format!("Customer GSTIN: {gstin}")));
        }
        lines
    }

    fn item(&self, item: &ReceiptLine) -> Vec<PrintLine> {
        let mut lines: Vec<PrintLine> = wrap(&item.name, self.width)
            .into_iter()
            .map(PrintLine::left)
            .collect();
        // Quantity × price on the line, the discount under it: the totals below then
        // read Subtotal − Discount (+ tax) = Total, as a customer checks them.
        let total = self.amount(item.gross_minor);
        let mut quantity = format!(
            "  {} x {}",
            format_quantity(item.quantity_milli),
            self.amount(item.unit_price_minor)
        );
        // The HSN summary carries the code anyway, so it is dropped rather than
        // squeezing the amounts when the line is full.
        if let Some(hsn) = item
            .hsn
            .as_deref()
            .map(clean_trimmed)
            .filter(|h| !h.is_empty())
        {
            let with_hsn = format!("{quantity}  HSN {hsn}");
            if char_len(&with_hsn) + 1 + char_len(&total) <= self.width {
                quantity = with_hsn;
            }
        }
        lines.extend(self.row(&quantity, total));
        if item.discount_minor > 0 {
            lines.extend(self.row("  Discount", self.amount(-item.discount_minor)));
        }
        lines
    }

    fn totals(&self) -> Vec<PrintLine> {
        let doc = self.doc;
        let mut lines = self.row("Subtotal", self.amount(doc.gross_minor));
        if doc.discount_minor > 0 {
            lines.extend(self.row("Discount", self.amount(-doc.discount_minor)));
        }
        lines.extend(self.row("Taxable value", self.amount(doc.taxable_minor)));
        for tax in &doc.taxes {
            let label = format!("{} {}", clean_trimmed(&tax.name), format_rate(tax.rate_ppm));
            lines.extend(self.row(&label, self.amount(tax.amount_minor)));
        }
        lines.extend(self.row("Total", self.amount(doc.total_minor)));
        if doc.rounding_minor != 0 {
            let sign = if doc.rounding_minor > 0 { "+" } else { "" };
            let rounding = format!("{sign}{}", self.amount(doc.rounding_minor));
            lines.extend(self.row("Rounding", rounding));
        }
        let mut grand = self.row("Grand total", self.amount(doc.grand_total_minor));
        for line in &mut grand {
            line.emphasis = Emphasis::Strong;
        }
        lines.extend(grand);
        lines
    }

    fn payment(&self, payment: &ReceiptPayment) -> Vec<PrintLine> {
        let method = clean_trimmed(&payment.method);
        let label = match payment.reference.as_deref().map(clean_trimmed) {
            Some(reference) if !reference.is_empty() => format!("{method} ref {reference}"),
            _ => method,
        };
        let mut lines = self.row(&label, self.amount(payment.amount_minor));
        // Per payment rather than the document's change, so a split cash payment
        // still shows which handover the change came from.
        if payment.tendered_minor > payment.amount_minor {
            let change = payment.tendered_minor.saturating_sub(payment.amount_minor);
            lines.extend(self.row("  Tendered", self.amount(payment.tendered_minor)));
            lines.extend(self.row("Change", self.amount(change)));
        }
        lines
    }

    /// The HSN-wise summary GST asks for. A table when it fits (per tax component on
    /// wide paper), otherwise each code stacked over its amounts.
    fn hsn_summary(&self) -> Vec<PrintLine> {
        let rows = &self.doc.hsn;
        let components = tax_components(rows);
        let mut tables = Vec::new();
        if self.width >= Paper::Mm80.columns() && components.len() > 1 {
            tables.push(self.hsn_table(rows, &components));
        }
        tables.push(self.hsn_table(rows, &[]));
        let fitting = tables
            .into_iter()
            .find_map(|(header, body)| table(&header, &body, self.width));
        match fitting {
            Some(lines) => lines.into_iter().map(PrintLine::left).collect(),
            None => self.hsn_stacked(rows),
        }
    }

    /// Header and cells: HSN, taxable, one column per component named, tax.
    fn hsn_table(
        &self,
        rows: &[ReceiptHsnRow],
        components: &[String],
    ) -> (Vec<String>, Vec<Vec<String>>) {
        let mut header = vec!["HSN".to_owned(), "Taxable".to_owned()];
        header.extend(components.iter().cloned());
        header.push("Tax".to_owned());
        let body = rows
            .iter()
            .map(|row| {
                let mut cells = vec![hsn_label(row), self.amount(row.taxable_minor)];
                for component in components {
                    let amount = row
                        .taxes
                        .iter()
                        .filter(|tax| clean_trimmed(&tax.name) == *component)
                        .fold(0i64, |sum, tax| sum.saturating_add(tax.amount_minor));
                    cells.push(self.amount(amount));
                }
                cells.push(self.amount(row_tax(row)));
                cells
            })
            .collect();
        (header, body)
    }

    fn hsn_stacked(&self, rows: &[ReceiptHsnRow]) -> Vec<PrintLine> {
        let mut lines = Vec::new();
        for row in rows {
            lines.push(PrintLine::left(truncate(
                &format!("HSN {}", hsn_label(row)),
                self.width,
            )));
            lines.extend(self.row("  Taxable", self.amount(row.taxable_minor)));
            lines.extend(self.row("  Tax", self.amount(row_tax(row))));
        }
        lines
    }

    fn closing(&self) -> Vec<PrintLine> {
        let basis = if self.doc.prices_include_tax {
            "Prices include tax"
        } else {
            "Prices exclude tax"
        };
        let mut lines = vec![PrintLine::left(basis.to_owned())];
        if !self.doc.footer.trim().is_empty() {
            lines.push(PrintLine::left(String::new()));
            for footer_line in self.doc.footer.lines() {
                lines.extend(self.centered(footer_line));
            }
        }
        lines
    }
}

fn hsn_label(row: &ReceiptHsnRow) -> String {
    let hsn = clean_trimmed(&row.hsn);
    if hsn.is_empty() {
        "-".to_owned()
    } else {
        hsn
    }
}

fn row_tax(row: &ReceiptHsnRow) -> i64 {
    row.taxes
        .iter()
        .fold(0i64, |sum, tax| sum.saturating_add(tax.amount_minor))
}

/// Tax names in the order they first appear, so CGST stays before SGST.
fn tax_components(rows: &[ReceiptHsnRow]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for tax in rows.iter().flat_map(|row| &row.taxes) {
        let name = clean_trimmed(&tax.name);
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// A table with the first column left-aligned and the rest right-aligned, or `None`
/// when it cannot fit `width`. Spare width widens the first column so the amounts
/// line up with the amounts above them at the right edge.
fn table(header: &[String], body: &[Vec<String>], width: usize) -> Option<Vec<String>> {
    let mut widths: Vec<usize> = header.iter().map(|cell| char_len(cell)).collect();
    for row in body {
        for (column, cell) in row.iter().enumerate() {
            let slot = widths.get_mut(column)?;
            *slot = (*slot).max(char_len(cell));
        }
    }
    let gaps = widths.len().saturating_sub(1);
    let natural: usize = widths.iter().sum();
    let gap = if natural + 2 * gaps <= width { 2 } else { 1 };
    let used = natural + gap * gaps;
    if used > width {
        return None;
    }
    if let Some(first) = widths.first_mut() {
        *first += width - used;
    }
    let render = |cells: &[String]| {
        let mut line = String::new();
        for (column, (cell, cell_width)) in cells.iter().zip(&widths).enumerate() {
            let pad = " ".repeat(cell_width - char_len(cell));
            if column == 0 {
                line.push_str(cell);
                line.push_str(&pad);
            } else {
                line.push_str(&" ".repeat(gap));
                line.push_str(&pad);
                line.push_str(cell);
            }
        }
        line
    };
    let mut lines = vec![render(header)];
    lines.extend(body.iter().map(|row| render(row)));
    Some(lines)
}

/// `left` and `right` on one line with `right` flush to the edge. The label gives
/// way when space runs out: an amount must never be cut.
fn two_columns(left: &str, right: &str, width: usize) -> String {
    let right_len = char_len(right);
    if right_len >= width {
        return truncate(right, width);
    }
    let left = truncate(left, width - right_len - 1);
    let pad = width - char_len(&left) - right_len;
    format!("{left}{}{right}", " ".repeat(pad))
}

/// Words greedily filled into lines of at most `width` characters; a word longer
/// than a line is split. Blank text gives no lines.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let text = clean(text);
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        while !word.is_empty() {
            let current_len = char_len(&current);
            let needed = if current.is_empty() { 0 } else { 1 } + word.len();
            if current_len + needed <= width {
                if !current.is_empty() {
                    current.push(' ');
                }
                current.extend(word.drain(..));
            } else if current.is_empty() {
                current.extend(word.drain(..width));
                lines.push(std::mem::take(&mut current));
            } else {
                lines.push(std::mem::take(&mut current));
            }
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

fn truncate(text: &str, width: usize) -> String {
    text.chars().take(width).collect()
}

/// Control characters become spaces: a tab or newline in a product name must not
/// break the columns, and an ESC must never reach the printer as a command.
fn clean(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// `clean`, without the spaces around it: for codes and names set in a column.
fn clean_trimmed(text: &str) -> String {
    clean(text).trim().to_owned()
}

fn char_len(text: &str) -> usize {
    text.chars().count()
}

#[cfg(test)]
pub(super) mod tests {
    use super::super::{ReceiptHsnRow, ReceiptLine, ReceiptPayment, ReceiptTax};
    use super::*;

    fn inr() -> Currency {
        Currency::INR
    }

    fn tax(name: &str, amount_minor: i64) -> ReceiptTax {
        ReceiptTax {
            name: name.to_owned(),
            rate_ppm: 90_000,
            amount_minor,
        }
    }

    /// A sale in INR with prices including 18% GST split as CGST 9% + SGST 9%:
    /// 2 kurtas at 1,180.00 and 1.5 kg rice at 118.00 less 11.80, paid 3,000.00 cash.
    /// The numbers add up, so tests can check the receipt shows them unaltered.
    pub(in crate::receipt) fn sample_doc() -> ReceiptDoc {
        ReceiptDoc {
            shop_name: "Galla General Store".to_owned(),
            shop_address: "12 MG Road\nBengaluru 560001".to_owned(),
            gstin: Some("29ABCDE1234F1Z5".to_owned()),
            title: "TAX INVOICE".to_owned(),
            number: "S1-C2-000123".to_owned(),
            original_number: None,
            date_time: "21-11-2026 14:05".to_owned(),
            cashier: "Asha".to_owned(),
            customer_name: None,
            customer_phone: None,
            customer_gstin: None,
            currency: inr(),
            indian_grouping: true,
            lines: vec![
                ReceiptLine {
                    name: "Cotton kurta".to_owned(),
                    hsn: Some("6204".to_owned()),
                    quantity_milli: 2_000,
                    unit_price_minor: 118_000,
                    gross_minor: 236_000,
                    discount_minor: 0,
                    total_minor: 236_000,
                },
                ReceiptLine {
                    name: "Basmati rice".to_owned(),
                    hsn: Some("1006".to_owned()),
                    quantity_milli: 1_500,
                    unit_price_minor: 11_800,
                    gross_minor: 17_700,
                    discount_minor: 1_180,
                    total_minor: 16_520,
                },
            ],
            gross_minor: 253_700,
            discount_minor: 1_180,
            taxable_minor: 214_000,
            tax_minor: 38_520,
            total_minor: 252_520,
            rounding_minor: -20,
            grand_total_minor: 252_500,
            change_minor: 47_500,
            prices_include_tax: true,
            taxes: vec![tax("CGST", 19_260), tax("SGST", 19_260)],
            hsn: vec![
                ReceiptHsnRow {
                    hsn: "6204".to_owned(),
                    taxable_minor: 200_000,
                    taxes: vec![tax("CGST", 18_000), tax("SGST", 18_000)],
                },
                ReceiptHsnRow {
                    hsn: "1006".to_owned(),
                    taxable_minor: 14_000,
                    taxes: vec![tax("CGST", 1_260), tax("SGST", 1_260)],
                },
            ],
            payments: vec![ReceiptPayment {
                method: "Cash".to_owned(),
                amount_minor: 252_500,
                tendered_minor: 300_000,
                reference: None,
            }],
            footer: "Thank you!".to_owned(),
        }
    }

    /// The sample made awkward: names, addresses and codes longer than any paper.
    fn crowded_doc() -> ReceiptDoc {
        let mut doc = sample_doc();
        doc.shop_name = "Sri Lakshmi Venkateswara Textiles and Readymade Garments".to_owned();
        doc.shop_address = "Shop 14, Ground Floor, Commercial Complex Opposite the \
            Old Bus Stand, Gandhi Bazaar Main Road, Basavanagudi\nBengaluru 560004"
            .to_owned();
        doc.customer_name = Some("Venkatasubramanian Ramakrishnan Iyer".to_owned());
        doc.customer_phone = Some("+91 98450 12345".to_owned());
        doc.customer_gstin = Some("29ABCDE1234F1Z5".to_owned());
        doc.lines[0].name =
            "Handloom cotton kurta with mirror work, size XXL, colour indigo".to_owned();
        doc.lines[0].hsn = Some("62043200".to_owned());
        doc.lines[1].name = "Supercalifragilisticexpialidocious-basmati-rice".to_owned();
        doc.taxes = ["CGST", "SGST", "IGST", "Compensation cess", "State cess"]
            .iter()
            .map(|name| ReceiptTax {
                name: (*name).to_owned(),
                rate_ppm: 1_250,
                amount_minor: 12_345_678_901,
            })
            .collect();
        doc.hsn[0].hsn = "62043200".to_owned();
        doc.hsn[0].taxes = doc.taxes.clone();
        doc.hsn[0].taxable_minor = 98_765_432_100;
        doc.payments.push(ReceiptPayment {
            method: "Card".to_owned(),
            amount_minor: 100,
            tendered_minor: 100,
            reference: Some("AUTH-0000-1111-2222-3333-4444-5555".to_owned()),
        });
        doc.footer = "Goods once sold will be exchanged within seven days with the bill \
            only\nThank you, visit again!"
            .to_owned();
        doc
    }

    fn line_with<'a>(lines: &'a [String], label: &str) -> Option<&'a String> {
        lines.iter().find(|line| line.starts_with(label))
    }

    #[test]
    fn formats_amounts_without_floats() {
        let kwd = Currency::from_code("KWD").expect("KWD is a known currency");
        let jpy = Currency::from_code("JPY").expect("JPY is a known currency");
        let usd = Currency::from_code("USD").expect("USD is a known currency");
        let cases = [
            (123_456_789, inr(), true, "12,34,567.89"),
            (123_456_789, inr(), false, "1,234,567.89"),
            (10_000_000, inr(), true, "1,00,000.00"),
            (10_000_000, usd, false, "100,000.00"),
            (-4_400, inr(), true, "-44.00"),
            (-123_456_789, inr(), true, "-12,34,567.89"),
            (0, inr(), true, "0.00"),
            (5, inr(), true, "0.05"),
            (-5, inr(), false, "-0.05"),
            (99_999, inr(), true, "999.99"),
            (100_000, inr(), true, "1,000.00"),
            (1_235, jpy, false, "1,235"),
            (1_235, jpy, true, "1,235"),
            (123_456, jpy, true, "1,23,456"),
            (-999, jpy, false, "-999"),
            (1_234_567, kwd, false, "1,234.567"),
            (7, kwd, false, "0.007"),
            (i64::MIN, jpy, false, "-9,223,372,036,854,775,808"),
        ];
        for (minor, currency, indian, expected) in cases {
            assert_eq!(
                format_amount(minor, currency, indian),
                expected,
                "{minor} {} indian={indian}",
                currency.code()
            );
        }
    }

    #[test]
    fn formats_quantities_and_rates_without_floats() {
        let quantities = [
            (1_000, "1"),
            (1_500, "1.5"),
            (250, "0.25"),
            (1_250, "1.25"),
            (1, "0.001"),
            (0, "0"),
            (-2_000, "-2"),
        ];
        for (milli, expected) in quantities {
            assert_eq!(format_quantity(milli), expected, "{milli} thousandths");
        }
        let rates = [
            (90_000, "9%"),
            (1_250, "0.125%"),
            (25_000, "2.5%"),
            (280_000, "28%"),
            (1, "0.0001%"),
        ];
        for (ppm, expected) in rates {
            assert_eq!(format_rate(ppm), expected, "{ppm} ppm");
        }
    }

    #[test]
    fn every_line_fits_the_paper() {
        for doc in [sample_doc(), crowded_doc()] {
            for paper in [Paper::Mm80, Paper::Mm58] {
                for line in layout(&doc, paper) {
                    assert!(
                        line.chars().count() <= paper.columns(),
                        "{:?} line is {} wide, the paper takes {}: {line:?}",
                        paper,
                        line.chars().count(),
                        paper.columns()
                    );
                    assert_eq!(line.trim_end(), line, "no trailing spaces: {line:?}");
                }
            }
        }
    }

    #[test]
    fn long_text_is_wrapped_not_lost() {
        let doc = crowded_doc();
        let lines = layout(&doc, Paper::Mm58).join(" ");
        for word in ["mirror", "indigo", "Basavanagudi", "Gandhi", "again!"] {
            assert!(lines.contains(word), "{word:?} must survive wrapping");
        }
        // A word longer than the paper is split, its letters all kept.
        let joined: String = lines.split_whitespace().collect();
        assert!(joined.contains("Supercalifragilisticexpialidocious-basmati-rice"));
        assert!(joined.contains("AUTH-0000-1111-2222-3333-4444-5555"));
        // A label too long to share a line with its amount goes above it, whole.
        let lines = layout(&doc, Paper::Mm58);
        let cess = lines
            .iter()
            .position(|line| line == "Compensation cess 0.125%")
            .expect("the tax's name and rate kept together");
        assert_eq!(lines[cess + 1].trim_start(), "12,34,56,789.01");
    }

    #[test]
    fn shop_name_fits_when_printed_double_width() {
        let doc = crowded_doc();
        for paper in [Paper::Mm80, Paper::Mm58] {
            for line in print_lines(&doc, paper) {
                if line.emphasis == Emphasis::Title {
                    assert!(
                        char_len(&line.text) <= paper.columns() / 2,
                        "double width halves the columns: {:?}",
                        line.text
                    );
                }
            }
        }
    }

    #[test]
    fn totals_show_the_documents_amounts() {
        let doc = sample_doc();
        for paper in [Paper::Mm80, Paper::Mm58] {
            let lines = layout(&doc, paper);
            let expected = [
                ("Subtotal", "2,537.00"),
                ("Discount", "-11.80"),
                ("Taxable value", "2,140.00"),
                ("CGST 9%", "192.60"),
                ("SGST 9%", "192.60"),
                ("Total", "2,525.20"),
                ("Rounding", "-0.20"),
                ("Grand total", "2,525.00"),
                ("Cash", "2,525.00"),
                ("  Tendered", "3,000.00"),
                ("Change", "475.00"),
            ];
            for (label, amount) in expected {
                let line = line_with(&lines, label)
                    .unwrap_or_else(|| panic!("{paper:?}: no {label:?} line in {lines:#?}"));
                assert!(
                    line.ends_with(amount),
                    "{label} must show {amount}: {line:?}"
                );
                assert_eq!(line.chars().count(), paper.columns(), "amounts flush right");
            }
            assert!(lines.contains(&"Prices include tax".to_owned()));
        }
    }

    #[test]
    fn items_show_quantity_price_total_and_discount() {
        let lines = layout(&sample_doc(), Paper::Mm80);
        let kurta = lines
            .iter()
            .position(|line| line == "Cotton kurta")
            .expect("the item name has a line of its own");
        assert!(lines[kurta + 1].starts_with("  2 x 1,180.00  HSN 6204"));
        assert!(lines[kurta + 1].ends_with(" 2,360.00"));
        let rice = lines
            .iter()
            .position(|line| line == "Basmati rice")
            .expect("the item name has a line of its own");
        assert!(lines[rice + 1].starts_with("  1.5 x 118.00"));
        // The line shows quantity × price; the discount follows on its own line.
        assert!(lines[rice + 1].ends_with(" 177.00"));
        assert!(lines[rice + 2].starts_with("  Discount"));
        assert!(lines[rice + 2].ends_with(" -11.80"));
    }

    #[test]
    fn rounding_line_only_when_there_is_rounding() {
        let mut doc = sample_doc();
        doc.rounding_minor = 0;
        doc.grand_total_minor = doc.total_minor;
        let lines = layout(&doc, Paper::Mm58);
        assert!(
            line_with(&lines, "Rounding").is_none(),
            "zero prints nothing"
        );

        doc.rounding_minor = 30;
        let lines = layout(&doc, Paper::Mm58);
        let rounding = line_with(&lines, "Rounding").expect("non-zero rounding is shown");
        assert!(
            rounding.ends_with(" +0.30"),
            "rounding up is signed: {rounding:?}"
        );
    }

    #[test]
    fn discount_only_when_there_is_one() {
        let mut doc = sample_doc();
        doc.discount_minor = 0;
        doc.lines[1].discount_minor = 0;
        let lines = layout(&doc, Paper::Mm80);
        assert!(lines.iter().all(|line| !line.contains("Discount")));
    }

    #[test]
    fn returns_name_the_original_sale() {
        let mut doc = sample_doc();
        doc.title = "CREDIT NOTE".to_owned();
        doc.original_number = Some("S1-C2-000100".to_owned());
        let lines = layout(&doc, Paper::Mm58);
        let trimmed: Vec<&str> = lines.iter().map(|line| line.trim()).collect();
        assert!(trimmed.contains(&"CREDIT NOTE"));
        assert!(trimmed.contains(&"Against: S1-C2-000100"));
        let sale = layout(&sample_doc(), Paper::Mm58);
        assert!(sale.iter().all(|line| !line.contains("Against")));
    }

    #[test]
    fn header_is_centred() {
        let lines = layout(&sample_doc(), Paper::Mm80);
        // "TAX INVOICE" is 11 wide: (48 - 11) / 2 = 18 spaces before it.
        assert!(lines.contains(&format!("{}TAX INVOICE", " ".repeat(18))));
        // "GSTIN: 29ABCDE1234F1Z5" is 22 wide: 13 spaces.
        assert!(lines.contains(&format!("{}GSTIN: 29ABCDE1234F1Z5", " ".repeat(13))));
    }

    #[test]
    fn hsn_summary_has_a_row_per_code() {
        let doc = sample_doc();
        let narrow = layout(&doc, Paper::Mm58);
        let header = line_with(&narrow, "HSN ").expect("a header row");
        assert!(header.ends_with("Tax") && header.contains("Taxable"));
        let row = line_with(&narrow, "6204").expect("a row for 6204");
        assert!(
            row.contains("2,000.00") && row.ends_with("360.00"),
            "{row:?}"
        );
        let row = line_with(&narrow, "1006").expect("a row for 1006");
        assert!(row.contains("140.00") && row.ends_with("25.20"), "{row:?}");

        // Wide paper has room for each component as well.
        let wide = layout(&doc, Paper::Mm80);
        let header = line_with(&wide, "HSN ").expect("a header row");
        assert!(
            header.contains("CGST") && header.contains("SGST"),
            "{header:?}"
        );
        let row = line_with(&wide, "6204").expect("a row for 6204");
        assert_eq!(row.matches("180.00").count(), 2, "CGST and SGST: {row:?}");
        assert!(row.ends_with("360.00"));
    }

    #[test]
    fn hsn_summary_stacks_when_a_table_cannot_fit() {
        let lines = layout(&crowded_doc(), Paper::Mm58);
        let at = lines
            .iter()
            .position(|line| line == "HSN 62043200")
            .expect("the code on a line of its own");
        assert!(lines[at + 1].starts_with("  Taxable"));
        assert!(lines[at + 1].ends_with("98,76,54,321.00"));
        assert!(lines[at + 2].starts_with("  Tax"));
    }

    #[test]
    fn non_ascii_text_survives_layout() {
        let mut doc = sample_doc();
        doc.shop_name = "Café Niño".to_owned();
        doc.lines[0].name = "Kurta — ₹ special".to_owned();
        let lines = layout(&doc, Paper::Mm58);
        assert!(lines.iter().any(|line| line.trim() == "Café Niño"));
        assert!(lines.contains(&"Kurta — ₹ special".to_owned()));
    }

    #[test]
    fn control_characters_cannot_reach_the_paper() {
        let mut doc = sample_doc();
        doc.lines[0].name = "Kurta\x1b@\tblue\nlarge".to_owned();
        let lines = layout(&doc, Paper::Mm58);
        assert!(lines.iter().all(|line| !line.chars().any(char::is_control)));
        assert!(lines.contains(&"Kurta @ blue large".to_owned()));
    }
}
