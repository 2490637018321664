import { describe, expect, it } from "vitest";
import type { ErrorCode, ProductInput } from "./bindings";
import {
  NAME_REQUIRED,
  PRICE_INVALID,
  checkField,
  fieldForErrorCode,
  firstErrorField,
  hasErrors,
  normaliseInput,
  validateProduct,
} from "./validation";

const good: ProductInput = { name: "Silk saree", price: "1299.50", sku: "SAR-001", barcode: "" };

describe("validateProduct", () => {
  it("has no errors for a good product", () => {
    expect(validateProduct(good)).toEqual({});
    expect(hasErrors(validateProduct(good))).toBe(false);
    expect(validateProduct({ ...good, barcode: "4006381333931" })).toEqual({});
  });

  it("asks for a name", () => {
    expect(validateProduct({ ...good, name: "" })).toEqual({ name: NAME_REQUIRED });
    expect(validateProduct({ ...good, name: "   " })).toEqual({ name: "Enter a product name." });
  });

  it("asks for a plain price", () => {
    for (const price of ["", "abc", "-5", "1,299.50", "12.", ".5", "1e3", "₹100", "12.5.0", "Infinity"]) {
      expect(validateProduct({ ...good, price })).toEqual({ price: PRICE_INVALID });
    }
    expect(PRICE_INVALID).toBe("Enter a price like 1299.50.");
    for (const price of ["0", "1299", "1299.50", "0.05", " 12.5 ", "007"]) {
      expect(validateProduct({ ...good, price })).toEqual({});
    }
  });

  it("checks a barcode only when one is given", () => {
    expect(validateProduct({ ...good, barcode: "   " })).toEqual({});
    expect(validateProduct({ ...good, barcode: "8901030865233" })).toEqual({
      barcode: "The check digit should be 7, not 3.",
    });
    expect(validateProduct({ ...good, barcode: "12345" })).toEqual({
      barcode: "A barcode has 8, 12 or 13 digits.",
    });
  });

  it("reports every field at once, in form order", () => {
    const errors = validateProduct({ name: "", price: "x", sku: "", barcode: "96385075" });
    expect(Object.keys(errors)).toEqual(["name", "price", "barcode"]);
    expect(firstErrorField(errors)).toBe("name");
    expect(firstErrorField({ barcode: "x", price: "y" })).toBe("price");
    expect(firstErrorField({})).toBeNull();
  });
});

describe("checkField", () => {
  it("leaves the SKU to Rust", () => {
    expect(checkField("sku", "")).toBeNull();
    expect(checkField("sku", "anything at all")).toBeNull();
  });
});

describe("normaliseInput", () => {
  it("trims every field", () => {
    expect(normaliseInput({ name: " Silk saree ", price: " 10 ", sku: " A1 ", barcode: " 96385074 " })).toEqual({
      name: "Silk saree",
      price: "10",
      sku: "A1",
      barcode: "96385074",
    });
  });
});

describe("fieldForErrorCode", () => {
  it("maps codes to the field they belong beside", () => {
    const expected: Record<ErrorCode, string | null> = {
      name_required: "name",
      name_too_long: "name",
      price_invalid: "price",
      sku_invalid: "sku",
      sku_taken: "sku",
      barcode_invalid: "barcode",
      barcode_taken: "barcode",
      not_found: null,
      category_name_invalid: null,
      category_name_taken: null,
      category_not_found: null,
      category_cycle: null,
      category_has_children: null,
      no_variants: null,
      too_many_options: null,
      option_name_invalid: null,
      option_name_repeated: null,
      option_value_missing: null,
      variant_repeated: null,
      variant_not_found: null,
      hsn_invalid: null,
      description_too_long: null,
      sku_repeated: "sku",
      barcode_repeated: "barcode",
      cost_invalid: null,
      permission_denied: null,
      staff_name_invalid: null,
      pin_weak: null,
      pin_wrong: null,
      pin_locked: null,
      last_owner: null,
      staff_not_found: null,
      already_set_up: null,
      stock_invalid: null,
      shop_not_found: null,
      input_invalid: null,
      store_failed: null,
    };
    for (const [code, field] of Object.entries(expected)) {
      expect(fieldForErrorCode(code as ErrorCode)).toBe(field);
    }
  });
});
