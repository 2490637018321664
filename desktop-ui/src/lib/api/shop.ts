// The Shop details page's commands: the name, address and opening hours of the shop
// this device works in, which sync carries to the storefront.
import type { ShopDetailsView } from "../bindings";
import { call } from "../session.svelte";

export function shopDetails(): Promise<ShopDetailsView> {
  return call<ShopDetailsView>("shop_details");
}

/**
 * Answers what was stored (the address trimmed, the hours sorted). Errors
 * `shop_details_invalid` with field "name" | "address" | "opening_hours".
 */
export function saveShopDetails(details: ShopDetailsView): Promise<ShopDetailsView> {
  return call<ShopDetailsView>("save_shop_details", { details });
}
