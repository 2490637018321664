//! The cart the cashier is building: lines, discounts, price overrides with the role
//! limits and manager approvals that allow them, and a customer. Pure: the store turns
//! a cart into a sale; this type only keeps it consistent.

use serde_json::{json, Value};
use uuid::Uuid;

use super::pricing::{price, Discount, LineInput, PricingError, PricingRules, Totals};
use super::tax::{taxes_for, TaxRate};
use crate::quantity::Quantity;
use crate::staff::{allows, Actor, Permission};

/// Most units on one line: a scanner held down should not make a sale of millions.
pub const MAX_LINE_UNITS: i64 = 100_000;
pub const MAX_LINES: usize = 500;

/// Who approved something over the cashier's limit. Made only by the store, after a
/// manager's PIN checked out (`Store::approve`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approval {
    staff_id: Uuid,
    name: String,
}

impl Approval {
    pub(crate) fn new(staff_id: Uuid, name: String) -> Approval {
        Approval { staff_id, name }
    }

    pub fn staff_id(&self) -> Uuid {
        self.staff_id
    }

    pub fn name(&self) -> &str {
        &self.name
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PriceSource {
    Catalog,
    /// A person changed the price at the counter.
    Override,
    /// A price-embedded scale label.
    Label,
}

impl PriceSource {
    pub fn as_str(&self) -> &'static str {
        match self {
            PriceSource::Catalog => "catalog",
            PriceSource::Override => "override",
            PriceSource::Label => "label",
        }
    }

    fn parse(text: &str) -> Option<PriceSource> {
        match text {
            "catalog" => Some(PriceSource::Catalog),
            "override" => Some(PriceSource::Override),
            "label" => Some(PriceSource::Label),
            _ => None,
        }
    }
}

/// What the catalog says about an item being sold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SellableItem {
    pub variant_id: Uuid,
    /// "Silk saree (Red / M)".
    pub name: String,
    pub sku: Option<String>,
    pub hsn: Option<String>,
    pub tax_class: Option<String>,
    pub price_minor: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CartLine {
    pub line_id: Uuid,
    pub item: SellableItem,
    pub quantity: Quantity,
    pub unit_price_minor: i64,
    pub price_source: PriceSource,
    pub price_approved_by: Option<Approval>,
    pub discount: Option<Discount>,
    pub discount_approved_by: Option<Approval>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CartCustomer {
    pub id: Uuid,
    pub name: String,
    pub phone: Option<String>,
    pub gstin: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Cart {
    pub lines: Vec<CartLine>,
    pub discount: Option<Discount>,
    pub discount_approved_by: Option<Approval>,
    pub customer: Option<CartCustomer>,
    /// The line last added or changed.
    pub focus: Option<Uuid>,
}

/// The shop's rules for what a person may give away without a manager.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SellerLimits {
    /// The biggest discount, in basis points, someone without `ApproveOverride` may give.
    pub discount_limit_bp: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CartError {
    #[error("That line is no longer in the sale.")]
    LineNotFound,
    #[error("Quantity must be above zero.")]
    QuantityNotPositive,
    #[error("At most {MAX_LINE_UNITS} of an item on one line.")]
    QuantityTooLarge,
    #[error("A sale holds at most {MAX_LINES} lines. Complete this one and start another.")]
    TooManyLines,
    #[error("{0}")]
    Pricing(#[from] PricingError),
    /// The person may not do this alone; a manager's PIN would allow it.
    #[error("{0}")]
    ApprovalRequired(String),
    #[error("A price cannot be negative.")]
    PriceNegative,
}

fn may_approve(actor: &Actor) -> bool {
    allows(actor.role(), Permission::ApproveOverride)
}

/// True when `discount` on `value` is over `limit_bp`.
fn over_limit(discount: Discount, value: i64, limit_bp: i64) -> bool {
    match discount {
        Discount::Percent(bp) => bp > limit_bp,
        Discount::Amount(minor) => {
            i128::from(minor) * 10_000 > i128::from(value) * i128::from(limit_bp)
        }
    }
}

fn percent_text(bp: i64) -> String {
    super::tax::rate_percent_text(bp * 100)
}

impl Cart {
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    fn line_mut(&mut self, line_id: Uuid) -> Result<&mut CartLine, CartError> {
        self.lines
            .iter_mut()
            .find(|l| l.line_id == line_id)
            .ok_or(CartError::LineNotFound)
    }

    /// Adds `quantity` of an item: a scan of an item already on a plain line adds to it.
    pub fn add(&mut self, item: SellableItem, quantity: Quantity) -> Result<Uuid, CartError> {
        check_quantity(quantity)?;
        if let Some(line) = self.lines.iter_mut().find(|l| {
            l.item.variant_id == item.variant_id
                && l.price_source == PriceSource::Catalog
                && l.discount.is_none()
        }) {
            let sum = line
                .quantity
                .checked_add(quantity)
                .ok_or(CartError::QuantityTooLarge)?;
            check_quantity(sum)?;
            line.quantity = sum;
            let id = line.line_id;
            self.focus = Some(id);
            return Ok(id);
        }
        let price = item.price_minor;
        self.push(item, quantity, price, PriceSource::Catalog)
    }

    /// Adds a line of its own, as a weighed or price-labelled item always is.
    pub fn add_separate(
        &mut self,
        item: SellableItem,
        quantity: Quantity,
        unit_price_minor: i64,
        source: PriceSource,
    ) -> Result<Uuid, CartError> {
        check_quantity(quantity)?;
        self.push(item, quantity, unit_price_minor, source)
    }

    fn push(
        &mut self,
        item: SellableItem,
        quantity: Quantity,
        unit_price_minor: i64,
        price_source: PriceSource,
    ) -> Result<Uuid, CartError> {
        if self.lines.len() >= MAX_LINES {
            return Err(CartError::TooManyLines);
        }
        let line_id = crate::id::new_id();
        self.lines.push(CartLine {
            line_id,
            item,
            quantity,
            unit_price_minor,
            price_source,
            price_approved_by: None,
            discount: None,
            discount_approved_by: None,
        });
        self.focus = Some(line_id);
        Ok(line_id)
    }

    pub fn set_quantity(&mut self, line_id: Uuid, quantity: Quantity) -> Result<(), CartError> {
        check_quantity(quantity)?;
        let line = self.line_mut(line_id)?;
        line.quantity = quantity;
        self.focus = Some(line_id);
        Ok(())
    }

    pub fn void_line(&mut self, line_id: Uuid) -> Result<(), CartError> {
        let before = self.lines.len();
        self.lines.retain(|l| l.line_id != line_id);
        if self.lines.len() == before {
            return Err(CartError::LineNotFound);
        }
        self.focus = None;
        Ok(())
    }

    /// Sets or clears a line's discount. Over the seller's limit it needs an approval.
    pub fn set_line_discount(
        &mut self,
        line_id: Uuid,
        discount: Option<Discount>,
        seller: &Actor,
        limits: SellerLimits,
        approval: Option<Approval>,
    ) -> Result<(), CartError> {
        let line = self.line_mut(line_id)?;
        let gross = line_gross(line);
        if let Some(d) = discount {
            // Validates the size (≤ 100%, ≤ the line's value) before any approval talk.
            let probe = LineInput {
                quantity_milli: line.quantity.milli(),
                unit_price_minor: line.unit_price_minor,
                discount: Some(d),
                taxes: Vec::new(),
                hsn: None,
            };
            price(&[probe], None, PricingRules::default())?;
        }
        let needs = discount.is_some_and(|d| over_limit(d, gross, limits.discount_limit_bp))
            && !may_approve(seller);
        if needs && approval.is_none() {
            return Err(CartError::ApprovalRequired(format!(
                "A discount over {}% needs a manager's approval.",
                percent_text(limits.discount_limit_bp)
            )));
        }
        line.discount = discount;
        line.discount_approved_by = if needs { approval } else { None };
        self.focus = Some(line_id);
        Ok(())
    }

    pub fn set_cart_discount(
        &mut self,
        discount: Option<Discount>,
        seller: &Actor,
        limits: SellerLimits,
        approval: Option<Approval>,
    ) -> Result<(), CartError> {
        let value: i64 = self.lines.iter().map(line_net_before_cart).sum();
        if let Some(d) = discount {
            let lines: Vec<LineInput> = self.lines.iter().map(untaxed_input).collect();
            price(&lines, Some(d), PricingRules::default())?;
        }
        let needs = discount.is_some_and(|d| over_limit(d, value, limits.discount_limit_bp))
            && !may_approve(seller);
        if needs && approval.is_none() {
            return Err(CartError::ApprovalRequired(format!(
                "A discount over {}% needs a manager's approval.",
                percent_text(limits.discount_limit_bp)
            )));
        }
        self.discount = discount;
        self.discount_approved_by = if needs { approval } else { None };
        Ok(())
    }

    /// Changes a line's unit price. Only people who may approve overrides do it alone.
    pub fn override_price(
        &mut self,
        line_id: Uuid,
        unit_price_minor: i64,
        seller: &Actor,
        approval: Option<Approval>,
    ) -> Result<(), CartError> {
        if unit_price_minor < 0 {
            return Err(CartError::PriceNegative);
        }
        let needs = !may_approve(seller);
        if needs && approval.is_none() {
            return Err(CartError::ApprovalRequired(
                "Changing a price at the counter needs a manager's approval.".into(),
            ));
        }
        let line = self.line_mut(line_id)?;
        let mut changed = line.clone();
        changed.unit_price_minor = unit_price_minor;
        price(&[untaxed_input(&changed)], None, PricingRules::default())?;
        line.unit_price_minor = unit_price_minor;
        line.price_source = PriceSource::Override;
        line.price_approved_by = if needs { approval } else { None };
        self.focus = Some(line_id);
        Ok(())
    }

    /// The approvals this cart needs under `limits`, each as the approval it carries
    /// (`None` where one is missing). The store checks them again at completion.
    pub fn approvals_needed(&self, limits: SellerLimits) -> Vec<Option<&Approval>> {
        let mut needed = Vec::new();
        for line in &self.lines {
            if line.price_source == PriceSource::Override {
                needed.push(line.price_approved_by.as_ref());
            }
            if line
                .discount
                .is_some_and(|d| over_limit(d, line_gross(line), limits.discount_limit_bp))
            {
                needed.push(line.discount_approved_by.as_ref());
            }
        }
        let value: i64 = self.lines.iter().map(line_net_before_cart).sum();
        if self
            .discount
            .is_some_and(|d| over_limit(d, value, limits.discount_limit_bp))
        {
            needed.push(self.discount_approved_by.as_ref());
        }
        needed
    }

    /// Totals at `date` (YYYY-MM-DD, the shop's local date) with the rates then in force.
    pub fn totals(
        &self,
        rates: &[TaxRate],
        date: &str,
        inter_state: bool,
        rules: PricingRules,
    ) -> Result<Totals, PricingError> {
        let lines: Vec<LineInput> = self
            .lines
            .iter()
            .map(|l| LineInput {
                quantity_milli: l.quantity.milli(),
                unit_price_minor: l.unit_price_minor,
                discount: l.discount,
                taxes: l
                    .item
                    .tax_class
                    .as_deref()
                    .map(|class| taxes_for(rates, class, date, inter_state))
                    .unwrap_or_default(),
                hsn: l.item.hsn.clone(),
            })
            .collect();
        price(&lines, self.discount, rules)
    }

    /// The cart as stored while parked. Approvals are kept by id and name.
    pub fn to_json(&self) -> Value {
        let discount = |d: &Option<Discount>| match d {
            Some(Discount::Percent(bp)) => json!({"percent_bp": bp}),
            Some(Discount::Amount(m)) => json!({"amount_minor": m}),
            None => Value::Null,
        };
        let approval = |a: &Option<Approval>| match a {
            Some(a) => json!({"staff_id": a.staff_id.to_string(), "name": a.name}),
            None => Value::Null,
        };
        json!({
            "lines": self.lines.iter().map(|l| json!({
                "line_id": l.line_id.to_string(),
                "variant_id": l.item.variant_id.to_string(),
                "name": l.item.name,
                "sku": l.item.sku,
                "hsn": l.item.hsn,
                "tax_class": l.item.tax_class,
                "catalog_price_minor": l.item.price_minor,
                "quantity_milli": l.quantity.milli(),
                "unit_price_minor": l.unit_price_minor,
                "price_source": l.price_source.as_str(),
                "price_approved_by": approval(&l.price_approved_by),
                "discount": discount(&l.discount),
                "discount_approved_by": approval(&l.discount_approved_by),
            })).collect::<Vec<_>>(),
            "discount": discount(&self.discount),
            "discount_approved_by": approval(&self.discount_approved_by),
            "customer": self.customer.as_ref().map(|c| json!({
                "id": c.id.to_string(), "name": c.name, "phone": c.phone, "gstin": c.gstin,
            })),
        })
    }

    /// Reads a parked cart back; `None` when the stored text is not one.
    pub fn from_json(value: &Value) -> Option<Cart> {
        let uuid = |v: &Value| v.as_str().and_then(|s| Uuid::parse_str(s).ok());
        let text = |v: &Value| v.as_str().map(str::to_owned);
        let discount = |v: &Value| -> Option<Option<Discount>> {
            if v.is_null() {
                return Some(None);
            }
            if let Some(bp) = v.get("percent_bp").and_then(Value::as_i64) {
                return Some(Some(Discount::Percent(bp)));
            }
            v.get("amount_minor")
                .and_then(Value::as_i64)
                .map(|m| Some(Discount::Amount(m)))
        };
        let approval = |v: &Value| -> Option<Option<Approval>> {
            if v.is_null() {
                return Some(None);
            }
            Some(Some(Approval::new(
                uuid(&v["staff_id"])?,
                text(&v["name"])?,
            )))
        };
        let mut cart = Cart::default();
        for l in value.get("lines")?.as_array()? {
            cart.lines.push(CartLine {
                line_id: uuid(&l["line_id"])?,
                item: SellableItem {
                    variant_id: uuid(&l["variant_id"])?,
                    name: text(&l["name"])?,
                    sku: text(&l["sku"]),
                    hsn: text(&l["hsn"]),
                    tax_class: text(&l["tax_class"]),
                    price_minor: l["catalog_price_minor"].as_i64()?,
                },
                quantity: Quantity::from_milli(l["quantity_milli"].as_i64()?),
                unit_price_minor: l["unit_price_minor"].as_i64()?,
                price_source: PriceSource::parse(l["price_source"].as_str()?)?,
                price_approved_by: approval(&l["price_approved_by"])?,
                discount: discount(&l["discount"])?,
                discount_approved_by: approval(&l["discount_approved_by"])?,
            });
        }
        cart.discount = discount(&value["discount"])?;
        cart.discount_approved_by = approval(&value["discount_approved_by"])?;
        cart.customer = match &value["customer"] {
            Value::Null => None,
            c => Some(CartCustomer {
                id: uuid(&c["id"])?,
                name: text(&c["name"])?,
                phone: text(&c["phone"]),
                gstin: text(&c["gstin"]),
            }),
        };
        Some(cart)
    }
}

fn check_quantity(quantity: Quantity) -> Result<(), CartError> {
    if quantity.milli() <= 0 {
        return Err(CartError::QuantityNotPositive);
    }
    if quantity.milli() > MAX_LINE_UNITS * 1000 {
        return Err(CartError::QuantityTooLarge);
    }
    Ok(())
}

fn untaxed_input(l: &CartLine) -> LineInput {
    LineInput {
        quantity_milli: l.quantity.milli(),
        unit_price_minor: l.unit_price_minor,
        discount: l.discount,
        taxes: Vec::new(),
        hsn: None,
    }
}

fn line_gross(l: &CartLine) -> i64 {
    price(
        &[LineInput {
            discount: None,
            ..untaxed_input(l)
        }],
        None,
        PricingRules::default(),
    )
    .map(|t| t.gross_minor)
    .unwrap_or(0)
}

fn line_net_before_cart(l: &CartLine) -> i64 {
    price(&[untaxed_input(l)], None, PricingRules::default())
        .map(|t| t.gross_minor - t.discount_minor)
        .unwrap_or(0)
}
