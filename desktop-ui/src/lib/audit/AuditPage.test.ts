import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

import { invoke } from "@tauri-apps/api/core";
import type { AuditEntryView, AuditQueryInput } from "../bindings";
import { deferred } from "../testing";
import { fakeCore, person } from "../shell/testing/fakeCore";
import AuditPage from "./AuditPage.svelte";

const PEOPLE = [person(), person({ id: "s-ravi", name: "Ravi", role: "cashier", archived: true })];

function entry(overrides: Partial<AuditEntryView> = {}): AuditEntryView {
  return {
    id: "a-1",
    at_ms: new Date(2025, 2, 12, 15, 45).getTime(),
    staff_name: "Asha",
    device_id: "d-1",
    action: "price_changed",
    subject: "Silk saree (Red / M)",
    field: "price",
    old_value: "INR 1000.00",
    new_value: "INR 1200.00",
    reason: null,
    ...overrides,
  };
}

/** The query of every audit_log call so far. */
function queries(calls: Array<[string, unknown]>): AuditQueryInput[] {
  return calls.filter(([c]) => c === "audit_log").map(([, a]) => (a as { query: AuditQueryInput }).query);
}

beforeEach(() => {
  vi.mocked(invoke).mockReset();
});

describe("AuditPage", () => {
  it("lists entries in words with the shop's money format", async () => {
    fakeCore({
      list_staff: () => PEOPLE,
      audit_log: () => [
        entry(),
        entry({
          id: "a-2",
          action: "pin_wrong",
          staff_name: null,
          subject: "Ravi",
          field: null,
          old_value: null,
          new_value: null,
        }),
      ],
    });
    render(AuditPage, { locale: "en-IN" });
    const table = await screen.findByRole("table", { name: "Audit log" });
    const rows = within(table).getAllByRole("row");
    expect(rows).toHaveLength(3);
    const first = within(rows[1]!);
    expect(first.getByText("Price changed")).toBeTruthy();
    expect(first.getByText("₹1,000.00 → ₹1,200.00")).toBeTruthy();
    expect(first.getByText("Silk saree (Red / M)")).toBeTruthy();
    expect(within(rows[2]!).getByText("Nobody signed in")).toBeTruthy();
    expect(within(rows[2]!).getByText("Wrong PIN")).toBeTruthy();
  });

  it("builds the AuditQueryInput from the filters", async () => {
    const { calls } = fakeCore({ list_staff: () => PEOPLE, audit_log: () => [] });
    render(AuditPage, { locale: "en-IN" });
    await screen.findByText("Nothing has been recorded yet.");
    expect(queries(calls)).toEqual([{ staff_id: null, action: null, from_ms: null, until_ms: null }]);
    expect(calls.find(([c]) => c === "list_staff")?.[1]).toEqual({ includeArchived: true });

    const personSelect = screen.getByLabelText("Person") as HTMLSelectElement;
    await waitFor(() => expect(within(personSelect).getByRole("option", { name: "Ravi (archived)" })).toBeTruthy());
    await fireEvent.change(personSelect, { target: { value: "s-ravi" } });
    await fireEvent.change(screen.getByLabelText("Action"), { target: { value: "stock_adjusted" } });
    await fireEvent.input(screen.getByLabelText("From"), { target: { value: "2025-03-01" } });
    await fireEvent.change(screen.getByLabelText("From"));
    await fireEvent.input(screen.getByLabelText("To"), { target: { value: "2025-03-31" } });
    await fireEvent.change(screen.getByLabelText("To"));

    await waitFor(() =>
      expect(queries(calls).at(-1)).toEqual({
        staff_id: "s-ravi",
        action: "stock_adjusted",
        from_ms: new Date(2025, 2, 1).getTime(),
        until_ms: new Date(2025, 3, 1).getTime(),
      }),
    );
    expect(await screen.findByText("No entries match these filters.")).toBeTruthy();

    await fireEvent.click(screen.getByRole("button", { name: "Clear filters" }));
    await waitFor(() =>
      expect(queries(calls).at(-1)).toEqual({ staff_id: null, action: null, from_ms: null, until_ms: null }),
    );
  });

  it("shows To before From beside To and does not query", async () => {
    const { calls } = fakeCore({ list_staff: () => PEOPLE, audit_log: () => [] });
    render(AuditPage, { locale: "en-IN" });
    await screen.findByText("Nothing has been recorded yet.");
    await fireEvent.input(screen.getByLabelText("From"), { target: { value: "2025-03-10" } });
    await fireEvent.change(screen.getByLabelText("From"));
    const before = queries(calls).length;
    const to = screen.getByLabelText("To");
    await fireEvent.input(to, { target: { value: "2025-03-09" } });
    await fireEvent.change(to);
    await waitFor(() => expect(to.getAttribute("aria-invalid")).toBe("true"));
    const described = document.getElementById(to.getAttribute("aria-describedby")!);
    expect(described?.textContent).toMatch(/before/);
    expect(document.activeElement).toBe(to);
    expect(queries(calls).length).toBe(before);
  });

  it("shows only the newest answer when filters change quickly", async () => {
    const slow = deferred<AuditEntryView[]>();
    let n = 0;
    fakeCore({
      list_staff: () => PEOPLE,
      audit_log: () => (++n === 2 ? slow.promise : n === 1 ? [] : [entry({ subject: "Newest" })]),
    });
    render(AuditPage, { locale: "en-IN" });
    await screen.findByText("Nothing has been recorded yet.");
    await fireEvent.change(screen.getByLabelText("Action"), { target: { value: "price_changed" } });
    await fireEvent.change(screen.getByLabelText("Action"), { target: { value: "cost_changed" } });
    await screen.findByText("Newest");
    slow.resolve([entry({ id: "old", subject: "Stale" })]);
    await new Promise((r) => setTimeout(r, 0));
    expect(screen.queryByText("Stale")).toBeNull();
  });
});
