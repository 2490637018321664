// The tender methods core knows, with the words on their buttons.

export type Method = "cash" | "card" | "upi" | "store_credit";

export const METHOD_LABELS: Readonly<Record<Method, string>> = {
  cash: "Cash",
  card: "Card",
  upi: "UPI",
  store_credit: "Store credit",
};
