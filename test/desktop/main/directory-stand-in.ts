// An HTTPS stand-in for the relay's directory API (GET /api/devices, GET /api/devices/{id}/sessions),
// with the relay's own local CA, for desktop main's client tests: it answers from a fake directory and
// records what it was asked; a test can make it fail, stall or answer something else.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeviceSession } from '#protocol';
import { ensureLocalCertificate } from '#relay/tls/local-ca.js';
import type { FakeDirectory } from './device-fixtures.js';

export interface SeenRequest {
  path: string;
  query: Record<string, string>;
  auth: string | undefined;
}

export interface DirectoryStandIn {
  url: string;
  caPem: string;
  seen: SeenRequest[];
  /** What GET /api/devices answers from. */
  directory: FakeDirectory | null;
  sessions: Map<string, DeviceSession[]>;
  /** Answers instead of the directory when set (return true when it answered). */
  override: ((req: SeenRequest, res: ServerResponse) => boolean) | null;
  /** Requests whose socket closed before they were answered. */
  aborted: number;
  close(): Promise<void>;
}

export async function startDirectoryStandIn(): Promise<DirectoryStandIn> {
  const dir = mkdtempSync(join(tmpdir(), 'rh-dir-stand-in-'));
  const tls = await ensureLocalCertificate(dir, ['localhost']);
  const stand: DirectoryStandIn = {
    url: '', caPem: readFileSync(tls.caCertPath, 'utf8'), seen: [], directory: null, sessions: new Map(), override: null, aborted: 0,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
  const json = (res: ServerResponse, status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const server: Server = createServer({ key: tls.key, cert: tls.cert }, (req: IncomingMessage, res: ServerResponse) => {
    const u = new URL(req.url ?? '/', 'https://localhost');
    const seen: SeenRequest = { path: u.pathname, query: Object.fromEntries(u.searchParams), auth: req.headers.authorization };
    stand.seen.push(seen);
    res.on('close', () => { if (!res.writableFinished) stand.aborted++; });
    if (stand.override?.(seen, res)) return;
    if (seen.auth !== 'Bearer tok-123') return json(res, 401, { error: { code: 'unauthenticated', message: 'no token' } });
    const sessions = /^\/api\/devices\/([^/]+)\/sessions$/.exec(u.pathname);
    if (sessions) {
      const list = stand.sessions.get(decodeURIComponent(sessions[1]!));
      return list ? json(res, 200, { sessions: list }) : json(res, 404, { error: { code: 'not-found', message: 'no such device' } });
    }
    if (u.pathname === '/api/devices' && stand.directory) {
      void stand.directory.source(seen.query['since'], { count: seen.query['count'] === '1', limit: Number(seen.query['limit'] ?? 500), signal: new AbortController().signal })
        .then((body) => res.writeHead(200, { 'content-type': 'application/json' }).end(body), (e: Error) => json(res, 500, { error: { code: 'internal', message: e.message } }));
      return;
    }
    json(res, 404, { error: { code: 'not-found', message: 'no route' } });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  stand.url = `https://localhost:${(server.address() as AddressInfo).port}`;
  return stand;
}
