// API routes take a Bearer access token (the console) or the web session cookie (the web pages).
import type Koa from 'koa';
import { fail } from '#protocol';
import { answer } from '../http/answer.js';
import type { Authenticator, AuthUser } from '../ports.js';

export interface UserState {
  user: AuthUser;
}

export function requireUser(auth: Authenticator): Koa.Middleware<UserState> {
  return async (ctx, next) => {
    const header = ctx.get('authorization');
    const bearer = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    const result = header
      ? bearer
        ? await auth.verifyAccessToken(bearer)
        : fail<AuthUser>('unauthenticated', 'The Authorization header must be a Bearer token.')
      : await auth.userFromCookie(ctx.get('cookie') || undefined);
    if (!result.ok) {
      ctx.set('WWW-Authenticate', 'Bearer error="invalid_token"');
      answer(ctx, result);
      return;
    }
    ctx.state.user = result.value;
    await next();
  };
}
