import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

import { invoke } from "@tauri-apps/api/core";
import ProductList from "./ProductList.svelte";
import { product } from "./testing";

const invokeMock = vi.mocked(invoke);

function setup(props: Partial<{ showArchived: boolean }> = {}) {
  const onAdd = vi.fn();
  const onEdit = vi.fn();
  const onStatus = vi.fn();
  const result = render(ProductList, { locale: "en-IN", onAdd, onEdit, onStatus, ...props });
  return { ...result, onAdd, onEdit, onStatus };
}

beforeEach(() => {
  invokeMock.mockReset();
});

describe("ProductList", () => {
  it("shows products with formatted prices", async () => {
    invokeMock.mockResolvedValueOnce([
      product(),
      product({ id: "p-2", name: "Cotton dupatta", price_minor: 10000000, sku: null, barcode: null }),
    ]);
    setup();
    expect(screen.getByRole("heading", { level: 1, name: "Products" })).toBeTruthy();
    const row = (await screen.findByText("Silk saree")).closest("tr");
    expect(row?.getAttribute("data-product-id")).toBe("p-1");
    expect(within(row as HTMLElement).getByText("₹1,299.50")).toBeTruthy();
    expect(within(row as HTMLElement).getByText("Active")).toBeTruthy();
    expect(screen.getByText("₹1,00,000.00")).toBeTruthy();
    expect(invokeMock).toHaveBeenCalledWith("list_products", { includeArchived: false });
    const headers = screen.getAllByRole("columnheader").map((h) => h.textContent?.trim());
    expect(headers.slice(0, 5)).toEqual(["Name", "SKU", "Barcode", "Price", "Status"]);
    const edit = screen.getByRole("button", { name: "Edit Silk saree" });
    expect(edit.textContent).toBe("Edit");
    expect(screen.getByRole("button", { name: "Archive Silk saree" }).textContent).toBe("Archive");
  });

  it("shows the empty state", async () => {
    invokeMock.mockResolvedValueOnce([]);
    setup();
    expect(await screen.findByText("No products yet. Add your first product.")).toBeTruthy();
  });

  it("shows a readable error when loading fails, and can try again", async () => {
    invokeMock.mockRejectedValueOnce(new TypeError("Cannot read properties of undefined (reading 'invoke')"));
    vi.spyOn(console, "error").mockImplementation(() => {});
    setup();
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("Could not load your products.");
    expect(alert.textContent).toContain("Something went wrong. Please try again.");
    invokeMock.mockResolvedValueOnce([product()]);
    await fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByText("Silk saree")).toBeTruthy();
  });

  it("lists archived products when asked", async () => {
    invokeMock.mockResolvedValueOnce([product()]);
    setup();
    await screen.findByText("Silk saree");
    invokeMock.mockResolvedValueOnce([product(), product({ id: "p-2", name: "Old shawl", status: "archived" })]);
    await fireEvent.click(screen.getByLabelText("Show archived"));
    expect(invokeMock).toHaveBeenLastCalledWith("list_products", { includeArchived: true });
    const row = (await screen.findByText("Old shawl")).closest("tr") as HTMLElement;
    expect(within(row).getByText("Archived")).toBeTruthy();
    expect(within(row).getByRole("button", { name: "Restore Old shawl" }).textContent).toBe("Restore");
  });

  it("asks before archiving, and cancelling keeps the product", async () => {
    invokeMock.mockResolvedValueOnce([product()]);
    setup();
    await fireEvent.click(await screen.findByRole("button", { name: "Archive Silk saree" }));
    const dialog = screen.getByRole("dialog");
    expect(dialog.getAttribute("aria-modal")).toBe("true");
    expect(within(dialog).getByText(
      "Archive Silk saree? It will be hidden from the product list and the storefront.",
    )).toBeTruthy();
    expect(document.activeElement?.textContent).toBe("Cancel");
    await fireEvent.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(invokeMock).toHaveBeenCalledTimes(1);
    expect(screen.getByText("Silk saree")).toBeTruthy();
  });

  it("Escape closes the archive dialog", async () => {
    invokeMock.mockResolvedValueOnce([product()]);
    setup();
    await fireEvent.click(await screen.findByRole("button", { name: "Archive Silk saree" }));
    await fireEvent.keyDown(window, { key: "Escape" });
    expect(screen.queryByRole("dialog")).toBeNull();
  });

  it("archives after confirmation and hides the product", async () => {
    invokeMock.mockResolvedValueOnce([product()]);
    const { onStatus } = setup();
    await fireEvent.click(await screen.findByRole("button", { name: "Archive Silk saree" }));
    invokeMock.mockResolvedValueOnce(product({ status: "archived" }));
    await fireEvent.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Archive" }));
    expect(invokeMock).toHaveBeenLastCalledWith("archive_product", { id: "p-1" });
    await waitFor(() => expect(screen.queryByText("Silk saree")).toBeNull());
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(onStatus).toHaveBeenCalledWith("Archived Silk saree.");
  });

  it("shows an archive failure", async () => {
    invokeMock.mockResolvedValueOnce([product()]);
    vi.spyOn(console, "error").mockImplementation(() => {});
    setup();
    await fireEvent.click(await screen.findByRole("button", { name: "Archive Silk saree" }));
    invokeMock.mockRejectedValueOnce({ code: "not_found", message: "That product no longer exists." });
    await fireEvent.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Archive" }));
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("That product no longer exists.");
    expect(screen.getByText("Silk saree")).toBeTruthy();
  });

  it("restores without asking", async () => {
    invokeMock.mockResolvedValueOnce([product({ status: "archived" })]);
    const { onStatus } = setup({ showArchived: true });
    invokeMock.mockResolvedValueOnce(product({ status: "active" }));
    await fireEvent.click(await screen.findByRole("button", { name: "Restore Silk saree" }));
    expect(invokeMock).toHaveBeenLastCalledWith("restore_product", { id: "p-1" });
    expect(await screen.findByRole("button", { name: "Archive Silk saree" })).toBeTruthy();
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(onStatus).toHaveBeenCalledWith("Restored Silk saree.");
  });

  it("opens Add product from the button, Ctrl+N and n", async () => {
    invokeMock.mockResolvedValueOnce([]);
    const { onAdd } = setup();
    await screen.findByText("No products yet. Add your first product.");
    await fireEvent.click(screen.getByRole("button", { name: "Add product" }));
    await fireEvent.keyDown(window, { key: "n", ctrlKey: true });
    await fireEvent.keyDown(document.body, { key: "n" });
    expect(onAdd).toHaveBeenCalledTimes(3);
    // Not while typing in an input.
    await fireEvent.keyDown(screen.getByLabelText("Show archived"), { key: "n" });
    expect(onAdd).toHaveBeenCalledTimes(3);
  });

  it("passes the product to Edit", async () => {
    invokeMock.mockResolvedValueOnce([product()]);
    const { onEdit } = setup();
    await fireEvent.click(await screen.findByRole("button", { name: "Edit Silk saree" }));
    expect(onEdit).toHaveBeenCalledWith(product());
  });
});
