// A SCIM Group (RFC 7643 §4.2) and the directory's provisioned group: a name, an externalId, and users
// of the same tenant as members (nested groups are not kept: role scopes name user groups only).
import { z } from 'zod';
import type { ScimGroupRecord, ScimGroupWrite } from '../directory/scim-store.js';
import { canonicalResource, groupSpec, schemaUris } from './attributes.js';
import { issuesText, resourceSchema } from './resource-schema.js';
import { badRequest, type ScimResult } from './scim-result.js';

const groupBody = resourceSchema(groupSpec).pipe(z.looseObject({
  schemas: z.array(z.string()),
  displayName: z.string({ error: 'displayName is required' }).trim().min(1, 'displayName is required'),
  externalId: z.string().nullish(),
  members: z.array(z.looseObject({ value: z.string({ error: 'a member needs a value (the user\'s id)' }).min(1) })).nullish(),
}));

/** A body (POST, PUT, or a patched resource) as the group to store, or why not (400 invalidValue). */
export function readGroupBody(body: unknown): ScimResult<ScimGroupWrite> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return badRequest('invalidSyntax', 'The body must be a JSON object.');
  const r = groupBody.safeParse(canonicalResource(groupSpec, body as Record<string, unknown>));
  if (!r.success) return badRequest('invalidValue', issuesText(r.error));
  return {
    ok: true,
    value: {
      displayName: r.data.displayName,
      externalId: r.data.externalId ?? null,
      members: [...new Set((r.data.members ?? []).map((m) => m.value))],
    },
  };
}

export function groupResource(g: ScimGroupRecord, baseUrl: string): Record<string, unknown> {
  return {
    schemas: [schemaUris.group],
    id: g.id,
    ...(g.externalId !== null ? { externalId: g.externalId } : {}),
    displayName: g.displayName,
    ...(g.members?.length ? { members: g.members.map((m) => ({ value: m.oid, display: m.name, $ref: `${baseUrl}/Users/${m.oid}`, type: 'User' })) } : {}),
    meta: { resourceType: 'Group', created: g.createdAt, lastModified: g.updatedAt, location: `${baseUrl}/Groups/${g.id}` },
  };
}
