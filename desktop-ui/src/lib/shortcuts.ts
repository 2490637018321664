// The back office's global keyboard shortcuts. App listens on the window and
// asks `shortcutFor` what a key press means; pages handle their own keys
// (Ctrl+N, Ctrl+S, Escape) themselves.

export type ShortcutAction =
  | { kind: "page"; index: number } // Alt+1..9: the nth page in the nav, 0-based
  | { kind: "search" } // Ctrl+K or "/": the product search box
  | { kind: "help" }; // "?": the list of shortcuts

/** What the help dialog lists. The page shortcuts are added from the nav. */
export const SHORTCUT_HELP: ReadonlyArray<{ keys: string; what: string }> = [
  { keys: "Ctrl+K or /", what: "Search products" },
  { keys: "Ctrl+N", what: "Add a product (on Products)" },
  { keys: "Ctrl+S", what: "Save the product you are editing" },
  { keys: "Escape", what: "Close a dialog or leave the product editor" },
  { keys: "?", what: "Show this list" },
];

/** True when keys typed now are text for a field, not commands. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) {
    // Buttons and boxes take no text; everything else (text, number, date…) does.
    return !["button", "submit", "reset", "checkbox", "radio", "file", "image", "range", "color"].includes(
      target.type,
    );
  }
  return false;
}

/** The digit of Alt+digit, from the physical key so it works on every layout. */
function altDigit(event: KeyboardEvent): number | null {
  const fromCode = /^(?:Digit|Numpad)([1-9])$/.exec(event.code);
  if (fromCode?.[1]) return Number(fromCode[1]);
  if (/^[1-9]$/.test(event.key)) return Number(event.key);
  return null;
}

/** The shortcut a key press stands for, or null. Never fires single keys while typing. */
export function shortcutFor(event: KeyboardEvent): ShortcutAction | null {
  if (event.defaultPrevented || event.isComposing) return null;
  const ctrl = event.ctrlKey || event.metaKey;
  if (event.altKey && !ctrl && !event.shiftKey) {
    const digit = altDigit(event);
    if (digit !== null) return { kind: "page", index: digit - 1 };
    return null;
  }
  if (ctrl && !event.altKey && !event.shiftKey && event.key.toLowerCase() === "k") {
    return { kind: "search" };
  }
  if (ctrl || event.altKey) return null;
  if (isTyping(event.target)) return null;
  if (event.key === "/") return { kind: "search" };
  if (event.key === "?") return { kind: "help" };
  return null;
}
