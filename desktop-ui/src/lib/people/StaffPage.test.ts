import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

import { invoke } from "@tauri-apps/api/core";
import type { PersonView } from "../bindings";
import { session } from "../session.svelte";
import { fakeCore, ipcError, person, signedIn } from "../shell/testing/fakeCore";
import StaffPage from "./StaffPage.svelte";

const ASHA = person();
const RAVI = person({ id: "s-ravi", name: "Ravi", role: "cashier" });

beforeEach(() => {
  vi.mocked(invoke).mockReset();
  session.signedIn = signedIn(ASHA);
});

afterEach(() => {
  session.signedIn = null;
});

describe("StaffPage", () => {
  it("lists people with their role and adds a person", async () => {
    const { calls } = fakeCore({
      list_staff: () => [ASHA, RAVI],
      add_staff: (a) => person({ id: "s-new", name: a.name as string, role: a.role as PersonView["role"] }),
    });
    render(StaffPage, { locale: "en-IN" });
    await screen.findByText("Ravi");
    // Nobody archives themselves from here.
    expect(screen.queryByRole("button", { name: "Archive Asha" })).toBeNull();
    expect(screen.getByRole("button", { name: "Archive Ravi" })).toBeTruthy();
    expect((screen.getByLabelText("Change role of Ravi") as HTMLSelectElement).value).toBe("cashier");

    await fireEvent.input(screen.getByLabelText("Name"), { target: { value: "Meena" } });
    await fireEvent.change(screen.getByLabelText("Role"), { target: { value: "manager" } });
    await fireEvent.input(screen.getByLabelText("PIN"), { target: { value: "4829" } });
    await fireEvent.click(screen.getByRole("button", { name: "Add person" }));

    await screen.findByText("Added Meena as Manager. Tell them their PIN.");
    expect(calls.find(([c]) => c === "add_staff")?.[1]).toEqual({ name: "Meena", role: "manager", pin: "4829" });
    expect(screen.getByLabelText("Change role of Meena")).toBeTruthy();
  });

  it("shows a weak PIN beside the PIN field", async () => {
    fakeCore({
      list_staff: () => [ASHA],
      add_staff: () => Promise.reject(ipcError("pin_weak", "A PIN of digits in a row (like 1234 or 4321) is too easy to guess. Choose another.")),
    });
    render(StaffPage, { locale: "en-IN" });
    await screen.findByText("Asha");
    await fireEvent.input(screen.getByLabelText("Name"), { target: { value: "Meena" } });
    const pin = screen.getByLabelText("PIN");
    await fireEvent.input(pin, { target: { value: "1234" } });
    await fireEvent.click(screen.getByRole("button", { name: "Add person" }));
    await waitFor(() => expect(pin.getAttribute("aria-invalid")).toBe("true"));
    expect(document.getElementById(pin.getAttribute("aria-describedby")!)?.textContent).toMatch(/too easy/);
    expect(document.activeElement).toBe(pin);
  });

  it("shows core's last-owner error and puts the role back", async () => {
    fakeCore({
      list_staff: () => [ASHA, RAVI],
      change_role: () =>
        Promise.reject(ipcError("last_owner", "The shop must keep at least one owner. Make someone else an owner first.")),
    });
    render(StaffPage, { locale: "en-IN" });
    const select = (await screen.findByLabelText("Change role of Asha")) as HTMLSelectElement;
    await fireEvent.change(select, { target: { value: "manager" } });
    expect((await screen.findByRole("alert")).textContent).toMatch(/at least one owner/);
    expect(select.value).toBe("owner");
  });

  it("archives only after confirming", async () => {
    const { calls } = fakeCore({
      list_staff: () => [ASHA, RAVI],
      archive_staff: () => ({ ...RAVI, archived: true }),
    });
    render(StaffPage, { locale: "en-IN" });
    await fireEvent.click(await screen.findByRole("button", { name: "Archive Ravi" }));
    const dialog = screen.getByRole("dialog", { name: "Archive Ravi?" });
    expect(calls.some(([c]) => c === "archive_staff")).toBe(false);
    await fireEvent.click(within(dialog).getByRole("button", { name: "Archive" }));
    await screen.findByText("Archived Ravi. They can no longer sign in.");
    expect(calls.find(([c]) => c === "archive_staff")?.[1]).toEqual({ staffId: "s-ravi" });
    expect(screen.queryByText("Ravi")).toBeNull(); // archived people are hidden by default
  });

  it("resets a PIN after confirming", async () => {
    const { calls } = fakeCore({ list_staff: () => [ASHA, RAVI], reset_pin: () => null });
    render(StaffPage, { locale: "en-IN" });
    await fireEvent.click(await screen.findByRole("button", { name: "Reset PIN of Ravi" }));
    const field = screen.getByLabelText("New PIN for Ravi");
    expect(document.activeElement).toBe(field);
    await fireEvent.input(field, { target: { value: "5830" } });
    await fireEvent.click(screen.getByRole("button", { name: "Save new PIN" }));
    const dialog = screen.getByRole("dialog", { name: "Reset Ravi's PIN?" });
    await fireEvent.click(within(dialog).getByRole("button", { name: "Reset PIN" }));
    await screen.findByText("Ravi's PIN was changed. Tell them the new PIN.");
    expect(calls.find(([c]) => c === "reset_pin")?.[1]).toEqual({ staffId: "s-ravi", pin: "5830" });
  });
});
