// What an Intune managed device becomes in the directory: the properties the relay reads from Microsoft
// Graph's managedDevice (v1.0), checked against a schema, and mapped to the device contract — the
// compliance Intune computed (never re-evaluated here), ownership, platform, hardware and primary user.
//   managedDevice     https://learn.microsoft.com/graph/api/resources/intune-devices-manageddevice?view=graph-rest-1.0
//   complianceState   https://learn.microsoft.com/graph/api/resources/intune-devices-compliancestate?view=graph-rest-1.0
//   ownerType         https://learn.microsoft.com/graph/api/resources/intune-devices-manageddeviceownertype?view=graph-rest-1.0
import { z } from 'zod';
import { complianceReasonText, type ComplianceState, type Device, type DeviceOwnership } from '#protocol';
import { sameDeviceFacts } from '../../directory/device-tables.js';

/** The properties asked for ($select): only what the mapping reads, so a page of 999 stays small. */
export const managedDeviceSelect = [
  'id', 'deviceName', 'managedDeviceName', 'operatingSystem', 'osVersion', 'userPrincipalName', 'complianceState',
  'complianceGracePeriodExpirationDateTime', 'managedDeviceOwnerType', 'serialNumber', 'manufacturer', 'model',
  'enrolledDateTime', 'lastSyncDateTime', 'deviceCategoryDisplayName',
] as const;

const text = z.string().nullable().optional();
/** One item of a managedDevices page. Enums are read as text: Graph adds members over time (an unknown
 * one maps to "unknown", it does not fail the page). */
export const managedDevice = z.object({
  id: z.string().min(1),
  deviceName: text,
  managedDeviceName: text,
  operatingSystem: text,
  osVersion: text,
  userPrincipalName: text,
  complianceState: text,
  complianceGracePeriodExpirationDateTime: text,
  managedDeviceOwnerType: text,
  serialNumber: text,
  manufacturer: text,
  model: text,
  enrolledDateTime: text,
  lastSyncDateTime: text,
  deviceCategoryDisplayName: text,
});
export type ManagedDevice = z.infer<typeof managedDevice>;

/** The directory id of an Intune device: its Intune id, marked with its source so it can never meet an
 * enrolled or imported device's id (device ids are unique across the directory). */
export const intuneDeviceId = (intuneId: string): string => `intune-${intuneId}`;

export interface MappedCompliance {
  compliance: ComplianceState;
  reasons: string[];
}

/** Intune's complianceState, as the helper reads it on the trust screen and in the device list. */
export function complianceFrom(state: string | null | undefined, graceUntil?: string | null): MappedCompliance {
  switch (state) {
    case 'compliant':
      return { compliance: 'compliant', reasons: [] };
    case 'inGracePeriod': {
      // Not compliant, but Intune still grants access until the grace period ends: so does the relay.
      const until = graphDate(graceUntil);
      return { compliance: 'compliant', reasons: [complianceReasonText(until ? { kind: 'intune-grace-period', until: until.slice(0, 16).replace('T', ' ') } : { kind: 'intune-grace-period-open' })] };
    }
    case 'noncompliant':
      return { compliance: 'noncompliant', reasons: [complianceReasonText({ kind: 'intune-noncompliant' })] };
    case 'conflict':
      return { compliance: 'noncompliant', reasons: [complianceReasonText({ kind: 'intune-conflict' })] };
    case 'error':
      return { compliance: 'noncompliant', reasons: [complianceReasonText({ kind: 'intune-error' })] };
    case 'configManager':
      return { compliance: 'unknown', reasons: [complianceReasonText({ kind: 'configuration-manager' })] };
    case 'unknown':
    case null:
    case undefined:
    case '':
      return { compliance: 'unknown', reasons: [] };
    default:
      return { compliance: 'unknown', reasons: [complianceReasonText({ kind: 'intune-other-state', state: state.slice(0, 40) })] };
  }
}

export function ownershipFrom(ownerType: string | null | undefined): DeviceOwnership {
  return ownerType === 'company' || ownerType === 'personal' ? ownerType : 'unknown';
}

/** Intune's operatingSystem, in the names the relay uses elsewhere (client platform, compliance policy,
 * conditional access): iPadOS counts as iOS, as it does for a browser's User-Agent. */
