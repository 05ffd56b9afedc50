// GET /api/devices?since=ISO — the directory delta for the caller's tenant, oldest change first.
// `cursor` is the updatedAt of the last device returned (or `since` when nothing is newer): the console
// passes it back as `since` until a page comes back empty.
import Router from '@koa/router';
import type Koa from 'koa';
import { z } from 'zod';
import { fail, type Device } from '../../../protocol/src/index.js';
import type { Directory } from '../ports.js';
import { requireUser, type UserState } from './require-user.js';

export const devicesPageLimit = 500;

const query = z.object({ since: z.iso.datetime({ offset: true }).optional() });

export interface DevicesResponse {
  devices: Device[];
  cursor: string | null;
}

export function devicesApi(deps: { directory: Directory } & Parameters<typeof requireUser>[0]): Koa.Middleware {
  const router = new Router<UserState>({ prefix: '/api' });
  router.get('/devices', requireUser(deps), (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    const parsed = query.safeParse({ since: ctx.query.since });
    if (!parsed.success) {
      ctx.status = 400;
      ctx.body = fail('validation', '`since` must be an ISO 8601 date-time.');
      return;
    }
    // Normalised so an offset form of the same instant compares correctly with the stored UTC strings.
    const since = parsed.data.since && new Date(parsed.data.since).toISOString();
    const devices = deps.directory.devicesChangedSince(ctx.state.user.tenantId, since, devicesPageLimit);
    const body: DevicesResponse = { devices, cursor: devices.at(-1)?.updatedAt ?? since ?? null };
    ctx.body = body;
  });
  const routes = router.routes();
  const allowed = router.allowedMethods();
  return (ctx, next) => routes(ctx as never, () => allowed(ctx as never, next));
}
