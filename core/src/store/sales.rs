//! Selling: what a scan finds, completing a sale in one transaction (the sale, its
//! lines, payments, stock movements, store credit and outbox entries, and its number
//! from the counter's gapless series), reading receipts back, and parked carts.

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde_json::{json, Value};
use uuid::Uuid;

use super::customers::{move_credit, read_customer};
use super::outbox::push_outbox;
use super::shifts::open_shift_id;
use super::staff::authorize;
use super::stock::document_movement_in;
use super::{pos_settings, Error, Store, StoreError};
use crate::pos::calendar::local_time;
use crate::pos::cart::{Cart, CartCustomer, PriceSource, SellableItem};
use crate::pos::document::{DocumentKind, DocumentLine, SaleDocument, ShopHeader};
use crate::pos::payment::{settle, Method, SettledPayment, Tender};
use crate::pos::pricing::TaxAmount;
use crate::pos::scale::{read_label, ScaleKind};
use crate::pos::{PosError, PosSettings};
use crate::quantity::Quantity;
use crate::staff::{allows, Actor, Permission};
use crate::stock::MovementKind;

/// What a scan adds to the cart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scanned {
    pub item: SellableItem,
    pub quantity: Quantity,
    pub unit_price_minor: i64,
    /// `Catalog` for a plain barcode; a weighed label is `Catalog` too but gets its own
    /// line; a price label is `Label`.
    pub source: PriceSource,
    /// Weighed and price-labelled items always get a line of their own.
    pub separate_line: bool,
}

/// A parked cart as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParkedSale {
    pub id: Uuid,
    pub parked_at_ms: u64,
    pub note: String,
    pub parked_by: String,
    pub cart: Cart,
}

