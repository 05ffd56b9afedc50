// From a provider's claims to what Remote Help knows of a person: the claim names are the operator's
// (DESIGN §11 `claims`), the role values are mapped to the tenant's roles (`roles.map`), and a value
// that names one of the tenant's roles by its id or name is that role. Anything else is dropped.
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

/** The role names of a tenant that the claim's values stand for, each once, in the tenant's order. */
export function mapRoles(values: readonly string[], mapping: RoleMapping, tenantRoles: readonly RoleDefinition[]): string[] {
  const lowerMap = new Map(Object.entries(mapping.map ?? {}).map(([k, v]) => [k.toLowerCase(), v.toLowerCase()]));
  const wanted = new Set<string>();
  for (const value of values) {
    const v = value.toLowerCase();
    const mapped = lowerMap.get(v);
    if (mapped) wanted.add(mapped);
    else wanted.add(v);
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
