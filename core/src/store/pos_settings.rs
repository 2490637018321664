//! The counter's settings and the tax rate table, kept in the store.

use rusqlite::{params, Connection, OptionalExtension, Transaction};

use super::{settings, Error, Store, StoreError};
use crate::pos::tax::{validate_rates, TaxBase, TaxError, TaxRate};
use crate::pos::{PosSettings, PosSettingsForm, SettingError};
use crate::staff::{Actor, Permission};

const KEY: &str = "pos_settings";

/// Why a tax table was refused: the row and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Tax rate {n}: {error}", n = .row + 1)]
pub struct TaxTableError {
    pub row: usize,
    pub error: TaxError,
}

impl Store {
    /// The counter's settings; a new store has sensible defaults for an Indian shop.
    pub fn pos_settings(&self) -> Result<PosSettings, StoreError> {
        read(&self.conn, self.shop.currency)
    }

    pub fn save_pos_settings(
        &mut self,
        actor: &Actor,
        form: &PosSettingsForm,
    ) -> Result<Result<PosSettings, SettingError>, Error> {
        super::staff::authorize(&self.conn, actor, Permission::ManageSettings)?;
        let parsed = match PosSettings::parse(form, self.shop.currency) {
            Ok(p) => p,
            Err(e) => return Ok(Err(e)),
        };
        let tx = self.conn.transaction()?;
        settings::put(
            &tx,
            KEY,
            &to_json(&parsed.to_form(self.shop.currency)).to_string(),
        )?;
        tx.commit()?;
        Ok(Ok(parsed))
    }

    pub fn tax_rates(&self) -> Result<Vec<TaxRate>, StoreError> {
        read_rates(&self.conn)
    }

    /// Replaces the whole rate table. Past sales keep the taxes they were charged.
    pub fn save_tax_rates(
        &mut self,
        actor: &Actor,
        rates: &[TaxRate],
    ) -> Result<Result<(), TaxTableError>, Error> {
        super::staff::authorize(&self.conn, actor, Permission::ManageSettings)?;
        if let Err((row, error)) = validate_rates(rates) {
            return Ok(Err(TaxTableError { row, error }));
        }
        let tx = self.conn.transaction()?;
        replace_tax_rates(&tx, rates)?;
        tx.commit()?;
        Ok(Ok(()))
    }
}

/// Two devices of one business must not number receipts alike: the server refuses the
/// second "S1-C1-000001" as `duplicate_number`, and that sale then never reaches the
/// other devices. So a device whose counter settings were never saved takes, when it
/// links to a server, a receipt prefix of its own from the random end of its id
/// ("C-3FA2B9"); the owner may rename it in Counter settings. Saved settings are left
/// as they are.
pub(super) fn take_own_receipt_prefix(
    tx: &Transaction<'_>,
    device: uuid::Uuid,
    currency: crate::Currency,
) -> Result<(), StoreError> {
    if settings::get(tx, KEY)?.is_some() {
        return Ok(());
    }
    let hex = device.simple().to_string().to_ascii_uppercase();
    let mut own = PosSettings::defaults();
    own.receipt_prefix = format!("C-{}", &hex[hex.len() - 6..]);
    settings::put(tx, KEY, &to_json(&own.to_form(currency)).to_string())
}

pub(super) fn read(
    conn: &Connection,
    currency: crate::Currency,
) -> Result<PosSettings, StoreError> {
    let text: Option<String> = conn
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([KEY], |r| r.get(0))
        .optional()?;
    let Some(text) = text else {
        return Ok(PosSettings::defaults());
    };
    let corrupt = || StoreError::Corrupt("the counter settings".into());
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|_| corrupt())?;
    let form = from_json(&value).ok_or_else(corrupt)?;
    PosSettings::parse(&form, currency).map_err(|_| corrupt())
}

fn to_json(f: &PosSettingsForm) -> serde_json::Value {
    serde_json::json!({
        "shop_name": f.shop_name, "shop_address": f.shop_address, "gstin": f.gstin,
        "state_code": f.state_code, "upi_id": f.upi_id,
        "prices_include_tax": f.prices_include_tax, "rounding_mode": f.rounding_mode,
        "tax_rounding": f.tax_rounding, "cash_step": f.cash_step,
        "receipt_prefix": f.receipt_prefix, "yearly_reset": f.yearly_reset,
        "scale_prefixes": f.scale_prefixes, "cashier_discount_limit": f.cashier_discount_limit,
        "printer_path": f.printer_path, "paper": f.paper, "utc_offset": f.utc_offset,
    })
}

fn from_json(v: &serde_json::Value) -> Option<PosSettingsForm> {
    let s = |k: &str| v.get(k)?.as_str().map(str::to_owned);
    let b = |k: &str| v.get(k)?.as_bool();
    Some(PosSettingsForm {
        shop_name: s("shop_name")?,
        shop_address: s("shop_address")?,
        gstin: s("gstin")?,
        state_code: s("state_code")?,
        upi_id: s("upi_id")?,
        prices_include_tax: b("prices_include_tax")?,
        rounding_mode: s("rounding_mode")?,
        tax_rounding: s("tax_rounding")?,
        cash_step: s("cash_step")?,
        receipt_prefix: s("receipt_prefix")?,
        yearly_reset: b("yearly_reset")?,
        scale_prefixes: s("scale_prefixes")?,
        cashier_discount_limit: s("cashier_discount_limit")?,
        printer_path: s("printer_path")?,
        paper: s("paper")?,
        utc_offset: s("utc_offset")?,
    })
}

pub(super) fn read_rates(conn: &Connection) -> Result<Vec<TaxRate>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT class, component, rate_ppm, base, effective_from FROM tax_rates
         ORDER BY class, effective_from, position",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
        ))
    })?;
    let mut rates = Vec::new();
    for row in rows {
        let (class, component, rate_ppm, base, effective_from) = row?;
        let base = TaxBase::parse(&base)
            .ok_or_else(|| StoreError::Corrupt(format!("tax base {base:?}")))?;
        rates.push(TaxRate {
            class,
            component,
            rate_ppm,
            base,
            effective_from,
        });
    }
    Ok(rates)
}

pub(super) fn replace_tax_rates(tx: &Transaction<'_>, rates: &[TaxRate]) -> Result<(), StoreError> {
    tx.execute("DELETE FROM tax_rates", [])?;
    let mut insert = tx.prepare_cached(
        "INSERT INTO tax_rates (class, effective_from, position, component, rate_ppm, base)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (position, rate) in rates.iter().enumerate() {
        insert.execute(params![
            rate.class.trim(),
            rate.effective_from.trim(),
            position as i64,
            rate.component.trim(),
            rate.rate_ppm,
            rate.base.as_str()
        ])?;
    }
    Ok(())
}
