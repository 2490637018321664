// The audit log's filters and how its entries read.
import type { AuditEntryView, AuditQueryInput } from "../bindings";
import { currencyExponent, formatMoney } from "../money";
import { formatQuantity } from "../quantity";
import { roleLabel } from "../people/roles";

/** Core's action names, in the order the filter offers them, with their words. */
export const AUDIT_ACTIONS: ReadonlyArray<{ value: string; label: string }> = [
  { value: "price_changed", label: "Price changed" },
  { value: "cost_changed", label: "Cost changed" },
  { value: "stock_adjusted", label: "Stock adjusted" },
  { value: "stock_counted", label: "Stock counted" },
  { value: "override_approved", label: "Override approved" },
  { value: "staff_added", label: "Person added" },
  { value: "role_changed", label: "Role changed" },
  { value: "pin_reset", label: "PIN reset" },
  { value: "staff_archived", label: "Person archived" },
  { value: "pin_wrong", label: "Wrong PIN" },
  { value: "staff_locked", label: "Locked out after wrong PINs" },
  { value: "pin_refused_locked", label: "PIN tried while locked out" },
];

/** Friendly name of an action; an action from a newer app shows as core wrote it. */
export function actionLabel(action: string): string {
  return AUDIT_ACTIONS.find((a) => a.value === action)?.label ?? action.replace(/_/g, " ");
}

export type AuditFilters = {
  /** "" for everyone. */
  staffId: string;
  /** "" for every action. */
  action: string;
  /** A date input's value, "YYYY-MM-DD", or "". */
  from: string;
  to: string;
};

export const NO_FILTERS: AuditFilters = { staffId: "", action: "", from: "", to: "" };

/** Local midnight at the start of a "YYYY-MM-DD" day, `days` later; null if it is not a date. */
function localMidnight(day: string, days = 0): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return null;
  const [, y, m, d] = match;
  const date = new Date(Number(y), Number(m) - 1, Number(d) + days);
  const time = date.getTime();
  return Number.isNaN(time) ? null : time;
}

export type BuiltQuery =
  | { ok: true; query: AuditQueryInput }
  | { ok: false; field: "from" | "to"; message: string };

/**
 * The `audit_log` query for these filters. "From" is the start of that day;
 * "To" includes the whole day (the query ends at the next local midnight).
 */
export function buildAuditQuery(filters: AuditFilters): BuiltQuery {
  const fromMs = filters.from === "" ? null : localMidnight(filters.from);
  if (filters.from !== "" && fromMs === null) {
    return { ok: false, field: "from", message: "Enter a date, or leave it empty." };
  }
  const untilMs = filters.to === "" ? null : localMidnight(filters.to, 1);
  if (filters.to !== "" && untilMs === null) {
    return { ok: false, field: "to", message: "Enter a date, or leave it empty." };
  }
  if (fromMs !== null && untilMs !== null && untilMs <= fromMs) {
    return { ok: false, field: "to", message: "“To” is before “From”. Choose a later day." };
  }
  return {
    ok: true,
    query: {
      staff_id: filters.staffId === "" ? null : filters.staffId,
      action: filters.action === "" ? null : filters.action,
      from_ms: fromMs,
      until_ms: untilMs,
    },
  };
}

/** "12 Mar 2025, 3:45 pm" in the shop's locale. */
export function formatWhen(atMs: number, locale: string): string {
  try {
    return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(atMs);
  } catch {
    return new Date(atMs).toLocaleString();
  }
}

/** Core writes money as "INR 1234.50": shown as "₹1,234.50" for the shop's locale. */
function formatMoneyText(text: string, locale: string): string | null {
  const match = /^([A-Z]{3}) (-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) return null;
  const [, currency = "", sign, whole = "0", fraction = ""] = match;
  if (fraction.length !== currencyExponent(currency)) return null;
  const minor = BigInt(`${sign}${whole}${fraction}`);
  return formatMoney(minor, currency, locale);
}

/** Core writes quantities as "2.5": shown grouped for the locale. */
function formatQuantityText(text: string, locale: string): string | null {
  const match = /^(-?)(\d+)(?:\.(\d{1,3}))?$/.exec(text);
  if (!match) return null;
  const [, sign, whole = "0", fraction = ""] = match;
  const milli = Number(`${sign}${whole}${fraction.padEnd(3, "0")}`);
  return Number.isSafeInteger(milli) ? formatQuantity(milli, locale) : null;
}

/** One side of a change, in the shop's way of writing it. */
export function formatValue(field: string | null, value: string, locale: string): string {
  if (field === "role") return roleLabel(value);
  if (field === "on_hand") return formatQuantityText(value, locale) ?? value;
  return formatMoneyText(value, locale) ?? value;
}

/** The Change column: "₹10.00 → ₹12.00", or one side when only one is known. */
export function formatChange(entry: AuditEntryView, locale: string): string {
  const { field, old_value: before, new_value: after } = entry;
  if (before !== null && after !== null) {
    return `${formatValue(field, before, locale)} → ${formatValue(field, after, locale)}`;
  }
  if (after !== null) return formatValue(field, after, locale);
  if (before !== null) return `${formatValue(field, before, locale)} → none`;
  return "";
}
