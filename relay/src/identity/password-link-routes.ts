// /auth/set-password: where a one-time link from `npm run tenant:admin` (an embedded tenant's first
// administrator, or a reset) lets its user choose a password. The link is the only secret: it works
// once and for a day, and the password never travels anywhere but this form, over HTTPS.
import Router from '@koa/router';
import type Koa from 'koa';
import { readForm } from '../http/body.js';
import { routerMiddleware } from '../http/routes.js';
import type { DirectoryStore } from '../directory/index.js';
import { authPageCsp, withCsp } from './csp.js';
import { errorBox, escapeHtml, messagePage, page } from './html.js';

/** Long enough that a guess at the sign-in page's limits gets nowhere; no other rule (NIST SP 800-63B). */
export const minPasswordLength = 12;

function setPasswordForm(opts: { token: string; upn: string; orgName: string; error?: string }): string {
  const described = opts.error ? 'form-error password-help' : 'password-help';
  return page(`Choose a password – ${opts.orgName}`, `
<h1>Choose a password</h1><p class="org">${escapeHtml(opts.orgName)} · <span dir="auto">${escapeHtml(opts.upn)}</span></p>
${errorBox(opts.error)}
<form method="post" action="/auth/set-password">
  <input type="hidden" name="t" value="${escapeHtml(opts.token)}">
  <input type="hidden" name="username" autocomplete="username" value="${escapeHtml(opts.upn)}">
  <label for="password">New password</label>
  <input id="password" name="password" type="password" autocomplete="new-password" minlength="${minPasswordLength}" required autofocus aria-describedby="${described}">
  <p id="password-help">At least ${minPasswordLength} characters. A few words you will remember make a good one.</p>
  <label for="confirm">Confirm password</label>
  <input id="confirm" name="confirm" type="password" autocomplete="new-password" required>
  <button type="submit">Set password</button>
</form>`);
}

const invalidLink = (): string =>
  messagePage('This link does not work', 'The link has been used already, has expired, or is not complete. Ask your administrator for a new one.');

export function passwordLinkRoutes(deps: { directory: DirectoryStore; now: () => number }): Koa.Middleware {
  const { directory, now } = deps;
  const router = new Router({ prefix: '/auth' });
  const orgName = (tenantId: string): string => directory.tenant(tenantId)?.name ?? '';

  router.get('/set-password', (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    // The token is in the address: keep it out of any Referer.
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.type = 'html';
    const token = typeof ctx.query.t === 'string' ? ctx.query.t : '';
    const user = token ? directory.passwordLinkUser(token, now()) : undefined;
    if (!user) {
      ctx.status = 410;
      ctx.body = invalidLink();
      return;
    }
    ctx.body = setPasswordForm({ token, upn: user.upn, orgName: orgName(user.tenantId) });
  });

  router.post('/set-password', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.type = 'html';
    const form = await readForm(ctx);
    const token = form?.get('t') ?? '';
    const user = token ? directory.passwordLinkUser(token, now()) : undefined;
    if (!form || !user) {
      ctx.status = 410;
      ctx.body = invalidLink();
      return;
    }
    const password = form.get('password') ?? '';
    const again = (error: string): void => {
      ctx.status = 400;
      ctx.body = setPasswordForm({ token, upn: user.upn, orgName: orgName(user.tenantId), error });
    };
    if ([...password].length < minPasswordLength) return again(`Choose a password of at least ${minPasswordLength} characters.`);
    if (password.length > 1024) return again('Choose a shorter password.');
    if (form.get('confirm') !== password) return again('The two passwords are not the same.');
    const set = await directory.usePasswordLink(token, password, now());
    if (!set.ok) {
      ctx.status = 410;
      ctx.body = invalidLink();
      return;
    }
    ctx.body = messagePage('Your password is set', `You can now sign in to Remote Help as ${user.upn}.`, '<p><a href="/rhh">Open Remote Help</a></p>');
  });

  const routes = routerMiddleware(router);
  return (ctx, next) => (ctx.path === '/auth/set-password' ? withCsp(ctx, authPageCsp, () => Promise.resolve(routes(ctx, next))) : next());
}
