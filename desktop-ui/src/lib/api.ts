// The IPC error shape, shared by every command wrapper (see api/ and session.svelte.ts).
import type { ErrorCode, IpcError } from "./bindings";

// A Record over ErrorCode: adding a code in Rust fails type checking here
// until it is listed.
const ERROR_CODES: Readonly<Record<ErrorCode, true>> = {
  name_required: true,
  name_too_long: true,
  price_invalid: true,
  sku_invalid: true,
  sku_taken: true,
  barcode_invalid: true,
  barcode_taken: true,
  not_found: true,
  category_name_invalid: true,
  category_name_taken: true,
  category_not_found: true,
  category_cycle: true,
  category_has_children: true,
  no_variants: true,
  too_many_options: true,
  option_name_invalid: true,
  option_name_repeated: true,
  option_value_missing: true,
  variant_repeated: true,
  variant_not_found: true,
  hsn_invalid: true,
  description_too_long: true,
  sku_repeated: true,
  barcode_repeated: true,
  cost_invalid: true,
  permission_denied: true,
  staff_name_invalid: true,
  pin_weak: true,
  pin_wrong: true,
  pin_locked: true,
  last_owner: true,
  staff_not_found: true,
  already_set_up: true,
  stock_invalid: true,
  quantity_invalid: true,
  shop_not_found: true,
  image_invalid: true,
  import_invalid: true,
  signed_out: true,
  approval_required: true,
  no_open_shift: true,
  shift_open: true,
  cart_empty: true,
  payment_invalid: true,
  return_invalid: true,
  customer_invalid: true,
  discount_invalid: true,
  setting_invalid: true,
  setting_missing: true,
  print_failed: true,
  enrol_invalid: true,
  server_unreachable: true,
  server_refused: true,
  server_failed: true,
  device_revoked: true,
  not_linked: true,
  sync_key_failed: true,
  shop_in_use: true,
  shop_details_invalid: true,
  input_invalid: true,
  store_failed: true,
};

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.prototype.hasOwnProperty.call(ERROR_CODES, value);
}

/** True for the `{code, message}` objects that Galla's commands reject with. */
export function isIpcError(value: unknown): value is IpcError {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as { code?: unknown; message?: unknown };
  return isErrorCode(candidate.code) && typeof candidate.message === "string";
}

/** Shown for anything that is not an IpcError (for example a bridge failure). */
export const GENERAL_ERROR = "Something went wrong. Please try again.";

/** Text to show Asha for any thrown value. */
export function errorText(error: unknown): string {
  if (isIpcError(error) && error.message.trim() !== "") return error.message;
  return GENERAL_ERROR;
}
