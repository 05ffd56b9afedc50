// GET /api/devices?since=CURSOR — the directory delta for the caller's tenant, oldest change first.
// `since` is either an ISO date-time (everything changed after it) or a cursor this endpoint handed out,
// `<updatedAt>|<id>` of the last device returned (or the `since` it was given when nothing is newer).
// The console treats it as opaque and passes it back until a page comes back empty. The id part keeps
// paging exact when many devices share one updatedAt.
// Only someone whose roles grant a remote-help permission reads devices, and only those their roles'
// device-group scope covers (a sharer, or a helper scoped to one group, sees nothing else).
import Router from '@koa/router';
import type Koa from 'koa';
import { z } from 'zod';
import { fail, type Device } from '#protocol';
import { answer } from '../http/answer.js';
import { routerMiddleware } from '../http/routes.js';
import { canHelp, coversDevice, definedRoles } from '../policy/permissions.js';
import type { Authenticator, DeviceCursor, Directory, PolicyStore } from '../ports.js';
import { requireUser, type UserState } from './require-user.js';

export const devicesPageLimit = 500;

const isoDateTime = z.iso.datetime({ offset: true });
const cursorParam = z
  .string()
  .max(400)
  .transform((raw, ctx): DeviceCursor => {
    const bar = raw.indexOf('|');
    const [at, id] = bar < 0 ? [raw, null] : [raw.slice(0, bar), raw.slice(bar + 1)];
    if (!isoDateTime.safeParse(at).success) {
      ctx.addIssue({ code: 'custom', message: 'not a date-time' });
      return z.NEVER;
    }
    // Normalised so an offset form of the same instant compares correctly with the stored UTC strings.
    return { updatedAt: new Date(at).toISOString(), id };
  });
const query = z.object({ since: cursorParam.optional() });

function encodeCursor(c: DeviceCursor): string {
  return c.id === null ? c.updatedAt : `${c.updatedAt}|${c.id}`;
}

export interface DevicesResponse {
  devices: Device[];
  cursor: string | null;
}

export function devicesApi(deps: { directory: Directory & Pick<PolicyStore, 'roles'>; auth: Authenticator }): Koa.Middleware {
  const router = new Router<UserState>({ prefix: '/api' });
  router.get('/devices', requireUser(deps.auth), (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    const { user } = ctx.state;
    const helping = definedRoles(user.roles, deps.directory.roles(user.tenantId)).filter(canHelp);
    if (helping.length === 0) return answer(ctx, fail('permission-missing', 'Your roles grant no remote help permission, so the devices are not shown.'));
    const parsed = query.safeParse({ since: ctx.query.since });
    if (!parsed.success) return answer(ctx, fail('validation', '`since` must be an ISO 8601 date-time or a cursor from this endpoint.'));
    const inScope = (d: Device): boolean => helping.some((r) => coversDevice(r, d.groups ?? []));
    // A page whose devices are all out of scope would read as "nothing more" to the console, which stops
    // at an empty page: read on until one is in scope or the changes end.
    let cursor = parsed.data.since;
    let devices: Device[] = [];
    for (;;) {
      const page = deps.directory.devicesChangedSince(user.tenantId, cursor, devicesPageLimit);
      const last = page.at(-1);
      if (last) cursor = { updatedAt: last.updatedAt, id: last.id };
      devices = page.filter(inScope);
      if (devices.length > 0 || page.length < devicesPageLimit) break;
    }
    const body: DevicesResponse = { devices, cursor: cursor ? encodeCursor(cursor) : null };
    ctx.body = body;
  });
  return routerMiddleware(router);
}
