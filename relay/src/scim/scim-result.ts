// What every SCIM operation returns: a value, or a failure with one of the protocol's error codes (its
// HTTP status comes from the relay's one table) and, where RFC 7644 §3.12 names one, the scimType a
// provisioning client acts on. The wire shape of an error is made in one place (scim-http.ts).
import type { ErrorCode } from '#protocol';

/** RFC 7644 Table 9. */
export type ScimType =
  | 'invalidFilter' | 'tooMany' | 'uniqueness' | 'mutability' | 'invalidSyntax'
  | 'invalidPath' | 'noTarget' | 'invalidValue' | 'invalidVers' | 'sensitive';

export interface ScimFailure {
  code: ErrorCode;
  message: string;
  scimType?: ScimType;
}

export type ScimResult<T> = { ok: true; value: T } | { ok: false; error: ScimFailure };

export function scimFail(code: ErrorCode, scimType: ScimType | undefined, message: string): { ok: false; error: ScimFailure } {
  return { ok: false, error: scimType ? { code, message, scimType } : { code, message } };
}

/** Bad input of the given kind: 400 with its scimType. */
export const badRequest = (scimType: ScimType, message: string) => scimFail('validation', scimType, message);