impl Store {
    /// The item as the counter sells it. Archived items cannot be sold.
    pub fn sellable(&self, variant_id: Uuid) -> Result<SellableItem, Error> {
        type Row = (
            String,
            Option<String>,
            Option<String>,
            String,
            String,
            Option<String>,
            i64,
            String,
        );
        let row: Option<Row> = self
            .conn
            .prepare_cached(
                "SELECT p.name, p.tax_class, p.hsn_code, p.status, v.options, v.sku, v.price_minor, v.status
                 FROM variants v JOIN products p ON p.id = v.product_id WHERE v.id = ?1",
            )?
            .query_row([variant_id.to_string()], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?))
            })
            .optional()?;
        let Some((name, tax_class, hsn, status, options, sku, price, variant_status)) = row else {
            return Err(crate::stock::StockError::VariantNotFound(variant_id).into());
        };
        if status == "archived" || variant_status == "archived" {
            return Err(PosError::ItemArchived.into());
        }
        let values: Vec<String> = serde_json::from_str::<Vec<String>>(&options).unwrap_or_default();
        let name = if values.is_empty() {
            name
        } else {
            format!("{name} ({})", values.join(" / "))
        };
        Ok(SellableItem {
            variant_id,
            name,
            sku,
            hsn,
            tax_class,
            price_minor: price,
        })
    }

    /// What a scanned code adds: an item's own barcode, or a scale label (weight or
    /// price embedded) of an item whose base code is in the catalog.
    pub fn scan(&self, code: &str) -> Result<Scanned, Error> {
        let code = code.trim();
        if let Some((_, variant)) = self.find_by_barcode(code)? {
            let item = self.sellable(variant)?;
            let price = item.price_minor;
            return Ok(Scanned {
                item,
                quantity: Quantity::from_milli(1000),
                unit_price_minor: price,
                source: PriceSource::Catalog,
                separate_line: false,
            });
        }
        let settings = self.pos_settings()?;
        if let Some(label) = read_label(code, &settings.scale_prefixes) {
            if let Some((_, variant)) = self.find_by_barcode(&label.item_code)? {
                let item = self.sellable(variant)?;
                return Ok(match label.kind {
                    ScaleKind::Weight => {
                        if label.value == 0 {
                            return Err(PosError::UnknownBarcode(code.to_owned()).into());
                        }
                        let price = item.price_minor;
                        Scanned {
                            item,
                            quantity: Quantity::from_milli(label.value),
                            unit_price_minor: price,
                            source: PriceSource::Catalog,
                            separate_line: true,
                        }
                    }
                    ScaleKind::Price => Scanned {
                        item,
                        quantity: Quantity::from_milli(1000),
                        unit_price_minor: label.value,
                        source: PriceSource::Label,
                        separate_line: true,
                    },
                });
            }
        }
        Err(PosError::UnknownBarcode(code.chars().take(40).collect()).into())
    }

    /// Completes the sale: everything in one transaction, or nothing.
    pub fn complete_sale(
        &mut self,
        actor: &Actor,
        cart: &Cart,
        tenders: &[Tender],
        now_ms: u64,
    ) -> Result<SaleDocument, Error> {
        authorize(&self.conn, actor, Permission::Sell)?;
        if cart.is_empty() {
            return Err(PosError::CartEmpty.into());
        }
        let settings = self.pos_settings()?;
        let shop = self.current_shop_as(Some(actor.staff_id()), now_ms)?;
        let currency = self.shop.currency;
        let device = self.device;
        let tx = self.conn.transaction()?;
        let shift = open_shift_id(&tx, device)?.ok_or(PosError::NoOpenShift)?;
        check_approvals(&tx, actor, cart, &settings)?;
        let customer = match &cart.customer {
            Some(c) => Some(
                read_customer(&tx, c.id)?
                    .ok_or(crate::pos::CustomerError::NotFound)
                    .map_err(PosError::from)?,
            ),
            None => None,
        };
        let inter_state =
            settings.is_inter_state(customer.as_ref().and_then(|c| c.gstin.as_deref()));
        let rates = pos_settings::read_rates(&tx)?;
        let date = crate::pos::calendar::local_date(now_ms, settings.utc_offset_minutes);
        let totals = cart
            .totals(&rates, &date, inter_state, settings.rules)
            .map_err(PosError::from)?;
        let settlement = settle(totals.total_minor, tenders, settings.cash_step_minor)
            .map_err(PosError::from)?;
        let credit_used: i64 = settlement
            .payments
            .iter()
            .filter(|p| p.method == Method::StoreCredit)
            .map(|p| p.amount_minor)
            .sum();
        if credit_used > 0 {
            let index = tenders
                .iter()
                .position(|t| t.method == Method::StoreCredit)
                .unwrap_or(0);
            let Some(c) = &customer else {
                return Err(PosError::from(crate::pos::PaymentError::NoCustomer { index }).into());
            };
            if c.store_credit_minor < credit_used {
                return Err(PosError::from(crate::pos::PaymentError::NotEnoughCredit {
                    index,
                    balance_minor: c.store_credit_minor,
                })
                .into());
            }
        }
        let id = crate::id::new_id();
        let number = next_number(&tx, &settings, DocumentKind::Sale, now_ms)?;
        let stamp = super::stamp(&mut self.clock, &tx, now_ms)?;
        let header = ShopHeader {
            shop_name: settings.shop_name.clone(),
            shop_address: settings.shop_address.clone(),
            gstin: settings.gstin.clone(),
            cashier: actor.name().to_owned(),
            utc_offset_minutes: settings.utc_offset_minutes,
        };
        let lines: Vec<DocumentLine> = cart
            .lines
            .iter()
            .zip(&totals.lines)
            .map(|(l, t)| DocumentLine {
                // Each document's lines get their own ids: a cart is a draft, and the
                // same draft completed twice (a retried command) is two sales.
                line_id: crate::id::new_id(),
                variant_id: l.item.variant_id,
                name: l.item.name.clone(),
                sku: l.item.sku.clone(),
                hsn: l.item.hsn.clone(),
                quantity_milli: l.quantity.milli(),
                unit_price_minor: l.unit_price_minor,
                price_source: l.price_source.as_str().to_owned(),
                gross_minor: t.gross_minor,
                discount_minor: t.discount_minor(),
                taxable_minor: t.taxable_minor,
                tax_minor: t.tax_minor,
                total_minor: t.total_minor,
                taxes: t.taxes.clone(),
                returned_milli: 0,
                approved_by: l
                    .discount_approved_by
                    .as_ref()
                    .or(l.price_approved_by.as_ref())
                    .or(cart.discount_approved_by.as_ref())
                    .map(|a| a.staff_id().to_string()),
            })
            .collect();
        let doc = SaleDocument {
            id,
            number,
            kind: DocumentKind::Sale,
            original_number: None,
            at_ms: now_ms,
            header,
            customer: customer.as_ref().map(|c| CartCustomer {
                id: c.id,
                name: c.name.clone(),
                phone: c.phone.clone(),
                gstin: c.gstin.clone(),
            }),
            currency,
            prices_include_tax: settings.rules.prices_include_tax,
            inter_state,
            lines,
            gross_minor: totals.gross_minor,
            discount_minor: totals.discount_minor,
            taxable_minor: totals.taxable_minor,
            tax_minor: totals.tax_minor,
            total_minor: totals.total_minor,
            taxes: totals.taxes.clone(),
            hsn: totals.hsn.clone(),
            rounding_minor: settlement.rounding_minor,
            grand_total_minor: settlement.grand_total_minor,
            change_minor: settlement.change_minor,
            payments: settlement.payments.clone(),
        };
        insert_document(
            &tx,
            &doc,
            (shop.id, shift, device, actor.staff_id(), None, None, false),
            &stamp.to_string(),
        )?;
        for line in &doc.lines {
            document_movement_in(
                &tx,
                &mut self.clock,
                device,
                actor,
                (
                    line.variant_id,
                    shop.id,
                    Quantity::from_milli(-line.quantity_milli),
                    MovementKind::Sale,
                ),
                id,
                now_ms,
            )?;
        }
        if credit_used > 0 {
            if let Some(c) = &customer {
                move_credit(
                    &tx,
                    &mut self.clock,
                    device,
                    actor,
                    (c.id, -credit_used, id),
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
            &document_payload(
                &doc,
                (shop.id, shift, device, actor.staff_id(), None, None, false),
            ),
        )?;
        tx.commit()?;
        Ok(doc)
    }

    /// A sale or return by its receipt number.
    pub fn document(&self, number: &str) -> Result<SaleDocument, Error> {
        let id: Option<String> = self
            .conn
            .prepare_cached("SELECT id FROM sales WHERE number = ?1")?
            .query_row([number.trim()], |r| r.get(0))
            .optional()?;
        let id =
            id.ok_or_else(|| PosError::ReceiptNotFound(number.trim().chars().take(40).collect()))?;
        Ok(read_document(&self.conn, &id, self.shop.currency)?)
    }

    /// The latest sales and returns on this counter, newest first.
    pub fn recent_documents(&self, limit: usize) -> Result<Vec<SaleDocument>, StoreError> {
        let ids: Vec<String> = self
            .conn
            .prepare_cached(
                "SELECT id FROM sales WHERE device_id = ?1 ORDER BY at_ms DESC, id DESC LIMIT ?2",
            )?
            .query_map(
                params![self.device.to_string(), limit.min(500) as i64],
                |r| r.get(0),
            )?
            .collect::<Result<_, _>>()?;
        ids.iter()
            .map(|id| read_document(&self.conn, id, self.shop.currency))
            .collect()
    }

    /// A customer's sales and returns, newest first.
    pub fn customer_documents(&self, customer_id: Uuid) -> Result<Vec<SaleDocument>, StoreError> {
        let ids: Vec<String> = self
            .conn
            .prepare_cached("SELECT id FROM sales WHERE customer_id = ?1 ORDER BY at_ms DESC, id DESC LIMIT 200")?
            .query_map([customer_id.to_string()], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        ids.iter()
            .map(|id| read_document(&self.conn, id, self.shop.currency))
            .collect()
    }

    /// Puts a cart aside; it survives a restart.
    pub fn park_cart(
        &mut self,
        actor: &Actor,
        cart: &Cart,
        note: &str,
        now_ms: u64,
    ) -> Result<Uuid, Error> {
        authorize(&self.conn, actor, Permission::Sell)?;
        if cart.is_empty() {
            return Err(PosError::CartEmpty.into());
        }
        let id = crate::id::new_id();
        let note: String = note
            .trim()
            .chars()
            .filter(|c| !c.is_control())
            .take(100)
            .collect();
        self.conn.prepare_cached("INSERT INTO parked_sales (id, parked_at_ms, staff_id, note, cart) VALUES (?1, ?2, ?3, ?4, ?5)")?
            .execute(params![id.to_string(), super::to_sql_ms(now_ms), actor.staff_id().to_string(), note, cart.to_json().to_string()])?;
        Ok(id)
    }

    pub fn parked_sales(&self) -> Result<Vec<ParkedSale>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT p.id, p.parked_at_ms, p.note, coalesce(s.name, ''), p.cart FROM parked_sales p
             LEFT JOIN staff s ON s.id = p.staff_id ORDER BY p.parked_at_ms, p.id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?;
        let mut parked = Vec::new();
        for row in rows {
            let (id, at, note, by, cart) = row?;
            let cart = serde_json::from_str::<Value>(&cart)
                .ok()
                .and_then(|v| Cart::from_json(&v))
                .ok_or_else(|| StoreError::Corrupt(format!("parked sale {id}")))?;
            parked.push(ParkedSale {
                id: super::products::parse_uuid(&id, "parked sale id")?,
                parked_at_ms: at.max(0) as u64,
                note,
                parked_by: by,
                cart,
            });
        }
        Ok(parked)
    }

    /// Takes a parked cart back out (it leaves the parked list).
    pub fn take_parked(&mut self, actor: &Actor, id: Uuid) -> Result<Cart, Error> {
        authorize(&self.conn, actor, Permission::Sell)?;
        let tx = self.conn.transaction()?;
        let cart: Option<String> = tx
            .prepare_cached("SELECT cart FROM parked_sales WHERE id = ?1")?
            .query_row([id.to_string()], |r| r.get(0))
            .optional()?;
        let cart = cart.ok_or(PosError::ParkedNotFound)?;
        let cart = serde_json::from_str::<Value>(&cart)
            .ok()
            .and_then(|v| Cart::from_json(&v))
            .ok_or_else(|| StoreError::Corrupt(format!("parked sale {id}")))?;
        tx.execute("DELETE FROM parked_sales WHERE id = ?1", [id.to_string()])?;
        tx.commit()?;
        Ok(cart)
    }
}

/// Over-limit discounts and price overrides must carry an approval from someone who
/// may give one and is still on the staff: the cart cannot smuggle one in.
fn check_approvals(
    tx: &Transaction<'_>,
    actor: &Actor,
    cart: &Cart,
    settings: &PosSettings,
) -> Result<(), Error> {
    if allows(actor.role(), Permission::ApproveOverride) {
        return Ok(());
    }
    let limits = crate::pos::SellerLimits {
        discount_limit_bp: settings.discount_limit_bp,
    };
    for approval in cart.approvals_needed(limits) {
        let Some(a) = approval else {
            return Err(PosError::from(crate::pos::CartError::ApprovalRequired(
                "This sale has a change that needs a manager's approval.".into(),
            ))
            .into());
        };
        let role: Option<(String, String)> = tx
            .prepare_cached("SELECT role, status FROM staff WHERE id = ?1")?
            .query_row([a.staff_id().to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let ok = role.is_some_and(|(role, status)| {
            status == "active"
                && crate::staff::Role::parse(&role)
                    .is_some_and(|r| allows(r, Permission::ApproveOverride))
        });
        if !ok {
            return Err(
                PosError::from(crate::pos::CartError::ApprovalRequired(format!(
                    "{} can no longer approve this. Ask a manager again.",
                    a.name()
                )))
                .into(),
            );
        }
    }
    Ok(())
}

/// The next number of this counter's series, bumped in the document's transaction.
pub(super) fn next_number(
    tx: &Transaction<'_>,
    settings: &PosSettings,
    kind: DocumentKind,
    now_ms: u64,
) -> Result<String, StoreError> {
    let mut series = settings.receipt_prefix.clone();
    if kind == DocumentKind::Return {
        series.push_str("-R");
    }
    if settings.yearly_reset {
        let (year, ..) = local_time(now_ms, settings.utc_offset_minutes);
        series.push_str(&format!("-{:02}", year.rem_euclid(100)));
    }
    let next: i64 = tx
        .prepare_cached(
            "INSERT INTO receipt_series (series, last_number) VALUES (?1, 1)
             ON CONFLICT (series) DO UPDATE SET last_number = last_number + 1
             RETURNING last_number",
        )?
        .query_row([&series], |r| r.get(0))?;
    Ok(format!("{series}-{next:06}"))
}

pub(super) fn taxes_json(taxes: &[TaxAmount]) -> String {
    json!(taxes
        .iter()
        .map(|t| json!({"name": t.name, "rate_ppm": t.rate_ppm, "amount_minor": t.amount_minor}))
        .collect::<Vec<_>>())
    .to_string()
}

pub(super) fn parse_taxes(text: &str) -> Result<Vec<TaxAmount>, StoreError> {
    let corrupt = || StoreError::Corrupt(format!("line taxes {text:?}"));
    let value: Value = serde_json::from_str(text).map_err(|_| corrupt())?;
    value
        .as_array()
        .ok_or_else(corrupt)?
        .iter()
        .map(|t| {
            Ok(TaxAmount {
                name: t["name"].as_str().ok_or_else(corrupt)?.to_owned(),
                rate_ppm: t["rate_ppm"].as_i64().ok_or_else(corrupt)?,
                amount_minor: t["amount_minor"].as_i64().ok_or_else(corrupt)?,
            })
        })
        .collect()
}

/// Where a document was made and against what: (shop, shift, device, staff, original
/// sale, approver, restocked).
pub(super) type Provenance = (Uuid, Uuid, Uuid, Uuid, Option<Uuid>, Option<Uuid>, bool);

/// The shop, cashier and customer as printed, kept with the document so a reprint
/// anywhere shows what the first print did.
fn header_json(doc: &SaleDocument) -> Value {
    json!({
        "shop_name": doc.header.shop_name, "shop_address": doc.header.shop_address,
        "gstin": doc.header.gstin, "cashier": doc.header.cashier,
        "utc_offset_minutes": doc.header.utc_offset_minutes,
        "customer": doc.customer.as_ref().map(|c| json!({"name": c.name, "phone": c.phone, "gstin": c.gstin})),
    })
}

pub(super) fn insert_document(
    tx: &Transaction<'_>,
    doc: &SaleDocument,
    (shop, shift, device, staff, original, approver, restocked): Provenance,
    hlc: &str,
) -> Result<(), StoreError> {
    let header = header_json(doc);
    let text = |id: Option<Uuid>| id.map(|i| i.to_string());
    tx.prepare_cached(
        "INSERT INTO sales (id, number, kind, original_sale_id, shift_id, shop_id, device_id, staff_id,
             approved_by, customer_id, at_ms, hlc, currency, inter_state, prices_include_tax, restocked,
             gross_minor, discount_minor, taxable_minor, tax_minor, total_minor, rounding_minor,
             grand_total_minor, change_minor, header)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,
             ?20, ?21, ?22, ?23, ?24, ?25)",
    )?
    .execute(params![
        doc.id.to_string(), doc.number, doc.kind.as_str(), text(original), shift.to_string(),
        shop.to_string(), device.to_string(), staff.to_string(), text(approver),
        text(doc.customer.as_ref().map(|c| c.id)), super::to_sql_ms(doc.at_ms), hlc,
        doc.currency.code(), doc.inter_state, doc.prices_include_tax, restocked,
        doc.gross_minor, doc.discount_minor, doc.taxable_minor, doc.tax_minor, doc.total_minor,
        doc.rounding_minor, doc.grand_total_minor, doc.change_minor, header.to_string()
    ])?;
    let mut line_stmt = tx.prepare_cached(
        "INSERT INTO sale_lines (sale_id, position, line_id, original_line_id, variant_id, name, sku, hsn,
             quantity_milli, unit_price_minor, price_source, gross_minor, discount_minor, taxable_minor,
             tax_minor, total_minor, taxes, approved_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
    )?;
    for (position, l) in doc.lines.iter().enumerate() {
        // A return's line keeps the sold line's id in `original_line_id`; its own id is new.
        let (line_id, original_line) = match doc.kind {
            DocumentKind::Sale => (l.line_id, None),
            DocumentKind::Return => (
                crate::id::new_id(),
                if original.is_some() {
                    Some(l.line_id.to_string())
                } else {
                    None
                },
            ),
        };
        line_stmt.execute(params![
            doc.id.to_string(),
            position as i64,
            line_id.to_string(),
            original_line,
            l.variant_id.to_string(),
            l.name,
            l.sku,
            l.hsn,
            l.quantity_milli,
            l.unit_price_minor,
            l.price_source,
            l.gross_minor,
            l.discount_minor,
            l.taxable_minor,
            l.tax_minor,
            l.total_minor,
            taxes_json(&l.taxes),
            l.approved_by
        ])?;
    }
    let mut pay_stmt = tx.prepare_cached(
        "INSERT INTO payments (sale_id, position, method, amount_minor, tendered_minor, reference)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (position, p) in doc.payments.iter().enumerate() {
        pay_stmt.execute(params![
            doc.id.to_string(),
            position as i64,
            p.method.as_str(),
            p.amount_minor,
            p.tendered_minor,
            p.reference
        ])?;
    }
    Ok(())
}

/// The outbox payload of a sale or return: the whole document, so the server can
/// apply it exactly once without asking for anything else.
pub(super) fn document_payload(
    doc: &SaleDocument,
    (shop, shift, device, staff, _, approver, restocked): Provenance,
) -> Value {
    json!({
        "approved_by": approver.map(|a| a.to_string()),
        "restocked": restocked,
        "header": header_json(doc),
        "number": doc.number,
        "kind": doc.kind.as_str(),
        "original_number": doc.original_number,
        "shop_id": shop.to_string(),
        "shift_id": shift.to_string(),
        "device_id": device.to_string(),
        "staff_id": staff.to_string(),
        "customer_id": doc.customer.as_ref().map(|c| c.id.to_string()),
        "at_ms": super::to_sql_ms(doc.at_ms),
        "currency": doc.currency.code(),
        "inter_state": doc.inter_state,
        "prices_include_tax": doc.prices_include_tax,
        "lines": doc.lines.iter().map(|l| json!({
            "line_id": l.line_id.to_string(), "variant_id": l.variant_id.to_string(),
            "name": l.name, "sku": l.sku, "hsn": l.hsn, "quantity_milli": l.quantity_milli,
            "approved_by": l.approved_by,
            "unit_price_minor": l.unit_price_minor, "price_source": l.price_source,
            "gross_minor": l.gross_minor, "discount_minor": l.discount_minor,
            "taxable_minor": l.taxable_minor, "tax_minor": l.tax_minor, "total_minor": l.total_minor,
            "taxes": serde_json::from_str::<Value>(&taxes_json(&l.taxes)).unwrap_or(Value::Null),
        })).collect::<Vec<_>>(),
        "totals": {
            "gross_minor": doc.gross_minor, "discount_minor": doc.discount_minor,
            "taxable_minor": doc.taxable_minor, "tax_minor": doc.tax_minor,
            "total_minor": doc.total_minor, "rounding_minor": doc.rounding_minor,
            "grand_total_minor": doc.grand_total_minor, "change_minor": doc.change_minor,
        },
        "payments": doc.payments.iter().map(|p| json!({
            "method": p.method.as_str(), "amount_minor": p.amount_minor,
            "tendered_minor": p.tendered_minor, "reference": p.reference,
        })).collect::<Vec<_>>(),
    })
}

pub(super) fn read_document(
    conn: &Connection,
    id: &str,
    currency: crate::Currency,
) -> Result<SaleDocument, StoreError> {
    let corrupt = |what: &str| StoreError::Corrupt(format!("{what} of sale {id}"));
    type Head = (
        String,
        String,
        Option<String>,
        i64,
        bool,
        bool,
        [i64; 8],
        String,
        Option<String>,
        String,
    );
    let head: Head = conn.prepare_cached(
        "SELECT s.number, s.kind, o.number, s.at_ms, s.inter_state, s.prices_include_tax,
                s.gross_minor, s.discount_minor, s.taxable_minor, s.tax_minor, s.total_minor,
                s.rounding_minor, s.grand_total_minor, s.change_minor, s.header, s.customer_id, s.currency
         FROM sales s LEFT JOIN sales o ON o.id = s.original_sale_id WHERE s.id = ?1",
    )?.query_row([id], |r| Ok((
        r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?,
        [r.get(6)?, r.get(7)?, r.get(8)?, r.get(9)?, r.get(10)?, r.get(11)?, r.get(12)?, r.get(13)?],
        r.get(14)?, r.get(15)?, r.get(16)?,
    )))?;
    let (
        number,
        kind,
        original_number,
        at_ms,
        inter_state,
        prices_include_tax,
        amounts,
        header,
        customer_id,
        currency_code,
    ) = head;
    let currency = crate::Currency::from_code(&currency_code).unwrap_or(currency);
    let kind = DocumentKind::parse(&kind).ok_or_else(|| corrupt("kind"))?;
    let header: Value = serde_json::from_str(&header).map_err(|_| corrupt("header"))?;
    let s = |v: &Value| v.as_str().map(str::to_owned);
    let customer = match (&customer_id, header.get("customer")) {
        (Some(cid), Some(c)) if !c.is_null() => Some(CartCustomer {
            id: super::products::parse_uuid(cid, "customer id")?,
            name: s(&c["name"]).unwrap_or_default(),
            phone: s(&c["phone"]),
            gstin: s(&c["gstin"]),
        }),
        _ => None,
    };
    let mut lines = Vec::new();
    let mut stmt = conn.prepare_cached(
        "SELECT l.line_id, l.variant_id, l.name, l.sku, l.hsn, l.quantity_milli, l.unit_price_minor, l.price_source,
                l.gross_minor, l.discount_minor, l.taxable_minor, l.tax_minor, l.total_minor, l.taxes, l.approved_by,
                l.original_line_id,
                (SELECT coalesce(sum(r.quantity_milli), 0) FROM sale_lines r WHERE r.original_line_id = l.line_id)
         FROM sale_lines l WHERE l.sale_id = ?1 ORDER BY l.position",
    )?;
    let rows = stmt.query_map([id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, Option<String>>(3)?,
            r.get::<_, Option<String>>(4)?,
            [r.get::<_, i64>(5)?, r.get(6)?],
            r.get::<_, String>(7)?,
            [
                r.get::<_, i64>(8)?,
                r.get(9)?,
                r.get(10)?,
                r.get(11)?,
                r.get(12)?,
            ],
            r.get::<_, String>(13)?,
            r.get::<_, Option<String>>(14)?,
            r.get::<_, Option<String>>(15)?,
            r.get::<_, i64>(16)?,
        ))
    })?;
    for row in rows {
        let (
            line_id,
            variant_id,
            name,
            sku,
            hsn,
            [quantity, unit],
            source,
            [gross, discount, taxable, tax, total],
            taxes,
            approved_by,
            original_line,
            returned,
        ) = row?;
        // A return's line is shown under the sold line's id, which is what a reader
        // of the return matches it by.
        let shown_id = original_line.unwrap_or(line_id);
        lines.push(DocumentLine {
            line_id: super::products::parse_uuid(&shown_id, "line id")?,
            variant_id: super::products::parse_uuid(&variant_id, "variant id")?,
            name,
            sku,
            hsn,
            quantity_milli: quantity,
            unit_price_minor: unit,
            price_source: source,
            gross_minor: gross,
            discount_minor: discount,
            taxable_minor: taxable,
            tax_minor: tax,
            total_minor: total,
            taxes: parse_taxes(&taxes)?,
            returned_milli: returned,
            approved_by,
        });
    }
    let (taxes, hsn) = crate::pos::document::summarise_lines(&lines);
    let mut payments = Vec::new();
    let mut stmt = conn.prepare_cached("SELECT method, amount_minor, tendered_minor, reference FROM payments WHERE sale_id = ?1 ORDER BY position")?;
    let rows = stmt.query_map([id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, Option<String>>(3)?,
        ))
    })?;
    for row in rows {
        let (method, amount, tendered, reference) = row?;
        payments.push(SettledPayment {
            method: Method::parse(&method).ok_or_else(|| corrupt("payment method"))?,
            amount_minor: amount,
            tendered_minor: tendered,
            reference,
        });
    }
    let [gross, discount, taxable, tax, total, rounding, grand, change] = amounts;
    Ok(SaleDocument {
        id: super::products::parse_uuid(id, "sale id")?,
        number,
        kind,
        original_number,
        at_ms: at_ms.max(0) as u64,
        header: ShopHeader {
            shop_name: s(&header["shop_name"]).unwrap_or_default(),
            shop_address: s(&header["shop_address"]).unwrap_or_default(),
            gstin: s(&header["gstin"]),
            cashier: s(&header["cashier"]).unwrap_or_default(),
            utc_offset_minutes: header["utc_offset_minutes"].as_i64().unwrap_or(0) as i32,
        },
        customer,
        currency,
        prices_include_tax,
        inter_state,
        lines,
        gross_minor: gross,
        discount_minor: discount,
        taxable_minor: taxable,
        tax_minor: tax,
        total_minor: total,
        taxes,
        hsn,
        rounding_minor: rounding,
        grand_total_minor: grand,
        change_minor: change,
        payments,
    })
}
