// The relay's Koa app: headers, the operator's endpoints (health, readiness, metrics) and request ids,
// the web pages, then the parts' routes (admin API, device enrollment, the identity provider).
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
  /** /healthz, /readyz, /metrics, and each request's id (relay/src/ops/ops-routes.ts); absent: a bare
   * /healthz only. */
  ops?: Middleware;
  /** RH_TRUST_PROXY: ctx.ip (sign-in rate limits) is the first X-Forwarded-For entry, as for sockets. */
  trustProxy: boolean;
  log: Log;
}

/** Errors a client causes (a bad path, a malformed request) are not the relay's failures. */
function statusOf(error: unknown): number {
  const status = (error as { status?: unknown; statusCode?: unknown } | null);
  const value = status?.status ?? status?.statusCode;
  return typeof value === 'number' ? value : 500;
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
    // A client error thrown on purpose (koa-static's 400 "Malicious Path" for /assets//, any http-errors
    // 4xx) was answered with its status: anyone could fill the log with them. Koa's own default.
    if ((error as { expose?: unknown } | null)?.expose === true) return;
    const status = statusOf(error);
    const fields = { path: ctx?.path, status, ...(ctx?.state['requestId'] ? { requestId: ctx.state['requestId'] as string } : {}) };
    // Another 4xx is still the client's mistake: one line without a stack, not an error an operator is paged for.
    if (status < 500) deps.log.info('http request refused', { ...fields, reason: error instanceof Error ? error.message.slice(0, 200) : String(error) });
    else deps.log.error('http error', { ...fields, error });
  });
  // What users reach decides: behind a TLS proxy the relay itself speaks plain HTTP, its users HTTPS.
  app.use(securityHeaders({ https: new URL(deps.publicUrl).protocol === 'https:' }));
  app.use(deps.ops ?? (async (ctx, next) => {
    if (ctx.path !== '/healthz') return next();
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { status: 'ok' };
  }));
  for (const m of [...webPages(deps), ...deps.routes]) app.use(m);
  return app;
}
