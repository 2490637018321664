//! The point of sale: the cart held for this window, selling, payments, receipts and
//! printing, returns, shifts, customers and the counter's settings. Money is worked
//! out by core; this file only moves it between core and the wire types.

use std::io::Write;
use std::path::{Path, PathBuf};

use galla_core::pos::calendar::local_date;
use galla_core::pos::cart::{Cart, CartCustomer, SellerLimits};
use galla_core::pos::payment::{due, Method, Tender};
use galla_core::pos::shift::CashDirection;
use galla_core::pos::tax::{parse_date, parse_rate_percent, TaxBase, TaxRate};
use galla_core::pos::{Approval, CartError, CustomerForm, Discount, PosError};
use galla_core::receipt::{encode, layout};
use galla_core::store::Refund;
use galla_core::{Actor, Error, Money, Quantity, Store};

use super::{lock, parse_uuid, Terminal};
use crate::wire::pos::{
    CartLineView, CartView, CustomerHistoryView, CustomerInput, CustomerView, DenominationInput,
    DiscountInput, DiscountView, DueView, ParkedSaleView, PaymentInput, PosSettingsView,
    PosStateView, PrintedView, ReceiptSummaryView, ReceiptView, ReturnInput, ShiftReportView,
    TaxRateView, TotalsView, UnreceiptedReturnInput, UpiQrView,
};
use crate::wire::{ErrorCode, IpcError};

fn invalid(message: impl Into<String>) -> IpcError {
    IpcError::new(ErrorCode::InputInvalid, message)
}

fn amount(store: &Store, text: &str, what: &str) -> Result<Money, IpcError> {
    Money::parse_price(text, store.shop().currency)
        .map_err(|e| IpcError::new(ErrorCode::InputInvalid, format!("{what}: {e}")))
}

fn parse_discount(store: &Store, input: &DiscountInput) -> Result<Discount, IpcError> {
    let bad = |m: String| IpcError::new(ErrorCode::DiscountInvalid, m);
    match input.kind.as_str() {
        "percent" => {
            let ppm = parse_rate_percent(&input.value).map_err(|_| {
                bad(format!(
                    "\"{}\" is not a percent. Type 10 or 12.5.",
                    input.value
                ))
            })?;
            if ppm % 100 != 0 {
                return Err(bad(
                    "A discount has at most two decimals of a percent.".into()
                ));
            }
            Ok(Discount::Percent(ppm / 100))
        }
        "amount" => Money::parse_price(&input.value, store.shop().currency)
            .map(|m| Discount::Amount(m.minor()))
            .map_err(|e| bad(e.to_string())),
        other => Err(bad(format!("Unknown discount type {other:?}."))),
    }
}

fn parse_method(text: &str) -> Result<Method, IpcError> {
    Method::parse(text).ok_or_else(|| invalid(format!("Unknown payment method {text:?}.")))
}

fn reference(text: &str) -> Option<String> {
    let t: String = text
        .trim()
        .chars()
        .filter(|c| !c.is_control())
        .take(64)
        .collect();
    (!t.is_empty()).then_some(t)
}

fn tenders(store: &Store, payments: &[PaymentInput]) -> Result<Vec<Tender>, IpcError> {
    payments
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let method = parse_method(&p.method)?;
            let money = Money::parse_price(&p.amount, store.shop().currency).map_err(|e| {
                IpcError::at(
                    ErrorCode::PaymentInvalid,
                    e.to_string(),
                    format!("payments.{i}.amount"),
                )
            })?;
            Ok(Tender {
                method,
                amount_minor: money.minor(),
                reference: reference(&p.reference),
            })
        })
        .collect()
}

