// PATCH (RFC 7644 §3.5.2), applied by scim-patch to the resource as it is, then checked as a whole by
// the same schema as a PUT. Before the library sees them, the operations are read in the forms
// provisioning clients send (Entra among them, see its "known issues with SCIM 2.0 compliance"): "op" in
// any case ("Replace", "Add"), attribute names in any case, a "value" object without a path whose keys
// are paths ("name.givenName", "urn:…:enterprise:2.0:User:department"), extra members such as "name":
// "addMember". Every path must name an attribute this service knows; read-only ones are refused.
import { scimPatch, ScimError, type ScimPatchOperation, type ScimResource } from 'scim-patch';
import { z } from 'zod';
import { canonicalValue, identityOnly, resolveAttrPath, schemaUris, type ResourceSpec } from './attributes.js';
import { issuesText } from './resource-schema.js';
import { badRequest, type ScimResult } from './scim-result.js';

const operation = z.looseObject({
  op: z.string().transform((s) => s.trim().toLowerCase()).pipe(z.enum(['add', 'remove', 'replace'], { error: 'op must be add, remove or replace' })),
  path: z.string().trim().min(1).max(1024).optional(),
  value: z.unknown().optional(),
});
const patchBody = z.looseObject({
  schemas: z.array(z.string()).refine((s) => s.includes(schemaUris.patchOp), `schemas must be ["${schemaUris.patchOp}"]`),
  Operations: z.array(operation).min(1, 'Operations must hold at least one operation').max(1000),
});
type Operation = z.infer<typeof operation>;

// `attr`, `attr.sub`, `attr[filter]`, `attr[filter].sub`, each optionally behind a schema URI.
const valuePath = /^(?<attr>[^[\]]+?)(?:\[(?<filter>.+)\](?:\.(?<sub>[A-Za-z$][\w$-]*))?)?$/;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One operation with its path and value in canonical names, as the library applies it. */
function canonicalOperation(spec: ResourceSpec, op: Operation, index: number): ScimResult<ScimPatchOperation[]> {
  const where = `Operations[${index}]`;
  if (op.op === 'remove' && op.path === undefined) return badRequest('noTarget', `${where}: remove needs a path.`);
  if (op.op !== 'remove' && op.value === undefined) return badRequest('invalidValue', `${where}: ${op.op} needs a value.`);
  if (op.path === undefined) {
    if (!isObject(op.value)) return badRequest('invalidValue', `${where}: without a path, the value must be an object of attributes.`);
    return valueWithoutPath(spec, op.op as 'add' | 'replace', op.value, where);
  }
  const m = valuePath.exec(op.path);
  const attr = m?.groups?.['attr'];
  const resolved = attr === undefined ? undefined : resolveAttrPath(spec, attr);
  if (!m || !resolved) return badRequest('invalidPath', `${where}: the path "${op.path}" names no attribute of this resource.`);
  // The extension itself as the path: its attributes one by one, so those not given stay as they are.
  if (!resolved.spec) {
    if (op.op === 'remove') return { ok: true, value: [{ op: 'remove', path: resolved.keys[0]! }] };
    if (!isObject(op.value)) return badRequest('invalidValue', `${where}: the value of ${resolved.keys[0]} must be an object.`);
    return valueWithoutPath(spec, op.op as 'add' | 'replace', { [resolved.keys[0]!]: op.value }, where);
  }
  const { filter, sub } = m.groups ?? {};
  const target = sub ? resolved.spec.subAttributes?.find((s) => s.name.toLowerCase() === sub.toLowerCase()) : resolved.spec;
  if (!target || (filter && !resolved.spec.multiValued)) return badRequest('invalidPath', `${where}: the path "${op.path}" names no attribute of this resource.`);
  if ([resolved.parent?.mutability, resolved.spec.mutability, target.mutability].includes('readOnly')) {
    return badRequest('mutability', `${where}: ${op.path} is read-only.`);
  }
  const [first, ...rest] = resolved.keys;
  const name = first! in spec.extensions ? `${first}:${rest.join('.')}` : resolved.keys.join('.');
  const path = `${name}${filter ? `[${filter}]` : ''}${sub ? `.${target.name}` : ''}`;
  const value = op.value === undefined ? undefined
    : filter || sub ? canonicalValue(filter && !sub ? resolved.spec : target, op.value)
    : identityOnly(spec, name, canonicalValue(target, op.value));
  return { ok: true, value: [{ op: op.op, path, ...(value !== undefined ? { value } : {}) }] as ScimPatchOperation[] };
}

/** `{"op":"replace","value":{…}}`: each key is a path; an extension's object is spread into its attributes. */
function valueWithoutPath(spec: ResourceSpec, op: 'add' | 'replace', value: Record<string, unknown>, where: string): ScimResult<ScimPatchOperation[]> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const resolved = resolveAttrPath(spec, key);
    if (!resolved) continue; // an attribute this service does not keep, as in a POST
    const [first, ...rest] = resolved.keys;
    if (!resolved.spec) {
      if (!isObject(v)) return badRequest('invalidValue', `${where}: the value of ${first} must be an object.`);
      for (const [name, inner] of Object.entries(canonicalValue(undefined, v, spec.extensions[first!]) as Record<string, unknown>)) {
        out[`${first}:${name}`] = inner;
      }
      continue;
    }
    if (resolved.spec.mutability === 'readOnly' || resolved.parent?.mutability === 'readOnly') continue; // ignored, as in a PUT
    const name = first! in spec.extensions ? `${first}:${rest.join('.')}` : resolved.keys.join('.');
    out[name] = identityOnly(spec, name, canonicalValue(resolved.spec, v));
  }
  return { ok: true, value: [{ op, value: out }] };
}

/**
 * The resource after the operations, or why they cannot apply (400 with the scimType the library or the
 * reading gives). `resource` is not changed: a failure half-way leaves nothing half-done.
 */
export function applyPatch(spec: ResourceSpec, resource: Record<string, unknown>, body: unknown): ScimResult<Record<string, unknown>> {
  const read = patchBody.safeParse(body);
  if (!read.success) return badRequest('invalidSyntax', issuesText(read.error));
  const operations: ScimPatchOperation[] = [];
  for (const [i, op] of read.data.Operations.entries()) {
    const canonical = canonicalOperation(spec, op, i);
    if (!canonical.ok) return canonical;
    operations.push(...canonical.value);
  }
  try {
    const patched = scimPatch(structuredClone(resource) as unknown as ScimResource, operations, { mutateDocument: true, treatMissingAsAdd: true });
    return { ok: true, value: patched as unknown as Record<string, unknown> };
  } catch (error) {
    if (error instanceof ScimError) {
      const type = error.scimCode === 'noTarget' ? 'noTarget' : error.scimCode === 'invalidPath' ? 'invalidPath' : 'invalidValue';
      return badRequest(type, error.message);
    }
    // The library reads a filter in a path itself; a filter it cannot read throws a plain error.
    if (error instanceof Error) return badRequest('invalidPath', error.message);
    throw error;
  }
}
