import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

import { invoke } from "@tauri-apps/api/core";
import type { DeviceView, SyncStatusView, VerifyView } from "../bindings";
import { session } from "../session.svelte";
import { fakeCore, ipcError, person, signedIn } from "../shell/testing/fakeCore";
import SyncIndicator from "./SyncIndicator.svelte";
import SyncPage from "./SyncPage.svelte";

const props = { locale: "en-IN" };
const AT = Date.UTC(2026, 2, 12, 10, 15);

function status(overrides: Partial<SyncStatusView> = {}): SyncStatusView {
  return {
    connection: "not_linked",
    link: null,
    device_id: "d-this",
    pending: 4,
    last_success_ms: null,
    last_attempt_ms: null,
    last_error: null,
    rejections: [],
    rejection_count: 0,
    skipped: 0,
    background: false,
    live: false,
    key_place: null,
    keyring_available: true,
    ...overrides,
  };
}

function linked(overrides: Partial<SyncStatusView> = {}): SyncStatusView {
  return status({
    connection: "online",
    link: {
      server_url: "https://sync.anand.in",
      business_name: "Anand Textiles",
      business_slug: "anand",
      device_name: "Counter 2",
      shop_name: "Main shop",
    },
    pending: 0,
    last_success_ms: AT,
    last_attempt_ms: AT,
    background: true,
    live: true,
    key_place: "keyring",
    ...overrides,
  });
}

function device(overrides: Partial<DeviceView> = {}): DeviceView {
  return {
    id: "d-this",
    name: "Owner's laptop",
    shop_name: null,
    enrolled_at_ms: AT,
    last_seen_at_ms: AT,
    revoked_at_ms: null,
    last_seq: 12,
    this_device: true,
    ...overrides,
  };
}

const MANAGER = person({ id: "s-meena", name: "Meena", role: "manager" });

beforeEach(() => {
  vi.mocked(invoke).mockReset();
  session.signedIn = signedIn(person());
});

afterEach(() => {
  session.signedIn = null;
});

const input = (label: string) => screen.getByLabelText(label) as HTMLInputElement;

async function type(label: string, value: string) {
  await fireEvent.input(input(label), { target: { value } });
}

