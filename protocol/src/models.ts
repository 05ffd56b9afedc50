import { z } from 'zod';

/** A tenant user as shown on the other side's trust screen. */
export const personProfile = z.object({
  userId: z.string(),
  tenantId: z.string(),
  tenantName: z.string(),
  name: z.string(),
  jobTitle: z.string(),
  company: z.string(),
  upn: z.string(),
  /** The domain part of the UPN, and whether it is one of the tenant's verified domains. */
  domain: z.string(),
  domainVerified: z.boolean(),
  /** A data: URL or a same-origin URL of the profile picture. */
  photoUrl: z.string(),
  /** The organization's directory (Microsoft Graph) did not answer in time: job title, company or
   * photo may be missing or out of date. Absent: the profile is complete. */
  incomplete: z.boolean().optional(),
});
export type PersonProfile = z.infer<typeof personProfile>;

export const complianceState = z.enum(['compliant', 'noncompliant', 'unknown']);
export type ComplianceState = z.infer<typeof complianceState>;

export const deviceSources = ['intune', 'enrollment', 'import'] as const;
export const deviceSource = z.enum(deviceSources);
export type DeviceSource = z.infer<typeof deviceSource>;
export const deviceOwnerships = ['company', 'personal', 'unknown'] as const;
export const deviceOwnership = z.enum(deviceOwnerships);
export type DeviceOwnership = z.infer<typeof deviceOwnership>;

/** A device whose properties only a browser vouches for (nothing proves them). */
export const isSelfReported = (d: Pick<Device, 'managedBy'>): boolean => d.managedBy === 'enrollment';

/** A managed device, as the relay's directory API returns it and the console's inventory stores it. */
export const device = z.object({
  id: z.string(),
  tenantId: z.string(),
  name: z.string(),
  platform: z.string(),
  osVersion: z.string(),
  /** UPN of the primary user. */
  primaryUser: z.string(),
  enrolled: z.boolean(),
  compliance: complianceState,
  complianceReasons: z.array(z.string()),
  lastCheckIn: z.string(), // ISO 8601
  /** Where the directory learned of the device: Intune (Microsoft Graph managedDevices, the properties and
   * compliance Intune computed), this relay's enrollment flow (a browser's self-reported properties:
   * marked "self-reported" wherever it is shown), or an administrator's CSV import. */
  managedBy: deviceSource,
  /** Intune and imported devices are approved; an enrolled browser waits for an administrator. */
  approved: z.boolean(),
  ownership: deviceOwnership,
  /** Hardware, '' when unknown (a browser cannot tell). */
  serialNumber: z.string(),
  manufacturer: z.string(),
  model: z.string(),
  /** When it was enrolled or imported (ISO 8601), '' when unknown. */
  enrolledAt: z.string(),
  /** Device groups, for role scopes (absent = none). */
  groups: z.array(z.string()).optional(),
  updatedAt: z.string(), // ISO 8601, drives the delta sync
});
export type Device = z.infer<typeof device>;

/** Shown to the helper before connecting; never blocks. 'unenrolled': a session with no device (the
 * web helper's way in) joined from a browser that proved none; 'unconfirmed-device': a session for a
 * device (`deviceName`) joined from a browser that did not prove it is that device. */
export const sessionWarningKinds = ['noncompliant', 'unenrolled', 'unconfirmed-device'] as const;
export const sessionWarning = z.object({
  kind: z.enum(sessionWarningKinds),
  reasons: z.array(z.string()),
  /** For 'unconfirmed-device': the name of the device the helper started from. */
  deviceName: z.string().optional(),
});
export type SessionWarning = z.infer<typeof sessionWarning>;

/** 'colleague': a second helper the helper invited and the sharer decides on (colleague.ts). */
export const sessionRole = z.enum(['helper', 'sharer', 'colleague']);
export type SessionRole = z.infer<typeof sessionRole>;

export const sessionStates = ['created', 'joined', 'sharing', 'ended', 'denied', 'expired', 'refused'] as const;
export type SessionState = (typeof sessionStates)[number];

/** The states a session never leaves: nothing is sent or stored for it any more. */
export const terminalStates = ['ended', 'denied', 'expired', 'refused'] as const satisfies readonly SessionState[];
export function isTerminal(state: SessionState): boolean {
  return (terminalStates as readonly SessionState[]).includes(state);
}

export interface Page<T> {
  items: T[];
  total: number;
  offset: number;
}
