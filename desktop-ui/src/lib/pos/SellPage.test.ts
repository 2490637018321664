import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

import { invoke } from "@tauri-apps/api/core";
import type { CartLineView, CartView, PaymentInput, ProductRowView } from "../bindings";
import { session } from "../session.svelte";
import { fakeCore, ipcError } from "../shell/testing/fakeCore";
import { deferred } from "../testing";
import SellPage from "./SellPage.svelte";
import { cartOf, customer, line, paise, posStateOf, receiptOf } from "./sell/testFixtures";

const SAREE_CODE = "8901234567897";
const saree = line();
const kurta = line({
  line_id: "l-2",
  variant_id: "v-kurta-m",
  name: "Cotton kurta (M)",
  sku: "KUR-M",
  unit_price_minor: 89900,
  gross_minor: 89900,
  total_minor: 89900,
  taxes: [{ name: "GST", rate_ppm: 50000, amount_minor: 4281 }],
  tax_minor: 4281,
});

function productRow(overrides: Partial<ProductRowView>): ProductRowView {
  return {
    id: "p-1",
    name: "Item",
    status: "active",
    variant_id: "v-1",
    price_minor: 89900,
    currency: "INR",
    sku: null,
    barcode: null,
    category: null,
    variant_count: 1,
    ...overrides,
  };
}

const dupatta = productRow({ id: "p-2", name: "Cotton dupatta", variant_id: "v-dup", sku: "DUP", price_minor: 29900 });

type Handler = (args: Record<string, unknown>) => unknown;

/**
 * A small stand-in for core's counter: one cart, the saree's barcode, and
 * whatever else a test adds. `calls` records every command.
 */
function counter(options: { lines?: CartLineView[]; shift?: boolean; handlers?: Record<string, Handler> } = {}) {
  let cart: CartView = cartOf(options.lines ?? []);
  const put = (lines: CartLineView[]) => (cart = cartOf(lines, { customer: cart.customer }));
  const base = posStateOf(options.shift === false ? { shift: null } : {});
  return fakeCore({
    pos_state: () => ({ ...base, cart }),
    scan: (args) => {
      const code = String(args["code"]);
      if (code !== SAREE_CODE) throw ipcError("not_found", `No item has the barcode ${code}.`);
      return put([...cart.lines, saree]);
    },
    add_to_cart: (args) => put([...cart.lines, { ...kurta, variant_id: String(args["variantId"]) }]),
    set_line_quantity: (args) => {
      if (args["quantity"] === "0") throw ipcError("quantity_invalid", "Use Void to take an item off the bill.");
      const milli = Number(args["quantity"]) * 1000;
      return put(cart.lines.map((l) => (l.line_id === args["lineId"] ? { ...l, quantity_milli: milli } : l)));
    },
    void_line: (args) => put(cart.lines.filter((l) => l.line_id !== args["lineId"])),
    cancel_sale: () => put([]),
    complete_sale: () => {
      put([]);
      return receiptOf();
    },
    ...options.handlers,
  });
}

function renderPage(onOpenShift = vi.fn()) {
  render(SellPage, { props: { locale: "en-IN", currency: "INR", onOpenShift, customerDebounceMs: 0 } });
  return { onOpenShift };
}

async function scanBox(): Promise<HTMLInputElement> {
  const box = (await screen.findByLabelText("Scan or search")) as HTMLInputElement;
  await waitFor(() => expect(document.activeElement).toBe(box));
  return box;
}

async function typeAndEnter(input: HTMLElement, text: string) {
  await fireEvent.input(input, { target: { value: text } });
  await fireEvent.keyDown(input, { key: "Enter" });
}

function cartRows(): HTMLElement[] {
  const table = screen.getByRole("table", { name: "Cart" });
  return within(table).getAllByRole("row").slice(1);
}

