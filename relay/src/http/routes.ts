// A @koa/router as one Koa middleware: its routes, then its 405/501 answers for known paths.
import type Router from '@koa/router';
import type Koa from 'koa';
import compose from 'koa-compose';

export function routerMiddleware<S>(router: Router<S>): Koa.Middleware {
  const allowed = router.allowedMethods() as Koa.Middleware;
  // The 405/501 (and OPTIONS) answers are for requests nobody answered: allowedMethods looks only at the
  // status, so without this an answer of a part further down (SCIM's 404 error body) went out as 501
  // with a body that said 404.
  const allowedUnlessAnswered: Koa.Middleware = async (ctx, next) => {
    let answer: { status: number; body: unknown } | undefined;
    await allowed(ctx, async () => {
      await next();
      if (ctx.body !== undefined && ctx.body !== null) answer = { status: ctx.status, body: ctx.body };
    });
    if (answer && ctx.status !== answer.status) {
      ctx.body = answer.body;
      ctx.status = answer.status;
      ctx.remove('Allow');
    }
  };
  return compose([router.routes() as Koa.Middleware, allowedUnlessAnswered]);
}
