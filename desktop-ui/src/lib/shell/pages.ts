// The app's pages, in nav order: the counter's first, then the back office. A page
// with a permission is hidden (not just disabled) from people without it.

export type PageId =
  | "sell"
  | "shift"
  | "returns"
  | "receipts"
  | "customers"
  | "products"
  | "reorder"
  | "categories"
  | "staff"
  | "audit"
  | "import"
  | "counter"
  | "shop"
  | "sync";

export type PageInfo = { id: PageId; label: string; permission: string | null };

export const PAGES: readonly PageInfo[] = [
  { id: "sell", label: "Sell", permission: "sell" },
  { id: "shift", label: "Shift", permission: "sell" },
  { id: "returns", label: "Returns", permission: "sell" },
  { id: "receipts", label: "Receipts", permission: "sell" },
  { id: "customers", label: "Customers", permission: "sell" },
  { id: "products", label: "Products", permission: null },
  { id: "reorder", label: "Reorder", permission: null },
  { id: "categories", label: "Categories", permission: null },
  { id: "staff", label: "Staff", permission: "manage_staff" },
  { id: "audit", label: "Audit log", permission: "view_audit_log" },
  { id: "import", label: "Import / export", permission: "manage_catalog" },
  { id: "counter", label: "Counter settings", permission: "manage_settings" },
  { id: "shop", label: "Shop details", permission: "manage_settings" },
  { id: "sync", label: "Sync", permission: "manage_settings" },
];

/** The pages someone with these permissions sees, in nav order. */
export function visiblePages(can: (permission: string) => boolean): PageInfo[] {
  return PAGES.filter((p) => p.permission === null || can(p.permission));
}

/**
 * Where someone lands after signing in: the counter for those who only sell, the
 * catalog for those who run the shop.
 */
export function landingPage(can: (permission: string) => boolean): PageId {
  return can("sell") && !can("manage_catalog") ? "sell" : "products";
}
