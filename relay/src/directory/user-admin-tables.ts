// The directory writes of an embedded tenant's user management (admin view, CSV import): users made or
// updated in one transaction with a set-password link for each new one, and a password retired when an
// administrator resets it. A new user has no password (an empty hash, which no sign-in matches) until
// they choose one through their link: nobody else ever knows it, and no scrypt is spent per row.
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { LastAdministratorError, tenantKeepsAnAdmin } from './admin-guard.js';
import { initialsAvatar } from './avatar.js';

/** A user as the administrator describes them; matched to an existing row by UPN. */
export interface ManagedUser {
  upn: string;
  name: string;
  jobTitle: string;
  company: string;
  roles: string[];
}

export interface SavedUsers {
  created: { oid: string; upn: string; name: string; token: string }[];
  updated: { oid: string; upn: string }[];
}

export interface UserAdminTables {
  /** Adds the new users (each with a one-time link valid `lifetimeMs`) and updates the profile and roles
   * of the tenant's existing ones, all or nothing. A UPN of another tenant throws: check it first.
   * `keepAnAdmin`: when no active administrator would be left, nothing is written and it throws
   * LastAdministratorError (checked in the same transaction as the writes). */
  saveManagedUsers(tenantId: string, users: readonly ManagedUser[], now: number, lifetimeMs: number, opts?: { keepAnAdmin?: boolean }): Promise<SavedUsers>;
  /** The current password stops working; only a set-password link gives a new one. */
  retirePassword(tenantId: string, oid: string): Promise<boolean>;
}

type LinkMaker = (tenantId: string, oid: string, now: number, lifetimeMs: number) => string;

export function createUserAdminTables(db: Database.Database, createPasswordLink: LinkMaker): UserAdminTables {
  const q = {
    byUpn: db.prepare<[string], { oid: string; tenant_id: string }>('SELECT oid, tenant_id FROM users WHERE upn = ?'),
    insert: db.prepare(
      `INSERT INTO users (oid, tenant_id, upn, name, job_title, company, photo_url, password_hash, roles, groups, source)
       VALUES (@oid, @tenantId, @upn, @name, @jobTitle, @company, @photoUrl, '', @roles, '[]', 'embedded')`,
    ),
    update: db.prepare(
      'UPDATE users SET name = @name, job_title = @jobTitle, company = @company, roles = @roles WHERE oid = @oid AND tenant_id = @tenantId',
    ),
    retire: db.prepare("UPDATE users SET password_hash = '' WHERE tenant_id = ? AND oid = ?"),
  };

  const save = db.transaction((tenantId: string, users: readonly ManagedUser[], now: number, lifetimeMs: number, keepAnAdmin: boolean): SavedUsers => {
    const out: SavedUsers = { created: [], updated: [] };
    for (const u of users) {
      const values = { tenantId, upn: u.upn, name: u.name, jobTitle: u.jobTitle, company: u.company, roles: JSON.stringify([...new Set(u.roles)]) };
      const existing = q.byUpn.get(u.upn);
      if (existing && existing.tenant_id !== tenantId) throw new Error(`${u.upn} belongs to another tenant`);
      if (existing) {
        q.update.run({ ...values, oid: existing.oid });
        out.updated.push({ oid: existing.oid, upn: u.upn });
        continue;
      }
      const oid = randomUUID();
      q.insert.run({ ...values, oid, photoUrl: initialsAvatar(u.name) });
      out.created.push({ oid, upn: u.upn, name: u.name, token: createPasswordLink(tenantId, oid, now, lifetimeMs) });
    }
    // Thrown, so the transaction rolls back everything written above.
    if (keepAnAdmin && !tenantKeepsAnAdmin(db, tenantId)) throw new LastAdministratorError();
    return out;
  });

  return {
    saveManagedUsers: async (tenantId, users, now, lifetimeMs, opts) => save(tenantId, users, now, lifetimeMs, opts?.keepAnAdmin === true),
    retirePassword: async (tenantId, oid) => q.retire.run(tenantId, oid).changes === 1,
  };
}
