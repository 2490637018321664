import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

import { invoke } from "@tauri-apps/api/core";
import type { ProductView } from "./bindings";
import ProductForm from "./ProductForm.svelte";
import { deferred, product } from "./testing";

const invokeMock = vi.mocked(invoke);

function setup(existing: ProductView | null = null) {
  const onSaved = vi.fn();
  const onCancel = vi.fn();
  const result = render(ProductForm, { product: existing, currency: "INR", onSaved, onCancel });
  return { ...result, onSaved, onCancel };
}

function input(label: string): HTMLInputElement {
  return screen.getByLabelText(label) as HTMLInputElement;
}

async function fill(values: Partial<Record<"Name" | "Price" | "SKU" | "Barcode", string>>) {
  for (const [label, value] of Object.entries(values)) {
    await fireEvent.input(input(label), { target: { value } });
  }
}

async function save() {
  await fireEvent.click(screen.getByRole("button", { name: "Save" }));
}

function errorFor(label: string): HTMLElement | null {
  const id = input(label).getAttribute("aria-describedby");
  return id ? document.getElementById(id) : null;
}

beforeEach(() => {
  invokeMock.mockReset();
  vi.spyOn(console, "error").mockImplementation(() => {});
});

describe("ProductForm: add", () => {
  it("has the heading, the four labelled fields and the buttons", () => {
    setup();
    expect(screen.getByRole("heading", { level: 1, name: "Add product" })).toBeTruthy();
    for (const label of ["Name", "Price", "SKU", "Barcode"]) {
      expect(input(label).value).toBe("");
    }
    expect(input("Price").getAttribute("inputmode")).toBe("decimal");
    expect(input("Price").getAttribute("placeholder")).toBe("0.00");
    expect(screen.getByRole("button", { name: "Save" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Cancel" })).toBeTruthy();
    expect(document.activeElement).toBe(input("Name"));
  });

  it("shows client-side errors beside the fields and saves nothing", async () => {
    setup();
    await fill({ Price: "12,50", Barcode: "8901030865233" });
    await save();
    expect(invokeMock).not.toHaveBeenCalled();
    expect(input("Name").getAttribute("aria-invalid")).toBe("true");
    expect(input("Name").getAttribute("aria-describedby")).toBe("name-error");
    expect(errorFor("Name")?.textContent).toBe("Enter a product name.");
    expect(errorFor("Price")?.id).toBe("price-error");
    expect(errorFor("Price")?.textContent).toBe("Enter a price like 1299.50.");
    expect(errorFor("Barcode")?.id).toBe("barcode-error");
    expect(errorFor("Barcode")?.textContent).toBe("The check digit should be 7, not 3.");
    expect(input("SKU").hasAttribute("aria-invalid")).toBe(false);
    await waitFor(() => expect(document.activeElement).toBe(input("Name")));
  });

  it("clears an error as soon as the field is fixed", async () => {
    setup();
    await save();
    expect(errorFor("Name")).toBeTruthy();
    await fill({ Name: "Silk saree" });
    expect(input("Name").hasAttribute("aria-invalid")).toBe(false);
    expect(document.getElementById("name-error")).toBeNull();
  });

  it("checks the barcode when leaving the field", async () => {
    setup();
    await fill({ Barcode: "96385075" });
    await fireEvent.blur(input("Barcode"));
    expect(errorFor("Barcode")?.textContent).toBe("The check digit should be 4, not 5.");
  });

  it("sends the typed text to Rust and reports back", async () => {
    const { onSaved } = setup();
    await fill({ Name: " Silk saree ", Price: "1299.50", SKU: "SAR-001", Barcode: "4006381333931" });
    const created = product();
    invokeMock.mockResolvedValueOnce(created);
    await save();
    expect(invokeMock).toHaveBeenCalledWith("create_product", {
      input: { name: "Silk saree", price: "1299.50", sku: "SAR-001", barcode: "4006381333931" },
    });
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith(created));
  });

  it("submits with Enter in a field", async () => {
    const { onSaved, container } = setup();
    await fill({ Name: "Silk saree", Price: "10" });
    invokeMock.mockResolvedValueOnce(product());
    await fireEvent.submit(container.querySelector("form") as HTMLFormElement);
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
  });

  it.each([
    ["name_too_long", "Name", "name-error"],
    ["price_invalid", "Price", "price-error"],
    ["sku_taken", "SKU", "sku-error"],
    ["sku_invalid", "SKU", "sku-error"],
    ["barcode_taken", "Barcode", "barcode-error"],
    ["barcode_invalid", "Barcode", "barcode-error"],
  ])("shows Rust's %s beside %s", async (code, label, errorId) => {
    const { onSaved } = setup();
    await fill({ Name: "Silk saree", Price: "10" });
    const message = `Server says no (${code}).`;
    invokeMock.mockRejectedValueOnce({ code, message });
    await save();
    await waitFor(() => expect(errorFor(label)?.textContent).toBe(message));
    expect(errorFor(label)?.id).toBe(errorId);
    expect(input(label).getAttribute("aria-invalid")).toBe("true");
    expect(screen.queryByRole("alert")).toBeNull();
    expect(onSaved).not.toHaveBeenCalled();
  });

  it("shows other Rust errors as a general alert", async () => {
    setup();
    await fill({ Name: "Silk saree", Price: "10" });
    invokeMock.mockRejectedValueOnce({ code: "store_failed", message: "Could not write to the shop's data." });
    await save();
    expect((await screen.findByRole("alert")).textContent).toBe("Could not write to the shop's data.");
  });

  it("shows a general message for a rejection that is not an IpcError", async () => {
    setup();
    await fill({ Name: "Silk saree", Price: "10" });
    invokeMock.mockRejectedValueOnce(new Error("IPC bridge missing"));
    await save();
    expect((await screen.findByRole("alert")).textContent).toBe("Something went wrong. Please try again.");
  });

  it("does not save twice while saving", async () => {
    setup();
    await fill({ Name: "Silk saree", Price: "10" });
    const pending = deferred<ProductView>();
    invokeMock.mockReturnValueOnce(pending.promise);
    await save();
    await save();
    expect(invokeMock).toHaveBeenCalledTimes(1);
    pending.resolve(product());
  });

  it("cancels with the button and with Escape", async () => {
    const { onCancel } = setup();
    await fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    await fireEvent.keyDown(input("Name"), { key: "Escape" });
    expect(onCancel).toHaveBeenCalledTimes(2);
    expect(invokeMock).not.toHaveBeenCalled();
  });
});

describe("ProductForm: edit", () => {
  it("starts from the product and updates it", async () => {
    const existing = product({ sku: null, barcode: null, price_minor: 5 });
    const { onSaved } = setup(existing);
    expect(screen.getByRole("heading", { level: 1, name: "Edit product" })).toBeTruthy();
    expect(input("Name").value).toBe("Silk saree");
    expect(input("Price").value).toBe("0.05");
    expect(input("SKU").value).toBe("");
    expect(input("Barcode").value).toBe("");
    await fill({ Price: "1499" });
    invokeMock.mockResolvedValueOnce({ ...existing, price_minor: 149900 });
    await save();
    expect(invokeMock).toHaveBeenCalledWith("update_product", {
      id: "p-1",
      input: { name: "Silk saree", price: "1499", sku: "", barcode: "" },
    });
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
  });

  it("uses no decimals for JPY", () => {
    setup(product({ currency: "JPY", price_minor: 1500 }));
    expect(input("Price").value).toBe("1500");
    expect(input("Price").getAttribute("placeholder")).toBe("0");
  });
});
