// POST /api/admin/{method}: a route per method of the admin API table (protocol/src/admin-api.ts), so
// a method without a route, or a route without a schema, cannot exist. Bearer token (or the web session
// cookie), args validated by the method's schema, the admin role checked on every call, Ack JSON back.
// The answer's messages are in the request's Accept-Language (the console sends its own language), from
// the same catalogues as the relay's pages; English when it names none of ours.
import Router from '@koa/router';
import type Koa from 'koa';
import { adminApiSchemas, adminMethods, adminPath, deviceImportLimits, fail, userImportLimits, type AdminMethod } from '#protocol';
import { answer } from '../http/answer.js';
import { readJson } from '../http/body.js';
import { routerMiddleware } from '../http/routes.js';
import { requestLocale, translator, type Catalogues, type Msg, type PageLocale } from '../identity/page-locale.js';
import { requireUser, type UserState } from '../identity/require-user.js';
import type { Authenticator, Log } from '../ports.js';
import type { AdminService } from './admin-service.js';

// Large enough for a rule with hundreds of ranges, small enough that nobody fills memory with one call.
const bodyLimit = 256 * 1024;
// A user or device file of up to its maxBytes, as a JSON string (quotes and line ends escaped): a
// file just over the limit still arrives, so the answer names the limit instead of a bare 413.
const bodyLimits: Partial<Record<AdminMethod, number>> = {
  importUsers: 3 * userImportLimits.maxBytes,
  importDevices: 3 * deviceImportLimits.maxBytes,
};

export function adminRoutes(deps: { service: AdminService; auth: Authenticator; log: Log; catalogues: Catalogues }): Koa.Middleware {
  const auth = requireUser(deps.auth);
  const router = new Router<UserState>();
  // One translator per language, made once.
  const translators = new Map<PageLocale, Msg>();
  const msgFor = (locale: PageLocale): Msg => {
    let t = translators.get(locale);
    if (!t) translators.set(locale, (t = translator(deps.catalogues, locale)));
    return t;
  };
  for (const method of adminMethods) {
    router.post(adminPath(method), auth, async (ctx) => {
      ctx.vary('Accept-Language');
      // Accept-Language only: the admin API has no picker or cookie of its own; the console says its
      // language in every call. The first tag we speak (sv-SE → sv), else English.
      const t = msgFor(requestLocale({ acceptLanguage: ctx.get('accept-language') }).locale);
      // The role first: someone who is not an admin learns nothing, not even what the arguments should be.
      const allowed = await deps.service.authorize(ctx.state.user, method, t);
      if (!allowed.ok) return answer(ctx, allowed);
      // An empty body is `{}`: most methods take no arguments.
      const body = await readJson(ctx, { limit: bodyLimits[method] ?? bodyLimit, empty: {} });
      if (!body.ok) return answer(ctx, body);
      const args = adminApiSchemas[method].safeParse(body.value);
      if (!args.success) {
        return answer(ctx, fail('validation', args.error.issues.map((i) => `${i.path.join('.') || 'args'}: ${i.message}`).join('; ')));
      }
      try {
        answer(ctx, await deps.service.call(ctx.state.user, method, args.data, t));
      } catch (error) {
        deps.log.error('admin call failed', { method, error });
        answer(ctx, fail('internal', 'internal error'));
      }
    });
  }
  // Any other /api/admin/… is an unknown method: say so in the same Ack shape.
  router.all('/api/admin/*rest', (ctx) => answer(ctx, fail('not-found', 'no such admin method')));
  return routerMiddleware(router);
}
