import { render, screen, within } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

import { invoke } from "@tauri-apps/api/core";
import { fakeCore } from "../shell/testing/fakeCore";
import ReorderPage from "./ReorderPage.svelte";

beforeEach(() => {
  vi.mocked(invoke).mockReset();
});

describe("ReorderPage", () => {
  it("lists low items with Indian grouping", async () => {
    fakeCore({
      reorder_list: () => [
        {
          product_id: "p-1",
          variant_id: "v-1",
          item: "Basmati rice (5 kg)",
          sku: "RICE-5",
          on_hand_milli: 2500,
          threshold_milli: 150_000_000,
          shortfall_milli: 149_997_500,
        },
      ],
    });
    render(ReorderPage, { locale: "en-IN" });
    const table = await screen.findByRole("table");
    const cells = Array.from(within(table).getAllByRole("row")[1]!.querySelectorAll("td"), (c) => c.textContent);
    expect(cells).toEqual(["Basmati rice (5 kg)", "RICE-5", "2.5", "1,50,000", "1,49,997.5"]);
  });

  it("says when nothing is low", async () => {
    fakeCore({ reorder_list: () => [] });
    render(ReorderPage, { locale: "en-IN" });
    expect(await screen.findByText("Nothing is low on stock.")).toBeTruthy();
  });
});
