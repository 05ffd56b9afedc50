// The tenant admin API's decisions (protocol/src/admin-api.ts), always for the caller's own tenant.
// The caller's admin role is checked on every call against today's role definitions, not once per
// sign-in: an admin whose role was taken away is refused at the next call.
import { str } from '@lit/localize';
import {
  fail, ok, type Ack, type AdminApi, type AdminMethod, type RoleDefinition,
} from '#protocol';
import type { DirectoryStore } from '../directory/index.js';
import type { TenantMfa } from '../identity/mfa-store.js';
import { englishMsg, type Msg } from '../identity/page-locale.js';
import { parseRange } from '../policy/conditional-access.js';
import { isAdmin } from '../policy/permissions.js';
import type { AuthUser, Clock, Log, ReportLog } from '../ports.js';
import { createDeviceAdmin } from './device-admin.js';
import { retentionCutoff } from './retention.js';
import { createUserAdmin, type IdentityType } from './user-admin.js';

export interface AdminDeps {
  directory: DirectoryStore;
  reports: ReportLog;
  clock: Clock;
  log: Log;
  /** Re-evaluates the compliance of the tenant's enrolled devices (the device-trust part). */
  reevaluateCompliance?: (tenantId: string) => Promise<number>;
  /** Forgets a removed device's key (the device-trust part), so its browser can no longer prove it. */
  forgetDeviceKey?: (tenantId: string, deviceId: string) => Promise<boolean>;
  /** Who in a tenant signs in with a second factor, and whom an administrator requires to (the identity
   * part); changing the latter. */
  mfaOfTenant?: (tenantId: string) => Promise<TenantMfa>;
  setMfaRequired?: (tenantId: string, userId: string, required: boolean) => Promise<void>;
  /** Where set-password links point (https://HOST[:PORT]). */
  publicUrl?: string;
  /** The tenant's identity source; `embedded` when not given (the demo, and tenants configured so). */
  identityType?: (tenantId: string) => IdentityType;
}

/** Each method with the caller's tenant bound in; args are already validated by the method's schema.
 * `t` writes the answer's messages in the caller's language (the admin route's Accept-Language). */
type Handlers = {
  [K in AdminMethod]: (tenantId: string, args: Parameters<AdminApi[K]>[0], caller: AuthUser, t: Msg) => Awaited<ReturnType<AdminApi[K]>> | Promise<Awaited<ReturnType<AdminApi[K]>>>;
};

export type AdminService = ReturnType<typeof createAdminService>;

