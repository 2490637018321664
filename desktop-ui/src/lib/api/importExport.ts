// CSV export and import. The import file's bytes go as the raw request body,
// not as JSON, so large files do not have to be encoded.
import type { ExportView, ImportReportView } from "../bindings";
import { call } from "../session.svelte";

export function exportCsv(): Promise<ExportView> {
  return call<ExportView>("export_csv");
}

async function fileBytes(file: Blob): Promise<Uint8Array> {
  return new Uint8Array(await file.arrayBuffer());
}

/** A dry run: what importing this file would do. Nothing is written. */
export async function previewImport(file: Blob): Promise<ImportReportView> {
  return call<ImportReportView>("preview_import", await fileBytes(file));
}

/** Imports the file. Core checks it again and writes nothing if it has problems. */
export async function applyImport(file: Blob): Promise<ImportReportView> {
  return call<ImportReportView>("apply_import", await fileBytes(file));
}