/// Runs a cart change; when it needs a manager and a PIN came with it, asks core to
/// check the PIN (audited) and runs the change again with the approval.
fn with_approval<T>(
    store: &mut Store,
    actor: &Actor,
    pin: Option<&str>,
    what: &str,
    now_ms: u64,
    mut change: impl FnMut(Option<Approval>) -> Result<T, CartError>,
) -> Result<T, IpcError> {
    match change(None) {
        Err(CartError::ApprovalRequired(message)) => {
            match pin.map(str::trim).filter(|p| !p.is_empty()) {
                Some(pin) => {
                    let approval = store.approve(actor, pin, what, now_ms)?;
                    change(Some(approval)).map_err(|e| Error::from(PosError::from(e)).into())
                }
                None => Err(IpcError::new(ErrorCode::ApprovalRequired, message)),
            }
        }
        other => other.map_err(|e| Error::from(PosError::from(e)).into()),
    }
}

fn cart_view(store: &Store, cart: &Cart, now_ms: u64) -> Result<CartView, IpcError> {
    let settings = store.pos_settings()?;
    let rates = store.tax_rates()?;
    let inter_state =
        settings.is_inter_state(cart.customer.as_ref().and_then(|c| c.gstin.as_deref()));
    let date = local_date(now_ms, settings.utc_offset_minutes);
    let totals = cart
        .totals(&rates, &date, inter_state, settings.rules)
        .map_err(|e| Error::from(PosError::from(e)))?;
    let customer = match &cart.customer {
        Some(c) => store.customer(c.id)?.as_ref().map(CustomerView::from),
        None => None,
    };
    Ok(CartView {
        lines: cart
            .lines
            .iter()
            .zip(&totals.lines)
            .map(|(l, t)| CartLineView {
                line_id: l.line_id.to_string(),
                variant_id: l.item.variant_id.to_string(),
                name: l.item.name.clone(),
                sku: l.item.sku.clone(),
                hsn: l.item.hsn.clone(),
                quantity_milli: l.quantity.milli(),
                unit_price_minor: l.unit_price_minor,
                price_source: l.price_source.as_str().into(),
                discount: l.discount.map(|d| {
                    DiscountView::new(d, l.discount_approved_by.as_ref().map(|a| a.name()))
                }),
                gross_minor: t.gross_minor,
                discount_minor: t.discount_minor(),
                taxes: crate::wire::pos::taxes(&t.taxes),
                tax_minor: t.tax_minor,
                total_minor: t.total_minor,
            })
            .collect(),
        cart_discount: cart
            .discount
            .map(|d| DiscountView::new(d, cart.discount_approved_by.as_ref().map(|a| a.name()))),
        customer,
        inter_state,
        totals: TotalsView::from(&totals),
        focus_line_id: cart.focus.map(|id| id.to_string()),
    })
}

fn limits(store: &Store) -> Result<SellerLimits, IpcError> {
    Ok(SellerLimits {
        discount_limit_bp: store.pos_settings()?.discount_limit_bp,
    })
}

fn receipt_view(
    store: &Store,
    doc: &galla_core::pos::document::SaleDocument,
) -> Result<ReceiptView, IpcError> {
    let settings = store.pos_settings()?;
    let text = layout(&doc.receipt(indian(store)), settings.paper);
    let customer = match &doc.customer {
        Some(c) => store.customer(c.id)?.as_ref().map(CustomerView::from),
        None => None,
    };
    Ok(ReceiptView::new(doc, customer, text))
}

fn indian(store: &Store) -> bool {
    store.shop().locale.ends_with("-IN")
}

impl Terminal {
    /// Runs `action` on this window's cart as the signed-in person, store locked first.
    fn with_cart<T>(
        &self,
        action: impl FnOnce(&mut Store, &Actor, &mut Cart) -> Result<T, IpcError>,
    ) -> Result<T, IpcError> {
        self.as_actor(|store, actor| {
            let mut cart = lock(&self.cart);
            action(store, actor, &mut cart)
        })
    }

