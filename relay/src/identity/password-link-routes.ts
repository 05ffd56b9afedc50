// /auth/set-password: where a one-time link from `npm run tenant:admin` (an embedded tenant's first
// administrator, or a new link for them) lets its user choose a password. The link is the only secret: it works
// once and for a day, and the password never travels anywhere but this form, over HTTPS.
import Router from '@koa/router';
import type Koa from 'koa';
import { readForm } from '../http/body.js';
import { routerMiddleware } from '../http/routes.js';
import type { DirectoryStore, DirectoryUser } from '../directory/index.js';
import { authPageCsp, withCsp } from './csp.js';
import { messagePage, setPasswordForm } from './html.js';

/** Long enough that a guess at the sign-in page's limits gets nowhere; no other rule (NIST SP 800-63B). */
export const minPasswordLength = 12;

/** One answer for every link that does not work (used, expired, unknown): nothing tells them apart. */
function linkDoesNotWork(ctx: Koa.Context): void {
  ctx.status = 410;
  ctx.body = messagePage('This link does not work', 'The link has been used already, has expired, or is not complete. Ask your administrator for a new one.');
}

export function passwordLinkRoutes(deps: { directory: DirectoryStore; now: () => number }): Koa.Middleware {
  const { directory, now } = deps;
  const router = new Router({ prefix: '/auth' });
  const form = (token: string, user: DirectoryUser, error?: string): string =>
    setPasswordForm({ token, upn: user.upn, orgName: directory.tenant(user.tenantId)?.name ?? '', minLength: minPasswordLength, ...(error ? { error } : {}) });

  router.use((ctx, next) => {
    ctx.set('Cache-Control', 'no-store');
    // The token is in the address: keep it out of any Referer.
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.type = 'html';
    return next();
  });

  router.get('/set-password', (ctx) => {
    const token = typeof ctx.query.t === 'string' ? ctx.query.t : '';
    const user = token ? directory.passwordLinkUser(token, now()) : undefined;
    if (!user) return linkDoesNotWork(ctx);
    ctx.body = form(token, user);
  });

  router.post('/set-password', async (ctx) => {
    const body = await readForm(ctx);
    const token = body?.get('t') ?? '';
    const user = token ? directory.passwordLinkUser(token, now()) : undefined;
    if (!body || !user) return linkDoesNotWork(ctx);
    const password = body.get('password') ?? '';
    const problem = [...password].length < minPasswordLength ? `Choose a password of at least ${minPasswordLength} characters.`
      : password.length > 1024 ? 'Choose a shorter password.'
      : body.get('confirm') !== password ? 'The two passwords are not the same.'
      : undefined;
    if (problem) {
      ctx.status = 400;
      ctx.body = form(token, user, problem);
      return;
    }
    if (!(await directory.usePasswordLink(token, password, now())).ok) return linkDoesNotWork(ctx);
    ctx.body = messagePage('Your password is set', `You can now sign in to Remote Help as ${user.upn}.`, '<p><a href="/rhh">Open Remote Help</a></p>');
  });

  const routes = routerMiddleware(router);
  return (ctx, next) => (ctx.path === '/auth/set-password' ? withCsp(ctx, authPageCsp, () => Promise.resolve(routes(ctx, next))) : next());
}
