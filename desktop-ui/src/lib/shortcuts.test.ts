import { describe, expect, it } from "vitest";
import { isTyping, shortcutFor } from "./shortcuts";

function press(init: KeyboardEventInit, target: EventTarget = document.body): KeyboardEvent {
  const event = new KeyboardEvent("keydown", { bubbles: true, cancelable: true, ...init });
  Object.defineProperty(event, "target", { value: target });
  return event;
}

describe("shortcutFor", () => {
  it("maps Alt+digits to pages by the physical key", () => {
    expect(shortcutFor(press({ key: "2", code: "Digit2", altKey: true }))).toEqual({ kind: "page", index: 1 });
    // macOS types a symbol with Option+1; the code still says Digit1.
    expect(shortcutFor(press({ key: "¡", code: "Digit1", altKey: true }))).toEqual({ kind: "page", index: 0 });
    expect(shortcutFor(press({ key: "0", code: "Digit0", altKey: true }))).toBeNull();
  });

  it("Ctrl+K searches, even while typing", () => {
    const input = document.createElement("input");
    expect(shortcutFor(press({ key: "k", ctrlKey: true }, input))).toEqual({ kind: "search" });
    expect(shortcutFor(press({ key: "K", metaKey: true }))).toEqual({ kind: "search" });
  });

  it("'/' and '?' work only when not typing", () => {
    expect(shortcutFor(press({ key: "/" }))).toEqual({ kind: "search" });
    expect(shortcutFor(press({ key: "?", shiftKey: true }))).toEqual({ kind: "help" });
    for (const tag of ["input", "textarea", "select"]) {
      const field = document.createElement(tag);
      expect(shortcutFor(press({ key: "/" }, field))).toBeNull();
      expect(shortcutFor(press({ key: "?" }, field))).toBeNull();
    }
  });

  it("leaves other keys and page-owned shortcuts alone", () => {
    expect(shortcutFor(press({ key: "n", ctrlKey: true }))).toBeNull();
    expect(shortcutFor(press({ key: "s", ctrlKey: true }))).toBeNull();
    expect(shortcutFor(press({ key: "Escape" }))).toBeNull();
    expect(shortcutFor(press({ key: "a" }))).toBeNull();
  });
});

describe("isTyping", () => {
  it("treats text fields as typing and buttons or checkboxes as not", () => {
    const text = document.createElement("input");
    const checkbox = document.createElement("input");
    checkbox.type = "checkbox";
    const date = document.createElement("input");
    date.type = "date";
    expect(isTyping(text)).toBe(true);
    expect(isTyping(date)).toBe(true);
    expect(isTyping(checkbox)).toBe(false);
    expect(isTyping(document.createElement("button"))).toBe(false);
    expect(isTyping(null)).toBe(false);
  });
});