export function createAdminService(deps: AdminDeps) {
  const { directory, reports, clock, log } = deps;
  const users = createUserAdmin({
    directory, clock, log,
    publicUrl: deps.publicUrl ?? '',
    identityType: deps.identityType ?? (() => 'embedded'),
    mfaOfTenant: deps.mfaOfTenant ?? (async () => ({ enrolled: new Set<string>(), required: new Set<string>() })),
    ...(deps.setMfaRequired ? { setMfaRequired: deps.setMfaRequired } : {}),
  });
  const { withMfa, oneWithMfa } = users;
  const devices = createDeviceAdmin({ directory, clock, log, ...(deps.forgetDeviceKey ? { forgetDeviceKey: deps.forgetDeviceKey } : {}) });

  async function applyRetention(tenantId: string): Promise<number> {
    const days = (await directory.tenant(tenantId))?.settings.reportRetentionDays ?? 0;
    if (days <= 0) return 0;
    const removed = await reports.applyRetention(tenantId, retentionCutoff(clock.now(), days));
    if (removed > 0) log.info('report retention applied', { tenantId, removed, days });
    return removed;
  }

  const handlers: Handlers = {
    async getSettings(tenantId, _args, _caller, t) {
      const tenant = await directory.tenant(tenantId);
      return tenant ? ok({ ...tenant.settings }) : fail('not-found', t('No such organization.'));
    },
    async updateSettings(tenantId, settings) {
      const r = await directory.updateSettings(tenantId, settings);
      if (r.ok) {
        // A logo is up to 64 KB of base64: the log says that it changed, not its bytes.
        const logged = settings.branding ? { ...settings, branding: { ...settings.branding, logo: settings.branding.logo ? `${settings.branding.logo.length} characters` : '' } } : settings;
        log.info('tenant settings changed', { tenantId, settings: logged });
        // Applied before the answer, so the admin who shortened it sees the old records gone at once.
        await applyRetention(tenantId);
      }
      return r;
    },
    listRoles: async (tenantId) => ok(await directory.roles(tenantId)),
    async saveRole(tenantId, role, _caller, t) {
      const roles = await directory.roles(tenantId);
      const before = roles.find((r) => r.id === role.id);
      // The directory refuses these too (for every writer); here they are said in the administrator's language.
      if (before?.builtIn && (before.name !== role.name || !role.builtIn)) {
        return fail('conflict', t(str`"${before.name}" is built in: it cannot be renamed.`));
      }
      if (!before && role.builtIn) return fail('conflict', t('Only Remote Help defines built-in roles.'));
      // Names are unique in any case (the directory's column is NOCASE).
      if (roles.some((r) => r.id !== role.id && r.name.toLowerCase() === role.name.toLowerCase())) {
        return fail('conflict', t(str`Another role is already named "${role.name}".`));
      }
      // The directory checks again and, for a renamed role, renames its assignments in the same step:
      // another administrator's change between this read and the save cannot slip through.
      const r = await directory.saveRole(tenantId, { ...role, permissions: [...new Set(role.permissions)] } as RoleDefinition);
      if (r.ok) {
        log.info('role saved', { tenantId, roleId: r.value.id });
      }
      return r;
    },
    async deleteRole(tenantId, { id }, _caller, t) {
      const role = (await directory.roles(tenantId)).find((r) => r.id === id);
      if (!role) return fail('not-found', t('No such role.'));
      if (role.builtIn) return fail('conflict', t('A built-in role cannot be deleted.'));
      const r = await directory.deleteRole(tenantId, id);
      if (r.ok) log.info('role deleted', { tenantId, roleId: id });
      return r;
    },
    listUsers: async (tenantId, { search }) => ok(await withMfa(tenantId, await directory.users(tenantId, search ?? ''))),
    async assignRoles(tenantId, { userId, roles }, _caller, t) {
      const defined = new Set((await directory.roles(tenantId)).map((r) => r.name));
      const unknown = roles.filter((r) => !defined.has(r));
      if (unknown.length) return fail('validation', t(str`No such role: ${unknown.join(', ')}.`));
      if (!(await directory.user(tenantId, userId))) return fail('not-found', t('No such user in this organization.'));
      const r = await directory.setUserRoles(tenantId, userId, roles);
      // The token's roles claim is read from the directory at the next sign-in or refresh.
      if (r.ok) log.info('roles assigned', { tenantId, userId, roles: r.value.roles });
      return r.ok ? ok(await oneWithMfa(tenantId, r.value)) : r;
    },
    ...users.handlers,
    listGroups: async (tenantId) => ok(await directory.groups(tenantId)),
    listRules: async (tenantId) => ok((await directory.rules(tenantId)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))),
    async saveRule(tenantId, rule, _caller, t) {
      // What the schema cannot see, in the administrator's language.
      const badRange = (rule.conditions.ipRanges ?? []).find((range) => !parseRange(range));
      if (badRange !== undefined) return fail('validation', t(str`"${badRange}" is not an IPv4 or IPv6 address range (CIDR).`));
      const r = await directory.saveRule(tenantId, rule);
      if (r.ok) log.info('conditional-access rule saved', { tenantId, ruleId: rule.id, mode: rule.mode, grant: rule.grant });
      return r;
    },
    async deleteRule(tenantId, { id }, _caller, t) {
      if (!(await directory.rules(tenantId)).some((r) => r.id === id)) return fail('not-found', t('No such rule.'));
      const r = await directory.deleteRule(tenantId, id);
      if (r.ok) log.info('conditional-access rule deleted', { tenantId, ruleId: id });
      return r;
    },
    getCompliancePolicy: async (tenantId) => ok(await directory.compliancePolicy(tenantId)),
    async updateCompliancePolicy(tenantId, policy) {
      await directory.setCompliancePolicy(tenantId, policy);
      const changed = (await deps.reevaluateCompliance?.(tenantId)) ?? 0;
      log.info('compliance policy changed', { tenantId, devicesChanged: changed });
      return ok(await directory.compliancePolicy(tenantId));
    },
    listReports: async (tenantId, query) => ok(await reports.list(tenantId, query)),
    async exportReportsCsv(tenantId, query) {
      const day = new Date(clock.now()).toISOString().slice(0, 10);
      return ok({ filename: `remote-help-reports-${day}.csv`, csv: await reports.exportCsv(tenantId, query) });
    },
    // The chain is one for all organizations and is walked whole; an administrator is told whether it
    // holds and where it breaks, but counts only of their own organization's records: never the other
    // tenants' volume, nor their retention runs (which the full verification lists by tenant id).
    async verifyReports(tenantId) {
      const [chain, own] = await Promise.all([reports.verify(), reports.list(tenantId, { limit: 1 })]);
      return ok({ intact: chain.intact, checked: own.total, firstBadSeq: chain.firstBadSeq, problem: chain.problem });
    },
    countNewReports: async (tenantId) => ok({ count: await reports.newReportCount(tenantId) }),
    async markReportReviewed(tenantId, { id }, caller, t) {
      const review = await reports.markReviewed(tenantId, id, { by: { userId: caller.userId, name: caller.name }, at: new Date(clock.now()).toISOString() });
      if (!review) return fail('not-found', t('No such reported session.'));
      log.info('reported session reviewed', { tenantId, reportId: id });
      return ok(review);
    },
    ...devices,
  };

  /** The token must say admin, and — for a user the directory knows — the directory must still say so:
   * a role taken away stops the next call, not only the next sign-in. */
  async function authorize(user: AuthUser, method: string, t: Msg = englishMsg): Promise<Ack<null>> {
    const [definitions, current] = await Promise.all([
      directory.roles(user.tenantId),
      directory.user(user.tenantId, user.userId).then((u) => u?.roles),
    ]);
    if (isAdmin(user.roles, definitions) && (current === undefined || isAdmin(current, definitions))) return ok(null);
    log.info('admin call refused', { tenantId: user.tenantId, userId: user.userId, method });
    return fail('admin-only', t('Only a Remote Help Administrator can do this.'));
  }

  return {
    authorize,
    /** Runs one call for `user`: admin role first, then the method (args validated by the caller). Its
     * messages are in English unless `t` translates them. */
    async call(user: AuthUser, method: AdminMethod, args: unknown, t: Msg = englishMsg): Promise<Ack<unknown>> {
      const allowed = await authorize(user, method, t);
      if (!allowed.ok) return allowed;
      const handler = handlers[method] as (tenantId: string, args: unknown, caller: AuthUser, t: Msg) => Ack<unknown> | Promise<Ack<unknown>>;
      return handler(user.tenantId, args, user, t);
    },
    applyRetention,
    /** Every tenant's retention (the daily timer). */
    async applyRetentionAll(): Promise<number> {
      let removed = 0;
      for (const t of await directory.tenants()) removed += await applyRetention(t.id);
      return removed;
    },
  };
}
