// The SCIM attributes this service knows (RFC 7643 §4.1 User, §4.2 Group, §4.3 the enterprise User
// extension), in one table that serves three purposes: the /Schemas answer, the case-insensitive
// reading of attribute names (RFC 7643 §2.1: "Attribute names are case insensitive"), and the types a
// body is checked against. An attribute outside the table is not stored: nothing unknown reaches the
// database or the PATCH engine (no "__proto__" path can be walked).

export interface AttributeSpec {
  name: string;
  type: 'string' | 'boolean' | 'complex' | 'reference' | 'dateTime' | 'binary';
  multiValued?: boolean;
  required?: boolean;
  caseExact?: boolean;
  mutability?: 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
  returned?: 'always' | 'never' | 'default';
  uniqueness?: 'none' | 'server';
  /** Longest accepted text; 4096 characters when not given. */
  maxLength?: number;
  subAttributes?: AttributeSpec[];
  description?: string;
}

export const schemaUris = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  enterprise: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  listResponse: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  patchOp: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  error: 'urn:ietf:params:scim:api:messages:2.0:Error',
  serviceProviderConfig: 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig',
  resourceType: 'urn:ietf:params:scim:schemas:core:2.0:ResourceType',
  schema: 'urn:ietf:params:scim:schemas:core:2.0:Schema',
} as const;

const text = (name: string, extra: Partial<AttributeSpec> = {}): AttributeSpec => ({ name, type: 'string', ...extra });
const flag = (name: string): AttributeSpec => ({ name, type: 'boolean' });
/** The shape of emails, phoneNumbers, ims, photos, entitlements, roles, x509Certificates (RFC 7643 §2.4). */
const multi = (name: string, value: Partial<AttributeSpec> = {}, more: AttributeSpec[] = []): AttributeSpec => ({
  name, type: 'complex', multiValued: true,
  subAttributes: [text('value', value), text('display'), text('type'), flag('primary'), ...more],
});
const readOnlyRef = (name: string, multiValued: boolean): AttributeSpec => ({
  name, type: 'complex', multiValued, mutability: 'readOnly',
  subAttributes: [text('value', { mutability: 'readOnly' }), { name: '$ref', type: 'reference', mutability: 'readOnly' }, text('display', { mutability: 'readOnly' }), text('type', { mutability: 'readOnly' })],
});

/** id, externalId and meta: on every resource (RFC 7643 §3.1). */
const common: AttributeSpec[] = [
  text('id', { caseExact: true, mutability: 'readOnly', returned: 'always', uniqueness: 'server' }),
  text('externalId', { caseExact: true, maxLength: 256 }),
  {
    name: 'meta', type: 'complex', mutability: 'readOnly',
    subAttributes: [text('resourceType'), { name: 'created', type: 'dateTime' }, { name: 'lastModified', type: 'dateTime' }, { name: 'location', type: 'reference' }, text('version')],
  },
];

export const userAttributes: AttributeSpec[] = [
  ...common,
  text('userName', { required: true, uniqueness: 'server', maxLength: 256, description: 'The user principal name (UPN); unique across organizations.' }),
  {
    name: 'name', type: 'complex',
    subAttributes: ['formatted', 'familyName', 'givenName', 'middleName', 'honorificPrefix', 'honorificSuffix'].map((n) => text(n)),
  },
  text('displayName', { description: 'The name on the trust screen.' }),
  text('nickName'),
  { name: 'profileUrl', type: 'reference' },
  text('title', { description: 'The job title on the trust screen.' }),
  text('userType'),
  text('preferredLanguage'),
  text('locale'),
  text('timezone'),
  { ...flag('active'), description: 'False: the user cannot sign in, and their live sessions end.' },
  text('password', { mutability: 'writeOnly', returned: 'never', description: 'Not stored: provisioned users sign in at their identity provider.' }),
  multi('emails'),
  multi('phoneNumbers'),
  multi('ims'),
  multi('photos', { type: 'reference', maxLength: 256 * 1024 }),
  {
    name: 'addresses', type: 'complex', multiValued: true,
    subAttributes: [...['formatted', 'streetAddress', 'locality', 'region', 'postalCode', 'country', 'type'].map((n) => text(n)), flag('primary')],
  },
  readOnlyRef('groups', true),
  multi('entitlements'),
  multi('roles'),
  multi('x509Certificates', { type: 'binary', maxLength: 64 * 1024 }),
];

export const enterpriseAttributes: AttributeSpec[] = [
  text('employeeNumber'),
  text('costCenter'),
  text('organization', { description: 'The company on the trust screen.' }),
  text('division'),
  text('department'),
  {
    name: 'manager', type: 'complex',
    subAttributes: [text('value'), { name: '$ref', type: 'reference' }, text('displayName', { mutability: 'readOnly' })],
  },
];

export const groupAttributes: AttributeSpec[] = [
  ...common,
  text('displayName', { required: true, maxLength: 256, uniqueness: 'server', description: 'The group name role scopes and conditional access use.' }),
  {
    name: 'members', type: 'complex', multiValued: true,
    subAttributes: [
      text('value', { mutability: 'immutable' }), { name: '$ref', type: 'reference', mutability: 'immutable' },
      text('display', { mutability: 'readOnly' }), text('type', { mutability: 'immutable' }),
    ],
  },
];

