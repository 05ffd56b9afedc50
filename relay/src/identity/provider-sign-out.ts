// Ends a browser's sessions at the relay's own providers, from a request outside them (the web pages'
// POST /auth/signout). The providers' session cookies are on path "/", so they come with that request;
// each provider reads (and checks the signature of) its own cookie. Without this, a web sign-out left the
// provider's session alive for its whole lifetime, and the console client, which does not force a
// password prompt, got a code on that browser without one (a shared PC).
import type Koa from 'koa';
import type Provider from 'oidc-provider';

export async function endProviderSessions(providers: readonly Provider[], ctx: Koa.Context): Promise<void> {
  for (const provider of providers) {
    const cookies = provider.createContext(ctx.req, ctx.res).cookies;
    const name = provider.cookieName('session');
    if (!cookies.get(name)) continue;
    const session = await provider.Session.get(ctx);
    await session.destroy();
    // The cookie goes too (and its signature), so the browser holds nothing that names the old session.
    cookies.set(name, null, { path: '/', httpOnly: true, secure: true, sameSite: 'lax', signed: true });
  }
}
