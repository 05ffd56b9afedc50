// The PolicyStore over the directory's SQLite file: role definitions, conditional-access rules,
// compliance policy, settings, groups and device properties of each tenant. Every read goes to the
// database, so an admin's change applies to the next decision without a restart.
import type Database from 'better-sqlite3';
import {
  builtInRoleNames, fail, noBranding, ok, type Ack, type CaRule, type CompliancePolicy, type DirectoryUserView, type RoleDefinition, type UserSource,
} from '#protocol';
import { defaultCompliancePolicy } from '../policy/compliance.js';
import type { PolicyStore, Tenant, TenantSettings } from '../ports.js';

/** Seeded into every tenant; they can be assigned and edited, not deleted or renamed. */
export const builtInRoles: RoleDefinition[] = [
  {
    id: 'help-desk-operator',
    name: builtInRoleNames.helpDeskOperator,
    description: 'Views and controls the screens of all users and devices.',
    permissions: ['view-screen', 'full-control'],
    scope: { deviceGroups: ['*'], userGroups: ['*'] },
    builtIn: true,
    admin: false,
  },
  {
    id: 'remote-help-administrator',
    name: builtInRoleNames.administrator,
    description: 'Every remote help permission, plus the admin view.',
    permissions: ['view-screen', 'full-control', 'elevation', 'unattended'],
    scope: { deviceGroups: ['*'], userGroups: ['*'] },
    builtIn: true,
    admin: true,
  },
];

interface UserRow {
  oid: string; upn: string; name: string; job_title: string; company: string; roles: string; groups: string; active: number; source: UserSource;
}
const userColumns = 'oid, upn, name, job_title, company, roles, groups, active, source';

const uniqueSorted = (lists: string[][]): string[] => [...new Set(lists.flat())].sort((a, b) => a.localeCompare(b));

