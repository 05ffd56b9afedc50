// The tenant admin API's decisions (protocol/src/admin-api.ts), always for the caller's own tenant.
// The caller's admin role is checked on every call against today's role definitions, not once per
// sign-in: an admin whose role was taken away is refused at the next call.
import { str } from '@lit/localize';
import {
  fail, ok, type Ack, type AdminApi, type AdminMethod, type RoleDefinition,
} from '#protocol';
import type { DirectoryStore } from '../directory/index.js';
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
  reevaluateCompliance?: (tenantId: string) => number;
  /** Forgets a removed device's key (the device-trust part), so its browser can no longer prove it. */
  forgetDeviceKey?: (tenantId: string, deviceId: string) => boolean;
  /** Whether a user signs in with a second factor (the identity part). */
  mfaEnrolled?: (tenantId: string, userId: string) => boolean;
  /** Whether an administrator requires one, and changing that (the identity part). */
  mfaRequired?: (tenantId: string, userId: string) => boolean;
  setMfaRequired?: (tenantId: string, userId: string, required: boolean) => void;
  /** Where set-password links point (https://HOST[:PORT]). */
  publicUrl?: string;
  /** The tenant's identity source; `embedded` when not given (the demo, and tenants configured so). */
  identityType?: (tenantId: string) => IdentityType;
}

/** Each method with the caller's tenant bound in; args are already validated by the method's schema.
 * `t` writes the answer's messages in the caller's language (the admin route's Accept-Language). */
type Handlers = {
  [K in AdminMethod]: (tenantId: string, args: Parameters<AdminApi[K]>[0], caller: AuthUser, t: Msg) => ReturnType<AdminApi[K]> | Awaited<ReturnType<AdminApi[K]>>;
};

export type AdminService = ReturnType<typeof createAdminService>;

