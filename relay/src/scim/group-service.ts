// /Groups of one tenant: list, read, create, replace, patch (members added and removed in the forms
// Entra sends: "members" with a value list, or `members[value eq "…"]`), delete. The directory keeps
// each member's users.groups in step in the same transaction.
import type { WireError } from '#protocol';
import type { Edit, ScimGroupWrite } from '../directory/scim-store.js';
import { groupSpec, schemaUris } from './attributes.js';
import { groupResource, readGroupBody } from './group-resource.js';
import { readListQuery, wantsMembers } from './list-query.js';
import { pageOf, type ListResponse } from './list-response.js';
import { applyPatch } from './patch.js';
import { scimFail, type ScimFailure, type ScimResult } from './scim-result.js';
import type { ScimServiceDeps } from './user-service.js';

type Resource = Record<string, unknown>;
type Query = Record<string, string | string[] | undefined>;

export function createGroupService({ directory, clock, baseUrl }: ScimServiceDeps) {
  const notFound = (id: string) => scimFail('not-found', undefined, `No group ${id} in this organization.`);

  return {
    async list(tenantId: string, query: Query): Promise<ScimResult<ListResponse>> {
      const q = readListQuery(groupSpec, query, ['id', 'displayName', 'externalId'] as const);
      if (!q.ok) return q;
      // A filter on members needs them; otherwise a big group is read only when asked for.
      const members = wantsMembers(query) || q.value.test !== undefined;
      return {
        ok: true,
        value: await pageOf(
          q.value,
          async (key) => {
            const { total, groups } = await directory.scimGroups(tenantId, key, { offset: q.value.offset, limit: q.value.limit }, members);
            return { total, resources: groups.map((g) => groupResource(g, baseUrl)) };
          },
          async () => (await directory.scimAllGroups(tenantId, members)).map((g) => groupResource(g, baseUrl)),
        ),
      };
    },
    async get(tenantId: string, id: string, query: Query): Promise<ScimResult<Resource>> {
      const group = await directory.scimGroup(tenantId, id, wantsMembers(query));
      return group ? { ok: true, value: groupResource(group, baseUrl) } : notFound(id);
    },
    async create(tenantId: string, body: unknown): Promise<ScimResult<Resource>> {
      const group = readGroupBody(body);
      if (!group.ok) return group;
      const created = await directory.createScimGroup(tenantId, group.value, clock.now());
      return created.ok ? { ok: true, value: groupResource(created.value, baseUrl) } : withScimType(created);
    },
    async replace(tenantId: string, id: string, body: unknown): Promise<ScimResult<Resource>> {
      const group = readGroupBody(body);
      if (!group.ok) return group;
      const written = await directory.replaceScimGroup(tenantId, id, group.value, clock.now());
      return written.ok ? { ok: true, value: groupResource(written.value, baseUrl) } : withScimType(written);
    },
    /** Answers nothing on success (204): a group of thousands is not sent back for each member added.
     * Read, patched and written in one directory step: members added by two PATCHes at once are both kept. */
    async patch(tenantId: string, id: string, body: unknown): Promise<ScimResult<null>> {
      // The patch's own failure is kept apart (`scim`), so it is answered as it is, not as the directory's.
      const written = await directory.updateScimGroup(tenantId, id, (before): Edit<ScimGroupWrite, { scim: ScimFailure }> => {
        // Members as their ids only: a removal by value finds them whatever else the client put in the item.
        const current = {
          schemas: [schemaUris.group], id: before.id, displayName: before.displayName,
          ...(before.externalId !== null ? { externalId: before.externalId } : {}),
          members: (before.members ?? []).map((m) => ({ value: m.oid })),
        };
        const patched = applyPatch(groupSpec, current, body);
        const group = patched.ok ? readGroupBody(patched.value) : patched;
        return group.ok ? group : { ok: false, error: { scim: group.error } };
      }, clock.now());
      if (written.ok) return { ok: true, value: null };
      if ('scim' in written.error) return { ok: false, error: written.error.scim };
      return written.error.code === 'not-found' ? notFound(id) : withScimType({ ok: false, error: written.error });
    },
    async remove(tenantId: string, id: string): Promise<ScimResult<null>> {
      const gone = await directory.deleteScimGroup(tenantId, id);
      return gone.ok ? gone : notFound(id);
    },
  };
}

/** A member who is not a user of the tenant is a bad value (400 invalidValue), not a bad request shape. */
function withScimType(r: { ok: false; error: WireError }): { ok: false; error: ScimFailure } {
  return r.error.code === 'validation' ? scimFail('validation', 'invalidValue', r.error.message) : r;
}

export type GroupService = ReturnType<typeof createGroupService>;
