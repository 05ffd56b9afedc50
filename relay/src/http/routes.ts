// A @koa/router as one Koa middleware: its routes, then its 405/501 answers for known paths.
import type Router from '@koa/router';
import type Koa from 'koa';
import compose from 'koa-compose';

export function routerMiddleware<S>(router: Router<S>): Koa.Middleware {
  return compose([router.routes(), router.allowedMethods()]) as Koa.Middleware;
}
