// One HTTP answer for every JSON route: the Ack as the body, its error code's status. Like Fastify's error
// codes, a code carries its status in one table; the message is the protocol's (and the locale's).
import type Koa from 'koa';
import type { Ack, ErrorCode } from '#protocol';

/** Exhaustive: a new error code without a status does not compile. */
export const httpStatus: Record<ErrorCode, number> = {
  'validation': 400,
  'payload-too-large': 413,
  'unknown-event': 404,
  'unauthenticated': 401,
  'forbidden': 403,
  'not-found': 404,
  'wrong-state': 409,
  'code-invalid': 400,
  'code-expired': 410,
  'code-used': 409,
  'rate-limited': 429,
  'tenant-mismatch': 403,
  'unenrolled-not-allowed': 403,
  'remote-help-disabled': 403,
  'chat-disabled': 403,
  'session-ended': 410,
  'permission-missing': 403,
  'out-of-scope': 403,
  'policy-blocked': 403,
  'mfa-required': 403,
  'compliant-device-required': 403,
  'device-proof-invalid': 403,
  'enrollment-disabled': 403,
  'device-name-taken': 409,
  'admin-only': 403,
  'conflict': 409,
  'sign-in-failed': 401,
  'identity-provider-unavailable': 503,
  'unknown-issuer': 401,
  'account-disabled': 403,
  'sign-in-cancelled': 400,
  'relay-unreachable': 502,
  'overloaded': 503,
  'too-many-connections': 429,
  'too-many-sessions': 429,
  'ice-unavailable': 503, // never answered by the relay: the pages' own conclusion
  'internal': 500,
};

/** Answers `result` as JSON, never cached: 200 with the value, or the error code's status. */
export function answer(ctx: Koa.Context, result: Ack<unknown>): void {
  ctx.set('Cache-Control', 'no-store');
  ctx.status = result.ok ? 200 : httpStatus[result.error.code];
  ctx.body = result;
}

const pageRefusalKey = 'pageRefusal';

/** An HTML page that refuses (a form answered again with why): its code's status, and the code where
 * the refusal count (ops/ops-routes.ts) finds it, as it finds a JSON answer's in the body. */
export function refusePage(ctx: Koa.Context, code: ErrorCode): void {
  ctx.status = httpStatus[code];
  ctx.state[pageRefusalKey] = code;
}

/** The code an HTML page refused with (refusePage), if it did. */
export function pageRefusalOf(ctx: Koa.Context): ErrorCode | undefined {
  return ctx.state[pageRefusalKey] as ErrorCode | undefined;
}
