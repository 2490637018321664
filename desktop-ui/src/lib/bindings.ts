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

export type CartLineView = { line_id: string, variant_id: string, 
/**
 * "Silk saree (Red / M)".
 */
name: string, sku: string | null, hsn: string | null, quantity_milli: number, 
/**
 * The catalog price, or the overridden or label price.
 */
unit_price_minor: number, 
/**
 * "catalog", "override" (a person changed it) or "label" (a price-embedded scale barcode).
 */
price_source: string, discount: DiscountView | null, 
/**
 * Quantity × unit price, before discounts.
 */
gross_minor: number, 
/**
 * This line's own discount plus its share of the cart discount.
 */
discount_minor: number, taxes: Array<TaxAmountView>, tax_minor: number, 
/**
 * What the customer pays for this line.
 */
total_minor: number, };

export type CartView = { lines: Array<CartLineView>, cart_discount: DiscountView | null, customer: CustomerView | null, 
/**
 * True when the customer's GSTIN is from another state: IGST instead of CGST + SGST.
 */
inter_state: boolean, totals: TotalsView, 
/**
 * The last line added or changed, so the UI can scroll to and highlight it.
 */
focus_line_id: string | null, };

export type CashMovementView = { 
/**
 * "in" or "out".
 */
kind: string, amount_minor: number, reason: string, staff_name: string, at_ms: number, };

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

export type CustomerHistoryView = { customer: CustomerView, receipts: Array<ReceiptSummaryView>, };

export type CustomerInput = { name: string, phone: string, 
/**
 * Empty when the customer has none.
 */
gstin: string, };

export type CustomerView = { id: string, name: string, phone: string | null, gstin: string | null, store_credit_minor: number, };

export type DenominationInput = { 
/**
 * The note or coin, in minor units (50000 = ₹500).
 */
value_minor: number, 
/**
 * How many, as typed.
 */
count: string, };

export type DeviceView = { id: string, name: string, shop_name: string | null, enrolled_at_ms: number, last_seen_at_ms: number | null, revoked_at_ms: number | null, 
/**
 * How many changes the server has from it.
 */
last_seq: number, 
/**
 * The device this window runs on; it cannot revoke itself.
 */
this_device: boolean, };

export type DiscountInput = { 
/**
 * "percent" or "amount".
 */
kind: string, 
/**
 * "10", "12.5" (percent) or "50.00" (amount), as typed.
 */
value: string, };

export type DiscountView = { 
/**
 * "percent" or "amount".
 */
kind: string, 
/**
 * Basis points for a percent (1000 = 10%), minor units for an amount.
 */
value: number, 
/**
 * Who approved it over the cashier's limit, if anyone had to.
 */
approved_by: string | null, };

export type DueView = { total_minor: number, paid_minor: number, remaining_minor: number, 
/**
 * What is due if the rest is paid in cash, after the shop's cash rounding.
 */
remaining_cash_minor: number, };

export type EnrolInput = { 
/**
 * `https://sync.example.in` (or `http://…` on a shop's own network).
 */
server_url: string, 
/**
 * What the owner sees in the device list: "Counter 2".
 */
device_name: string, pairing_code: string, email: string, password: string, 
/**
 * Keep the key in a file beside the store instead of the system keyring; for
 * computers that have no keyring.
 */
key_in_file: boolean, };

