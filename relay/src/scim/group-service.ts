// /Groups of one tenant: list, read, create, replace, patch (members added and removed in the forms
// Entra sends: "members" with a value list, or `members[value eq "…"]`), delete. The directory keeps
// each member's users.groups in step in the same transaction.
import type { WireError } from '#protocol';
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
    list(tenantId: string, query: Query): ScimResult<ListResponse> {
      const q = readListQuery(groupSpec, query, ['id', 'displayName', 'externalId'] as const);
      if (!q.ok) return q;
      // A filter on members needs them; otherwise a big group is read only when asked for.
      const members = wantsMembers(query) || q.value.test !== undefined;
      return {
        ok: true,
        value: pageOf(
          q.value,
          (key) => {
            const { total, groups } = directory.scimGroups(tenantId, key, { offset: q.value.offset, limit: q.value.limit }, members);
            return { total, resources: groups.map((g) => groupResource(g, baseUrl)) };
          },
          () => directory.scimAllGroups(tenantId, members).map((g) => groupResource(g, baseUrl)),
        ),
      };
    },
    get(tenantId: string, id: string, query: Query): ScimResult<Resource> {
      const group = directory.scimGroup(tenantId, id, wantsMembers(query));
      return group ? { ok: true, value: groupResource(group, baseUrl) } : notFound(id);
    },
    create(tenantId: string, body: unknown): ScimResult<Resource> {
      const group = readGroupBody(body);
      if (!group.ok) return group;
      const created = directory.createScimGroup(tenantId, group.value, clock.now());
      return created.ok ? { ok: true, value: groupResource(created.value, baseUrl) } : withScimType(created);
    },
    replace(tenantId: string, id: string, body: unknown): ScimResult<Resource> {
      const group = readGroupBody(body);
      if (!group.ok) return group;
      const written = directory.replaceScimGroup(tenantId, id, group.value, clock.now());
      return written.ok ? { ok: true, value: groupResource(written.value, baseUrl) } : withScimType(written);
    },
    /** Answers nothing on success (204): a group of thousands is not sent back for each member added. */
    patch(tenantId: string, id: string, body: unknown): ScimResult<null> {
      const before = directory.scimGroup(tenantId, id, true);
      if (!before) return notFound(id);
      // Members as their ids only: a removal by value finds them whatever else the client put in the item.
      const current = {
        schemas: [schemaUris.group], id: before.id, displayName: before.displayName,
        ...(before.externalId !== null ? { externalId: before.externalId } : {}),
        members: (before.members ?? []).map((m) => ({ value: m.oid })),
      };
      const patched = applyPatch(groupSpec, current, body);
      if (!patched.ok) return patched;
      const group = readGroupBody(patched.value);
      if (!group.ok) return group;
      const written = directory.replaceScimGroup(tenantId, id, group.value, clock.now());
      return written.ok ? { ok: true, value: null } : withScimType(written);
    },
    remove(tenantId: string, id: string): ScimResult<null> {
      const gone = directory.deleteScimGroup(tenantId, id);
      return gone.ok ? gone : notFound(id);
    },
  };
}

/** A member who is not a user of the tenant is a bad value (400 invalidValue), not a bad request shape. */
function withScimType(r: { ok: false; error: WireError }): { ok: false; error: ScimFailure } {
  return r.error.code === 'validation' ? scimFail('validation', 'invalidValue', r.error.message) : r;
}

export type GroupService = ReturnType<typeof createGroupService>;
