import { describe, expect, it } from "vitest";
import { ratePercentText, taxLabel } from "./rates";

describe("ratePercentText", () => {
  it.each([
    [90_000, "9"],
    [180_000, "18"],
    [25_000, "2.5"],
    [1_250, "0.125"],
    [1, "0.0001"],
    [0, "0"],
    [1_000_000, "100"],
    [-25_000, "-2.5"],
  ])("%i ppm is %s%%", (ppm, text) => {
    expect(ratePercentText(ppm)).toBe(text);
  });

  it("refuses fractions of a ppm", () => {
    expect(() => ratePercentText(0.5)).toThrow(RangeError);
  });
});

describe("taxLabel", () => {
  it("joins the component and its rate", () => {
    expect(taxLabel({ name: "CGST", rate_ppm: 90_000 })).toBe("CGST 9%");
    expect(taxLabel({ name: "Cess", rate_ppm: 125_000 })).toBe("Cess 12.5%");
  });
});
