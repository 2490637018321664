import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
// The shell is tested on its own: the catalog pages are stand-ins here.
vi.mock("./lib/catalog/ProductsPage.svelte", async () => await import("./lib/shell/testing/ProductsPageStub.svelte"));
vi.mock("./lib/catalog/CategoriesPage.svelte", async () => await import("./lib/shell/testing/CategoriesPageStub.svelte"));

import { invoke } from "@tauri-apps/api/core";
import App from "./App.svelte";
import type { PersonView, SessionView, SignedInView } from "./lib/bindings";
import { session } from "./lib/session.svelte";
import { fakeCore, ipcError, person, signedIn } from "./lib/shell/testing/fakeCore";

const ASHA = person();
const MEENA = person({ id: "s-meena", name: "Meena", role: "manager" });
const RAVI = person({ id: "s-ravi", name: "Ravi", role: "cashier" });

type Options = {
  people?: PersonView[];
  signedInAs?: PersonView | null;
  extra?: Record<string, (args: Record<string, unknown>) => unknown>;
};

/** Core with a staff list; sign_in accepts PIN 4829 for everyone. */
function core({ people = [ASHA, MEENA, RAVI], signedInAs = null, extra = {} }: Options = {}) {
  let current: SignedInView | null = signedInAs ? signedIn(signedInAs) : null;
  return fakeCore({
    get_shop: () => ({ currency: "INR", locale: "en-IN" }),
    session: (): SessionView => ({
      needs_setup: people.length === 0,
      people,
      signed_in: current,
      joining: null,
      keyring_available: true,
    }),
    sign_in: (a) => {
      if (a.pin !== "4829") throw ipcError("pin_wrong", "Wrong PIN. 4 tries left before a 5-minute lock.");
      const who = people.find((p) => p.id === a.staffId)!;
      current = signedIn(who);
      return current;
    },
    sign_out: () => {
      current = null;
      return null;
    },
    list_staff: () => people,
    reorder_list: () => [],
    audit_log: () => [],
    ...extra,
  });
}

async function signInAs(name: string, pin = "4829") {
  await fireEvent.click(await screen.findByRole("button", { name }));
  await fireEvent.input(screen.getByLabelText("PIN"), { target: { value: pin } });
  await fireEvent.click(screen.getByRole("button", { name: "Sign in" }));
}

function navLabels(): string[] {
  const nav = screen.getByRole("navigation", { name: "Pages" });
  return within(nav)
    .getAllByRole("button")
    .map((b) => b.textContent?.trim() ?? "");
}

beforeEach(() => {
  vi.mocked(invoke).mockReset();
  session.signedIn = null;
});

afterEach(() => {
  session.signedIn = null;
});

