// The tenant keeps an active Remote Help Administrator: checked inside the transaction of a change that
// could take the last one away (disabling, deleting, an import's new roles), so two administrators
// acting at once cannot both pass the check.
import { sql } from 'kysely';
import type { RoleDefinition } from '#protocol';
import { isAdmin } from '../policy/permissions.js';
import { all, first, parseList, type Runner } from './kept-sql.js';

/** The message of the `conflict` such a change is refused with; the admin service says it in the administrator's language. */
export const lastAdministrator = 'The organization would have no active Remote Help Administrator left.';

/** A change refused because it would leave no active administrator (its transaction rolled back). */
export class LastAdministratorError extends Error {
  constructor() {
    super(lastAdministrator);
  }
}

const definitions = async (db: Runner, tenantId: string): Promise<RoleDefinition[]> =>
  (await all(db, sql<{ definition: string }>`SELECT definition FROM roles WHERE tenant_id = ${tenantId}`))
    .map((r) => JSON.parse(r.definition) as RoleDefinition);

/** Whether an active user of the tenant (other than `except`) holds an admin role, by today's role definitions.
 * Called inside the change's transaction, after the tenant's lock (kept-sql.ts). */
export async function tenantKeepsAnAdmin(db: Runner, tenantId: string, except?: string): Promise<boolean> {
  const roles = await definitions(db, tenantId);
  return (await all(db, sql<{ oid: string; roles: string }>`SELECT oid, roles FROM users WHERE tenant_id = ${tenantId} AND active = 1`))
    .some((u) => u.oid !== except && isAdmin(parseList(u.roles), roles));
}

/** Whether taking `oid` away (disabling, deleting) would leave no active administrator: they are one, and the only one. */
export async function losesLastAdmin(db: Runner, tenantId: string, oid: string): Promise<boolean> {
  const user = await first(db, sql<{ roles: string; active: number }>`SELECT roles, active FROM users WHERE tenant_id = ${tenantId} AND oid = ${oid}`);
  if (user?.active !== 1) return false;
  return isAdmin(parseList(user.roles), await definitions(db, tenantId)) && !(await tenantKeepsAnAdmin(db, tenantId, oid));
}
