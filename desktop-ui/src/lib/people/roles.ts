import type { Role } from "../bindings";

/** The words a shop uses for each role. */
export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  owner: "Owner",
  manager: "Manager",
  cashier: "Cashier",
};

/** Owner first: the order roles are offered in. */
export const ROLES: readonly Role[] = ["owner", "manager", "cashier"];

/** What each role may do, in a sentence, for the Staff page. */
export const ROLE_SUMMARIES: Readonly<Record<Role, string>> = {
  owner: "Everything, including staff.",
  manager: "Everything except staff.",
  cashier: "Sells and looks up products.",
};

export function roleLabel(role: string): string {
  return (ROLE_LABELS as Record<string, string>)[role] ?? role;
}
