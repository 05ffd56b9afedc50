// The tenant keeps an active Remote Help Administrator: checked inside the transaction of a change that
// could take the last one away (disabling, deleting, an import's new roles), so two administrators
// acting at once cannot both pass the check.
import type Database from 'better-sqlite3';
import type { RoleDefinition } from '#protocol';
import { isAdmin } from '../policy/permissions.js';

/** The message of the `conflict` such a change is refused with; the admin service says it in the administrator's language. */
export const lastAdministrator = 'The organization would have no active Remote Help Administrator left.';

/** A change refused because it would leave no active administrator (its transaction rolled back). */
export class LastAdministratorError extends Error {
  constructor() {
    super(lastAdministrator);
  }
}

/** Whether an active user of the tenant (other than `except`) holds an admin role, by today's role definitions. */
export function tenantKeepsAnAdmin(db: Database.Database, tenantId: string, except?: string): boolean {
  const definitions = db.prepare<[string], { definition: string }>('SELECT definition FROM roles WHERE tenant_id = ?')
    .all(tenantId).map((r) => JSON.parse(r.definition) as RoleDefinition);
  return db.prepare<[string], { oid: string; roles: string }>('SELECT oid, roles FROM users WHERE tenant_id = ? AND active = 1')
    .all(tenantId)
    .some((u) => u.oid !== except && isAdmin(JSON.parse(u.roles) as string[], definitions));
}

/** Whether taking `oid` away (disabling, deleting) would leave no active administrator: they are one, and the only one. */
export function losesLastAdmin(db: Database.Database, tenantId: string, oid: string): boolean {
  const definitions = db.prepare<[string], { definition: string }>('SELECT definition FROM roles WHERE tenant_id = ?')
    .all(tenantId).map((r) => JSON.parse(r.definition) as RoleDefinition);
  const user = db.prepare<[string, string], { roles: string; active: number }>('SELECT roles, active FROM users WHERE tenant_id = ? AND oid = ?').get(tenantId, oid);
  return user?.active === 1 && isAdmin(JSON.parse(user.roles) as string[], definitions) && !tenantKeepsAnAdmin(db, tenantId, oid);
}
