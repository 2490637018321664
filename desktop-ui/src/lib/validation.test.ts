import { describe, expect, it } from "vitest";
import {
  checkBarcodesText,
  editorFieldKey,
  isCategoryNameError,
  isQuantityError,
  splitBarcodes,
} from "./validation";

describe("barcodes", () => {
  it("splits the box on spaces and commas", () => {
    expect(splitBarcodes("  4006381333931  96385074,12345670 ")).toEqual([
      "4006381333931",
      "96385074",
      "12345670",
    ]);
    expect(splitBarcodes("   ")).toEqual([]);
  });

  it("finds the first wrong code", () => {
    expect(checkBarcodesText("")).toBeNull();
    expect(checkBarcodesText("4006381333931 96385074")).toBeNull();
    expect(checkBarcodesText("96385075")).toEqual({ index: 0, message: "The check digit should be 4, not 5." });
    expect(checkBarcodesText("4006381333931 8901030865233")).toEqual({
      index: 1,
      message: "8901030865233: The check digit should be 7, not 3.",
    });
    expect(checkBarcodesText("12345")?.message).toBe("A barcode has 8, 12 or 13 digits.");
  });
});

describe("editorFieldKey", () => {
  it("keeps the paths the editor has inputs for", () => {
    for (const path of [
      "name",
      "description",
      "category_id",
      "tax_class",
      "hsn_code",
      "option_names.2",
      "variants.1.sku",
      "variants.0.price",
      "variants.3.cost",
      "variants.1.option_values.1",
    ]) {
      expect(editorFieldKey(path, 2)).toBe(path);
    }
  });

  it("puts every barcode of a variant in its one box", () => {
    expect(editorFieldKey("variants.0.barcodes.1", 0)).toBe("variants.0.barcodes");
    expect(editorFieldKey("variants.12.barcodes.0", 0)).toBe("variants.12.barcodes");
  });

  it("shows a repeated variant at its first option value", () => {
    expect(editorFieldKey("variants.2.options", 1)).toBe("variants.2.option_values.0");
    expect(editorFieldKey("variants.2.options", 0)).toBeNull();
  });

  it("leaves whole-editor errors to the alert", () => {
    for (const path of [null, undefined, "", "variants", "variants.1", "option_names", "something_else"]) {
      expect(editorFieldKey(path, 1)).toBeNull();
    }
  });
});

describe("error kinds", () => {
  it("knows quantity and category name errors", () => {
    expect(isQuantityError({ code: "quantity_invalid", message: "x", field: null })).toBe(true);
    expect(isQuantityError({ code: "stock_invalid", message: "x", field: null })).toBe(true);
    expect(isQuantityError({ code: "permission_denied", message: "x", field: null })).toBe(false);
    expect(isQuantityError(new Error("x"))).toBe(false);
    expect(isCategoryNameError({ code: "category_name_taken", message: "x", field: null })).toBe(true);
    expect(isCategoryNameError({ code: "category_cycle", message: "x", field: null })).toBe(false);
  });
});
