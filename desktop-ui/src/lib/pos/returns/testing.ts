// Data for the returns page's tests (not part of the app bundle).
import type { CustomerView, ReceiptLineView, ReceiptView } from "../../bindings";

export function line(overrides: Partial<ReceiptLineView> = {}): ReceiptLineView {
  return {
    line_id: "l-1",
    name: "Cotton kurta",
    hsn: "6211",
    quantity_milli: 2000,
    unit_price_minor: 89900,
    discount_minor: 0,
    taxes: [],
    total_minor: 179800,
    returned_milli: 0,
    ...overrides,
  };
}

export const MEENA: CustomerView = {
  id: "c-1",
  name: "Meena",
  phone: "9876543210",
  gstin: null,
  store_credit_minor: 0,
};

export function receiptView(overrides: Partial<ReceiptView> = {}): ReceiptView {
  return {
    id: "r-1",
    number: "S1-C1-000042",
    kind: "sale",
    original_number: null,
    at_ms: Date.UTC(2025, 2, 12, 9, 30),
    cashier: "Ravi",
    customer: null,
    lines: [
      line(),
      line({ line_id: "l-2", name: "Rice 1kg", hsn: null, quantity_milli: 3000, unit_price_minor: 6000, total_minor: 18000, returned_milli: 1000 }),
    ],
    totals: {
      gross_minor: 197800,
      discount_minor: 0,
      taxable_minor: 197800,
      tax_minor: 0,
      total_minor: 197800,
      taxes: [],
      hsn: [],
    },
    rounding_minor: 0,
    grand_total_minor: 197800,
    payments: [{ method: "cash", amount_minor: 197800, tendered_minor: 200000, reference: null }],
    change_minor: 2200,
    text: ["MEENA STORES", "Receipt S1-C1-000042"],
    ...overrides,
  };
}

export function returnView(overrides: Partial<ReceiptView> = {}): ReceiptView {
  return receiptView({
    id: "r-2",
    number: "S1-C1-R000007",
    kind: "return",
    original_number: "S1-C1-000042",
    change_minor: 0,
    text: ["MEENA STORES", "RETURN S1-C1-R000007", "Refund ₹899.00"],
    ...overrides,
  });
}