/** A resource type's core attributes and its extensions by schema URI. */
export interface ResourceSpec {
  core: string;
  attributes: AttributeSpec[];
  extensions: Record<string, AttributeSpec[]>;
  /** Multi-valued attributes whose items are known by one sub-attribute alone: a member is its user id,
   * whatever "display" or "$ref" a client adds, so removing {value, $ref: null} finds {value}. */
  identifiedBy: Record<string, string>;
}
export const userSpec: ResourceSpec = {
  core: schemaUris.user, attributes: userAttributes, extensions: { [schemaUris.enterprise]: enterpriseAttributes }, identifiedBy: {},
};
export const groupSpec: ResourceSpec = { core: schemaUris.group, attributes: groupAttributes, extensions: {}, identifiedBy: { members: 'value' } };

/** Items of an attribute listed in identifiedBy, reduced to their identifying sub-attribute. */
export function identityOnly(spec: ResourceSpec, attribute: string, value: unknown): unknown {
  const by = spec.identifiedBy[attribute];
  if (!by) return value;
  const reduce = (item: unknown) => (typeof item === 'object' && item !== null && by in item ? { [by]: (item as Record<string, unknown>)[by] } : item);
  return Array.isArray(value) ? value.map(reduce) : reduce(value);
}

const find = (list: readonly AttributeSpec[] | undefined, name: string): AttributeSpec | undefined =>
  list?.find((a) => a.name.toLowerCase() === name.toLowerCase());

/** An attribute named by an attribute path: where it sits in the resource, and what it is. */
export interface ResolvedPath {
  /** The canonical names from the resource root: [extension URI?, attribute, sub-attribute?]. */
  keys: string[];
  /** Undefined for an extension's root (the path is the schema URI itself). */
  spec: AttributeSpec | undefined;
  /** The attribute's own spec when keys name a sub-attribute (for mutability). */
  parent?: AttributeSpec;
}

/**
 * Resolves `[schemaURI ":"] attr ["." subAttr]` (RFC 7644 §3.10), names in any case; undefined when the
 * path names no attribute of this resource type.
 */
export function resolveAttrPath(spec: ResourceSpec, path: string): ResolvedPath | undefined {
  const lower = path.toLowerCase();
  for (const uri of [spec.core, ...Object.keys(spec.extensions)]) {
    if (lower === uri.toLowerCase()) return uri === spec.core ? undefined : { keys: [uri], spec: undefined };
    if (lower.startsWith(`${uri.toLowerCase()}:`)) {
      const inner = resolveIn(uri === spec.core ? spec.attributes : spec.extensions[uri]!, path.slice(uri.length + 1));
      if (!inner) return undefined;
      return uri === spec.core ? inner : { ...inner, keys: [uri, ...inner.keys] };
    }
  }
  // A URN that is none of ours is not an attribute name (names hold no colon).
  if (path.includes(':')) return undefined;
  return resolveIn(spec.attributes, path);
}

function resolveIn(list: readonly AttributeSpec[], path: string): ResolvedPath | undefined {
  const [name, sub, ...rest] = path.split('.');
  if (rest.length || name === undefined) return undefined;
  const attr = find(list, name);
  if (!attr) return undefined;
  if (sub === undefined) return { keys: [attr.name], spec: attr };
  const subAttr = find(attr.subAttributes, sub);
  return subAttr ? { keys: [attr.name, subAttr.name], spec: subAttr, parent: attr } : undefined;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A value with its keys in canonical case, unknown keys left out. */
export function canonicalValue(attr: AttributeSpec | undefined, value: unknown, extension?: readonly AttributeSpec[]): unknown {
  const subs = extension ?? attr?.subAttributes;
  if (!subs) return value;
  if (Array.isArray(value)) return value.map((v) => canonicalValue(attr, v, extension));
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const sub = find(subs, key);
    if (sub) out[sub.name] = canonicalValue(sub, v);
  }
  return out;
}

/**
 * A resource body with every attribute name in canonical case and extension attributes under their
 * schema URI; attributes this service does not know are left out (RFC 7644 lets a provider ignore them).
 */
export function canonicalResource(spec: ResourceSpec, body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (key.toLowerCase() === 'schemas') {
      out['schemas'] = value;
      continue;
    }
    const resolved = resolveAttrPath(spec, key);
    if (!resolved) continue;
    const [first, second] = resolved.keys;
    if (resolved.spec === undefined) {
      // The extension's object: its own attributes, merged with any given one by one.
      const ext = canonicalValue(undefined, value, spec.extensions[first!]);
      out[first!] = isObject(ext) ? { ...(out[first!] as object | undefined), ...ext } : ext;
    } else if (first! in spec.extensions) {
      const ext = isObject(out[first!]) ? (out[first!] as Record<string, unknown>) : {};
      out[first!] = { ...ext, [second!]: canonicalValue(resolved.spec, value) };
    } else if (second !== undefined) {
      const parent = isObject(out[first!]) ? (out[first!] as Record<string, unknown>) : {};
      out[first!] = { ...parent, [second]: canonicalValue(resolved.spec, value) };
    } else {
      out[first!] = canonicalValue(resolved.spec, value);
    }
  }
  return out;
}

/** Case-exact comparison for filters: ids and externalId are, names and emails are not (RFC 7643). */
export function isCaseExact(spec: ResourceSpec, attrPath: string): boolean {
  return resolveAttrPath(spec, attrPath)?.spec?.caseExact === true;
}