describe("Setup screen", () => {
  it("asks for the PIN twice and refuses different PINs", async () => {
    const { calls } = core({ people: [] });
    render(App);
    await screen.findByRole("heading", { name: "Set up Galla" });
    await fireEvent.input(screen.getByLabelText("Your name"), { target: { value: "Asha" } });
    await fireEvent.input(screen.getByLabelText("PIN"), { target: { value: "4829" } });
    const again = screen.getByLabelText("PIN again");
    await fireEvent.input(again, { target: { value: "4828" } });
    await fireEvent.click(screen.getByRole("button", { name: "Start" }));
    await waitFor(() => expect(again.getAttribute("aria-invalid")).toBe("true"));
    expect(document.getElementById(again.getAttribute("aria-describedby")!)?.textContent).toMatch(
      /two PINs are different/,
    );
    expect(document.activeElement).toBe(again);
    expect(calls.some(([c]) => c === "set_up_owner")).toBe(false);
  });

  it("shows core's PIN error beside the PIN, then signs the owner in", async () => {
    let tries = 0;
    const { calls } = core({
      people: [],
      extra: {
        set_up_owner: (a) => {
          if (++tries === 1) {
            throw ipcError("pin_weak", "A PIN of digits in a row (like 1234 or 4321) is too easy to guess. Choose another.");
          }
          return signedIn(person({ name: a.name as string }));
        },
      },
    });
    render(App);
    await screen.findByRole("heading", { name: "Set up Galla" });
    await fireEvent.input(screen.getByLabelText("Your name"), { target: { value: "Asha" } });
    const pin = screen.getByLabelText("PIN");
    await fireEvent.input(pin, { target: { value: "1234" } });
    await fireEvent.input(screen.getByLabelText("PIN again"), { target: { value: "1234" } });
    await fireEvent.click(screen.getByRole("button", { name: "Start" }));
    await waitFor(() => expect(pin.getAttribute("aria-invalid")).toBe("true"));
    expect(document.getElementById(pin.getAttribute("aria-describedby")!)?.textContent).toMatch(/too easy/);
    expect(document.activeElement).toBe(pin);

    await fireEvent.input(pin, { target: { value: "4829" } });
    await fireEvent.input(screen.getByLabelText("PIN again"), { target: { value: "4829" } });
    await fireEvent.click(screen.getByRole("button", { name: "Start" }));
    await screen.findByText("Asha · Owner");
    expect(calls.filter(([c]) => c === "set_up_owner").at(-1)?.[1]).toEqual({ name: "Asha", pin: "4829" });
  });

  it("shows other errors from core in an alert", async () => {
    core({
      people: [],
      extra: {
        set_up_owner: () => {
          throw ipcError("already_set_up", "This shop already has staff. Sign in with your PIN.");
        },
      },
    });
    render(App);
    await fireEvent.input(await screen.findByLabelText("Your name"), { target: { value: "Asha" } });
    await fireEvent.input(screen.getByLabelText("PIN"), { target: { value: "4829" } });
    await fireEvent.input(screen.getByLabelText("PIN again"), { target: { value: "4829" } });
    await fireEvent.click(screen.getByRole("button", { name: "Start" }));
    expect((await screen.findByRole("alert")).textContent).toBe("This shop already has staff. Sign in with your PIN.");
  });
});

describe("Joining a shop on first start", () => {
  /** A fresh install: no people until join_shop brings the shop's. */
  function joinCore(firstSyncError: string | null) {
    let people: PersonView[] = [];
    let linked = false;
    const view = (): SessionView => ({
      needs_setup: people.length === 0 && !linked,
      people,
      signed_in: null,
      joining: linked && people.length === 0 ? "Anand Textiles" : null,
      keyring_available: false,
    });
    const fake = fakeCore({
      get_shop: () => ({ currency: "INR", locale: "en-IN" }),
      session: view,
      join_shop: (a) => {
        const input = a.input as { pairing_code: string };
        if (input.pairing_code !== "K7QM-X2PA-9RTD") {
          throw ipcError(
            "server_refused",
            "The server did not accept that pairing code: it is wrong, already used or expired. Ask the owner for a new one.",
            "pairing_code",
          );
        }
        linked = true;
        if (!firstSyncError) people = [ASHA, RAVI];
        return { session: view(), first_sync_error: firstSyncError };
      },
    });
    return { ...fake, arrive: () => (people = [ASHA, RAVI]) };
  }

  async function fillJoinForm(code: string) {
    await fireEvent.click(await screen.findByRole("button", { name: "Join a shop on a server" }));
    await screen.findByRole("heading", { name: "Join a shop" });
    expect(document.activeElement).toBe(screen.getByLabelText("Server address"));
    await fireEvent.input(screen.getByLabelText("Server address"), { target: { value: "http://sync.anand.test" } });
    await fireEvent.input(screen.getByLabelText("This device's name"), { target: { value: "Counter 2" } });
    await fireEvent.input(screen.getByLabelText("Pairing code"), { target: { value: code } });
    await fireEvent.click(screen.getByLabelText("Keep the key in a file on this computer (no keyring found)"));
    await fireEvent.click(screen.getByRole("button", { name: "Join this shop" }));
  }

  it("puts a refused code beside its field, then joins and shows the shop's people", async () => {
    const { calls } = joinCore(null);
    render(App);
    await fillJoinForm("AAAA-BBBB-CCCC");
    const code = screen.getByLabelText("Pairing code");
    await waitFor(() => expect(code.getAttribute("aria-invalid")).toBe("true"));
    expect(document.getElementById(code.getAttribute("aria-describedby")!)?.textContent).toMatch(/did not accept/);

    await fireEvent.input(code, { target: { value: "K7QM-X2PA-9RTD" } });
    await fireEvent.click(screen.getByRole("button", { name: "Join this shop" }));
    await screen.findByRole("heading", { name: "Who is working?" });
    expect(screen.getByRole("button", { name: /^Ravi/ })).toBeTruthy();
    expect(calls.filter(([c]) => c === "join_shop").at(-1)?.[1]).toEqual({
      input: {
        server_url: "http://sync.anand.test",
        device_name: "Counter 2",
        pairing_code: "K7QM-X2PA-9RTD",
        email: "",
        password: "",
        key_in_file: true,
      },
    });
    expect(calls.some(([c]) => c === "set_up_owner")).toBe(false);
  });

  it("waits for the shop's people when the first sync did not go through", async () => {
    const core = joinCore("Could not reach the server.");
    render(App);
    await fillJoinForm("K7QM-X2PA-9RTD");
    await screen.findByRole("heading", { name: "Joining Anand Textiles" });
    expect(screen.getByRole("alert").textContent).toMatch(/Could not reach the server/);
    await fireEvent.click(screen.getByRole("button", { name: "Look now" }));
    expect(screen.getByRole("heading", { name: "Joining Anand Textiles" })).toBeTruthy();
    core.arrive();
    await fireEvent.click(screen.getByRole("button", { name: "Look now" }));
    await screen.findByRole("heading", { name: "Who is working?" });
  });

  it("goes back to setting up a new shop", async () => {
    joinCore(null);
    render(App);
    await fireEvent.click(await screen.findByRole("button", { name: "Join a shop on a server" }));
    await fireEvent.click(screen.getByRole("button", { name: "Back to setting up a new shop" }));
    await screen.findByRole("heading", { name: "Set up Galla" });
    expect(document.activeElement).toBe(screen.getByLabelText("Your name"));
  });
});

