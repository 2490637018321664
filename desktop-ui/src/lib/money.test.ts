import { describe, expect, it } from "vitest";
import { currencyExponent, formatMoney, minorToDecimalString, splitMinor } from "./money";

describe("currencyExponent", () => {
  it("knows the common currencies", () => {
    expect(currencyExponent("INR")).toBe(2);
    expect(currencyExponent("USD")).toBe(2);
    expect(currencyExponent("EUR")).toBe(2);
    expect(currencyExponent("JPY")).toBe(0);
    expect(currencyExponent("jpy")).toBe(0);
    expect(currencyExponent("KWD")).toBe(3);
  });
});

describe("splitMinor", () => {
  it("splits exactly with integers", () => {
    expect(splitMinor(129950, 2)).toEqual({ negative: false, whole: 1299n, fraction: "50" });
    expect(splitMinor(5, 2)).toEqual({ negative: false, whole: 0n, fraction: "05" });
    expect(splitMinor(-1, 2)).toEqual({ negative: true, whole: 0n, fraction: "01" });
    expect(splitMinor(1500, 0)).toEqual({ negative: false, whole: 1500n, fraction: "" });
    expect(splitMinor(0, 2)).toEqual({ negative: false, whole: 0n, fraction: "00" });
  });

  it("rejects amounts that are not whole minor units", () => {
    expect(() => splitMinor(12.5, 2)).toThrow(RangeError);
    expect(() => splitMinor(Number.MAX_SAFE_INTEGER + 2, 2)).toThrow(RangeError);
    expect(() => splitMinor(Number.NaN, 2)).toThrow(RangeError);
  });
});

describe("minorToDecimalString", () => {
  it("gives the text the price field shows", () => {
    expect(minorToDecimalString(129950, "INR")).toBe("1299.50");
    expect(minorToDecimalString(5, "INR")).toBe("0.05");
    expect(minorToDecimalString(-5, "INR")).toBe("-0.05");
    expect(minorToDecimalString(1500, "JPY")).toBe("1500");
    expect(minorToDecimalString(0, "USD")).toBe("0.00");
  });
});

describe("formatMoney", () => {
  it("groups Indian style: ₹1,00,000.00", () => {
    expect(formatMoney(10_000_000, "INR", "en-IN")).toBe("₹1,00,000.00");
  });

  it("formats paise under one rupee: ₹0.05", () => {
    expect(formatMoney(5, "INR", "en-IN")).toBe("₹0.05");
    expect(formatMoney(0, "INR", "en-IN")).toBe("₹0.00");
  });

  it("formats ₹12,34,567.89", () => {
    expect(formatMoney(123_456_789, "INR", "en-IN")).toBe("₹12,34,567.89");
  });

  it("formats negative amounts", () => {
    expect(formatMoney(-129_950, "INR", "en-IN")).toBe("-₹1,299.50");
    expect(formatMoney(-5, "INR", "en-IN")).toBe("-₹0.05");
    expect(formatMoney(-100, "USD", "en-US")).toBe("-$1.00");
  });

  it("formats JPY with no fraction digits", () => {
    expect(formatMoney(1500, "JPY", "ja-JP")).toBe("￥1,500");
    expect(formatMoney(1500, "JPY", "en-US")).toBe("¥1,500");
    expect(formatMoney(0, "JPY", "en-US")).toBe("¥0");
  });

  it("follows the locale's separators and sign position", () => {
    expect(formatMoney(123_456, "EUR", "de-DE")).toBe("1.234,56\u00a0€");
    expect(formatMoney(-5, "EUR", "de-DE")).toBe("-0,05\u00a0€");
    expect(formatMoney(129_950, "USD", "en-US")).toBe("$1,299.50");
  });

  it("writes fraction digits in the locale's own digits", () => {
    expect(formatMoney(123_405, "INR", "bn-IN")).toBe("₹১,২৩৪.০৫");
  });

  it("is exact where floating point would not be", () => {
    // 0.1 + 0.2 style errors cannot happen: 29 paise stays 29 paise.
    expect(formatMoney(29, "INR", "en-IN")).toBe("₹0.29");
    expect(formatMoney(1_000_000_007, "INR", "en-IN")).toBe("₹1,00,00,000.07");
    expect(formatMoney(Number.MAX_SAFE_INTEGER, "INR", "en-IN")).toBe("₹9,00,71,99,25,47,409.91");
    expect(formatMoney(123_456_789_012_345_678_901n, "USD", "en-US")).toBe(
      "$1,234,567,890,123,456,789.01",
    );
  });

  it("falls back to plain text for an unknown locale or currency", () => {
    expect(formatMoney(129_950, "INR", "not a locale!")).toBe("INR 1299.50");
    expect(formatMoney(-5, "XXXX", "en-IN")).toBe("-XXXX 0.05");
  });

  it("refuses fractional minor units", () => {
    expect(() => formatMoney(0.5, "INR", "en-IN")).toThrow(RangeError);
  });
});
