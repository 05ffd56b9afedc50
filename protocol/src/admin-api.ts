// The tenant admin API: one table of methods, carried as POST /api/admin/{method} with the args as
// the JSON body and an Ack as the answer (Bearer token; the relay checks the admin role on EVERY call).
// The relay's router and the console's forwarder are both generated from this table.
import { z } from 'zod';
import type { Ack } from './ack.js';
import type { Page } from './models.js';
import {
  caRule, compliancePolicy, reportQuery, roleDefinition, tenantSettings,
  type CaRule, type CompliancePolicy, type DirectoryUserView, type ReportReview, type RoleDefinition, type SessionReport,
  type TenantSettingsView,
} from './policy.js';
import { deviceImport, type DeviceImportResult } from './device-admin.js';
import type { Device } from './models.js';
import {
  byUserId, newUser, totpRequired, userActive, userImport, type PasswordLink, type UserImportResult,
} from './user-admin.js';

const none = z.strictObject({});
const byId = z.strictObject({ id: z.string().min(1).max(100) });

export const adminApiSchemas = {
  getSettings: none,
  updateSettings: tenantSettings,
  listRoles: none,
  saveRole: roleDefinition,
  deleteRole: byId,
  listUsers: z.strictObject({ search: z.string().max(200).default('') }),
  assignRoles: z.strictObject({ userId: z.string().min(1).max(100), roles: z.array(z.string().min(1).max(200)).max(50) }),
  addUser: newUser,
  setUserActive: userActive,
  deleteUser: byUserId,
  resetPassword: byUserId,
  setTotpRequired: totpRequired,
  importUsers: userImport,
  listGroups: none,
  listRules: none,
  saveRule: caRule,
  deleteRule: byId,
  getCompliancePolicy: none,
  updateCompliancePolicy: compliancePolicy,
  listReports: reportQuery,
  exportReportsCsv: reportQuery.omit({ offset: true, limit: true }),
  verifyReports: none,
  countNewReports: none,
  markReportReviewed: z.strictObject({ id: z.string().min(1).max(100) }),
  listPendingDevices: none,
  approveDevice: byId,
  removeDevice: byId,
  importDevices: deviceImport,
} as const satisfies Record<string, z.ZodType>;

export interface AdminApi {
  getSettings(req: z.input<typeof none>): Promise<Ack<TenantSettingsView>>;
  updateSettings(req: TenantSettingsView): Promise<Ack<TenantSettingsView>>;
  listRoles(req: z.input<typeof none>): Promise<Ack<RoleDefinition[]>>;
  saveRole(req: z.input<typeof roleDefinition>): Promise<Ack<RoleDefinition>>;
  deleteRole(req: z.infer<typeof byId>): Promise<Ack<null>>;
  listUsers(req: z.input<(typeof adminApiSchemas)['listUsers']>): Promise<Ack<DirectoryUserView[]>>;
  assignRoles(req: z.infer<(typeof adminApiSchemas)['assignRoles']>): Promise<Ack<DirectoryUserView>>;
  /** Embedded tenants only: the new user and the link where they choose their password. */
  addUser(req: z.input<typeof newUser>): Promise<Ack<{ user: DirectoryUserView; link: PasswordLink }>>;
  /** Disabling ends the user's live sessions; never oneself, never the last active administrator. */
  setUserActive(req: z.infer<typeof userActive>): Promise<Ack<DirectoryUserView>>;
  deleteUser(req: z.infer<typeof byUserId>): Promise<Ack<null>>;
  /** A new one-time link; the old password stops working at once. */
  resetPassword(req: z.infer<typeof byUserId>): Promise<Ack<PasswordLink>>;
  /** On: the next sign-in enrols an authenticator app if the user has none. Off: the app is forgotten too. */
  setTotpRequired(req: z.infer<typeof totpRequired>): Promise<Ack<DirectoryUserView>>;
  /** All rows or none; a bad file answers `validation` with `problems` by line. */
  importUsers(req: z.infer<typeof userImport>): Promise<Ack<UserImportResult>>;
  listGroups(req: z.input<typeof none>): Promise<Ack<{ deviceGroups: string[]; userGroups: string[] }>>;
  listRules(req: z.input<typeof none>): Promise<Ack<CaRule[]>>;
  saveRule(req: CaRule): Promise<Ack<CaRule>>;
  deleteRule(req: z.infer<typeof byId>): Promise<Ack<null>>;
  getCompliancePolicy(req: z.input<typeof none>): Promise<Ack<CompliancePolicy>>;
  updateCompliancePolicy(req: CompliancePolicy): Promise<Ack<CompliancePolicy>>;
  listReports(req: z.input<typeof reportQuery>): Promise<Ack<Page<SessionReport>>>;
  exportReportsCsv(req: z.input<(typeof adminApiSchemas)['exportReportsCsv']>): Promise<Ack<{ filename: string; csv: string }>>;
  /** Walks the hash chain; names the first record that does not match. */
  verifyReports(req: z.input<typeof none>): Promise<Ack<{ intact: boolean; checked: number; firstBadSeq: number | null; problem: string | null }>>;
  /** Reported sessions (the sharer pressed Report) that no administrator has marked reviewed yet. */
  countNewReports(req: z.input<typeof none>): Promise<Ack<{ count: number }>>;
  /** Marks a reported session reviewed (who, when): it no longer counts as new. Marking twice keeps the
   * first review; a report of another organization, or one that is not `reported`, is `not-found`. */
  markReportReviewed(req: { id: string }): Promise<Ack<ReportReview>>;
  /** Browsers enrolled on /enroll that wait for an administrator, oldest first. */
  listPendingDevices(req: z.input<typeof none>): Promise<Ack<Device[]>>;
  /** The device becomes approved: it can pass a rule that requires approved devices. */
  approveDevice(req: z.infer<typeof byId>): Promise<Ack<Device>>;
  /** Rejects a pending enrollment or removes any device (its key too); consoles drop it at their next sync. */
  removeDevice(req: z.infer<typeof byId>): Promise<Ack<null>>;
  /** All rows or none; a bad file answers `validation` with `problems` by line; names unique per tenant. */
  importDevices(req: z.infer<typeof deviceImport>): Promise<Ack<DeviceImportResult>>;
}
// Every method has a schema, and every schema a method.
type _Same = [keyof AdminApi] extends [keyof typeof adminApiSchemas] ? ([keyof typeof adminApiSchemas] extends [keyof AdminApi] ? true : never) : never;
export const _adminApiComplete: _Same = true;

export type AdminMethod = keyof AdminApi;
export const adminMethods = Object.keys(adminApiSchemas) as AdminMethod[];
export const adminPath = (method: AdminMethod) => `/api/admin/${method}`;

/** One admin call as the console's renderer sends it to main (DesktopApi.admin). */
export const adminCall = z.strictObject({
  method: z.enum(adminMethods as [AdminMethod, ...AdminMethod[]]),
  args: z.unknown(),
});
export type AdminArgs<K extends AdminMethod> = Parameters<AdminApi[K]>[0];
export type AdminResult<K extends AdminMethod> = Awaited<ReturnType<AdminApi[K]>>;
