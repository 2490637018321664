import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

import { invoke } from "@tauri-apps/api/core";
import type { PosSettingsView, TaxRateView } from "../bindings";
import { session } from "../session.svelte";
import { fakeCore, ipcError } from "../shell/testing/fakeCore";
import CounterSettingsPage from "./CounterSettingsPage.svelte";
import { SETTINGS } from "./shift/testing";

const props = { locale: "en-IN", currency: "INR" };

const RATES: TaxRateView[] = [
  { class: "GST 5%", component: "gst", rate: "5", base: "taxable", effective_from: "2017-07-01" },
  { class: "GST 18%", component: "gst", rate: "18", base: "taxable", effective_from: "2017-07-01" },
];

function signIn(permissions: string[]) {
  session.signedIn = { id: "s-1", name: "Asha", role: "manager", permissions };
}

beforeEach(() => {
  vi.mocked(invoke).mockReset();
  signIn(["sell", "manage_settings"]);
});

afterEach(() => {
  session.signedIn = null;
});

const value = (label: string) => (screen.getByLabelText(label) as HTMLInputElement).value;

describe("CounterSettingsPage", () => {
  it("tells cashiers the page is not for them and loads nothing", () => {
    signIn(["sell"]);
    const { calls } = fakeCore({});
    render(CounterSettingsPage, props);
    expect(screen.getByText("Only an owner or manager can change the counter settings.")).toBeTruthy();
    expect(screen.queryByLabelText("Shop name")).toBeNull();
    expect(calls).toHaveLength(0);
  });

  it("shows every setting under its label and saves the edited form", async () => {
    const { calls } = fakeCore({
      pos_settings: () => SETTINGS,
      tax_rates: () => RATES,
      save_pos_settings: (a) => ({ ...(a.settings as PosSettingsView), cash_step: "0.50" }),
    });
    render(CounterSettingsPage, props);
    await screen.findByLabelText("Shop name");
    expect(value("Shop name")).toBe("Meena Stores");
    expect(value("Shop address")).toBe("12 MG Road\nBengaluru");
    expect(screen.getByLabelText("Shop address").tagName).toBe("TEXTAREA");
    expect(value("GSTIN")).toBe("29ABCDE1234F1Z5");
    expect(value("State code")).toBe("29");
    expect(value("UPI ID")).toBe("meena@okbank");
    expect((screen.getByLabelText("Prices include tax") as HTMLInputElement).checked).toBe(true);
    expect(value("Rounding")).toBe("half_up");
    expect(Array.from((screen.getByLabelText("Rounding") as HTMLSelectElement).options).map((o) => o.text)).toEqual([
      "Half up",
      "Half even",
      "Down",
    ]);
    expect(value("Tax rounding")).toBe("line");
    expect(value("Cash rounding step")).toBe("1.00");
    expect(value("Receipt prefix")).toBe("S1-C1");
    expect((screen.getByLabelText("Restart numbering each year") as HTMLInputElement).checked).toBe(false);
    expect(value("Scale barcode prefixes")).toBe("21 weight");
    expect(value("Cashier discount limit (%)")).toBe("10");
    expect(value("Printer")).toBe("/dev/usb/lp0");
    expect(value("Paper width")).toBe("80mm");
    expect(value("Time zone (UTC offset)")).toBe("+05:30");

    await fireEvent.input(screen.getByLabelText("Shop name"), { target: { value: "Meena General Stores" } });
    await fireEvent.change(screen.getByLabelText("Tax rounding"), { target: { value: "document" } });
    await fireEvent.change(screen.getByLabelText("Paper width"), { target: { value: "58mm" } });
    await fireEvent.click(screen.getByLabelText("Restart numbering each year"));
    await fireEvent.input(screen.getByLabelText("Cash rounding step"), { target: { value: ".5" } });
    await fireEvent.click(screen.getByRole("button", { name: "Save settings" }));

    await screen.findByText("Settings saved.");
    expect(calls.find(([c]) => c === "save_pos_settings")?.[1]).toEqual({
      settings: {
        ...SETTINGS,
        shop_name: "Meena General Stores",
        tax_rounding: "document",
        paper: "58mm",
        yearly_reset: true,
        cash_step: ".5",
      },
    });
    // The form shows what core kept.
    expect(value("Cash rounding step")).toBe("0.50");
  });

  it("puts a settings error beside its field", async () => {
    fakeCore({
      pos_settings: () => SETTINGS,
      tax_rates: () => RATES,
      save_pos_settings: () =>
        Promise.reject(ipcError("setting_invalid", "The cash step is the smallest coin taken, such as 1.00 or 0.05.", "cash_step")),
    });
    render(CounterSettingsPage, props);
    const step = await screen.findByLabelText("Cash rounding step");
    await fireEvent.input(step, { target: { value: "0" } });
    await fireEvent.click(screen.getByRole("button", { name: "Save settings" }));
    await waitFor(() => expect(step.getAttribute("aria-invalid")).toBe("true"));
    expect(document.getElementById(step.getAttribute("aria-describedby")!)?.textContent).toMatch(/smallest coin/);
    expect(document.activeElement).toBe(step);
    expect(screen.queryByText("Settings saved.")).toBeNull();
  });

  it("edits, adds and removes tax rates and saves the whole table", async () => {
    const { calls } = fakeCore({
      pos_settings: () => SETTINGS,
      tax_rates: () => RATES,
      save_tax_rates: (a) => a.rates as TaxRateView[],
    });
    render(CounterSettingsPage, props);
    const table = await screen.findByRole("table", { name: "Tax rates" });
    expect(value("Class, rate 1")).toBe("GST 5%");
    expect(value("Rate (%), rate 2")).toBe("18");
    expect(value("Base, rate 2")).toBe("taxable");

    await fireEvent.click(screen.getByRole("button", { name: "Remove rate 1" }));
    expect(value("Class, rate 1")).toBe("GST 18%");
    await fireEvent.click(screen.getByRole("button", { name: "Add rate" }));
    const cls = screen.getByLabelText("Class, rate 2");
    expect(document.activeElement).toBe(cls);
    await fireEvent.input(cls, { target: { value: "Aerated drinks" } });
    await fireEvent.input(screen.getByLabelText("Component, rate 2"), { target: { value: "Cess" } });
    await fireEvent.input(screen.getByLabelText("Rate (%), rate 2"), { target: { value: "12" } });
    await fireEvent.change(screen.getByLabelText("Base, rate 2"), { target: { value: "compound" } });
    await fireEvent.input(screen.getByLabelText("Effective from, rate 2"), { target: { value: "2025-04-01" } });
    await fireEvent.click(screen.getByRole("button", { name: "Save tax rates" }));

    await screen.findByText("Tax rates saved.");
    expect(calls.find(([c]) => c === "save_tax_rates")?.[1]).toEqual({
      rates: [
        RATES[1],
        { class: "Aerated drinks", component: "Cess", rate: "12", base: "compound", effective_from: "2025-04-01" },
      ],
    });
    expect(within(table).getAllByRole("row")).toHaveLength(3);
  });

  it("puts a tax rate error in that row's cell", async () => {
    fakeCore({
      pos_settings: () => SETTINGS,
      tax_rates: () => RATES,
      save_tax_rates: () => Promise.reject(ipcError("setting_invalid", "Type a rate such as 18 or 0.25.", "rates.1.rate")),
    });
    render(CounterSettingsPage, props);
    const rate = await screen.findByLabelText("Rate (%), rate 2");
    await fireEvent.input(rate, { target: { value: "eighteen" } });
    await fireEvent.click(screen.getByRole("button", { name: "Save tax rates" }));
    await waitFor(() => expect(rate.getAttribute("aria-invalid")).toBe("true"));
    expect(document.getElementById(rate.getAttribute("aria-describedby")!)?.textContent).toBe(
      "Type a rate such as 18 or 0.25.",
    );
    expect(screen.getByLabelText("Rate (%), rate 1").getAttribute("aria-invalid")).toBeNull();
    expect(document.activeElement).toBe(rate);
  });
});
