import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({
  invoke: vi.fn(),
  convertFileSrc: (path: string, protocol: string) => `${protocol}://localhost/${path}`,
}));

import { invoke } from "@tauri-apps/api/core";
import type { ProductQueryInput, ProductRowView } from "../bindings";
import { session } from "../session.svelte";
import { deferred } from "../testing";
import ProductsPage from "./ProductsPage.svelte";
import ProductRows, { ROW_HEIGHT } from "./ProductRows.svelte";
import { ProductListModel } from "./productList.svelte";
import { ALL, CASHIER, CATEGORIES, fakeCore, kurta, productRow, signInWith } from "./testFixtures";

const invokeMock = vi.mocked(invoke);
const TOTAL = 100_000;

function queries(): ProductQueryInput[] {
  return invokeMock.mock.calls
    .filter((c) => c[0] === "search_products")
    .map((c) => (c[1] as { query: ProductQueryInput }).query);
}

/** A catalog of `total` products, served a page at a time like core. */
function bigCatalog(total = TOTAL) {
  invokeMock.mockImplementation(
    fakeCore({
      list_categories: () => CATEGORIES,
      search_products: (args) => {
        const q = args["query"] as ProductQueryInput;
        const end = Math.min(total, q.offset + q.limit);
        return Array.from({ length: Math.max(0, end - q.offset) }, (_, k) => productRow(q.offset + k));
      },
      get_product: () => kurta({ id: "p-000003", name: "Product 000003" }),
      stock_history: () => [],
      reorder_list: () => [
        {
          product_id: "p-1",
          variant_id: "v-2",
          item: "Cotton kurta (L)",
          sku: "KUR-L",
          on_hand_milli: 2000,
          threshold_milli: 3000,
          shortfall_milli: 1000,
        },
      ],
    }) as never,
  );
}

function renderPage() {
  return render(ProductsPage, { props: { locale: "en-IN", currency: "INR", debounceMs: 0 } });
}

function viewport(container: HTMLElement): HTMLDivElement {
  return container.querySelector(".viewport") as HTMLDivElement;
}

function rowCount(container: HTMLElement): number {
  return container.querySelectorAll("[data-row]").length;
}

async function scrollTo(container: HTMLElement, top: number) {
  const box = viewport(container);
  box.scrollTop = top;
  await fireEvent.scroll(box);
}

beforeEach(() => {
  invokeMock.mockReset();
  vi.spyOn(console, "error").mockImplementation(() => {});
  signInWith(ALL);
});

afterEach(() => {
  session.signedIn = null;
});

