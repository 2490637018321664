// Words for an import report.
import type { ImportReportView } from "../bindings";

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The dry run's summary: "3 products to create, 1 to update, 10 unchanged". */
export function previewSummary(r: ImportReportView): string {
  return `${count(r.products_created, "product", "products")} to create, ${r.products_updated} to update, ${r.products_unchanged} unchanged`;
}

/** After importing: "Imported: 3 products created, 1 updated." */
export function appliedSummary(r: ImportReportView): string {
  return `Imported: ${count(r.products_created, "product", "products")} created, ${r.products_updated} updated.`;
}

/** The variants line, when variants change: "5 variants to create, 2 to update." */
export function variantSummary(r: ImportReportView, applied: boolean): string {
  if (r.variants_created === 0 && r.variants_updated === 0) return "";
  return applied
    ? `${count(r.variants_created, "variant", "variants")} created, ${r.variants_updated} updated.`
    : `${count(r.variants_created, "variant", "variants")} to create, ${r.variants_updated} to update.`;
}
