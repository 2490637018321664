import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({
  invoke: vi.fn(),
  convertFileSrc: (path: string, protocol: string) => `${protocol}://localhost/${path}`,
}));

import { invoke } from "@tauri-apps/api/core";
import type { ProductDetailView, ProductEditorInput } from "../bindings";
import { session } from "../session.svelte";
import { deferred } from "../testing";
import ProductEditor from "./ProductEditor.svelte";
import { ALL, CASHIER, CATEGORIES, fakeCore, ipcError, kurta, signInWith, variant } from "./testFixtures";

const invokeMock = vi.mocked(invoke);

function argsOf(command: string): Record<string, unknown>[] {
  return invokeMock.mock.calls.filter((c) => c[0] === command).map((c) => c[1] as Record<string, unknown>);
}

function input(label: string): HTMLInputElement {
  return screen.getByLabelText(label) as HTMLInputElement;
}

async function type(label: string, value: string) {
  await fireEvent.input(input(label), { target: { value } });
}

/** The text of the element(s) an input's aria-describedby points at. */
function description(element: HTMLElement): string {
  return (element.getAttribute("aria-describedby") ?? "")
    .split(" ")
    .filter((id) => id !== "")
    .map((id) => document.getElementById(id)?.textContent?.trim() ?? "")
    .join(" | ");
}

function setup(id: string | null, product: ProductDetailView = kurta()) {
  const onClose = vi.fn();
  invokeMock.mockImplementation(
    fakeCore({
      get_product: () => product,
      stock_history: () => [],
    }) as never,
  );
  const view = render(ProductEditor, {
    props: { id, locale: "en-IN", currency: "INR", categories: CATEGORIES, onClose },
  });
  return { ...view, onClose };
}

beforeEach(() => {
  invokeMock.mockReset();
  vi.spyOn(console, "error").mockImplementation(() => {});
  signInWith(ALL);
});

afterEach(() => {
  session.signedIn = null;
});

describe("ProductEditor: a new product", () => {
  it("sends two Size variants with a category as one ProductEditorInput", async () => {
    const { onClose } = setup(null);
    expect(screen.getByRole("heading", { level: 1, name: "New product" })).toBeTruthy();
    await waitFor(() => expect(document.activeElement).toBe(input("Name")));
    // A new product starts with one variant row and no options.
    expect(input("SKU, variant 1")).toBeTruthy();
    expect(screen.queryByLabelText("SKU, variant 2")).toBeNull();

    await type("Name", "Cotton kurta");
    await type("Description", "Hand-block printed.");
    await fireEvent.change(input("Category"), { target: { value: "c-2" } });
    await type("Tax class", "GST 5%");
    await type("HSN code", "6211");
    await fireEvent.change(input("Status"), { target: { value: "active" } });
    await fireEvent.click(input("Show on storefront"));

    await fireEvent.click(screen.getByRole("button", { name: "Add option" }));
    await waitFor(() => expect(document.activeElement).toBe(input("Option 1 name")));
    await type("Option 1 name", "Size");
    await type("Size, variant 1", "M");
    await type("SKU, variant 1", "KUR-M");
    await type("Price, variant 1", "899");
    await type("Cost, variant 1", "500");
    await type("Barcodes, variant 1", "4006381333931  96385074");

    await fireEvent.click(screen.getByRole("button", { name: "Add variant" }));
    await waitFor(() => expect(document.activeElement).toBe(input("Size, variant 2")));
    await type("Size, variant 2", "L");
    await type("SKU, variant 2", "KUR-L");
    await type("Price, variant 2", "949.50");

    const saved = kurta({ category_id: "c-2", status: "active", show_on_storefront: true });
    invokeMock.mockImplementation(
      fakeCore({ save_product: () => saved, stock_history: () => [] }) as never,
    );
    await fireEvent.click(screen.getByRole("button", { name: "Save" }));

    const expected: ProductEditorInput = {
      name: "Cotton kurta",
      description: "Hand-block printed.",
      category_id: "c-2",
      tax_class: "GST 5%",
      hsn_code: "6211",
      status: "active",
      show_on_storefront: true,
      option_names: ["Size"],
      variants: [
        {
          id: null,
          option_values: ["M"],
          sku: "KUR-M",
          price: "899",
          cost: "500",
          barcodes: ["4006381333931", "96385074"],
        },
        { id: null, option_values: ["L"], sku: "KUR-L", price: "949.50", cost: "", barcodes: [] },
      ],
    };
    await waitFor(() => expect(argsOf("save_product")).toEqual([{ id: null, input: expected }]));

    // Stays in the editor on the saved product, ready for pictures and stock.
    expect(await screen.findByRole("heading", { level: 1, name: "Edit Cotton kurta" })).toBeTruthy();
    expect(screen.getByText("Saved Cotton kurta.").getAttribute("role")).toBe("status");
    expect(screen.getByRole("heading", { name: "Pictures" })).toBeTruthy();
    expect(screen.getByRole("heading", { name: "Stock" })).toBeTruthy();
    expect(onClose).not.toHaveBeenCalled();

    // The next save updates the same product and its variants.
    invokeMock.mockImplementation(fakeCore({ save_product: () => saved, stock_history: () => [] }) as never);
    await fireEvent.keyDown(input("Name"), { key: "s", ctrlKey: true });
    await waitFor(() => expect(argsOf("save_product")).toHaveLength(2));
    const second = argsOf("save_product")[1] as { id: string; input: ProductEditorInput };
    expect(second.id).toBe("p-1");
    expect(second.input.variants.map((v) => v.id)).toEqual(["v-1", "v-2"]);

    await fireEvent.click(screen.getByRole("button", { name: "Back to products" }));
    expect(onClose).toHaveBeenCalledWith({ product: saved, created: true, openedId: null });
  });

  it("shows a wrong check digit beside the barcode box without asking core", async () => {
    setup(null);
    await type("Name", "Tea");
    await type("Price, variant 1", "10");
    await type("Barcodes, variant 1", "96385075");
    await fireEvent.blur(input("Barcodes, variant 1"));
    const box = input("Barcodes, variant 1");
    expect(box.getAttribute("aria-invalid")).toBe("true");
    expect(description(box)).toBe("The check digit should be 4, not 5.");

    await fireEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(argsOf("save_product")).toHaveLength(0);
    await waitFor(() => expect(document.activeElement).toBe(box));

    await type("Barcodes, variant 1", "96385074");
    expect(box.getAttribute("aria-invalid")).toBeNull();
  });

  it("asks for a name before sending", async () => {
    setup(null);
    await fireEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(description(input("Name"))).toBe("Enter a product name.");
    expect(argsOf("save_product")).toHaveLength(0);
  });

  it("removes an option from every variant", async () => {
    setup(null);
    await fireEvent.click(screen.getByRole("button", { name: "Add option" }));
    await type("Option 1 name", "Size");
    await fireEvent.click(screen.getByRole("button", { name: "Add option" }));
    await type("Option 2 name", "Colour");
    expect(input("Colour, variant 1")).toBeTruthy();
    await fireEvent.click(screen.getByRole("button", { name: "Add option" }));
    expect(screen.queryByRole("button", { name: "Add option" })).toBeNull(); // three at most
    await fireEvent.click(screen.getByRole("button", { name: "Remove option 1" }));
    expect(screen.queryByLabelText("Size, variant 1")).toBeNull();
    expect(input("Option 1 name").value).toBe("Colour");
  });
});