describe("ProductsPage: a virtual list", () => {
  it("draws only the rows in view of 100,000 and loads the next page near the end", async () => {
    bigCatalog();
    const { container } = renderPage();
    expect(screen.getByRole("heading", { level: 1, name: "Products" })).toBeTruthy();
    await screen.findByRole("button", { name: "Edit Product 000000" });
    expect(queries()).toEqual([{ text: "", category_id: null, status: null, offset: 0, limit: 100 }]);

    const drawn = rowCount(container);
    expect(drawn).toBeGreaterThan(5);
    expect(drawn).toBeLessThan(50);

    // Near the end of the first 100 rows: the next page, once.
    await scrollTo(container, 90 * ROW_HEIGHT);
    await waitFor(() => expect(queries().map((q) => q.offset)).toEqual([0, 100]));
    await screen.findByRole("button", { name: "Edit Product 000105" });
    await scrollTo(container, 90 * ROW_HEIGHT + 10);
    expect(queries()).toHaveLength(2);

    // Far down, after many pages: still only the rows in view.
    for (let page = 2; page <= 6; page++) {
      await scrollTo(container, (page * 100 - 10) * ROW_HEIGHT);
      await waitFor(() => expect(queries().at(-1)?.offset).toBe(page * 100));
    }
    await screen.findByRole("button", { name: "Edit Product 000600" });
    expect(rowCount(container)).toBeLessThan(50);
    expect(screen.queryByRole("button", { name: "Edit Product 000000" })).toBeNull();
    expect(queries().every((q) => q.limit === 100)).toBe(true);
  });

  it("keeps 100,000 loaded rows down to the ones in view, to the very end", async () => {
    const model = new ProductListModel();
    model.rows = Array.from({ length: TOTAL }, (_, n) => productRow(n));
    model.count = TOTAL;
    model.ended = true;
    model.loaded = true;
    const { container } = render(ProductRows, {
      props: { model, locale: "en-IN", currency: "INR", canAdd: true, onOpen: vi.fn() },
    });
    expect((container.querySelector(".spacer") as HTMLElement).style.height).toBe(`${TOTAL * ROW_HEIGHT}px`);
    expect(rowCount(container)).toBeLessThan(50);
    await scrollTo(container, TOTAL * ROW_HEIGHT - 600);
    expect(screen.getByRole("button", { name: "Edit Product 099999" })).toBeTruthy();
    expect(rowCount(container)).toBeLessThan(50);
    const last = screen.getByRole("button", { name: "Edit Product 099999" }).closest("[role=row]") as HTMLElement;
    expect(last.getAttribute("aria-rowindex")).toBe(String(TOTAL + 1));
    const spacer = container.querySelector(".spacer") as HTMLElement;
    const firstDrawn = Number((container.querySelector("[data-row]") as HTMLElement).dataset.index);
    expect(spacer.style.paddingTop).toBe(`${firstDrawn * ROW_HEIGHT}px`);
    expect(firstDrawn).toBeGreaterThan(TOTAL - 50);
    expect(invokeMock).not.toHaveBeenCalled();
  });

  it("shows each row's details with Indian grouping", async () => {
    bigCatalog(1);
    renderPage();
    const button = await screen.findByRole("button", { name: "Edit Product 000000" });
    const row = button.closest("[role=row]") as HTMLElement;
    expect(within(row).getByText("₹1,00,000.00")).toBeTruthy();
    expect(within(row).getByText("3 variants")).toBeTruthy();
    expect(within(row).getByText("Kurtas")).toBeTruthy();
    expect(within(row).getByText("SKU-000000")).toBeTruthy();
    expect(within(row).getByText("Active")).toBeTruthy();
  });

  it("drops a search's answer that arrives after a newer search's", async () => {
    const answers: Record<string, ReturnType<typeof deferred<ProductRowView[]>>> = {};
    invokeMock.mockImplementation(
      fakeCore({
        list_categories: () => [],
        search_products: (args) => {
          const text = (args["query"] as ProductQueryInput).text;
          const answer = deferred<ProductRowView[]>();
          answers[text] = answer;
          return answer.promise;
        },
      }) as never,
    );
    renderPage();
    answers[""]?.resolve([]);
    const search = screen.getByLabelText("Search products");
    await fireEvent.input(search, { target: { value: "sar" } });
    await fireEvent.input(search, { target: { value: "silk" } });
    expect(queries().map((q) => q.text)).toEqual(["", "sar", "silk"]);

    answers["silk"]?.resolve([productRow(1, { name: "Silk saree" })]);
    await screen.findByRole("button", { name: "Edit Silk saree" });
    answers["sar"]?.resolve([productRow(2, { name: "Sari fall" }), productRow(3, { name: "Saree blouse" })]);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(screen.queryByRole("button", { name: "Edit Sari fall" })).toBeNull();
    expect(screen.getByRole("button", { name: "Edit Silk saree" })).toBeTruthy();
  });

  it("waits for a pause in typing before searching", async () => {
    vi.useFakeTimers();
    try {
      bigCatalog(3);
      render(ProductsPage, { props: { locale: "en-IN", currency: "INR" } });
      const search = screen.getByLabelText("Search products");
      await fireEvent.input(search, { target: { value: "s" } });
      await fireEvent.input(search, { target: { value: "si" } });
      await fireEvent.input(search, { target: { value: "sil" } });
      expect(queries().map((q) => q.text)).toEqual([""]);
      await vi.advanceTimersByTimeAsync(200);
      expect(queries().map((q) => q.text)).toEqual(["", "sil"]);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("ProductsPage: filters and empty states", () => {
  it("invites the first product in an empty shop", async () => {
    invokeMock.mockImplementation(fakeCore({ list_categories: () => [], search_products: () => [] }) as never);
    renderPage();
    expect(await screen.findByText("No products yet. Add your first product.")).toBeTruthy();
  });

  it("says when nothing matches the search", async () => {
    invokeMock.mockImplementation(fakeCore({ list_categories: () => [], search_products: () => [] }) as never);
    renderPage();
    await fireEvent.input(screen.getByLabelText("Search products"), { target: { value: "xyz" } });
    expect(await screen.findByText("Nothing matches “xyz”.")).toBeTruthy();
  });

  it("sends the category and status filters", async () => {
    bigCatalog(5);
    renderPage();
    await screen.findByRole("button", { name: "Edit Product 000000" });
    const category = screen.getByLabelText("Category") as HTMLSelectElement;
    await waitFor(() => expect(category.options).toHaveLength(CATEGORIES.length + 1));
    expect(Array.from(category.options, (o) => o.textContent)).toEqual([
      "All categories",
      "Clothing",
      "\u00a0\u00a0\u00a0Kurtas",
      "\u00a0\u00a0\u00a0Sarees",
      "\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0Silk",
      "Groceries",
    ]);
    await fireEvent.change(category, { target: { value: "c-3" } });
    await fireEvent.change(screen.getByLabelText("Status"), { target: { value: "archived" } });
    await waitFor(() =>
      expect(queries().at(-1)).toEqual({ text: "", category_id: "c-3", status: "archived", offset: 0, limit: 100 }),
    );
  });

  it("lists the low-stock lines when asked", async () => {
    bigCatalog(5);
    renderPage();
    await screen.findByRole("button", { name: "Edit Product 000000" });
    await fireEvent.click(screen.getByLabelText("Low stock only"));
    const line = await screen.findByRole("button", { name: "Edit Cotton kurta (L)" });
    const row = line.closest("[role=row]") as HTMLElement;
    expect(within(row).getByText("KUR-L")).toBeTruthy();
    expect(within(row).getByText("3")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Edit Product 000000" })).toBeNull();
    expect(invokeMock.mock.calls.filter((c) => c[0] === "reorder_list")).toHaveLength(1);
  });

  it("hides Add product from a cashier", async () => {
    signInWith(CASHIER, "cashier");
    bigCatalog(1);
    renderPage();
    await screen.findByRole("button", { name: "Edit Product 000000" });
    expect(screen.queryByRole("button", { name: "Add product" })).toBeNull();
  });
});

describe("ProductsPage: list and editor", () => {
  it("opens a product and comes back to it", async () => {
    bigCatalog(10);
    renderPage();
    await fireEvent.click(await screen.findByRole("button", { name: "Edit Product 000003" }));
    expect(await screen.findByRole("heading", { level: 1, name: "Edit Product 000003" })).toBeTruthy();
    expect(screen.queryByLabelText("Search products")).toBeNull();
    await fireEvent.click(screen.getByRole("button", { name: "Back to products" }));
    const button = await screen.findByRole("button", { name: "Edit Product 000003" });
    await waitFor(() => expect(document.activeElement).toBe(button));
    // The loaded rows were kept: no new search.
    expect(queries()).toHaveLength(1);
  });

  it("opens a new product with Ctrl+N", async () => {
    bigCatalog(1);
    renderPage();
    await screen.findByRole("button", { name: "Edit Product 000000" });
    await fireEvent.keyDown(window, { key: "n", ctrlKey: true });
    expect(screen.getByRole("heading", { level: 1, name: "New product" })).toBeTruthy();
    await fireEvent.keyDown(window, { key: "Escape" });
    expect(await screen.findByRole("heading", { level: 1, name: "Products" })).toBeTruthy();
  });

  it("moves between rows with the arrow keys", async () => {
    bigCatalog(10);
    renderPage();
    await screen.findByRole("button", { name: "Edit Product 000000" });
    const search = screen.getByLabelText("Search products");
    search.focus();
    await fireEvent.keyDown(search, { key: "ArrowDown" });
    await waitFor(() => expect(document.activeElement?.getAttribute("aria-label")).toBe("Edit Product 000000"));
    await fireEvent.keyDown(document.activeElement as HTMLElement, { key: "ArrowDown" });
    await waitFor(() => expect(document.activeElement?.getAttribute("aria-label")).toBe("Edit Product 000001"));
    await fireEvent.keyDown(document.activeElement as HTMLElement, { key: "ArrowUp" });
    await fireEvent.keyDown(document.activeElement as HTMLElement, { key: "ArrowUp" });
    await waitFor(() => expect(document.activeElement).toBe(search));
  });
});
