import { beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

import { invoke } from "@tauri-apps/api/core";
import { session } from "../session.svelte";
import {
  addProductImage,
  archiveCategory,
  archiveProduct,
  createCategory,
  getProduct,
  listCategories,
  moveCategory,
  moveProductImage,
  removeProductImage,
  renameCategory,
  restoreProduct,
  saveProduct,
  searchProducts,
} from "./catalog";
import { adjustStock, countStock, receiveStock, setLowStockThreshold, stockHistory } from "./stockLedger";

const invokeMock = vi.mocked(invoke);

beforeEach(() => {
  invokeMock.mockReset();
  invokeMock.mockResolvedValue([]);
});

describe("catalog and stock commands", () => {
  it("call each command with Tauri's camelCase argument names", async () => {
    const query = { text: "silk", category_id: null, status: null, offset: 100, limit: 100 };
    await searchProducts(query);
    await getProduct("p-1");
    await archiveProduct("p-1");
    await restoreProduct("p-1");
    await listCategories();
    await createCategory("Sarees", "c-1");
    await renameCategory("c-2", "Saris");
    await moveCategory("c-2", null);
    await archiveCategory("c-2");
    await removeProductImage("p-1", "abc");
    await moveProductImage("p-1", "abc", 0);
    await receiveStock("v-1", "5", "Invoice 42");
    await adjustStock("v-1", "-2", "damaged", "");
    await countStock([{ variant_id: "v-1", counted: "12" }]);
    await setLowStockThreshold("v-1", "");
    await stockHistory("v-1");
    expect(invokeMock.mock.calls.map((c) => [c[0], c[1]])).toEqual([
      ["search_products", { query }],
      ["get_product", { id: "p-1" }],
      ["archive_product", { id: "p-1" }],
      ["restore_product", { id: "p-1" }],
      ["list_categories", undefined],
      ["create_category", { name: "Sarees", parentId: "c-1" }],
      ["rename_category", { id: "c-2", name: "Saris" }],
      ["move_category", { id: "c-2", parentId: null }],
      ["archive_category", { id: "c-2" }],
      ["remove_product_image", { productId: "p-1", hash: "abc" }],
      ["move_product_image", { productId: "p-1", hash: "abc", position: 0 }],
      ["receive_stock", { variantId: "v-1", quantity: "5", note: "Invoice 42" }],
      ["adjust_stock", { variantId: "v-1", quantity: "-2", reason: "damaged", note: "" }],
      ["count_stock", { counts: [{ variant_id: "v-1", counted: "12" }] }],
      ["set_low_stock_threshold", { variantId: "v-1", threshold: "" }],
      ["stock_history", { variantId: "v-1" }],
    ]);
  });

  it("sends a new product with a null id", async () => {
    const input = {
      name: "Tea",
      description: "",
      category_id: null,
      tax_class: "",
      hsn_code: "",
      status: "draft" as const,
      show_on_storefront: false,
      option_names: [],
      variants: [],
    };
    await saveProduct(null, input);
    expect(invokeMock.mock.calls[0]?.slice(0, 2)).toEqual(["save_product", { id: null, input }]);
  });

  it("uploads a picture as the raw body with the product in a header", async () => {
    await addProductImage("p-1", new Blob([new Uint8Array([1, 2, 3])]));
    const [command, body, options] = invokeMock.mock.calls[0] ?? [];
    expect(command).toBe("add_product_image");
    expect(Array.from(body as Uint8Array)).toEqual([1, 2, 3]);
    expect(options).toEqual({ headers: { "x-galla-product-id": "p-1" } });
  });

  it("goes back to the PIN screen when the session has ended", async () => {
    session.signedIn = { id: "s-1", name: "Asha", role: "owner", permissions: [] };
    invokeMock.mockRejectedValueOnce({ code: "signed_out", message: "Sign in with your PIN to continue.", field: null });
    await expect(getProduct("p-1")).rejects.toMatchObject({ code: "signed_out" });
    expect(session.signedIn).toBeNull();
  });
});