export type ErrorCode = "name_required" | "name_too_long" | "price_invalid" | "sku_invalid" | "sku_taken" | "barcode_invalid" | "barcode_taken" | "not_found" | "category_name_invalid" | "category_name_taken" | "category_not_found" | "category_cycle" | "category_has_children" | "no_variants" | "too_many_options" | "option_name_invalid" | "option_name_repeated" | "option_value_missing" | "variant_repeated" | "variant_not_found" | "hsn_invalid" | "description_too_long" | "sku_repeated" | "barcode_repeated" | "cost_invalid" | "permission_denied" | "staff_name_invalid" | "pin_weak" | "pin_wrong" | "pin_locked" | "last_owner" | "staff_not_found" | "already_set_up" | "stock_invalid" | "quantity_invalid" | "shop_not_found" | "image_invalid" | "import_invalid" | "signed_out" | "approval_required" | "no_open_shift" | "shift_open" | "cart_empty" | "payment_invalid" | "return_invalid" | "customer_invalid" | "discount_invalid" | "setting_invalid" | "setting_missing" | "print_failed" | "enrol_invalid" | "server_unreachable" | "server_refused" | "server_failed" | "device_revoked" | "not_linked" | "sync_key_failed" | "shop_in_use" | "shop_details_invalid" | "input_invalid" | "store_failed";

export type ExportView = { 
/**
 * Where the file was written.
 */
path: string, products: number, rows: number, };

export type HsnRowView = { 
/**
 * Empty for items without an HSN code.
 */
hsn: string, taxable_minor: number, taxes: Array<TaxAmountView>, tax_minor: number, };

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

export type JoinView = { session: SessionView, first_sync_error: string | null, };

export type KeyPlace = "keyring" | "file";

export type MethodTotalView = { method: string, sales_minor: number, refunds_minor: number, net_minor: number, };

export type MovementView = { id: string, at_ms: number, 
/**
 * receive, sale, return, adjustment, count, transfer_out, transfer_in
 */
kind: string, quantity_milli: number, reason: string | null, note: string | null, staff_name: string | null, shop_name: string | null, };

export type OpeningPeriodView = { day: "mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun", opens: string, closes: string, };

export type PairingCodeView = { 
/**
 * `XXXX-XXXX-XXXX`, usable once.
 */
code: string, expires_at_ms: number, 
/**
 * The shop a device enrolled with it will work in, if the code names one.
 */
shop_name: string | null, };

export type ParkedSaleView = { id: string, parked_at_ms: number, note: string, customer_name: string | null, line_count: number, total_minor: number, parked_by: string, };

export type PaymentInput = { 
/**
 * "cash", "card", "upi" or "store_credit".
 */
method: string, 
/**
 * As typed. For cash this is what the customer handed over.
 */
amount: string, 
/**
 * The card terminal's or UPI app's reference; required for card.
 */
reference: string, };

export type PaymentView = { method: string, 
/**
 * What this tender paid towards the sale (for cash: handed over minus change).
 */
amount_minor: number, 
/**
 * For cash: what the customer handed over.
 */
tendered_minor: number, reference: string | null, };

export type PersonView = { id: string, name: string, role: Role, archived: boolean, 
/**
 * Until when wrong PINs locked them out (ms since the epoch), if that is later
 * than now.
 */
locked_until_ms: number | null, };

export type PosSettingsView = { shop_name: string, shop_address: string, 
/**
 * Empty when the shop is not registered for GST.
 */
gstin: string, 
/**
 * Two-digit GST state code of the shop ("29" Karnataka).
 */
state_code: string, 
/**
 * Empty when the shop takes no UPI.
 */
upi_id: string, prices_include_tax: boolean, 
/**
 * "half_up", "half_even" or "down".
 */
rounding_mode: string, 
/**
 * "line" or "document".
 */
tax_rounding: string, 
/**
 * Cash is rounded to this many minor units (100 = ₹1; 5 = ₹0.05; 1 = none), as typed.
 */
cash_step: string, 
/**
 * Receipt numbers start with this: "S1-C2".
 */
receipt_prefix: string, 
/**
 * Start the receipt series again each calendar year (the year goes into the number).
 */
yearly_reset: boolean, 
/**
 * Scale barcode prefixes, comma separated: "21 weight, 23 price".
 */
scale_prefixes: string, 
/**
 * The biggest discount a cashier may give without a manager, in percent, as typed.
 */
cashier_discount_limit: string, 
/**
 * Where receipts print: a printer device such as /dev/usb/lp0, or a folder for files.
 */
printer_path: string, 
/**
 * "80mm" or "58mm".
 */
paper: string, 
/**
 * The shop's time zone as an offset from UTC: "+05:30".
 */
utc_offset: string, };

