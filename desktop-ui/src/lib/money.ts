// Money in Galla is always an integer count of minor units (paise, cents).
// This module only formats: it never does floating point arithmetic on money.
// Amounts are split into whole units and fraction digits with BigInt, the
// whole units (an integer) go through Intl for grouping and the currency sign,
// and the fraction digits are put back in as text.

/** Currencies whose minor unit is not 1/100 of the major unit (ISO 4217). */
const EXPONENTS: Readonly<Record<string, number>> = {
  JPY: 0,
  KRW: 0,
  VND: 0,
  CLP: 0,
  ISK: 0,
  UGX: 0,
  XAF: 0,
  XOF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
};

/** Number of fraction digits for a currency: INR/USD/EUR 2, JPY 0. */
export function currencyExponent(currency: string): number {
  return EXPONENTS[currency.toUpperCase()] ?? 2;
}

export type MinorUnits = number | bigint;

function toBigInt(minor: MinorUnits): bigint {
  if (typeof minor === "bigint") return minor;
  if (!Number.isSafeInteger(minor)) {
    throw new RangeError(`Money must be a whole number of minor units, got ${String(minor)}.`);
  }
  return BigInt(minor);
}

export type SplitMoney = {
  negative: boolean;
  /** Whole major units, never negative. */
  whole: bigint;
  /** Exactly `exponent` digits ("" when the exponent is 0). */
  fraction: string;
};

/** Splits minor units into sign, whole units and fraction digits, exactly. */
export function splitMinor(minor: MinorUnits, exponent: number): SplitMoney {
  if (!Number.isInteger(exponent) || exponent < 0) {
    throw new RangeError(`A currency exponent must be a whole number, got ${String(exponent)}.`);
  }
  const value = toBigInt(minor);
  const negative = value < BigInt(0);
  const abs = negative ? -value : value;
  const scale = BigInt(10) ** BigInt(exponent);
  const whole = abs / scale;
  const fraction = exponent === 0 ? "" : (abs % scale).toString().padStart(exponent, "0");
  return { negative, whole, fraction };
}

/**
 * Plain decimal text for an amount, without grouping or currency sign:
 * 129950 INR → "1299.50", 1500 JPY → "1500", -5 INR → "-0.05".
 * This is what the price field shows when editing a product.
 */
export function minorToDecimalString(minor: MinorUnits, currency: string): string {
  const { negative, whole, fraction } = splitMinor(minor, currencyExponent(currency));
  const sign = negative ? "-" : "";
  return fraction === "" ? `${sign}${whole.toString()}` : `${sign}${whole.toString()}.${fraction}`;
}

type Formatter = { nf: Intl.NumberFormat; digits: readonly string[] };
const formatters = new Map<string, Formatter | null>();

const LATIN_DIGITS: readonly string[] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

function formatterFor(locale: string, currency: string, exponent: number): Formatter | null {
  const key = `${locale}\u0000${currency}\u0000${exponent}`;
  const cached = formatters.get(key);
  if (cached !== undefined) return cached;
  let made: Formatter | null;
  try {
    const nf = new Intl.NumberFormat(locale, {
      style: "currency",
      currency,
      minimumFractionDigits: exponent,
      maximumFractionDigits: exponent,
    });
    const numberingSystem = nf.resolvedOptions().numberingSystem;
    let digits = LATIN_DIGITS;
    if (numberingSystem !== "latn") {
      // The locale writes digits in its own script (e.g. bn-IN): write the
      // fraction digits the same way. Each digit 0–9 is an integer.
      const plain = new Intl.NumberFormat(locale, { numberingSystem, useGrouping: false });
      digits = LATIN_DIGITS.map((_, d) => plain.format(d));
    }
    made = { nf, digits };
  } catch {
    // Unknown locale or currency code: fall back to plain text.
    made = null;
  }
  formatters.set(key, made);
  return made;
}

/** Intl takes a number when that is exact, and a bigint for huge amounts. */
function intlValue(value: bigint): number | bigint {
  const limit = BigInt(Number.MAX_SAFE_INTEGER);
  return value <= limit && value >= -limit ? Number(value) : value;
}

/**
 * Formats minor units for display, e.g. formatMoney(10000000, "INR", "en-IN")
 * → "₹1,00,000.00". Throws RangeError if `minor` is not a safe integer.
 */
export function formatMoney(minor: MinorUnits, currency: string, locale: string): string {
  const exponent = currencyExponent(currency);
  const { negative, whole, fraction } = splitMinor(minor, exponent);
  const formatter = formatterFor(locale, currency, exponent);
  if (formatter === null) {
    const body = fraction === "" ? whole.toString() : `${whole.toString()}.${fraction}`;
    return `${negative ? "-" : ""}${currency} ${body}`;
  }
  const { nf, digits } = formatter;
  // Format whole units. For amounts under one unit use 1 as a stand-in (so a
  // negative amount keeps its minus sign: -0 is not reliable across engines)
  // and write the zero ourselves.
  const stand = whole === BigInt(0) ? BigInt(1) : whole;
  const parts = nf.formatToParts(intlValue(negative ? -stand : stand));
  const localDigits = (text: string): string =>
    text.replace(/[0-9]/g, (d) => digits[Number(d)] ?? d);
  let out = "";
  for (const part of parts) {
    if (part.type === "integer" && whole === BigInt(0)) {
      out += digits[0];
    } else if (part.type === "fraction") {
      out += localDigits(fraction);
    } else {
      out += part.value;
    }
  }
  return out;
}