describe("ProductEditor: core's errors", () => {
  it("puts an error at variants.1.sku beside SKU, variant 2 and focuses it", async () => {
    setup("p-1");
    await screen.findByRole("heading", { level: 1, name: "Edit Cotton kurta" });
    const message = "Another product already uses SKU KUR-L.";
    invokeMock.mockRejectedValueOnce(ipcError("sku_taken", message, "variants.1.sku"));
    await fireEvent.click(screen.getByRole("button", { name: "Save" }));

    const sku = input("SKU, variant 2");
    await waitFor(() => expect(sku.getAttribute("aria-invalid")).toBe("true"));
    expect(description(sku)).toBe(message);
    expect(document.activeElement).toBe(sku);
    expect(input("SKU, variant 1").getAttribute("aria-invalid")).toBeNull();
    expect(screen.queryByRole("alert")).toBeNull();
    expect(argsOf("save_product")[0]).toMatchObject({ id: "p-1" });

    await type("SKU, variant 2", "KUR-L2");
    expect(sku.getAttribute("aria-invalid")).toBeNull();
  });

  it.each([
    ["variants.0.barcodes.1", "Barcodes, variant 1"],
    ["variants.1.price", "Price, variant 2"],
    ["variants.0.option_values.0", "Size, variant 1"],
    ["option_names.0", "Option 1 name"],
    ["hsn_code", "HSN code"],
    ["category_id", "Category"],
  ])("puts an error at %s beside %s", async (field, label) => {
    setup("p-1");
    await screen.findByRole("heading", { level: 1, name: "Edit Cotton kurta" });
    invokeMock.mockRejectedValueOnce(ipcError("input_invalid", "Not like that.", field));
    await fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(input(label).getAttribute("aria-invalid")).toBe("true"));
    expect(description(input(label))).toContain("Not like that.");
    expect(document.activeElement).toBe(input(label));
  });

  it("shows errors without a field as an alert", async () => {
    setup("p-1");
    await screen.findByRole("heading", { level: 1, name: "Edit Cotton kurta" });
    invokeMock.mockRejectedValueOnce(ipcError("permission_denied", "Only a manager or the owner can do that."));
    await fireEvent.click(screen.getByRole("button", { name: "Save" }));
    expect((await screen.findByRole("alert")).textContent).toBe("Only a manager or the owner can do that.");
  });

  it("does not save twice while saving", async () => {
    setup("p-1");
    await screen.findByRole("heading", { level: 1, name: "Edit Cotton kurta" });
    const pending = deferred<ProductDetailView>();
    invokeMock.mockReturnValueOnce(pending.promise);
    await fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await fireEvent.keyDown(window, { key: "s", ctrlKey: true });
    expect(argsOf("save_product")).toHaveLength(1);
    pending.resolve(kurta());
    expect(await screen.findByText("Saved Cotton kurta.")).toBeTruthy();
  });
});