beforeEach(() => {
  vi.mocked(invoke).mockReset();
  vi.spyOn(console, "error").mockImplementation(() => {});
  session.signedIn = { id: "s-ravi", name: "Ravi", role: "cashier", permissions: ["view_catalog", "sell"] };
});

afterEach(() => {
  session.signedIn = null;
});

describe("SellPage", () => {
  it("asks for a shift before selling", async () => {
    counter({ shift: false });
    const { onOpenShift } = renderPage();
    expect(await screen.findByText("Open a shift to start selling.")).toBeTruthy();
    expect(screen.queryByLabelText("Scan or search")).toBeNull();
    await fireEvent.click(screen.getByRole("button", { name: "Open shift" }));
    expect(onOpenShift).toHaveBeenCalledOnce();
  });

  it("adds a scanned item and shows the totals core worked out", async () => {
    const core = counter();
    renderPage();
    const box = await scanBox();
    expect(screen.getByRole("button", { name: "Pay" }).hasAttribute("disabled")).toBe(true);

    await typeAndEnter(box, SAREE_CODE);

    expect(await screen.findByLabelText("Quantity, Silk saree (Red)")).toBeTruthy();
    expect(core.calls).toContainEqual(["scan", { code: SAREE_CODE }]);
    expect(box.value).toBe("");
    expect(document.activeElement).toBe(box);
    const totals = screen.getByRole("region", { name: "Totals" });
    expect(within(totals).getByText("Subtotal").nextElementSibling?.textContent).toBe("₹1,180.00");
    expect(within(totals).getByText("CGST 9%").nextElementSibling?.textContent).toBe("₹90.00");
    expect(within(totals).getByText("SGST 9%")).toBeTruthy();
    expect(within(totals).getByText("Total").nextElementSibling?.textContent).toBe("₹1,180.00");
    expect(screen.getByRole("button", { name: "Pay" }).hasAttribute("disabled")).toBe(false);
  });

  it("says so when a barcode is unknown, and keeps the code selected for the next scan", async () => {
    counter();
    renderPage();
    const box = await scanBox();
    await typeAndEnter(box, "12345670");
    expect((await screen.findByRole("alert")).textContent).toBe("No item has the barcode 12345670.");
    expect(box.value).toBe("12345670");
    expect(document.activeElement).toBe(box);

    await typeAndEnter(box, SAREE_CODE);
    await screen.findByLabelText("Quantity, Silk saree (Red)");
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("takes a second scan typed while the first is still on its way", async () => {
    const first = deferred<CartView>();
    let scans = 0;
    const core = counter({ handlers: { scan: () => (++scans === 1 ? first.promise : cartOf([saree, kurta])) } });
    renderPage();
    const box = await scanBox();
    await typeAndEnter(box, SAREE_CODE);
    await typeAndEnter(box, "8901234567880");
    first.resolve(cartOf([saree]));
    await waitFor(() => expect(cartRows()).toHaveLength(2));
    expect(core.calls.filter(([c]) => c === "scan").map(([, args]) => args)).toEqual([
      { code: SAREE_CODE },
      { code: "8901234567880" },
    ]);
  });

  it("catches a scan typed while focus is on no text box", async () => {
    const core = counter();
    renderPage();
    await scanBox();
    const pay = screen.getByRole("button", { name: "Customer" });
    pay.focus();
    for (const digit of SAREE_CODE) await fireEvent.keyDown(pay, { key: digit });
    await fireEvent.keyDown(pay, { key: "Enter" });
    expect(await screen.findByLabelText("Quantity, Silk saree (Red)")).toBeTruthy();
    expect(core.calls.filter(([c]) => c === "scan")).toEqual([["scan", { code: SAREE_CODE }]]);
    // The Enter belonged to the scanner, not to the focused button.
    expect(screen.queryByRole("dialog")).toBeNull();
  });

  it("leaves digits typed into another box alone", async () => {
    const core = counter({ lines: [saree] });
    renderPage();
    await scanBox();
    const quantity = screen.getByLabelText("Quantity, Silk saree (Red)");
    for (const digit of SAREE_CODE) await fireEvent.keyDown(quantity, { key: digit });
    await fireEvent.keyDown(document.body, { key: "Enter" });
    expect(core.calls.some(([c]) => c === "scan")).toBe(false);
  });

  it("searches by name and adds the item picked", async () => {
    const rows = [
      productRow({ id: "p-1", name: "Cotton kurta", variant_id: "v-kurta-m", variant_count: 2 }),
      dupatta,
    ];
    const core = counter({
      handlers: {
        search_products: () => rows,
        get_product: () => ({
          id: "p-1",
          name: "Cotton kurta",
          variants: [
            { id: "v-kurta-m", option_values: ["M"], sku: "KUR-M", price_minor: 89900 },
            { id: "v-kurta-l", option_values: ["L"], sku: "KUR-L", price_minor: 94900 },
          ],
        }),
      },
    });
    renderPage();
    const box = await scanBox();
    await typeAndEnter(box, "cotton");

    const results = await screen.findByRole("table", { name: "Search results" });
    expect(core.calls).toContainEqual([
      "search_products",
      { query: { text: "cotton", category_id: null, status: "active", limit: 20, offset: 0 } },
    ]);
    await fireEvent.click(within(results).getByRole("button", { name: "Cotton kurta" }));
    const large = await screen.findByRole("button", { name: "Cotton kurta (L)" });
    const medium = screen.getByRole("button", { name: "Cotton kurta (M)" });
    await waitFor(() => expect(document.activeElement).toBe(medium));
    await fireEvent.click(large);

    await screen.findByLabelText("Quantity, Cotton kurta (M)");
    expect(core.calls).toContainEqual(["add_to_cart", { variantId: "v-kurta-l", quantity: "" }]);
    expect(screen.queryByRole("table", { name: "Search results" })).toBeNull();
    expect(document.activeElement).toBe(box);
  });

  it("adds the only match on Enter", async () => {
    const core = counter({
      handlers: {
        search_products: () => [dupatta],
      },
    });
    renderPage();
    await typeAndEnter(await scanBox(), "dupatta");
    await waitFor(() => expect(core.calls).toContainEqual(["add_to_cart", { variantId: "v-dup", quantity: "" }]));
  });

  it("changes a quantity on Enter and shows core's refusal", async () => {
    const core = counter({ lines: [saree] });
    renderPage();
    const box = await scanBox();
    const quantity = screen.getByLabelText("Quantity, Silk saree (Red)") as HTMLInputElement;
    expect(quantity.value).toBe("1");

    await fireEvent.input(quantity, { target: { value: "3" } });
    await fireEvent.keyDown(quantity, { key: "Enter" });
    await waitFor(() => expect(core.calls).toContainEqual(["set_line_quantity", { lineId: "l-1", quantity: "3" }]));
    await waitFor(() => expect(document.activeElement).toBe(box));
    expect((screen.getByLabelText("Quantity, Silk saree (Red)") as HTMLInputElement).value).toBe("3");

    const again = screen.getByLabelText("Quantity, Silk saree (Red)") as HTMLInputElement;
    await fireEvent.input(again, { target: { value: "0" } });
    await fireEvent.keyDown(again, { key: "Enter" });
    expect((await screen.findByRole("alert")).textContent).toBe("Use Void to take an item off the bill.");
    await waitFor(() => expect(again.value).toBe("3"));
  });

  it("voids a line", async () => {
    counter({ lines: [saree, kurta] });
    renderPage();
    await scanBox();
    expect(cartRows()).toHaveLength(2);
    await fireEvent.click(screen.getByRole("button", { name: "Void Silk saree (Red)" }));
    await waitFor(() => expect(cartRows()).toHaveLength(1));
    expect(screen.getByLabelText("Quantity, Cotton kurta (M)")).toBeTruthy();
  });

  it("asks a manager when a discount is over the cashier's limit, and retries with the PIN", async () => {
    const discounted = {
      ...saree,
      discount: { kind: "percent", value: 1000, approved_by: "Asha" },
      discount_minor: 11800,
      total_minor: 106200,
    };
    const core = counter({
      lines: [saree],
      handlers: {
        set_line_discount: (args) => {
          if (args["approverPin"] === null) throw ipcError("approval_required", "A 10% discount needs a manager.");
          if (args["approverPin"] !== "4321") throw ipcError("pin_wrong", "That PIN is not right.");
          return cartOf([discounted]);
        },
      },
    });
    renderPage();
    const box = await scanBox();
    await fireEvent.click(screen.getByRole("button", { name: "Discount, Silk saree (Red)" }));

    const discountDialog = await screen.findByRole("dialog", { name: "Discount, Silk saree (Red)" });
    expect((within(discountDialog).getByLabelText("Discount type") as HTMLSelectElement).value).toBe("percent");
    await fireEvent.input(within(discountDialog).getByLabelText("Discount"), { target: { value: "10" } });
    await fireEvent.click(within(discountDialog).getByRole("button", { name: "Apply" }));

    const approval = await screen.findByRole("dialog", { name: "Manager approval" });
    expect(within(approval).getByText("A 10% discount needs a manager.")).toBeTruthy();
    const pin = within(approval).getByLabelText("Manager PIN") as HTMLInputElement;
    expect(pin.type).toBe("password");

    await fireEvent.input(pin, { target: { value: "1111" } });
    await fireEvent.click(within(approval).getByRole("button", { name: "Approve" }));
    expect((await within(approval).findByRole("alert")).textContent).toBe("That PIN is not right.");

    await fireEvent.input(pin, { target: { value: "4321" } });
    await fireEvent.click(within(approval).getByRole("button", { name: "Approve" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());

    const discountCalls = core.calls.filter(([c]) => c === "set_line_discount").map(([, args]) => args);
    expect(discountCalls).toEqual([
      { lineId: "l-1", discount: { kind: "percent", value: "10" }, approverPin: null },
      { lineId: "l-1", discount: { kind: "percent", value: "10" }, approverPin: "1111" },
      { lineId: "l-1", discount: { kind: "percent", value: "10" }, approverPin: "4321" },
    ]);
    expect(within(cartRows()[0]!).getByText("₹118.00")).toBeTruthy();
    await waitFor(() => expect(document.activeElement).toBe(box));
  });

  it("overrides a price and sets a cart discount", async () => {
    const core = counter({
      lines: [saree],
      handlers: {
        override_price: (args) =>
          cartOf([{ ...saree, unit_price_minor: paise(String(args["price"])), price_source: "override" }]),
        set_cart_discount: () =>
          cartOf([saree], { cart_discount: { kind: "amount", value: 5000, approved_by: null } }),
      },
    });
    renderPage();
    await scanBox();
    await fireEvent.click(screen.getByRole("button", { name: "Change price, Silk saree (Red)" }));
    const priceDialog = await screen.findByRole("dialog", { name: "Change price, Silk saree (Red)" });
    const price = within(priceDialog).getByLabelText("Price") as HTMLInputElement;
    expect(price.value).toBe("1180.00");
    await fireEvent.input(price, { target: { value: "999" } });
    await fireEvent.click(within(priceDialog).getByRole("button", { name: "Apply" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(core.calls).toContainEqual(["override_price", { lineId: "l-1", price: "999", approverPin: null }]);
    expect(screen.getByText("changed")).toBeTruthy();

    await fireEvent.click(screen.getByRole("button", { name: "Cart discount" }));
    const cartDialog = await screen.findByRole("dialog", { name: "Cart discount" });
    await fireEvent.change(within(cartDialog).getByLabelText("Discount type"), { target: { value: "amount" } });
    await fireEvent.input(within(cartDialog).getByLabelText("Discount"), { target: { value: "50" } });
    await fireEvent.click(within(cartDialog).getByRole("button", { name: "Apply" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(core.calls).toContainEqual([
      "set_cart_discount",
      { discount: { kind: "amount", value: "50" }, approverPin: null },
    ]);

    await fireEvent.click(screen.getByRole("button", { name: "Cart discount" }));
    const again = await screen.findByRole("dialog", { name: "Cart discount" });
    expect((within(again).getByLabelText("Discount") as HTMLInputElement).value).toBe("50.00");
    await fireEvent.click(within(again).getByRole("button", { name: "Remove discount" }));
    await waitFor(() =>
      expect(core.calls).toContainEqual(["set_cart_discount", { discount: null, approverPin: null }]),
    );
  });

  it("takes a split cash and UPI payment and shows the receipt", async () => {
    const tendersSeen: PaymentInput[][] = [];
    const core = counter({
      lines: [saree],
      handlers: {
        amount_due: (args) => {
          const payments = args["payments"] as PaymentInput[];
          tendersSeen.push(payments);
          const paid = payments.reduce((sum, p) => sum + paise(p.amount), 0);
          const remaining = Math.max(0, 118000 - paid);
          return {
            total_minor: 118000,
            paid_minor: Math.min(paid, 118000),
            remaining_minor: remaining,
            remaining_cash_minor: remaining,
          };
        },
        upi_qr: (args) => ({ uri: `upi://pay?pa=lakshmi@upi&am=${String(args["amount"])}`, svg: "<svg/>" }),
      },
    });
    renderPage();
    await scanBox();
    await fireEvent.click(screen.getByRole("button", { name: "Pay" }));
    const dialog = await screen.findByRole("dialog", { name: "Payment" });
    const amount = within(dialog).getByLabelText("Amount") as HTMLInputElement;
    await waitFor(() => expect(amount.value).toBe("1180.00"));
    const complete = within(dialog).getByRole("button", { name: "Complete sale" });
    expect(complete.hasAttribute("disabled")).toBe(true);

    await fireEvent.click(within(dialog).getByRole("button", { name: "UPI" }));
    await fireEvent.input(amount, { target: { value: "800" } });
    const qr = (await within(dialog).findByAltText("UPI QR code")) as HTMLImageElement;
    expect(qr.src).toBe(`data:image/svg+xml;charset=utf-8,${encodeURIComponent("<svg/>")}`);
    expect(within(dialog).getByText("upi://pay?pa=lakshmi@upi&am=800")).toBeTruthy();
    await fireEvent.input(within(dialog).getByLabelText("Reference"), { target: { value: "UPI123" } });
    await fireEvent.click(within(dialog).getByRole("button", { name: "Add payment" }));

    await within(dialog).findByRole("table", { name: "Payments" });
    expect(within(dialog).getByText("Remaining").nextElementSibling?.textContent).toBe("₹380.00");
    await fireEvent.click(within(dialog).getByRole("button", { name: "Cash" }));
    expect(amount.value).toBe("380.00");
    await fireEvent.click(within(dialog).getByRole("button", { name: "Add payment" }));

    await waitFor(() => expect(complete.hasAttribute("disabled")).toBe(false));
    await fireEvent.click(complete);

    expect(await screen.findByRole("heading", { name: "Receipt S1-C1-000001" })).toBeTruthy();
    expect(screen.queryByRole("dialog")).toBeNull();
    const paid = [
      { method: "upi", amount: "800", reference: "UPI123" },
      { method: "cash", amount: "380.00", reference: "" },
    ];
    expect(core.calls).toContainEqual(["complete_sale", { payments: paid }]);

    await fireEvent.click(screen.getByRole("button", { name: "New sale" }));
    await scanBox();
    expect(screen.getByText("Scan an item to start the sale.")).toBeTruthy();
  });

  it("starts the next sale when an item is scanned on the receipt screen", async () => {
    const core = counter({
      lines: [saree],
      handlers: {
        amount_due: () => ({ total_minor: 0, paid_minor: 0, remaining_minor: 0, remaining_cash_minor: 0 }),
      },
    });
    renderPage();
    await scanBox();
    await fireEvent.keyDown(document.body, { key: "F4" });
    const dialog = await screen.findByRole("dialog", { name: "Payment" });
    const complete = within(dialog).getByRole("button", { name: "Complete sale" });
    await waitFor(() => expect(complete.hasAttribute("disabled")).toBe(false));
    await fireEvent.click(complete);
    const newSale = await screen.findByRole("button", { name: "New sale" });
    await waitFor(() => expect(document.activeElement).toBe(newSale));

    for (const digit of SAREE_CODE) await fireEvent.keyDown(newSale, { key: digit });
    await fireEvent.keyDown(newSale, { key: "Enter" });

    expect(await screen.findByLabelText("Quantity, Silk saree (Red)")).toBeTruthy();
    expect(screen.queryByRole("heading", { name: /^Receipt/ })).toBeNull();
    expect(cartRows()).toHaveLength(1);
    expect(core.calls).toContainEqual(["complete_sale", { payments: [] }]);
  });

  it("shows a tender core refuses at the Amount field", async () => {
    const REFERENCE_NEEDED = "Payment 1: type the card terminal's reference.";
    counter({
      lines: [saree],
      handlers: {
        amount_due: (args) => {
          const payments = args["payments"] as PaymentInput[];
          if (payments.length > 0) throw ipcError("payment_invalid", REFERENCE_NEEDED, "payments.0.amount");
          return { total_minor: 118000, paid_minor: 0, remaining_minor: 118000, remaining_cash_minor: 118000 };
        },
      },
    });
    renderPage();
    await scanBox();
    await fireEvent.keyDown(document.body, { key: "F4" });
    const dialog = await screen.findByRole("dialog", { name: "Payment" });
    await fireEvent.click(within(dialog).getByRole("button", { name: "Card" }));
    await waitFor(() => expect((within(dialog).getByLabelText("Amount") as HTMLInputElement).value).toBe("1180.00"));
    await fireEvent.click(within(dialog).getByRole("button", { name: "Add payment" }));
    expect((await within(dialog).findByRole("alert")).textContent).toBe(REFERENCE_NEEDED);
    expect(within(dialog).getByLabelText("Amount").getAttribute("aria-invalid")).toBe("true");
    expect(within(dialog).queryByRole("table", { name: "Payments" })).toBeNull();
  });

  it("cancels a sale after asking", async () => {
    const core = counter({ lines: [saree] });
    renderPage();
    await scanBox();
    await fireEvent.click(screen.getByRole("button", { name: "Cancel sale" }));
    const confirm = await screen.findByRole("dialog", { name: "Cancel this sale?" });
    await fireEvent.click(within(confirm).getByRole("button", { name: "Yes, cancel sale" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(core.calls).toContainEqual(["cancel_sale", undefined]);
    expect(screen.queryByLabelText("Quantity, Silk saree (Red)")).toBeNull();
  });

  it("parks a sale with a note and resumes it", async () => {
    const parked = {
      id: "pk-1",
      parked_at_ms: 0,
      note: "Blue bag",
      customer_name: null,
      line_count: 1,
      total_minor: 118000,
      parked_by: "Ravi",
    };
    const core = counter({
      lines: [saree],
      handlers: {
        park_sale: () => posStateOf({ parked: [parked] }),
        resume_sale: () => posStateOf({ cart: cartOf([saree]) }),
      },
    });
    renderPage();
    await scanBox();
    expect(screen.getByRole("button", { name: "Parked sales (0)" }).hasAttribute("disabled")).toBe(true);
    await fireEvent.click(screen.getByRole("button", { name: "Park" }));
    const park = await screen.findByRole("dialog", { name: "Park sale" });
    await fireEvent.input(within(park).getByLabelText("Note"), { target: { value: "Blue bag " } });
    await fireEvent.click(within(park).getByRole("button", { name: "Park sale" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(core.calls).toContainEqual(["park_sale", { note: "Blue bag" }]);
    expect(cartRows()).toHaveLength(1); // the empty-cart hint

    await fireEvent.click(screen.getByRole("button", { name: "Parked sales (1)" }));
    const list = await screen.findByRole("dialog", { name: "Parked sales" });
    expect(within(list).getByText("Blue bag")).toBeTruthy();
    await fireEvent.click(within(list).getByRole("button", { name: "Resume" }));
    await screen.findByLabelText("Quantity, Silk saree (Red)");
    expect(core.calls).toContainEqual(["resume_sale", { parkedId: "pk-1" }]);
  });

  it("finds a customer by phone and attaches them", async () => {
    const meera = customer({ store_credit_minor: 50000 });
    const core = counter({
      lines: [saree],
      handlers: {
        find_customers: () => [meera],
        attach_customer: (args) => cartOf([saree], { customer: args["customerId"] ? meera : null }),
      },
    });
    renderPage();
    await scanBox();
    await fireEvent.click(screen.getByRole("button", { name: "Customer" }));
    const dialog = await screen.findByRole("dialog", { name: "Customer" });
    await fireEvent.input(within(dialog).getByLabelText("Find customer"), { target: { value: "98765" } });
    const results = await within(dialog).findByRole("table", { name: "Customers" });
    expect(within(results).getByText("₹500.00")).toBeTruthy();
    await fireEvent.click(within(results).getByRole("button", { name: "Attach" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(core.calls).toContainEqual(["find_customers", { text: "98765" }]);
    expect(core.calls).toContainEqual(["attach_customer", { customerId: "cu-1" }]);
    expect(screen.getByText("Meera")).toBeTruthy();

    await fireEvent.click(screen.getByRole("button", { name: "Customer" }));
    await fireEvent.click(await screen.findByRole("button", { name: "Remove customer" }));
    await waitFor(() => expect(core.calls).toContainEqual(["attach_customer", { customerId: null }]));
  });

  it("adds a new customer and attaches them, showing core's field errors", async () => {
    const asha = customer({ id: "cu-9", name: "Asha" });
    let tries = 0;
    const core = counter({
      handlers: {
        add_customer: () => {
          tries += 1;
          if (tries === 1) throw ipcError("customer_invalid", "Type a 10-digit phone number.", "phone");
          return asha;
        },
        attach_customer: () => cartOf([], { customer: asha }),
      },
    });
    renderPage();
    await scanBox();
    await fireEvent.click(screen.getByRole("button", { name: "Customer" }));
    const dialog = await screen.findByRole("dialog", { name: "Customer" });
    await fireEvent.input(within(dialog).getByLabelText("Customer name"), { target: { value: "Asha" } });
    await fireEvent.input(within(dialog).getByLabelText("Phone"), { target: { value: "123" } });
    await fireEvent.click(within(dialog).getByRole("button", { name: "Save customer" }));
    expect(await within(dialog).findByText("Type a 10-digit phone number.")).toBeTruthy();
    expect(within(dialog).getByLabelText("Phone").getAttribute("aria-invalid")).toBe("true");

    await fireEvent.input(within(dialog).getByLabelText("Phone"), { target: { value: "9876500000" } });
    await fireEvent.click(within(dialog).getByRole("button", { name: "Save customer" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(core.calls).toContainEqual([
      "add_customer",
      { customer: { name: "Asha", phone: "9876500000", gstin: "" } },
    ]);
    expect(core.calls).toContainEqual(["attach_customer", { customerId: "cu-9" }]);
  });

  it("focuses the scan box on F2", async () => {
    counter({ lines: [saree] });
    renderPage();
    const box = await scanBox();
    screen.getByRole("button", { name: "Park" }).focus();
    await fireEvent.keyDown(document.activeElement as HTMLElement, { key: "F2" });
    expect(document.activeElement).toBe(box);
  });
});
