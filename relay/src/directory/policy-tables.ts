// The PolicyStore over the directory's database (SQLite or PostgreSQL): role definitions,
// conditional-access rules, compliance policy, settings, groups and device properties of each tenant.
// Every read goes to the database (the rules' revision too), so an admin's change applies to the next
// decision without a restart, on whichever node it was made.
import { sql } from 'kysely';
import {
  builtInRoleNames, fail, noBranding, ok, type CaRule, type CompliancePolicy, type DirectoryUserView, type RoleDefinition, type UserSource,
} from '#protocol';
import { defaultCompliancePolicy } from '../policy/compliance.js';
import type { PolicyStore } from '../ports.js';
import type { KeptDb } from '../sql/kept-db.js';
import { all, first, locksOf, parseList, run, type Runner } from './kept-sql.js';
import { readTenant, writeTenantSettings } from './tenant-rows.js';

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
const userColumns = sql.raw('oid, upn, name, job_title, company, roles, groups, active, source');

const uniqueSorted = (lists: string[][]): string[] => [...new Set(lists.flat())].sort((a, b) => a.localeCompare(b));
const parseRole = (json: string): RoleDefinition => JSON.parse(json) as RoleDefinition;

/** Seeds the built-in roles a tenant lacks; an edited one is kept as it is. */
export async function ensureBuiltInRoles(db: Runner, tenantId: string): Promise<void> {
  await run(db, sql`INSERT INTO roles (tenant_id, id, name, definition)
    VALUES ${sql.join(builtInRoles.map((role) => sql`(${tenantId}, ${role.id}, ${role.name}, ${JSON.stringify(role)})`))}
    ON CONFLICT DO NOTHING`);
}

