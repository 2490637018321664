import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({
  invoke: vi.fn(),
  convertFileSrc: (path: string, protocol: string) => `${protocol}://localhost/${path}`,
}));

import { invoke } from "@tauri-apps/api/core";
import Pictures from "./Pictures.svelte";
import { fakeCore, ipcError, kurta } from "./testFixtures";

const invokeMock = vi.mocked(invoke);
const IMAGES = [
  { hash: "aaa", width: 800, height: 800 },
  { hash: "bbb", width: 800, height: 600 },
];

function setup(readOnly = false) {
  const onChange = vi.fn();
  const product = kurta({ images: IMAGES });
  invokeMock.mockImplementation(
    fakeCore({
      move_product_image: () => kurta({ images: [IMAGES[1]!, IMAGES[0]!] }),
      remove_product_image: () => kurta({ images: [IMAGES[1]!] }),
      add_product_image: () => {
        throw ipcError("image_invalid", "That file is not a JPEG, PNG or WebP picture.");
      },
    }) as never,
  );
  render(Pictures, { props: { product, readOnly, onChange } });
  return { onChange };
}

beforeEach(() => {
  invokeMock.mockReset();
  vi.spyOn(console, "error").mockImplementation(() => {});
});

describe("Pictures", () => {
  it("shows thumbnails through the galla-image scheme", () => {
    setup();
    const second = screen.getByAltText("Picture 2 of Cotton kurta") as HTMLImageElement;
    expect(second.src).toBe("galla-image://localhost/bbb/thumb");
    expect(screen.getByText("Main picture")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Make main picture 1" })).toBeNull();
  });

  it("makes a picture the main one", async () => {
    const { onChange } = setup();
    await fireEvent.click(screen.getByRole("button", { name: "Make main picture 2" }));
    await waitFor(() => expect(onChange).toHaveBeenCalled());
    expect(invokeMock.mock.calls[0]?.slice(0, 2)).toEqual([
      "move_product_image",
      { productId: "p-1", hash: "bbb", position: 0 },
    ]);
  });

  it("asks before removing a picture", async () => {
    const { onChange } = setup();
    await fireEvent.click(screen.getByRole("button", { name: "Remove picture 1" }));
    expect(invokeMock).not.toHaveBeenCalled();
    await fireEvent.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Remove" }));
    await waitFor(() => expect(onChange).toHaveBeenCalled());
    expect(invokeMock.mock.calls[0]?.slice(0, 2)).toEqual(["remove_product_image", { productId: "p-1", hash: "aaa" }]);
  });

  it("uploads a picked file and shows core's refusal", async () => {
    setup();
    const picker = screen.getByLabelText("Add picture") as HTMLInputElement;
    const file = new File([new Uint8Array([1, 2])], "notes.txt", { type: "text/plain" });
    Object.defineProperty(picker, "files", { value: [file], configurable: true });
    await fireEvent.change(picker);
    expect((await screen.findByRole("alert")).textContent).toBe(
      "Could not add the picture. That file is not a JPEG, PNG or WebP picture.",
    );
    const [command, body, options] = invokeMock.mock.calls[0] ?? [];
    expect(command).toBe("add_product_image");
    expect(Array.from(body as Uint8Array)).toEqual([1, 2]);
    expect(options).toEqual({ headers: { "x-galla-product-id": "p-1" } });
  });

  it("only shows pictures to someone who may not change them", () => {
    setup(true);
    expect(screen.getByAltText("Picture 1 of Cotton kurta")).toBeTruthy();
    expect(screen.queryByLabelText("Add picture")).toBeNull();
    expect(screen.queryByRole("button", { name: /picture/ })).toBeNull();
  });
});
