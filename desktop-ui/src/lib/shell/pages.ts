// The back office's pages, in nav order. A page with a permission is hidden
// (not just disabled) from people without it.

export type PageId = "products" | "reorder" | "categories" | "staff" | "audit" | "import";

export type PageInfo = { id: PageId; label: string; permission: string | null };

export const PAGES: readonly PageInfo[] = [
  { id: "products", label: "Products", permission: null },
  { id: "reorder", label: "Reorder", permission: null },
  { id: "categories", label: "Categories", permission: null },
  { id: "staff", label: "Staff", permission: "manage_staff" },
  { id: "audit", label: "Audit log", permission: "view_audit_log" },
  { id: "import", label: "Import / export", permission: "manage_catalog" },
];

/** The pages someone with these permissions sees, in nav order. */
export function visiblePages(can: (permission: string) => boolean): PageInfo[] {
  return PAGES.filter((p) => p.permission === null || can(p.permission));
}
