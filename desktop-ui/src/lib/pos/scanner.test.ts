import { describe, expect, it } from "vitest";
import { ScanCollector } from "./scanner";

/** Types `keys` one after another, `gap` ms apart from `start`; returns what the last key gave. */
function type(collector: ScanCollector, keys: string[], gap: number, start = 1000): string | null {
  let result: string | null = null;
  keys.forEach((key, k) => {
    result = collector.key(key, start + k * gap);
  });
  return result;
}

const EAN13 = [..."8901234567897"];

describe("ScanCollector", () => {
  it("returns a fast run of digits ending in Enter", () => {
    expect(type(new ScanCollector(), [...EAN13, "Enter"], 10)).toBe("8901234567897");
  });

  it("accepts an 8-digit code but nothing shorter", () => {
    expect(type(new ScanCollector(), [..."12345670", "Enter"], 5)).toBe("12345670");
    expect(type(new ScanCollector(), [..."1234567", "Enter"], 5)).toBeNull();
  });

  it("ignores a person typing digits slowly", () => {
    expect(type(new ScanCollector(), [...EAN13, "Enter"], 120)).toBeNull();
  });

  it("treats 50 ms or more between keys as a person", () => {
    expect(type(new ScanCollector(), [...EAN13, "Enter"], 50)).toBeNull();
    expect(type(new ScanCollector(), [...EAN13, "Enter"], 49)).toBe("8901234567897");
  });

  it("starts again after a pause, keeping only the fast run", () => {
    const collector = new ScanCollector();
    type(collector, [..."555"], 200);
    expect(type(collector, [...EAN13, "Enter"], 8, 5000)).toBe("8901234567897");
  });

  it("needs the Enter to come quickly too", () => {
    const collector = new ScanCollector();
    type(collector, EAN13, 8);
    expect(collector.key("Enter", 1000 + 12 * 8 + 500)).toBeNull();
  });

  it("drops the run on any other key", () => {
    const collector = new ScanCollector();
    expect(type(collector, [..."890123", "a", ..."4567897", "Enter"], 5)).toBeNull();
  });

  it("forgets a scan once returned", () => {
    const collector = new ScanCollector();
    expect(type(collector, [...EAN13, "Enter"], 5)).toBe("8901234567897");
    expect(collector.key("Enter", 2000)).toBeNull();
  });
});
