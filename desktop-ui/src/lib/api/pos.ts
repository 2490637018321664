// Typed wrappers for the point-of-sale commands (selling, shifts, returns,
// customers, counter settings). Amounts and quantities are sent as the typed
// text; core parses them and does every sum, so the UI never adds money.
import { call } from "../session.svelte";
import type {
  CartView,
  CustomerHistoryView,
  CustomerInput,
  CustomerView,
  DenominationInput,
  DiscountInput,
  DueView,
  PaymentInput,
  PosSettingsView,
  PosStateView,
  PrintedView,
  ReceiptSummaryView,
  ReceiptView,
  ReturnInput,
  ShiftReportView,
  TaxRateView,
  UnreceiptedReturnInput,
  UpiQrView,
} from "../bindings";

// --- The cart ---

/** Shift, cart, parked sales and counter settings in one go. */
export function posState(): Promise<PosStateView> {
  return call<PosStateView>("pos_state");
}

/** A barcode (scale barcodes included). Unknown code: `not_found`. */
export function scan(code: string): Promise<CartView> {
  return call<CartView>("scan", { code });
}

/** `quantity` as typed; "" means 1. Adds a line or increments the existing one. */
export function addToCart(variantId: string, quantity: string): Promise<CartView> {
  return call<CartView>("add_to_cart", { variantId, quantity });
}

/** "0" is refused: use voidLine. */
export function setLineQuantity(lineId: string, quantity: string): Promise<CartView> {
  return call<CartView>("set_line_quantity", { lineId, quantity });
}

/** `discount` null removes it. Rejects with `approval_required` over the cashier's limit. */
export function setLineDiscount(
  lineId: string,
  discount: DiscountInput | null,
  approverPin: string | null = null,
): Promise<CartView> {
  return call<CartView>("set_line_discount", { lineId, discount, approverPin });
}

/** `discount` null removes it. Rejects with `approval_required` over the cashier's limit. */
export function setCartDiscount(discount: DiscountInput | null, approverPin: string | null = null): Promise<CartView> {
  return call<CartView>("set_cart_discount", { discount, approverPin });
}

/** `price` as typed. Rejects with `approval_required` when the cashier may not. */
export function overridePrice(lineId: string, price: string, approverPin: string | null = null): Promise<CartView> {
  return call<CartView>("override_price", { lineId, price, approverPin });
}

export function voidLine(lineId: string): Promise<CartView> {
  return call<CartView>("void_line", { lineId });
}

/** Returns the empty cart. */
export function cancelSale(): Promise<CartView> {
  return call<CartView>("cancel_sale");
}

export function parkSale(note: string): Promise<PosStateView> {
  return call<PosStateView>("park_sale", { note });
}

/** A cart with lines is parked first. */
export function resumeSale(parkedId: string): Promise<PosStateView> {
  return call<PosStateView>("resume_sale", { parkedId });
}

// --- Customers ---

/** `customerId` null takes the customer off the sale. */
export function attachCustomer(customerId: string | null): Promise<CartView> {
  return call<CartView>("attach_customer", { customerId });
}

/** Phone digits or name words. */
export function findCustomers(text: string): Promise<CustomerView[]> {
  return call<CustomerView[]>("find_customers", { text });
}

/** Errors `customer_invalid` with field "name" | "phone" | "gstin". */
export function addCustomer(customer: CustomerInput): Promise<CustomerView> {
  return call<CustomerView>("add_customer", { customer });
}

export function customerHistory(customerId: string): Promise<CustomerHistoryView> {
  return call<CustomerHistoryView>("customer_history", { customerId });
}

// --- Payment and receipts ---

/** What is left to pay after these tenders; also validates them. */
export function amountDue(payments: PaymentInput[]): Promise<DueView> {
  return call<DueView>("amount_due", { payments });
}

/** `amount` as typed. `setting_missing` when the shop has no UPI id. */
export function upiQr(amount: string): Promise<UpiQrView> {
  return call<UpiQrView>("upi_qr", { amount });
}

export function completeSale(payments: PaymentInput[]): Promise<ReceiptView> {
  return call<ReceiptView>("complete_sale", { payments });
}

/** A sale or return receipt by number; `not_found`. */
export function receipt(number: string): Promise<ReceiptView> {
  return call<ReceiptView>("receipt", { number });
}

/** Newest first, this counter only. */
export function recentReceipts(): Promise<ReceiptSummaryView[]> {
  return call<ReceiptSummaryView[]>("recent_receipts");
}

/** Sends the receipt to the configured printer; `print_failed`. */
export function printReceipt(number: string): Promise<PrintedView> {
  return call<PrintedView>("print_receipt", { number });
}

// --- Returns ---

export function returnItems(input: ReturnInput): Promise<ReceiptView> {
  return call<ReceiptView>("return_items", { input });
}

/** Needs a manager's PIN inside `input`. */
export function returnWithoutReceipt(input: UnreceiptedReturnInput): Promise<ReceiptView> {
  return call<ReceiptView>("return_without_receipt", { input });
}

// --- Shifts ---

/** `float` as typed. `shift_open` if one is already open. */
export function openShift(float: string): Promise<ShiftReportView> {
  return call<ShiftReportView>("open_shift", { float });
}

export function cashMovement(kind: "in" | "out", amount: string, reason: string): Promise<ShiftReportView> {
  return call<ShiftReportView>("cash_movement", { kind, amount, reason });
}

/** The X report; `no_open_shift`. */
export function shiftReport(): Promise<ShiftReportView> {
  return call<ShiftReportView>("shift_report");
}

/** Returns the Z report with counted cash and over/short. */
export function closeShift(denominations: DenominationInput[]): Promise<ShiftReportView> {
  return call<ShiftReportView>("close_shift", { denominations });
}

// --- Counter settings ---

export function posSettings(): Promise<PosSettingsView> {
  return call<PosSettingsView>("pos_settings");
}

/** `setting_invalid` with field = the settings key. */
export function savePosSettings(settings: PosSettingsView): Promise<PosSettingsView> {
  return call<PosSettingsView>("save_pos_settings", { settings });
}

export function taxRates(): Promise<TaxRateView[]> {
  return call<TaxRateView[]>("tax_rates");
}

/** Replaces the whole table; `setting_invalid` with field "rates.N.rate". */
export function saveTaxRates(rates: TaxRateView[]): Promise<TaxRateView[]> {
  return call<TaxRateView[]>("save_tax_rates", { rates });
}
