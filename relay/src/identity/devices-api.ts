// GET /api/devices?since=CURSOR&limit=N&count=1 — the directory delta for the caller's tenant, oldest
// change first: devices added or changed, and the ids of devices removed. `since` is a cursor this
// endpoint handed out: the directory's change number of the last change returned (or the `since` it was
// given when nothing is newer). The console treats it as opaque and passes it back while `more` is true.
// A cursor of an older relay (an ISO date-time, `<updatedAt>|<id>`) starts over from the first change: a
// full sync, which the console applies like any other. `count=1` adds `expected`, how many changes lie
// ahead (the console's progress percentage).
// GET /api/devices/:id/sessions — that device's recent sessions from the reports (metadata only).
// Only someone whose roles grant a remote-help permission reads devices, and only those their roles'
// device-group scope covers (a sharer, or a helper scoped to one group, sees nothing else).
import Router from '@koa/router';
import type Koa from 'koa';
import { z } from 'zod';
import { fail, type Device, type DeviceSession, type RoleDefinition } from '#protocol';
import { answer } from '../http/answer.js';
import { routerMiddleware } from '../http/routes.js';
import { canHelp, coversDevice, definedRoles } from '../policy/permissions.js';
import type { Authenticator, DeviceCursor, Directory, PolicyStore, ReportLog } from '../ports.js';
import { requireUser, type UserState } from './require-user.js';

export const devicesPageLimit = { default: 500, max: 5000 } as const;
/** How many of a device's sessions its view lists. */
export const deviceSessionsLimit = 20;

const isoDateTime = z.iso.datetime({ offset: true });
const cursorParam = z
  .string()
  .max(400)
  .transform((raw, ctx): DeviceCursor => {
    if (/^\d{1,15}$/.test(raw)) return { seq: Number(raw) };
    const legacy = raw.includes('|') ? raw.slice(0, raw.indexOf('|')) : raw;
    if (isoDateTime.safeParse(legacy).success) return { seq: 0 };
    ctx.addIssue({ code: 'custom', message: 'not a cursor' });
    return z.NEVER;
  });
const query = z.object({
  since: cursorParam.optional(),
  limit: z.coerce.number().int().min(1).max(devicesPageLimit.max).default(devicesPageLimit.default),
  count: z.enum(['0', '1']).optional(),
});

const encodeCursor = (c: DeviceCursor): string => String(c.seq);

export interface DevicesResponse {
  devices: Device[];
  /** Devices deleted since `since`, or changed and now outside the caller's scope: the console drops them. */
  removed: string[];
  cursor: string | null;
  /** Another page follows: call again with `cursor`. */
  more: boolean;
  /** With count=1: the changes after `since` (devices and removals, before the scope is applied). */
  expected?: number;
}

export interface DevicesApiDeps {
  directory: Directory & Pick<PolicyStore, 'roles'>;
  auth: Authenticator;
  reports: Pick<ReportLog, 'recentForDevice'>;
}

export function devicesApi(deps: DevicesApiDeps): Koa.Middleware {
  const router = new Router<UserState>({ prefix: '/api' });
  /** The caller's roles that grant remote help; none = may not read devices. */
  const helpingRoles = async (user: UserState['user']): Promise<RoleDefinition[]> =>
    definedRoles(user.roles, await deps.directory.roles(user.tenantId)).filter(canHelp);
  const noPermission = fail('permission-missing', 'Your roles grant no remote help permission, so the devices are not shown.');

  router.get('/devices', requireUser(deps.auth), async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    const { user } = ctx.state;
    const helping = await helpingRoles(user);
    if (helping.length === 0) return answer(ctx, noPermission);
    const parsed = query.safeParse({ since: ctx.query.since, limit: ctx.query.limit, count: ctx.query.count });
    if (!parsed.success) {
      return answer(ctx, fail('validation', `\`since\` must be a cursor from this endpoint; \`limit\` 1 to ${devicesPageLimit.max}; \`count\` 0 or 1.`));
    }
    const { since, limit, count } = parsed.data;
    const inScope = (d: Device): boolean => helping.some((r) => coversDevice(r, d.groups ?? []));
    const expected = count === '1' ? await deps.directory.countChangesSince(user.tenantId, since) : undefined;
    // A page whose changes are all out of scope would make the console fetch an empty page: read on until
    // one is in scope or the changes end. On a delta (since given), a changed device now out of scope is a
    // removal for this caller (their role's groups or the device's changed); on a first sync it is simply absent.
    let cursor = since;
    let devices: Device[] = [];
    let removed: string[] = [];
    let more = false;
    for (;;) {
      const page = await deps.directory.devicesChangedSince(user.tenantId, cursor, limit);
      if (page.last) cursor = page.last;
      devices = page.devices.filter(inScope);
      removed = since ? [...page.removed, ...page.devices.filter((d) => !inScope(d)).map((d) => d.id)] : page.removed;
      more = page.more;
      if (devices.length + removed.length > 0 || !more) break;
    }
    const body: DevicesResponse = { devices, removed, cursor: cursor ? encodeCursor(cursor) : null, more, ...(expected === undefined ? {} : { expected }) };
    ctx.body = body;
  });

  router.get('/devices/:id/sessions', requireUser(deps.auth), async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    const { user } = ctx.state;
    const helping = await helpingRoles(user);
    if (helping.length === 0) return answer(ctx, noPermission);
    const id = ctx.params.id ?? '';
    const device = id.length <= 100 ? await deps.directory.device(user.tenantId, id) : undefined;
    // A device out of the caller's scope is answered as absent: its existence is not theirs to learn.
    if (!device || !helping.some((r) => coversDevice(r, device.groups ?? []))) {
      return answer(ctx, fail('not-found', 'No such device in your scope.'));
    }
    const sessions: DeviceSession[] = (await deps.reports.recentForDevice(user.tenantId, device.id, deviceSessionsLimit)).map((r) => ({
      sessionId: r.sessionId ?? r.id,
      helperName: r.helper?.name ?? '',
      helperUpn: r.helper?.upn ?? '',
      startedAt: r.createdAt,
      endedAt: r.endedAt,
      // Helpers read this view: a Report reads as the decline it was to them (relay/src/sessions/finish.ts
      // says why); the administrators' Reports section says 'reported'.
      outcome: r.outcome === 'reported' ? 'denied' : r.outcome,
    }));
    ctx.body = { sessions };
  });
  return routerMiddleware(router);
}
