//! Sales and returns from the feed, written as `complete_sale` and `returns.rs` write
//! them: the sale row, its lines with the taxes each was charged, and its payments.
//! Their stock movements and store credit are documents of their own and arrive
//! separately.

use galla_sync_protocol::Change;
use rusqlite::{params, OptionalExtension};
use serde_json::{json, Value};
use uuid::Uuid;

use super::documents::{document_stamp, exists, key};
use super::values::{unusable, Payload, Refusal};
use super::{Applied, Ctx};
use crate::pos::document::DocumentKind;
use crate::pos::payment::Method;
use crate::store::{pos_settings, sales, settings};

pub(super) fn sale(ctx: &Ctx<'_, '_>, change: &Change) -> Result<Applied, Refusal> {
    let id = key(change)?;
    if exists(ctx, "sales", "id", &id)? {
        return Ok(Applied::Unchanged);
    }
    let p = Payload::new("sale", &change.data)?;
    let number = p.text("number")?;
    if number.trim().is_empty() {
        return Err(unusable("sale: the number is empty"));
    }
    let kind_text = p.text("kind")?;
    let kind = DocumentKind::parse(&kind_text)
        .ok_or_else(|| unusable(format!("sale: unknown kind {kind_text:?}")))?;
    let original = match p.opt_text("original_number")? {
        Some(original) => Some(sale_numbered(ctx, &original)?.ok_or_else(|| {
            // The sale a return gives back is always pushed before the return, so
            // it is missing only from a damaged feed.
            unusable(format!(
                "return {number}: the sale it returns ({original}) is not here"
            ))
        })?),
        None => None,
    };
    let approved_by = p.opt_id("approved_by")?;
    if kind == DocumentKind::Return && original.is_none() && approved_by.is_none() {
        return Err(unusable(format!(
            "return {number}: a return without a receipt must name who approved it, and the payload does not"
        )));
    }
    let currency = p.text("currency")?;
    if crate::money::Currency::from_code(&currency).is_err() {
        return Err(unusable(format!(
            "sale {number}: unknown currency {currency:?}"
        )));
    }
    let shop = p.id("shop_id")?;
    let device = p.id("device_id")?;
    let staff = p.id("staff_id")?;
    let customer = p.opt_id("customer_id")?;
    let at_ms = p.time("at_ms")?;
    let totals = p.object("totals")?;
    let header = header(ctx, &p, &shop, &staff, customer.as_deref())?;
    ctx.tx
        .prepare_cached(
            "INSERT INTO sales (id, number, kind, original_sale_id, shift_id, shop_id, device_id,
                 staff_id, approved_by, customer_id, at_ms, hlc, currency, inter_state,
                 prices_include_tax, restocked, gross_minor, discount_minor, taxable_minor,
                 tax_minor, total_minor, rounding_minor, grand_total_minor, change_minor, header)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                 ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25)",
        )?
        .execute(params![
            id,
            number,
            kind.as_str(),
            original,
            p.opt_id("shift_id")?,
            shop,
            device,
            staff,
            approved_by,
            customer,
            at_ms,
            document_stamp(&p, at_ms, Some(&device)),
            currency,
            p.flag("inter_state")?,
            p.flag("prices_include_tax")?,
            // Whether a return went back on the shelf; its movements say so too.
            p.opt_flag("restocked")?.unwrap_or(false),
            totals.int("gross_minor")?,
            totals.int("discount_minor")?,
            totals.int("taxable_minor")?,
            totals.int("tax_minor")?,
            totals.int("total_minor")?,
            totals.int("rounding_minor")?,
            totals.int("grand_total_minor")?,
            totals.int("change_minor")?,
            header
        ])?;
    lines(ctx, &id, kind, original.is_some(), p.array("lines")?)?;
    payments(ctx, &id, p.array("payments")?)?;
    if Uuid::try_parse(&device).is_ok_and(|d| d == ctx.device) {
        keep_series_ahead(ctx, &number)?;
    }
    Ok(Applied::Changed)
}

fn sale_numbered(ctx: &Ctx<'_, '_>, number: &str) -> Result<Option<String>, Refusal> {
    Ok(ctx
        .tx
        .prepare_cached("SELECT id FROM sales WHERE number = ?1")?
        .query_row([number], |r| r.get(0))
        .optional()?)
}

