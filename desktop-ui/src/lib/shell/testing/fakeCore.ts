// A small in-memory stand-in for the Rust commands, for the shell's tests.
// The test file must `vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }))`.
import { invoke } from "@tauri-apps/api/core";
import { vi } from "vitest";
import type { PersonView, SignedInView } from "../../bindings";

export const ALL_PERMISSIONS = [
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
  "manage_settings",
];

export const PERMISSIONS: Record<string, string[]> = {
  owner: ALL_PERMISSIONS,
  manager: ALL_PERMISSIONS.filter((p) => p !== "manage_staff"),
  cashier: ["view_catalog", "sell"],
};

export function person(overrides: Partial<PersonView> = {}): PersonView {
  return { id: "s-asha", name: "Asha", role: "owner", archived: false, locked_until_ms: null, ...overrides };
}

export function signedIn(p: PersonView): SignedInView {
  return { id: p.id, name: p.name, role: p.role, permissions: PERMISSIONS[p.role] ?? [] };
}

export function ipcError(code: string, message: string, field: string | null = null) {
  return { code, message, field };
}

type Handler = (args: Record<string, unknown>) => unknown;

/**
 * Answers `invoke` from a table of handlers; an unknown command rejects like
 * core does. Every call is recorded in `calls`.
 */
export function fakeCore(handlers: Record<string, Handler>): { calls: Array<[string, unknown]> } {
  const calls: Array<[string, unknown]> = [];
  vi.mocked(invoke).mockImplementation(async (command: string, args?: unknown) => {
    calls.push([command, args]);
    const handler = handlers[command];
    if (!handler) throw ipcError("input_invalid", `No fake for ${command}.`);
    return handler((args ?? {}) as Record<string, unknown>);
  });
  return { calls };
}
