import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

import { invoke } from "@tauri-apps/api/core";
import type { CategoryView } from "../bindings";
import { session } from "../session.svelte";
import CategoriesPage from "./CategoriesPage.svelte";
import { ALL, CASHIER, CATEGORIES, fakeCore, ipcError, signInWith } from "./testFixtures";

const invokeMock = vi.mocked(invoke);
/** A category's name in the tree (the pickers list the names too). */
const NODE = { selector: "span.name" };

function argsOf(command: string): Record<string, unknown>[] {
  return invokeMock.mock.calls.filter((c) => c[0] === command).map((c) => c[1] as Record<string, unknown>);
}

function setup(handlers: Record<string, (args: Record<string, unknown>) => unknown> = {}) {
  invokeMock.mockImplementation(
    fakeCore({
      list_categories: () => CATEGORIES,
      create_category: () => [
        ...CATEGORIES,
        { id: "c-9", parent_id: "c-1", name: "Dupattas", path: "Clothing › Dupattas", depth: 1 },
      ],
      rename_category: () => CATEGORIES.map((c) => (c.id === "c-4" ? { ...c, name: "Pure silk" } : c)),
      move_category: () => CATEGORIES,
      archive_category: () => CATEGORIES.filter((c) => c.id !== "c-5"),
      ...handlers,
    }) as never,
  );
  return render(CategoriesPage);
}

beforeEach(() => {
  invokeMock.mockReset();
  vi.spyOn(console, "error").mockImplementation(() => {});
  signInWith(ALL);
});

afterEach(() => {
  session.signedIn = null;
});

describe("CategoriesPage", () => {
  it("shows the tree nested under each parent", async () => {
    setup();
    expect(screen.getByRole("heading", { level: 1, name: "Categories" })).toBeTruthy();
    const silk = await screen.findByText("Silk", NODE);
    const sarees = screen.getByText("Sarees", NODE).closest("li") as HTMLElement;
    expect(sarees.contains(silk)).toBe(true);
    expect((screen.getByText("Clothing", NODE).closest("li") as HTMLElement).contains(sarees)).toBe(true);
    expect((screen.getByText("Groceries", NODE).closest("li") as HTMLElement).contains(silk)).toBe(false);
  });

  it("adds a category under a parent", async () => {
    setup();
    await screen.findByText("Silk", NODE);
    await fireEvent.input(screen.getByLabelText("Category name"), { target: { value: "Dupattas" } });
    await fireEvent.change(screen.getByLabelText("Parent"), { target: { value: "c-1" } });
    await fireEvent.click(screen.getByRole("button", { name: "Add category" }));
    await waitFor(() => expect(argsOf("create_category")).toEqual([{ name: "Dupattas", parentId: "c-1" }]));
    expect(await screen.findByText("Added Dupattas under Clothing.")).toBeTruthy();
    expect(screen.getByText("Dupattas", NODE)).toBeTruthy();
    expect((screen.getByLabelText("Category name") as HTMLInputElement).value).toBe("");
  });

  it("shows a taken name beside the name field", async () => {
    const message = "There is already a category called Kurtas here.";
    setup({
      create_category: () => {
        throw ipcError("category_name_taken", message);
      },
    });
    await screen.findByText("Silk", NODE);
    const name = screen.getByLabelText("Category name");
    await fireEvent.input(name, { target: { value: "Kurtas" } });
    await fireEvent.click(screen.getByRole("button", { name: "Add category" }));
    await waitFor(() => expect(name.getAttribute("aria-invalid")).toBe("true"));
    expect(document.getElementById(name.getAttribute("aria-describedby") ?? "")?.textContent).toBe(message);
    expect(document.activeElement).toBe(name);
  });

  it("renames a category in place", async () => {
    setup();
    await screen.findByText("Silk", NODE);
    await fireEvent.click(screen.getByRole("button", { name: "Rename Silk" }));
    const input = screen.getByLabelText("New name for Silk") as HTMLInputElement;
    expect(document.activeElement).toBe(input);
    expect(input.value).toBe("Silk");
    await fireEvent.input(input, { target: { value: "Pure silk" } });
    await fireEvent.click(screen.getByRole("button", { name: "Save name" }));
    await waitFor(() => expect(argsOf("rename_category")).toEqual([{ id: "c-4", name: "Pure silk" }]));
    expect(await screen.findByText("Renamed Silk to Pure silk.")).toBeTruthy();
    await waitFor(() =>
      expect(document.activeElement).toBe(screen.getByRole("button", { name: "Rename Pure silk" })),
    );
  });

  it("moves a category, never under itself", async () => {
    setup();
    await screen.findByText("Silk", NODE);
    await fireEvent.click(screen.getByRole("button", { name: "Move Sarees" }));
    const select = screen.getByLabelText("New parent for Sarees") as HTMLSelectElement;
    expect(Array.from(select.options, (o) => o.textContent?.trim())).toEqual([
      "Top level",
      "Clothing",
      "Kurtas",
      "Groceries",
    ]);
    await fireEvent.change(select, { target: { value: "c-5" } });
    await waitFor(() => expect(argsOf("move_category")).toEqual([{ id: "c-3", parentId: "c-5" }]));
    expect(await screen.findByText("Moved Sarees under Groceries.")).toBeTruthy();
  });

  it("asks before archiving", async () => {
    setup();
    await screen.findByText("Silk", NODE);
    await fireEvent.click(screen.getByRole("button", { name: "Archive Groceries" }));
    const dialog = screen.getByRole("dialog");
    expect(dialog.textContent).toContain("Archive Groceries?");
    await fireEvent.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(argsOf("archive_category")).toHaveLength(0);

    await fireEvent.click(screen.getByRole("button", { name: "Archive Groceries" }));
    await fireEvent.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Archive" }));
    await waitFor(() => expect(argsOf("archive_category")).toEqual([{ id: "c-5" }]));
    expect(await screen.findByText("Archived Groceries.")).toBeTruthy();
    expect(screen.queryByText("Groceries", NODE)).toBeNull();
  });

  it("shows why a category cannot be archived", async () => {
    setup({
      archive_category: () => {
        throw ipcError("category_has_children", "Sarees still has sub-categories. Move or archive them first.");
      },
    });
    await screen.findByText("Silk", NODE);
    await fireEvent.click(screen.getByRole("button", { name: "Archive Sarees" }));
    await fireEvent.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Archive" }));
    expect((await screen.findByRole("alert")).textContent).toContain("still has sub-categories");
  });

  it("is read-only without manage_catalog", async () => {
    signInWith(CASHIER, "cashier");
    setup();
    await screen.findByText("Silk", NODE);
    expect(screen.queryByLabelText("Category name")).toBeNull();
    expect(screen.queryByRole("button", { name: /^(Rename|Move|Archive) / })).toBeNull();
    expect(screen.getByText("Only a manager or the owner can change categories.")).toBeTruthy();
  });

  it("invites the first category", async () => {
    setup({ list_categories: (): CategoryView[] => [] });
    expect(await screen.findByText("No categories yet. Add your first category above.")).toBeTruthy();
  });
});
