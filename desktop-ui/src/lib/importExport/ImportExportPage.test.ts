import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

import { invoke } from "@tauri-apps/api/core";
import type { ImportReportView } from "../bindings";
import { fakeCore, ipcError } from "../shell/testing/fakeCore";
import ImportExportPage from "./ImportExportPage.svelte";

function report(overrides: Partial<ImportReportView> = {}): ImportReportView {
  return {
    applied: false,
    rows: 14,
    problems: [],
    notices: [],
    products_created: 3,
    products_updated: 1,
    products_unchanged: 10,
    variants_created: 0,
    variants_updated: 0,
    ...overrides,
  };
}

const CSV = "name,sku,price\nSilk saree,SAR-1,1299.50\n";

async function pick(content = CSV, name = "products.csv") {
  const input = screen.getByLabelText("CSV file") as HTMLInputElement;
  const file = new File([content], name, { type: "text/csv" });
  Object.defineProperty(input, "files", { value: [file], configurable: true });
  await fireEvent.change(input);
  return file;
}

function importButton(): HTMLButtonElement {
  return screen.getByRole("button", { name: "Import" }) as HTMLButtonElement;
}

beforeEach(() => {
  vi.mocked(invoke).mockReset();
});

describe("ImportExportPage", () => {
  it("exports and says where the file went", async () => {
    fakeCore({ export_csv: () => ({ path: "/home/asha/Galla/products.csv", products: 120, rows: 300 }) });
    render(ImportExportPage);
    await fireEvent.click(screen.getByRole("button", { name: "Export products" }));
    await waitFor(() =>
      expect(screen.getByText("Exported 120 products (300 rows) to /home/asha/Galla/products.csv")).toBeTruthy(),
    );
    expect(screen.getByText(/^Exported/).getAttribute("role")).toBe("status");
  });

  it("a dry run with problems shows them and keeps Import disabled", async () => {
    const { calls } = fakeCore({
      preview_import: () =>
        report({
          problems: [
            { row: 3, column: "price", message: "The price “12,5” is not a number." },
            { row: null, column: null, message: "Two rows use SKU SAR-1." },
          ],
          notices: [{ row: 5, column: "barcode", message: "The barcode was cleaned of spaces." }],
        }),
    });
    render(ImportExportPage);
    expect(importButton().disabled).toBe(true);
    await pick();
    await fireEvent.click(screen.getByRole("button", { name: "Check file" }));

    const table = await screen.findByRole("table", { name: "Problems" });
    const rows = within(table).getAllByRole("row");
    const cells = (row: HTMLElement) => Array.from(row.querySelectorAll("th, td"), (c) => c.textContent?.trim());
    expect(rows.map(cells)).toEqual([
      ["Row", "Column", "Problem"],
      ["3", "price", "The price “12,5” is not a number."],
      ["Whole file", "—", "Two rows use SKU SAR-1."],
    ]);
    expect(screen.getByText("Nothing was imported. Fix these rows and check the file again.")).toBeTruthy();
    expect(screen.queryByText(/to create/), "no counts for a file that cannot be imported").toBeNull();
    const notices = screen.getByRole("list", { name: "Notices" });
    expect(notices.textContent).toContain("The barcode was cleaned of spaces.");
    expect(importButton().disabled).toBe(true);

    // The file went as raw bytes.
    const [command, body] = calls[0]!;
    expect(command).toBe("preview_import");
    expect(body).toBeInstanceOf(Uint8Array);
    expect(new TextDecoder().decode(body as Uint8Array)).toBe(CSV);
  });

  it("a clean dry run enables Import; importing shows the status", async () => {
    const { calls } = fakeCore({
      preview_import: () => report(),
      apply_import: () => report({ applied: true }),
    });
    render(ImportExportPage);
    await pick();
    await fireEvent.click(screen.getByRole("button", { name: "Check file" }));
    await screen.findByText("3 products to create, 1 to update, 10 unchanged");
    expect(screen.queryByRole("table", { name: "Problems" })).toBeNull();
    await waitFor(() => expect(importButton().disabled).toBe(false));

    await fireEvent.click(importButton());
    await waitFor(() => expect(screen.getByText("Imported: 3 products created, 1 updated.")).toBeTruthy());
    expect(screen.getByText("Imported: 3 products created, 1 updated.").getAttribute("role")).toBe("status");
    expect(calls.map(([c]) => c)).toEqual(["preview_import", "apply_import"]);
    expect(new TextDecoder().decode(calls[1]![1] as Uint8Array)).toBe(CSV);
    // Importing the same report twice needs another check.
    expect(importButton().disabled).toBe(true);
  });

  it("picking a new file resets the report", async () => {
    fakeCore({ preview_import: () => report() });
    render(ImportExportPage);
    await pick();
    await fireEvent.click(screen.getByRole("button", { name: "Check file" }));
    await screen.findByText("3 products to create, 1 to update, 10 unchanged");
    await pick("name\nOther\n", "other.csv");
    expect(screen.queryByText("3 products to create, 1 to update, 10 unchanged")).toBeNull();
    expect(importButton().disabled).toBe(true);
  });

  it("shows a file that cannot be read in an alert", async () => {
    fakeCore({ preview_import: () => Promise.reject(ipcError("import_invalid", "The file is not UTF-8 text.")) });
    render(ImportExportPage);
    await pick();
    await fireEvent.click(screen.getByRole("button", { name: "Check file" }));
    expect((await screen.findByRole("alert")).textContent).toBe("The file is not UTF-8 text.");
    expect(importButton().disabled).toBe(true);
    expect(document.activeElement).toBe(screen.getByLabelText("CSV file"));
  });
});
