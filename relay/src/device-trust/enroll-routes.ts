// POST /api/enroll, POST /api/devices/challenge and POST /api/devices/:id/report, for a signed-in user
// (web session cookie from the /enroll page, or a Bearer token from an agent or a test). JSON in, Ack
// JSON out. A report must carry a proof by the device key (a challenge from /api/devices/challenge,
// signed as at join): a signed-in user alone cannot rewrite a device's properties.
import Router from '@koa/router';
import type Koa from 'koa';
import { deviceProof, deviceReportRequest, enrollRequest, fail, ok, type Ack, type ErrorCode } from '../../../protocol/src/index.js';
import { requireUser, type UserState } from '../identity/require-user.js';
import type { AuthUser } from '../ports.js';
import type { DeviceTrustPart } from './index.js';
import { readJson } from './json-body.js';

export interface AuthSource {
  verifyAccessToken(token: string): Promise<Ack<AuthUser>>;
  userFromCookie(cookieHeader: string | undefined): Promise<Ack<AuthUser>>;
}

const statusOf: Partial<Record<ErrorCode, number>> = { 'validation': 400, 'enrollment-disabled': 403, 'device-proof-invalid': 403, 'not-found': 404 };

/** The report as the route takes it: the protocol's properties plus the device's proof of key possession. */
const signedReport = deviceReportRequest.extend({ proof: deviceProof });

function answer(ctx: Koa.Context, result: Ack<unknown>): void {
  ctx.set('Cache-Control', 'no-store');
  ctx.status = result.ok ? 200 : (statusOf[result.error.code] ?? 400);
  ctx.body = result;
}

export function enrollRoutes(deps: { part: Pick<DeviceTrustPart, 'enroll' | 'report' | 'challenge'>; auth: () => AuthSource | undefined }): Koa.Middleware {
  const auth = requireUser({
    verifyAccessToken: (t) => deps.auth()?.verifyAccessToken(t) ?? Promise.resolve(fail('unauthenticated', 'The relay is starting.')),
    userFromCookie: (c) => deps.auth()?.userFromCookie(c) ?? Promise.resolve(fail('unauthenticated', 'The relay is starting.')),
  });
  const router = new Router<UserState>({ prefix: '/api' });

  router.post('/enroll', auth, async (ctx) => {
    const body = await readJson(ctx);
    if (!body.ok) return answer(ctx, fail('validation', 'Send the enrollment as a JSON body.'));
    const req = enrollRequest.safeParse(body.value);
    if (!req.success) return answer(ctx, fail('validation', 'The enrollment needs a device name, a P-256 public key and the device properties.'));
    answer(ctx, await deps.part.enroll(ctx.state.user, req.data));
  });

  router.post('/devices/challenge', auth, async (ctx) => {
    answer(ctx, ok({ challenge: await deps.part.challenge(ctx.state.user) }));
  });

  router.post('/devices/:id/report', auth, async (ctx) => {
    const body = await readJson(ctx);
    const req = body.ok ? signedReport.safeParse(body.value) : undefined;
    if (!req?.success) {
      return answer(ctx, fail('validation', 'The report needs the device properties and a proof (a challenge from /api/devices/challenge signed by the device key) as JSON.'));
    }
    answer(ctx, await deps.part.report(ctx.state.user, String(ctx.params['id']), req.data.properties, req.data.proof));
  });

  const routes = router.routes();
  const allowed = router.allowedMethods();
  return (ctx, next) => routes(ctx as never, () => allowed(ctx as never, next));
}
