import { describe, expect, it } from "vitest";

import { GENERAL_ERROR, errorText, isIpcError } from "./api";

describe("isIpcError", () => {
  it("recognises {code, message} with a known code", () => {
    expect(isIpcError({ code: "not_found", message: "No such product." })).toBe(true);
  });

  it("rejects everything else", () => {
    expect(isIpcError(null)).toBe(false);
    expect(isIpcError(undefined)).toBe(false);
    expect(isIpcError("store_failed")).toBe(false);
    expect(isIpcError(new Error("boom"))).toBe(false);
    expect(isIpcError({ code: "not_found" })).toBe(false);
    expect(isIpcError({ code: "made_up", message: "x" })).toBe(false);
    expect(isIpcError({ code: "toString", message: "x" })).toBe(false);
    expect(isIpcError({ code: 1, message: "x" })).toBe(false);
  });
});

describe("errorText", () => {
  it("shows the server's message for an IpcError", () => {
    expect(errorText({ code: "store_failed", message: "The shop's data could not be saved." })).toBe(
      "The shop's data could not be saved.",
    );
  });

  it("shows a general message for anything else", () => {
    expect(errorText(new TypeError("window.__TAURI_INTERNALS__ is undefined"))).toBe(GENERAL_ERROR);
    expect(errorText("oops")).toBe(GENERAL_ERROR);
    expect(errorText({ code: "store_failed", message: "  " })).toBe(GENERAL_ERROR);
  });
});
