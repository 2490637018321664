//! Galla's domain and terminal engine.
//!
//! Architecture invariant: this crate knows nothing about Tauri, axum or any HTTP
//! framework, and no domain type here derives `Serialize` to cross IPC or HTTP; the
//! shells convert at their boundary. Time is passed in, never read inside the logic.

// Without the store, parts only the store uses (CSV import, PIN checks) lie idle; the
// server builds core that way for its permission table and nothing else.
#![cfg_attr(not(feature = "store"), allow(dead_code, unused_imports))]

pub mod barcode;
pub mod catalog;
pub mod csv;
pub mod demo;
pub mod hlc;
pub mod id;
pub mod images;
pub mod money;
pub mod pos;
pub mod quantity;
pub mod receipt;
pub mod search;
pub mod staff;
pub mod stock;
#[cfg(feature = "store")]
pub mod store;

pub use catalog::{
    CatalogError, Category, Product, ProductDraft, ProductFields, ProductStatus, Variant,
};
pub use csv::{ImportReport, RowProblem};
pub use images::{ImageError, Thumbnail};
pub use money::{Currency, Money, MoneyError};
pub use quantity::{Quantity, QuantityError};
pub use search::{ProductHit, ProductQuery};
pub use staff::{
    Actor, Permission, PermissionError, Pin, PinError, Role, StaffError, StaffMember, StaffStatus,
};
pub use stock::{
    AdjustmentReason, MovementKind, ReorderLine, Shop, ShopDetails, ShopStatus, StockError,
    StockMovement, StockTransfer,
};
#[cfg(feature = "store")]
pub use store::{
    ApplyReport, PushOutcome, SyncLink, SyncLinkError, SyncRejection, SyncReplyError, SyncStatus,
};
#[cfg(feature = "store")]
pub use store::{AuditAction, AuditEntry, AuditFilter, Error, ShopSettings, Store, StoreError};