describe("PIN screen", () => {
  it("shows a wrong PIN in an alert and keeps the PIN field focused", async () => {
    core();
    render(App);
    await screen.findByRole("heading", { name: "Who is working?" });
    expect(screen.getByRole("button", { name: "Asha" })).toBeTruthy();
    expect(screen.getByText("Cashier")).toBeTruthy();
    await signInAs("Ravi", "1111");
    expect((await screen.findByRole("alert")).textContent).toBe("Wrong PIN. 4 tries left before a 5-minute lock.");
    const pin = screen.getByLabelText("PIN") as HTMLInputElement;
    expect(pin.type).toBe("password");
    expect(pin.getAttribute("inputmode")).toBe("numeric");
    expect(pin.value).toBe("");
    expect(document.activeElement).toBe(pin);
  });

  it("signs in to the back office and focuses the product search", async () => {
    core();
    render(App);
    await signInAs("Asha");
    expect(await screen.findByText("Asha · Owner")).toBeTruthy();
    expect(screen.getByRole("heading", { name: "Products" })).toBeTruthy();
    await waitFor(() => expect(document.activeElement?.id).toBe("product-search"));
    // The shop's locale and currency reach the catalog.
    expect(screen.getByTestId("shop").textContent).toBe("en-IN INR");
  });

  it("returns to the PIN screen when any command says signed_out", async () => {
    core({
      signedInAs: ASHA,
      extra: {
        list_staff: () => {
          throw ipcError("signed_out", "Sign in with your PIN to continue.");
        },
      },
    });
    render(App);
    await screen.findByText("Asha · Owner");
    await fireEvent.click(screen.getByRole("button", { name: "Staff" }));
    await screen.findByRole("heading", { name: "Who is working?" });
    expect(screen.getByRole("status").textContent).toMatch(/session ended/);
    expect(screen.queryByRole("navigation")).toBeNull();
  });

  it("Sign out goes back to the PIN screen", async () => {
    const { calls } = core({ signedInAs: MEENA });
    render(App);
    await screen.findByText("Meena · Manager");
    await fireEvent.click(screen.getByRole("button", { name: "Sign out" }));
    await screen.findByRole("heading", { name: "Who is working?" });
    expect(calls.some(([c]) => c === "sign_out")).toBe(true);
    expect(screen.queryByRole("status")).toBeNull();
  });
});

