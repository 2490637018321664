// How payment methods read on screen; the keys are what core sends.
export const METHOD_LABELS: Readonly<Record<string, string>> = {
  cash: "Cash",
  card: "Card",
  upi: "UPI",
  store_credit: "Store credit",
};

/** Every method, in the order the counter reports them. */
export const METHOD_ORDER: readonly string[] = ["cash", "card", "upi", "store_credit"];