describe("ProductEditor: permissions", () => {
  it("shows a cashier the product read-only, with prices locked and no costs", async () => {
    signInWith(CASHIER, "cashier");
    setup("p-1");
    await screen.findByRole("heading", { level: 1, name: "Edit Cotton kurta" });
    for (const label of ["Price, variant 1", "Price, variant 2"]) {
      const price = input(label);
      expect(price.readOnly).toBe(true);
      expect(price.getAttribute("aria-readonly")).toBe("true");
      expect(description(price)).toBe("Only a manager or the owner can change prices.");
    }
    expect(input("Price, variant 1").value).toBe("899.00");
    expect(screen.getByText("Only a manager or the owner can change prices.")).toBeTruthy();
    expect(input("Name").readOnly).toBe(true);
    expect(input("SKU, variant 2").readOnly).toBe(true);
    expect((input("Category") as unknown as HTMLSelectElement).disabled).toBe(true);
    expect(screen.queryByLabelText("Cost, variant 1")).toBeNull();
    expect(screen.queryByRole("button", { name: "Save" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Add variant" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Archive product" })).toBeNull();
    expect(screen.queryByLabelText("Add picture")).toBeNull();

    // Ctrl+S does nothing for them.
    await fireEvent.keyDown(window, { key: "s", ctrlKey: true });
    expect(argsOf("save_product")).toHaveLength(0);
  });

  it("hides cost from someone without view_cost but lets them edit", async () => {
    signInWith(ALL.filter((p) => p !== "view_cost" && p !== "change_cost"));
    setup("p-1", kurta({ variants: [variant({ id: "v-1", cost_minor: null })], option_names: [] }));
    await screen.findByRole("heading", { level: 1, name: "Edit Cotton kurta" });
    expect(screen.queryByLabelText("Cost, variant 1")).toBeNull();
    expect(screen.queryByRole("columnheader", { name: "Cost" })).toBeNull();
    expect(input("Price, variant 1").readOnly).toBe(false);
    expect(screen.getByRole("button", { name: "Save" })).toBeTruthy();
  });

  it("shows costs to the owner", async () => {
    setup("p-1");
    await screen.findByRole("heading", { level: 1, name: "Edit Cotton kurta" });
    expect(input("Cost, variant 1").value).toBe("500.00");
    expect(input("Price, variant 2").value).toBe("949.50");
    expect(input("Price, variant 2").getAttribute("aria-readonly")).toBeNull();
  });
});

describe("ProductEditor: keys and archiving", () => {
  it("goes back with Escape", async () => {
    const { onClose } = setup("p-1");
    await screen.findByRole("heading", { level: 1, name: "Edit Cotton kurta" });
    await fireEvent.keyDown(input("Name"), { key: "Escape" });
    expect(onClose).toHaveBeenCalledWith({ product: null, created: false, openedId: "p-1" });
  });

  it("asks before archiving, and Escape only closes the question", async () => {
    const { onClose } = setup("p-1");
    await screen.findByRole("heading", { level: 1, name: "Edit Cotton kurta" });
    await fireEvent.click(screen.getByRole("button", { name: "Archive product" }));
    const dialog = screen.getByRole("dialog");
    expect(dialog.textContent).toContain("Archive Cotton kurta?");
    await fireEvent.keyDown(window, { key: "Escape" });
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(onClose).not.toHaveBeenCalled();
    expect(argsOf("archive_product")).toHaveLength(0);

    invokeMock.mockImplementation(
      fakeCore({ archive_product: () => kurta({ status: "archived" }), stock_history: () => [] }) as never,
    );
    await fireEvent.click(screen.getByRole("button", { name: "Archive product" }));
    await fireEvent.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Archive" }));
    expect(await screen.findByText("Archived Cotton kurta.")).toBeTruthy();
    expect(argsOf("archive_product")).toEqual([{ id: "p-1" }]);
    expect(screen.getByRole("button", { name: "Restore product" })).toBeTruthy();
    expect((input("Status") as unknown as HTMLSelectElement).value).toBe("archived");
  });

  it("says so when the product cannot be opened", async () => {
    invokeMock.mockRejectedValue(ipcError("not_found", "That product no longer exists."));
    render(ProductEditor, {
      props: { id: "p-9", locale: "en-IN", currency: "INR", categories: [], onClose: vi.fn() },
    });
    expect((await screen.findByRole("alert")).textContent).toContain("That product no longer exists.");
  });
});
