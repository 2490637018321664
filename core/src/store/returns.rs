//! Returns against a receipt (whole or some lines, with or without restocking), giving
//! back exactly what was charged per line, and returns without a receipt, which need a
//! manager. A return is its own document with its own number series.

use rusqlite::Transaction;
use uuid::Uuid;

use super::customers::{move_credit, read_customer};
use super::outbox::push_outbox;
use super::sales::{document_payload, insert_document, next_number, read_document};
use super::shifts::open_shift_id;
use super::staff::authorize;
use super::stock::document_movement_in;
use super::{pos_settings, Error, Store};
use crate::money::Money;
use crate::pos::cart::CartCustomer;
use crate::pos::document::{summarise_lines, DocumentKind, DocumentLine, SaleDocument, ShopHeader};
use crate::pos::payment::{Method, SettledPayment};
use crate::pos::pricing::{price, LineInput};
use crate::pos::refund::{return_line, ReturnError, SoldLine};
use crate::pos::{Approval, PaymentError, PosError};
use crate::quantity::Quantity;
use crate::staff::{Actor, Permission};
use crate::stock::MovementKind;

/// How a return is given back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refund {
    pub method: Method,
    pub reference: Option<String>,
    /// Put the items back on the shelf.
    pub restock: bool,
}

impl Store {
    /// Returns `lines` (sold line id, quantity) of the sale numbered `number`.
    pub fn return_items(
        &mut self,
        actor: &Actor,
        number: &str,
        lines: &[(Uuid, Quantity)],
        refund: &Refund,
        now_ms: u64,
    ) -> Result<SaleDocument, Error> {
        authorize(&self.conn, actor, Permission::Sell)?;
        let sale = self.document(number)?;
        if sale.kind != DocumentKind::Sale {
            return Err(PosError::ReceiptNotFound(number.trim().chars().take(40).collect()).into());
        }
        let chosen: Vec<&(Uuid, Quantity)> = lines.iter().filter(|(_, q)| q.milli() != 0).collect();
        if chosen.is_empty() {
            return Err(PosError::NothingToReturn.into());
        }
        let mut returned = Vec::new();
        for (index, (line_id, quantity)) in chosen.iter().enumerate() {
            let Some(sold) = sale.lines.iter().find(|l| l.line_id == *line_id) else {
                return Err(PosError::Return(ReturnError::NotPositive).into());
            };
            // Two entries for one line count together.
            let before = sold.returned_milli
                + chosen[..index]
                    .iter()
                    .filter(|(id, _)| id == line_id)
                    .map(|(_, q)| q.milli())
                    .sum::<i64>();
            let back = return_line(
                &SoldLine {
                    quantity_milli: sold.quantity_milli,
                    gross_minor: sold.gross_minor,
                    discount_minor: sold.discount_minor,
                    taxes: sold.taxes.clone(),
                    total_minor: sold.total_minor,
                },
                before,
                quantity.milli(),
            )
            .map_err(|e| PosError::ReturnLine { index, error: e })?;
            returned.push(DocumentLine {
                quantity_milli: back.quantity_milli,
                gross_minor: back.gross_minor,
                discount_minor: back.discount_minor,
                taxable_minor: back.taxable_minor,
                tax_minor: back.tax_minor,
                total_minor: back.total_minor,
                taxes: back.taxes,
                returned_milli: 0,
                ..sold.clone()
            });
        }
        // The return that gives back the last of the sale also gives back its cash
        // rounding, so a sale returned in full returns exactly what was paid.
        let left_after: i64 = sale
            .lines
            .iter()
            .map(|l| {
                let now: i64 = chosen
                    .iter()
                    .filter(|(id, _)| *id == l.line_id)
                    .map(|(_, q)| q.milli())
                    .sum();
                l.quantity_milli - l.returned_milli - now
            })
            .sum();
        let rounding = if left_after == 0 {
            sale.rounding_minor
        } else {
            0
        };
        let customer = sale.customer.clone();
        self.record_return(
            actor,
            (Some(&sale), None),
            returned,
            rounding,
            customer,
            refund,
            now_ms,
        )
    }

