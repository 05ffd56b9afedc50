// The relay's Koa app: headers, health, the web pages, then the parts' routes (admin API, device
// enrollment, the identity provider).
import Koa from 'koa';
import type { Middleware } from 'koa';
import type { Log } from '../ports.js';
import { securityHeaders } from './security-headers.js';
import { webPages } from './web-pages.js';

export interface AppDeps {
  webDistDir: string;
  publicUrl: string;
  /** The parts' routes, in order; each passes on what it does not answer. */
  routes: Middleware[];
  /** RH_TRUST_PROXY: ctx.ip (sign-in rate limits) is the first X-Forwarded-For entry, as for sockets. */
  trustProxy: boolean;
  log: Log;
}

export function createApp(deps: AppDeps): Koa {
  const app = new Koa();
  app.proxy = deps.trustProxy;
  // Koa logs errors itself with the URL, which can hold a code (/rh?passcode=…): log only the path.
  app.silent = true;
  app.on('error', (error: unknown, ctx?: Koa.Context) => {
    // A client that hangs up mid-response is not the relay's fault.
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'ECONNRESET' || code === 'EPIPE') return;
    deps.log.error('http error', { error, path: ctx?.path });
  });
  // What users reach decides: behind a TLS proxy the relay itself speaks plain HTTP, its users HTTPS.
  app.use(securityHeaders({ https: new URL(deps.publicUrl).protocol === 'https:' }));
  app.use(async (ctx, next) => {
    if (ctx.path !== '/healthz') return next();
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { ok: true };
  });
  for (const m of [...webPages(deps), ...deps.routes]) app.use(m);
  return app;
}
