// Data for the point-of-sale component tests (not part of the app bundle).
// Test files mock "@tauri-apps/api/core" themselves.
import type {
  CartLineView,
  CartView,
  CustomerView,
  PosSettingsView,
  PosStateView,
  ReceiptView,
  ShiftReportView,
  TotalsView,
} from "../../bindings";

export function settings(overrides: Partial<PosSettingsView> = {}): PosSettingsView {
  return {
    shop_name: "Lakshmi Sarees",
    shop_address: "MG Road",
    gstin: "",
    state_code: "29",
    upi_id: "lakshmi@upi",
    prices_include_tax: true,
    rounding_mode: "half_up",
    tax_rounding: "line",
    cash_step: "100",
    receipt_prefix: "S1-C1",
    yearly_reset: false,
    scale_prefixes: "",
    cashier_discount_limit: "5",
    printer_path: "/tmp/receipts",
    paper: "80mm",
    utc_offset: "+05:30",
    ...overrides,
  };
}

export function shift(overrides: Partial<ShiftReportView> = {}): ShiftReportView {
  return {
    shift_id: "sh-1",
    kind: "X",
    opened_by: "Ravi",
    opened_at_ms: 0,
    closed_by: null,
    closed_at_ms: null,
    float_minor: 200000,
    sale_count: 0,
    return_count: 0,
    gross_sales_minor: 0,
    discounts_minor: 0,
    refunds_minor: 0,
    tax_minor: 0,
    taxes: [],
    rounding_minor: 0,
    net_minor: 0,
    by_method: [],
    cash_movements: [],
    expected_cash_minor: 200000,
    counted_cash_minor: null,
    over_short_minor: null,
    ...overrides,
  };
}

export function line(overrides: Partial<CartLineView> = {}): CartLineView {
  return {
    line_id: "l-1",
    variant_id: "v-1",
    name: "Silk saree (Red)",
    sku: "SAR-R",
    hsn: "5007",
    quantity_milli: 1000,
    unit_price_minor: 118000,
    price_source: "catalog",
    discount: null,
    gross_minor: 118000,
    discount_minor: 0,
    taxes: [
      { name: "CGST", rate_ppm: 90000, amount_minor: 9000 },
      { name: "SGST", rate_ppm: 90000, amount_minor: 9000 },
    ],
    tax_minor: 18000,
    total_minor: 118000,
    ...overrides,
  };
}

/** Totals of the lines, summed here only because the fake core has to. */
function totalsOf(lines: CartLineView[]): TotalsView {
  const sum = (pick: (l: CartLineView) => number) => lines.reduce((acc, l) => acc + pick(l), 0);
  const taxes = new Map<string, { name: string; rate_ppm: number; amount_minor: number }>();
  for (const l of lines) {
    for (const t of l.taxes) {
      const key = `${t.name}-${t.rate_ppm}`;
      const seen = taxes.get(key);
      if (seen) seen.amount_minor += t.amount_minor;
      else taxes.set(key, { ...t });
    }
  }
  return {
    gross_minor: sum((l) => l.gross_minor),
    discount_minor: sum((l) => l.discount_minor),
    taxable_minor: sum((l) => l.total_minor - l.tax_minor),
    tax_minor: sum((l) => l.tax_minor),
    total_minor: sum((l) => l.total_minor),
    taxes: [...taxes.values()],
    hsn: [],
  };
}

export function cartOf(lines: CartLineView[] = [], overrides: Partial<CartView> = {}): CartView {
  return {
    lines,
    cart_discount: null,
    customer: null,
    inter_state: false,
    totals: totalsOf(lines),
    focus_line_id: lines[lines.length - 1]?.line_id ?? null,
    ...overrides,
  };
}

export function posStateOf(overrides: Partial<PosStateView> = {}): PosStateView {
  return { shift: shift(), cart: cartOf(), parked: [], settings: settings(), ...overrides };
}

export function customer(overrides: Partial<CustomerView> = {}): CustomerView {
  return { id: "cu-1", name: "Meera", phone: "9876543210", gstin: null, store_credit_minor: 0, ...overrides };
}

export function receiptOf(overrides: Partial<ReceiptView> = {}): ReceiptView {
  const cart = cartOf([line()]);
  return {
    id: "r-1",
    number: "S1-C1-000001",
    kind: "sale",
    original_number: null,
    at_ms: 0,
    cashier: "Ravi",
    customer: null,
    lines: [],
    totals: cart.totals,
    rounding_minor: 0,
    grand_total_minor: 118000,
    payments: [],
    change_minor: 0,
    text: ["Lakshmi Sarees", "Silk saree (Red)   1,180.00", "TOTAL   1,180.00"],
    ...overrides,
  };
}

/** "1299.50" → 129950, for the fake core only (the app never parses money). */
export function paise(text: string): number {
  const [whole = "0", fraction = ""] = text.trim().split(".");
  return Number(whole) * 100 + Number(fraction.padEnd(2, "0").slice(0, 2));
}
