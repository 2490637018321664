//! Tauri commands: each one reads the clock, delegates to `Terminal`, and returns its
//! result. Nothing else belongs here.

use galla_core::ProductStatus;
use serde_json::Value;
use tauri::State;

use crate::terminal::Terminal;
use crate::wire::{IpcError, ProductView, ShopView};

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

#[tauri::command(async)]
pub fn get_shop(terminal: State<'_, Terminal>) -> Result<ShopView, IpcError> {
    terminal.shop()
}

#[tauri::command(async)]
pub fn list_products(
    terminal: State<'_, Terminal>,
    include_archived: bool,
) -> Result<Vec<ProductView>, IpcError> {
    terminal.list_products(include_archived)
}

#[tauri::command(async)]
pub fn create_product(
    terminal: State<'_, Terminal>,
    input: Value,
) -> Result<ProductView, IpcError> {
    terminal.create_product(input, now_ms())
}

#[tauri::command(async)]
pub fn update_product(
    terminal: State<'_, Terminal>,
    id: String,
    input: Value,
) -> Result<ProductView, IpcError> {
    terminal.update_product(&id, input, now_ms())
}

#[tauri::command(async)]
pub fn archive_product(terminal: State<'_, Terminal>, id: String) -> Result<ProductView, IpcError> {
    terminal.set_product_status(&id, ProductStatus::Archived, now_ms())
}

#[tauri::command(async)]
pub fn restore_product(terminal: State<'_, Terminal>, id: String) -> Result<ProductView, IpcError> {
    terminal.set_product_status(&id, ProductStatus::Active, now_ms())
}
