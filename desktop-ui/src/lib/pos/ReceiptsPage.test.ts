import { fireEvent, render, screen, within } from "@testing-library/svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

import { invoke } from "@tauri-apps/api/core";
import type { ReceiptView } from "../bindings";
import { session } from "../session.svelte";
import { fakeCore, ipcError, person, signedIn } from "../shell/testing/fakeCore";
import ReceiptsPage from "./ReceiptsPage.svelte";

const props = { locale: "en-IN", currency: "INR" };

const RECEIPT: ReceiptView = {
  id: "r-1",
  number: "S1-C1-000007",
  kind: "sale",
  original_number: null,
  at_ms: Date.UTC(2026, 10, 21, 6, 0),
  cashier: "Ravi",
  customer: null,
  lines: [],
  totals: { gross_minor: 11800, discount_minor: 0, taxable_minor: 10000, tax_minor: 1800, total_minor: 11800, taxes: [], hsn: [] },
  rounding_minor: 0,
  grand_total_minor: 11800,
  payments: [],
  change_minor: 0,
  text: ["Asha Textiles", "Receipt: S1-C1-000007", "Grand total      118.00"],
};

beforeEach(() => {
  vi.mocked(invoke).mockReset();
  session.signedIn = signedIn(person({ role: "cashier", name: "Ravi", id: "s-ravi" }));
});

afterEach(() => {
  session.signedIn = null;
});

describe("ReceiptsPage", () => {
  it("lists recent receipts and reprints one picked from the list", async () => {
    const { calls } = fakeCore({
      recent_receipts: () => [
        { number: "S1-C1-000007", kind: "sale", at_ms: RECEIPT.at_ms, customer_name: "Meena", grand_total_minor: 11800 },
      ],
      receipt: () => RECEIPT,
      print_receipt: () => ({ path: "/dev/usb/lp0", bytes: 512 }),
    });
    render(ReceiptsPage, props);
    const table = await screen.findByRole("table", { name: "Recent receipts" });
    expect(await within(table).findByText("₹118.00")).toBeTruthy();
    await fireEvent.click(within(table).getByRole("button", { name: "S1-C1-000007" }));
    expect((await screen.findByLabelText("Receipt")).textContent).toContain("Grand total      118.00");
    await fireEvent.click(screen.getByRole("button", { name: "Print receipt" }));
    expect(await screen.findByText("Printed to /dev/usb/lp0")).toBeTruthy();
    expect(calls.filter(([c]) => c === "print_receipt")).toEqual([["print_receipt", { number: "S1-C1-000007" }]]);
  });

  it("finds a receipt by its typed number and says so when there is none", async () => {
    fakeCore({
      recent_receipts: () => [],
      receipt: (a) => {
        if (a.number === "S1-C1-000007") return RECEIPT;
        throw ipcError("not_found", "No receipt numbered S1-C1-999 on this counter.");
      },
    });
    render(ReceiptsPage, props);
    expect(await screen.findByText("No sales on this counter yet.")).toBeTruthy();
    const box = screen.getByLabelText("Receipt to show");
    await fireEvent.input(box, { target: { value: "S1-C1-999" } });
    await fireEvent.click(screen.getByRole("button", { name: "Show receipt" }));
    expect((await screen.findByRole("alert")).textContent).toContain("No receipt numbered S1-C1-999");
    await fireEvent.input(box, { target: { value: "S1-C1-000007" } });
    await fireEvent.click(screen.getByRole("button", { name: "Show receipt" }));
    expect(await screen.findByRole("heading", { name: "Receipt S1-C1-000007" })).toBeTruthy();
    expect(screen.queryByRole("alert")).toBeNull();
  });
});
