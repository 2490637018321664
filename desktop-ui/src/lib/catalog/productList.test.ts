import { beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

import { invoke } from "@tauri-apps/api/core";
import type { ProductQueryInput, ReorderLineView } from "../bindings";
import { ProductListModel } from "./productList.svelte";
import { CATEGORIES, fakeCore, kurta, productRow } from "./testFixtures";

const invokeMock = vi.mocked(invoke);

function line(product_id: string, variant_id: string, item: string, sku: string): ReorderLineView {
  return { product_id, variant_id, item, sku, on_hand_milli: 0, threshold_milli: 1000, shortfall_milli: 1000 };
}

beforeEach(() => {
  invokeMock.mockReset();
});

describe("ProductListModel", () => {
  it("pages on from what core sent and lists a product once", async () => {
    // The second page starts with the first page's last product again.
    const pages: Record<number, number[]> = {
      0: [...Array(100).keys()],
      100: [99, ...Array.from({ length: 99 }, (_, k) => 100 + k)],
    };
    invokeMock.mockImplementation(
      fakeCore({
        search_products: (args) =>
          (pages[(args["query"] as ProductQueryInput).offset] ?? []).map((n) => productRow(n)),
      }) as never,
    );
    const model = new ProductListModel();
    await model.reload();
    await model.loadMore();
    await model.loadMore();
    const offsets = invokeMock.mock.calls.map((c) => (c[1] as { query: ProductQueryInput }).query.offset);
    expect(offsets).toEqual([0, 100, 200]);
    expect(model.count).toBe(199);
    expect(new Set(model.rows.map((r) => r.id)).size).toBe(199);
    expect(model.ended).toBe(true);
  });

  it("shows a saved product's new name and price, and drops one archived out of view", async () => {
    invokeMock.mockImplementation(
      fakeCore({ search_products: () => [productRow(1, { id: "p-1" }), productRow(2)] }) as never,
    );
    const model = new ProductListModel();
    await model.reload();
    model.patch(kurta({ name: "Cotton kurta (new)", category_id: "c-2" }), CATEGORIES);
    expect(model.rows[0]).toMatchObject({
      name: "Cotton kurta (new)",
      price_minor: 89900,
      sku: "KUR-M",
      category: "Kurtas",
      variant_count: 2,
    });
    model.patch(kurta({ status: "archived" }), CATEGORIES);
    expect(model.count).toBe(1);
  });

  it("filters the low-stock lines by the search text", async () => {
    invokeMock.mockImplementation(
      fakeCore({
        reorder_list: () => [
          line("p-1", "v-1", "Cotton kurta (M)", "KUR-M"),
          line("p-2", "v-9", "Basmati rice", "RICE-5"),
        ],
      }) as never,
    );
    const model = new ProductListModel();
    model.lowOnly = true;
    model.text = "rice";
    await model.reload();
    expect(model.lowLines.map((l) => l.item)).toEqual(["Basmati rice"]);
    expect(model.filtered).toBe(true);
  });
});
