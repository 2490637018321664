// Generated from the Rust IPC types in desktop/src/wire.rs by
// `GALLA_WRITE_BINDINGS=1 cargo test -p galla-desktop --test bindings`.
// Do not edit by hand: CI fails when this file and the Rust types drift.

export type ErrorCode = "name_required" | "name_too_long" | "price_invalid" | "sku_invalid" | "sku_taken" | "barcode_invalid" | "barcode_taken" | "not_found" | "category_name_invalid" | "category_name_taken" | "category_not_found" | "category_cycle" | "category_has_children" | "no_variants" | "too_many_options" | "option_name_invalid" | "option_name_repeated" | "option_value_missing" | "variant_repeated" | "variant_not_found" | "hsn_invalid" | "description_too_long" | "sku_repeated" | "barcode_repeated" | "cost_invalid" | "permission_denied" | "staff_name_invalid" | "pin_weak" | "pin_wrong" | "pin_locked" | "last_owner" | "staff_not_found" | "already_set_up" | "stock_invalid" | "shop_not_found" | "input_invalid" | "store_failed";

export type IpcError = { code: ErrorCode, message: string, 
/**
 * Where the product editor should show it, as a path such as `variants.1.sku`;
 * null when the error belongs to the whole screen or the simple form's own field.
 */
field: string | null, };

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
