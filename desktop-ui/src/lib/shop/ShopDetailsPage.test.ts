import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

import { invoke } from "@tauri-apps/api/core";
import type { ShopDetailsView } from "../bindings";
import { session } from "../session.svelte";
import { fakeCore, ipcError } from "../shell/testing/fakeCore";
import ShopDetailsPage from "./ShopDetailsPage.svelte";

const DETAILS: ShopDetailsView = {
  name: "Meena Stores",
  address: "12 MG Road\nBengaluru",
  opening_hours: [
    { day: "mon", opens: "09:30", closes: "19:00" },
    { day: "sat", opens: "10:00", closes: "13:00" },
    { day: "sat", opens: "16:00", closes: "21:00" },
  ],
};

function signIn(permissions: string[]) {
  session.signedIn = { id: "s-1", name: "Meena", role: "manager", permissions };
}

beforeEach(() => {
  vi.mocked(invoke).mockReset();
  signIn(["sell", "manage_settings"]);
});

afterEach(() => {
  session.signedIn = null;
});

const input = (label: string) => screen.getByLabelText(label) as HTMLInputElement;
const saveButton = () => screen.getByRole("button", { name: "Save shop details" });

describe("ShopDetailsPage", () => {
  it("tells cashiers the page is not for them and loads nothing", () => {
    signIn(["sell"]);
    const { calls } = fakeCore({});
    render(ShopDetailsPage);
    expect(screen.getByText("Only an owner or manager can change the shop details.")).toBeTruthy();
    expect(screen.queryByLabelText("Shop name")).toBeNull();
    expect(calls).toHaveLength(0);
  });

  it("shows the details with a row per day, both periods of a two-period day kept", async () => {
    fakeCore({ shop_details: () => DETAILS });
    render(ShopDetailsPage);
    await screen.findByLabelText("Shop name");
    expect(input("Shop name").value).toBe("Meena Stores");
    expect(screen.getByLabelText("Address").tagName).toBe("TEXTAREA");
    expect((screen.getByLabelText("Address") as HTMLTextAreaElement).value).toBe("12 MG Road\nBengaluru");
    expect(input("Closed, Monday").checked).toBe(false);
    expect(input("Opens, Monday").value).toBe("09:30");
    expect(input("Closes, Monday").value).toBe("19:00");
    expect(input("Closed, Tuesday").checked).toBe(true);
    expect(input("Opens, Tuesday").disabled).toBe(true);
    expect(input("Opens, Saturday").value).toBe("10:00");
    expect(input("Opens, Saturday, period 2").value).toBe("16:00");
    expect(input("Closes, Saturday, period 2").value).toBe("21:00");
    expect(screen.getAllByRole("row")).toHaveLength(1 + 8);
  });

  it("saves the edited form, keeps the second period and shows what core kept", async () => {
    const { calls } = fakeCore({
      shop_details: () => DETAILS,
      save_shop_details: (a) => {
        const sent = a.details as ShopDetailsView;
        return { ...sent, address: sent.address.trim() };
      },
    });
    render(ShopDetailsPage);
    await screen.findByLabelText("Shop name");
    await fireEvent.input(screen.getByLabelText("Address"), { target: { value: " 14 MG Road\nBengaluru 560001 " } });
    await fireEvent.click(input("Closed, Tuesday"));
    expect(input("Opens, Tuesday").value).toBe("09:30");
    await fireEvent.input(input("Closes, Tuesday"), { target: { value: "18:00" } });
    await fireEvent.click(input("Closed, Monday"));
    await fireEvent.click(saveButton());

    await screen.findByText("Shop details saved.");
    expect(calls.find(([c]) => c === "save_shop_details")?.[1]).toEqual({
      details: {
        name: "Meena Stores",
        address: " 14 MG Road\nBengaluru 560001 ",
        opening_hours: [
          { day: "tue", opens: "09:30", closes: "18:00" },
          { day: "sat", opens: "10:00", closes: "13:00" },
          { day: "sat", opens: "16:00", closes: "21:00" },
        ],
      },
    });
    expect((screen.getByLabelText("Address") as HTMLTextAreaElement).value).toBe("14 MG Road\nBengaluru 560001");
    expect(input("Closed, Monday").checked).toBe(true);
  });

  it("puts an hours error beside the hours and focuses a time", async () => {
    const message = "On mon, closing time 09:00 must be after opening time 19:00.";
    fakeCore({
      shop_details: () => DETAILS,
      save_shop_details: () => Promise.reject(ipcError("shop_details_invalid", message, "opening_hours")),
    });
    render(ShopDetailsPage);
    await screen.findByLabelText("Shop name");
    await fireEvent.input(input("Closes, Monday"), { target: { value: "09:00" } });
    await fireEvent.click(saveButton());
    await screen.findByText(message);
    expect(input("Opens, Monday").getAttribute("aria-invalid")).toBe("true");
    expect(document.activeElement).toBe(input("Opens, Monday"));
    expect(screen.queryByText("Shop details saved.")).toBeNull();
  });

  it("puts a name error beside the name", async () => {
    fakeCore({
      shop_details: () => DETAILS,
      save_shop_details: () => Promise.reject(ipcError("shop_details_invalid", "Enter a name for the shop.", "name")),
    });
    render(ShopDetailsPage);
    const name = await screen.findByLabelText("Shop name");
    await fireEvent.input(name, { target: { value: "" } });
    await fireEvent.click(saveButton());
    await waitFor(() => expect(name.getAttribute("aria-invalid")).toBe("true"));
    expect(document.getElementById(name.getAttribute("aria-describedby")!)?.textContent).toBe(
      "Enter a name for the shop.",
    );
    expect(document.activeElement).toBe(name);
  });

  it("shows any other failure as an alert and keeps the form", async () => {
    fakeCore({
      shop_details: () => DETAILS,
      save_shop_details: () =>
        Promise.reject(ipcError("permission_denied", "A cashier cannot change the settings. Ask an owner or manager.")),
    });
    render(ShopDetailsPage);
    await screen.findByLabelText("Shop name");
    await fireEvent.input(input("Shop name"), { target: { value: "Meena General" } });
    await fireEvent.click(saveButton());
    expect((await screen.findByRole("alert")).textContent).toMatch(/cannot change the settings/);
    expect(input("Shop name").value).toBe("Meena General");
  });

  it("says when the details cannot be loaded and tries again", async () => {
    let fail = true;
    fakeCore({
      shop_details: () => (fail ? Promise.reject(ipcError("store_failed", "The local store failed.")) : DETAILS),
    });
    render(ShopDetailsPage);
    expect((await screen.findByRole("alert")).textContent).toMatch(/Could not load the shop details/);
    fail = false;
    await fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect((await screen.findByLabelText("Shop name")).getAttribute("id")).toBe("shop-name");
  });
});
