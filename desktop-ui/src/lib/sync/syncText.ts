// Words for what core reports about sync. Core decides every state and figure; these
// only name them.
import type { SyncConnection } from "../bindings";

export const CONNECTION_LABELS: Readonly<Record<SyncConnection, string>> = {
  not_linked: "Not linked to a server",
  key_missing: "Key missing",
  never_synced: "Not synced yet",
  online: "Online",
  offline: "Offline",
  revoked: "Revoked",
};

const SCOPE_LABELS: Readonly<Record<string, string>> = {
  catalog: "Catalog",
  shops: "Shops",
  people: "Staff and customers",
  stock: "Stock",
  sales: "Sales and shifts",
  audit: "Audit log",
};

/** "Catalog", "Sales and shifts"; a scope this app does not know yet by its own name. */
export function scopeLabel(scope: string): string {
  return SCOPE_LABELS[scope] ?? scope;
}

/** "Nothing waiting", "1 change waiting", "12 changes waiting". */
export function waitingText(pending: number): string {
  if (pending === 0) return "Nothing waiting";
  return pending === 1 ? "1 change waiting" : `${pending} changes waiting`;
}
