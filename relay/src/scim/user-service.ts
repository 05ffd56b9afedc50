// /Users of one tenant: list, read, create, replace, patch, delete. Enabling and disabling go through
// the directory's user life cycle (setUserActive), and deleting through deleteUser, so a user SCIM
// disables or deletes has their live sessions ended (reason account-disabled) like any other.
import type { DirectoryStore } from '../directory/index.js';
import type { Clock } from '../ports.js';
import { userSpec } from './attributes.js';
import { readListQuery } from './list-query.js';
import { pageOf, type ListResponse } from './list-response.js';
import { applyPatch } from './patch.js';
import { scimFail, type ScimResult } from './scim-result.js';
import { readUserBody, userResource, userWrite, type UserBody } from './user-resource.js';

export interface ScimServiceDeps {
  directory: DirectoryStore;
  clock: Clock;
  /** https://HOST/scim/v2: where meta.location points. */
  baseUrl: string;
}

type Resource = Record<string, unknown>;
type Query = Record<string, string | string[] | undefined>;

export function createUserService({ directory, clock, baseUrl }: ScimServiceDeps) {
  const notFound = (id: string) => scimFail('not-found', undefined, `No user ${id} in this organization.`);
  const resourceOf = (tenantId: string, oid: string): ScimResult<Resource> => {
    const record = directory.scimUser(tenantId, oid);
    return record ? { ok: true, value: userResource(record, baseUrl) } : notFound(oid);
  };

  /** Writes a whole User over an existing one; `active` left out keeps the user as enabled or disabled as they are. */
  const replaceWith = (tenantId: string, oid: string, user: UserBody): ScimResult<Resource> => {
    const before = directory.scimUser(tenantId, oid);
    if (!before) return notFound(oid);
    const written = directory.replaceScimUser(tenantId, oid, userWrite(user), clock.now());
    if (!written.ok) return written;
    if (user.active !== undefined && user.active !== null && user.active !== before.active) {
      // The life cycle tells its listeners: a disabled user's sessions end and their sockets close.
      const changed = directory.setUserActive(tenantId, oid, user.active);
      if (!changed.ok) return changed;
    }
    return resourceOf(tenantId, oid);
  };

  return {
    list(tenantId: string, query: Query): ScimResult<ListResponse> {
      const q = readListQuery(userSpec, query, ['id', 'userName', 'externalId'] as const);
      if (!q.ok) return q;
      return {
        ok: true,
        value: pageOf(
          q.value,
          (key) => {
            const { total, users } = directory.scimUsers(tenantId, key, { offset: q.value.offset, limit: q.value.limit });
            return { total, resources: users.map((u) => userResource(u, baseUrl)) };
          },
          () => directory.scimAllUsers(tenantId).map((u) => userResource(u, baseUrl)),
        ),
      };
    },
    get: (tenantId: string, oid: string) => resourceOf(tenantId, oid),
    create(tenantId: string, body: unknown): ScimResult<Resource> {
      const user = readUserBody(body);
      if (!user.ok) return user;
      const created = directory.createScimUser(tenantId, { ...userWrite(user.value), active: user.value.active ?? true }, clock.now());
      return created.ok ? { ok: true, value: userResource(created.value, baseUrl) } : created;
    },
    replace(tenantId: string, oid: string, body: unknown): ScimResult<Resource> {
      const user = readUserBody(body);
      return user.ok ? replaceWith(tenantId, oid, user.value) : user;
    },
    patch(tenantId: string, oid: string, body: unknown): ScimResult<Resource> {
      const current = resourceOf(tenantId, oid);
      if (!current.ok) return current;
      const patched = applyPatch(userSpec, current.value, body);
      if (!patched.ok) return patched;
      const user = readUserBody(patched.value);
      return user.ok ? replaceWith(tenantId, oid, user.value) : user;
    },
    remove(tenantId: string, oid: string): ScimResult<null> {
      const gone = directory.deleteUser(tenantId, oid);
      return gone.ok ? gone : notFound(oid);
    },
  };
}

export type UserService = ReturnType<typeof createUserService>;
