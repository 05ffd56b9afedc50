// The only list of error codes. Every code has a user-facing message in every locale
// (see ui/src/i18n/error-messages.ts); the `message` on the wire is for logs and developers.
export const errorCodes = [
  'validation', // a payload failed its schema
  'payload-too-large',
  'unknown-event',
  'unauthenticated', // no token, or a token that failed verification
  'forbidden',
  'not-found',
  'wrong-state', // an event out of order (consent before join, signal before sharing, …)
  'code-invalid',
  'code-expired',
  'code-used',
  'rate-limited',
  'tenant-mismatch',
  'unenrolled-not-allowed',
  'remote-help-disabled',
  'chat-disabled',
  'session-ended',
  'permission-missing', // the helper's roles grant no remote help permission
  'out-of-scope', // the device or user is outside the helper's role scope
  'policy-blocked', // a conditional-access rule blocks
  'mfa-required', // a conditional-access rule requires multi-factor authentication
  'compliant-device-required', // a conditional-access rule requires a compliant device
  'device-proof-invalid', // a device-key proof that does not verify (replayed, foreign, malformed)
  'enrollment-disabled',
  'device-name-taken', // another device of the tenant already has that name (names are unique per tenant)
  'admin-only', // the admin API and view are for Remote Help Administrators
  'conflict', // e.g. deleting a built-in role
  'sign-in-failed',
  'identity-provider-unavailable', // the tenant's identity provider or Microsoft Graph did not answer
  'unknown-issuer', // a token from an issuer that no configured tenant has
  'account-disabled', // the user was disabled or deprovisioned (admin view, SCIM)
  'sign-in-cancelled',
  'relay-unreachable',
  'overloaded', // the relay node is at capacity: new connections and sessions wait; clients retry with backoff
  'too-many-connections', // one person or one address holds as many connections as allowed
  'too-many-sessions', // the helper already has as many live sessions as allowed
  'ice-unavailable', // the relay did not give a page its ICE servers and policy: no peer connection is made (fail closed)
  'internal',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (errorCodes as readonly string[]).includes(value);
}
