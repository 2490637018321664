import { describe, expect, it } from "vitest";
import type { AuditEntryView } from "../bindings";
import { NO_FILTERS, actionLabel, buildAuditQuery, formatChange } from "./auditQuery";

function entry(overrides: Partial<AuditEntryView>): AuditEntryView {
  return {
    id: "a-1",
    at_ms: 0,
    staff_name: "Asha",
    device_id: "d-1",
    action: "price_changed",
    subject: "Silk saree (Red / M)",
    field: "price",
    old_value: null,
    new_value: null,
    reason: null,
    ...overrides,
  };
}

describe("buildAuditQuery", () => {
  it("sends nulls when nothing is chosen", () => {
    expect(buildAuditQuery(NO_FILTERS)).toEqual({
      ok: true,
      query: { staff_id: null, action: null, from_ms: null, until_ms: null },
    });
  });

  it("turns days into local midnights, To being exclusive next midnight", () => {
    const built = buildAuditQuery({ staffId: "s-ravi", action: "stock_adjusted", from: "2025-03-01", to: "2025-03-31" });
    expect(built).toEqual({
      ok: true,
      query: {
        staff_id: "s-ravi",
        action: "stock_adjusted",
        from_ms: new Date(2025, 2, 1).getTime(),
        until_ms: new Date(2025, 3, 1).getTime(),
      },
    });
  });

  it("one day is From that day To that day", () => {
    const built = buildAuditQuery({ ...NO_FILTERS, from: "2024-12-31", to: "2024-12-31" });
    expect(built.ok && built.query.until_ms! - built.query.from_ms!).toBe(
      new Date(2025, 0, 1).getTime() - new Date(2024, 11, 31).getTime(),
    );
  });

  it("refuses To before From", () => {
    const built = buildAuditQuery({ ...NO_FILTERS, from: "2025-03-10", to: "2025-03-09" });
    expect(built).toMatchObject({ ok: false, field: "to" });
  });
});

describe("formatChange", () => {
  it("shows money in the shop's locale", () => {
    expect(formatChange(entry({ old_value: "INR 10.00", new_value: "INR 100000.50" }), "en-IN")).toBe(
      "₹10.00 → ₹1,00,000.50",
    );
  });

  it("shows stock and roles in words, and odd values as given", () => {
    expect(
      formatChange(entry({ field: "on_hand", old_value: "120000", new_value: "119998.5" }), "en-IN"),
    ).toBe("1,20,000 → 1,19,998.5");
    expect(formatChange(entry({ field: "role", old_value: "cashier", new_value: "manager" }), "en-IN")).toBe(
      "Cashier → Manager",
    );
    expect(formatChange(entry({ field: "note", old_value: null, new_value: "something" }), "en-IN")).toBe(
      "something",
    );
    expect(formatChange(entry({ field: null }), "en-IN")).toBe("");
  });

  it("names actions in words", () => {
    expect(actionLabel("pin_refused_locked")).toBe("PIN tried while locked out");
    expect(actionLabel("shop_moved")).toBe("shop moved");
  });
});
