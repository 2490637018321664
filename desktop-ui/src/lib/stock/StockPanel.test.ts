import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

import { invoke } from "@tauri-apps/api/core";
import type { MovementView, ProductDetailView } from "../bindings";
import { ALL, CASHIER, fakeCore, ipcError, kurta, movement, signInWith } from "../catalog/testFixtures";
import { session } from "../session.svelte";
import StockPanel from "./StockPanel.svelte";

const invokeMock = vi.mocked(invoke);

const HISTORY: MovementView[] = [
  movement({ id: "m-3", at_ms: Date.UTC(2025, 0, 17, 6), kind: "count", quantity_milli: -1000, staff_name: "Ravi" }),
  movement({
    id: "m-2",
    at_ms: Date.UTC(2025, 0, 16, 6),
    kind: "adjustment",
    quantity_milli: -2000,
    reason: "damaged",
    note: "Torn seam",
  }),
  movement({
    id: "m-1",
    at_ms: Date.UTC(2025, 0, 15, 6),
    kind: "receive",
    quantity_milli: 1_500_000,
    note: "Invoice 42",
  }),
];

function argsOf(command: string): Record<string, unknown>[] {
  return invokeMock.mock.calls.filter((c) => c[0] === command).map((c) => c[1] as Record<string, unknown>);
}

function field(label: string): HTMLInputElement {
  return screen.getByLabelText(label) as HTMLInputElement;
}

type Handlers = Record<string, (args: Record<string, unknown>) => unknown>;

function setup(product: ProductDetailView = kurta(), extra: Handlers = {}) {
  const onChanged = vi.fn();
  invokeMock.mockImplementation(
    fakeCore({
      stock_history: () => HISTORY,
      get_product: () => kurta({ variants: product.variants.map((v) => ({ ...v, on_hand_milli: 99000 })) }),
      receive_stock: () => HISTORY,
      adjust_stock: () => HISTORY,
      count_stock: () => [HISTORY[0]],
      set_low_stock_threshold: () => null,
      ...extra,
    }) as never,
  );
  render(StockPanel, { props: { product, locale: "en-IN", onChanged } });
  return { onChanged };
}

beforeEach(() => {
  invokeMock.mockReset();
  vi.spyOn(console, "error").mockImplementation(() => {});
  signInWith(ALL);
});

afterEach(() => {
  session.signedIn = null;
});

