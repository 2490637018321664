import { describe, expect, it } from "vitest";
import { countedTotal, DENOMINATIONS, parseCount } from "./denominations";

describe("denominations", () => {
  it("lists INR notes and coins largest first with rupee labels", () => {
    expect(DENOMINATIONS.map((d) => d.label)).toEqual([
      "₹2000",
      "₹500",
      "₹200",
      "₹100",
      "₹50",
      "₹20",
      "₹10",
      "₹5",
      "₹2",
      "₹1",
    ]);
    expect(DENOMINATIONS[1]).toEqual({ value_minor: 50000, label: "₹500" });
  });

  it("reads counts as whole numbers only", () => {
    expect(parseCount("")).toBe(0n);
    expect(parseCount(" 12 ")).toBe(12n);
    expect(parseCount("1.5")).toBeNull();
    expect(parseCount("-2")).toBeNull();
    expect(parseCount("ten")).toBeNull();
  });

  it("sums value times count exactly", () => {
    expect(countedTotal({})).toBe(0n);
    expect(countedTotal({ 50000: "3", 100: "7", 1000: "" })).toBe(150700n);
    // Far beyond Number.MAX_SAFE_INTEGER paise, still exact.
    expect(countedTotal({ 200000: "99999999999999" })).toBe(19999999999999800000n);
    expect(countedTotal({ 500: "x" })).toBeNull();
  });
});
