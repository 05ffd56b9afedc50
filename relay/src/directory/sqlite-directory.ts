// The tenant directory in SQLite (WAL): tenants with their verified domains and settings, users with
// profile, roles and scrypt password hash, and managed devices. Implements the relay's Directory port
// plus what the embedded identity provider needs (users, passwords).
import Database from 'better-sqlite3';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fail, noBranding, ok, organizationLookOf, type Ack, type PersonProfile } from '#protocol';
import type { Directory, PolicyStore, Tenant, TenantSettings } from '../ports.js';
import { createDeviceTables, type DeviceTables } from './device-tables.js';
import { createPolicyTables } from './policy-tables.js';
import { migrate } from './schema.js';
import { hashPassword, passwordMatches } from './password.js';
import { createScimStore, type ScimStore } from './scim-store.js';
import { createUserAdminTables, type UserAdminTables } from './user-admin-tables.js';
import { createUserLifecycle, type UserLifecycle, type UserSource } from './user-lifecycle.js';

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
  close(): void;
}

/** A new tenant: remote help on, unenrolled devices refused, chat on, enrollment on, reports kept. */
export const defaultTenantSettings: TenantSettings = {
  remoteHelpEnabled: true, allowUnenrolled: false, chatEnabled: true, allowEnrollment: true, reportRetentionDays: 0, branding: noBranding,
};

