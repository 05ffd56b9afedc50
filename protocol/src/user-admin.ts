// Managing an embedded tenant's own users (issue 7): add, disable, delete, a one-time set-password link
// instead of a password, a required authenticator app (TOTP), and a CSV import. The schemas here are the
// admin API's arguments; the relay applies them only to tenants whose identity source is `embedded`.
import { z } from 'zod';

/** Who made a user's row: the admin view or the embedded demo, a first sign-in through Entra or an
 * OpenID provider, or SCIM provisioning. */
export const userSources = ['embedded', 'entra', 'oidc', 'scim'] as const;
export type UserSource = (typeof userSources)[number];

/** An address Entra would take as a UPN: no spaces, quotes or commas (a CSV cell needs no quoting). */
export const upnPattern = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
export const upn = z.string().trim().max(254).regex(upnPattern, 'must be an email address such as ada@example.com');

const userId = z.string().min(1).max(100);
const roleName = z.string().trim().min(1).max(200);
const text = z.string().trim().max(200);

export const newUser = z.strictObject({
  upn,
  name: z.string().trim().min(1).max(200),
  jobTitle: text.default(''),
  company: text.default(''),
  roles: z.array(roleName).max(50).default([]),
});
export type NewUserRequest = z.input<typeof newUser>;

export const userActive = z.strictObject({ userId, active: z.boolean() });
export const byUserId = z.strictObject({ userId });
export const totpRequired = z.strictObject({ userId, required: z.boolean() });

/** What one import may hold: enough for a mid-sized organization at once, small enough for one request. */
export const userImportLimits = { maxRows: 5000, maxBytes: 1024 * 1024 } as const;
/** The columns, in any order, all present: roles are names separated by ';'. */
export const userImportColumns = ['upn', 'name', 'jobTitle', 'company', 'roles'] as const;
// The text is measured in bytes by the relay (payload-too-large); this bound only keeps the schema finite.
export const userImport = z.strictObject({ csv: z.string().max(4 * userImportLimits.maxBytes) });

/** A link where one user chooses their own password, once. The password itself never travels. */
export interface PasswordLink {
  upn: string;
  url: string;
  /** ISO time after which the link no longer works. */
  expiresAt: string;
}

export interface UserImportResult {
  created: number;
  updated: number;
  /** One link per created user (updated users keep their password). */
  links: PasswordLink[];
  /** The same links as CSV (upn,name,url,expiresAt), to hand over in bulk. */
  linksCsv: { filename: string; csv: string };
}