export function createAdminService(deps: AdminDeps) {
  const { directory, reports, clock, log } = deps;
  const users = createUserAdmin({
    directory, clock, log,
    publicUrl: deps.publicUrl ?? '',
    identityType: deps.identityType ?? (() => 'embedded'),
    mfaEnrolled: deps.mfaEnrolled ?? (() => false),
    mfaRequired: deps.mfaRequired ?? (() => false),
    ...(deps.setMfaRequired ? { setMfaRequired: deps.setMfaRequired } : {}),
  });
  const { withMfa } = users;
  const devices = createDeviceAdmin({ directory, clock, log, ...(deps.forgetDeviceKey ? { forgetDeviceKey: deps.forgetDeviceKey } : {}) });

  async function applyRetention(tenantId: string): Promise<number> {
    const days = directory.tenant(tenantId)?.settings.reportRetentionDays ?? 0;
    if (days <= 0) return 0;
    const removed = await reports.applyRetention(tenantId, retentionCutoff(clock.now(), days));
    if (removed > 0) log.info('report retention applied', { tenantId, removed, days });
    return removed;
  }

  /** A custom role renamed: the users who had it keep it under its new name. */
  function renameAssignments(tenantId: string, from: string, to: string): void {
    for (const u of directory.users(tenantId, '')) {
      if (u.roles.includes(from)) directory.setUserRoles(tenantId, u.userId, u.roles.map((r) => (r === from ? to : r)));
    }
  }

  const handlers: Handlers = {
    getSettings(tenantId, _args, _caller, t) {
      const tenant = directory.tenant(tenantId);
      return tenant ? ok({ ...tenant.settings }) : fail('not-found', t('No such organization.'));
    },
    async updateSettings(tenantId, settings) {
      const r = directory.updateSettings(tenantId, settings);
      if (r.ok) {
        // A logo is up to 64 KB of base64: the log says that it changed, not its bytes.
        const logged = settings.branding ? { ...settings, branding: { ...settings.branding, logo: settings.branding.logo ? `${settings.branding.logo.length} characters` : '' } } : settings;
        log.info('tenant settings changed', { tenantId, settings: logged });
        // Applied before the answer, so the admin who shortened it sees the old records gone at once.
        await applyRetention(tenantId);
      }
      return r;
    },
    listRoles: (tenantId) => ok(directory.roles(tenantId)),
    saveRole(tenantId, role, _caller, t) {
      const roles = directory.roles(tenantId);
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
      const r = directory.saveRole(tenantId, { ...role, permissions: [...new Set(role.permissions)] } as RoleDefinition);
      if (r.ok) {
        if (before && before.name !== r.value.name) renameAssignments(tenantId, before.name, r.value.name);
        log.info('role saved', { tenantId, roleId: r.value.id });
      }
      return r;
    },
    deleteRole(tenantId, { id }, _caller, t) {
      const role = directory.roles(tenantId).find((r) => r.id === id);
      if (!role) return fail('not-found', t('No such role.'));
      if (role.builtIn) return fail('conflict', t('A built-in role cannot be deleted.'));
      const r = directory.deleteRole(tenantId, id);
      if (r.ok) log.info('role deleted', { tenantId, roleId: id });
      return r;
    },
    listUsers: (tenantId, { search }) => ok(directory.users(tenantId, search ?? '').map((u) => withMfa(tenantId, u))),
    assignRoles(tenantId, { userId, roles }, _caller, t) {
      const defined = new Set(directory.roles(tenantId).map((r) => r.name));
      const unknown = roles.filter((r) => !defined.has(r));
      if (unknown.length) return fail('validation', t(str`No such role: ${unknown.join(', ')}.`));
      if (!directory.user(tenantId, userId)) return fail('not-found', t('No such user in this organization.'));
      const r = directory.setUserRoles(tenantId, userId, roles);
      // The token's roles claim is read from the directory at the next sign-in or refresh.
      if (r.ok) log.info('roles assigned', { tenantId, userId, roles: r.value.roles });
      return r.ok ? ok(withMfa(tenantId, r.value)) : r;
    },
    ...users.handlers,
    listGroups: (tenantId) => ok(directory.groups(tenantId)),
    listRules: (tenantId) => ok(directory.rules(tenantId).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))),
    saveRule(tenantId, rule, _caller, t) {
      // What the schema cannot see, in the administrator's language.
      const badRange = (rule.conditions.ipRanges ?? []).find((range) => !parseRange(range));
      if (badRange !== undefined) return fail('validation', t(str`"${badRange}" is not an IPv4 or IPv6 address range (CIDR).`));
      const r = directory.saveRule(tenantId, rule);
      if (r.ok) log.info('conditional-access rule saved', { tenantId, ruleId: rule.id, mode: rule.mode, grant: rule.grant });
      return r;
    },
    deleteRule(tenantId, { id }, _caller, t) {
      if (!directory.rules(tenantId).some((r) => r.id === id)) return fail('not-found', t('No such rule.'));
      const r = directory.deleteRule(tenantId, id);
      if (r.ok) log.info('conditional-access rule deleted', { tenantId, ruleId: id });
      return r;
    },
    getCompliancePolicy: (tenantId) => ok(directory.compliancePolicy(tenantId)),
    updateCompliancePolicy(tenantId, policy) {
      directory.setCompliancePolicy(tenantId, policy);
      const changed = deps.reevaluateCompliance?.(tenantId) ?? 0;
      log.info('compliance policy changed', { tenantId, devicesChanged: changed });
      return ok(directory.compliancePolicy(tenantId));
    },
    listReports: async (tenantId, query) => ok(await reports.list(tenantId, query)),
    async exportReportsCsv(tenantId, query) {
      const day = new Date(clock.now()).toISOString().slice(0, 10);
      return ok({ filename: `remote-help-reports-${day}.csv`, csv: await reports.exportCsv(tenantId, query) });
    },
    verifyReports: async () => ok(await reports.verify()),
    ...devices,
  };

  /** The token must say admin, and — for a user the directory knows — the directory must still say so:
   * a role taken away stops the next call, not only the next sign-in. */
  function authorize(user: AuthUser, method: string, t: Msg = englishMsg): Ack<null> {
    const definitions = directory.roles(user.tenantId);
    const current = directory.user(user.tenantId, user.userId)?.roles;
    if (isAdmin(user.roles, definitions) && (current === undefined || isAdmin(current, definitions))) return ok(null);
    log.info('admin call refused', { tenantId: user.tenantId, userId: user.userId, method });
    return fail('admin-only', t('Only a Remote Help Administrator can do this.'));
  }

  return {
    authorize,
    /** Runs one call for `user`: admin role first, then the method (args validated by the caller). Its
     * messages are in English unless `t` translates them. */
    async call(user: AuthUser, method: AdminMethod, args: unknown, t: Msg = englishMsg): Promise<Ack<unknown>> {
      const allowed = authorize(user, method, t);
      if (!allowed.ok) return allowed;
      const handler = handlers[method] as (tenantId: string, args: unknown, caller: AuthUser, t: Msg) => Ack<unknown> | Promise<Ack<unknown>>;
      return handler(user.tenantId, args, user, t);
    },
    applyRetention,
    /** Every tenant's retention (the daily timer), one tenant after the other. */
    async applyRetentionAll(): Promise<number> {
      let sum = 0;
      for (const t of directory.tenants()) sum += await applyRetention(t.id);
      return sum;
    },
  };
}