describe("SyncPage, not linked", () => {
  it("checks the form before asking core, and focuses the field that is missing", async () => {
    const { calls } = fakeCore({ sync_status: () => status() });
    render(SyncPage, props);
    await screen.findByRole("heading", { name: "Link this device to a server" });
    const link = screen.getByRole("button", { name: "Link this device" });

    await fireEvent.click(link);
    expect(await screen.findByText("Type the server's address.")).toBeTruthy();
    expect(input("Server address").getAttribute("aria-invalid")).toBe("true");
    expect(document.activeElement).toBe(input("Server address"));

    await type("Server address", "https://sync.anand.in");
    await fireEvent.click(link);
    expect(await screen.findByText("Name this device, such as Counter 2.")).toBeTruthy();
    expect(document.activeElement).toBe(input("This device's name"));

    await type("This device's name", "Counter 2");
    await fireEvent.click(link);
    expect(await screen.findByText("Type the pairing code from the owner.")).toBeTruthy();

    await fireEvent.click(screen.getByLabelText("The owner's e-mail and password"));
    expect(screen.queryByLabelText("Pairing code")).toBeNull();
    await type("Owner's e-mail", "asha@anand.in");
    await fireEvent.click(link);
    expect(await screen.findByText("Type the owner's password.")).toBeTruthy();
    expect(calls.filter(([c]) => c === "enroll_device")).toHaveLength(0);
  });

  it("sends the code, not the e-mail, and shows the linked status", async () => {
    let current = status();
    const { calls } = fakeCore({
      sync_status: () => current,
      enroll_device: () => {
        current = linked({ connection: "never_synced", last_success_ms: null, pending: 4 });
        return current;
      },
      list_devices: () => [device()],
    });
    render(SyncPage, props);
    await screen.findByLabelText("Server address");
    // The keyring is there: no file choice is offered.
    expect(screen.queryByLabelText(/Keep the key in a file/)).toBeNull();
    await type("Server address", "https://sync.anand.in");
    await type("This device's name", "Counter 2");
    await fireEvent.click(screen.getByLabelText("The owner's e-mail and password"));
    await type("Owner's e-mail", "asha@anand.in");
    await fireEvent.click(screen.getByLabelText("A pairing code"));
    await type("Pairing code", "k7qm-x2pa-9rtd");
    await fireEvent.click(screen.getByRole("button", { name: "Link this device" }));

    expect(await screen.findByText("Linked to Anand Textiles. The first sync has started.")).toBeTruthy();
    expect(calls.find(([c]) => c === "enroll_device")?.[1]).toEqual({
      input: {
        server_url: "https://sync.anand.in",
        device_name: "Counter 2",
        pairing_code: "k7qm-x2pa-9rtd",
        email: "",
        password: "",
        key_in_file: false,
      },
    });
    expect(screen.getByText("Not synced yet")).toBeTruthy();
    expect(screen.getByText("4 changes waiting")).toBeTruthy();
    expect(screen.getByText("Anand Textiles at https://sync.anand.in")).toBeTruthy();
  });

  it("puts the server's refusal beside its field and keeps the form", async () => {
    fakeCore({
      sync_status: () => status(),
      enroll_device: () =>
        Promise.reject(
          ipcError(
            "server_refused",
            "The server did not accept that pairing code: it is wrong, already used or expired. Ask the owner for a new one.",
            "pairing_code",
          ),
        ),
    });
    render(SyncPage, props);
    await screen.findByLabelText("Server address");
    await type("Server address", "https://sync.anand.in");
    await type("This device's name", "Counter 2");
    await type("Pairing code", "AAAA-BBBB-CCCC");
    await fireEvent.click(screen.getByRole("button", { name: "Link this device" }));
    const code = input("Pairing code");
    await waitFor(() => expect(code.getAttribute("aria-invalid")).toBe("true"));
    expect(document.getElementById(code.getAttribute("aria-describedby")!)?.textContent).toMatch(/already used or expired/);
    expect(document.activeElement).toBe(code);
    expect(code.value).toBe("AAAA-BBBB-CCCC");
  });

  it("shows an unreachable server plainly", async () => {
    fakeCore({
      sync_status: () => status(),
      enroll_device: () =>
        Promise.reject(
          ipcError(
            "server_unreachable",
            "Could not reach the server at https://sync.anand.in (connection refused). Check the address and this computer's network, then try again.",
            "server_url",
          ),
        ),
    });
    render(SyncPage, props);
    await screen.findByLabelText("Server address");
    await type("Server address", "https://sync.anand.in");
    await type("This device's name", "Counter 2");
    await type("Pairing code", "K7QM-X2PA-9RTD");
    await fireEvent.click(screen.getByRole("button", { name: "Link this device" }));
    expect(await screen.findByText(/Could not reach the server at https:\/\/sync.anand.in/)).toBeTruthy();
    expect(input("Server address").getAttribute("aria-invalid")).toBe("true");
  });

  it("offers the key file, clearly labelled, only when there is no keyring", async () => {
    const { calls } = fakeCore({
      sync_status: () => status({ keyring_available: false }),
      enroll_device: () => linked({ key_place: "file" }),
      list_devices: () => [device()],
    });
    render(SyncPage, props);
    await screen.findByText(/No keyring was found on this computer/);
    await type("Server address", "https://sync.anand.in");
    await type("This device's name", "Owner's laptop");
    await fireEvent.click(screen.getByLabelText("The owner's e-mail and password"));
    await type("Owner's e-mail", "asha@anand.in");
    await type("Owner's password", "correct horse battery");
    await fireEvent.click(screen.getByLabelText("Keep the key in a file on this computer (no keyring found)"));
    await fireEvent.click(screen.getByRole("button", { name: "Link this device" }));
    await screen.findByText("A file on this computer");
    expect(calls.find(([c]) => c === "enroll_device")?.[1]).toEqual({
      input: {
        server_url: "https://sync.anand.in",
        device_name: "Owner's laptop",
        pairing_code: "",
        email: "asha@anand.in",
        password: "correct horse battery",
        key_in_file: true,
      },
    });
  });

  it("tells a cashier who reaches it that only an owner or manager links the device", async () => {
    session.signedIn = signedIn(person({ id: "s-ravi", name: "Ravi", role: "cashier" }));
    fakeCore({ sync_status: () => status() });
    render(SyncPage, props);
    expect(await screen.findByText(/Only an owner or manager can link it/)).toBeTruthy();
    expect(screen.queryByLabelText("Server address")).toBeNull();
  });
});

