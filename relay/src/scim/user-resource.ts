// A SCIM User (RFC 7643 §4.1 and the enterprise extension §4.3) and the directory's user row: which
// attributes fill the columns the trust screen, the sign-in and the policy read, and how a row reads
// back as a User. The attributes as provisioned are kept too, so a GET answers what was sent.
import { z } from 'zod';
import type { ScimUserRecord, ScimUserWrite } from '../directory/scim-store.js';
import { canonicalResource, schemaUris, userSpec } from './attributes.js';
import { issuesText, resourceSchema, withoutNulls } from './resource-schema.js';
import { badRequest, type ScimResult } from './scim-result.js';

const optText = z.string().nullish();
/** The attributes the columns take, typed: read after the table's checks have passed. */
const mapped = z.looseObject({
  schemas: z.array(z.string()),
  userName: z.string({ error: 'userName is required' }).trim().min(1, 'userName is required'),
  externalId: optText,
  displayName: optText,
  title: optText,
  active: z.boolean().nullish(),
  name: z.looseObject({ formatted: optText, givenName: optText, familyName: optText }).nullish(),
  photos: z.array(z.looseObject({ value: optText, primary: z.boolean().nullish() })).nullish(),
  [schemaUris.enterprise]: z.looseObject({ organization: optText }).nullish(),
});
const userBody = resourceSchema(userSpec).pipe(mapped);
export type UserBody = z.infer<typeof userBody>;

/** Kept by the row's own columns or never stored: not part of the attributes JSON. */
const notKept = new Set(['schemas', 'id', 'meta', 'groups', 'password', 'userName', 'externalId', 'active']);

/** A body (POST, PUT, or a patched resource) as a valid User, or why not (400 invalidValue). */
export function readUserBody(body: unknown): ScimResult<UserBody> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return badRequest('invalidSyntax', 'The body must be a JSON object.');
  const r = userBody.safeParse(canonicalResource(userSpec, body as Record<string, unknown>));
  return r.success ? { ok: true, value: r.data } : badRequest('invalidValue', issuesText(r.error));
}

type Multi = { value?: string | null | undefined; primary?: boolean | null | undefined }[] | null | undefined;
const primaryValue = (list: Multi): string | undefined => (list?.find((e) => e.primary) ?? list?.[0])?.value ?? undefined;

/** Only pictures a browser fetches safely on the trust screen: https, or an inline image. */
function safePhoto(url: string | undefined): string {
  if (!url) return '';
  if (/^data:image\/[a-z0-9.+-]+[;,]/i.test(url)) return url;
  try {
    return new URL(url).protocol === 'https:' ? url : '';
  } catch {
    return '';
  }
}

/** The columns and the kept attributes of a valid User. */
export function userWrite(user: UserBody): ScimUserWrite {
  const enterprise = user[schemaUris.enterprise];
  const given = [user.name?.givenName, user.name?.familyName].filter((n): n is string => !!n?.trim()).join(' ');
  const attributes = withoutNulls(Object.fromEntries(Object.entries(user).filter(([k]) => !notKept.has(k)))) as Record<string, unknown>;
  return {
    upn: user.userName,
    name: (user.displayName?.trim() || user.name?.formatted?.trim() || given || user.userName),
    jobTitle: user.title?.trim() ?? '',
    company: enterprise?.organization?.trim() ?? '',
    photoUrl: safePhoto(primaryValue(user.photos)),
    externalId: user.externalId ?? null,
    attributes,
  };
}

/** A directory user as a SCIM User. A row SCIM never wrote (an embedded or signed-in user) reads from its columns. */
export function userResource(r: ScimUserRecord, baseUrl: string): Record<string, unknown> {
  const attributes = r.attributes ?? withoutNulls({
    displayName: r.name,
    title: r.jobTitle || null,
    photos: r.photoUrl ? [{ value: r.photoUrl, type: 'photo', primary: true }] : null,
    [schemaUris.enterprise]: r.company ? { organization: r.company } : null,
  }) as Record<string, unknown>;
  return {
    schemas: schemaUris.enterprise in attributes ? [schemaUris.user, schemaUris.enterprise] : [schemaUris.user],
    id: r.oid,
    ...(r.externalId !== null ? { externalId: r.externalId } : {}),
    userName: r.upn,
    active: r.active,
    ...attributes,
    ...(r.groups.length ? { groups: r.groups.map((g) => ({ value: g.id, display: g.displayName, $ref: `${baseUrl}/Groups/${g.id}`, type: 'direct' })) } : {}),
    meta: {
      resourceType: 'User',
      ...(r.createdAt ? { created: r.createdAt } : {}),
      ...(r.updatedAt ? { lastModified: r.updatedAt } : {}),
      location: `${baseUrl}/Users/${r.oid}`,
    },
  };
}
