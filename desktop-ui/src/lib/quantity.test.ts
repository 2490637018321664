import { describe, expect, it } from "vitest";
import { formatQuantity, quantityInputText } from "./quantity";

describe("formatQuantity", () => {
  it("shows counted and weighed goods exactly", () => {
    expect(formatQuantity(2000, "en-IN")).toBe("2");
    expect(formatQuantity(250, "en-IN")).toBe("0.25");
    expect(formatQuantity(1005, "en-IN")).toBe("1.005");
    expect(formatQuantity(-1500, "en-IN")).toBe("-1.5");
    expect(formatQuantity(-250, "en-IN")).toBe("-0.25");
  });

  it("groups whole units the Indian way for en-IN", () => {
    expect(formatQuantity(100_000_000, "en-IN")).toBe("1,00,000");
    expect(formatQuantity(100_000_000, "en-US")).toBe("100,000");
  });

  it("refuses what is not whole thousandths", () => {
    expect(() => formatQuantity(1.5, "en-IN")).toThrow(RangeError);
  });

  it("gives typed text without grouping", () => {
    expect(quantityInputText(1_234_500)).toBe("1234.5");
  });
});
