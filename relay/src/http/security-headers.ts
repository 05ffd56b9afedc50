// Headers for every response, and a strict CSP for the relay's own pages. The identity provider's
// pages set their own (its form_post answer needs an inline script), so the CSP is not global.
import type { Middleware } from 'koa';

/** A year, the usual minimum for HSTS. No includeSubDomains: the relay's host name may share its
 * domain with services the relay's operator does not run over HTTPS; an operator adds it at the proxy. */
export const hstsValue = 'max-age=31536000';

export function securityHeaders(opts: { https: boolean }): Middleware {
  const always: Record<string, string> = {
    // Users reach the relay over HTTPS (its own TLS, or a TLS proxy in front of plain HTTP): a browser
    // that saw it once never tries plain http:// again, where a network attacker could answer.
    ...(opts.https ? { 'Strict-Transport-Security': hstsValue } : {}),
    'X-Content-Type-Options': 'nosniff',
    // The sharer link carries the security code in its query: never hand it on as a referrer.
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
  };
  return async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      // Koa answers a thrown error (koa-static's 400 for a malformed path, any ctx.throw) after removing
      // every header set so far, then sets the error's own `headers`: these go there, or such an
      // answer would go out without them.
      if (error !== null && typeof error === 'object') {
        const e = error as { headers?: Record<string, string> };
        e.headers = { ...e.headers, ...always, 'X-Frame-Options': 'DENY' };
      }
      throw error;
    }
    ctx.set(always);
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
