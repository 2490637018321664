// The product editor's form as plain data: built from a saved product, edited
// in place, and turned into the ProductEditorInput that save_product takes.
// Prices and costs stay the typed text; core parses them.
import type {
  CategoryView,
  ProductDetailView,
  ProductEditorInput,
  ProductStatus,
  VariantView,
} from "../bindings";
import { minorToDecimalString } from "../money";
import { splitBarcodes } from "../validation";

export const MAX_OPTIONS = 3;

export type VariantRow = {
  /** Stable key for the row while editing. */
  key: number;
  id: string | null;
  option_values: string[];
  sku: string;
  price: string;
  cost: string;
  /** Space-separated codes, as typed. */
  barcodes: string;
};

export type EditorForm = {
  name: string;
  description: string;
  /** "" for no category. */
  category_id: string;
  tax_class: string;
  hsn_code: string;
  status: ProductStatus;
  show_on_storefront: boolean;
  option_names: string[];
  variants: VariantRow[];
};

let nextKey = 1;

export function blankVariant(optionCount: number): VariantRow {
  return {
    key: nextKey++,
    id: null,
    option_values: Array.from({ length: optionCount }, () => ""),
    sku: "",
    price: "",
    cost: "",
    barcodes: "",
  };
}

/** A new product: a draft with one variant row. */
export function blankForm(): EditorForm {
  return {
    name: "",
    description: "",
    category_id: "",
    tax_class: "",
    hsn_code: "",
    status: "draft",
    show_on_storefront: false,
    option_names: [],
    variants: [blankVariant(0)],
  };
}

function money(minor: number | null, currency: string): string {
  if (minor === null) return "";
  try {
    return minorToDecimalString(minor, currency);
  } catch {
    return "";
  }
}

function rowOf(variant: VariantView, optionCount: number): VariantRow {
  return {
    key: nextKey++,
    id: variant.id,
    option_values: Array.from({ length: optionCount }, (_, i) => variant.option_values[i] ?? ""),
    sku: variant.sku ?? "",
    price: money(variant.price_minor, variant.currency),
    cost: money(variant.cost_minor, variant.currency),
    barcodes: variant.barcodes.join(" "),
  };
}

/**
 * The form for a saved product. Pass the form that was just saved to keep its
 * rows' keys, so inputs (and the focus in them) survive a save.
 */
export function formOf(product: ProductDetailView, previous?: EditorForm): EditorForm {
  const optionCount = product.option_names.length;
  const keyed = (row: VariantRow, i: number): VariantRow => {
    const old = previous?.variants[i];
    return old && (old.id === null || old.id === row.id) ? { ...row, key: old.key } : row;
  };
  return {
    name: product.name,
    description: product.description,
    category_id: product.category_id ?? "",
    tax_class: product.tax_class ?? "",
    hsn_code: product.hsn_code ?? "",
    status: product.status,
    show_on_storefront: product.show_on_storefront,
    option_names: [...product.option_names],
    variants:
      product.variants.length > 0
        ? product.variants.map((v, i) => keyed(rowOf(v, optionCount), i))
        : [blankVariant(optionCount)],
  };
}

export function toInput(form: EditorForm): ProductEditorInput {
  const optionCount = form.option_names.length;
  return {
    name: form.name,
    description: form.description,
    category_id: form.category_id === "" ? null : form.category_id,
    tax_class: form.tax_class,
    hsn_code: form.hsn_code,
    status: form.status,
    show_on_storefront: form.show_on_storefront,
    option_names: [...form.option_names],
    variants: form.variants.map((v) => ({
      id: v.id,
      option_values: Array.from({ length: optionCount }, (_, i) => v.option_values[i] ?? ""),
      sku: v.sku,
      price: v.price,
      cost: v.cost,
      barcodes: splitBarcodes(v.barcodes),
    })),
  };
}

export function addOption(form: EditorForm): void {
  if (form.option_names.length >= MAX_OPTIONS) return;
  form.option_names.push("");
  for (const v of form.variants) v.option_values.push("");
}

export function removeOption(form: EditorForm, index: number): void {
  form.option_names.splice(index, 1);
  for (const v of form.variants) v.option_values.splice(index, 1);
}

export function addVariant(form: EditorForm): void {
  form.variants.push(blankVariant(form.option_names.length));
}

export function removeVariant(form: EditorForm, index: number): void {
  if (form.variants.length <= 1) return;
  form.variants.splice(index, 1);
}

/** "Red / M", or the product's name for a product without options. */
export function variantTitle(product: ProductDetailView, variant: VariantView): string {
  const values = variant.option_values.filter((v) => v.trim() !== "");
  return values.length > 0 ? values.join(" / ") : product.name;
}

/** Option text for a category picker: indented by depth with no-break spaces. */
export function categoryLabel(category: CategoryView): string {
  return "\u00a0\u00a0\u00a0".repeat(category.depth) + category.name;
}

/** What the editor tells the product list when it closes. */
export type EditorResult = {
  /** The product as last saved, when anything about it changed; else null. */
  product: ProductDetailView | null;
  /** A new product was created. */
  created: boolean;
  /** The product the editor was opened on (null for a new one). */
  openedId: string | null;
};

export const STATUS_LABELS: Readonly<Record<ProductStatus, string>> = {
  draft: "Draft",
  active: "Active",
  archived: "Archived",
};
