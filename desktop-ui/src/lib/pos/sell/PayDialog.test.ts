import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

import { invoke } from "@tauri-apps/api/core";
import type { PaymentInput } from "../../bindings";
import { fakeCore, ipcError } from "../../shell/testing/fakeCore";
import PayDialog from "./PayDialog.svelte";
import { customer, paise, receiptOf } from "./testFixtures";

/** A bill of ₹234.56 in a shop that rounds cash to the rupee. */
function dueAfter(payments: PaymentInput[]) {
  const paid = payments.reduce((sum, p) => sum + paise(p.amount), 0);
  const remaining = Math.max(0, 23456 - paid);
  const cash = Math.ceil(remaining / 100) * 100; // rounds up to the rupee, like this shop's core
  return {
    total_minor: 23456,
    paid_minor: Math.min(paid, 23456),
    remaining_minor: remaining,
    remaining_cash_minor: cash,
  };
}

function renderDialog(props: Partial<{ customer: ReturnType<typeof customer> | null }> = {}) {
  const onComplete = vi.fn();
  const onClose = vi.fn();
  const { unmount } = render(PayDialog, {
    props: { customer: null, locale: "en-IN", currency: "INR", onComplete, onClose, qrDebounceMs: 0, ...props },
  });
  return { onComplete, onClose, unmount, dialog: screen.getByRole("dialog", { name: "Payment" }) };
}

function figure(dialog: HTMLElement, label: string): string | null | undefined {
  return within(dialog).getByText(label).nextElementSibling?.textContent;
}

beforeEach(() => {
  vi.mocked(invoke).mockReset();
  vi.spyOn(console, "error").mockImplementation(() => {});
});

describe("PayDialog", () => {
  it("shows what is due, and the rounded cash figure when it differs", async () => {
    fakeCore({ amount_due: (args) => dueAfter(args["payments"] as PaymentInput[]) });
    const { dialog } = renderDialog();
    const amount = within(dialog).getByLabelText("Amount") as HTMLInputElement;
    await waitFor(() => expect(amount.value).toBe("235.00"));
    expect(figure(dialog, "Total")).toBe("₹234.56");
    expect(figure(dialog, "Paid")).toBe("₹0.00");
    expect(figure(dialog, "Remaining")).toBe("₹234.56");
    expect(figure(dialog, "Cash due")).toBe("₹235.00");
    expect(document.activeElement).toBe(amount);

    await fireEvent.click(within(dialog).getByRole("button", { name: "Card" }));
    expect(amount.value).toBe("234.56");
    expect(within(dialog).getByLabelText("Reference")).toBeTruthy();
    await fireEvent.click(within(dialog).getByRole("button", { name: "Cash" }));
    expect(within(dialog).queryByLabelText("Reference")).toBeNull();
  });

  it("offers store credit only with a customer on the sale", async () => {
    fakeCore({ amount_due: () => dueAfter([]) });
    const first = renderDialog();
    expect(within(first.dialog).queryByRole("button", { name: "Store credit" })).toBeNull();
    first.unmount();
    const second = renderDialog({ customer: customer({ store_credit_minor: 10000 }) });
    await fireEvent.click(within(second.dialog).getByRole("button", { name: "Store credit" }));
    expect(within(second.dialog).getByText("Meera has ₹100.00 in store credit.")).toBeTruthy();
  });

  it("removes a tender and asks core again", async () => {
    const core = fakeCore({ amount_due: (args) => dueAfter(args["payments"] as PaymentInput[]) });
    const { dialog } = renderDialog();
    const amount = within(dialog).getByLabelText("Amount") as HTMLInputElement;
    await waitFor(() => expect(amount.value).toBe("235.00"));
    await fireEvent.input(amount, { target: { value: "100" } });
    await fireEvent.submit(amount.form as HTMLFormElement);
    await waitFor(() => expect(figure(dialog, "Remaining")).toBe("₹134.56"));

    await fireEvent.click(within(dialog).getByRole("button", { name: "Remove payment 1" }));
    await waitFor(() => expect(figure(dialog, "Remaining")).toBe("₹234.56"));
    expect(within(dialog).queryByRole("table", { name: "Payments" })).toBeNull();
    expect(core.calls.map(([, args]) => args)).toEqual([
      { payments: [] },
      { payments: [{ method: "cash", amount: "100", reference: "" }] },
      { payments: [] },
    ]);
  });

  it("shows why a sale could not be completed and keeps the dialog open", async () => {
    fakeCore({
      amount_due: (args) => dueAfter(args["payments"] as PaymentInput[]),
      complete_sale: () => {
        throw ipcError("no_open_shift", "Open a shift first.");
      },
    });
    const { dialog, onComplete } = renderDialog();
    const amount = within(dialog).getByLabelText("Amount") as HTMLInputElement;
    await waitFor(() => expect(amount.value).toBe("235.00"));
    await fireEvent.input(amount, { target: { value: "500" } });
    await fireEvent.click(within(dialog).getByRole("button", { name: "Add payment" }));
    const complete = within(dialog).getByRole("button", { name: "Complete sale" });
    await waitFor(() => expect(complete.hasAttribute("disabled")).toBe(false));
    expect(document.activeElement).toBe(complete);
    expect(within(dialog).queryByRole("button", { name: "Add payment" })).toBeNull();

    await fireEvent.click(complete);
    expect((await within(dialog).findByRole("alert")).textContent).toBe("Open a shift first.");
    expect(onComplete).not.toHaveBeenCalled();
  });

  it("hands the receipt back once the sale is complete", async () => {
    const receipt = receiptOf({ change_minor: 26500 });
    fakeCore({
      amount_due: (args) => dueAfter(args["payments"] as PaymentInput[]),
      complete_sale: () => receipt,
    });
    const { dialog, onComplete } = renderDialog();
    const amount = within(dialog).getByLabelText("Amount") as HTMLInputElement;
    await waitFor(() => expect(amount.value).toBe("235.00"));
    await fireEvent.input(amount, { target: { value: "500" } });
    await fireEvent.click(within(dialog).getByRole("button", { name: "Add payment" }));
    const complete = within(dialog).getByRole("button", { name: "Complete sale" });
    await waitFor(() => expect(complete.hasAttribute("disabled")).toBe(false));
    await fireEvent.click(complete);
    await waitFor(() => expect(onComplete).toHaveBeenCalledWith(receipt));
  });

  it("says when the shop has no UPI id", async () => {
    fakeCore({
      amount_due: () => dueAfter([]),
      upi_qr: () => {
        throw ipcError("setting_missing", "Set the shop's UPI ID in Counter settings first.");
      },
    });
    const { dialog } = renderDialog();
    await waitFor(() => expect((within(dialog).getByLabelText("Amount") as HTMLInputElement).value).toBe("235.00"));
    await fireEvent.click(within(dialog).getByRole("button", { name: "UPI" }));
    expect((await within(dialog).findByRole("alert")).textContent).toBe(
      "Set the shop's UPI ID in Counter settings first.",
    );
    expect(within(dialog).queryByAltText("UPI QR code")).toBeNull();
  });
});