export type PosStateView = { 
/**
 * The open shift's running X report; null when no shift is open (selling is refused).
 */
shift: ShiftReportView | null, cart: CartView, parked: Array<ParkedSaleView>, settings: PosSettingsView, };

export type PrintedView = { 
/**
 * Where the bytes went.
 */
path: string, bytes: number, };

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

export type ReceiptLineView = { line_id: string, name: string, hsn: string | null, quantity_milli: number, unit_price_minor: number, discount_minor: number, taxes: Array<TaxAmountView>, total_minor: number, 
/**
 * How much of this line has already been returned.
 */
returned_milli: number, };

export type ReceiptSummaryView = { number: string, kind: string, at_ms: number, customer_name: string | null, grand_total_minor: number, };

export type ReceiptView = { id: string, 
/**
 * "S1-C2-000123".
 */
number: string, 
/**
 * "sale" or "return".
 */
kind: string, 
/**
 * For a return: the sale it returns against, if any.
 */
original_number: string | null, at_ms: number, cashier: string, customer: CustomerView | null, lines: Array<ReceiptLineView>, totals: TotalsView, 
/**
 * The recorded cash-rounding line (positive when rounded up).
 */
rounding_minor: number, 
/**
 * What was paid (sale) or given back (return), rounding included.
 */
grand_total_minor: number, payments: Array<PaymentView>, change_minor: number, 
/**
 * The receipt as it prints, one string per printed line, for the on-screen copy.
 */
text: Array<string>, };

export type RejectionView = { seq: number, 
/**
 * product, variant, sale, …
 */
entity: string, key: string, op: string, 
/**
 * forbidden, invalid_payload, …
 */
code: string, 
/**
 * The server's words.
 */
reason: string, at_ms: number, };

export type ReorderLineView = { product_id: string, variant_id: string, 
/**
 * "Silk saree (Red / M)".
 */
item: string, sku: string | null, on_hand_milli: number, threshold_milli: number, shortfall_milli: number, };

export type ReturnInput = { 
/**
 * The receipt number being returned against.
 */
receipt_number: string, lines: Array<ReturnLineInput>, 
/**
 * Put the items back on the shelf (a stock movement back in).
 */
restock: boolean, 
/**
 * "cash", "card", "upi" or "store_credit".
 */
method: string, reference: string, };

export type ReturnLineInput = { line_id: string, 
/**
 * As typed: "1", "0.250".
 */
quantity: string, };

export type Role = "owner" | "manager" | "cashier";

export type ScopeCheckView = { scope: string, 
/**
 * This device agrees with the server now (after any repair).
 */
agrees: boolean, 
/**
 * It differed and was fetched again from the server.
 */
repaired: boolean, server_count: number, 
/**
 * What this device held before any repair.
 */
device_count: number, };

export type SessionView = { needs_setup: boolean, people: Array<PersonView>, signed_in: SignedInView | null, 
/**
 * The business this device joined on first start while its people have not
 * arrived yet: the first screen then waits for them instead of offering set-up.
 */
joining: string | null, 
/**
 * Whether the OS keyring answers, so the join form knows whether to offer keeping
 * the device's key in a file.
 */
keyring_available: boolean, };

export type ShiftReportView = { shift_id: string, 
/**
 * "X" while the shift is open, "Z" once closed.
 */
kind: string, opened_by: string, opened_at_ms: number, closed_by: string | null, closed_at_ms: number | null, float_minor: number, sale_count: number, return_count: number, gross_sales_minor: number, discounts_minor: number, refunds_minor: number, tax_minor: number, taxes: Array<TaxAmountView>, rounding_minor: number, 
/**
 * Sales minus refunds, rounding included.
 */
net_minor: number, by_method: Array<MethodTotalView>, cash_movements: Array<CashMovementView>, 
/**
 * Float + cash sales − cash refunds + cash in − cash out.
 */
expected_cash_minor: number, counted_cash_minor: number | null, 
/**
 * Counted − expected: positive is over, negative short.
 */
over_short_minor: number | null, };

