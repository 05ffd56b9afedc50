// The life of a directory user beyond the embedded demo: people who sign in through Entra or an OpenID
// provider get a row the first time (matched by the provider's subject, or by UPN to a row SCIM made
// before they ever signed in), and a user can be disabled or deleted (admin view, SCIM). Whoever must
// act on a disabled user (the sessions, the sockets) listens here, so every way of disabling is heard.
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { fail, ok, type Ack, type UserSource } from '#protocol';
import { lastAdministrator, losesLastAdmin } from './admin-guard.js';

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

/** The life cycle, and its active flag written in the caller's transaction (for SCIM's one-step edits). */
export function createUserLifecycle(db: Database.Database): UserLifecycle & { setActiveNow(tenantId: string, oid: string, active: boolean): void } {
  const listeners: UserListener[] = [];
  const q = {
    setActive: db.prepare('UPDATE users SET active = ? WHERE tenant_id = ? AND oid = ?'),
    active: db.prepare<[string, string], { active: number }>('SELECT active FROM users WHERE tenant_id = ? AND oid = ?'),
    deleteLinks: db.prepare('DELETE FROM password_links WHERE tenant_id = ? AND oid = ?'),
    deleteUser: db.prepare('DELETE FROM users WHERE tenant_id = ? AND oid = ?'),
    bySubject: db.prepare<[string, string], LinkRow>('SELECT oid, tenant_id, subject, active, source FROM users WHERE tenant_id = ? AND subject = ?'),
    byUpn: db.prepare<[string], LinkRow>('SELECT oid, tenant_id, subject, active, source FROM users WHERE upn = ?'),
    row: db.prepare<[string, string], { subject: string | null; upn: string; source: UserSource }>('SELECT subject, upn, source FROM users WHERE tenant_id = ? AND oid = ?'),
    bury: db.prepare('INSERT INTO deleted_people (tenant_id, subject, upn, deleted_at) VALUES (?, ?, ?, ?)'),
    buried: db.prepare<[string, string | null, string], { n: number }>(
      'SELECT count(*) AS n FROM deleted_people WHERE tenant_id = ? AND (subject = ? OR upn = ?)'),
    unbury: db.prepare('DELETE FROM deleted_people WHERE tenant_id = ? AND (subject = ? OR upn = ?)'),
    verifiedBy: db.prepare<[], { id: string; verified_domains: string }>('SELECT id, verified_domains FROM tenants'),
    insert: db.prepare(
      `INSERT INTO users (oid, tenant_id, upn, name, job_title, company, photo_url, password_hash, roles, groups, source, subject)
       VALUES (@oid, @tenantId, @upn, @name, @jobTitle, @company, @photoUrl, '', @roles, @groups, @source, @subject)`,
    ),
    // COALESCE: what the sign-in does not say keeps the directory's value.
    update: db.prepare(
      `UPDATE users SET subject = @subject, upn = @upn, name = COALESCE(@name, name), job_title = COALESCE(@jobTitle, job_title),
         company = COALESCE(@company, company), photo_url = COALESCE(@photoUrl, photo_url), roles = COALESCE(@roles, roles),
         groups = COALESCE(@groups, groups)
       WHERE oid = @oid`,
    ),
  };

  const tell = (tenantId: string, oid: string): void => {
    for (const listener of listeners) listener(tenantId, oid);
  };

  const link = db.transaction((tenantId: string, source: UserSource, p: SignedInProfile): Ack<{ oid: string; active: boolean }> => {
    const values = {
      subject: p.subject, upn: p.upn.trim(), name: p.name ?? null, jobTitle: p.jobTitle ?? null, company: p.company ?? null,
      photoUrl: p.photoUrl ?? null, roles: p.roles ? JSON.stringify(p.roles) : null, groups: p.groups ? JSON.stringify(p.groups) : null,
    };
    const known = q.bySubject.get(tenantId, p.subject);
    const sameUpn = q.byUpn.get(values.upn);
    // The messages say no more than that this account cannot be used: who else holds a name is not theirs to learn.
    const refused = fail<{ oid: string; active: boolean }>('conflict', 'This account cannot be used with Remote Help here. Ask your administrator.');
    if (sameUpn && sameUpn.tenant_id !== tenantId) return refused;
    if (known) {
      // A UPN renamed at the provider onto another row of this tenant would break UPN uniqueness.
      if (sameUpn && sameUpn.oid !== known.oid) return refused;
      q.update.run({ ...values, oid: known.oid });
      return ok({ oid: known.oid, active: known.active === 1 });
    }
    // Provisioned by SCIM before the first sign-in: the row takes the provider's subject. Only such a row:
    // a row the embedded provider made (a password, an administrator's roles) is never someone else's by name.
    if (sameUpn) {
      if (sameUpn.subject !== null || sameUpn.source !== 'scim') return refused;
      q.update.run({ ...values, oid: sameUpn.oid });
      // Provisioned again after a deletion: they are back.
      q.unbury.run(tenantId, p.subject, values.upn);
      return ok({ oid: sameUpn.oid, active: sameUpn.active === 1 });
    }
    // Deleted (SCIM DELETE) while their tokens still work: not made again until provisioned again.
    if (q.buried.get(tenantId, p.subject, values.upn)!.n > 0) return fail('account-disabled', 'This account has been removed from the organization.');
    // A name at a domain another tenant verified is that tenant's to give, never taken first from here.
    const domain = values.upn.split('@')[1]?.toLowerCase() ?? '';
    const owner = q.verifiedBy.all().find((t) => (JSON.parse(t.verified_domains) as string[]).includes(domain));
    if (owner && owner.id !== tenantId) return refused;
    const oid = randomUUID();
    q.insert.run({
      ...values, oid, tenantId, source, name: p.name ?? values.upn, jobTitle: p.jobTitle ?? '', company: p.company ?? '',
      photoUrl: p.photoUrl ?? '', roles: JSON.stringify(p.roles ?? []), groups: JSON.stringify(p.groups ?? []),
    });
    return ok({ oid, active: true });
  });

  return {
    setActiveNow(tenantId, oid, active) {
      q.setActive.run(active ? 1 : 0, tenantId, oid);
      // Told at once: a listener's work (ending sessions) starts after this synchronous transaction ends.
      if (!active) tell(tenantId, oid);
    },
    async setUserActive(tenantId, oid, active, opts = {}) {
      // Check and write in one transaction: two administrators disabling each other at once cannot both
      // pass the last-administrator check.
      const r = db.transaction((): Ack<null> => {
        const was = q.active.get(tenantId, oid);
        if (!was) return fail('not-found', 'No such user in this organization.');
        if (!active && opts.keepAnAdmin && losesLastAdmin(db, tenantId, oid)) return fail('conflict', lastAdministrator);
        q.setActive.run(active ? 1 : 0, tenantId, oid);
        return ok(null);
      })();
      if (r.ok && !active) tell(tenantId, oid);
      return r;
    },
    async deleteUser(tenantId, oid, opts = {}) {
      const gone = db.transaction((): Ack<null> => {
        if (opts.keepAnAdmin && losesLastAdmin(db, tenantId, oid)) return fail('conflict', lastAdministrator);
        const row = q.row.get(tenantId, oid);
        // A person of an outside provider keeps valid tokens there: remembered, so they are not made again.
        if (row && row.source !== 'embedded') q.bury.run(tenantId, row.subject, row.upn, Date.now());
        q.deleteLinks.run(tenantId, oid);
        return q.deleteUser.run(tenantId, oid).changes === 1 ? ok(null) : fail('not-found', 'No such user in this organization.');
      })();
      if (gone.ok) tell(tenantId, oid);
      return gone;
    },
    onUserDisabled(listener) {
      listeners.push(listener);
    },
    linkSignedInUser: async (tenantId, source, profile) => link(tenantId, source, profile),
  };
}
