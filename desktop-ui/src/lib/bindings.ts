// Generated from the Rust IPC types in desktop/src/wire/ by
// `GALLA_WRITE_BINDINGS=1 cargo test -p galla-desktop --test bindings`.
// Do not edit by hand: CI fails when this file and the Rust types drift.

export type AdjustmentReason = "damaged" | "lost" | "found" | "correction" | "own_use";

export type AuditEntryView = { id: string, at_ms: number, staff_name: string | null, device_id: string, action: string, 
/**
 * What it was done to, in words: "Silk saree (Red / M)", "Ravi".
 */
subject: string, field: string | null, old_value: string | null, new_value: string | null, reason: string | null, };

export type AuditQueryInput = { staff_id: string | null, action: string | null, 
/**
 * From this day on (ms since the epoch), inclusive.
 */
from_ms: number | null, 
/**
 * Before this time, exclusive.
 */
until_ms: number | null, };

export type CategoryView = { id: string, parent_id: string | null, name: string, 
/**
 * "Clothing › Sarees › Silk", for pickers.
 */
path: string, 
/**
 * 0 for a top-level category.
 */
depth: number, };

export type CountInput = { variant_id: string, 
/**
 * What is on the shelf, as typed.
 */
counted: string, };

export type ErrorCode = "name_required" | "name_too_long" | "price_invalid" | "sku_invalid" | "sku_taken" | "barcode_invalid" | "barcode_taken" | "not_found" | "category_name_invalid" | "category_name_taken" | "category_not_found" | "category_cycle" | "category_has_children" | "no_variants" | "too_many_options" | "option_name_invalid" | "option_name_repeated" | "option_value_missing" | "variant_repeated" | "variant_not_found" | "hsn_invalid" | "description_too_long" | "sku_repeated" | "barcode_repeated" | "cost_invalid" | "permission_denied" | "staff_name_invalid" | "pin_weak" | "pin_wrong" | "pin_locked" | "last_owner" | "staff_not_found" | "already_set_up" | "stock_invalid" | "quantity_invalid" | "shop_not_found" | "image_invalid" | "import_invalid" | "signed_out" | "input_invalid" | "store_failed";

export type ExportView = { 
/**
 * Where the file was written.
 */
path: string, products: number, rows: number, };

export type ImageView = { hash: string, width: number, height: number, };

export type ImportLineView = { 
/**
 * 1-based, the header being row 1; null for the file as a whole.
 */
row: number | null, column: string | null, message: string, };

export type ImportReportView = { applied: boolean, rows: number, problems: Array<ImportLineView>, notices: Array<ImportLineView>, products_created: number, products_updated: number, products_unchanged: number, variants_created: number, variants_updated: number, };

export type IpcError = { code: ErrorCode, message: string, 
/**
 * Where the product editor should show it, as a path such as `variants.1.sku`;
 * null when the error belongs to the whole screen or the simple form's own field.
 */
field: string | null, };

export type MovementView = { id: string, at_ms: number, 
/**
 * receive, sale, return, adjustment, count, transfer_out, transfer_in
 */
kind: string, quantity_milli: number, reason: string | null, note: string | null, staff_name: string | null, shop_name: string | null, };

export type PersonView = { id: string, name: string, role: Role, archived: boolean, 
/**
 * Until when wrong PINs locked them out (ms since the epoch), if that is later
 * than now.
 */
locked_until_ms: number | null, };

export type ProductDetailView = { id: string, name: string, description: string, category_id: string | null, tax_class: string | null, hsn_code: string | null, status: ProductStatus, show_on_storefront: boolean, option_names: Array<string>, variants: Array<VariantView>, 
/**
 * In order; the first is the product's main picture.
 */
images: Array<ImageView>, };

export type ProductEditorInput = { name: string, description: string, category_id: string | null, tax_class: string, hsn_code: string, status: ProductStatus, show_on_storefront: boolean, option_names: Array<string>, variants: Array<VariantEditorInput>, };

export type ProductQueryInput = { text: string, category_id: string | null, 
/**
 * Null: every product that is not archived.
 */
status: ProductStatus | null, offset: number, limit: number, };

export type ProductRowView = { id: string, name: string, status: ProductStatus, variant_id: string | null, price_minor: number | null, currency: string | null, sku: string | null, barcode: string | null, category: string | null, variant_count: number, };

export type ProductStatus = "draft" | "active" | "archived";

export type ReorderLineView = { product_id: string, variant_id: string, 
/**
 * "Silk saree (Red / M)".
 */
item: string, sku: string | null, on_hand_milli: number, threshold_milli: number, shortfall_milli: number, };

export type Role = "owner" | "manager" | "cashier";

export type SessionView = { needs_setup: boolean, people: Array<PersonView>, signed_in: SignedInView | null, };

export type ShopView = { currency: string, locale: string, };

export type SignedInView = { id: string, name: string, role: Role, permissions: Array<string>, };

export type VariantEditorInput = { 
/**
 * Set when the row is a variant that exists.
 */
id: string | null, option_values: Array<string>, sku: string, price: string, cost: string, barcodes: Array<string>, };

export type VariantView = { id: string, option_values: Array<string>, sku: string | null, price_minor: number, 
/**
 * Null when there is no cost, and for people who may not see costs.
 */
cost_minor: number | null, currency: string, barcodes: Array<string>, 
/**
 * On hand in this device's shop, in thousandths.
 */
on_hand_milli: number, 
/**
 * The low-stock threshold in this shop, in thousandths.
 */
low_stock_milli: number | null, };
