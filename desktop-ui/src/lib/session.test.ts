import { beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

import { invoke } from "@tauri-apps/api/core";
import { call, can, session } from "./session.svelte";

const CASHIER = { id: "s-ravi", name: "Ravi", role: "cashier" as const, permissions: ["view_catalog", "sell"] };

beforeEach(() => {
  vi.mocked(invoke).mockReset();
  session.signedIn = CASHIER;
});

describe("session", () => {
  it("can() reads the signed-in person's permissions", () => {
    expect(can("sell")).toBe(true);
    expect(can("manage_catalog")).toBe(false);
    session.signedIn = null;
    expect(can("sell")).toBe(false);
  });

  it("call() passes arguments through and returns the answer", async () => {
    vi.mocked(invoke).mockResolvedValue([1, 2]);
    await expect(call("list_staff", { includeArchived: true })).resolves.toEqual([1, 2]);
    expect(invoke).toHaveBeenCalledWith("list_staff", { includeArchived: true }, undefined);
    expect(session.signedIn).toEqual(CASHIER);
  });

  it("call() signs out on signed_out and rethrows", async () => {
    const error = { code: "signed_out", message: "Sign in with your PIN to continue.", field: null };
    vi.mocked(invoke).mockRejectedValue(error);
    await expect(call("reorder_list")).rejects.toBe(error);
    expect(session.signedIn).toBeNull();
  });

  it("other errors leave the session alone", async () => {
    vi.mocked(invoke).mockRejectedValue({ code: "permission_denied", message: "No.", field: null });
    await expect(call("add_staff")).rejects.toMatchObject({ code: "permission_denied" });
    expect(session.signedIn).toEqual(CASHIER);
  });
});
