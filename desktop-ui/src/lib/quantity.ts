// Quantities cross IPC as integer thousandths (MONEY.md): 2 pieces are 2000, 0.250 kg
// is 250. This module only formats them; core parses what people type.

const SCALE = 1000n;

/** "1,00,000" for en-IN, "2.5", "-0.25": whole units grouped by the locale, then up to
 * three decimals with trailing zeros dropped. No floating point. */
export function formatQuantity(milli: number, locale: string): string {
  if (!Number.isSafeInteger(milli)) {
    throw new RangeError(`A quantity must be whole thousandths, got ${String(milli)}.`);
  }
  const value = BigInt(milli);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const whole = abs / SCALE;
  const fraction = abs % SCALE;
  const grouped = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(whole);
  const decimals = fraction === 0n ? "" : "." + fraction.toString().padStart(3, "0").replace(/0+$/, "");
  return `${negative ? "-" : ""}${grouped}${decimals}`;
}

/** The same figure as an editable text, without grouping: "2.5", "-3". */
export function quantityInputText(milli: number): string {
  return formatQuantity(milli, "en-US").replace(/,/g, "");
}
