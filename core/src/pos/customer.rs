//! Customers as the counter adds them: a name, a phone, optionally a GSTIN.

use super::tax::parse_gstin;

pub const NAME_MAX_CHARS: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Customer {
    pub id: uuid::Uuid,
    pub name: String,
    pub phone: Option<String>,
    pub gstin: Option<String>,
    /// Sum of the customer's store-credit ledger.
    pub store_credit_minor: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerForm {
    pub name: String,
    pub phone: String,
    pub gstin: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CustomerError {
    #[error("Type the customer's name.")]
    NameRequired,
    #[error("A name has at most {NAME_MAX_CHARS} characters.")]
    NameTooLong,
    #[error("A phone number has 7 to 15 digits (spaces, + and - are fine).")]
    PhoneInvalid,
    #[error("{0} already belongs to {1}.")]
    PhoneTaken(String, String),
    #[error("A GSTIN has 15 letters and digits, starting with the state code.")]
    GstinInvalid,
    #[error("That customer is not in this store.")]
    NotFound,
}

impl CustomerError {
    /// The form field the error belongs to.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            CustomerError::NameRequired | CustomerError::NameTooLong => Some("name"),
            CustomerError::PhoneInvalid | CustomerError::PhoneTaken(..) => Some("phone"),
            CustomerError::GstinInvalid => Some("gstin"),
            CustomerError::NotFound => None,
        }
    }
}

/// Digits of a phone number as typed ("+91 98450-12345" → "919845012345").
pub fn parse_phone(text: &str) -> Result<Option<String>, CustomerError> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    if !t.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c)) {
        return Err(CustomerError::PhoneInvalid);
    }
    let digits: String = t.chars().filter(char::is_ascii_digit).collect();
    if !(7..=15).contains(&digits.len()) {
        return Err(CustomerError::PhoneInvalid);
    }
    Ok(Some(digits))
}

pub struct ParsedCustomer {
    pub name: String,
    pub phone: Option<String>,
    pub gstin: Option<String>,
}

pub fn parse_customer(form: &CustomerForm) -> Result<ParsedCustomer, CustomerError> {
    let name: String = form
        .name
        .trim()
        .chars()
        .filter(|c| !c.is_control())
        .collect();
    if name.is_empty() {
        return Err(CustomerError::NameRequired);
    }
    if name.chars().count() > NAME_MAX_CHARS {
        return Err(CustomerError::NameTooLong);
    }
    let phone = parse_phone(&form.phone)?;
    let gstin = if form.gstin.trim().is_empty() {
        None
    } else {
        Some(parse_gstin(&form.gstin).ok_or(CustomerError::GstinInvalid)?)
    };
    Ok(ParsedCustomer { name, phone, gstin })
}

/// What the counter's customer search matches against: lower-case name and phone.
pub fn search_text(name: &str, phone: Option<&str>) -> String {
    format!("{} {}", name.to_lowercase(), phone.unwrap_or(""))
}