    /// Cart changes: the change, then the cart as it now stands.
    fn change_cart(
        &self,
        now_ms: u64,
        action: impl FnOnce(&mut Store, &Actor, &mut Cart) -> Result<(), IpcError>,
    ) -> Result<CartView, IpcError> {
        self.with_cart(|store, actor, cart| {
            galla_core::store::require_permission(store, actor, galla_core::Permission::Sell)?;
            action(store, actor, cart)?;
            cart_view(store, cart, now_ms)
        })
    }

    pub fn pos_state(&self, now_ms: u64) -> Result<PosStateView, IpcError> {
        self.with_cart(|store, _, cart| state(store, cart, now_ms))
    }

    pub fn scan(&self, code: &str, now_ms: u64) -> Result<CartView, IpcError> {
        self.change_cart(now_ms, |store, _, cart| {
            let found = store.scan(code)?;
            let result = if found.separate_line {
                cart.add_separate(
                    found.item,
                    found.quantity,
                    found.unit_price_minor,
                    found.source,
                )
            } else {
                cart.add(found.item, found.quantity)
            };
            result.map_err(|e| Error::from(PosError::from(e)))?;
            Ok(())
        })
    }

    pub fn add_to_cart(
        &self,
        variant_id: &str,
        quantity: &str,
        now_ms: u64,
    ) -> Result<CartView, IpcError> {
        let variant = parse_uuid(variant_id, "item")?;
        let quantity = if quantity.trim().is_empty() {
            Quantity::from_milli(1000)
        } else {
            Quantity::parse(quantity)?
        };
        self.change_cart(now_ms, |store, _, cart| {
            let item = store.sellable(variant)?;
            cart.add(item, quantity)
                .map_err(|e| Error::from(PosError::from(e)))?;
            Ok(())
        })
    }

    pub fn set_line_quantity(
        &self,
        line_id: &str,
        quantity: &str,
        now_ms: u64,
    ) -> Result<CartView, IpcError> {
        let line = parse_uuid(line_id, "line")?;
        let quantity = Quantity::parse(quantity)?;
        self.change_cart(now_ms, |_, _, cart| {
            cart.set_quantity(line, quantity)
                .map_err(|e| Error::from(PosError::from(e)))?;
            Ok(())
        })
    }

    pub fn set_line_discount(
        &self,
        line_id: &str,
        discount: Option<DiscountInput>,
        approver_pin: Option<String>,
        now_ms: u64,
    ) -> Result<CartView, IpcError> {
        let line = parse_uuid(line_id, "line")?;
        self.change_cart(now_ms, |store, actor, cart| {
            let discount = discount
                .as_ref()
                .map(|d| parse_discount(store, d))
                .transpose()?;
            let limits = limits(store)?;
            let name = cart
                .lines
                .iter()
                .find(|l| l.line_id == line)
                .map(|l| l.item.name.clone())
                .unwrap_or_default();
            let what = format!("Discount {} on {name}", describe(store, discount));
            with_approval(
                store,
                actor,
                approver_pin.as_deref(),
                &what,
                now_ms,
                |approval| cart.set_line_discount(line, discount, actor, limits, approval),
            )
        })
    }

    pub fn set_cart_discount(
        &self,
        discount: Option<DiscountInput>,
        approver_pin: Option<String>,
        now_ms: u64,
    ) -> Result<CartView, IpcError> {
        self.change_cart(now_ms, |store, actor, cart| {
            let discount = discount
                .as_ref()
                .map(|d| parse_discount(store, d))
                .transpose()?;
            let limits = limits(store)?;
            let what = format!("Cart discount {}", describe(store, discount));
            with_approval(
                store,
                actor,
                approver_pin.as_deref(),
                &what,
                now_ms,
                |approval| cart.set_cart_discount(discount, actor, limits, approval),
            )
        })
    }

