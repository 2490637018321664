import { fireEvent, render, screen } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

import { invoke } from "@tauri-apps/api/core";
import { fakeCore, ipcError } from "../shell/testing/fakeCore";
import ReceiptPanel from "./ReceiptPanel.svelte";
import { receiptOf } from "./sell/testFixtures";

beforeEach(() => {
  vi.mocked(invoke).mockReset();
  vi.spyOn(console, "error").mockImplementation(() => {});
});

describe("ReceiptPanel", () => {
  it("shows the receipt as it prints and the change to hand back", () => {
    render(ReceiptPanel, {
      props: { receipt: receiptOf({ change_minor: 2000 }), locale: "en-IN", currency: "INR", onNew: () => {} },
    });
    expect(screen.getByRole("heading", { name: "Receipt S1-C1-000001" })).toBeTruthy();
    expect(screen.getByLabelText("Receipt").textContent).toBe(
      "Lakshmi Sarees\nSilk saree (Red)   1,180.00\nTOTAL   1,180.00",
    );
    expect(screen.getByText("Change due ₹20.00")).toBeTruthy();
  });

  it("names a return as a return and hides zero change", () => {
    render(ReceiptPanel, {
      props: { receipt: receiptOf({ kind: "return", number: "S1-C1-R000002" }), locale: "en-IN", currency: "INR" },
    });
    expect(screen.getByRole("heading", { name: "Return S1-C1-R000002" })).toBeTruthy();
    expect(screen.queryByText(/Change due/)).toBeNull();
    expect(screen.queryByRole("button", { name: "New sale" })).toBeNull();
  });

  it("prints to the counter's printer and says where", async () => {
    const core = fakeCore({ print_receipt: () => ({ path: "/dev/usb/lp0", bytes: 812 }) });
    render(ReceiptPanel, { props: { receipt: receiptOf(), locale: "en-IN", currency: "INR" } });
    await fireEvent.click(screen.getByRole("button", { name: "Print receipt" }));
    expect(await screen.findByText("Printed to /dev/usb/lp0")).toBeTruthy();
    expect(core.calls).toEqual([["print_receipt", { number: "S1-C1-000001" }]]);
  });

  it("shows why printing failed", async () => {
    fakeCore({
      print_receipt: () => {
        throw ipcError("print_failed", "The printer /dev/usb/lp0 is not connected.");
      },
    });
    render(ReceiptPanel, { props: { receipt: receiptOf(), locale: "en-IN", currency: "INR" } });
    await fireEvent.click(screen.getByRole("button", { name: "Print receipt" }));
    expect((await screen.findByRole("alert")).textContent).toBe("The printer /dev/usb/lp0 is not connected.");
  });

  it("prints the page and starts the next sale with its own label", async () => {
    const print = vi.spyOn(window, "print").mockImplementation(() => {});
    const onNew = vi.fn();
    render(ReceiptPanel, {
      props: { receipt: receiptOf(), locale: "en-IN", currency: "INR", onNew, newLabel: "New return" },
    });
    await fireEvent.click(screen.getByRole("button", { name: "Print page" }));
    expect(print).toHaveBeenCalledOnce();
    const next = screen.getByRole("button", { name: "New return" });
    expect(document.activeElement).toBe(next);
    await fireEvent.click(next);
    expect(onNew).toHaveBeenCalledOnce();
  });
});
