// /Users of one tenant: list, read, create, replace, patch, delete. Enabling and disabling go through
// the directory's user life cycle (setUserActive), and deleting through deleteUser, so a user SCIM
// disables or deletes has their live sessions ended (reason account-disabled) like any other.
import type { DirectoryStore } from '../directory/index.js';
import type { Edit, ScimUserEdit, ScimUserRecord } from '../directory/scim-store.js';
import type { Clock } from '../ports.js';
import { userSpec } from './attributes.js';
import { readListQuery } from './list-query.js';
import { pageOf, type ListResponse } from './list-response.js';
import { applyPatch } from './patch.js';
import { scimFail, type ScimFailure, type ScimResult } from './scim-result.js';
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
  const resourceOf = async (tenantId: string, oid: string): Promise<ScimResult<Resource>> => {
    const record = await directory.scimUser(tenantId, oid);
    return record ? { ok: true, value: userResource(record, baseUrl) } : notFound(oid);
  };

  /** Writes what `edit` makes of the stored user: read, edited and written (with the active flag) in one
   * directory step, so two requests at once never lose one another's change. */
  const update = async (tenantId: string, oid: string, edit: (current: ScimUserRecord) => ScimResult<UserBody>): Promise<ScimResult<Resource>> => {
    // The life cycle tells its listeners of a disabling: a disabled user's sessions end and their sockets close.
    // The edit's own failure is kept apart (`scim`), so it is answered as it is, not as the directory's.
    const written = await directory.updateScimUser(tenantId, oid, (current): Edit<ScimUserEdit, { scim: ScimFailure }> => {
      const user = edit(current);
      return user.ok ? { ok: true, value: { ...userWrite(user.value), active: user.value.active } } : { ok: false, error: { scim: user.error } };
    }, clock.now());
    if (!written.ok) {
      if ('scim' in written.error) return { ok: false, error: written.error.scim };
      return written.error.code === 'not-found' ? notFound(oid) : { ok: false, error: written.error };
    }
    return { ok: true, value: userResource(written.value, baseUrl) };
  };

  return {
    async list(tenantId: string, query: Query): Promise<ScimResult<ListResponse>> {
      const q = readListQuery(userSpec, query, ['id', 'userName', 'externalId'] as const);
      if (!q.ok) return q;
      return {
        ok: true,
        value: await pageOf(
          q.value,
          async (key) => {
            const { total, users } = await directory.scimUsers(tenantId, key, { offset: q.value.offset, limit: q.value.limit });
            return { total, resources: users.map((u) => userResource(u, baseUrl)) };
          },
          async () => (await directory.scimAllUsers(tenantId)).map((u) => userResource(u, baseUrl)),
        ),
      };
    },
    get: (tenantId: string, oid: string) => resourceOf(tenantId, oid),
    async create(tenantId: string, body: unknown): Promise<ScimResult<Resource>> {
      const user = readUserBody(body);
      if (!user.ok) return user;
      const created = await directory.createScimUser(tenantId, { ...userWrite(user.value), active: user.value.active ?? true }, clock.now());
      return created.ok ? { ok: true, value: userResource(created.value, baseUrl) } : created;
    },
    /** A whole User over an existing one; `active` left out keeps the user as enabled or disabled as they are. */
    async replace(tenantId: string, oid: string, body: unknown): Promise<ScimResult<Resource>> {
      const user = readUserBody(body);
      return user.ok ? update(tenantId, oid, () => user) : user;
    },
    async patch(tenantId: string, oid: string, body: unknown): Promise<ScimResult<Resource>> {
      return update(tenantId, oid, (current) => {
        const patched = applyPatch(userSpec, userResource(current, baseUrl), body);
        return patched.ok ? readUserBody(patched.value) : patched;
      });
    },
    async remove(tenantId: string, oid: string): Promise<ScimResult<null>> {
      const gone = await directory.deleteUser(tenantId, oid);
      return gone.ok ? gone : notFound(oid);
    },
  };
}

export type UserService = ReturnType<typeof createUserService>;