export function createPolicyTables(kept: KeptDb, deps: { mfaEnrolled?: (tenantId: string, userId: string) => boolean } = {}): PolicyStore {
  const { db } = kept;
  const locks = locksOf(kept);
  const view = (tenantId: string, r: UserRow): DirectoryUserView => ({
    userId: r.oid,
    upn: r.upn,
    name: r.name,
    jobTitle: r.job_title,
    company: r.company,
    roles: parseList(r.roles),
    groups: parseList(r.groups),
    active: r.active === 1,
    source: r.source,
    mfaEnrolled: deps.mfaEnrolled?.(tenantId, r.oid) ?? false,
    // The identity part says who must use an authenticator app (admin service); nobody by default.
    mfaRequired: false,
  });
  const userRow = (runner: Runner, tenantId: string, oid: string) =>
    first(runner, sql<UserRow>`SELECT ${userColumns} FROM users WHERE tenant_id = ${tenantId} AND oid = ${oid}`);
  const bumpRevision = (runner: Runner, tenantId: string) =>
    run(runner, sql`INSERT INTO policy_revisions (tenant_id, rules) VALUES (${tenantId}, 1)
      ON CONFLICT (tenant_id) DO UPDATE SET rules = policy_revisions.rules + 1`);

  return {
    roles: async (tenantId) =>
      (await all(db, sql<{ definition: string }>`SELECT definition FROM roles WHERE tenant_id = ${tenantId} ORDER BY lower(name), name`))
        .map((r) => parseRole(r.definition)),
    // Check, write and renamed assignments in one transaction under the tenant's lock: two administrators
    // saving at once (on two nodes) cannot both pass the checks, and no user keeps a role's old name.
    saveRole: (tenantId, role) => db.transaction().execute(async (trx) => {
      await locks.tenant(trx, tenantId);
      const existing = await first(trx, sql<{ definition: string }>`SELECT definition FROM roles WHERE tenant_id = ${tenantId} AND id = ${role.id}`);
      const before = existing && parseRole(existing.definition);
      if (before?.builtIn && (before.name !== role.name || !role.builtIn)) {
        return fail('conflict', `"${before.name}" is built in: it cannot be renamed`);
      }
      if (!before && role.builtIn) return fail('conflict', 'only the relay defines built-in roles');
      const clash = await first(trx, sql<{ id: string }>`SELECT id FROM roles WHERE tenant_id = ${tenantId} AND lower(name) = lower(${role.name})`);
      if (clash && clash.id !== role.id) return fail('conflict', `another role is already named "${role.name}"`);
      // Only the built-in administrator role opens the admin view: nobody can mint a second one.
      const saved: RoleDefinition = { ...role, admin: before?.builtIn ? before.admin : false };
      await run(trx, sql`INSERT INTO roles (tenant_id, id, name, definition) VALUES (${tenantId}, ${saved.id}, ${saved.name}, ${JSON.stringify(saved)})
        ON CONFLICT (tenant_id, id) DO UPDATE SET name = excluded.name, definition = excluded.definition`);
      // A custom role renamed: the users who had it keep it under its new name.
      if (before && before.name !== saved.name) {
        for (const u of await all(trx, sql<{ oid: string; roles: string }>`SELECT oid, roles FROM users WHERE tenant_id = ${tenantId}`)) {
          const roles = parseList(u.roles);
          if (!roles.includes(before.name)) continue;
          const renamed = JSON.stringify(roles.map((r) => (r === before.name ? saved.name : r)));
          await run(trx, sql`UPDATE users SET roles = ${renamed} WHERE tenant_id = ${tenantId} AND oid = ${u.oid}`);
        }
      }
      return ok(saved);
    }),
    deleteRole: (tenantId, id) => db.transaction().execute(async (trx) => {
      await locks.tenant(trx, tenantId);
      const existing = await first(trx, sql<{ definition: string }>`SELECT definition FROM roles WHERE tenant_id = ${tenantId} AND id = ${id}`);
      if (!existing) return fail('not-found', 'no such role');
      if (parseRole(existing.definition).builtIn) return fail('conflict', 'a built-in role cannot be deleted');
      await run(trx, sql`DELETE FROM roles WHERE tenant_id = ${tenantId} AND id = ${id}`);
      return ok(null);
    }),
    rules: async (tenantId) => (await all(db, sql<{ rule: string }>`SELECT rule FROM ca_rules WHERE tenant_id = ${tenantId}`)).map((r) => JSON.parse(r.rule) as CaRule),
    rulesRevision: async (tenantId) =>
      Number((await first(db, sql<{ rules: number }>`SELECT rules FROM policy_revisions WHERE tenant_id = ${tenantId}`))?.rules ?? 0),
    async saveRule(tenantId, rule) {
      await db.transaction().execute(async (trx) => {
        await run(trx, sql`INSERT INTO ca_rules (tenant_id, id, rule) VALUES (${tenantId}, ${rule.id}, ${JSON.stringify(rule)})
          ON CONFLICT (tenant_id, id) DO UPDATE SET rule = excluded.rule`);
        await bumpRevision(trx, tenantId);
      });
      return ok(rule);
    },
    async deleteRule(tenantId, id) {
      const deleted = await db.transaction().execute(async (trx) => {
        const n = await run(trx, sql`DELETE FROM ca_rules WHERE tenant_id = ${tenantId} AND id = ${id}`);
        await bumpRevision(trx, tenantId);
        return n;
      });
      return deleted ? ok(null) : fail('not-found', 'no such rule');
    },
    async compliancePolicy(tenantId) {
      const row = await first(db, sql<{ policy: string }>`SELECT policy FROM compliance_policies WHERE tenant_id = ${tenantId}`);
      return row ? (JSON.parse(row.policy) as CompliancePolicy) : structuredClone(defaultCompliancePolicy);
    },
    async setCompliancePolicy(tenantId, policy) {
      await run(db, sql`INSERT INTO compliance_policies (tenant_id, policy) VALUES (${tenantId}, ${JSON.stringify(policy)})
        ON CONFLICT (tenant_id) DO UPDATE SET policy = excluded.policy`);
    },
    // Read and written under the tenant's lock: a request without branding keeps the branding as it is then.
    updateSettings: (tenantId, settings) => db.transaction().execute(async (trx) => {
      await locks.tenant(trx, tenantId);
      const tenant = await readTenant(trx, tenantId);
      if (!tenant) return fail('not-found', 'no such tenant');
      const next = { ...settings, branding: settings.branding ?? tenant.settings.branding ?? noBranding };
      await writeTenantSettings(trx, tenantId, next);
      return ok(next);
    }),
    async userGroups(tenantId, userId) {
      const row = await first(db, sql<{ groups: string }>`SELECT groups FROM users WHERE tenant_id = ${tenantId} AND oid = ${userId}`);
      return row ? parseList(row.groups) : [];
    },
    async users(tenantId, search) {
      const wanted = search.trim().toLowerCase();
      return (await all(db, sql<UserRow>`SELECT ${userColumns} FROM users WHERE tenant_id = ${tenantId} ORDER BY name`))
        .filter((r) => !wanted || r.upn.toLowerCase().includes(wanted) || r.name.toLowerCase().includes(wanted))
        .map((r) => view(tenantId, r));
    },
    async setUserRoles(tenantId, userId, roles) {
      const changed = await run(db, sql`UPDATE users SET roles = ${JSON.stringify([...new Set(roles)])} WHERE tenant_id = ${tenantId} AND oid = ${userId}`);
      const row = changed ? await userRow(db, tenantId, userId) : undefined;
      return row ? ok(view(tenantId, row)) : fail('not-found', 'no such user in this tenant');
    },
    async groups(tenantId) {
      const [devices, users] = await Promise.all([
        all(db, sql<{ groups: string }>`SELECT DISTINCT groups FROM devices WHERE tenant_id = ${tenantId}`),
        all(db, sql<{ groups: string }>`SELECT DISTINCT groups FROM users WHERE tenant_id = ${tenantId}`),
      ]);
      return { deviceGroups: uniqueSorted(devices.map((r) => parseList(r.groups))), userGroups: uniqueSorted(users.map((r) => parseList(r.groups))) };
    },
  };
}
