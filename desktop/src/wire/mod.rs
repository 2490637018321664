//! The types that cross IPC to the web UI. They live apart from the domain types, and the
//! UI's TypeScript declarations are generated from them (see `bindings.rs`). This file
//! holds the one error shape; each screen's types are in the modules below.

pub mod catalog;
pub mod import;
pub mod people;
pub mod pos;
pub mod shop;
pub mod stock;
pub mod sync;

use galla_core::{
    CatalogError, Error, QuantityError, ShopSettings, StaffError, StockError, StoreError,
};
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ShopView {
    pub currency: String,
    pub locale: String,
}

impl From<&ShopSettings> for ShopView {
    fn from(s: &ShopSettings) -> ShopView {
        ShopView {
            currency: s.currency.code().to_owned(),
            locale: s.locale.clone(),
        }
    }
}

/// What the UI branches on. Messages are for people; codes are for code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    NameRequired,
    NameTooLong,
    PriceInvalid,
    SkuInvalid,
    SkuTaken,
    BarcodeInvalid,
    BarcodeTaken,
    NotFound,
    CategoryNameInvalid,
    CategoryNameTaken,
    CategoryNotFound,
    CategoryCycle,
    CategoryHasChildren,
    NoVariants,
    TooManyOptions,
    OptionNameInvalid,
    OptionNameRepeated,
    OptionValueMissing,
    VariantRepeated,
    VariantNotFound,
    HsnInvalid,
    DescriptionTooLong,
    SkuRepeated,
    BarcodeRepeated,
    CostInvalid,
    PermissionDenied,
    StaffNameInvalid,
    PinWeak,
    PinWrong,
    PinLocked,
    LastOwner,
    StaffNotFound,
    AlreadySetUp,
    StockInvalid,
    QuantityInvalid,
    ShopNotFound,
    ImageInvalid,
    /// The import file as a whole cannot be read (encoding, size, no header).
    ImportInvalid,
    /// Nobody is signed in on this window (or they signed out): show the PIN screen.
    SignedOut,
    /// Over the signed-in person's limit: ask for a manager's PIN and try again with it.
    ApprovalRequired,
    NoOpenShift,
    ShiftOpen,
    CartEmpty,
    PaymentInvalid,
    ReturnInvalid,
    CustomerInvalid,
    DiscountInvalid,
    SettingInvalid,
    SettingMissing,
    PrintFailed,
    /// The enrolment form: `field` says which entry is wrong.
    EnrolInvalid,
    /// The sync server cannot be reached: changes wait on this device.
    ServerUnreachable,
    /// The server refused: a wrong pairing code or password, a device taken, not an owner.
    ServerRefused,
    /// The server failed or answered something unusable; worth trying again later.
    ServerFailed,
    /// The owner revoked this device; it no longer syncs.
    DeviceRevoked,
    /// This device is not linked to a sync server (or its key is missing).
    NotLinked,
    /// The device's key could not be kept or read (keyring or key file).
    SyncKeyFailed,
    /// The device's own shop has trade in it, so it cannot move into the enrolled shop.
    ShopInUse,
    /// The Shop details form: `field` is "name", "address" or "opening_hours".
    ShopDetailsInvalid,
    InputInvalid,
    StoreFailed,
}

/// The one shape every failed command rejects with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct IpcError {
    pub code: ErrorCode,
    pub message: String,
    /// Where the product editor should show it, as a path such as `variants.1.sku`;
    /// null when the error belongs to the whole screen or the simple form's own field.
    pub field: Option<String>,
}

impl IpcError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> IpcError {
        IpcError {
            code,
            message: message.into(),
            field: None,
        }
    }

    /// An error to show beside one field of a form.
    pub fn at(code: ErrorCode, message: impl Into<String>, field: impl Into<String>) -> IpcError {
        IpcError {
            code,
            message: message.into(),
            field: Some(field.into()),
        }
    }
}

impl From<QuantityError> for IpcError {
    fn from(e: QuantityError) -> IpcError {
        IpcError::new(ErrorCode::QuantityInvalid, e.to_string())
    }
}