    pub fn override_price(
        &self,
        line_id: &str,
        price: &str,
        approver_pin: Option<String>,
        now_ms: u64,
    ) -> Result<CartView, IpcError> {
        let line = parse_uuid(line_id, "line")?;
        self.change_cart(now_ms, |store, actor, cart| {
            let price = amount(store, price, "Price")?;
            let name = cart
                .lines
                .iter()
                .find(|l| l.line_id == line)
                .map(|l| l.item.name.clone())
                .unwrap_or_default();
            let what = format!("Price of {name} set to {}", price.amount_text());
            with_approval(
                store,
                actor,
                approver_pin.as_deref(),
                &what,
                now_ms,
                |approval| cart.override_price(line, price.minor(), actor, approval),
            )
        })
    }

    pub fn void_line(&self, line_id: &str, now_ms: u64) -> Result<CartView, IpcError> {
        let line = parse_uuid(line_id, "line")?;
        self.change_cart(now_ms, |_, _, cart| {
            cart.void_line(line)
                .map_err(|e| Error::from(PosError::from(e)))?;
            Ok(())
        })
    }

    pub fn cancel_sale(&self, now_ms: u64) -> Result<CartView, IpcError> {
        self.change_cart(now_ms, |_, _, cart| {
            *cart = Cart::default();
            Ok(())
        })
    }

    pub fn park_sale(&self, note: &str, now_ms: u64) -> Result<PosStateView, IpcError> {
        self.with_cart(|store, actor, cart| {
            store.park_cart(actor, cart, note, now_ms)?;
            *cart = Cart::default();
            state(store, cart, now_ms)
        })
    }

    pub fn resume_sale(&self, parked_id: &str, now_ms: u64) -> Result<PosStateView, IpcError> {
        let id = parse_uuid(parked_id, "parked sale")?;
        self.with_cart(|store, actor, cart| {
            let resumed = store.take_parked(actor, id)?;
            if !cart.is_empty() {
                store.park_cart(actor, cart, "", now_ms)?;
            }
            *cart = resumed;
            state(store, cart, now_ms)
        })
    }

    pub fn attach_customer(
        &self,
        customer_id: Option<String>,
        now_ms: u64,
    ) -> Result<CartView, IpcError> {
        self.change_cart(now_ms, |store, _, cart| {
            cart.customer = match customer_id {
                Some(id) => {
                    let id = parse_uuid(&id, "customer")?;
                    let c = store.customer(id)?.ok_or_else(|| {
                        IpcError::new(ErrorCode::NotFound, "That customer no longer exists.")
                    })?;
                    Some(CartCustomer {
                        id: c.id,
                        name: c.name,
                        phone: c.phone,
                        gstin: c.gstin,
                    })
                }
                None => None,
            };
            Ok(())
        })
    }

    pub fn find_customers(&self, text: &str) -> Result<Vec<CustomerView>, IpcError> {
        self.as_actor(|store, actor| {
            galla_core::store::require_permission(store, actor, galla_core::Permission::Sell)?;
            Ok(store
                .find_customers(text)?
                .iter()
                .map(CustomerView::from)
                .collect())
        })
    }

    pub fn add_customer(
        &self,
        input: CustomerInput,
        now_ms: u64,
    ) -> Result<CustomerView, IpcError> {
        self.as_actor(|store, actor| {
            let form = CustomerForm {
                name: input.name,
                phone: input.phone,
                gstin: input.gstin,
            };
            Ok(CustomerView::from(
                &store.add_customer(actor, &form, now_ms)?,
            ))
        })
    }

    pub fn customer_history(&self, customer_id: &str) -> Result<CustomerHistoryView, IpcError> {
        let id = parse_uuid(customer_id, "customer")?;
        self.as_actor(|store, actor| {
            galla_core::store::require_permission(store, actor, galla_core::Permission::Sell)?;
            let customer = store.customer(id)?.ok_or_else(|| {
                IpcError::new(ErrorCode::NotFound, "That customer no longer exists.")
            })?;
            Ok(CustomerHistoryView {
                customer: CustomerView::from(&customer),
                receipts: store
                    .customer_documents(id)?
                    .iter()
                    .map(ReceiptSummaryView::from)
                    .collect(),
            })
        })
    }

