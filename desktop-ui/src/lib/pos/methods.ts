// The payment methods core knows, with the words the counter shows for them.

export type Method = "cash" | "card" | "upi" | "store_credit";

export const METHOD_LABELS: Readonly<Record<Method, string>> = {
  cash: "Cash",
  card: "Card",
  upi: "UPI",
  store_credit: "Store credit",
};

/** Every method, in the order the counter reports them. */
export const METHOD_ORDER: readonly Method[] = ["cash", "card", "upi", "store_credit"];

/** The label for a method name from core; an unknown one is shown as core sent it. */
export function methodLabel(method: string): string {
  return (METHOD_LABELS as Record<string, string>)[method] ?? method;
}
