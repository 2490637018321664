import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

import { invoke } from "@tauri-apps/api/core";
import App from "./App.svelte";
import type { ProductInput, ProductView } from "./lib/bindings";
import { product } from "./lib/testing";

const invokeMock = vi.mocked(invoke);

/** A tiny in-memory stand-in for the Rust commands. */
function fakeBackend(initial: ProductView[]) {
  let products = [...initial];
  let next = 100;
  invokeMock.mockImplementation(async (command: string, args?: unknown) => {
    const a = (args ?? {}) as { includeArchived?: boolean; id?: string; input?: ProductInput };
    switch (command) {
      case "get_shop":
        return { currency: "INR", locale: "en-IN" };
      case "list_products":
        return products.filter((p) => a.includeArchived || p.status === "active");
      case "create_product": {
        const input = a.input as ProductInput;
        if (products.some((p) => p.sku === input.sku && input.sku !== "")) {
          throw { code: "sku_taken", message: `Another product already uses SKU ${input.sku}.` };
        }
        const [whole = "0", frac = ""] = input.price.split(".");
        const created = product({
          id: `p-${next++}`,
          name: input.name,
          price_minor: Number(whole) * 100 + Number(frac.padEnd(2, "0")),
          sku: input.sku || null,
          barcode: input.barcode || null,
        });
        products = [created, ...products];
        return created;
      }
      default:
        throw { code: "input_invalid", message: `Unknown command ${command}` };
    }
  });
}

beforeEach(() => {
  invokeMock.mockReset();
});

describe("App", () => {
  it("adds a product and returns to the list with a status message", async () => {
    fakeBackend([]);
    render(App);
    expect(screen.getByText("Galla")).toBeTruthy();
    await screen.findByText("No products yet. Add your first product.");
    await fireEvent.click(screen.getByRole("button", { name: "Add product" }));
    expect(screen.getByRole("heading", { level: 1, name: "Add product" })).toBeTruthy();
    await fireEvent.input(screen.getByLabelText("Name"), { target: { value: "Silk saree" } });
    await fireEvent.input(screen.getByLabelText("Price"), { target: { value: "1299.50" } });
    await fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await screen.findByRole("heading", { level: 1, name: "Products" });
    expect(screen.getByRole("status").textContent).toBe("Saved Silk saree.");
    const row = (await screen.findByText("Silk saree")).closest("tr") as HTMLElement;
    expect(within(row).getByText("₹1,299.50")).toBeTruthy();
    await waitFor(() => expect(document.activeElement?.getAttribute("aria-label")).toBe("Edit Silk saree"));
  });

  it("shows a taken SKU beside the SKU field", async () => {
    fakeBackend([product()]);
    render(App);
    await screen.findByText("Silk saree");
    await fireEvent.keyDown(window, { key: "n", ctrlKey: true });
    await fireEvent.input(screen.getByLabelText("Name"), { target: { value: "Another saree" } });
    await fireEvent.input(screen.getByLabelText("Price"), { target: { value: "10" } });
    await fireEvent.input(screen.getByLabelText("SKU"), { target: { value: "SAR-001" } });
    await fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() =>
      expect(document.getElementById("sku-error")?.textContent).toBe("Another product already uses SKU SAR-001."),
    );
    expect(screen.getByRole("heading", { level: 1, name: "Add product" })).toBeTruthy();
  });

  it("Escape leaves the form without saving", async () => {
    fakeBackend([product()]);
    render(App);
    await fireEvent.click(await screen.findByRole("button", { name: "Edit Silk saree" }));
    expect(screen.getByRole("heading", { level: 1, name: "Edit product" })).toBeTruthy();
    await fireEvent.keyDown(screen.getByLabelText("Name"), { key: "Escape" });
    await screen.findByRole("heading", { level: 1, name: "Products" });
    expect(invokeMock.mock.calls.some(([command]) => command === "update_product")).toBe(false);
  });

  it("shows a readable error outside Tauri", async () => {
    invokeMock.mockRejectedValue(new TypeError("window.__TAURI_INTERNALS__ is undefined"));
    vi.spyOn(console, "error").mockImplementation(() => {});
    render(App);
    await waitFor(() => expect(screen.getAllByRole("alert").length).toBe(2));
    expect(screen.getByText(/Could not load your products\./)).toBeTruthy();
    expect(screen.getByRole("heading", { level: 1, name: "Products" })).toBeTruthy();
  });
});