    pub fn amount_due(
        &self,
        payments: Vec<PaymentInput>,
        now_ms: u64,
    ) -> Result<DueView, IpcError> {
        self.with_cart(|store, _, cart| {
            let view = cart_view(store, cart, now_ms)?;
            let tenders = tenders(store, &payments)?;
            let step = store.pos_settings()?.cash_step_minor;
            let total = view.totals.total_minor;
            let d = due(total, &tenders, step).map_err(|e| Error::from(PosError::from(e)))?;
            Ok(DueView {
                total_minor: total,
                paid_minor: d.paid_minor,
                remaining_minor: d.remaining_minor,
                remaining_cash_minor: d.remaining_cash_minor,
            })
        })
    }

    pub fn upi_qr(&self, amount_text: &str) -> Result<UpiQrView, IpcError> {
        self.as_actor(|store, _| {
            let settings = store.pos_settings()?;
            let upi_id = settings
                .upi_id
                .clone()
                .ok_or(PosError::SettingMissing("the shop's UPI ID"))
                .map_err(Error::from)?;
            let money = amount(store, amount_text, "Amount")?;
            if money.minor() <= 0 {
                return Err(invalid("Amount: type an amount above zero."));
            }
            let uri = galla_core::pos::upi::payment_uri(
                &upi_id,
                &settings.shop_name,
                money,
                "Galla sale",
            );
            let code = qrcode::QrCode::new(uri.as_bytes())
                .map_err(|e| invalid(format!("Could not draw the QR code: {e}")))?;
            let svg = code
                .render::<qrcode::render::svg::Color<'_>>()
                .min_dimensions(220, 220)
                .build();
            Ok(UpiQrView { uri, svg })
        })
    }

    pub fn complete_sale(
        &self,
        payments: Vec<PaymentInput>,
        now_ms: u64,
    ) -> Result<ReceiptView, IpcError> {
        self.with_cart(|store, actor, cart| {
            let tenders = tenders(store, &payments)?;
            let doc = store.complete_sale(actor, cart, &tenders, now_ms)?;
            *cart = Cart::default();
            // Sent to the server soon, without waiting for it here.
            self.poke_sync();
            receipt_view(store, &doc)
        })
    }

    pub fn receipt(&self, number: &str) -> Result<ReceiptView, IpcError> {
        self.as_actor(|store, actor| {
            galla_core::store::require_permission(store, actor, galla_core::Permission::Sell)?;
            let doc = store.document(number)?;
            receipt_view(store, &doc)
        })
    }

    pub fn recent_receipts(&self) -> Result<Vec<ReceiptSummaryView>, IpcError> {
        self.as_actor(|store, actor| {
            galla_core::store::require_permission(store, actor, galla_core::Permission::Sell)?;
            Ok(store
                .recent_documents(50)?
                .iter()
                .map(ReceiptSummaryView::from)
                .collect())
        })
    }

    /// Sends the receipt's ESC/POS bytes to the printer: a device (/dev/usb/lp0) is
    /// written directly; a folder gets one file per print, named by receipt number.
    pub fn print_receipt(&self, number: &str) -> Result<PrintedView, IpcError> {
        self.as_actor(|store, actor| {
            galla_core::store::require_permission(store, actor, galla_core::Permission::Sell)?;
            let settings = store.pos_settings()?;
            let printer = settings
                .printer_path
                .clone()
                .ok_or(PosError::SettingMissing("a printer"))
                .map_err(Error::from)?;
            let doc = store.document(number)?;
            let bytes = encode(&doc.receipt(indian(store)), settings.paper);
            let path = print_target(Path::new(&printer), &doc.number);
            write_print(&path, &bytes).map_err(|e| {
                IpcError::new(
                    ErrorCode::PrintFailed,
                    format!(
                        "Could not print to {}: {e}. Check the printer is on and connected.",
                        path.display()
                    ),
                )
            })?;
            Ok(PrintedView {
                path: path.display().to_string(),
                bytes: bytes.len() as u64,
            })
        })
    }

