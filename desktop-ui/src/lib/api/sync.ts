// Sync with the server: linking this device, its status, Sync now, Verify, and the
// owner's pairing codes and device list. Every call goes through `call`, so a
// "signed_out" rejection returns the app to the PIN screen. Core does the checking
// and the syncing; these only carry the form and the answers.
import type {
  DeviceView,
  EnrolInput,
  JoinView,
  PairingCodeView,
  SyncNowView,
  SyncStatusView,
  UnsyncedExportView,
  VerifyView,
} from "../bindings";
import { call } from "../session.svelte";

/** How syncing goes (any signed-in person). */
export function syncStatus(): Promise<SyncStatusView> {
  return call<SyncStatusView>("sync_status");
}

/**
 * Links this device to a server. Form problems reject with `enrol_invalid` and the
 * field; the server's answers with `server_unreachable` or `server_refused`.
 */
export function enrollDevice(input: EnrolInput): Promise<SyncStatusView> {
  return call<SyncStatusView>("enroll_device", { input });
}

/**
 * First start on a fresh install: joins a shop on a server and fetches it, answering
 * the first screen's view (the shop's people when they arrived). Errors as `enrollDevice`.
 */
export function joinShop(input: EnrolInput): Promise<JoinView> {
  return call<JoinView>("join_shop", { input });
}

/** Owner or manager: saves the changes this device has not synced to a JSON file. */
export function exportUnsynced(): Promise<UnsyncedExportView> {
  return call<UnsyncedExportView>("export_unsynced");
}

/** Syncs now and says what was sent and received. */
export function syncNow(): Promise<SyncNowView> {
  return call<SyncNowView>("sync_now");
}

/** Compares every scope with the server and fetches again the ones that differ. */
export function verifySync(): Promise<VerifyView> {
  return call<VerifyView>("verify_sync");
}

/** Owner only: a one-time code for another device, for this device's shop or none. */
export function newPairingCode(forThisShop: boolean): Promise<PairingCodeView> {
  return call<PairingCodeView>("new_pairing_code", { forThisShop });
}

/** Owner only: the business's devices. */
export function listDevices(): Promise<DeviceView[]> {
  return call<DeviceView[]>("list_devices");
}

/** Owner only: cuts a device off; answers the fresh list. */
export function revokeDevice(deviceId: string): Promise<DeviceView[]> {
  return call<DeviceView[]>("revoke_device", { deviceId });
}
