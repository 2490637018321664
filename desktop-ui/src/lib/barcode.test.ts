import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkBarcode, gs1CheckDigit } from "./barcode";

type SharedCase = { code: string; valid: boolean; kind?: string; why?: string };

// Cases shared with the Rust core (core/tests/data/barcodes.json), so both
// sides agree on every barcode. A missing file fails the run on purpose.
const here = dirname(fileURLToPath(import.meta.url));
const sharedPath = resolve(here, "../../../core/tests/data/barcodes.json");
const sharedCases = JSON.parse(readFileSync(sharedPath, "utf8")) as SharedCase[];

describe("shared barcode cases", () => {
  it("has cases", () => {
    expect(Array.isArray(sharedCases)).toBe(true);
    expect(sharedCases.length).toBeGreaterThan(0);
  });

  const named = sharedCases.map((c) => [`${JSON.stringify(c.code)}${c.why ? ` (${c.why})` : ""}`, c] as const);

  it.each(named)("%s", (_label, c) => {
    const result = checkBarcode(c.code);
    expect(result.ok).toBe(c.valid);
    if (result.ok && c.kind !== undefined) {
      expect(result.kind).toBe(c.kind);
    }
    if (!result.ok) {
      expect(result.message).not.toBe("");
    }
  });
});

describe("checkBarcode", () => {
  it("accepts the known valid examples", () => {
    expect(checkBarcode("4006381333931")).toEqual({ ok: true, kind: "ean13" });
    expect(checkBarcode("8901030865237")).toEqual({ ok: true, kind: "ean13" });
    expect(checkBarcode("96385074")).toEqual({ ok: true, kind: "ean8" });
    expect(checkBarcode("036000291452")).toEqual({ ok: true, kind: "upca" });
  });

  it("trims whitespace", () => {
    expect(checkBarcode("  4006381333931\n")).toEqual({ ok: true, kind: "ean13" });
  });

  it("says what the check digit should be", () => {
    expect(checkBarcode("4006381333932")).toEqual({
      ok: false,
      message: "The check digit should be 1, not 2.",
    });
    expect(checkBarcode("8901030865233")).toEqual({
      ok: false,
      message: "The check digit should be 7, not 3.",
    });
  });

  it("explains a wrong length", () => {
    for (const code of ["1", "1234567", "123456789", "12345678901234"]) {
      expect(checkBarcode(code)).toEqual({ ok: false, message: "A barcode has 8, 12 or 13 digits." });
    }
  });

  it("rejects anything but digits", () => {
    expect(checkBarcode("4006-38133393")).toEqual({ ok: false, message: "A barcode has only digits." });
    expect(checkBarcode("9638507A")).toEqual({ ok: false, message: "A barcode has only digits." });
    expect(checkBarcode("٩٦٣٨٥٠٧٤")).toEqual({ ok: false, message: "A barcode has only digits." });
  });

  it("is not ok when empty", () => {
    expect(checkBarcode("")).toEqual({ ok: false, message: "Enter a barcode." });
    expect(checkBarcode("   ")).toEqual({ ok: false, message: "Enter a barcode." });
  });
});

describe("gs1CheckDigit", () => {
  it("computes the mod-10 check digit", () => {
    expect(gs1CheckDigit("400638133393")).toBe(1);
    expect(gs1CheckDigit("9638507")).toBe(4);
    expect(gs1CheckDigit("03600029145")).toBe(2);
    expect(gs1CheckDigit("00000000000")).toBe(0);
  });
});
