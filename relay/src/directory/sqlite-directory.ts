// The tenant directory over KeptDb (relay/src/sql/kept-db.ts): tenants with their verified domains and
// settings, users with profile, roles and scrypt password hash, password links, and managed devices.
// Implements the relay's Directory port plus what the embedded identity provider needs (users,
// passwords). One implementation for both stores: createDirectory opens the SQLite file (one node, the
// default), createPgDirectory takes a PostgreSQL pool (several nodes, DESIGN §12).
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type pg from 'pg';
import { fail, ok, organizationLookOf, type Ack, type PersonProfile } from '#protocol';
import type { Directory, PolicyStore, Tenant } from '../ports.js';
import { applyPgMigrations } from '../pg/migrate.js';
import { keptDbOnPostgres, keptDbOnSqlite, type KeptDb } from '../sql/kept-db.js';
import { createDeviceTables, type DeviceTables } from './device-tables.js';
import { all, first, inChunks, inList, locksOf, run, type Runner } from './kept-sql.js';
import { directoryPgMigrations } from './pg-schema.js';
import { builtInRoles, createPolicyTables, ensureBuiltInRoles } from './policy-tables.js';
import { migrate } from './schema.js';
import { hashPassword, passwordMatches } from './password.js';
import { createScimStore, type ScimStore } from './scim-store.js';
import { insertTenantIfMissing, readTenant, toTenant, readTenants, writeTenant, writeTenantDomains, writeTenantNameAndDomains } from './tenant-rows.js';
import { createUserAdminTables, type LinkMaker, type UserAdminTables } from './user-admin-tables.js';
import { createUserLifecycle, type UserLifecycle, type UserSource } from './user-lifecycle.js';
import { ensurePrivateFile } from '../sqlite/private-files.js';

export { defaultTenantSettings } from './tenant-rows.js';

/** A directory user as the identity provider sees it (never carries the password hash). */
export interface DirectoryUser {
  oid: string;
  tenantId: string;
  upn: string;
  name: string;
  jobTitle: string;
  company: string;
  photoUrl: string;
  roles: string[];
  /** User groups, for role scopes and conditional access. */
  groups: string[];
  /** False once disabled (admin view, SCIM): no sign-in, no session. */
  active: boolean;
  source: UserSource;
  /** The outside provider's id for the person (Entra oid, OIDC sub); null until they sign in there. */
  subject: string | null;
}

export interface NewUser extends Omit<DirectoryUser, 'groups' | 'active' | 'source' | 'subject'> {
  password: string;
  groups?: string[];
}

export interface DirectoryStore extends Directory, DeviceTables, PolicyStore, UserLifecycle, ScimStore, UserAdminTables {
  tenants(): Promise<Tenant[]>;
  user(tenantId: string, oid: string): Promise<DirectoryUser | undefined>;
  /** UPNs are unique across tenants, as in Entra. */
  userByUpn(upn: string): Promise<DirectoryUser | undefined>;
  /** The tenant of each of these UPNs that a user has, by lower-case UPN: one read for a whole import. */
  upnOwners(upns: readonly string[]): Promise<Map<string, string>>;
  /** Checks a sign-in on one tenant's provider: the user must exist, belong to that tenant and know the password. */
  verifyPassword(tenantId: string, email: string, password: string): Promise<Ack<DirectoryUser>>;
  upsertTenant(tenant: Tenant): Promise<void>;
  /** The configuration's name and verified domains for an existing tenant, its settings as they are then
   * (one transaction: an administrator's change meanwhile is kept); false when there is no such tenant. */
  setTenantNameAndDomains(tenantId: string, name: string, verifiedDomains: readonly string[]): Promise<boolean>;
  /** Adds to the tenant's verified domains those that no other tenant has verified, in one transaction
   * (its name and settings as they are then); answers whether any was added. */
  addVerifiedDomains(tenantId: string, domains: readonly string[]): Promise<boolean>;
  /** Seeding: adds the tenant (with its built-in roles) only if it is not there, so an admin's settings survive a restart. */
  addTenantIfMissing(tenant: Tenant): Promise<boolean>;
  /** Seeding: adds the user only if it is not there, so an admin's role assignments survive a restart. */
  addUserIfMissing(user: NewUser): Promise<boolean>;
  /** Adds the user, or updates the profile of an existing one (the password is kept). */
  upsertUser(user: NewUser): Promise<void>;
  /** A one-time link token to set this user's password, valid for `lifetimeMs`; only its hash is kept.
   * The user's earlier unused links stop working. */
  createPasswordLink(tenantId: string, oid: string, now: number, lifetimeMs: number): Promise<string>;
  /** Who a link token is for, while it is unused and unexpired. */
  passwordLinkUser(token: string, now: number): Promise<DirectoryUser | undefined>;
  /** Sets the password through the link, once: a second use, or an expired link, answers `code-used` or `code-expired`. */
  usePasswordLink(token: string, password: string, now: number): Promise<Ack<DirectoryUser>>;
  /** SQLite: closes the file. PostgreSQL: nothing (the pool is its owner's to end). */
  close(): void;
}