describe("Navigation", () => {
  it("an owner sees every page", async () => {
    core({ signedInAs: ASHA });
    render(App);
    await screen.findByText("Asha · Owner");
    expect(navLabels()).toEqual([
      "Sell",
      "Shift",
      "Returns",
      "Receipts",
      "Customers",
      "Products",
      "Reorder",
      "Categories",
      "Staff",
      "Audit log",
      "Import / export",
      "Counter settings",
      "Shop details",
      "Sync",
    ]);
  });

  it("a manager sees no Staff", async () => {
    core({ signedInAs: MEENA });
    render(App);
    await screen.findByText("Meena · Manager");
    expect(navLabels()).toEqual([
      "Sell",
      "Shift",
      "Returns",
      "Receipts",
      "Customers",
      "Products",
      "Reorder",
      "Categories",
      "Audit log",
      "Import / export",
      "Counter settings",
      "Shop details",
      "Sync",
    ]);
  });

  it("a cashier sees no Staff, Audit log or Import / export", async () => {
    core();
    render(App);
    await signInAs("Ravi");
    await screen.findByText("Ravi · Cashier");
    expect(navLabels()).toEqual([
      "Sell",
      "Shift",
      "Returns",
      "Receipts",
      "Customers",
      "Products",
      "Reorder",
      "Categories",
    ]);
    expect(screen.queryByRole("button", { name: "Staff" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Audit log" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Import / export" })).toBeNull();
  });

  it("switches pages from the nav and focuses the heading", async () => {
    core({ signedInAs: ASHA });
    render(App);
    await screen.findByText("Asha · Owner");
    await fireEvent.click(screen.getByRole("button", { name: "Audit log" }));
    const heading = await screen.findByRole("heading", { level: 1, name: "Audit log" });
    await waitFor(() => expect(document.activeElement).toBe(heading));
    expect(screen.getByRole("button", { name: "Audit log" }).getAttribute("aria-current")).toBe("page");
  });
});

describe("Keyboard shortcuts", () => {
  it("Alt+digit switches to the nth page", async () => {
    core({ signedInAs: ASHA });
    render(App);
    await screen.findByText("Asha · Owner");
    await fireEvent.keyDown(window, { key: "7", code: "Digit7", altKey: true });
    expect(await screen.findByRole("heading", { level: 1, name: "Reorder" })).toBeTruthy();
    await fireEvent.keyDown(window, { key: "9", code: "Digit9", altKey: true });
    expect(await screen.findByRole("heading", { level: 1, name: "Staff" })).toBeTruthy();
  });

  it("'/' focuses the product search, but does nothing while typing in an input", async () => {
    core({ signedInAs: ASHA });
    render(App);
    await screen.findByText("Asha · Owner");
    await fireEvent.click(screen.getByRole("button", { name: "Staff" }));
    const name = await screen.findByLabelText("Name");
    name.focus();
    const typed = await fireEvent.keyDown(name, { key: "/" });
    expect(typed).toBe(true); // not prevented: the "/" goes into the field
    expect(document.activeElement).toBe(name);
    expect(screen.getByRole("heading", { level: 1, name: "Staff" })).toBeTruthy();

    name.blur();
    const used = await fireEvent.keyDown(document.body, { key: "/" });
    expect(used).toBe(false);
    await screen.findByRole("heading", { level: 1, name: "Products" });
    await waitFor(() => expect(document.activeElement?.id).toBe("product-search"));
  });

  it("'?' and the button open the shortcuts dialog; Escape closes it", async () => {
    core({ signedInAs: RAVI });
    render(App);
    await screen.findByText("Ravi · Cashier");
    await fireEvent.keyDown(document.body, { key: "?" });
    const dialog = screen.getByRole("dialog", { name: "Keyboard shortcuts" });
    // Only the pages this person sees are listed.
    expect(within(dialog).getByText("Go to Categories")).toBeTruthy();
    expect(within(dialog).queryByText("Go to Staff")).toBeNull();
    await fireEvent.keyDown(window, { key: "Escape" });
    expect(screen.queryByRole("dialog")).toBeNull();

    const button = screen.getByRole("button", { name: "Keyboard shortcuts" });
    button.focus();
    await fireEvent.click(button);
    expect(screen.getByRole("dialog", { name: "Keyboard shortcuts" })).toBeTruthy();
    await fireEvent.click(screen.getByRole("button", { name: "Close" }));
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(document.activeElement).toBe(button);
  });
});
