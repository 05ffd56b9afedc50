// POST /api/admin/{method}: a route per method of the admin API table (protocol/src/admin-api.ts), so
// a method without a route, or a route without a schema, cannot exist. Bearer token (or the web session
// cookie), args validated by the method's schema, the admin role checked on every call, Ack JSON back.
import Router from '@koa/router';
import type Koa from 'koa';
import { adminApiSchemas, adminMethods, adminPath, fail, type Ack, type ErrorCode } from '../../../protocol/src/index.js';
import { requireUser, type UserState } from '../identity/require-user.js';
import type { AuthUser, Log } from '../ports.js';
import type { AdminService } from './admin-service.js';

export interface AdminAuth {
  verifyAccessToken(token: string): Promise<Ack<AuthUser>>;
  userFromCookie(cookieHeader: string | undefined): Promise<Ack<AuthUser>>;
}

const statusOf: Partial<Record<ErrorCode, number>> = {
  'validation': 400, 'payload-too-large': 413, 'admin-only': 403, 'forbidden': 403, 'not-found': 404, 'conflict': 409, 'internal': 500,
};
// Large enough for a rule with hundreds of ranges, small enough that nobody fills memory with one call.
const bodyLimit = 256 * 1024;

function answer(ctx: Koa.Context, result: Ack<unknown>): void {
  ctx.set('Cache-Control', 'no-store');
  ctx.status = result.ok ? 200 : (statusOf[result.error.code] ?? 400);
  ctx.body = result;
}

/** An empty body is `{}`; JSON is required, which also keeps cross-site forms out (no CORS preflight is granted). */
async function readJson(ctx: Koa.Context): Promise<Ack<unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > bodyLimit) return fail('payload-too-large', 'the request body is too large');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return { ok: true, value: {} };
  if (!ctx.is('application/json')) return fail('validation', 'send the arguments as application/json');
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return fail('validation', 'the body is not JSON');
  }
}

export function adminRoutes(deps: { service: AdminService; auth: () => AdminAuth | undefined; log: Log }): Koa.Middleware {
  const starting = () => Promise.resolve(fail<AuthUser>('unauthenticated', 'The relay is starting.'));
  const auth = requireUser({
    verifyAccessToken: (t) => deps.auth()?.verifyAccessToken(t) ?? starting(),
    userFromCookie: (c) => deps.auth()?.userFromCookie(c) ?? starting(),
  });
  const router = new Router<UserState>();
  for (const method of adminMethods) {
    router.post(adminPath(method), auth, async (ctx) => {
      // The role first: someone who is not an admin learns nothing, not even what the arguments should be.
      const allowed = deps.service.authorize(ctx.state.user, method);
      if (!allowed.ok) return answer(ctx, allowed);
      const body = await readJson(ctx);
      if (!body.ok) return answer(ctx, body);
      const args = adminApiSchemas[method].safeParse(body.value);
      if (!args.success) {
        return answer(ctx, fail('validation', args.error.issues.map((i) => `${i.path.join('.') || 'args'}: ${i.message}`).join('; ')));
      }
      try {
        answer(ctx, deps.service.call(ctx.state.user, method, args.data));
      } catch (error) {
        deps.log.error('admin call failed', { method, error });
        answer(ctx, fail('internal', 'internal error'));
      }
    });
  }
  // Any other /api/admin/… is an unknown method: say so in the same Ack shape.
  router.all('/api/admin/*rest', (ctx) => answer(ctx, fail('not-found', 'no such admin method')));
  const routes = router.routes();
  const allowed = router.allowedMethods();
  return (ctx, next) => routes(ctx as never, () => allowed(ctx as never, next));
}
