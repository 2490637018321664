//! How a counter is set up: the shop on the receipt, tax and rounding rules, cash
//! rounding, receipt numbering, scale labels, the cashier's discount limit, the printer.

use super::calendar::{offset_text, parse_offset};
use super::pricing::{PricingRules, TaxRounding};
use super::rounding::RoundingMode;
use super::scale::{parse_prefixes, prefixes_text, ScalePrefix};
use super::tax::{parse_gstin, parse_rate_percent, rate_percent_text};
use crate::money::{Currency, Money};
use crate::receipt::Paper;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PosSettings {
    pub shop_name: String,
    pub shop_address: String,
    pub gstin: Option<String>,
    /// Two-digit GST state code; a customer's GSTIN from another state means IGST.
    pub state_code: Option<String>,
    pub upi_id: Option<String>,
    pub rules: PricingRules,
    pub cash_step_minor: i64,
    pub receipt_prefix: String,
    pub yearly_reset: bool,
    pub scale_prefixes: Vec<ScalePrefix>,
    pub discount_limit_bp: i64,
    pub printer_path: Option<String>,
    pub paper: Paper,
    pub utc_offset_minutes: i32,
}

/// The settings as typed in the form; every field is text or a switch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PosSettingsForm {
    pub shop_name: String,
    pub shop_address: String,
    pub gstin: String,
    pub state_code: String,
    pub upi_id: String,
    pub prices_include_tax: bool,
    pub rounding_mode: String,
    pub tax_rounding: String,
    pub cash_step: String,
    pub receipt_prefix: String,
    pub yearly_reset: bool,
    pub scale_prefixes: String,
    pub cashier_discount_limit: String,
    pub printer_path: String,
    pub paper: String,
    pub utc_offset: String,
}

/// A setting that cannot be used, with the form field it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SettingError {
    pub field: &'static str,
    pub message: String,
}

fn invalid(field: &'static str, message: impl Into<String>) -> SettingError {
    SettingError {
        field,
        message: message.into(),
    }
}

const MAX_TEXT: usize = 200;

