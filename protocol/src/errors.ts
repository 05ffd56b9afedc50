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
  'sign-in-failed',
  'sign-in-cancelled',
  'relay-unreachable',
  'internal',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (errorCodes as readonly string[]).includes(value);
}
