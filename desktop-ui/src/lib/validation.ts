// Client-side checks and error placement for the catalog and stock screens.
// Core checks everything again; these only give quick feedback before anything
// is sent, and decide which input an error from core belongs beside.
import { isIpcError } from "./api";
import { checkBarcode } from "./barcode";

export const NAME_REQUIRED = "Enter a product name.";
export const CATEGORY_NAME_REQUIRED = "Enter a name for the category.";
export const REASON_REQUIRED = "Choose a reason.";

/** The Barcodes box holds several codes separated by spaces (or commas). */
export function splitBarcodes(text: string): string[] {
  return text.split(/[\s,]+/).filter((code) => code !== "");
}

/**
 * The first barcode in the box with a wrong length or check digit, with a
 * message to show beside it; null when every code looks right (or there is none).
 */
export function checkBarcodesText(text: string): { index: number; message: string } | null {
  const codes = splitBarcodes(text);
  for (const [index, code] of codes.entries()) {
    const result = checkBarcode(code);
    if (!result.ok) {
      return { index, message: codes.length === 1 ? result.message : `${code}: ${result.message}` };
    }
  }
  return null;
}

/**
 * Which editor input an error at core's `field` path belongs beside. The editor's
 * inputs are keyed by the same paths, except that every barcode of a variant shares
 * one box ("variants.0.barcodes.1" → "variants.0.barcodes") and a repeated variant
 * ("variants.2.options") is shown at its first option value. Null: show it as a
 * message for the whole editor.
 */
export function editorFieldKey(path: string | null | undefined, optionCount: number): string | null {
  if (!path) return null;
  if (["name", "description", "category_id", "tax_class", "hsn_code", "status"].includes(path)) return path;
  if (/^option_names\.\d+$/.test(path)) return path;
  const barcode = /^(variants\.\d+\.barcodes)(\.\d+)?$/.exec(path);
  if (barcode) return barcode[1] ?? null;
  if (/^variants\.\d+\.(sku|price|cost)$/.test(path)) return path;
  if (/^variants\.\d+\.option_values\.\d+$/.test(path)) return path;
  const repeated = /^(variants\.\d+)\.options$/.exec(path);
  if (repeated && optionCount > 0) return `${repeated[1]}.option_values.0`;
  return null;
}

/** Stock errors that are about the typed quantity, shown beside the quantity input. */
export function isQuantityError(error: unknown): boolean {
  return isIpcError(error) && (error.code === "quantity_invalid" || error.code === "stock_invalid");
}

/** Category errors that are about the typed name. */
export function isCategoryNameError(error: unknown): boolean {
  return isIpcError(error) && (error.code === "category_name_invalid" || error.code === "category_name_taken");
}
