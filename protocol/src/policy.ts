// Who may help whom (DESIGN §6): role definitions, tenant settings, conditional-access rules,
// compliance policy, device enrollment, and session reports. The relay decides; clients only show.
import { z } from 'zod';
import { reportColleague } from './colleague.js';
import { sessionWarning } from './models.js';
import { sessionPurposeFields } from './session-purpose.js';
import type { UserSource } from './user-admin.js';

const id = z.string().min(1).max(100);
const name = z.string().trim().min(1).max(200);

export const permissions = ['view-screen', 'full-control', 'elevation', 'unattended'] as const;
export const permission = z.enum(permissions);
export type Permission = z.infer<typeof permission>;

/** '*' in a list means "all". Device groups apply to enrolled devices; an unenrolled session has no device. */
export const roleScope = z.strictObject({
  deviceGroups: z.array(z.string().min(1).max(100)).max(200),
  userGroups: z.array(z.string().min(1).max(100)).max(200),
});
export const roleDefinition = z.strictObject({
  id,
  /** What arrives in the token's `roles` claim. */
  name,
  description: z.string().max(1000).default(''),
  permissions: z.array(permission).max(permissions.length),
  scope: roleScope,
  /** Built-in roles can be assigned but not deleted or renamed. */
  builtIn: z.boolean().default(false),
  /** Only Remote Help Administrator has it: the admin view and the admin API. */
  admin: z.boolean().default(false),
});
export type RoleDefinition = z.infer<typeof roleDefinition>;
export const builtInRoleNames = { helpDeskOperator: 'Help Desk Operator', administrator: 'Remote Help Administrator' } as const;

/** How the organization's pages look: its name, logo and accent colour on the product header, the
 * trust screens and the sign-in pages. Every field '' = the product's own. */