interface TenantRow { id: string; name: string; verified_domains: string; settings: string }
interface UserRow {
  oid: string; tenant_id: string; upn: string; name: string; job_title: string; company: string;
  photo_url: string; password_hash: string; roles: string; groups: string; active: number; source: UserSource; subject: string | null;
}
export function createDirectory(opts: { dataDir: string }): DirectoryStore {
  mkdirSync(opts.dataDir, { recursive: true });
  const db = new Database(join(opts.dataDir, 'directory.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  migrate(db);

  const q = {
    tenant: db.prepare<[string], TenantRow>('SELECT * FROM tenants WHERE id = ?'),
    tenants: db.prepare<[], TenantRow>('SELECT * FROM tenants ORDER BY name'),
    user: db.prepare<[string, string], UserRow>('SELECT * FROM users WHERE tenant_id = ? AND oid = ?'),
    userByUpn: db.prepare<[string], UserRow>('SELECT * FROM users WHERE upn = ?'),
    // The column is NOCASE, so the IN compares without case as userByUpn does.
    upnOwners: db.prepare<[string], { upn: string; tenant_id: string }>('SELECT upn, tenant_id FROM users WHERE upn IN (SELECT value FROM json_each(?))'),
    upsertTenant: db.prepare(
      `INSERT INTO tenants (id, name, verified_domains, settings) VALUES (@id, @name, @domains, @settings)
       ON CONFLICT(id) DO UPDATE SET name = excluded.name, verified_domains = excluded.verified_domains, settings = excluded.settings`,
    ),
    insertUser: db.prepare(
      `INSERT INTO users (oid, tenant_id, upn, name, job_title, company, photo_url, password_hash, roles, groups)
       VALUES (@oid, @tenantId, @upn, @name, @jobTitle, @company, @photoUrl, @passwordHash, @roles, @groups)`,
    ),
    updateUser: db.prepare(
      `UPDATE users SET tenant_id = @tenantId, upn = @upn, name = @name, job_title = @jobTitle, company = @company,
       photo_url = @photoUrl, roles = @roles, groups = @groups WHERE oid = @oid`,
    ),
    userExists: db.prepare<[string], { oid: string }>('SELECT oid FROM users WHERE oid = ?'),
    addLink: db.prepare('INSERT INTO password_links (token_hash, tenant_id, oid, expires_at) VALUES (?, ?, ?, ?)'),
    link: db.prepare<[string], { tenant_id: string; oid: string; expires_at: number; used_at: number | null }>(
      'SELECT tenant_id, oid, expires_at, used_at FROM password_links WHERE token_hash = ?'),
    useLink: db.prepare('UPDATE password_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?'),
    retireLinks: db.prepare('UPDATE password_links SET used_at = ? WHERE oid = ? AND used_at IS NULL'),
    setPassword: db.prepare('UPDATE users SET password_hash = ? WHERE oid = ?'),
  };

  const toTenant = (r: TenantRow): Tenant => ({
    id: r.id,
    name: r.name,
    verifiedDomains: JSON.parse(r.verified_domains) as string[],
    settings: { ...defaultTenantSettings, ...(JSON.parse(r.settings) as Partial<TenantSettings>) },
  });
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
  const tenant = (id: string): Tenant | undefined => {
    const row = q.tenant.get(id);
    return row && toTenant(row);
  };
  const userRowByUpn = (upn: string): UserRow | undefined => q.userByUpn.get(upn.trim());
  const writeTenant = (t: Tenant) =>
    q.upsertTenant.run({
      id: t.id,
      name: t.name,
      domains: JSON.stringify(t.verifiedDomains.map((d) => d.toLowerCase())),
      settings: JSON.stringify(t.settings),
    });
  const policy = createPolicyTables(db, {
    tenant,
    saveSettings: (id, settings) => {
      const t = tenant(id);
      if (t) writeTenant({ ...t, settings });
    },
  });
  for (const t of q.tenants.all()) policy.ensureBuiltInRoles(t.id);
  const insertUser = async (u: NewUser) => {
    q.insertUser.run({ ...u, roles: JSON.stringify(u.roles), groups: JSON.stringify(u.groups ?? []), passwordHash: await hashPassword(u.password) });
  };

  const createPasswordLink = (tenantId: string, oid: string, now: number, lifetimeMs: number): string => {
    const token = randomBytes(32).toString('base64url');
    // A new link replaces the user's earlier ones: a link sent to the wrong place stops working.
    db.transaction(() => {
      q.retireLinks.run(now, oid);
      q.addLink.run(tokenHash(token), tenantId, oid, now + lifetimeMs);
    })();
    return token;
  };

  const { setActiveNow, ...lifecycle } = createUserLifecycle(db);
  return {
    ...policy,
    ...lifecycle,
    ...createScimStore(db, setActiveNow),
    ...createDeviceTables(db),
    ...createUserAdminTables(db, createPasswordLink),
    tenant: async (id) => tenant(id),
    tenants: async () => q.tenants.all().map(toTenant),
    async tenantByDomain(domain) {
      const wanted = domain.trim().toLowerCase();
      return q.tenants.all().map(toTenant).find((t) => t.verifiedDomains.includes(wanted));
    },
    async profile(tenantId, userId): Promise<PersonProfile | undefined> {
      const row = q.user.get(tenantId, userId);
      const t = tenant(tenantId);
      if (!row || !t) return undefined;
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
    isActive: async (tenantId, userId) => q.user.get(tenantId, userId)?.active === 1,
    async user(tenantId, oid) {
      const row = q.user.get(tenantId, oid);
      return row && toUser(row);
    },
    async userByUpn(upn) {
      const row = userRowByUpn(upn);
      return row && toUser(row);
    },
    async upnOwners(upns) {
      const rows = q.upnOwners.all(JSON.stringify(upns.map((u) => u.trim())));
      return new Map(rows.map((r) => [r.upn.toLowerCase(), r.tenant_id]));
    },
    async verifyPassword(tenantId, email, password) {
      const row = userRowByUpn(email);
      // Hash even for an unknown user, so the answer takes as long either way.
      const matches = await passwordMatches(password, row?.password_hash ?? unknownUserHash);
      // No password hash: a person of an outside provider (or provisioned, never given one) cannot sign in here.
      if (!row || !matches || row.password_hash === '') return fail('sign-in-failed', 'The email or password is not correct.');
      if (row.tenant_id !== tenantId) {
        const home = tenant(row.tenant_id);
        return fail('tenant-mismatch', `${row.upn} belongs to ${home?.name ?? 'another organization'}, not to ${tenant(tenantId)?.name ?? 'this organization'}.`);
      }
      if (row.active !== 1) return fail('account-disabled', `${row.upn} has been disabled by the organization.`);
      return ok(toUser(row));
    },
    async upsertTenant(t) {
      writeTenant(t);
      policy.ensureBuiltInRoles(t.id);
    },
    async setTenantNameAndDomains(tenantId, name, verifiedDomains) {
      return db.transaction(() => {
        const t = tenant(tenantId);
        if (!t) return false;
        writeTenant({ ...t, name, verifiedDomains: [...verifiedDomains] });
        return true;
      })();
    },
    async addVerifiedDomains(tenantId, domains) {
      return db.transaction(() => {
        const t = tenant(tenantId);
        if (!t) return false;
        const others = q.tenants.all().map(toTenant).filter((o) => o.id !== tenantId).flatMap((o) => o.verifiedDomains);
        const own = domains.map((d) => d.toLowerCase()).filter((d) => !others.includes(d));
        const next = [...new Set([...t.verifiedDomains, ...own])];
        if (next.length === t.verifiedDomains.length) return false;
        writeTenant({ ...t, verifiedDomains: next });
        return true;
      })();
    },
    async addTenantIfMissing(t) {
      // One synchronous step, check and write: two seedings at once cannot both add the tenant.
      if (tenant(t.id)) return false;
      writeTenant(t);
      policy.ensureBuiltInRoles(t.id);
      return true;
    },
    async upsertUser(u) {
      if (q.userExists.get(u.oid)) {
        q.updateUser.run({ ...u, roles: JSON.stringify(u.roles), groups: JSON.stringify(u.groups ?? []) });
        return;
      }
      await insertUser(u);
    },
    async addUserIfMissing(u) {
      if (q.userExists.get(u.oid)) return false;
      await insertUser(u);
      return true;
    },
    createPasswordLink: async (tenantId, oid, now, lifetimeMs) => createPasswordLink(tenantId, oid, now, lifetimeMs),
    async passwordLinkUser(token, now) {
      const link = q.link.get(tokenHash(token));
      if (!link || link.used_at !== null || link.expires_at <= now) return undefined;
      const row = q.user.get(link.tenant_id, link.oid);
      return row && toUser(row);
    },
    async usePasswordLink(token, password, now) {
      const hash = tokenHash(token);
      const link = q.link.get(hash);
      if (!link) return fail('code-invalid', 'This link is not valid.');
      if (link.used_at !== null) return fail('code-used', 'This link has been used already.');
      if (link.expires_at <= now) return fail('code-expired', 'This link has expired.');
      const passwordHash = await hashPassword(password);
      // Used and set in one step: two submissions racing with one link cannot both set a password.
      const used = db.transaction(() => {
        if (q.useLink.run(now, hash, now).changes !== 1) return false;
        q.setPassword.run(passwordHash, link.oid);
        return true;
      })();
      if (!used) return fail('code-used', 'This link has been used already.');
      const row = q.user.get(link.tenant_id, link.oid);
      return row ? ok(toUser(row)) : fail('not-found', 'The user no longer exists.');
    },
    close: () => db.close(),
  };
}

const tokenHash = (token: string): string => createHash('sha256').update(token).digest('base64url');

// A well-formed hash no password matches (random salt and key), used for unknown users.
const unknownUserHash = `scrypt$16384$8$1$${Buffer.alloc(16, 1).toString('base64url')}$${Buffer.alloc(32, 2).toString('base64url')}`;
