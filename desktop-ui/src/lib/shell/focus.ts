// Moving focus to where a person continues after a screen changes.

/** Focuses an element, making a heading focusable first (tabindex=-1). */
export function focusElement(target: HTMLElement | null): boolean {
  if (!target || !target.isConnected) return false;
  if (/^H[1-6]$/.test(target.tagName) && !target.hasAttribute("tabindex")) {
    target.setAttribute("tabindex", "-1");
  }
  target.focus();
  return document.activeElement === target;
}

/**
 * Focuses the first of `selectors` found in `root` (e.g. the search box, else
 * the page heading). Pages may render after loading, so this tries again for a
 * short while.
 */
export function focusFirst(root: ParentNode | undefined, selectors: string[], tries = 10): void {
  if (!root) return;
  for (const selector of selectors) {
    if (focusElement(root.querySelector<HTMLElement>(selector))) return;
  }
  if (tries > 0) setTimeout(() => focusFirst(root, selectors, tries - 1), 30);
}
