// Data for the shift page's tests (not part of the app bundle).
import type { PosSettingsView, PosStateView, ShiftReportView } from "../../bindings";

export function xReport(overrides: Partial<ShiftReportView> = {}): ShiftReportView {
  return {
    shift_id: "sh-1",
    kind: "X",
    opened_by: "Asha",
    opened_at_ms: Date.UTC(2025, 2, 12, 3, 30),
    closed_by: null,
    closed_at_ms: null,
    float_minor: 200000,
    sale_count: 3,
    return_count: 1,
    gross_sales_minor: 550000,
    discounts_minor: 5000,
    refunds_minor: 20000,
    tax_minor: 26190,
    taxes: [
      { name: "CGST", rate_ppm: 25000, amount_minor: 13095 },
      { name: "SGST", rate_ppm: 25000, amount_minor: 13095 },
    ],
    rounding_minor: -40,
    net_minor: 529960,
    by_method: [
      { method: "cash", sales_minor: 300000, refunds_minor: 20000, net_minor: 280000 },
      { method: "upi", sales_minor: 250000, refunds_minor: 0, net_minor: 250000 },
    ],
    cash_movements: [],
    expected_cash_minor: 480000,
    counted_cash_minor: null,
    over_short_minor: null,
    ...overrides,
  };
}

export function zReport(overrides: Partial<ShiftReportView> = {}): ShiftReportView {
  return xReport({
    kind: "Z",
    closed_by: "Asha",
    closed_at_ms: Date.UTC(2025, 2, 12, 14, 0),
    counted_cash_minor: 470000,
    over_short_minor: -10000,
    ...overrides,
  });
}

export const SETTINGS: PosSettingsView = {
  shop_name: "Meena Stores",
  shop_address: "12 MG Road\nBengaluru",
  gstin: "29ABCDE1234F1Z5",
  state_code: "29",
  upi_id: "meena@okbank",
  prices_include_tax: true,
  rounding_mode: "half_up",
  tax_rounding: "line",
  cash_step: "1.00",
  receipt_prefix: "S1-C1",
  yearly_reset: false,
  scale_prefixes: "21 weight",
  cashier_discount_limit: "10",
  printer_path: "/dev/usb/lp0",
  paper: "80mm",
  utc_offset: "+05:30",
};

export function posStateWith(shift: ShiftReportView | null): PosStateView {
  return {
    shift,
    cart: {
      lines: [],
      cart_discount: null,
      customer: null,
      inter_state: false,
      totals: {
        gross_minor: 0,
        discount_minor: 0,
        taxable_minor: 0,
        tax_minor: 0,
        total_minor: 0,
        taxes: [],
        hsn: [],
      },
      focus_line_id: null,
    },
    parked: [],
    settings: SETTINGS,
  };
}
