// Who is signed in, shared by every page. A Svelte 5 runes module: read
// `session.signedIn` in a component and it stays up to date.
import { invoke, type InvokeArgs, type InvokeOptions } from "@tauri-apps/api/core";
import { isIpcError } from "./api";
import type { SignedInView } from "./bindings";

export const session: { signedIn: SignedInView | null } = $state({ signedIn: null });

/** True when the signed-in person has this permission (e.g. "manage_catalog"). */
export function can(permission: string): boolean {
  return session.signedIn?.permissions.includes(permission) ?? false;
}

/** Core said nobody is signed in (session ended): the app goes back to the PIN screen. */
export function notifySignedOut(): void {
  session.signedIn = null;
}

/** True for an IpcError whose code is "signed_out". */
export function isSignedOut(error: unknown): boolean {
  return isIpcError(error) && error.code === "signed_out";
}

/**
 * invoke() for Galla's commands: when a command rejects with code "signed_out"
 * the session is cleared (back to the PIN screen) and the error is rethrown.
 * `args` may be a raw body (Uint8Array) for the upload commands.
 */
export async function call<T>(
  cmd: string,
  args?: InvokeArgs,
  options?: InvokeOptions,
): Promise<T> {
  try {
    return await invoke<T>(cmd, args, options);
  } catch (error) {
    if (isSignedOut(error)) notifySignedOut();
    throw error;
  }
}
