// Opening hours as the Shop details form edits them: a row per day, Monday first,
// each closed or open from one time to another. Hours saved elsewhere may give a day
// two periods (a lunch break); each shows as a row of its own, so saving the form
// keeps both. Times stay as typed: core checks them with the sync protocol's rule.
import type { OpeningPeriodView } from "../bindings";

export type Day = OpeningPeriodView["day"];

export const DAYS: ReadonlyArray<{ day: Day; name: string }> = [
  { day: "mon", name: "Monday" },
  { day: "tue", name: "Tuesday" },
  { day: "wed", name: "Wednesday" },
  { day: "thu", name: "Thursday" },
  { day: "fri", name: "Friday" },
  { day: "sat", name: "Saturday" },
  { day: "sun", name: "Sunday" },
];

export type HoursRow = { day: Day; closed: boolean; opens: string; closes: string };

/** Every day in week order: a day without periods is one closed row. */
export function rowsFromPeriods(periods: readonly OpeningPeriodView[]): HoursRow[] {
  return DAYS.flatMap(({ day }): HoursRow[] => {
    const own = periods.filter((p) => p.day === day);
    if (own.length === 0) return [{ day, closed: true, opens: "", closes: "" }];
    return own.map((p) => ({ day, closed: false, opens: p.opens, closes: p.closes }));
  });
}

/** The periods the open rows describe, in row order; closed rows give none. */
export function periodsFromRows(rows: readonly HoursRow[]): OpeningPeriodView[] {
  return rows
    .filter((row) => !row.closed)
    .map((row) => ({ day: row.day, opens: row.opens.trim(), closes: row.closes.trim() }));
}

/** "Monday", or "Monday, period 2" for the second row of a day. */
export function rowName(rows: readonly HoursRow[], index: number): string {
  const row = rows[index];
  if (!row) return "";
  const name = DAYS.find((d) => d.day === row.day)?.name ?? row.day;
  const nth = rows.slice(0, index + 1).filter((r) => r.day === row.day).length;
  return nth === 1 ? name : `${name}, period ${nth}`;
}

/**
 * Opens the row at `index`. A row with no times yet takes those of the nearest open
 * row above it, since most shops keep the same hours most days.
 */
export function openRow(rows: readonly HoursRow[], index: number): HoursRow[] {
  const row = rows[index];
  if (!row) return [...rows];
  const blank = row.opens.trim() === "" && row.closes.trim() === "";
  const above = rows.slice(0, index).reverse().find((r) => !r.closed);
  const times = blank && above ? { opens: above.opens, closes: above.closes } : {};
  return rows.map((r, i) => (i === index ? { ...r, ...times, closed: false } : r));
}