export const tenantBranding = z.strictObject({
  /** Shown instead of the tenant's configured name. */
  organizationName: z.string().trim().max(100),
  /** A small image as a base64 data URL: PNG, JPEG, WebP or SVG, at most 64 KB. Shown in an <img>, where
   * an SVG's scripts never run. */
  logo: z.union([
    z.literal(''),
    z.string().max(88_000).regex(/^data:image\/(png|jpeg|webp|svg\+xml);base64,[A-Za-z0-9+/]+={0,2}$/, 'a PNG, JPEG, WebP or SVG data URL'),
  ]),
  /** Buttons and links: '#rrggbb'. Text on it is white or near-black, whichever reads better. */
  accentColor: z.union([z.literal(''), z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour as #rrggbb')]),
});
export type TenantBranding = z.infer<typeof tenantBranding>;
export const noBranding: TenantBranding = { organizationName: '', logo: '', accentColor: '' };

/** What a page shows of the organization: the name to show (the branding's or the tenant's), logo, accent. */
export const organizationLook = z.strictObject({
  name: z.string(),
  logo: z.string(),
  accentColor: z.string(),
});
export type OrganizationLook = z.infer<typeof organizationLook>;

export const tenantSettings = z.strictObject({
  remoteHelpEnabled: z.boolean(),
  /** Help for devices that are not enrolled: off by default for a new tenant. */
  allowUnenrolled: z.boolean(),
  chatEnabled: z.boolean(),
  /** Signed-in users may enroll their browser as a device (the /enroll page). */
  allowEnrollment: z.boolean(),
  /** Reports older than this many days are deleted (0 = keep forever). */
  reportRetentionDays: z.number().int().min(0).max(3650),
  /** Absent in a request: unchanged. */
  branding: tenantBranding.optional(),
});
export type TenantSettingsView = z.infer<typeof tenantSettings>;

export const caGrant = z.enum(['block', 'require-mfa', 'require-compliant-device']);
export type CaGrant = z.infer<typeof caGrant>;

/** Every present condition must match for the rule to apply (AND); inside a list, any entry matches (OR). */
export const caConditions = z.strictObject({
  users: z.array(z.string().max(320)).max(500).optional(),
  groups: z.array(z.string().max(100)).max(500).optional(),
  roles: z.array(z.string().max(200)).max(100).optional(),
  /** CIDR ranges (IPv4 or IPv6) of the client address. */
  ipRanges: z.array(z.string().max(64)).max(500).optional(),
  platforms: z.array(z.string().max(50)).max(20).optional(),
  deviceEnrolled: z.boolean().optional(),
  deviceCompliant: z.boolean().optional(),
  /** true: applies when `mfa` is in the token's amr; false: when it is not. */
  mfa: z.boolean().optional(),
});
export const caRule = z.strictObject({
  id,
  name,
  enabled: z.boolean(),
  /** report-only: evaluated and recorded, never enforced. */
  mode: z.enum(['enforce', 'report-only']),
  appliesTo: z.enum(['helper', 'sharer', 'both']),
  conditions: caConditions,
  grant: caGrant,
  /** With require-compliant-device: the device must also be administrator-approved or Intune-managed, so a
   * browser enrolled under any name with made-up properties does not pass. Absent = true. */
  approvedDevicesOnly: z.boolean().optional(),
});
export type CaRule = z.infer<typeof caRule>;

/** Turns a device's reported properties into compliant / not compliant with reasons. */
export const compliancePolicy = z.strictObject({
  /** Minimum OS version per platform, e.g. { Windows: '10.0.22631', macOS: '14.0' }. */
  minOsVersion: z.record(z.string().max(50), z.string().max(50)),
  requireDiskEncryption: z.boolean(),
  requireFirewall: z.boolean(),
  /** A device not checked in for more days than this is not compliant (0 = no limit). */
  maxCheckInAgeDays: z.number().int().min(0).max(3650),
});
export type CompliancePolicy = z.infer<typeof compliancePolicy>;

/** What a device (an agent, or the enrollment page) reports about itself. */
export const deviceProperties = z.strictObject({
  platform: z.string().min(1).max(50),
  osVersion: z.string().min(1).max(50),
  diskEncryption: z.boolean(),
  firewall: z.boolean(),
});
export type DeviceProperties = z.infer<typeof deviceProperties>;

/** A refusal by policy says which rule and what would satisfy it. */
export const policyRefusal = z.object({
  ruleId: z.string().optional(),
  ruleName: z.string().optional(),
  /** What the person can do: sign in with MFA, use a compliant device, ask an administrator, or wait for
   * an administrator to approve this (compliant but self-reported) device. */
  remedy: z.enum(['sign-in-with-mfa', 'use-compliant-device', 'ask-admin', 'await-device-approval']),
});
export type PolicyRefusal = z.infer<typeof policyRefusal>;

/** 'reported': the sharer declined with Report ("I didn't expect this"): an administrator should look. */
export const reportOutcomes = ['completed', 'denied', 'reported', 'expired', 'refused', 'cancelled'] as const;
export const reportOutcome = z.enum(reportOutcomes);
export type ReportOutcome = z.infer<typeof reportOutcome>;

/** An administrator looked at a reported session: who and when. Kept beside the chain, not in it. */
export const reportReview = z.object({ by: z.object({ userId: z.string(), name: z.string() }), at: z.string() });
export type ReportReview = z.infer<typeof reportReview>;

const reportPerson = z.object({ userId: z.string(), upn: z.string(), name: z.string() });
/** One session or one refusal. Never screen or chat content. Append-only, hash-chained. */
export const sessionReport = z.object({
  seq: z.number().int(),
  id: z.string(),
  tenantId: z.string(),
  sessionId: z.string().nullable(),
  helper: reportPerson.nullable(),
  sharer: reportPerson.nullable(),
  /** null: unenrolled (or not yet known when refused at create). */
  device: z.object({ id: z.string(), name: z.string() }).nullable(),
  permission: permission.nullable(),
  warnings: z.array(sessionWarning),
  outcome: reportOutcome,
  /** Which step refused and by which rule; report-only rules that would have refused are listed too. */
  policy: z.object({
    step: z.enum(['create', 'join']).nullable(),
    /** `requestId`: the request that was refused, as its answer and the relay's log lines name it. */
    refusal: z.object({ code: z.string(), ruleId: z.string().optional(), ruleName: z.string().optional(), requestId: z.string().optional() }).nullable(),
    reportOnly: z.array(z.object({ ruleId: z.string(), ruleName: z.string(), grant: caGrant })),
  }),
  createdAt: z.string(),
  joinedAt: z.string().nullable(),
  consentAt: z.string().nullable(),
  consent: z.enum(['allowed', 'denied']).nullable(),
  endedAt: z.string().nullable(),
  endedBy: z.enum(['helper', 'sharer', 'colleague', 'relay']).nullable(),
  endReason: z.string().nullable(),
  /** Times a member was away (page reloaded or closed, connection dropped) while the session waited for
   * it; `to` is null when it never came back. Absent in reports written before these were kept. */
  gaps: z.array(z.object({
    role: z.enum(['helper', 'sharer', 'colleague']), from: z.string(), to: z.string().nullable(), reason: z.enum(['left', 'connection']),
  })).optional(),
  /** Times the sharer paused sharing; `to` is null when the session ended paused. */
  pauses: z.array(z.object({ from: z.string(), to: z.string().nullable() })).optional(),
  /** The helper's reason and where the session was started from (session-purpose.ts); absent in reports
   * written before they were kept, and the reason when none was given. */
  ...sessionPurposeFields,
  /** The sharer's client address at join, as the relay saw it (through trustProxy). Absent in reports
   * written before it was kept, and when nobody joined. */
  sharerAddress: z.string().optional(),
  /** Every colleague invited into the session, in order (issue 13, point 5); absent when there was none.
   * `helper` stays the one who started the session; a colleague with `handedOverAt` held it from then on. */
  colleagues: z.array(reportColleague).optional(),
  /** Not part of the hash-chained content: who marked this reported session reviewed, and when (kept in
   * report_reviews, relay/src/reports). */
  review: reportReview.optional(),
  prevHash: z.string(),
  hash: z.string(),
});
export type SessionReport = z.infer<typeof sessionReport>;

export const reportQuery = z.strictObject({
  helper: z.string().max(320).optional(),
  sharer: z.string().max(320).optional(),
  device: z.string().max(200).optional(),
  outcome: reportOutcome.optional(),
  /** ISO dates (inclusive). */
  from: z.string().max(40).optional(),
  to: z.string().max(40).optional(),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(500).default(50),
});
export type ReportQuery = z.input<typeof reportQuery>;

/** A directory user as the admin view lists them, for role assignment. */
export interface DirectoryUserView {
  userId: string;
  upn: string;
  name: string;
  jobTitle: string;
  company: string;
  roles: string[];
  groups: string[];
  /** False once disabled: no sign-in, no session. */
  active: boolean;
  source: UserSource;
  mfaEnrolled: boolean;
  /** The user must sign in with an authenticator app (enrolled already, or at the next sign-in). */
  mfaRequired: boolean;
}

/** Device-trust exchange at join: the sharer page signs the relay's challenge with its enrolled key. */
export const deviceProof = z.strictObject({
  deviceId: id,
  challenge: z.string().min(16).max(200),
  /** base64url ECDSA P-256 / SHA-256 signature (IEEE P1363) over the UTF-8 challenge. */
  signature: z.string().min(16).max(200),
});
export type DeviceProof = z.infer<typeof deviceProof>;
