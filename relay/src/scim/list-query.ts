// A list request's query (RFC 7644 §3.4.2): the filter, read by scim2-parse-filter; paging by startIndex
// (1-based) and count; attributes / excludedAttributes. An equality on an indexed attribute (how Entra
// looks a user up before it creates one) is handed to the database; any other filter is applied to the
// resources by the same library, names in any case, text compared as each attribute's caseExact says.
import { filter as filterFn, parse, type Filter } from 'scim2-parse-filter';
import { resolveAttrPath, type ResourceSpec } from './attributes.js';
import { foldFilter, foldResource } from './case-fold.js';
import { badRequest, type ScimResult } from './scim-result.js';

/** The most resources one page holds (ServiceProviderConfig filter.maxResults). */
export const maxPageSize = 200;
const defaultPageSize = 100;

export interface ListQuery<K extends string> {
  /** An equality the database answers; undefined with `test` set, or for no filter. */
  key: { attribute: K; value: string } | undefined;
  /** A filter the database does not answer, as a predicate over resources. */
  test: ((resource: Record<string, unknown>) => boolean) | undefined;
  offset: number;
  limit: number;
  /** 1-based, as answered in the ListResponse. */
  startIndex: number;
}

function whole(name: string, raw: string | undefined, fallback: number): ScimResult<number> {
  if (raw === undefined || raw.trim() === '') return { ok: true, value: fallback };
  const n = Number(raw);
  return Number.isInteger(n) ? { ok: true, value: n } : badRequest('invalidValue', `${name} must be an integer, got "${raw}".`);
}

/** Every attribute path the filter names, so an unknown one is refused rather than matching nothing silently. */
function attrPaths(f: Filter, prefix = ''): string[] {
  switch (f.op) {
    case 'and':
    case 'or':
      return f.filters.flatMap((c) => attrPaths(c, prefix));
    case 'not':
      return attrPaths(f.filter, prefix);
    case '[]':
      return attrPaths(f.valFilter, `${prefix}${f.attrPath}.`);
    default:
      return [`${prefix}${f.attrPath}`];
  }
}

export function readListQuery<K extends string>(
  spec: ResourceSpec, query: Record<string, string | string[] | undefined>, indexed: readonly K[],
): ScimResult<ListQuery<K>> {
  const one = (name: string) => {
    const v = Object.entries(query).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
    return Array.isArray(v) ? v[0] : v;
  };
  const start = whole('startIndex', one('startIndex'), 1);
  if (!start.ok) return start;
  const count = whole('count', one('count'), defaultPageSize);
  if (!count.ok) return count;
  // RFC 7644 §3.4.2.4: below 1 is read as 1; a negative count as 0.
  const startIndex = Math.max(1, start.value);
  const limit = Math.min(maxPageSize, Math.max(0, count.value));
  const paging = { offset: startIndex - 1, limit, startIndex };

  const text = one('filter');
  if (text === undefined || text.trim() === '') return { ok: true, value: { key: undefined, test: undefined, ...paging } };
  let ast: Filter;
  try {
    ast = parse(text);
  } catch (error) {
    return badRequest('invalidFilter', `The filter could not be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  const unknown = attrPaths(ast).filter((p) => !resolveAttrPath(spec, p));
  if (unknown.length) return badRequest('invalidFilter', `The filter names attributes this service does not have: ${unknown.join(', ')}.`);
  if (ast.op === 'eq' && typeof ast.compValue === 'string') {
    const name = resolveAttrPath(spec, ast.attrPath)?.keys.join('.');
    const attribute = indexed.find((k) => k === name);
    if (attribute) return { ok: true, value: { key: { attribute, value: ast.compValue }, test: undefined, ...paging } };
  }
  const matches = filterFn(foldFilter(spec, ast));
  return { ok: true, value: { key: undefined, test: (r) => matches(foldResource(spec, r)), ...paging } };
}

/** attributes / excludedAttributes (RFC 7644 §3.4.2.5) on top-level names; id and schemas always stay. */
export function projection(query: Record<string, string | string[] | undefined>): (resource: Record<string, unknown>) => Record<string, unknown> {
  const list = (name: string) => {
    const v = Object.entries(query).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
    const s = Array.isArray(v) ? v.join(',') : v;
    return s ? s.split(',').map((a) => a.trim().toLowerCase()).filter(Boolean) : [];
  };
  const only = list('attributes');
  const except = list('excludedAttributes');
  if (!only.length && !except.length) return (r) => r;
  const always = new Set(['id', 'schemas']);
  // "name.givenName" keeps "name"; an extension attribute keeps its extension.
  const topOf = (path: string) => (path.startsWith('urn:') ? path.slice(0, path.lastIndexOf(':')) : path.split('.')[0]!);
  const keep = new Set(only.map(topOf));
  return (r) => Object.fromEntries(Object.entries(r).filter(([k]) => {
    const key = k.toLowerCase();
    if (always.has(key)) return true;
    if (only.length) return keep.has(key) || only.includes(key) || key === 'meta';
    return !except.includes(key);
  }));
}

/** Whether a list must read the members of each group (Entra asks for groups with excludedAttributes=members). */
export function wantsMembers(query: Record<string, string | string[] | undefined>): boolean {
  const probe = projection(query)({ members: [] });
  return 'members' in probe;
}
