// Signing in, the staff list and the audit log. Every call goes through
// `call`, so a "signed_out" rejection returns the app to the PIN screen.
import type {
  AuditEntryView,
  AuditQueryInput,
  PersonView,
  Role,
  SessionView,
  ShopView,
  SignedInView,
} from "../bindings";
import { call } from "../session.svelte";

/** The shop's currency and locale (works before anyone signs in). */
export function getShop(): Promise<ShopView> {
  return call<ShopView>("get_shop");
}

/** What the app starts on: set-up, the PIN screen, or the back office. */
export function loadSession(): Promise<SessionView> {
  return call<SessionView>("session");
}

export function setUpOwner(name: string, pin: string): Promise<SignedInView> {
  return call<SignedInView>("set_up_owner", { name, pin });
}

export function signIn(staffId: string, pin: string): Promise<SignedInView> {
  return call<SignedInView>("sign_in", { staffId, pin });
}

export function signOut(): Promise<void> {
  return call<void>("sign_out");
}

export function listStaff(includeArchived: boolean): Promise<PersonView[]> {
  return call<PersonView[]>("list_staff", { includeArchived });
}

export function addStaff(name: string, role: Role, pin: string): Promise<PersonView> {
  return call<PersonView>("add_staff", { name, role, pin });
}

export function changeRole(staffId: string, role: Role): Promise<PersonView> {
  return call<PersonView>("change_role", { staffId, role });
}

export function resetPin(staffId: string, pin: string): Promise<void> {
  return call<void>("reset_pin", { staffId, pin });
}

export function archiveStaff(staffId: string): Promise<PersonView> {
  return call<PersonView>("archive_staff", { staffId });
}

export function auditLog(query: AuditQueryInput): Promise<AuditEntryView[]> {
  return call<AuditEntryView[]>("audit_log", { query });
}