    /// A return without a receipt: `approval` comes from a manager's PIN. `amount` is
    /// what is given back for the whole quantity, tax included, split by today's rates.
    pub fn return_without_receipt(
        &mut self,
        actor: &Actor,
        approval: &Approval,
        (variant_id, quantity, amount): (Uuid, Quantity, &str),
        refund: &Refund,
        now_ms: u64,
    ) -> Result<SaleDocument, Error> {
        authorize(&self.conn, actor, Permission::Sell)?;
        if quantity.milli() <= 0 {
            return Err(PosError::Return(ReturnError::NotPositive).into());
        }
        let amount = Money::parse_price(amount, self.shop.currency)
            .map_err(|e| PosError::Amount(format!("Amount: {e}")))?;
        if amount.minor() == 0 {
            return Err(PosError::Amount("Amount: type what is given back.".into()).into());
        }
        let item = self.sellable(variant_id)?;
        let settings = self.pos_settings()?;
        let rates = pos_settings::read_rates(&self.conn)?;
        let date = crate::pos::calendar::local_date(now_ms, settings.utc_offset_minutes);
        let taxes = item
            .tax_class
            .as_deref()
            .map(|c| crate::pos::tax::taxes_for(&rates, c, &date, false))
            .unwrap_or_default();
        let rules = crate::pos::PricingRules {
            prices_include_tax: true,
            ..settings.rules
        };
        let totals = price(
            &[LineInput {
                quantity_milli: 1000,
                unit_price_minor: amount.minor(),
                discount: None,
                taxes,
                hsn: item.hsn.clone(),
            }],
            None,
            rules,
        )
        .map_err(PosError::from)?;
        let t = &totals.lines[0];
        let line = DocumentLine {
            line_id: crate::id::new_id(),
            variant_id,
            name: item.name,
            sku: item.sku,
            hsn: item.hsn,
            quantity_milli: quantity.milli(),
            unit_price_minor: i64::try_from(
                i128::from(amount.minor()) * 1000 / i128::from(quantity.milli()),
            )
            .unwrap_or(0),
            price_source: "override".into(),
            gross_minor: t.gross_minor,
            discount_minor: 0,
            taxable_minor: t.taxable_minor,
            tax_minor: t.tax_minor,
            total_minor: t.total_minor,
            taxes: t.taxes.clone(),
            returned_milli: 0,
            approved_by: Some(approval.staff_id().to_string()),
        };
        self.record_return(
            actor,
            (None, Some(approval)),
            vec![line],
            0,
            None,
            refund,
            now_ms,
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn record_return(
        &mut self,
        actor: &Actor,
        (original, approval): (Option<&SaleDocument>, Option<&Approval>),
        lines: Vec<DocumentLine>,
        rounding_minor: i64,
        customer: Option<CartCustomer>,
        refund: &Refund,
        now_ms: u64,
    ) -> Result<SaleDocument, Error> {
        let settings = self.pos_settings()?;
        let shop = self.current_shop_as(Some(actor.staff_id()), now_ms)?;
        let device = self.device;
        let currency = self.shop.currency;
        let tx = self.conn.transaction()?;
        let shift = open_shift_id(&tx, device)?.ok_or(PosError::NoOpenShift)?;
        let total: i64 = lines.iter().map(|l| l.total_minor).sum();
        let grand = total + rounding_minor;
        if refund.method == Method::Card && refund.reference.is_none() {
            return Err(PosError::from(PaymentError::ReferenceRequired { index: 0 }).into());
        }
        if refund.method == Method::StoreCredit && customer.is_none() {
            return Err(PosError::from(PaymentError::NoCustomer { index: 0 }).into());
        }
        let (taxes, hsn) = summarise_lines(&lines);
        let id = crate::id::new_id();
        let number = next_number(&tx, &settings, DocumentKind::Return, now_ms)?;
        let stamp = super::stamp(&mut self.clock, &tx, now_ms)?;
        let doc = SaleDocument {
            id,
            number,
            kind: DocumentKind::Return,
            original_number: original.map(|o| o.number.clone()),
            at_ms: now_ms,
            header: ShopHeader {
                shop_name: settings.shop_name.clone(),
                shop_address: settings.shop_address.clone(),
                gstin: settings.gstin.clone(),
                cashier: actor.name().to_owned(),
                utc_offset_minutes: settings.utc_offset_minutes,
            },
            customer: customer.clone(),
            currency,
            prices_include_tax: original
                .map(|o| o.prices_include_tax)
                .unwrap_or(settings.rules.prices_include_tax),
            inter_state: original.is_some_and(|o| o.inter_state),
            gross_minor: lines.iter().map(|l| l.gross_minor).sum(),
            discount_minor: lines.iter().map(|l| l.discount_minor).sum(),
            taxable_minor: lines.iter().map(|l| l.taxable_minor).sum(),
            tax_minor: lines.iter().map(|l| l.tax_minor).sum(),
            total_minor: total,
            taxes,
            hsn,
            rounding_minor,
            grand_total_minor: grand,
            change_minor: 0,
            payments: vec![SettledPayment {
                method: refund.method,
                amount_minor: grand,
                tendered_minor: grand,
                reference: refund.reference.clone(),
            }],
            lines,
        };
        let provenance = (
            shop.id,
            shift,
            device,
            actor.staff_id(),
            original.map(|o| o.id),
            approval.map(|a| a.staff_id()),
            refund.restock,
        );
        insert_document(&tx, &doc, provenance, &stamp.to_string())?;
        if refund.restock {
            for line in &doc.lines {
                document_movement_in(
                    &tx,
                    &mut self.clock,
                    device,
                    actor,
                    (
                        line.variant_id,
                        shop.id,
                        Quantity::from_milli(line.quantity_milli),
                        MovementKind::Return,
                    ),
                    id,
                    now_ms,
                )?;
            }
        }
        if refund.method == Method::StoreCredit {
            if let Some(c) = &customer {
                ensure_customer(&tx, c.id)?;
                move_credit(
                    &tx,
                    &mut self.clock,
                    device,
                    actor,
                    (c.id, grand, id),
                    now_ms,
                )?;
            }
        }
        push_outbox(
            &tx,
            "sale",
            id,
            "append",
            stamp,
            Some(actor.staff_id()),
            &document_payload(&doc, provenance),
        )?;
        tx.commit()?;
        Ok(read_document(&self.conn, &id.to_string(), currency)?)
    }
}

fn ensure_customer(tx: &Transaction<'_>, id: Uuid) -> Result<(), Error> {
    read_customer(tx, id)?.ok_or(PosError::Customer(crate::pos::CustomerError::NotFound))?;
    Ok(())
}
