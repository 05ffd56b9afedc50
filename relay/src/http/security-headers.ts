// Headers for every response, and a strict CSP for the relay's own pages. The identity provider's
// pages set their own (its form_post answer needs an inline script), so the CSP is not global.
import type { Middleware } from 'koa';

export function securityHeaders(): Middleware {
  return async (ctx, next) => {
    await next();
    ctx.set('X-Content-Type-Options', 'nosniff');
    // The sharer link carries the security code in its query: never hand it on as a referrer.
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.set('Cross-Origin-Opener-Policy', 'same-origin');
    if (!ctx.response.get('X-Frame-Options')) ctx.set('X-Frame-Options', 'DENY');
  };
}

export function pageCsp(publicUrl: string): string {
  const wss = publicUrl.replace(/^https:/, 'wss:');
  return [
    "default-src 'self'",
    "script-src 'self'",
    // Lit falls back to <style> elements where constructable stylesheets are missing.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    `connect-src 'self' ${wss}`,
    "media-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join('; ');
}
