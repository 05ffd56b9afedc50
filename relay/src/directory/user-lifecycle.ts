// The life of a directory user beyond the embedded demo: people who sign in through Entra or an OpenID
// provider get a row the first time (matched by the provider's subject, or by UPN to a row SCIM made
// before they ever signed in), and a user can be disabled or deleted (admin view, SCIM). Whoever must
// act on a disabled user (the sessions, the sockets) listens here, so every way of disabling is heard.
//
// Listeners are this process's: a disabling on another node reaches this node's sockets through the
// Socket.IO adapter, not through the database.
import { randomUUID } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import { fail, ok, type Ack, type UserSource } from '#protocol';
import type { AnyTables, KeptDb } from '../sql/kept-db.js';
import { lastAdministrator, losesLastAdmin } from './admin-guard.js';
import { all, first, locksOf, parseList, run, type Runner } from './kept-sql.js';

export { userSources, type UserSource } from '#protocol';

/** What a verified token (and the provider's profile) says of a person who signed in. Fields left
 * undefined keep what the directory has (e.g. a job title SCIM provisioned that the token lacks). */
export interface SignedInProfile {
  /** The provider's id for the person: Entra's oid, an OpenID provider's sub. */
  subject: string;
  upn: string;
  name?: string | undefined;
  jobTitle?: string | undefined;
  company?: string | undefined;
  photoUrl?: string | undefined;
  /** Remote Help role names, already mapped from the token. */
  roles?: string[] | undefined;
  /** User group names, for role scopes and conditional access. */
  groups?: string[] | undefined;
}

export type UserListener = (tenantId: string, oid: string) => void;

export interface UserLifecycle {
  /** Enables or disables a user. Disabling tells every listener of onUserDisabled. `keepAnAdmin`: a
   * disabling that would leave the tenant without an active administrator (when the user was one) is
   * refused with `conflict` and the message `lastAdministrator`, checked in the same transaction. */
  setUserActive(tenantId: string, oid: string, active: boolean, opts?: GuardOptions): Promise<Ack<null>>;
  /** Deletes a user and their unused password links; listeners hear it as a disabling. `keepAnAdmin`: as for setUserActive. */
  deleteUser(tenantId: string, oid: string, opts?: GuardOptions): Promise<Ack<null>>;
  onUserDisabled(listener: UserListener): void;
  /** The row of a person who signed in through an outside provider, made or updated in one step. */
  linkSignedInUser(tenantId: string, source: Exclude<UserSource, 'embedded' | 'scim'>, profile: SignedInProfile): Promise<Ack<{ oid: string; active: boolean }>>;
}

export interface GuardOptions {
  keepAnAdmin?: boolean;
}

interface LinkRow { oid: string; tenant_id: string; subject: string | null; active: number; source: UserSource }

/** Writes a user's active flag inside the caller's transaction; answers whether it was a disabling to tell. */
export async function writeActive(db: Runner, tenantId: string, oid: string, active: boolean): Promise<boolean> {
  const changed = await run(db, sql`UPDATE users SET active = ${active ? 1 : 0} WHERE tenant_id = ${tenantId} AND oid = ${oid}`);
  return changed === 1 && !active;
}

