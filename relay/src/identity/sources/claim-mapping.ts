// From a provider's claims to what Remote Help knows of a person: the claim names are the operator's
// (DESIGN §11 `claims`), and the role values are mapped to the tenant's roles (`roles.map`); only
// Entra's administrator-assigned app roles may name a role directly. Anything else is dropped.
import type { RoleDefinition } from '#protocol';

export interface ClaimNames {
  upn?: string | undefined;
  name?: string | undefined;
  jobTitle?: string | undefined;
  company?: string | undefined;
  picture?: string | undefined;
  groups?: string | undefined;
}

export interface RoleMapping {
  claim: string;
  map?: Record<string, string> | undefined;
}

export type Claims = Record<string, unknown>;

export function claimString(claims: Claims, name: string | undefined): string | undefined {
  if (!name) return undefined;
  const v = claims[name];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/** A claim that holds a list (or one string, as some providers send a single group). */
export function claimList(claims: Claims, name: string | undefined): string[] | undefined {
  if (!name) return undefined;
  const v = claims[name];
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return undefined;
}

/**
 * The role names of a tenant that the claim's values stand for, each once, in the tenant's order. With a
 * `map`, only mapped values count: a group a user may name or create (many providers let them) must never
 * become a role by its name. Without one, a value naming a role by its id or name counts only when the
 * claim is administrator-assigned (`trusted`: Entra's app roles), never for an OpenID provider's groups.
 */
export function mapRoles(values: readonly string[], mapping: RoleMapping, tenantRoles: readonly RoleDefinition[], trusted: boolean): string[] {
  const wanted = new Set<string>();
  if (mapping.map) {
    const lowerMap = new Map(Object.entries(mapping.map).map(([k, v]) => [k.toLowerCase(), v.toLowerCase()]));
    for (const value of values) {
      const mapped = lowerMap.get(value.toLowerCase());
      if (mapped) wanted.add(mapped);
    }
  } else if (trusted) {
    for (const value of values) wanted.add(value.toLowerCase());
  }
  return tenantRoles.filter((r) => wanted.has(r.name.toLowerCase()) || wanted.has(r.id.toLowerCase())).map((r) => r.name);
}

/** Only addresses a browser may load on a trust screen: https, or an inline image. */
export function safePicture(url: string | undefined): string | undefined {
  if (!url) return undefined;
  if (url.startsWith('data:image/')) return url;
  try {
    return new URL(url).protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}