describe("SyncPage, linked", () => {
  it("shows the status, the refused changes with their reasons, and what was skipped", async () => {
    session.signedIn = signedIn(MANAGER);
    fakeCore({
      sync_status: () =>
        linked({
          connection: "offline",
          pending: 3,
          last_error: "The server cannot be reached (connection refused); changes wait on this device and go when it is back.",
          rejections: [
            {
              seq: 41,
              entity: "variant",
              key: "v-1",
              op: "update",
              code: "forbidden",
              reason: "Cashiers cannot change prices",
              at_ms: AT,
            },
          ],
          rejection_count: 3,
          skipped: 2,
        }),
    });
    render(SyncPage, props);
    expect(await screen.findByText("Offline")).toBeTruthy();
    expect(screen.getByText("3 changes waiting")).toBeTruthy();
    expect(screen.getByText(/The server cannot be reached/)).toBeTruthy();
    expect(screen.getByText("Counter 2, in Main shop")).toBeTruthy();
    expect(screen.getByText("Syncing in the background, with live updates")).toBeTruthy();
    expect(screen.getByText("This computer's keyring")).toBeTruthy();
    expect(screen.getByText(/2 changes from the server could not be applied/)).toBeTruthy();
    const table = screen.getByRole("table", { name: "Changes the server refused (3)" });
    const row = within(table).getAllByRole("row")[1]!;
    expect(within(row).getByText("variant (update)")).toBeTruthy();
    expect(within(row).getByText("forbidden")).toBeTruthy();
    expect(within(row).getByText("Cashiers cannot change prices")).toBeTruthy();
    expect(screen.getByText(/2 older ones are not shown/)).toBeTruthy();
    // A manager does not manage devices.
    expect(screen.queryByRole("button", { name: "New pairing code" })).toBeNull();
  });

  it("syncs now and says what went, and shows a failure plainly", async () => {
    session.signedIn = signedIn(MANAGER);
    let fail = false;
    fakeCore({
      sync_status: () => linked({ pending: 2 }),
      sync_now: () => {
        if (fail) {
          return Promise.reject(
            ipcError(
              "server_unreachable",
              "The server cannot be reached (connection refused); changes wait on this device and go when it is back.",
            ),
          );
        }
        return { sent: 2, received: 5, rejected: 1, status: linked({ pending: 0 }) };
      },
    });
    render(SyncPage, props);
    await screen.findByText("2 changes waiting");
    await fireEvent.click(screen.getByRole("button", { name: "Sync now" }));
    expect(
      await screen.findByText("Synced. Sent 2 changes, received 5 changes. The server refused 1 change; see below."),
    ).toBeTruthy();
    expect(screen.getByText("Nothing waiting")).toBeTruthy();

    fail = true;
    await fireEvent.click(screen.getByRole("button", { name: "Sync now" }));
    expect((await screen.findByRole("alert")).textContent).toMatch(/The server cannot be reached/);
  });

  it("shows per scope whether this device agrees, and which were repaired", async () => {
    session.signedIn = signedIn(MANAGER);
    const result: VerifyView = {
      agrees: true,
      scopes: [
        { scope: "catalog", agrees: true, repaired: true, server_count: 812, device_count: 810 },
        { scope: "sales", agrees: true, repaired: false, server_count: 40, device_count: 40 },
      ],
      repaired: ["catalog"],
      status: linked(),
    };
    fakeCore({ sync_status: () => linked(), verify_sync: () => result });
    render(SyncPage, props);
    await fireEvent.click(await screen.findByRole("button", { name: "Verify" }));
    expect(await screen.findByText("This device agrees with the server.")).toBeTruthy();
    expect(screen.getByText("Fetched again from the server: Catalog.")).toBeTruthy();
    const table = screen.getByRole("table", { name: "Verify, scope by scope" });
    const catalog = within(table).getByRole("row", { name: /Catalog/ });
    expect(within(catalog).getByText("Repaired, agrees now")).toBeTruthy();
    expect(within(catalog).getByText("812")).toBeTruthy();
    const sales = within(table).getByRole("row", { name: /Sales and shifts/ });
    expect(within(sales).getByText("Agrees")).toBeTruthy();
  });

  it("says when Verify still finds a difference", async () => {
    session.signedIn = signedIn(MANAGER);
    fakeCore({
      sync_status: () => linked(),
      verify_sync: () => ({
        agrees: false,
        scopes: [{ scope: "stock", agrees: false, repaired: true, server_count: 9, device_count: 8 }],
        repaired: ["stock"],
        status: linked(),
      }),
    });
    render(SyncPage, props);
    await fireEvent.click(await screen.findByRole("button", { name: "Verify" }));
    expect((await screen.findByRole("alert")).textContent).toMatch(/still differs from the server in: Stock/);
    expect(screen.getByText("Differs")).toBeTruthy();
  });

  it("shows a revoked device's message and offers no sync", async () => {
    fakeCore({ sync_status: () => linked({ connection: "revoked", pending: 6, background: false }) });
    render(SyncPage, props);
    expect((await screen.findByRole("alert")).textContent).toMatch(
      "The owner revoked this device, so it no longer syncs. Changes not yet synced stay on this device.",
    );
    expect(screen.getByText("6 changes waiting")).toBeTruthy();
    expect((screen.getByRole("button", { name: "Sync now" }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByRole("button", { name: "Verify" }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.queryByRole("button", { name: "New pairing code" })).toBeNull();
  });

  it("saves a revoked device's unsynced changes to a file and says where", async () => {
    const { calls } = fakeCore({
      sync_status: () => linked({ connection: "revoked", pending: 6, background: false }),
      export_unsynced: () => ({ path: "/home/asha/Downloads/galla-unsynced-2026-11-21.json", entries: 6 }),
    });
    render(SyncPage, props);
    await fireEvent.click(await screen.findByRole("button", { name: "Export unsynced changes" }));
    await waitFor(() =>
      expect(screen.getByRole("status").textContent).toBe(
        "Saved 6 changes not yet synced to /home/asha/Downloads/galla-unsynced-2026-11-21.json. They stay on this device too.",
      ),
    );
    expect(calls.filter(([c]) => c === "export_unsynced")).toHaveLength(1);
  });

  it("offers no export while the device still syncs", async () => {
    fakeCore({ sync_status: () => linked({ pending: 6 }) });
    render(SyncPage, props);
    await screen.findByRole("button", { name: "Sync now" });
    expect(screen.queryByRole("button", { name: "Export unsynced changes" })).toBeNull();
  });
});

describe("SyncPage, the owner's devices", () => {
  it("makes a pairing code for this shop and shows it with its expiry", async () => {
    const { calls } = fakeCore({
      sync_status: () => linked(),
      list_devices: () => [device()],
      new_pairing_code: () => ({ code: "K7QM-X2PA-9RTD", expires_at_ms: AT, shop_name: "Main shop" }),
    });
    render(SyncPage, props);
    await fireEvent.click(await screen.findByRole("button", { name: "New pairing code" }));
    expect(await screen.findByText("K7QM-X2PA-9RTD")).toBeTruthy();
    expect(screen.getByText(/Works once, until/).textContent).toMatch(/The new device will work in Main shop/);
    expect(calls.find(([c]) => c === "new_pairing_code")?.[1]).toEqual({ forThisShop: true });

    await fireEvent.click(screen.getByLabelText("For this device's shop"));
    await fireEvent.click(screen.getByRole("button", { name: "New pairing code" }));
    expect(calls.filter(([c]) => c === "new_pairing_code").at(-1)?.[1]).toEqual({ forThisShop: false });
  });

  it("shows a pairing code refusal plainly", async () => {
    fakeCore({
      sync_status: () => linked(),
      list_devices: () => [device()],
      new_pairing_code: () =>
        Promise.reject(
          ipcError("server_refused", "The server does not have this shop yet. Sync now, then make the code again."),
        ),
    });
    render(SyncPage, props);
    await fireEvent.click(await screen.findByRole("button", { name: "New pairing code" }));
    expect((await screen.findByRole("alert")).textContent).toBe(
      "The server does not have this shop yet. Sync now, then make the code again.",
    );
  });

  it("lists the devices and revokes another one after confirming; never itself", async () => {
    const counter = device({ id: "d-2", name: "Counter 2", shop_name: "Main shop", this_device: false, last_seen_at_ms: null });
    const { calls } = fakeCore({
      sync_status: () => linked(),
      list_devices: () => [device(), counter],
      revoke_device: () => [device(), { ...counter, revoked_at_ms: AT }],
    });
    render(SyncPage, props);
    const table = await screen.findByRole("table", { name: "The business's devices" });
    expect(within(table).getByText("This device")).toBeTruthy();
    expect(within(table).getByText("Never")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Revoke Owner's laptop" })).toBeNull();

    await fireEvent.click(screen.getByRole("button", { name: "Revoke Counter 2" }));
    const dialog = await screen.findByRole("dialog", { name: "Revoke Counter 2?" });
    expect(dialog.textContent).toMatch(/What it has not synced stays on it/);
    // The safe choice first: cancelling revokes nothing.
    await fireEvent.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(calls.filter(([c]) => c === "revoke_device")).toHaveLength(0);

    await fireEvent.click(screen.getByRole("button", { name: "Revoke Counter 2" }));
    await fireEvent.click(within(await screen.findByRole("dialog")).getByRole("button", { name: "Revoke" }));
    expect(await screen.findByText(/Revoked Counter 2\. It can no longer sync/)).toBeTruthy();
    expect(calls.find(([c]) => c === "revoke_device")?.[1]).toEqual({ deviceId: "d-2" });
    expect(screen.queryByRole("button", { name: "Revoke Counter 2" })).toBeNull();
    expect(within(table).getByText(/^Revoked /)).toBeTruthy();
  });
});

describe("SyncIndicator", () => {
  it("shows the connection and what waits, and nothing when not linked", async () => {
    fakeCore({ sync_status: () => linked({ connection: "offline", pending: 3 }) });
    const { unmount } = render(SyncIndicator);
    expect(await screen.findByText("Sync: Offline · 3 changes waiting")).toBeTruthy();
    unmount();

    fakeCore({ sync_status: () => status() });
    const { container } = render(SyncIndicator);
    await waitFor(() => expect(vi.mocked(invoke)).toHaveBeenCalled());
    expect(container.textContent?.trim()).toBe("");
  });
});
