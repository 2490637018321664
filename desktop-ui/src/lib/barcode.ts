// Check digits for retail barcodes: EAN-13, EAN-8 and UPC-A (GS1 mod 10).
// The Rust core checks the same rules; both run the shared cases in
// core/tests/data/barcodes.json.

export type BarcodeKind = "ean13" | "ean8" | "upca";

export type BarcodeCheck =
  | { ok: true; kind: BarcodeKind }
  | { ok: false; message: string };

const KINDS: Readonly<Record<number, BarcodeKind>> = {
  8: "ean8",
  12: "upca",
  13: "ean13",
};

/**
 * GS1 mod-10 check digit for the digits before the check digit: weights 3
 * and 1 alternate starting with 3 at the digit next to the check digit.
 */
export function gs1CheckDigit(body: string): number {
  let sum = 0;
  let weight = 3;
  for (let i = body.length - 1; i >= 0; i--) {
    sum += (body.charCodeAt(i) - 48) * weight;
    weight = weight === 3 ? 1 : 3;
  }
  return (10 - (sum % 10)) % 10;
}

export function checkBarcode(code: string): BarcodeCheck {
  const digits = code.trim();
  if (digits === "") {
    return { ok: false, message: "Enter a barcode." };
  }
  if (!/^[0-9]+$/.test(digits)) {
    return { ok: false, message: "A barcode has only digits." };
  }
  const kind = KINDS[digits.length];
  if (kind === undefined) {
    return { ok: false, message: "A barcode has 8, 12 or 13 digits." };
  }
  const expected = gs1CheckDigit(digits.slice(0, -1));
  const actual = digits.charCodeAt(digits.length - 1) - 48;
  if (expected !== actual) {
    return { ok: false, message: `The check digit should be ${expected}, not ${actual}.` };
  }
  return { ok: true, kind };
}
