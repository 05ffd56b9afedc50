// Two adjustments at the token endpoint so MSAL behaves as against Entra:
// - MSAL re-sends `offline_access` when refreshing; the provider grants refresh tokens without that
//   scope (no consent prompt), so it would answer invalid_scope. We drop it from refresh requests.
// - Entra answers `client_info` (base64url {uid, utid}); without it MSAL's homeAccountId is only `sub`.
import type Koa from 'koa';

export function tokenEndpointAdjustments(): Koa.Middleware {
  return async (ctx, next) => {
    const isToken = ctx.method === 'POST' && ctx.path === '/token';
    if (isToken && ctx.is('application/x-www-form-urlencoded')) {
      const form = new URLSearchParams(await readRaw(ctx.req));
      if (form.get('grant_type') === 'refresh_token' && form.has('scope')) {
        const scopes = (form.get('scope') ?? '').split(' ').filter((s) => s && s !== 'offline_access');
        if (scopes.length) form.set('scope', scopes.join(' '));
        else form.delete('scope');
      }
      // The provider reads an already-read body from request.body (and warns once that it did).
      (ctx.request as { body?: unknown }).body = form.toString();
    }
    await next();
    const body = ctx.body as Record<string, unknown> | undefined;
    if (isToken && ctx.status === 200 && body && typeof body.id_token === 'string') {
      const claims = decodePayload(body.id_token);
      if (claims && typeof claims.oid === 'string' && typeof claims.tid === 'string') {
        body.client_info = Buffer.from(JSON.stringify({ uid: claims.oid, utid: claims.tid })).toString('base64url');
      }
    }
  };
}

async function readRaw(req: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 56 * 1024) break; // the provider's own limit; it rejects the truncated request
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function decodePayload(jwt: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
