// API routes take a Bearer access token (the console) or the web session cookie (the web pages).
import type Koa from 'koa';
import { fail, type Ack } from '../../../protocol/src/index.js';
import type { AuthUser } from '../ports.js';

export interface UserState {
  user: AuthUser;
}

export function requireUser(deps: {
  verifyAccessToken(token: string): Promise<Ack<AuthUser>>;
  userFromCookie(cookieHeader: string | undefined): Promise<Ack<AuthUser>>;
}): Koa.Middleware<UserState> {
  return async (ctx, next) => {
    const header = ctx.get('authorization');
    const bearer = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    const result = header
      ? bearer
        ? await deps.verifyAccessToken(bearer)
        : fail<AuthUser>('unauthenticated', 'The Authorization header must be a Bearer token.')
      : await deps.userFromCookie(ctx.get('cookie') || undefined);
    if (!result.ok) {
      ctx.status = 401;
      ctx.set('WWW-Authenticate', 'Bearer error="invalid_token"');
      ctx.set('Cache-Control', 'no-store');
      ctx.body = result;
      return;
    }
    ctx.state.user = result.value;
    await next();
  };
}
