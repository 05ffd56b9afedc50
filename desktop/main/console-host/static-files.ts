// Serves a file of the built console (dist/console) by relative path, never outside that folder.
import { createReadStream, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

export function serveStatic(res: ServerResponse, root: string, relPath: string, headers: Record<string, string>): void {
  const base = resolve(root);
  let file: string;
  try {
    file = resolve(base, decodeURIComponent(relPath));
  } catch {
    res.writeHead(400).end(); // malformed %-escape
    return;
  }
  const type = types[extname(file)];
  if (!file.startsWith(base + sep) || !type) {
    res.writeHead(404).end();
    return;
  }
  try {
    if (!statSync(file).isFile()) throw new Error('not a file');
  } catch {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-type': type, 'x-content-type-options': 'nosniff', ...headers });
  createReadStream(file).pipe(res);
}
