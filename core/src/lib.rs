//! Galla's domain and terminal engine.
//!
//! Architecture invariant: this crate knows nothing about Tauri, axum or any HTTP
//! framework, and no domain type here derives `Serialize` to cross IPC or HTTP; the
//! shells convert at their boundary. Time is passed in, never read inside the logic.

pub mod barcode;
pub mod catalog;
pub mod hlc;
pub mod id;
pub mod money;
pub mod quantity;
pub mod store;

pub use catalog::{
    CatalogError, Category, Product, ProductDraft, ProductFields, ProductStatus, Variant,
};
pub use money::{Currency, Money, MoneyError};
pub use store::{Error, ShopSettings, Store, StoreError};
