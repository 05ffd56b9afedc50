// GET /api/me/sessions?offset=&limit= — the signed-in person's own past sessions as the sharer, from
// the reports: metadata only (helper, times, pauses, outcome, report id), newest first, paged.
// Whose sessions is decided by the verified token or web session alone (tenant, UPN and stable id), never by the
// request: there is no parameter that names a person.
import Router from '@koa/router';
import type Koa from 'koa';
import { fail, pastSessionsLimit, pastSessionsPath, pastSessionsQuery, type PastSession, type SessionReport } from '#protocol';
import { requireUser, type UserState } from '../identity/require-user.js';
import type { Authenticator, Log, ReportLog } from '../ports.js';
import { answer } from './answer.js';
import { routerMiddleware } from './routes.js';

/** Picks the fields a past session shows, one by one: whatever else a report holds stays out. */
export function pastSessionOf(r: SessionReport): PastSession {
  return {
    reportId: r.id,
    sessionId: r.sessionId,
    helper: r.helper ? { name: r.helper.name, upn: r.helper.upn } : null,
    createdAt: r.createdAt,
    sharingSince: r.consent === 'allowed' ? r.consentAt : null,
    endedAt: r.endedAt,
    outcome: r.outcome,
    pauses: (r.pauses ?? []).map((p) => ({ from: p.from, to: p.to })),
  };
}

export function mySessionsRoute(deps: { auth: Authenticator; reports: Pick<ReportLog, 'sessionsOfSharer'>; log: Log }): Koa.Middleware {
  const router = new Router<UserState>();
  router.get(pastSessionsPath, requireUser(deps.auth), async (ctx) => {
    // Strict: any other parameter (a person's name, a tenant) is refused, not quietly ignored.
    const parsed = pastSessionsQuery.safeParse({ ...ctx.query });
    if (!parsed.success) return answer(ctx, fail('validation', `Only \`offset\` (a whole number from 0) and \`limit\` (1 to ${pastSessionsLimit.max}) are accepted.`));
    const { tenantId, upn, userId } = ctx.state.user;
    try {
      const page = await deps.reports.sessionsOfSharer(tenantId, { upn, userId }, parsed.data);
      answer(ctx, { ok: true, value: { items: page.items.map(pastSessionOf), total: page.total, offset: page.offset } });
    } catch (error) {
      deps.log.error('past sessions query failed', { error });
      answer(ctx, fail('internal', 'internal error'));
    }
  });
  return routerMiddleware(router);
}
