// POST /api/enroll, POST /api/devices/challenge, POST /api/devices/:id/report and
// GET /api/devices/:id/enrollment (the device's state now: approved yet?), for a signed-in user
// (web session cookie from the /enroll page, or a Bearer token from an agent or a test). JSON in, Ack
// JSON out. A report must carry a proof by the device key (a challenge from /api/devices/challenge,
// signed as at join): a signed-in user alone cannot rewrite a device's properties.
import Router from '@koa/router';
import type Koa from 'koa';
import { deviceProof, deviceReportRequest, enrollRequest, fail, ok } from '#protocol';
import { answer } from '../http/answer.js';
import { readJson } from '../http/body.js';
import { routerMiddleware } from '../http/routes.js';
import { requireUser, type UserState } from '../identity/require-user.js';
import type { Authenticator } from '../ports.js';
import type { DeviceEnrollment } from './types.js';

const bodyLimit = 16 * 1024;

/** The report as the route takes it: the protocol's properties plus the device's proof of key possession. */
const signedReport = deviceReportRequest.extend({ proof: deviceProof });

export function enrollRoutes(deps: { enrollment: DeviceEnrollment; auth: Authenticator }): Koa.Middleware {
  const auth = requireUser(deps.auth);
  const router = new Router<UserState>({ prefix: '/api' });

  router.post('/enroll', auth, async (ctx) => {
    const body = await readJson(ctx, { limit: bodyLimit });
    if (!body.ok) return answer(ctx, fail('validation', 'Send the enrollment as a JSON body.'));
    const req = enrollRequest.safeParse(body.value);
    if (!req.success) return answer(ctx, fail('validation', 'The enrollment needs a device name, a P-256 public key and the device properties.'));
    answer(ctx, await deps.enrollment.enroll(ctx.state.user, req.data));
  });

  router.post('/devices/challenge', auth, async (ctx) => {
    answer(ctx, ok({ challenge: await deps.enrollment.challenge(ctx.state.user) }));
  });

  router.post('/devices/:id/report', auth, async (ctx) => {
    const body = await readJson(ctx, { limit: bodyLimit });
    const req = body.ok ? signedReport.safeParse(body.value) : undefined;
    if (!req?.success) {
      return answer(ctx, fail('validation', 'The report needs the device properties and a proof (a challenge from /api/devices/challenge signed by the device key) as JSON.'));
    }
    answer(ctx, await deps.enrollment.report(ctx.state.user, String(ctx.params['id']), req.data.properties, req.data.proof));
  });

  router.get('/devices/:id/enrollment', auth, async (ctx) => {
    const id = String(ctx.params['id']);
    if (id.length > 100) return answer(ctx, fail('not-found', 'No such enrolled device in your organization.'));
    answer(ctx, await deps.enrollment.status(ctx.state.user, id));
  });

  return routerMiddleware(router);
}
