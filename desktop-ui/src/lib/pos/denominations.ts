// The Indian notes and coins a drawer is counted in, largest first. Values are
// minor units (paise); the drawer total is summed with BigInt from whole counts.
// This is only the live figure on screen: core recomputes the count on close.

export type Denomination = { value_minor: number; label: string };

const VALUES: readonly number[] = [200000, 50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100];

/** "₹2000" … "₹1": every value is whole rupees, so integer division is exact. */
export const DENOMINATIONS: readonly Denomination[] = VALUES.map((value_minor) => ({
  value_minor,
  label: `₹${(BigInt(value_minor) / 100n).toString()}`,
}));

/** A count as typed: blank is none, otherwise whole digits only. */
export function parseCount(text: string): bigint | null {
  const trimmed = text.trim();
  if (trimmed === "") return 0n;
  return /^\d+$/.test(trimmed) ? BigInt(trimmed) : null;
}

/** Sum of value × count over the counts typed so far; null while one is not a whole number. */
export function countedTotal(counts: Readonly<Record<number, string>>): bigint | null {
  let total = 0n;
  for (const d of DENOMINATIONS) {
    const count = parseCount(counts[d.value_minor] ?? "");
    if (count === null) return null;
    total += BigInt(d.value_minor) * count;
  }
  return total;
}