    pub fn return_items(&self, input: ReturnInput, now_ms: u64) -> Result<ReceiptView, IpcError> {
        self.as_actor(|store, actor| {
            let mut lines = Vec::with_capacity(input.lines.len());
            for (i, l) in input.lines.iter().enumerate() {
                let id = parse_uuid(&l.line_id, "line")?;
                let q = Quantity::parse(&l.quantity).map_err(|e| {
                    IpcError::at(
                        ErrorCode::ReturnInvalid,
                        e.to_string(),
                        format!("lines.{i}.quantity"),
                    )
                })?;
                if q.milli() < 0 {
                    return Err(IpcError::at(
                        ErrorCode::ReturnInvalid,
                        "Return a quantity above zero.",
                        format!("lines.{i}.quantity"),
                    ));
                }
                lines.push((id, q));
            }
            let refund = Refund {
                method: parse_method(&input.method)?,
                reference: reference(&input.reference),
                restock: input.restock,
            };
            let doc = store.return_items(actor, &input.receipt_number, &lines, &refund, now_ms)?;
            self.poke_sync();
            receipt_view(store, &doc)
        })
    }

    pub fn return_without_receipt(
        &self,
        input: UnreceiptedReturnInput,
        now_ms: u64,
    ) -> Result<ReceiptView, IpcError> {
        let variant = parse_uuid(&input.variant_id, "item")?;
        let quantity = Quantity::parse(&input.quantity)?;
        self.as_actor(|store, actor| {
            let refund = Refund {
                method: parse_method(&input.method)?,
                reference: reference(&input.reference),
                restock: input.restock,
            };
            let approval = store.approve(
                actor,
                &input.approver_pin,
                "Return without a receipt",
                now_ms,
            )?;
            let doc = store.return_without_receipt(
                actor,
                &approval,
                (variant, quantity, &input.amount),
                &refund,
                now_ms,
            )?;
            self.poke_sync();
            receipt_view(store, &doc)
        })
    }

    pub fn open_shift(&self, float: &str, now_ms: u64) -> Result<ShiftReportView, IpcError> {
        self.as_actor(|store, actor| {
            Ok(ShiftReportView::from(
                &store.open_shift(actor, float, now_ms)?,
            ))
        })
    }

    pub fn cash_movement(
        &self,
        kind: &str,
        amount_text: &str,
        reason: &str,
        now_ms: u64,
    ) -> Result<ShiftReportView, IpcError> {
        let direction =
            CashDirection::parse(kind).ok_or_else(|| invalid("Choose cash in or cash out."))?;
        self.as_actor(|store, actor| {
            Ok(ShiftReportView::from(&store.cash_movement(
                actor,
                direction,
                amount_text,
                reason,
                now_ms,
            )?))
        })
    }

    pub fn shift_report(&self) -> Result<ShiftReportView, IpcError> {
        self.as_actor(|store, actor| {
            galla_core::store::require_permission(store, actor, galla_core::Permission::Sell)?;
            let report = store
                .current_shift()?
                .ok_or(PosError::NoOpenShift)
                .map_err(Error::from)?;
            Ok(ShiftReportView::from(&report))
        })
    }

    pub fn close_shift(
        &self,
        denominations: Vec<DenominationInput>,
        now_ms: u64,
    ) -> Result<ShiftReportView, IpcError> {
        let counts: Vec<(i64, String)> = denominations
            .into_iter()
            .map(|d| (d.value_minor, d.count))
            .collect();
        self.as_actor(|store, actor| {
            Ok(ShiftReportView::from(
                &store.close_shift(actor, &counts, now_ms)?,
            ))
        })
    }

    pub fn pos_settings(&self) -> Result<PosSettingsView, IpcError> {
        self.as_actor(|store, _| {
            Ok(PosSettingsView::from(
                store.pos_settings()?.to_form(store.shop().currency),
            ))
        })
    }

