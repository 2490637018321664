import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

import { invoke } from "@tauri-apps/api/core";
import { session } from "../session.svelte";
import { fakeCore, ipcError, person, signedIn } from "../shell/testing/fakeCore";
import ShiftPage from "./ShiftPage.svelte";
import { posStateWith, xReport, zReport } from "./shift/testing";

const props = { locale: "en-IN", currency: "INR" };

beforeEach(() => {
  vi.mocked(invoke).mockReset();
  session.signedIn = signedIn(person({ role: "cashier", name: "Ravi", id: "s-ravi" }));
});

afterEach(() => {
  session.signedIn = null;
});

/** The amount cell of a report row found by its label. */
function row(section: HTMLElement, label: string): string {
  const header = within(section).getByRole("rowheader", { name: label });
  return header.closest("tr")?.querySelector("td")?.textContent?.trim() ?? "";
}

describe("ShiftPage", () => {
  it("opens a shift with the float and shows the X report", async () => {
    const { calls } = fakeCore({
      pos_state: () => posStateWith(null),
      open_shift: () => xReport(),
    });
    render(ShiftPage, props);
    await fireEvent.input(await screen.findByLabelText("Opening float"), { target: { value: "2000" } });
    await fireEvent.click(screen.getByRole("button", { name: "Open shift" }));

    const report = await screen.findByRole("region", { name: "X report" });
    expect(calls.find(([c]) => c === "open_shift")?.[1]).toEqual({ float: "2000" });
    expect(row(report, "Sales")).toBe("₹5,500.00");
    expect(row(report, "Returns")).toBe("₹200.00");
    expect(row(report, "Discounts")).toBe("₹50.00");
    expect(row(report, "Tax")).toBe("₹261.90");
    expect(row(report, "CGST 2.5%")).toBe("₹130.95");
    expect(row(report, "Rounding")).toBe("-₹0.40");
    expect(row(report, "Net")).toBe("₹5,299.60");
    expect(row(report, "Cash")).toBe("₹3,000.00");
    expect(row(report, "UPI")).toBe("₹2,500.00");
    // Methods nobody used still read as zero.
    expect(row(report, "Card")).toBe("₹0.00");
    expect(row(report, "Store credit")).toBe("₹0.00");
    expect(row(report, "Expected cash")).toBe("₹4,800.00");
    expect(within(report).queryByRole("rowheader", { name: "Over/short" })).toBeNull();
    expect(screen.queryByLabelText("Opening float")).toBeNull();
  });

  it("shows the open shift's report on arrival and records cash out", async () => {
    const after = xReport({
      expected_cash_minor: 430000,
      cash_movements: [{ kind: "out", amount_minor: 50000, reason: "Tea and snacks", staff_name: "Ravi", at_ms: 1 }],
    });
    const { calls } = fakeCore({
      pos_state: () => posStateWith(xReport()),
      cash_movement: () => after,
    });
    render(ShiftPage, props);
    const report = await screen.findByRole("region", { name: "X report" });
    expect(row(report, "Expected cash")).toBe("₹4,800.00");

    await fireEvent.change(screen.getByLabelText("Cash in or out"), { target: { value: "out" } });
    await fireEvent.input(screen.getByLabelText("Cash amount"), { target: { value: "500" } });
    await fireEvent.input(screen.getByLabelText("Cash reason"), { target: { value: "Tea and snacks" } });
    await fireEvent.click(screen.getByRole("button", { name: "Record cash" }));

    await screen.findByText("Cash out recorded.");
    expect(calls.find(([c]) => c === "cash_movement")?.[1]).toEqual({
      kind: "out",
      amount: "500",
      reason: "Tea and snacks",
    });
    expect(row(screen.getByRole("region", { name: "X report" }), "Expected cash")).toBe("₹4,300.00");
    const movements = screen.getByRole("table", { name: "Cash movements" });
    expect(within(movements).getByText("Tea and snacks")).toBeTruthy();
    expect((screen.getByLabelText("Cash amount") as HTMLInputElement).value).toBe("");
  });

  it("asks for a reason before recording cash and puts core's amount error beside the amount", async () => {
    const { calls } = fakeCore({
      pos_state: () => posStateWith(xReport()),
      cash_movement: () => Promise.reject(ipcError("input_invalid", "Cash amount: type an amount above zero.")),
    });
    render(ShiftPage, props);
    const amount = await screen.findByLabelText("Cash amount");
    await fireEvent.input(amount, { target: { value: "0" } });
    await fireEvent.click(screen.getByRole("button", { name: "Record cash" }));
    const reason = screen.getByLabelText("Cash reason");
    expect(reason.getAttribute("aria-invalid")).toBe("true");
    expect(calls.some(([c]) => c === "cash_movement")).toBe(false);

    await fireEvent.input(reason, { target: { value: "Change" } });
    await fireEvent.click(screen.getByRole("button", { name: "Record cash" }));
    await waitFor(() => expect(amount.getAttribute("aria-invalid")).toBe("true"));
    expect(document.getElementById(amount.getAttribute("aria-describedby")!)?.textContent).toBe(
      "Cash amount: type an amount above zero.",
    );
  });

  it("counts the drawer, confirms, closes and shows the Z report with the shortfall", async () => {
    const { calls } = fakeCore({
      pos_state: () => posStateWith(xReport()),
      close_shift: () => zReport(),
    });
    render(ShiftPage, props);
    await fireEvent.input(await screen.findByLabelText("Count of ₹500"), { target: { value: "9" } });
    await fireEvent.input(screen.getByLabelText("Count of ₹100"), { target: { value: "2" } });
    await fireEvent.input(screen.getByLabelText("Count of ₹1"), { target: { value: "x" } });
    const drawer = screen.getByRole("table", { name: "Drawer count" });
    const fiveHundreds = within(drawer).getByRole("rowheader", { name: "₹500" }).closest("tr");
    expect(fiveHundreds?.lastElementChild?.textContent).toBe("₹4,500.00");
    expect(within(drawer).getByText("Type a whole number.")).toBeTruthy();
    expect(within(drawer).getByRole("rowheader", { name: "Counted total" }).closest("tr")?.textContent).toMatch(/—/);

    await fireEvent.input(screen.getByLabelText("Count of ₹1"), { target: { value: "" } });
    expect(within(drawer).getByRole("rowheader", { name: "Counted total" }).closest("tr")?.textContent).toMatch(
      "₹4,700.00",
    );

    await fireEvent.click(screen.getByRole("button", { name: "Close shift" }));
    const dialog = screen.getByRole("dialog", { name: "Close the shift?" });
    expect(calls.some(([c]) => c === "close_shift")).toBe(false);
    await fireEvent.click(within(dialog).getByRole("button", { name: "Yes, close shift" }));

    const z = await screen.findByRole("region", { name: "Z report" });
    const sent = calls.find(([c]) => c === "close_shift")?.[1] as { denominations: Array<{ value_minor: number; count: string }> };
    expect(sent.denominations).toHaveLength(10);
    expect(sent.denominations).toContainEqual({ value_minor: 50000, count: "9" });
    expect(sent.denominations).toContainEqual({ value_minor: 10000, count: "2" });
    expect(sent.denominations).toContainEqual({ value_minor: 100, count: "0" });
    expect(row(z, "Counted cash")).toBe("₹4,700.00");
    expect(row(z, "Over/short")).toBe("Short ₹100.00");
    // The next shift can be opened right below the Z report.
    expect(screen.getByLabelText("Opening float")).toBeTruthy();
    expect(screen.queryByRole("region", { name: "X report" })).toBeNull();
  });

  it("says Over when the drawer holds more than expected", async () => {
    fakeCore({
      pos_state: () => posStateWith(xReport()),
      close_shift: () => zReport({ counted_cash_minor: 480500, over_short_minor: 500 }),
    });
    render(ShiftPage, props);
    await fireEvent.click(await screen.findByRole("button", { name: "Close shift" }));
    await fireEvent.click(screen.getByRole("button", { name: "Yes, close shift" }));
    const z = await screen.findByRole("region", { name: "Z report" });
    expect(row(z, "Over/short")).toBe("Over ₹5.00");
  });

  it("shows a float error beside the float and a close error in the count form", async () => {
    fakeCore({
      pos_state: () => posStateWith(null),
      open_shift: () => Promise.reject(ipcError("input_invalid", "Opening float: use at most two decimals.")),
    });
    render(ShiftPage, props);
    const float = await screen.findByLabelText("Opening float");
    await fireEvent.input(float, { target: { value: "1.234" } });
    await fireEvent.click(screen.getByRole("button", { name: "Open shift" }));
    await waitFor(() => expect(float.getAttribute("aria-invalid")).toBe("true"));
    expect(document.getElementById(float.getAttribute("aria-describedby")!)?.textContent).toMatch(/two decimals/);
    expect(document.activeElement).toBe(float);
  });

  it("keeps the count when closing fails", async () => {
    fakeCore({
      pos_state: () => posStateWith(xReport()),
      close_shift: () => Promise.reject(ipcError("input_invalid", "Counts must be whole numbers.")),
    });
    render(ShiftPage, props);
    const count = await screen.findByLabelText("Count of ₹2000");
    await fireEvent.input(count, { target: { value: "1" } });
    await fireEvent.click(screen.getByRole("button", { name: "Close shift" }));
    await fireEvent.click(screen.getByRole("button", { name: "Yes, close shift" }));
    expect((await screen.findByRole("alert")).textContent).toBe("Counts must be whole numbers.");
    expect((count as HTMLInputElement).value).toBe("1");
    expect(screen.getByRole("region", { name: "X report" })).toBeTruthy();
  });
});
