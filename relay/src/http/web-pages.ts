// The web app built into dist/web: /rh (sharer), /rhh (web helper), /assets/* (bundles).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Middleware } from 'koa';
import mount from 'koa-mount';
import serve from 'koa-static';
import { pageCsp } from './security-headers.js';

const pages: Record<string, string> = { '/rh': 'rh.html', '/rhh': 'rhh.html', '/enroll': 'enroll.html' };

export function webPages(opts: { webDistDir: string; publicUrl: string }): Middleware[] {
  const assets = mount('/assets', serve(join(opts.webDistDir, 'assets'), { index: false, maxage: 0, gzip: false, brotli: false }));
  const csp = pageCsp(opts.publicUrl);
  const withCsp: Middleware = async (ctx, next) => {
    await next();
    if (ctx.path in pages || ctx.path.startsWith('/assets/')) ctx.set('Content-Security-Policy', csp);
  };
  const html: Middleware = async (ctx, next) => {
    const file = pages[ctx.path];
    if (!file || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return next();
    try {
      // Read per request: a rebuilt bundle shows up without restarting the relay.
      ctx.body = await readFile(join(opts.webDistDir, file), 'utf8');
      ctx.type = 'text/html; charset=utf-8';
      ctx.set('Cache-Control', 'no-store');
    } catch {
      ctx.status = 503;
      ctx.type = 'text/plain; charset=utf-8';
      ctx.body = 'The web app is not built yet: run `npm run build`.';
    }
  };
  return [withCsp, html, assets];
}
