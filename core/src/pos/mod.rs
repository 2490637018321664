//! The point of sale's rules, pure: tax, pricing, discounts, payments, returns, scale
//! labels and the cart. The store (`store/sales.rs` and friends) does the IO.

pub mod calendar;
pub mod cart;
pub mod customer;
pub mod document;
pub mod payment;
pub mod pricing;
pub mod refund;
pub mod rounding;
pub mod scale;
pub mod settings;
pub mod shift;
pub mod tax;
pub mod upi;

pub use cart::{
    Approval, Cart, CartCustomer, CartError, CartLine, PriceSource, SellableItem, SellerLimits,
};
pub use customer::{Customer, CustomerError, CustomerForm};
pub use payment::{Method, PaymentError, Settlement, Tender};
pub use pricing::{
    Discount, LineTotals, PricingError, PricingRules, TaxAmount, TaxRounding, Totals,
};
pub use refund::ReturnError;
pub use rounding::RoundingMode;
pub use settings::{PosSettings, PosSettingsForm, SettingError};
pub use tax::{AppliedTax, TaxBase, TaxRate};

/// Everything the counter's own rules can refuse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PosError {
    #[error(transparent)]
    Cart(#[from] CartError),
    #[error(transparent)]
    Pricing(#[from] PricingError),
    #[error(transparent)]
    Payment(#[from] PaymentError),
    #[error(transparent)]
    Return(#[from] ReturnError),
    #[error(transparent)]
    Customer(#[from] CustomerError),
    /// A line of a return: which one (in the order given) and why.
    #[error("{error}")]
    ReturnLine { index: usize, error: ReturnError },
    #[error("Open a shift before selling: count the float in the drawer first.")]
    NoOpenShift,
    #[error("A shift is already open on this counter. Close it before opening another.")]
    ShiftOpen,
    #[error("The sale has no items yet.")]
    CartEmpty,
    #[error("No receipt numbered {0} on this counter.")]
    ReceiptNotFound(String),
    #[error("No item has the barcode {0}.")]
    UnknownBarcode(String),
    #[error("That item is archived and cannot be sold.")]
    ItemArchived,
    #[error("{0}")]
    Amount(String),
    #[error("Set {0} in Counter settings first.")]
    SettingMissing(&'static str),
    #[error("That parked sale is no longer there.")]
    ParkedNotFound,
    #[error("Choose at least one item to return.")]
    NothingToReturn,
    #[error("No manager or owner has that PIN.")]
    ApprovalPinWrong { attempts_left: u32 },
    #[error(transparent)]
    Count(#[from] shift::CountError),
    #[error("Give a reason for taking cash in or out.")]
    ReasonRequired,
    #[error("Too many wrong approval PINs. Try again in {minutes} min.")]
    ApprovalLocked { minutes: u64 },
}