    pub fn save_pos_settings(
        &self,
        settings: PosSettingsView,
    ) -> Result<PosSettingsView, IpcError> {
        self.as_actor(|store, actor| {
            let currency = store.shop().currency;
            match store.save_pos_settings(actor, &settings.into())? {
                Ok(saved) => Ok(PosSettingsView::from(saved.to_form(currency))),
                Err(e) => Err(IpcError::at(
                    ErrorCode::SettingInvalid,
                    e.message.clone(),
                    e.field,
                )),
            }
        })
    }

    pub fn tax_rates(&self) -> Result<Vec<TaxRateView>, IpcError> {
        self.as_actor(|store, _| Ok(store.tax_rates()?.iter().map(TaxRateView::from).collect()))
    }

    pub fn save_tax_rates(&self, rates: Vec<TaxRateView>) -> Result<Vec<TaxRateView>, IpcError> {
        let mut parsed = Vec::with_capacity(rates.len());
        for (i, r) in rates.iter().enumerate() {
            let at = |field: &str, message: String| {
                IpcError::at(
                    ErrorCode::SettingInvalid,
                    message,
                    format!("rates.{i}.{field}"),
                )
            };
            parsed.push(TaxRate {
                class: r.class.trim().to_owned(),
                component: r.component.trim().to_owned(),
                rate_ppm: parse_rate_percent(&r.rate).map_err(|e| at("rate", e.to_string()))?,
                base: TaxBase::parse(&r.base)
                    .ok_or_else(|| at("base", "Choose taxable or compound.".into()))?,
                effective_from: parse_date(&r.effective_from)
                    .map_err(|e| at("effective_from", e.to_string()))?,
            });
        }
        self.as_actor(|store, actor| {
            if let Err(e) = store.save_tax_rates(actor, &parsed)? {
                return Err(IpcError::at(
                    ErrorCode::SettingInvalid,
                    e.to_string(),
                    format!("rates.{}.class", e.row),
                ));
            }
            Ok(store.tax_rates()?.iter().map(TaxRateView::from).collect())
        })
    }
}

fn describe(store: &Store, discount: Option<Discount>) -> String {
    match discount {
        Some(Discount::Percent(bp)) => {
            format!("{}%", galla_core::pos::tax::rate_percent_text(bp * 100))
        }
        Some(Discount::Amount(m)) => Money::from_minor(m, store.shop().currency).amount_text(),
        None => "removed".into(),
    }
}

fn state(store: &mut Store, cart: &Cart, now_ms: u64) -> Result<PosStateView, IpcError> {
    let settings = store.pos_settings()?;
    let parked = store
        .parked_sales()?
        .into_iter()
        .map(|p| {
            let total = cart_view(store, &p.cart, now_ms)
                .map(|v| v.totals.total_minor)
                .unwrap_or(0);
            ParkedSaleView {
                id: p.id.to_string(),
                parked_at_ms: p.parked_at_ms,
                note: p.note,
                customer_name: p.cart.customer.as_ref().map(|c| c.name.clone()),
                line_count: p.cart.lines.len() as i64,
                total_minor: total,
                parked_by: p.parked_by,
            }
        })
        .collect();
    Ok(PosStateView {
        shift: store.current_shift()?.as_ref().map(ShiftReportView::from),
        cart: cart_view(store, cart, now_ms)?,
        parked,
        settings: PosSettingsView::from(settings.to_form(store.shop().currency)),
    })
}

/// A folder gets a file per receipt; anything else is the printer device itself.
fn print_target(printer: &Path, number: &str) -> PathBuf {
    if printer.is_dir() {
        let safe: String = number
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        printer.join(format!("{safe}.escpos"))
    } else {
        printer.to_owned()
    }
}

fn write_print(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)?;
    file.write_all(bytes)?;
    file.flush()
}
