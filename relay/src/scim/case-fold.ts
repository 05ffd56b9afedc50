// Filters compare text case-insensitively unless the attribute is caseExact (RFC 7643 §2.2, §7: userName,
// displayName, emails … are not; id and externalId are). The filter library compares strictly, so the
// filter's values and the resource's values of such attributes are both lower-cased before it tests.
import type { Filter } from 'scim2-parse-filter';
import { isCaseExact, type AttributeSpec, type ResourceSpec } from './attributes.js';

export function foldFilter(spec: ResourceSpec, f: Filter, prefix = ''): Filter {
  switch (f.op) {
    case 'and':
    case 'or':
      return { ...f, filters: f.filters.map((c) => foldFilter(spec, c, prefix)) };
    case 'not':
      return { ...f, filter: foldFilter(spec, f.filter, prefix) };
    case '[]':
      return { ...f, valFilter: foldFilter(spec, f.valFilter, `${prefix}${f.attrPath}.`) };
    case 'pr':
      return f;
    default:
      return typeof f.compValue === 'string' && !isCaseExact(spec, `${prefix}${f.attrPath}`) ? { ...f, compValue: f.compValue.toLowerCase() } : f;
  }
}

function foldValue(attr: AttributeSpec | undefined, value: unknown, attrs?: readonly AttributeSpec[]): unknown {
  if (Array.isArray(value)) return value.map((v) => foldValue(attr, v, attrs));
  if (typeof value === 'string') return attr && attr.type === 'string' && !attr.caseExact ? value.toLowerCase() : value;
  if (typeof value !== 'object' || value === null) return value;
  const subs = attrs ?? attr?.subAttributes ?? [];
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, foldValue(subs.find((s) => s.name === k), v)]));
}

/** A copy of a (canonical) resource with the text of case-insensitive attributes lower-cased. */
export function foldResource(spec: ResourceSpec, resource: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(resource).map(([k, v]) => {
    const extension = spec.extensions[k];
    return [k, extension ? foldValue(undefined, v, extension) : foldValue(spec.attributes.find((a) => a.name === k), v)];
  }));
}
