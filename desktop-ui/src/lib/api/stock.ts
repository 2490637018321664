// The reorder list. (Stock movements and history live in stockLedger.ts.)
import type { ReorderLineView } from "../bindings";
import { call } from "../session.svelte";

/** Items in this shop at or below their low-stock alert, in the order core lists them. */
export function reorderList(): Promise<ReorderLineView[]> {
  return call<ReorderLineView[]>("reorder_list");
}
