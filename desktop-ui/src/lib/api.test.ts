import { beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

import { invoke } from "@tauri-apps/api/core";
import {
  GENERAL_ERROR,
  archiveProduct,
  createProduct,
  errorText,
  getShop,
  isIpcError,
  listProducts,
  restoreProduct,
  updateProduct,
} from "./api";

const invokeMock = vi.mocked(invoke);
const input = { name: "Silk saree", price: "1299.50", sku: "", barcode: "" };

describe("command wrappers", () => {
  beforeEach(() => {
    invokeMock.mockReset();
    invokeMock.mockResolvedValue("result");
  });

  it("call each command with the exact argument keys", async () => {
    await getShop();
    await listProducts(true);
    await listProducts(false);
    await createProduct(input);
    await updateProduct("p1", input);
    await archiveProduct("p2");
    await restoreProduct("p3");
    expect(invokeMock.mock.calls).toEqual([
      ["get_shop"],
      ["list_products", { includeArchived: true }],
      ["list_products", { includeArchived: false }],
      ["create_product", { input }],
      ["update_product", { id: "p1", input }],
      ["archive_product", { id: "p2" }],
      ["restore_product", { id: "p3" }],
    ]);
  });

  it("pass IpcError rejections through unchanged", async () => {
    const error = { code: "sku_taken", message: "Another product already uses SKU A1." };
    invokeMock.mockRejectedValue(error);
    await expect(createProduct(input)).rejects.toBe(error);
  });
});

describe("isIpcError", () => {
  it("recognises {code, message} with a known code", () => {
    expect(isIpcError({ code: "not_found", message: "No such product." })).toBe(true);
  });

  it("rejects everything else", () => {
    expect(isIpcError(null)).toBe(false);
    expect(isIpcError(undefined)).toBe(false);
    expect(isIpcError("store_failed")).toBe(false);
    expect(isIpcError(new Error("boom"))).toBe(false);
    expect(isIpcError({ code: "not_found" })).toBe(false);
    expect(isIpcError({ code: "made_up", message: "x" })).toBe(false);
    expect(isIpcError({ code: "toString", message: "x" })).toBe(false);
    expect(isIpcError({ code: 1, message: "x" })).toBe(false);
  });
});

describe("errorText", () => {
  it("shows the server's message for an IpcError", () => {
    expect(errorText({ code: "store_failed", message: "The shop's data could not be saved." })).toBe(
      "The shop's data could not be saved.",
    );
  });

  it("shows a general message for anything else", () => {
    expect(errorText(new TypeError("window.__TAURI_INTERNALS__ is undefined"))).toBe(GENERAL_ERROR);
    expect(errorText("oops")).toBe(GENERAL_ERROR);
    expect(errorText({ code: "store_failed", message: "  " })).toBe(GENERAL_ERROR);
  });
});
