// The provider's own sign-in page (the "login" interaction): Email and Password, checked against this
// tenant's directory. Served inside the provider's Koa app so it lives under /{tenantId}/v2.0/.
import type Koa from 'koa';
import type Provider from 'oidc-provider';
import type { DirectoryStore } from '../directory/index.js';
import type { Log, Tenant } from '../ports.js';
import { readForm } from './form-body.js';
import { messagePage, signInForm } from './html.js';

export function interactionRoutes(
  provider: Provider,
  deps: { tenant: Tenant; directory: DirectoryStore; basePath: string; log: Log },
): Koa.Middleware {
  return async (ctx, next) => {
    const match = /^\/interaction\/([\w-]+)(\/login)?$/.exec(ctx.path);
    if (!match) return next();
    ctx.set('Cache-Control', 'no-store');
    const details = await provider.interactionDetails(ctx.req, ctx.res).catch(() => undefined);
    if (!details || details.uid !== match[1]) {
      ctx.status = 400;
      ctx.type = 'html';
      ctx.body = messagePage('Sign-in expired', 'This sign-in page has expired. Go back to the app and sign in again.');
      return;
    }
    const action = `${deps.basePath}/interaction/${details.uid}/login`;
    const hint = typeof details.params.login_hint === 'string' ? details.params.login_hint : '';
    const show = (email: string, error?: string): void => {
      ctx.type = 'html';
      ctx.body = signInForm({ action, orgName: deps.tenant.name, email, ...(error ? { error } : {}) });
    };

    if (ctx.method === 'GET' && !match[2]) return show(hint);
    if (ctx.method !== 'POST' || !match[2]) {
      ctx.status = 405;
      return;
    }
    const form = await readForm(ctx);
    if (form?.get('cancel')) {
      // The app learns the user cancelled (access_denied) instead of waiting for a sign-in that never comes.
      const redirectTo = await provider.interactionResult(ctx.req, ctx.res, {
        error: 'access_denied',
        error_description: 'The sign-in was cancelled.',
      }, { mergeWithLastSubmission: false });
      ctx.status = 303;
      ctx.redirect(redirectTo);
      return;
    }
    const email = form?.get('email')?.trim() ?? '';
    const password = form?.get('password') ?? '';
    if (!email || !password) return show(email, 'Enter your email and password.');
    const checked = await deps.directory.verifyPassword(deps.tenant.id, email, password);
    if (!checked.ok) {
      deps.log.info('sign-in refused', { tenantId: deps.tenant.id, reason: checked.error.code });
      return show(email, checked.error.message);
    }
    const redirectTo = await provider.interactionResult(
      ctx.req,
      ctx.res,
      { login: { accountId: checked.value.oid, amr: ['pwd'], remember: true } },
      { mergeWithLastSubmission: false },
    );
    ctx.status = 303;
    ctx.redirect(redirectTo);
  };
}
