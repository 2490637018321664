import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

import { invoke } from "@tauri-apps/api/core";
import type { ProductDetailView, ProductRowView } from "../bindings";
import { session } from "../session.svelte";
import { fakeCore, ipcError, person, signedIn } from "../shell/testing/fakeCore";
import ReturnsPage from "./ReturnsPage.svelte";
import { MEENA, line, receiptView, returnView } from "./returns/testing";

const props = { locale: "en-IN", currency: "INR" };

beforeEach(() => {
  vi.mocked(invoke).mockReset();
  session.signedIn = signedIn(person({ role: "cashier", name: "Ravi", id: "s-ravi" }));
});

afterEach(() => {
  session.signedIn = null;
});

async function findSale(number = "S1-C1-000042") {
  const input = screen.getByLabelText("Receipt number");
  await fireEvent.input(input, { target: { value: number } });
  await fireEvent.click(screen.getByRole("button", { name: "Find receipt" }));
}

describe("ReturnsPage", () => {
  it("finds a sale, refunds the chosen lines and shows the return receipt", async () => {
    const onDone = vi.fn();
    const { calls } = fakeCore({ receipt: () => receiptView(), return_items: () => returnView() });
    render(ReturnsPage, { ...props, onDone });
    expect(document.activeElement).toBe(screen.getByLabelText("Receipt number"));
    await findSale();

    const table = await screen.findByRole("table", { name: "Sold items" });
    const rice = within(table).getByRole("rowheader", { name: "Rice 1kg" }).closest("tr")!;
    expect(within(rice).getAllByRole("cell").map((c) => c.textContent?.trim())).toEqual([
      "3",
      "1",
      "₹60.00",
      "₹180.00",
      "Return quantity, Rice 1kg",
    ]);
    const kurta = screen.getByLabelText("Return quantity, Cotton kurta") as HTMLInputElement;
    expect(kurta.value).toBe("0");
    expect((screen.getByLabelText("Put items back in stock") as HTMLInputElement).checked).toBe(true);
    // No customer on the sale: nobody to hold store credit.
    const method = screen.getByLabelText("Refund method") as HTMLSelectElement;
    expect(Array.from(method.options).map((o) => o.text)).toEqual(["Cash", "Card", "UPI"]);

    await fireEvent.input(kurta, { target: { value: "1" } });
    await fireEvent.click(screen.getByLabelText("Put items back in stock"));
    await fireEvent.change(method, { target: { value: "upi" } });
    await fireEvent.input(screen.getByLabelText("Reference"), { target: { value: "UPI-778" } });
    await fireEvent.click(screen.getByRole("button", { name: "Refund" }));

    await screen.findByRole("heading", { name: "Return S1-C1-R000007" });
    expect(calls.find(([c]) => c === "receipt")?.[1]).toEqual({ number: "S1-C1-000042" });
    expect(calls.find(([c]) => c === "return_items")?.[1]).toEqual({
      input: {
        receipt_number: "S1-C1-000042",
        lines: [{ line_id: "l-1", quantity: "1" }],
        restock: false,
        method: "upi",
        reference: "UPI-778",
      },
    });
    expect(screen.getByLabelText("Receipt").textContent).toMatch(/Refund ₹899.00/);
    expect(onDone).toHaveBeenCalledOnce();

    await fireEvent.click(screen.getByRole("button", { name: "New return" }));
    const number = screen.getByLabelText("Receipt number") as HTMLInputElement;
    expect(number.value).toBe("");
    expect(document.activeElement).toBe(number);
  });

  it("puts a line's quantity error beside that line, counting only the lines sent", async () => {
    fakeCore({
      receipt: () => receiptView({ customer: MEENA }),
      return_items: () =>
        Promise.reject(ipcError("return_invalid", "Only 2 of Rice 1kg are left to return.", "lines.0.quantity")),
    });
    render(ReturnsPage, props);
    // Enter in the box submits its form, as a scanner ending with Enter does.
    const number = screen.getByLabelText("Receipt number");
    await fireEvent.input(number, { target: { value: "S1-C1-000042" } });
    await fireEvent.submit(number.closest("form")!);
    await screen.findByRole("table", { name: "Sold items" });
    const method = screen.getByLabelText("Refund method") as HTMLSelectElement;
    expect(Array.from(method.options).map((o) => o.text)).toContain("Store credit");

    const rice = screen.getByLabelText("Return quantity, Rice 1kg");
    await fireEvent.input(rice, { target: { value: "5" } });
    await fireEvent.click(screen.getByRole("button", { name: "Refund" }));

    await waitFor(() => expect(rice.getAttribute("aria-invalid")).toBe("true"));
    expect(document.getElementById(rice.getAttribute("aria-describedby")!)?.textContent).toBe(
      "Only 2 of Rice 1kg are left to return.",
    );
    expect(screen.getByLabelText("Return quantity, Cotton kurta").getAttribute("aria-invalid")).toBeNull();
    await waitFor(() => expect(document.activeElement).toBe(rice));
  });

  it("asks for a quantity before calling core, and shows an unknown receipt beside the number", async () => {
    const { calls } = fakeCore({
      receipt: (a) =>
        a.number === "S1-C1-000042"
          ? receiptView({ lines: [line()] })
          : Promise.reject(ipcError("not_found", "No receipt numbered X-1 on this counter.")),
    });
    render(ReturnsPage, props);
    await findSale("X-1");
    const number = screen.getByLabelText("Receipt number");
    await waitFor(() => expect(number.getAttribute("aria-invalid")).toBe("true"));
    expect(document.getElementById(number.getAttribute("aria-describedby")!)?.textContent).toMatch(/No receipt/);

    await findSale();
    await screen.findByRole("table", { name: "Sold items" });
    await fireEvent.click(screen.getByRole("button", { name: "Refund" }));
    expect(screen.getByRole("alert").textContent).toBe("Type how many of an item come back.");
    expect(calls.some(([c]) => c === "return_items")).toBe(false);
  });

  it("refuses to return against a return receipt", async () => {
    fakeCore({ receipt: () => returnView() });
    render(ReturnsPage, props);
    await findSale("S1-C1-R000007");
    await screen.findByText("S1-C1-R000007 is a return. Look up the sale it came from (S1-C1-000042).");
    expect(screen.queryByRole("table", { name: "Sold items" })).toBeNull();
  });

  describe("without a receipt", () => {
    const SAREE: ProductRowView = {
      id: "p-1",
      name: "Silk saree",
      status: "active",
      variant_id: "v-red",
      price_minor: 250000,
      currency: "INR",
      sku: "SAR-1",
      barcode: null,
      category: null,
      variant_count: 2,
    };
    const DETAIL = {
      id: "p-1",
      name: "Silk saree",
      variants: [
        { id: "v-red", option_values: ["Red"], sku: "SAR-1", price_minor: 250000 },
        { id: "v-blue", option_values: ["Blue"], sku: "SAR-2", price_minor: 260000 },
      ],
    } as unknown as ProductDetailView;

    it("searches, picks a variant and refunds with a manager's PIN", async () => {
      const onDone = vi.fn();
      const { calls } = fakeCore({
        search_products: () => [SAREE],
        get_product: () => DETAIL,
        return_without_receipt: () => returnView({ original_number: null }),
      });
      render(ReturnsPage, { ...props, onDone });
      await fireEvent.click(screen.getByRole("button", { name: "Return without receipt" }));
      await fireEvent.input(screen.getByLabelText("Find item"), { target: { value: "saree" } });
      await fireEvent.click(screen.getByRole("button", { name: "Search items" }));
      await fireEvent.click(await screen.findByRole("button", { name: "Silk saree" }));

      const variant = (await screen.findByLabelText("Variant")) as HTMLSelectElement;
      await fireEvent.change(variant, { target: { value: "v-blue" } });
      expect((screen.getByLabelText("Amount") as HTMLInputElement).value).toBe("2600.00");
      await fireEvent.input(screen.getByLabelText("Quantity"), { target: { value: "1" } });
      await fireEvent.input(screen.getByLabelText("Amount"), { target: { value: "2500" } });
      await fireEvent.input(screen.getByLabelText("Manager PIN"), { target: { value: "4829" } });
      await fireEvent.click(screen.getByRole("button", { name: "Refund without receipt" }));

      await screen.findByRole("heading", { name: "Return S1-C1-R000007" });
      expect(calls.find(([c]) => c === "search_products")?.[1]).toEqual({
        query: { text: "saree", category_id: null, status: null, limit: 20, offset: 0 },
      });
      expect(calls.find(([c]) => c === "return_without_receipt")?.[1]).toEqual({
        input: {
          variant_id: "v-blue",
          quantity: "1",
          amount: "2500",
          restock: true,
          method: "cash",
          reference: "",
          approver_pin: "4829",
        },
      });
      expect(onDone).toHaveBeenCalledOnce();
    });

    it("shows a wrong PIN beside the PIN and clears it", async () => {
      fakeCore({
        search_products: () => [{ ...SAREE, variant_count: 1 }],
        return_without_receipt: () => Promise.reject(ipcError("pin_wrong", "No manager or owner has that PIN.")),
      });
      render(ReturnsPage, props);
      await fireEvent.click(screen.getByRole("button", { name: "Return without receipt" }));
      await fireEvent.input(screen.getByLabelText("Find item"), { target: { value: "SAR-1" } });
      await fireEvent.click(screen.getByRole("button", { name: "Search items" }));
      await fireEvent.click(await screen.findByRole("button", { name: "Silk saree" }));
      expect((screen.getByLabelText("Amount") as HTMLInputElement).value).toBe("2500.00");
      const pin = screen.getByLabelText("Manager PIN") as HTMLInputElement;
      await fireEvent.input(pin, { target: { value: "1111" } });
      await fireEvent.click(screen.getByRole("button", { name: "Refund without receipt" }));

      await waitFor(() => expect(pin.getAttribute("aria-invalid")).toBe("true"));
      expect(document.getElementById(pin.getAttribute("aria-describedby")!)?.textContent).toBe(
        "No manager or owner has that PIN.",
      );
      expect(pin.value).toBe("");
    });
  });
});
