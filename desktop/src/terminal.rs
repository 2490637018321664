//! What the commands do, as plain functions over the local store, so they can be tested
//! without a window. Each returns the IPC error shape on failure and never panics.

use std::path::Path;
use std::sync::Mutex;

use galla_core::id::parse_id;
use galla_core::{ProductDraft, ProductStatus, Store};
use serde_json::Value;

use crate::wire::{ErrorCode, IpcError, ProductInput, ProductView, ShopView};

/// The open shop on this device. A store that failed to open is kept as its error, so
/// the window still starts and can say what is wrong.
pub struct Terminal {
    store: Result<Mutex<Store>, String>,
}

impl Terminal {
    pub fn open(folder: &Path) -> Terminal {
        Terminal {
            store: Store::open_in(folder)
                .map(Mutex::new)
                .map_err(|e| e.to_string()),
        }
    }

    fn with_store<T>(
        &self,
        action: impl FnOnce(&mut Store) -> Result<T, IpcError>,
    ) -> Result<T, IpcError> {
        let store = self
            .store
            .as_ref()
            .map_err(|message| IpcError::new(ErrorCode::StoreFailed, message.clone()))?;
        // A panic elsewhere must not lock the shop out for the rest of the day: the
        // store's state is always a committed transaction, so the data is sound.
        let mut guard = store
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        action(&mut guard)
    }

    pub fn shop(&self) -> Result<ShopView, IpcError> {
        self.with_store(|store| Ok(ShopView::from(store.shop())))
    }

    pub fn list_products(&self, include_archived: bool) -> Result<Vec<ProductView>, IpcError> {
        self.with_store(|store| {
            Ok(store
                .list_products(include_archived)?
                .into_iter()
                .map(ProductView::from)
                .collect())
        })
    }

    pub fn create_product(&self, input: Value, now_ms: u64) -> Result<ProductView, IpcError> {
        let input = parse_input(input)?;
        self.with_store(|store| {
            let draft = ProductDraft::parse(&input.fields(), store.shop().currency)?;
            Ok(store.create_product(&draft, now_ms)?.into())
        })
    }

    pub fn update_product(
        &self,
        id: &str,
        input: Value,
        now_ms: u64,
    ) -> Result<ProductView, IpcError> {
        let id = parse_product_id(id)?;
        let input = parse_input(input)?;
        self.with_store(|store| {
            let draft = ProductDraft::parse(&input.fields(), store.shop().currency)?;
            Ok(store.update_product(id, &draft, now_ms)?.into())
        })
    }

    pub fn set_product_status(
        &self,
        id: &str,
        status: ProductStatus,
        now_ms: u64,
    ) -> Result<ProductView, IpcError> {
        let id = parse_product_id(id)?;
        self.with_store(|store| Ok(store.set_product_status(id, status, now_ms)?.into()))
    }
}

fn parse_input(input: Value) -> Result<ProductInput, IpcError> {
    serde_json::from_value(input).map_err(|e| {
        IpcError::new(
            ErrorCode::InputInvalid,
            format!("The product form sent something unexpected ({e})."),
        )
    })
}

fn parse_product_id(id: &str) -> Result<galla_core::id::Uuid, IpcError> {
    parse_id(id).ok_or_else(|| IpcError::new(ErrorCode::NotFound, "That product no longer exists."))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    const NOW: u64 = 1_763_700_000_000;

    fn terminal() -> (tempfile::TempDir, Terminal) {
        let dir = tempfile::tempdir().unwrap();
        let terminal = Terminal::open(dir.path());
        (dir, terminal)
    }

    fn input(name: &str, price: &str, sku: &str, barcode: &str) -> Value {
        json!({"name": name, "price": price, "sku": sku, "barcode": barcode})
    }

    #[test]
    fn each_invalid_field_gets_its_code_and_nothing_is_written() {
        let (_dir, t) = terminal();
        t.create_product(input("Saree", "10", "S1", ""), NOW)
            .unwrap();
        let cases = [
            (input("", "10", "", ""), ErrorCode::NameRequired),
            (input("Tea", "-1", "", ""), ErrorCode::PriceInvalid),
            (input("Tea", "ten", "", ""), ErrorCode::PriceInvalid),
            (input("Tea", "10", "s1", ""), ErrorCode::SkuTaken),
            (input("Tea", "10", "a b", ""), ErrorCode::SkuInvalid),
            (
                input("Tea", "10", "", "4006381333932"),
                ErrorCode::BarcodeInvalid,
            ),
        ];
        for (bad, code) in cases {
            let error = t.create_product(bad.clone(), NOW).unwrap_err();
            assert_eq!(error.code, code, "{bad}: {}", error.message);
            assert!(!error.message.is_empty());
        }
        assert_eq!(
            t.list_products(true).unwrap().len(),
            1,
            "refused input must write nothing"
        );
    }

    #[test]
    fn hostile_ipc_input_is_refused_cleanly() {
        let (_dir, t) = terminal();
        for bad in [
            json!(null),
            json!("a string"),
            json!([1, 2]),
            json!({"name": "Tea"}),
            json!({"name": 5, "price": "1", "sku": "", "barcode": ""}),
            json!({"name": "Tea", "price": 10, "sku": "", "barcode": ""}),
            json!({"name": "Tea", "price": "1", "sku": "", "barcode": "", "cost": "1"}),
        ] {
            let error = t.create_product(bad.clone(), NOW).unwrap_err();
            assert_eq!(error.code, ErrorCode::InputInvalid, "{bad}");
        }
        let error = t
            .update_product("../../etc/passwd", input("Tea", "1", "", ""), NOW)
            .unwrap_err();
        assert_eq!(error.code, ErrorCode::NotFound);
        let error = t
            .set_product_status("", ProductStatus::Archived, NOW)
            .unwrap_err();
        assert_eq!(error.code, ErrorCode::NotFound);
        assert!(t.list_products(true).unwrap().is_empty());
    }

    #[test]
    fn a_store_that_cannot_open_answers_every_command_with_its_reason() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("data");
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(
            folder.join(galla_core::store::STORE_FILE_NAME),
            b"garbage".repeat(300),
        )
        .unwrap();
        let t = Terminal::open(&folder);
        let error = t.list_products(false).unwrap_err();
        assert_eq!(error.code, ErrorCode::StoreFailed);
        assert!(error.message.contains("move it aside"), "{}", error.message);
    }

    #[test]
    fn the_wire_shape_is_what_the_ui_expects() {
        let (_dir, t) = terminal();
        let view = t
            .create_product(
                input("Silk saree", "1299.50", "SAR-1", "8901030865237"),
                NOW,
            )
            .unwrap();
        let json = serde_json::to_value(&view).unwrap();
        assert_eq!(
            json["price_minor"],
            json!(129_950),
            "money crosses IPC as an integer"
        );
        assert_eq!(json["status"], json!("active"));
        assert_eq!(json["currency"], json!("INR"));
        let error = serde_json::to_value(IpcError::new(ErrorCode::SkuTaken, "x")).unwrap();
        assert_eq!(
            error,
            json!({"code": "sku_taken", "message": "x", "field": null})
        );
    }
}