export type ShopDetailsView = { name: string, 
/**
 * Lines as the shop writes them; empty when not given.
 */
address: string, 
/**
 * Sorted by day, then opening time, when they come from core.
 */
opening_hours: Array<OpeningPeriodView>, };

export type ShopView = { currency: string, locale: string, };

export type SignedInView = { id: string, name: string, role: Role, permissions: Array<string>, };

export type SyncConnection = "not_linked" | "key_missing" | "never_synced" | "online" | "offline" | "revoked";

export type SyncLinkView = { server_url: string, business_name: string, business_slug: string, device_name: string, 
/**
 * The shop the enrolment put this device in, if it named one.
 */
shop_name: string | null, };

export type SyncNowView = { sent: number, received: number, 
/**
 * Of those sent, how many the server refused (listed in the status).
 */
rejected: number, status: SyncStatusView, };

export type SyncStatusView = { connection: SyncConnection, link: SyncLinkView | null, device_id: string, 
/**
 * Changes waiting to be sent.
 */
pending: number, last_success_ms: number | null, 
/**
 * The last attempt since the app started, successful or not.
 */
last_attempt_ms: number | null, 
/**
 * Why the last sync failed, until one succeeds.
 */
last_error: string | null, 
/**
 * The newest first, at most 50.
 */
rejections: Array<RejectionView>, rejection_count: number, 
/**
 * Changes from the server this device could not apply.
 */
skipped: number, 
/**
 * Whether the background sync is running.
 */
background: boolean, 
/**
 * Whether the server's live updates are coming in (changes arrive at once).
 */
live: boolean, 
/**
 * Where the key is kept, when the device is linked and the key is found.
 */
key_place: KeyPlace | null, 
/**
 * Whether this computer has a keyring to keep the key in (checked once per run).
 */
keyring_available: boolean, };

export type TaxAmountView = { name: string, 
/**
 * Parts per million: 90000 = 9%.
 */
rate_ppm: number, amount_minor: number, };

export type TaxRateView = { 
/**
 * The class products name in their tax_class ("GST 18%").
 */
class: string, 
/**
 * "CGST+SGST/IGST" components are written as "gst"; others by their own name ("Cess").
 */
component: string, 
/**
 * Percent as typed ("18", "0.25").
 */
rate: string, 
/**
 * "taxable" (on the price) or "compound" (on the price plus the taxes before it).
 */
base: string, 
/**
 * YYYY-MM-DD.
 */
effective_from: string, };

export type TotalsView = { 
/**
 * Sum of the lines' gross.
 */
gross_minor: number, discount_minor: number, taxable_minor: number, tax_minor: number, 
/**
 * Sum of the lines' totals: what is due before cash rounding.
 */
total_minor: number, 
/**
 * Tax by component over the whole cart ("CGST 9%": 123).
 */
taxes: Array<TaxAmountView>, hsn: Array<HsnRowView>, };

export type UnreceiptedReturnInput = { variant_id: string, quantity: string, 
/**
 * What is given back for the whole quantity, tax included, as typed.
 */
amount: string, restock: boolean, method: string, reference: string, approver_pin: string, };

export type UnsyncedExportView = { path: string, entries: number, };

export type UpiQrView = { 
/**
 * upi://pay?pa=…&am=…
 */
uri: string, 
/**
 * The QR code as an SVG document.
 */
svg: string, };

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

export type VerifyView = { agrees: boolean, scopes: Array<ScopeCheckView>, 
/**
 * The scopes that differed and were fetched again.
 */
repaired: Array<string>, status: SyncStatusView, };
