// Generated from the Rust IPC types in desktop/src/wire.rs by
// `GALLA_WRITE_BINDINGS=1 cargo test -p galla-desktop --test bindings`.
// Do not edit by hand: CI fails when this file and the Rust types drift.

export type ErrorCode = "name_required" | "name_too_long" | "price_invalid" | "sku_invalid" | "sku_taken" | "barcode_invalid" | "barcode_taken" | "not_found" | "category_name_invalid" | "category_name_taken" | "category_not_found" | "category_cycle" | "category_has_children" | "input_invalid" | "store_failed";

export type IpcError = { code: ErrorCode, message: string, };

export type ProductInput = { name: string, 
/**
 * The price as the owner typed it; core parses it into minor units exactly.
 */
price: string, sku: string, barcode: string, };

export type ProductStatus = "draft" | "active" | "archived";

export type ProductView = { id: string, name: string, 
/**
 * Integer minor units (paise); the UI formats, never computes.
 */
price_minor: number, currency: string, sku: string | null, barcode: string | null, status: ProductStatus, };

export type ShopView = { currency: string, locale: string, };
