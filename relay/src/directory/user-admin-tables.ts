// The directory writes of an embedded tenant's user management (admin view, CSV import): users made or
// updated in one transaction with a set-password link for each new one, and a password retired when an
// administrator resets it. A new user has no password (an empty hash, which no sign-in matches) until
// they choose one through their link: nobody else ever knows it, and no scrypt is spent per row.
import { randomUUID } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { AnyTables, KeptDb } from '../sql/kept-db.js';
import { LastAdministratorError, tenantKeepsAnAdmin } from './admin-guard.js';
import { initialsAvatar } from './avatar.js';
import { first, locksOf, run } from './kept-sql.js';

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

/** Makes a set-password link inside the caller's transaction (sqlite-directory.ts). */
export type LinkMaker = (trx: Transaction<AnyTables>, tenantId: string, oid: string, now: number, lifetimeMs: number) => Promise<string>;

export function createUserAdminTables(kept: KeptDb, createPasswordLink: LinkMaker): UserAdminTables {
  const { db } = kept;
  const locks = locksOf(kept);
  return {
    // All or nothing, under the tenant's lock: the last-administrator check sees every write above it and
    // no other node's change to the tenant's users meanwhile.
    saveManagedUsers: (tenantId, users, now, lifetimeMs, opts) => db.transaction().execute(async (trx) => {
      await locks.tenant(trx, tenantId);
      const out: SavedUsers = { created: [], updated: [] };
      for (const u of users) {
        const roles = JSON.stringify([...new Set(u.roles)]);
        const existing = await first(trx, sql<{ oid: string; tenant_id: string }>`SELECT oid, tenant_id FROM users WHERE lower(upn) = lower(${u.upn})`);
        if (existing && existing.tenant_id !== tenantId) throw new Error(`${u.upn} belongs to another tenant`);
        if (existing) {
          await run(trx, sql`UPDATE users SET name = ${u.name}, job_title = ${u.jobTitle}, company = ${u.company}, roles = ${roles}
            WHERE oid = ${existing.oid} AND tenant_id = ${tenantId}`);
          out.updated.push({ oid: existing.oid, upn: u.upn });
          continue;
        }
        const oid = randomUUID();
        await run(trx, sql`INSERT INTO users (oid, tenant_id, upn, name, job_title, company, photo_url, password_hash, roles, groups, source)
          VALUES (${oid}, ${tenantId}, ${u.upn}, ${u.name}, ${u.jobTitle}, ${u.company}, ${initialsAvatar(u.name)}, '', ${roles}, '[]', 'embedded')`);
        out.created.push({ oid, upn: u.upn, name: u.name, token: await createPasswordLink(trx, tenantId, oid, now, lifetimeMs) });
      }
      // Thrown, so the transaction rolls back everything written above.
      if (opts?.keepAnAdmin === true && !(await tenantKeepsAnAdmin(trx, tenantId))) throw new LastAdministratorError();
      return out;
    }),
    retirePassword: async (tenantId, oid) => (await run(db, sql`UPDATE users SET password_hash = '' WHERE tenant_id = ${tenantId} AND oid = ${oid}`)) === 1,
  };
}
