// What each side is shown about the other at join (DESIGN §4, §6): profile, device, warnings.
import { isSelfReported, organizationLookOf, type Device, type PersonProfile, type SessionOrigin, type SessionRole, type SessionWarning, type TrustInfo } from '#protocol';
import type { AuthUser, Directory } from '../ports.js';
import type { SessionRecord } from './session-store.js';

/** The directory's profile; if the directory has none, what the verified token says, marked by domain. */
export async function profileOf(directory: Directory, user: AuthUser, incomplete = false): Promise<PersonProfile> {
  const fromDirectory = await directory.profile(user.tenantId, user.userId);
  if (fromDirectory) return incomplete ? { ...fromDirectory, incomplete } : fromDirectory;
  const tenant = await directory.tenant(user.tenantId);
  const domain = user.upn.split('@')[1]?.toLowerCase() ?? '';
  return {
    userId: user.userId,
    tenantId: user.tenantId,
    // The organization's name as its branding shows it (tenant settings), else the tenant's.
    tenantName: tenant ? organizationLookOf(tenant).name : '',
    name: user.name,
    jobTitle: '',
    company: tenant?.name ?? '',
    upn: user.upn,
    domain,
    domainVerified: tenant?.verifiedDomains.map((d) => d.toLowerCase()).includes(domain) ?? false,
    photoUrl: '',
    ...(incomplete ? { incomplete } : {}),
  };
}

/** Warnings never block; they tell the helper what he is connecting to. */
export function deviceWarnings(device: Device | undefined): SessionWarning[] {
  if (!device || !device.enrolled) return [{ kind: 'unenrolled', reasons: [] }];
  if (device.compliance === 'noncompliant') return [{ kind: 'noncompliant', reasons: [...device.complianceReasons] }];
  return [];
}

/**
 * What the helper is warned about at join. An unbound session: the device the sharer proved, or
 * unenrolled. A session bound to a device: that device's compliance, and — unless this browser proved it
 * is that very device — that it cannot be confirmed to be that device (not "not enrolled": the device
 * is enrolled, it is the browser that did not prove to be on it).
 */
export function joinWarnings(bound: { id: string; device: Device | undefined } | undefined, proven: Device | undefined): SessionWarning[] {
  if (!bound) return deviceWarnings(proven);
  const name = bound.device?.name ?? bound.id;
  const own = bound.device ? deviceWarnings(bound.device) : [];
  if (proven?.id === bound.id) return own;
  const rest = own.filter((w) => w.kind !== 'unenrolled');
  return [...rest, { kind: 'unconfirmed-device', deviceName: name, reasons: [] }];
}

/** The device line of the helper's trust screen: an enrolled browser's properties are its own word
 * ("Self-reported"), and it may still wait for an administrator ("Awaiting approval"). */
export function deviceSummary(device: Device): NonNullable<TrustInfo['device']> {
  return {
    id: device.id, name: device.name, platform: device.platform, osVersion: device.osVersion,
    selfReported: isSelfReported(device), approved: device.approved,
  };
}

/** Where a session is started from: the app the relay saw sign the helper in, and the inventory device
 * it is bound to. Undefined when the app is not known (a caller without a socket). */
export function originOf(app: SessionOrigin['app'] | undefined, device: { name: string } | undefined): SessionOrigin | undefined {
  if (!app) return undefined;
  return { app, ...(device ? { deviceName: device.name } : {}) };
}

/** Why the session exists, as each trust screen shows it: the reason to both sides; where it was started
 * from to the sharer, who has to decide whether to trust it (the helper knows where he started it). */
export function purposeShown(s: Pick<SessionRecord, 'reason' | 'origin'>, role: SessionRole): Pick<TrustInfo, 'reason' | 'origin'> {
  return {
    ...(s.reason !== undefined ? { reason: s.reason } : {}),
    ...(role === 'sharer' && s.origin ? { origin: s.origin } : {}),
  };
}