export function platformFrom(os: string | null | undefined): string {
  const v = (os ?? '').trim();
  const lower = v.toLowerCase();
  if (lower.startsWith('windows')) return 'Windows';
  if (lower === 'ios' || lower === 'ipados') return 'iOS';
  if (lower === 'macos' || lower === 'macmdm' || lower === 'mac os x' || lower === 'osx') return 'macOS';
  if (lower.startsWith('android')) return 'Android';
  if (lower === 'linux' || lower.startsWith('linux ')) return 'Linux';
  if (lower === 'chromeos' || lower === 'chrome os') return 'ChromeOS';
  return v || 'Unknown';
}

/** An ISO date-time, or '' for what Intune sends when it has none: null, or its placeholder years
 * (0001-01-01 for "never", 9999-12-31 for "no grace period"). */
export function graphDate(value: string | null | undefined): string {
  if (!value) return '';
  const at = Date.parse(value);
  if (!Number.isFinite(at)) return '';
  const year = new Date(at).getUTCFullYear();
  return year < 1980 || year >= 9999 ? '' : new Date(at).toISOString();
}

/** A device's groups (role scopes): its Intune device category, when it has one. Intune answers
 * "Unknown" for a device without a category. */
export function groupsFrom(category: string | null | undefined): string[] {
  const c = (category ?? '').trim();
  return c && c.toLowerCase() !== 'unknown' ? [c] : [];
}

/** The device as the directory keeps it, before any renaming for a duplicate name; updatedAt is `at`. */
export function deviceFrom(tenantId: string, md: ManagedDevice, at: string): Device {
  const { compliance, reasons } = complianceFrom(md.complianceState, md.complianceGracePeriodExpirationDateTime);
  const name = (md.deviceName ?? '').trim() || (md.managedDeviceName ?? '').trim() || `Intune device ${shortId(md.id)}`;
  return {
    id: intuneDeviceId(md.id),
    tenantId,
    name,
    platform: platformFrom(md.operatingSystem),
    osVersion: (md.osVersion ?? '').trim(),
    primaryUser: (md.userPrincipalName ?? '').trim(),
    enrolled: true,
    compliance,
    complianceReasons: reasons,
    lastCheckIn: graphDate(md.lastSyncDateTime),
    managedBy: 'intune',
    approved: true,
    ownership: ownershipFrom(md.managedDeviceOwnerType),
    serialNumber: (md.serialNumber ?? '').trim(),
    manufacturer: (md.manufacturer ?? '').trim(),
    model: (md.model ?? '').trim(),
    enrolledAt: graphDate(md.enrolledDateTime),
    groups: groupsFrom(md.deviceCategoryDisplayName),
    updatedAt: at,
  };
}

/** The first characters of the Intune id (a GUID): what tells two same-named devices apart when neither
 * has a serial number. */
export function shortId(intuneId: string): string {
  return intuneId.replace(/^intune-/, '').slice(0, 8);
}

/** The names the sync gives a device whose Intune name another device of the tenant has, in order of
 * preference (the directory appends a counter if all are taken). */
export function duplicateNames(d: Pick<Device, 'id' | 'name' | 'serialNumber'>): string[] {
  const own = d.serialNumber ? [`${d.name} (${d.serialNumber})`] : [];
  return [...own, `${d.name} (${shortId(d.id)})`];
}

/** Whether `stored` is the name the directory gave a device Intune calls `d.name`: the name itself, or
 * one of its duplicate names, with or without the directory's counter. */
export function isNameOf(stored: string, d: Pick<Device, 'id' | 'name' | 'serialNumber'>): boolean {
  if (stored === d.name) return true;
  // The directory's own fallback when it renames: the serial number, or the id's first 8 characters.
  const candidates = [...duplicateNames(d), `${d.name} (${d.serialNumber || d.id.slice(0, 8)})`];
  return candidates.some((c) => stored === c || (stored.startsWith(`${c} `) && /^\d+$/.test(stored.slice(c.length + 1))));
}

/** Whether the directory's row says everything the mapped device says (updatedAt and a name the sync
 * chose for a duplicate aside): then nothing is written, and the consoles' delta stays small. */
export function sameDevice(stored: Device, mapped: Device): boolean {
  return isNameOf(stored.name, mapped) && sameDeviceFacts(stored, mapped);
}