fn lines(
    ctx: &Ctx<'_, '_>,
    sale: &str,
    kind: DocumentKind,
    has_original: bool,
    lines: &[Value],
) -> Result<(), Refusal> {
    let mut insert = ctx.tx.prepare_cached(
        "INSERT INTO sale_lines (sale_id, position, line_id, original_line_id, variant_id, name,
             sku, hsn, quantity_milli, unit_price_minor, price_source, gross_minor, discount_minor,
             taxable_minor, tax_minor, total_minor, taxes, approved_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
    )?;
    for (position, line) in (0_i64..).zip(lines) {
        let l = Payload::new("sale line", line)?;
        let line_id = l.id("line_id")?;
        // A return's payload names each line by the sold line it gives back (that is
        // how `document_payload` writes it); the return's own line gets a new id, as
        // `insert_document` gives it.
        let (own_id, original_line) = match (kind, l.opt_id("original_line_id")?) {
            (_, Some(original)) => (line_id, Some(original)),
            (DocumentKind::Sale, None) => (line_id, None),
            (DocumentKind::Return, None) => (
                crate::id::new_id().to_string(),
                has_original.then_some(line_id),
            ),
        };
        let taxes = l
            .raw("taxes")
            .ok_or_else(|| unusable("sale line: taxes is missing"))?;
        let taxes = sales::parse_taxes(&taxes.to_string()).map_err(|_| {
            unusable("sale line: taxes is not a list of {name, rate_ppm, amount_minor}")
        })?;
        insert.execute(params![
            sale,
            position,
            own_id,
            original_line,
            l.id("variant_id")?,
            l.text("name")?,
            l.opt_text("sku")?,
            l.opt_text("hsn")?,
            l.int("quantity_milli")?,
            l.int("unit_price_minor")?,
            l.text("price_source")?,
            l.int("gross_minor")?,
            l.int("discount_minor")?,
            l.int("taxable_minor")?,
            l.int("tax_minor")?,
            l.int("total_minor")?,
            sales::taxes_json(&taxes),
            l.opt_id("approved_by")?
        ])?;
    }
    Ok(())
}

fn payments(ctx: &Ctx<'_, '_>, sale: &str, payments: &[Value]) -> Result<(), Refusal> {
    let mut insert = ctx.tx.prepare_cached(
        "INSERT INTO payments (sale_id, position, method, amount_minor, tendered_minor, reference)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (position, payment) in (0_i64..).zip(payments) {
        let p = Payload::new("payment", payment)?;
        let method = p.text("method")?;
        if Method::parse(&method).is_none() {
            return Err(unusable(format!("payment: unknown method {method:?}")));
        }
        insert.execute(params![
            sale,
            position,
            method,
            p.int("amount_minor")?,
            p.int("tendered_minor")?,
            p.opt_text("reference")?
        ])?;
    }
    Ok(())
}

/// The header as printed. The payload does not carry it (a newer one may), so it is
/// put together from what this store knows: the shop's and cashier's names, the
/// customer, and this counter's time zone, which a business's counters share.
fn header(
    ctx: &Ctx<'_, '_>,
    p: &Payload<'_>,
    shop: &str,
    staff: &str,
    customer: Option<&str>,
) -> Result<String, Refusal> {
    if let Some(header) = p.raw("header").filter(|h| h.is_object()) {
        return Ok(header.to_string());
    }
    let name_of = |table: &str, id: &str| -> Result<Option<String>, Refusal> {
        Ok(ctx
            .tx
            .prepare_cached(&format!("SELECT name FROM {table} WHERE id = ?1"))?
            .query_row([id], |r| r.get(0))
            .optional()?)
    };
    let customer = match customer {
        Some(id) => ctx
            .tx
            .prepare_cached("SELECT name, phone, gstin FROM customers WHERE id = ?1")?
            .query_row([id], |r| {
                Ok(json!({
                    "name": r.get::<_, String>(0)?,
                    "phone": r.get::<_, Option<String>>(1)?,
                    "gstin": r.get::<_, Option<String>>(2)?,
                }))
            })
            .optional()?,
        None => None,
    };
    // The offset only places the printed time; a store whose settings cannot be read
    // fails elsewhere, loudly, and is not worth refusing a sale over here.
    let utc_offset_minutes = settings::shop(ctx.tx)
        .and_then(|shop| pos_settings::read(ctx.tx, shop.currency))
        .map(|s| s.utc_offset_minutes)
        .unwrap_or(0);
    Ok(json!({
        "shop_name": name_of("shops", shop)?.unwrap_or_default(),
        "shop_address": "",
        "gstin": Value::Null,
        "cashier": name_of("staff", staff)?.unwrap_or_default(),
        "utc_offset_minutes": utc_offset_minutes,
        "customer": customer,
    })
    .to_string())
}

/// This device's own sale came back (its store was restored from an older copy): the
/// series must not be behind it, or the next sale would reuse its number (rule 11).
/// The number is `<series>-<digits>`, as `next_number` makes it.
fn keep_series_ahead(ctx: &Ctx<'_, '_>, number: &str) -> Result<(), Refusal> {
    let Some((series, digits)) = number.rsplit_once('-') else {
        return Ok(());
    };
    if series.is_empty() || digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(());
    }
    let Ok(last) = digits.parse::<i64>() else {
        return Ok(());
    };
    ctx.tx
        .prepare_cached(
            "INSERT INTO receipt_series (series, last_number) VALUES (?1, ?2)
             ON CONFLICT (series) DO UPDATE SET last_number = max(last_number, excluded.last_number)",
        )?
        .execute(params![series, last])?;
    Ok(())
}