export function createPolicyTables(
  db: Database.Database,
  deps: { tenant(id: string): Tenant | undefined; saveSettings(id: string, settings: TenantSettings): void; mfaEnrolled?: (tenantId: string, userId: string) => boolean },
): PolicyStore & { ensureBuiltInRoles(tenantId: string): void } {
  const q = {
    roles: db.prepare<[string], { definition: string }>('SELECT definition FROM roles WHERE tenant_id = ? ORDER BY name'),
    roleById: db.prepare<[string, string], { definition: string }>('SELECT definition FROM roles WHERE tenant_id = ? AND id = ?'),
    roleByName: db.prepare<[string, string], { id: string }>('SELECT id FROM roles WHERE tenant_id = ? AND name = ?'),
    upsertRole: db.prepare(
      `INSERT INTO roles (tenant_id, id, name, definition) VALUES (@tenantId, @id, @name, @definition)
       ON CONFLICT(tenant_id, id) DO UPDATE SET name = excluded.name, definition = excluded.definition`,
    ),
    insertRoleIfMissing: db.prepare(
      'INSERT OR IGNORE INTO roles (tenant_id, id, name, definition) VALUES (@tenantId, @id, @name, @definition)',
    ),
    deleteRole: db.prepare<[string, string]>('DELETE FROM roles WHERE tenant_id = ? AND id = ?'),
    rules: db.prepare<[string], { rule: string }>('SELECT rule FROM ca_rules WHERE tenant_id = ?'),
    upsertRule: db.prepare(
      `INSERT INTO ca_rules (tenant_id, id, rule) VALUES (@tenantId, @id, @rule)
       ON CONFLICT(tenant_id, id) DO UPDATE SET rule = excluded.rule`,
    ),
    deleteRule: db.prepare<[string, string]>('DELETE FROM ca_rules WHERE tenant_id = ? AND id = ?'),
    revision: db.prepare<[string], { rules: number }>('SELECT rules FROM policy_revisions WHERE tenant_id = ?'),
    bumpRevision: db.prepare<[string]>(
      `INSERT INTO policy_revisions (tenant_id, rules) VALUES (?, 1)
       ON CONFLICT(tenant_id) DO UPDATE SET rules = rules + 1`,
    ),
    compliance: db.prepare<[string], { policy: string }>('SELECT policy FROM compliance_policies WHERE tenant_id = ?'),
    setCompliance: db.prepare(
      `INSERT INTO compliance_policies (tenant_id, policy) VALUES (@tenantId, @policy)
       ON CONFLICT(tenant_id) DO UPDATE SET policy = excluded.policy`,
    ),
    userGroups: db.prepare<[string, string], { groups: string }>('SELECT groups FROM users WHERE tenant_id = ? AND oid = ?'),
    users: db.prepare<[string], UserRow>(`SELECT ${userColumns} FROM users WHERE tenant_id = ? ORDER BY name`),
    user: db.prepare<[string, string], UserRow>(`SELECT ${userColumns} FROM users WHERE tenant_id = ? AND oid = ?`),
    setRoles: db.prepare<[string, string, string]>('UPDATE users SET roles = ? WHERE tenant_id = ? AND oid = ?'),
    userRoles: db.prepare<[string], { oid: string; roles: string }>('SELECT oid, roles FROM users WHERE tenant_id = ?'),
    allUserGroups: db.prepare<[string], { groups: string }>('SELECT groups FROM users WHERE tenant_id = ?'),
    allDeviceGroups: db.prepare<[string], { groups: string }>('SELECT groups FROM devices WHERE tenant_id = ?'),
  };

  const parseRole = (json: string): RoleDefinition => JSON.parse(json) as RoleDefinition;
  const view = (tenantId: string, r: UserRow): DirectoryUserView => ({
    userId: r.oid,
    upn: r.upn,
    name: r.name,
    jobTitle: r.job_title,
    company: r.company,
    roles: JSON.parse(r.roles) as string[],
    groups: JSON.parse(r.groups) as string[],
    active: r.active === 1,
    source: r.source,
    mfaEnrolled: deps.mfaEnrolled?.(tenantId, r.oid) ?? false,
    // The identity part says who must use an authenticator app (admin service); nobody by default.
    mfaRequired: false,
  });
  const writeRole = (tenantId: string, role: RoleDefinition, statement = q.upsertRole) =>
    statement.run({ tenantId, id: role.id, name: role.name, definition: JSON.stringify(role) });

  // Check, write and renamed assignments in one transaction: two administrators saving at once cannot
  // both pass the checks, and no user keeps a role's old name.
  const saveRole = db.transaction((tenantId: string, role: RoleDefinition): Ack<RoleDefinition> => {
    const existing = q.roleById.get(tenantId, role.id);
    const before = existing && parseRole(existing.definition);
    if (before?.builtIn && (before.name !== role.name || !role.builtIn)) {
      return fail('conflict', `"${before.name}" is built in: it cannot be renamed`);
    }
    if (!before && role.builtIn) return fail('conflict', 'only the relay defines built-in roles');
    const clash = q.roleByName.get(tenantId, role.name);
    if (clash && clash.id !== role.id) return fail('conflict', `another role is already named "${role.name}"`);
    // Only the built-in administrator role opens the admin view: nobody can mint a second one.
    const saved: RoleDefinition = { ...role, admin: before?.builtIn ? before.admin : false };
    writeRole(tenantId, saved);
    // A custom role renamed: the users who had it keep it under its new name.
    if (before && before.name !== saved.name) {
      for (const u of q.userRoles.all(tenantId)) {
        const roles = JSON.parse(u.roles) as string[];
        if (roles.includes(before.name)) q.setRoles.run(JSON.stringify(roles.map((r) => (r === before.name ? saved.name : r))), tenantId, u.oid);
      }
    }
    return ok(saved);
  });

  return {
    ensureBuiltInRoles(tenantId) {
      for (const role of builtInRoles) writeRole(tenantId, role, q.insertRoleIfMissing);
    },
    roles: async (tenantId) => q.roles.all(tenantId).map((r) => parseRole(r.definition)),
    saveRole: async (tenantId, role) => saveRole(tenantId, role),
    async deleteRole(tenantId, id) {
      const existing = q.roleById.get(tenantId, id);
      if (!existing) return fail('not-found', 'no such role');
      if (parseRole(existing.definition).builtIn) return fail('conflict', 'a built-in role cannot be deleted');
      q.deleteRole.run(tenantId, id);
      return ok(null);
    },
    rules: async (tenantId) => q.rules.all(tenantId).map((r) => JSON.parse(r.rule) as CaRule),
    rulesRevision: async (tenantId) => q.revision.get(tenantId)?.rules ?? 0,
    async saveRule(tenantId, rule) {
      db.transaction(() => {
        q.upsertRule.run({ tenantId, id: rule.id, rule: JSON.stringify(rule) });
        q.bumpRevision.run(tenantId);
      })();
      return ok(rule);
    },
    async deleteRule(tenantId, id) {
      let deleted = 0;
      db.transaction(() => {
        deleted = q.deleteRule.run(tenantId, id).changes;
        q.bumpRevision.run(tenantId);
      })();
      return deleted ? ok(null) : fail('not-found', 'no such rule');
    },
    async compliancePolicy(tenantId) {
      const row = q.compliance.get(tenantId);
      return row ? (JSON.parse(row.policy) as CompliancePolicy) : structuredClone(defaultCompliancePolicy);
    },
    async setCompliancePolicy(tenantId, policy) {
      q.setCompliance.run({ tenantId, policy: JSON.stringify(policy) });
    },
    async updateSettings(tenantId, settings) {
      if (!deps.tenant(tenantId)) return fail('not-found', 'no such tenant');
      // A request without branding leaves it as it was.
      const next = { ...settings, branding: settings.branding ?? deps.tenant(tenantId)?.settings.branding ?? noBranding };
      deps.saveSettings(tenantId, next);
      return ok(next);
    },
    async userGroups(tenantId, userId) {
      const row = q.userGroups.get(tenantId, userId);
      return row ? (JSON.parse(row.groups) as string[]) : [];
    },
    async users(tenantId, search) {
      const wanted = search.trim().toLowerCase();
      return q.users
        .all(tenantId)
        .filter((r) => !wanted || r.upn.toLowerCase().includes(wanted) || r.name.toLowerCase().includes(wanted))
        .map((r) => view(tenantId, r));
    },
    async setUserRoles(tenantId, userId, roles) {
      if (!q.user.get(tenantId, userId)) return fail('not-found', 'no such user in this tenant');
      q.setRoles.run(JSON.stringify([...new Set(roles)]), tenantId, userId);
      return ok(view(tenantId, q.user.get(tenantId, userId)!));
    },
    async groups(tenantId) {
      return {
        deviceGroups: uniqueSorted(q.allDeviceGroups.all(tenantId).map((r) => JSON.parse(r.groups) as string[])),
        userGroups: uniqueSorted(q.allUserGroups.all(tenantId).map((r) => JSON.parse(r.groups) as string[])),
      };
    },
  };
}
