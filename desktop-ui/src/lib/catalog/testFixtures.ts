// Data and a fake core for the catalog and stock component tests (not part of
// the app bundle). Test files mock "@tauri-apps/api/core" themselves.
import type {
  CategoryView,
  MovementView,
  ProductDetailView,
  ProductRowView,
  SignedInView,
  VariantView,
} from "../bindings";
import { session } from "../session.svelte";

export const ALL = [
  "view_catalog",
  "sell",
  "manage_catalog",
  "change_price",
  "change_cost",
  "view_cost",
  "receive_stock",
  "adjust_stock",
  "count_stock",
  "transfer_stock",
  "manage_staff",
  "view_audit_log",
  "view_reports",
  "approve_override",
];
export const CASHIER = ["view_catalog", "sell"];

/** Signs someone in with exactly these permissions. */
export function signInWith(permissions: string[], role: SignedInView["role"] = "owner") {
  session.signedIn = { id: "s-1", name: "Asha", role, permissions };
}

export function variant(overrides: Partial<VariantView> = {}): VariantView {
  return {
    id: "v-1",
    option_values: [],
    sku: null,
    price_minor: 89900,
    cost_minor: 50000,
    currency: "INR",
    barcodes: [],
    on_hand_milli: 0,
    low_stock_milli: null,
    ...overrides,
  };
}

/** A kurta in sizes M and L. */
export function kurta(overrides: Partial<ProductDetailView> = {}): ProductDetailView {
  return {
    id: "p-1",
    name: "Cotton kurta",
    description: "",
    category_id: null,
    tax_class: null,
    hsn_code: "6211",
    status: "active",
    show_on_storefront: false,
    option_names: ["Size"],
    variants: [
      variant({ id: "v-1", option_values: ["M"], sku: "KUR-M", price_minor: 89900, on_hand_milli: 12000 }),
      variant({
        id: "v-2",
        option_values: ["L"],
        sku: "KUR-L",
        price_minor: 94950,
        on_hand_milli: 2000,
        low_stock_milli: 3000,
      }),
    ],
    images: [],
    ...overrides,
  };
}

export const CATEGORIES: CategoryView[] = [
  { id: "c-1", parent_id: null, name: "Clothing", path: "Clothing", depth: 0 },
  { id: "c-2", parent_id: "c-1", name: "Kurtas", path: "Clothing › Kurtas", depth: 1 },
  { id: "c-3", parent_id: "c-1", name: "Sarees", path: "Clothing › Sarees", depth: 1 },
  { id: "c-4", parent_id: "c-3", name: "Silk", path: "Clothing › Sarees › Silk", depth: 2 },
  { id: "c-5", parent_id: null, name: "Groceries", path: "Groceries", depth: 0 },
];

export function productRow(n: number, overrides: Partial<ProductRowView> = {}): ProductRowView {
  const label = String(n).padStart(6, "0");
  return {
    id: `p-${label}`,
    name: `Product ${label}`,
    status: "active",
    variant_id: `v-${label}`,
    price_minor: 10000000,
    currency: "INR",
    sku: `SKU-${label}`,
    barcode: null,
    category: "Kurtas",
    variant_count: 3,
    ...overrides,
  };
}

export function movement(overrides: Partial<MovementView> = {}): MovementView {
  return {
    id: "m-1",
    at_ms: Date.UTC(2025, 0, 15, 5, 30),
    kind: "receive",
    quantity_milli: 5000,
    reason: null,
    note: null,
    staff_name: "Asha",
    shop_name: "Main shop",
    ...overrides,
  };
}

export function ipcError(code: string, message: string, field: string | null = null) {
  return { code, message, field };
}

type Handler = (args: Record<string, unknown>) => unknown;

/**
 * An invoke implementation answering from a table of handlers; an unknown
 * command rejects like core does. Use: invokeMock.mockImplementation(fakeCore({...}) as never).
 */
export function fakeCore(handlers: Record<string, Handler>) {
  return async (command: string, args?: unknown): Promise<unknown> => {
    const handler = handlers[command];
    if (!handler) throw ipcError("input_invalid", `The fake core has no ${command}.`);
    return handler((args ?? {}) as Record<string, unknown>);
  };
}