fn catalog_code(e: &CatalogError) -> ErrorCode {
    match e {
        CatalogError::NameRequired => ErrorCode::NameRequired,
        CatalogError::NameTooLong => ErrorCode::NameTooLong,
        CatalogError::Price(_) => ErrorCode::PriceInvalid,
        CatalogError::SkuInvalid(_) => ErrorCode::SkuInvalid,
        CatalogError::SkuTaken(_) => ErrorCode::SkuTaken,
        CatalogError::Barcode(_) => ErrorCode::BarcodeInvalid,
        CatalogError::BarcodeTaken(_) => ErrorCode::BarcodeTaken,
        CatalogError::NotFound(_) => ErrorCode::NotFound,
        CatalogError::CategoryNameInvalid => ErrorCode::CategoryNameInvalid,
        CatalogError::CategoryNameTaken(_) => ErrorCode::CategoryNameTaken,
        CatalogError::CategoryNotFound(_) => ErrorCode::CategoryNotFound,
        CatalogError::CategoryCycle => ErrorCode::CategoryCycle,
        CatalogError::CategoryHasChildren(_) => ErrorCode::CategoryHasChildren,
        CatalogError::Invalid(inner) => catalog_code(&inner.error),
        CatalogError::NoVariants => ErrorCode::NoVariants,
        CatalogError::TooManyOptions => ErrorCode::TooManyOptions,
        CatalogError::OptionNameInvalid => ErrorCode::OptionNameInvalid,
        CatalogError::OptionNameRepeated(_) => ErrorCode::OptionNameRepeated,
        CatalogError::OptionValueMissing(_) => ErrorCode::OptionValueMissing,
        CatalogError::VariantRepeated(_) => ErrorCode::VariantRepeated,
        CatalogError::VariantNotFound(_) => ErrorCode::VariantNotFound,
        CatalogError::HsnInvalid => ErrorCode::HsnInvalid,
        CatalogError::DescriptionTooLong => ErrorCode::DescriptionTooLong,
        CatalogError::SkuRepeated(_) => ErrorCode::SkuRepeated,
        CatalogError::BarcodeRepeated(_) => ErrorCode::BarcodeRepeated,
        CatalogError::Cost(_) => ErrorCode::CostInvalid,
    }
}

impl From<CatalogError> for IpcError {
    fn from(e: CatalogError) -> IpcError {
        let field = match &e {
            CatalogError::Invalid(inner) => Some(inner.field.clone()),
            _ => None,
        };
        IpcError {
            code: catalog_code(&e),
            message: e.to_string(),
            field,
        }
    }
}

impl From<StoreError> for IpcError {
    fn from(e: StoreError) -> IpcError {
        let code = match &e {
            StoreError::SyncLink(_) => ErrorCode::ShopInUse,
            _ => ErrorCode::StoreFailed,
        };
        IpcError::new(code, e.to_string())
    }
}

impl From<Error> for IpcError {
    fn from(e: Error) -> IpcError {
        match e {
            Error::Catalog(e) => e.into(),
            Error::Store(e) => e.into(),
            Error::Permission(e) => IpcError::new(ErrorCode::PermissionDenied, e.to_string()),
            Error::Staff(e) => {
                let code = match &e {
                    StaffError::NameRequired | StaffError::NameTooLong => {
                        ErrorCode::StaffNameInvalid
                    }
                    StaffError::WeakPin(_) => ErrorCode::PinWeak,
                    StaffError::WrongPin { .. } => ErrorCode::PinWrong,
                    StaffError::Locked { .. } => ErrorCode::PinLocked,
                    StaffError::LastOwner => ErrorCode::LastOwner,
                    StaffError::NotFound(_) | StaffError::NoLongerActive => {
                        ErrorCode::StaffNotFound
                    }
                    StaffError::AlreadySetUp => ErrorCode::AlreadySetUp,
                };
                IpcError::new(code, e.to_string())
            }
            Error::Stock(e) => {
                // A shop's own fields, shown beside the Shop details form's field.
                let shop_field = match &e {
                    StockError::ShopNameRequired | StockError::ShopNameTooLong => Some("name"),
                    StockError::AddressInvalid(_) => Some("address"),
                    StockError::OpeningHoursInvalid(_) => Some("opening_hours"),
                    _ => None,
                };
                if let Some(field) = shop_field {
                    return IpcError::at(ErrorCode::ShopDetailsInvalid, e.to_string(), field);
                }
                let code = match &e {
                    StockError::ShopNotFound(_) => ErrorCode::ShopNotFound,
                    StockError::VariantNotFound(_) => ErrorCode::VariantNotFound,
                    _ => ErrorCode::StockInvalid,
                };
                IpcError::new(code, e.to_string())
            }
            Error::Image(e) => IpcError::new(ErrorCode::ImageInvalid, e.to_string()),
            Error::Pos(e) => pos::error(e),
        }
    }
}
