// Content-Security-Policy for the pages the identity part serves: the provider's sign-in, code, sign-out
// and error pages, and the /auth/* pages. They are plain server-rendered forms with no script, styled by
// the design system's stylesheets (/assets/*.css: 'self') and style attributes (the organization's accent
// colour on <html>), so nearly everything else is refused. The one script is oidc-provider's form_post page (it submits
// the code to the client): the provider adds that script's sha256 to script-src itself when the header
// is already set with a script-src (lib/helpers/script_src_sha.js), so the header goes on before it runs.
import type Koa from 'koa';

const policy = (formAction: string, script?: string): string =>
  ["default-src 'none'", ...(script ? [`script-src ${script}`] : []), "style-src 'self' 'unsafe-inline'", "img-src 'self' data:",
    `form-action ${formAction}`, "frame-ancestors 'none'", "base-uri 'none'"].join('; ');

/** The relay's /auth/* pages: their forms go to the relay itself (and on to its provider). */
export const authPageCsp = policy("'self'");

/**
 * The same, for a relay whose tenants sign in at outside providers: the email step's form is answered
 * with a redirect to the tenant's provider, and browsers hold a form's redirects to form-action too, so
 * those providers' origins (their authorities', where their sign-in pages are) are allowed as well.
 */
export function authPageCspFor(providerOrigins: readonly string[]): string {
  return providerOrigins.length ? policy(["'self'", ...new Set(providerOrigins)].join(' ')) : authPageCsp;
}

/**
 * The provider's pages. Besides its own origin, a form here may end at the console's loopback redirect
 * (http://localhost:PORT or http://127.0.0.1:PORT, form_post, or the redirect after the password or the
 * sign-out): browsers hold a form's redirects to form-action too. script-src 'none' becomes the form_post
 * script's hash where the provider adds it.
 */
export const providerPageCsp = policy("'self' http://localhost:* http://127.0.0.1:*", "'none'");

/** Sets `policy` on the response, then lets `next` answer; a hash added by oidc-provider replaces 'none'. */
export async function withCsp(ctx: Koa.Context, policy: string, next: () => Promise<unknown>): Promise<void> {
  ctx.set('Content-Security-Policy', policy);
  await next();
  const csp = ctx.response.get('Content-Security-Policy');
  if (!csp || !/'sha256-/.test(csp)) return;
  // "'none'" with other sources is ignored by browsers at best: drop it so the policy reads as meant.
  ctx.set('Content-Security-Policy', csp.split(';').map((d) => (/^\s*script-src\s/.test(d) ? d.replace(/\s'none'/, '') : d.trim())).join('; '));
}
