import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

import { invoke } from "@tauri-apps/api/core";
import type { CustomerView } from "../bindings";
import { session } from "../session.svelte";
import { fakeCore, ipcError, person, signedIn } from "../shell/testing/fakeCore";
import CustomersPage from "./CustomersPage.svelte";

const props = { locale: "en-IN", currency: "INR", debounceMs: 5 };

const MEENA: CustomerView = { id: "c-1", name: "Meena", phone: "9876543210", gstin: null, store_credit_minor: 45000 };
const RAJ: CustomerView = { id: "c-2", name: "Raj Traders", phone: "9123456780", gstin: "29ABCDE1234F1Z5", store_credit_minor: 0 };

beforeEach(() => {
  vi.mocked(invoke).mockReset();
  session.signedIn = signedIn(person({ role: "cashier", name: "Ravi", id: "s-ravi" }));
});

afterEach(() => {
  session.signedIn = null;
});

describe("CustomersPage", () => {
  it("lists customers, searches as you type and shows a customer's history", async () => {
    const { calls } = fakeCore({
      find_customers: (a) => ((a.text as string) === "" ? [MEENA, RAJ] : [RAJ]),
      customer_history: () => ({
        customer: RAJ,
        receipts: [
          { number: "S1-C1-000042", kind: "sale", at_ms: Date.UTC(2025, 2, 12), customer_name: "Raj Traders", grand_total_minor: 197800 },
          { number: "S1-C1-R000007", kind: "return", at_ms: Date.UTC(2025, 2, 13), customer_name: "Raj Traders", grand_total_minor: 89900 },
        ],
      }),
    });
    render(CustomersPage, props);
    const table = await screen.findByRole("table", { name: "Customers" });
    const meena = within(table).getByRole("button", { name: "Meena" }).closest("tr")!;
    expect(within(meena).getByText("₹450.00")).toBeTruthy();

    await fireEvent.input(screen.getByLabelText("Find customer"), { target: { value: "9123" } });
    await waitFor(() => expect(screen.queryByRole("button", { name: "Meena" })).toBeNull());
    expect(calls.filter(([c]) => c === "find_customers").at(-1)?.[1]).toEqual({ text: "9123" });
    expect(within(screen.getByRole("table", { name: "Customers" })).getByText("29ABCDE1234F1Z5")).toBeTruthy();

    await fireEvent.click(screen.getByRole("button", { name: "Raj Traders" }));
    const past = await screen.findByRole("table", { name: "Past purchases" });
    expect(calls.find(([c]) => c === "customer_history")?.[1]).toEqual({ customerId: "c-2" });
    expect(within(past).getByText("S1-C1-000042")).toBeTruthy();
    expect(within(past).getByText("₹1,978.00")).toBeTruthy();
    expect(within(past).getByText("Return")).toBeTruthy();
    expect(screen.getByText("Store credit", { selector: "dt" }).nextElementSibling?.textContent).toBe("₹0.00");
  });

  it("adds a customer and opens their history", async () => {
    const added: CustomerView = { id: "c-3", name: "Anil", phone: "9000000001", gstin: null, store_credit_minor: 0 };
    const { calls } = fakeCore({
      find_customers: () => [MEENA],
      add_customer: () => added,
      customer_history: () => ({ customer: added, receipts: [] }),
    });
    render(CustomersPage, props);
    await screen.findByRole("button", { name: "Meena" });
    await fireEvent.input(screen.getByLabelText("Customer name"), { target: { value: " Anil " } });
    await fireEvent.input(screen.getByLabelText("Phone"), { target: { value: "9000000001" } });
    await fireEvent.click(screen.getByRole("button", { name: "Save customer" }));

    await screen.findByText("Added Anil.");
    expect(calls.find(([c]) => c === "add_customer")?.[1]).toEqual({
      customer: { name: "Anil", phone: "9000000001", gstin: "" },
    });
    expect(screen.getByRole("button", { name: "Anil" }).getAttribute("aria-pressed")).toBe("true");
    await screen.findByText("No purchases yet.");
    expect((screen.getByLabelText("Customer name") as HTMLInputElement).value).toBe("");
  });

  it("shows core's errors beside the field they are about", async () => {
    fakeCore({
      find_customers: () => [],
      add_customer: (a) =>
        (a.customer as { gstin: string }).gstin === ""
          ? Promise.reject(ipcError("customer_invalid", "A customer with phone 9876543210 already exists.", "phone"))
          : Promise.reject(ipcError("customer_invalid", "A GSTIN has 15 letters and digits.", "gstin")),
    });
    render(CustomersPage, props);
    await screen.findByText("No customers yet.");
    await fireEvent.input(screen.getByLabelText("Customer name"), { target: { value: "Meena" } });
    const phone = screen.getByLabelText("Phone");
    await fireEvent.input(phone, { target: { value: "9876543210" } });
    await fireEvent.click(screen.getByRole("button", { name: "Save customer" }));
    await waitFor(() => expect(phone.getAttribute("aria-invalid")).toBe("true"));
    expect(document.getElementById(phone.getAttribute("aria-describedby")!)?.textContent).toMatch(/already exists/);
    await waitFor(() => expect(document.activeElement).toBe(phone));

    const gstin = screen.getByLabelText("GSTIN (optional)");
    await fireEvent.input(gstin, { target: { value: "29ABC" } });
    await fireEvent.click(screen.getByRole("button", { name: "Save customer" }));
    await waitFor(() => expect(gstin.getAttribute("aria-invalid")).toBe("true"));
    expect(phone.getAttribute("aria-invalid")).toBeNull();
    expect(document.getElementById(gstin.getAttribute("aria-describedby")!)?.textContent).toBe(
      "A GSTIN has 15 letters and digits.",
    );
  });
});