/** The life cycle, and the telling of listeners for a disabling written in another part's transaction (SCIM's one-step edits). */
export function createUserLifecycle(kept: KeptDb): UserLifecycle & { tellDisabled(tenantId: string, oid: string): void } {
  const { db } = kept;
  const locks = locksOf(kept);
  const listeners: UserListener[] = [];
  // Told after the commit: a listener's work (ending sessions) never sees a change that could still roll back.
  const tell = (tenantId: string, oid: string): void => {
    for (const listener of listeners) listener(tenantId, oid);
  };
  const linkColumns = sql.raw('oid, tenant_id, subject, active, source');

  const link = async (trx: Transaction<AnyTables>, tenantId: string, source: UserSource, p: SignedInProfile): Promise<Ack<{ oid: string; active: boolean }>> => {
    const values = {
      subject: p.subject, upn: p.upn.trim(), name: p.name ?? null, jobTitle: p.jobTitle ?? null, company: p.company ?? null,
      photoUrl: p.photoUrl ?? null, roles: p.roles ? JSON.stringify(p.roles) : null, groups: p.groups ? JSON.stringify(p.groups) : null,
    };
    // COALESCE: what the sign-in does not say keeps the directory's value.
    const update = (oid: string) => run(trx, sql`UPDATE users SET subject = ${values.subject}, upn = ${values.upn},
        name = COALESCE(${values.name}, name), job_title = COALESCE(${values.jobTitle}, job_title),
        company = COALESCE(${values.company}, company), photo_url = COALESCE(${values.photoUrl}, photo_url),
        roles = COALESCE(${values.roles}, roles), groups = COALESCE(${values.groups}, groups)
      WHERE oid = ${oid}`);
    const known = await first(trx, sql<LinkRow>`SELECT ${linkColumns} FROM users WHERE tenant_id = ${tenantId} AND subject = ${p.subject}`);
    const sameUpn = await first(trx, sql<LinkRow>`SELECT ${linkColumns} FROM users WHERE lower(upn) = lower(${values.upn})`);
    // The messages say no more than that this account cannot be used: who else holds a name is not theirs to learn.
    const refused = fail<{ oid: string; active: boolean }>('conflict', 'This account cannot be used with Remote Help here. Ask your administrator.');
    if (sameUpn && sameUpn.tenant_id !== tenantId) return refused;
    if (known) {
      // A UPN renamed at the provider onto another row of this tenant would break UPN uniqueness.
      if (sameUpn && sameUpn.oid !== known.oid) return refused;
      await update(known.oid);
      return ok({ oid: known.oid, active: known.active === 1 });
    }
    // Provisioned by SCIM before the first sign-in: the row takes the provider's subject. Only such a row:
    // a row the embedded provider made (a password, an administrator's roles) is never someone else's by name.
    if (sameUpn) {
      if (sameUpn.subject !== null || sameUpn.source !== 'scim') return refused;
      await update(sameUpn.oid);
      // Provisioned again after a deletion: they are back.
      await run(trx, sql`DELETE FROM deleted_people WHERE tenant_id = ${tenantId} AND (subject = ${p.subject} OR lower(upn) = lower(${values.upn}))`);
      return ok({ oid: sameUpn.oid, active: sameUpn.active === 1 });
    }
    // Deleted (SCIM DELETE) while their tokens still work: not made again until provisioned again.
    const buried = await first(trx, sql<{ n: number }>`SELECT count(*) AS n FROM deleted_people
      WHERE tenant_id = ${tenantId} AND (subject = ${p.subject} OR lower(upn) = lower(${values.upn}))`);
    if (Number(buried?.n ?? 0) > 0) return fail('account-disabled', 'This account has been removed from the organization.');
    // A name at a domain another tenant verified is that tenant's to give, never taken first from here.
    const domain = values.upn.split('@')[1]?.toLowerCase() ?? '';
    const tenants = await all(trx, sql<{ id: string; verified_domains: string }>`SELECT id, verified_domains FROM tenants`);
    const owner = tenants.find((t) => parseList(t.verified_domains).includes(domain));
    if (owner && owner.id !== tenantId) return refused;
    const oid = randomUUID();
    await run(trx, sql`INSERT INTO users (oid, tenant_id, upn, name, job_title, company, photo_url, password_hash, roles, groups, source, subject)
      VALUES (${oid}, ${tenantId}, ${values.upn}, ${p.name ?? values.upn}, ${p.jobTitle ?? ''}, ${p.company ?? ''}, ${p.photoUrl ?? ''}, '',
        ${JSON.stringify(p.roles ?? [])}, ${JSON.stringify(p.groups ?? [])}, ${source}, ${p.subject})`);
    return ok({ oid, active: true });
  };

  return {
    tellDisabled: tell,
    async setUserActive(tenantId, oid, active, opts = {}) {
      // Check and write in one transaction under the tenant's lock: two administrators disabling each
      // other at once (on two nodes) cannot both pass the last-administrator check.
      const r = await db.transaction().execute(async (trx): Promise<Ack<null>> => {
        await locks.tenant(trx, tenantId);
        const was = await first(trx, sql<{ active: number }>`SELECT active FROM users WHERE tenant_id = ${tenantId} AND oid = ${oid}`);
        if (!was) return fail('not-found', 'No such user in this organization.');
        if (!active && opts.keepAnAdmin && await losesLastAdmin(trx, tenantId, oid)) return fail('conflict', lastAdministrator);
        await writeActive(trx, tenantId, oid, active);
        return ok(null);
      });
      if (r.ok && !active) tell(tenantId, oid);
      return r;
    },
    async deleteUser(tenantId, oid, opts = {}) {
      const gone = await db.transaction().execute(async (trx): Promise<Ack<null>> => {
        await locks.tenant(trx, tenantId);
        if (opts.keepAnAdmin && await losesLastAdmin(trx, tenantId, oid)) return fail('conflict', lastAdministrator);
        const row = await first(trx, sql<{ subject: string | null; upn: string; source: UserSource }>`SELECT subject, upn, source
          FROM users WHERE tenant_id = ${tenantId} AND oid = ${oid}`);
        // A person of an outside provider keeps valid tokens there: remembered, so they are not made again.
        if (row && row.source !== 'embedded') {
          await run(trx, sql`INSERT INTO deleted_people (tenant_id, subject, upn, deleted_at) VALUES (${tenantId}, ${row.subject}, ${row.upn}, ${Date.now()})`);
        }
        await run(trx, sql`DELETE FROM password_links WHERE tenant_id = ${tenantId} AND oid = ${oid}`);
        const deleted = await run(trx, sql`DELETE FROM users WHERE tenant_id = ${tenantId} AND oid = ${oid}`);
        return deleted === 1 ? ok(null) : fail('not-found', 'No such user in this organization.');
      });
      if (gone.ok) tell(tenantId, oid);
      return gone;
    },
    onUserDisabled(listener) {
      listeners.push(listener);
    },
    // Under the tenant's lock: two first sign-ins of one person on two nodes make one row.
    linkSignedInUser: (tenantId, source, profile) => db.transaction().execute(async (trx) => {
      await locks.tenant(trx, tenantId);
      return link(trx, tenantId, source, profile);
    }),
  };
}