describe("StockPanel", () => {
  it("shows on-hand figures and the history newest first, as core sends it", async () => {
    setup();
    expect(screen.getByRole("heading", { name: "Stock" })).toBeTruthy();
    const history = await screen.findByRole("table", { name: "Stock history" });
    await waitFor(() => expect(within(history).getAllByRole("row")).toHaveLength(4));
    expect(argsOf("stock_history")).toEqual([{ variantId: "v-1" }]);
    const rows = within(history)
      .getAllByRole("row")
      .slice(1)
      .map((row) => Array.from(row.querySelectorAll("td")).slice(1).map((td) => td.textContent));
    expect(rows).toEqual([
      ["Counted", "-1", "Ravi", ""],
      ["Adjusted – Damaged", "-2", "Asha", "Torn seam"],
      ["Received", "+1,500", "Asha", "Invoice 42"],
    ]);

    const levels = screen.getByRole("table", { name: "On hand in this shop" });
    const large = within(levels).getByText("L").closest("tr") as HTMLElement;
    expect(large.textContent).toContain("Low");
    expect(within(large).getByText("3")).toBeTruthy();
  });

  it("receives the typed quantity and note, then refreshes the product", async () => {
    const { onChanged } = setup();
    await fireEvent.input(field("Quantity received"), { target: { value: "1,000.5" } });
    await fireEvent.input(field("Note"), { target: { value: "Invoice 43" } });
    await fireEvent.click(screen.getByRole("button", { name: "Record receipt" }));
    await waitFor(() =>
      expect(argsOf("receive_stock")).toEqual([{ variantId: "v-1", quantity: "1,000.5", note: "Invoice 43" }]),
    );
    await waitFor(() => expect(onChanged).toHaveBeenCalled());
    expect(argsOf("get_product")).toEqual([{ id: "p-1" }]);
    expect(await screen.findByText("Received 1,000.5 of Cotton kurta (M).")).toBeTruthy();
    expect(field("Quantity received").value).toBe("");
  });

  it("adjusts the chosen item with the chosen reason", async () => {
    setup();
    await fireEvent.change(field("Item"), { target: { value: "v-2" } });
    await waitFor(() => expect(argsOf("stock_history").at(-1)).toEqual({ variantId: "v-2" }));
    await fireEvent.input(field("Change by"), { target: { value: "-2" } });
    await fireEvent.click(screen.getByRole("button", { name: "Record adjustment" }));
    // No reason yet: asked for, nothing sent.
    const reason = field("Reason");
    expect(reason.getAttribute("aria-invalid")).toBe("true");
    expect(document.getElementById(reason.getAttribute("aria-describedby") ?? "")?.textContent).toBe(
      "Choose a reason.",
    );
    expect(argsOf("adjust_stock")).toHaveLength(0);

    await fireEvent.change(reason, { target: { value: "damaged" } });
    await fireEvent.input(field("Adjustment note"), { target: { value: "Torn seam" } });
    await fireEvent.click(screen.getByRole("button", { name: "Record adjustment" }));
    await waitFor(() =>
      expect(argsOf("adjust_stock")).toEqual([
        { variantId: "v-2", quantity: "-2", reason: "damaged", note: "Torn seam" },
      ]),
    );
  });

  it("records a count as one line of a stocktake", async () => {
    setup();
    await fireEvent.input(field("Counted on shelf"), { target: { value: "12" } });
    await fireEvent.click(screen.getByRole("button", { name: "Record count" }));
    await waitFor(() => expect(argsOf("count_stock")).toEqual([{ counts: [{ variant_id: "v-1", counted: "12" }] }]));
    await waitFor(() => expect(argsOf("stock_history")).toHaveLength(2));
  });

  it("saves and clears the low-stock alert", async () => {
    setup();
    await fireEvent.change(field("Item"), { target: { value: "v-2" } });
    expect(field("Low-stock alert at").value).toBe("3");
    await fireEvent.input(field("Low-stock alert at"), { target: { value: "" } });
    await fireEvent.click(screen.getByRole("button", { name: "Save alert" }));
    await waitFor(() => expect(argsOf("set_low_stock_threshold")).toEqual([{ variantId: "v-2", threshold: "" }]));
  });

  it("shows core's quantity error beside the quantity", async () => {
    const message = "Enter a number, such as 5 or 2.5.";
    setup(kurta(), {
      receive_stock: () => {
        throw ipcError("quantity_invalid", message);
      },
    });
    await fireEvent.input(field("Quantity received"), { target: { value: "five" } });
    await fireEvent.click(screen.getByRole("button", { name: "Record receipt" }));
    const quantity = field("Quantity received");
    await waitFor(() => expect(quantity.getAttribute("aria-invalid")).toBe("true"));
    expect(document.getElementById(quantity.getAttribute("aria-describedby") ?? "")?.textContent).toBe(message);
    expect(document.activeElement).toBe(quantity);
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("puts a missing quantity beside its field without asking core", async () => {
    setup();
    await fireEvent.click(screen.getByRole("button", { name: "Record count" }));
    expect(field("Counted on shelf").getAttribute("aria-invalid")).toBe("true");
    expect(argsOf("count_stock")).toHaveLength(0);
  });

  it("shows a cashier the figures without the forms", async () => {
    signInWith(CASHIER, "cashier");
    setup();
    await screen.findByRole("table", { name: "Stock history" });
    expect(screen.queryByLabelText("Quantity received")).toBeNull();
    expect(screen.queryByLabelText("Change by")).toBeNull();
    expect(screen.queryByLabelText("Counted on shelf")).toBeNull();
    expect(screen.queryByLabelText("Low-stock alert at")).toBeNull();
    expect(field("Item")).toBeTruthy();
  });
});
