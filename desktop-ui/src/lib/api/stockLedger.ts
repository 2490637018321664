// Typed wrappers for the stock ledger commands. Quantities are sent as the
// typed text; core parses them.
import { call } from "../session.svelte";
import type { AdjustmentReason, CountInput, MovementView } from "../bindings";

/** Returns the item's history, newest first. */
export function receiveStock(variantId: string, quantity: string, note: string): Promise<MovementView[]> {
  return call<MovementView[]>("receive_stock", { variantId, quantity, note });
}

/** `quantity` is signed ("-2"). Returns the item's history, newest first. */
export function adjustStock(
  variantId: string,
  quantity: string,
  reason: AdjustmentReason | null,
  note: string,
): Promise<MovementView[]> {
  return call<MovementView[]>("adjust_stock", { variantId, quantity, reason, note });
}

/** A stocktake: returns only the movements it recorded. */
export function countStock(counts: CountInput[]): Promise<MovementView[]> {
  return call<MovementView[]>("count_stock", { counts });
}

/** Blank text clears the alert. */
export function setLowStockThreshold(variantId: string, threshold: string): Promise<void> {
  return call<void>("set_low_stock_threshold", { variantId, threshold });
}

/** Every movement of one item, newest first. */
export function stockHistory(variantId: string): Promise<MovementView[]> {
  return call<MovementView[]>("stock_history", { variantId });
}
