// The zod schema of a resource body, made from the attribute table (attributes.ts), so the types
// checked and the types published at /Schemas cannot drift. Runs on a canonical body (known names in
// canonical case). null stands for "no value" (RFC 7643 §2.5) and is accepted everywhere.
import { z } from 'zod';
import type { AttributeSpec, ResourceSpec } from './attributes.js';

/** true/false, or "True"/"False" as some provisioning clients send them (Entra's older jobs among them). */
export const scimBoolean = z.preprocess(
  (v) => (typeof v === 'string' && /^(true|false)$/i.test(v.trim()) ? v.trim().toLowerCase() === 'true' : v),
  z.boolean(),
);

function attributeSchema(a: AttributeSpec): z.ZodType {
  let one: z.ZodType;
  if (a.type === 'boolean') one = scimBoolean;
  else if (a.type === 'complex') one = z.object(Object.fromEntries((a.subAttributes ?? []).map((s) => [s.name, attributeSchema(s).optional()])));
  else one = z.string().max(a.maxLength ?? 4096, `${a.name} is longer than ${a.maxLength ?? 4096} characters`);
  return (a.multiValued ? z.array(one).max(1000) : one).nullable();
}

/** Every attribute optional and nullable here; what a resource type requires is checked by its own schema. */
export function resourceSchema(spec: ResourceSpec) {
  return z.object({
    schemas: z.array(z.string()).min(1, 'schemas must name the resource\'s schema').refine(
      (uris) => uris.some((u) => u.toLowerCase() === spec.core.toLowerCase()),
      `schemas must include ${spec.core}`,
    ),
    ...Object.fromEntries(spec.attributes.map((a) => [a.name, attributeSchema(a).optional()])),
    ...Object.fromEntries(Object.entries(spec.extensions).map(([uri, attrs]) => [
      uri,
      z.object(Object.fromEntries(attrs.map((a) => [a.name, attributeSchema(a).optional()]))).nullable().optional(),
    ])),
  });
}

/** The issues of a failed parse as one sentence a provisioning log can show. */
export function issuesText(error: z.ZodError): string {
  return error.issues.slice(0, 5).map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
}

/** A copy without null values or empty objects: null means "no value" and is not kept (RFC 7643 §2.5). */
export function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const kept = withoutNulls(v);
    if (kept === null || kept === undefined) continue;
    if (typeof kept === 'object' && !Array.isArray(kept) && Object.keys(kept).length === 0) continue;
    out[k] = kept;
  }
  return out;
}
