// Client-side checks for the product form. Rust checks everything again;
// these only give Asha quick feedback before anything is sent.
import { checkBarcode } from "./barcode";
import type { ErrorCode, ProductInput } from "./bindings";

export type ProductField = keyof ProductInput;
export type FieldErrors = Partial<Record<ProductField, string>>;

/** Form order: the first field with an error gets focus. */
export const PRODUCT_FIELDS: readonly ProductField[] = ["name", "price", "sku", "barcode"];

export const NAME_REQUIRED = "Enter a product name.";
export const PRICE_INVALID = "Enter a price like 1299.50.";

const PLAIN_PRICE = /^[0-9]+(\.[0-9]+)?$/;

/** Trims the text around every field, as Asha would expect. */
export function normaliseInput(input: ProductInput): ProductInput {
  return {
    name: input.name.trim(),
    price: input.price.trim(),
    sku: input.sku.trim(),
    barcode: input.barcode.trim(),
  };
}

/** The message for one field, or null when it looks fine. */
export function checkField(field: ProductField, value: string): string | null {
  const text = value.trim();
  switch (field) {
    case "name":
      return text === "" ? NAME_REQUIRED : null;
    case "price":
      return PLAIN_PRICE.test(text) ? null : PRICE_INVALID;
    case "sku":
      return null;
    case "barcode": {
      if (text === "") return null; // a barcode is optional
      const result = checkBarcode(text);
      return result.ok ? null : result.message;
    }
  }
}

/** All client-side errors for the form, keyed by field. Empty means none. */
export function validateProduct(input: ProductInput): FieldErrors {
  const errors: FieldErrors = {};
  for (const field of PRODUCT_FIELDS) {
    const message = checkField(field, input[field]);
    if (message !== null) errors[field] = message;
  }
  return errors;
}

export function hasErrors(errors: FieldErrors): boolean {
  return PRODUCT_FIELDS.some((field) => errors[field] !== undefined);
}

export function firstErrorField(errors: FieldErrors): ProductField | null {
  return PRODUCT_FIELDS.find((field) => errors[field] !== undefined) ?? null;
}

/** Which form field a Rust error belongs beside; null means a general alert. */
export function fieldForErrorCode(code: ErrorCode): ProductField | null {
  switch (code) {
    case "name_required":
    case "name_too_long":
      return "name";
    case "price_invalid":
      return "price";
    case "sku_invalid":
    case "sku_taken":
    case "sku_repeated":
      return "sku";
    case "barcode_invalid":
    case "barcode_taken":
    case "barcode_repeated":
      return "barcode";
    case "not_found":
    case "category_name_invalid":
    case "category_name_taken":
    case "category_not_found":
    case "category_cycle":
    case "category_has_children":
    case "no_variants":
    case "too_many_options":
    case "option_name_invalid":
    case "option_name_repeated":
    case "option_value_missing":
    case "variant_repeated":
    case "variant_not_found":
    case "hsn_invalid":
    case "description_too_long":
    case "cost_invalid":
    case "permission_denied":
    case "staff_name_invalid":
    case "pin_weak":
    case "pin_wrong":
    case "pin_locked":
    case "last_owner":
    case "staff_not_found":
    case "already_set_up":
    case "stock_invalid":
    case "shop_not_found":
    case "input_invalid":
    case "store_failed":
      return null;
  }
}
