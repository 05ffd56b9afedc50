// The operator's endpoints and the HTTP side of request ids and refusal counts, as the first Koa
// middleware: /healthz (the process answers), /readyz (stores reachable, not stopping), /metrics
// (Prometheus). None of the three is logged per request: they are polled every few seconds.
import type { Middleware } from 'koa';
import { pageRefusalOf } from '../http/answer.js';
import type { RelayMetrics } from './metrics.js';
import { metricsAllowed } from './metrics-access.js';
import { checkReadiness, type ReadinessCheck } from './readiness.js';
import { acceptedRequestId, currentRequest, newRequestId, runInRequest } from './request-context.js';
import { refusalOf } from './socket-events.js';

export interface OpsRoutesDeps {
  metrics: RelayMetrics;
  /** The kept data and, with several nodes, Redis. */
  readinessChecks: () => readonly ReadinessCheck[];
  /** True once the relay started to close (or drain). */
  draining: () => boolean;
  metricsToken: string | undefined;
  /** Behind a trusted proxy, its X-Request-Id is taken over (when it looks like one). */
  trustProxy: boolean;
}

export function opsRoutes(deps: OpsRoutesDeps): Middleware {
  const operatorPaths: Record<string, Middleware> = {
    '/healthz': (ctx) => {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = { status: 'ok' };
    },
    '/readyz': async (ctx) => {
      const r = await checkReadiness(deps.readinessChecks(), deps.draining());
      ctx.set('Cache-Control', 'no-store');
      ctx.status = r.ready ? 200 : 503;
      ctx.body = r.ready ? { status: 'ready' } : { status: 'unready', draining: r.draining, failed: r.failed };
    },
    '/metrics': async (ctx) => {
      ctx.set('Cache-Control', 'no-store');
      if (!metricsAllowed(ctx.req, deps.metricsToken)) {
        ctx.status = deps.metricsToken === undefined ? 403 : 401;
        ctx.body = deps.metricsToken === undefined ? 'metrics are served to this host only' : 'a metrics token is required';
        return;
      }
      ctx.type = deps.metrics.registry.contentType;
      ctx.body = await deps.metrics.registry.metrics();
    },
  };
  return async (ctx, next) => {
    const operator = operatorPaths[ctx.path];
    if (operator && (ctx.method === 'GET' || ctx.method === 'HEAD')) return operator(ctx, next);
    const requestId = (deps.trustProxy ? acceptedRequestId(ctx.get('X-Request-Id') || undefined) : undefined) ?? newRequestId();
    ctx.set('X-Request-Id', requestId);
    // For the app's error handler, which runs outside the request's own context.
    ctx.state['requestId'] = requestId;
    await runInRequest(requestId, async () => {
      await next();
      const refused = refusalOf(ctx.body);
      const pageRefusal = refused ? undefined : pageRefusalOf(ctx);
      if (pageRefusal) deps.metrics.refused(pageRefusal, 'http');
      if (!refused) return;
      deps.metrics.refused(refused.error.code, 'http');
      if (currentRequest()?.refusalRecorded) ctx.body = { ...refused, error: { ...refused.error, requestId } };
    });
  };
}