interface UserRow {
  oid: string; tenant_id: string; upn: string; name: string; job_title: string; company: string;
  photo_url: string; password_hash: string; roles: string; groups: string; active: number; source: UserSource; subject: string | null;
}
/** A user's row with their tenant's, for the profile a session shows (one query, not two). */
interface ProfileRow { oid: string; upn: string; name: string; job_title: string; company: string; photo_url: string;
  tenant_name: string; verified_domains: string; settings: string }

/** The directory on the SQLite file `directory.db` in `dataDir` (WAL, foreign keys, its migrations). Synchronous:
 * better-sqlite3 opens and migrates at once, so callers need not wait. */
export function createDirectory(opts: { dataDir: string }): DirectoryStore {
  ensurePrivateFile(join(opts.dataDir, 'directory.db'));
  const db = new Database(join(opts.dataDir, 'directory.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  migrate(db);
  // Built-in roles a tenant lacks (a relay older than one of them), added here while the file is open
  // synchronously; on PostgreSQL createPgDirectory does it before answering.
  const seed = db.prepare('INSERT INTO roles (tenant_id, id, name, definition) SELECT id, ?, ?, ? FROM tenants WHERE true ON CONFLICT DO NOTHING');
  db.transaction(() => {
    for (const role of builtInRoles) seed.run(role.id, role.name, JSON.stringify(role));
  })();
  return directoryOver(keptDbOnSqlite(db), () => db.close());
}

/** The directory on PostgreSQL: applies its schema (once across nodes) and adds built-in roles a tenant lacks. */
export async function createPgDirectory(opts: { pool: pg.Pool }): Promise<DirectoryStore> {
  await applyPgMigrations(opts.pool, 'directory', directoryPgMigrations);
  const kept = keptDbOnPostgres(opts.pool);
  for (const t of await readTenants(kept.db)) await ensureBuiltInRoles(kept.db, t.id);
  return directoryOver(kept, () => undefined);
}

/** The directory over an open KeptDb whose schema is in place; `close` ends what the factory opened. */
export function directoryOver(kept: KeptDb, close: () => void): DirectoryStore {
  const { db } = kept;
  const locks = locksOf(kept);
  const userColumns = sql.raw('oid, tenant_id, upn, name, job_title, company, photo_url, password_hash, roles, groups, active, source, subject');
  const toUser = (r: UserRow): DirectoryUser => ({
    oid: r.oid,
    tenantId: r.tenant_id,
    upn: r.upn,
    name: r.name,
    jobTitle: r.job_title,
    company: r.company,
    photoUrl: r.photo_url,
    roles: JSON.parse(r.roles) as string[],
    groups: JSON.parse(r.groups) as string[],
    active: r.active === 1,
    source: r.source,
    subject: r.subject,
  });
  const userRow = (r: Runner, tenantId: string, oid: string) =>
    first(r, sql<UserRow>`SELECT ${userColumns} FROM users WHERE tenant_id = ${tenantId} AND oid = ${oid}`);
  const userRowByUpn = (upn: string) => first(db, sql<UserRow>`SELECT ${userColumns} FROM users WHERE lower(upn) = lower(${upn.trim()})`);
  const userExists = async (oid: string) => (await first(db, sql<{ oid: string }>`SELECT oid FROM users WHERE oid = ${oid}`)) !== undefined;
  const insertUser = async (u: NewUser, ifMissing: boolean): Promise<boolean> => {
    const passwordHash = await hashPassword(u.password);
    const added = await run(db, sql`INSERT INTO users (oid, tenant_id, upn, name, job_title, company, photo_url, password_hash, roles, groups)
      VALUES (${u.oid}, ${u.tenantId}, ${u.upn}, ${u.name}, ${u.jobTitle}, ${u.company}, ${u.photoUrl}, ${passwordHash},
        ${JSON.stringify(u.roles)}, ${JSON.stringify(u.groups ?? [])})
      ${ifMissing ? sql`ON CONFLICT (oid) DO NOTHING` : sql``}`);
    return added === 1;
  };
  const policy: PolicyStore = createPolicyTables(kept);

  // A new link replaces the user's earlier ones: a link sent to the wrong place stops working.
  const createPasswordLink: LinkMaker = async (trx, tenantId, oid, now, lifetimeMs) => {
    const token = randomBytes(32).toString('base64url');
    await run(trx, sql`UPDATE password_links SET used_at = ${now} WHERE oid = ${oid} AND used_at IS NULL`);
    await run(trx, sql`INSERT INTO password_links (token_hash, tenant_id, oid, expires_at) VALUES (${tokenHash(token)}, ${tenantId}, ${oid}, ${now + lifetimeMs})`);
    return token;
  };
  const linkRow = (hash: string) => first(db, sql<{ tenant_id: string; oid: string; expires_at: number; used_at: number | null }>`SELECT tenant_id, oid,
    expires_at, used_at FROM password_links WHERE token_hash = ${hash}`);

  const { tellDisabled, ...lifecycle } = createUserLifecycle(kept);
  const tenant = (id: string) => readTenant(db, id);
  return {
    ...policy,
    ...lifecycle,
    ...createScimStore(kept, tellDisabled),
    ...createDeviceTables(kept),
    ...createUserAdminTables(kept, createPasswordLink),
    tenant,
    tenants: () => readTenants(db),
    async tenantByDomain(domain) {
      const wanted = domain.trim().toLowerCase();
      return (await readTenants(db)).find((t) => t.verifiedDomains.includes(wanted));
    },
    async profile(tenantId, userId): Promise<PersonProfile | undefined> {
      const row = await first(db, sql<ProfileRow>`SELECT u.oid, u.upn, u.name, u.job_title, u.company, u.photo_url,
          t.name AS tenant_name, t.verified_domains, t.settings
        FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE u.tenant_id = ${tenantId} AND u.oid = ${userId}`);
      if (!row) return undefined;
      const t: Tenant = toTenantOf(tenantId, row);
      const domain = (row.upn.split('@')[1] ?? '').toLowerCase();
      return {
        userId: row.oid,
        tenantId,
        // As the organization's branding names it (tenant settings), else the tenant's name.
        tenantName: organizationLookOf(t).name,
        name: row.name,
        jobTitle: row.job_title,
        company: row.company,
        upn: row.upn,
        domain,
        domainVerified: t.verifiedDomains.includes(domain),
        photoUrl: row.photo_url,
      };
    },
    isActive: async (tenantId, userId) =>
      (await first(db, sql<{ active: number }>`SELECT active FROM users WHERE tenant_id = ${tenantId} AND oid = ${userId}`))?.active === 1,
    async user(tenantId, oid) {
      const row = await userRow(db, tenantId, oid);
      return row && toUser(row);
    },
    async userByUpn(upn) {
      const row = await userRowByUpn(upn);
      return row && toUser(row);
    },
    async upnOwners(upns) {
      const owners = new Map<string, string>();
      await inChunks([...new Set(upns.map((u) => u.trim().toLowerCase()))], 500, async (chunk) => {
        for (const r of await all(db, sql<{ upn: string; tenant_id: string }>`SELECT upn, tenant_id FROM users WHERE lower(upn) IN ${inList(chunk)}`)) {
          owners.set(r.upn.toLowerCase(), r.tenant_id);
        }
      });
      return owners;
    },
    async verifyPassword(tenantId, email, password) {
      const row = await userRowByUpn(email);
      // Hash even for an unknown user, so the answer takes as long either way.
      const matches = await passwordMatches(password, row?.password_hash ?? unknownUserHash);
      // No password hash: a person of an outside provider (or provisioned, never given one) cannot sign in here.
      if (!row || !matches || row.password_hash === '') return fail('sign-in-failed', 'The email or password is not correct.');
      if (row.tenant_id !== tenantId) {
        const home = await tenant(row.tenant_id);
        return fail('tenant-mismatch', `${row.upn} belongs to ${home?.name ?? 'another organization'}, not to ${(await tenant(tenantId))?.name ?? 'this organization'}.`);
      }
      if (row.active !== 1) return fail('account-disabled', `${row.upn} has been disabled by the organization.`);
      return ok(toUser(row));
    },
    async upsertTenant(t) {
      await db.transaction().execute(async (trx) => {
        await writeTenant(trx, t);
        await ensureBuiltInRoles(trx, t.id);
      });
    },
    // One statement: the settings are left as they are at that moment.
    setTenantNameAndDomains: (tenantId, name, verifiedDomains) => writeTenantNameAndDomains(db, tenantId, name, verifiedDomains),
    // Every tenant's row locked (PostgreSQL): two tenants claiming one domain at once on two nodes cannot both get it.
    addVerifiedDomains: (tenantId, domains) => db.transaction().execute(async (trx) => {
      await locks.allTenants(trx);
      const tenants = await readTenants(trx);
      const t = tenants.find((o) => o.id === tenantId);
      if (!t) return false;
      const others = tenants.filter((o) => o.id !== tenantId).flatMap((o) => o.verifiedDomains);
      const own = domains.map((d) => d.toLowerCase()).filter((d) => !others.includes(d));
      const next = [...new Set([...t.verifiedDomains, ...own])];
      if (next.length === t.verifiedDomains.length) return false;
      await writeTenantDomains(trx, tenantId, next);
      return true;
    }),
    // Insert-if-absent is one statement: two seedings at once (two nodes) add the tenant once.
    addTenantIfMissing: (t) => db.transaction().execute(async (trx) => {
      if (!(await insertTenantIfMissing(trx, t))) return false;
      await ensureBuiltInRoles(trx, t.id);
      return true;
    }),
    async upsertUser(u) {
      const updated = await run(db, sql`UPDATE users SET tenant_id = ${u.tenantId}, upn = ${u.upn}, name = ${u.name}, job_title = ${u.jobTitle},
        company = ${u.company}, photo_url = ${u.photoUrl}, roles = ${JSON.stringify(u.roles)}, groups = ${JSON.stringify(u.groups ?? [])}
        WHERE oid = ${u.oid}`);
      if (!updated) await insertUser(u, false);
    },
    async addUserIfMissing(u) {
      // Checked first so a restart's seeding spends no scrypt on users it has; the insert still yields to a racing one.
      if (await userExists(u.oid)) return false;
      return insertUser(u, true);
    },
    createPasswordLink: (tenantId, oid, now, lifetimeMs) =>
      db.transaction().execute((trx) => createPasswordLink(trx, tenantId, oid, now, lifetimeMs)),
    async passwordLinkUser(token, now) {
      const link = await linkRow(tokenHash(token));
      if (!link || link.used_at !== null || link.expires_at <= now) return undefined;
      const row = await userRow(db, link.tenant_id, link.oid);
      return row && toUser(row);
    },
    async usePasswordLink(token, password, now) {
      const hash = tokenHash(token);
      const link = await linkRow(hash);
      if (!link) return fail('code-invalid', 'This link is not valid.');
      if (link.used_at !== null) return fail('code-used', 'This link has been used already.');
      if (Number(link.expires_at) <= now) return fail('code-expired', 'This link has expired.');
      const passwordHash = await hashPassword(password);
      // Used and set in one transaction; the conditional UPDATE is the check (PostgreSQL makes a second
      // one wait for the first and then finds the link used): two submissions cannot both set a password.
      const used = await db.transaction().execute(async (trx) => {
        if ((await run(trx, sql`UPDATE password_links SET used_at = ${now}
          WHERE token_hash = ${hash} AND used_at IS NULL AND expires_at > ${now}`)) !== 1) return false;
        await run(trx, sql`UPDATE users SET password_hash = ${passwordHash} WHERE oid = ${link.oid}`);
        return true;
      });
      if (!used) return fail('code-used', 'This link has been used already.');
      const row = await userRow(db, link.tenant_id, link.oid);
      return row ? ok(toUser(row)) : fail('not-found', 'The user no longer exists.');
    },
    close,
  };
}

const toTenantOf = (id: string, r: ProfileRow): Tenant => toTenant({ id, name: r.tenant_name, verified_domains: r.verified_domains, settings: r.settings });

const tokenHash = (token: string): string => createHash('sha256').update(token).digest('base64url');

// A well-formed hash no password matches (random salt and key), used for unknown users.
const unknownUserHash = `scrypt$16384$8$1$${Buffer.alloc(16, 1).toString('base64url')}$${Buffer.alloc(32, 2).toString('base64url')}`;