fn optional(text: &str) -> Option<String> {
    let t = text.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

impl PosSettings {
    pub fn defaults() -> PosSettings {
        PosSettings {
            shop_name: "My shop".into(),
            shop_address: String::new(),
            gstin: None,
            state_code: None,
            upi_id: None,
            rules: PricingRules {
                prices_include_tax: true,
                rounding: RoundingMode::HalfUp,
                tax_rounding: TaxRounding::Line,
            },
            cash_step_minor: 100,
            receipt_prefix: "S1-C1".into(),
            yearly_reset: false,
            scale_prefixes: parse_prefixes("21 weight, 23 price").unwrap_or_default(),
            discount_limit_bp: 1_000,
            printer_path: None,
            paper: Paper::Mm80,
            utc_offset_minutes: 330,
        }
    }

    pub fn parse(form: &PosSettingsForm, currency: Currency) -> Result<PosSettings, SettingError> {
        let shop_name = form.shop_name.trim().to_owned();
        if shop_name.is_empty() || shop_name.chars().count() > MAX_TEXT {
            return Err(invalid(
                "shop_name",
                "Type the shop's name as it should print (up to 200 characters).",
            ));
        }
        if form.shop_address.chars().count() > 4 * MAX_TEXT {
            return Err(invalid(
                "shop_address",
                "The address is too long for a receipt.",
            ));
        }
        let gstin = match optional(&form.gstin) {
            Some(text) => Some(parse_gstin(&text).ok_or_else(|| {
                invalid(
                    "gstin",
                    "A GSTIN has 15 letters and digits, starting with the state code.",
                )
            })?),
            None => None,
        };
        let state_code = match optional(&form.state_code) {
            Some(code) if code.len() == 2 && code.chars().all(|c| c.is_ascii_digit()) => Some(code),
            Some(_) => {
                return Err(invalid(
                    "state_code",
                    "The state code is two digits, such as 29.",
                ))
            }
            None => gstin
                .as_deref()
                .and_then(super::tax::gstin_state)
                .map(str::to_owned),
        };
        if let (Some(g), Some(s)) = (&gstin, &state_code) {
            if !g.starts_with(s.as_str()) {
                return Err(invalid(
                    "state_code",
                    "The GSTIN starts with another state code.",
                ));
            }
        }
        let upi_id = optional(&form.upi_id);
        if let Some(id) = &upi_id {
            let ok = id.len() <= 100
                && id
                    .split_once('@')
                    .is_some_and(|(user, bank)| !user.is_empty() && !bank.is_empty())
                && id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || ".-_@".contains(c));
            if !ok {
                return Err(invalid("upi_id", "A UPI ID looks like shopname@bank."));
            }
        }
        let rounding = RoundingMode::parse(&form.rounding_mode)
            .ok_or_else(|| invalid("rounding_mode", "Choose half up, half even or down."))?;
        let tax_rounding = TaxRounding::parse(&form.tax_rounding)
            .ok_or_else(|| invalid("tax_rounding", "Choose per line or per document."))?;
        let cash_step_minor = Money::parse_price(&form.cash_step, currency)
            .map_err(|e| invalid("cash_step", e.to_string()))?
            .minor();
        if !(1..=100_000).contains(&cash_step_minor) {
            return Err(invalid(
                "cash_step",
                "The cash step is the smallest coin taken, such as 1.00 or 0.05.",
            ));
        }
        let receipt_prefix = form.receipt_prefix.trim().to_owned();
        let prefix_ok = !receipt_prefix.is_empty()
            && receipt_prefix.len() <= 20
            && receipt_prefix
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '/');
        if !prefix_ok {
            return Err(invalid(
                "receipt_prefix",
                "Use up to 20 letters, digits, - or /, such as S1-C2.",
            ));
        }
        let scale_prefixes = parse_prefixes(&form.scale_prefixes)
            .map_err(|e| invalid("scale_prefixes", e.to_string()))?;
        let limit_ppm = parse_rate_percent(&form.cashier_discount_limit)
            .map_err(|_| invalid("cashier_discount_limit", "Type a percent from 0 to 100."))?;
        if limit_ppm > 1_000_000 || limit_ppm % 100 != 0 {
            return Err(invalid(
                "cashier_discount_limit",
                "Type a percent from 0 to 100, at most two decimals.",
            ));
        }
        let paper =
            Paper::parse(&form.paper).ok_or_else(|| invalid("paper", "Choose 80mm or 58mm."))?;
        let utc_offset_minutes = parse_offset(&form.utc_offset)
            .ok_or_else(|| invalid("utc_offset", "Write the time zone as +05:30."))?;
        let printer_path = optional(&form.printer_path);
        if printer_path
            .as_ref()
            .is_some_and(|p| !p.starts_with('/') && !p.contains(":\\"))
        {
            return Err(invalid(
                "printer_path",
                "Give the full path of the printer or folder, such as /dev/usb/lp0.",
            ));
        }
        Ok(PosSettings {
            shop_name,
            shop_address: form.shop_address.trim().to_owned(),
            gstin,
            state_code,
            upi_id,
            rules: PricingRules {
                prices_include_tax: form.prices_include_tax,
                rounding,
                tax_rounding,
            },
            cash_step_minor,
            receipt_prefix,
            yearly_reset: form.yearly_reset,
            scale_prefixes,
            discount_limit_bp: limit_ppm / 100,
            printer_path,
            paper,
            utc_offset_minutes,
        })
    }

    pub fn to_form(&self, currency: Currency) -> PosSettingsForm {
        PosSettingsForm {
            shop_name: self.shop_name.clone(),
            shop_address: self.shop_address.clone(),
            gstin: self.gstin.clone().unwrap_or_default(),
            state_code: self.state_code.clone().unwrap_or_default(),
            upi_id: self.upi_id.clone().unwrap_or_default(),
            prices_include_tax: self.rules.prices_include_tax,
            rounding_mode: self.rules.rounding.as_str().into(),
            tax_rounding: self.rules.tax_rounding.as_str().into(),
            cash_step: Money::from_minor(self.cash_step_minor, currency).amount_text(),
            receipt_prefix: self.receipt_prefix.clone(),
            yearly_reset: self.yearly_reset,
            scale_prefixes: prefixes_text(&self.scale_prefixes),
            cashier_discount_limit: rate_percent_text(self.discount_limit_bp * 100),
            printer_path: self.printer_path.clone().unwrap_or_default(),
            paper: self.paper.as_str().into(),
            utc_offset: offset_text(self.utc_offset_minutes),
        }
    }

    /// True when a customer with this GSTIN buys from another state (IGST).
    pub fn is_inter_state(&self, customer_gstin: Option<&str>) -> bool {
        match (
            self.state_code.as_deref(),
            customer_gstin.and_then(super::tax::gstin_state),
        ) {
            (Some(shop), Some(customer)) => shop != customer,
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn defaults_survive_the_form() {
        let d = PosSettings::defaults();
        let form = d.to_form(Currency::INR);
        assert_eq!(PosSettings::parse(&form, Currency::INR), Ok(d));
    }

    #[test]
    fn bad_settings_name_their_field() {
        let mut form = PosSettings::defaults().to_form(Currency::INR);
        form.cash_step = "0".into();
        assert_eq!(
            PosSettings::parse(&form, Currency::INR).unwrap_err().field,
            "cash_step"
        );
        let mut form = PosSettings::defaults().to_form(Currency::INR);
        form.gstin = "29ABCDE1234F1Z5".into();
        form.state_code = "27".into();
        assert_eq!(
            PosSettings::parse(&form, Currency::INR).unwrap_err().field,
            "state_code"
        );
        let mut form = PosSettings::defaults().to_form(Currency::INR);
        form.upi_id = "nope".into();
        assert_eq!(
            PosSettings::parse(&form, Currency::INR).unwrap_err().field,
            "upi_id"
        );
    }
}
