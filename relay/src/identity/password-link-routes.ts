// /auth/set-password: where a one-time link from `npm run tenant:admin` (an embedded tenant's first
// administrator, or a new link for them) lets its user choose a password. The link is the only secret: it works
// once and for a day, and the password never travels anywhere but this form, over HTTPS.
import { str } from '@lit/localize';
import Router from '@koa/router';
import type Koa from 'koa';
import { readForm } from '../http/body.js';
import { routerMiddleware } from '../http/routes.js';
import type { DirectoryStore, DirectoryUser } from '../directory/index.js';
import { authPageCsp, withCsp } from './csp.js';
import { linkOn, messagePage, setPasswordForm } from './html.js';
import { lookOf, type ServerPages } from './server-pages.js';

/** Long enough that a guess at the sign-in page's limits gets nowhere; no other rule (NIST SP 800-63B). */
export const minPasswordLength = 12;

/** One answer for every link that does not work (used, expired, unknown): nothing tells them apart. */
function linkDoesNotWork(ctx: Koa.Context, pages: ServerPages): void {
  ctx.status = 410;
  const pc = pages.context(ctx, { picker: { action: '/rhh' } });
  ctx.body = messagePage(pc, pc.t('This link does not work'), pc.t('The link has been used already, has expired, or is not complete. Ask your administrator for a new one.'));
}

export function passwordLinkRoutes(deps: { directory: DirectoryStore; now: () => number; pages: ServerPages }): Koa.Middleware {
  const { directory, now, pages } = deps;
  const router = new Router({ prefix: '/auth' });
  // The picker comes back to the link (GET), which shows the same form.
  const contextOf = async (ctx: Koa.Context, token: string, user: DirectoryUser) =>
    pages.context(ctx, { look: lookOf(await directory.tenant(user.tenantId)), picker: { action: '/auth/set-password', keep: { t: token } } });
  const form = async (ctx: Koa.Context, token: string, user: DirectoryUser, error?: string): Promise<string> => {
    const pc = await contextOf(ctx, token, user);
    return setPasswordForm(pc, { token, upn: user.upn, orgName: pc.look?.name ?? '', minLength: minPasswordLength, ...(error ? { error } : {}) });
  };

  router.use((ctx, next) => {
    ctx.set('Cache-Control', 'no-store');
    // The token is in the address: keep it out of any Referer.
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.type = 'html';
    return next();
  });

  router.get('/set-password', async (ctx) => {
    const token = typeof ctx.query.t === 'string' ? ctx.query.t : '';
    const user = token ? await directory.passwordLinkUser(token, now()) : undefined;
    if (!user) return linkDoesNotWork(ctx, pages);
    ctx.body = await form(ctx, token, user);
  });

  router.post('/set-password', async (ctx) => {
    const body = await readForm(ctx);
    const token = body?.get('t') ?? '';
    const user = token ? await directory.passwordLinkUser(token, now()) : undefined;
    if (!body || !user) return linkDoesNotWork(ctx, pages);
    const { t } = await contextOf(ctx, token, user);
    const password = body.get('password') ?? '';
    const problem = [...password].length < minPasswordLength ? t(str`Choose a password of at least ${minPasswordLength} characters.`)
      : password.length > 1024 ? t('Choose a shorter password.')
      : body.get('confirm') !== password ? t('The two passwords are not the same.')
      : undefined;
    if (problem) {
      ctx.status = 400;
      ctx.body = await form(ctx, token, user, problem);
      return;
    }
    if (!(await directory.usePasswordLink(token, password, now())).ok) return linkDoesNotWork(ctx, pages);
    // The link is used (checked and used in one directory step): the picker goes on to the web pages.
    const pc = pages.context(ctx, { look: lookOf(await directory.tenant(user.tenantId)), picker: { action: '/rhh' } });
    ctx.body = messagePage(pc, pc.t('Your password is set'), pc.t(str`You can now sign in to Remote Help as ${user.upn}.`), linkOn('/rhh', pc.t('Open Remote Help')));
  });

  const routes = routerMiddleware(router);
  return (ctx, next) => (ctx.path === '/auth/set-password' ? withCsp(ctx, authPageCsp, () => Promise.resolve(routes(ctx, next))) : next());
}
