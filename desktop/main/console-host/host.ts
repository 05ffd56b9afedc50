// The console host: the console renderer served on 127.0.0.1 to any browser, with the desktop API
// carried over a WebSocket instead of Electron IPC. Only the page that was given this launch's secret,
// loaded from this very origin, may call the API: a web page elsewhere can neither read the secret
// nor forge the Origin header.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { fail, type DesktopEvent } from '#protocol';
import { consoleCsp } from '../console-csp.js';
import type { Dispatch } from '../register-api.js';
import { serveStatic } from './static-files.js';

export interface ConsoleHostDeps {
  /** 0 = a random free port. */
  port: number;
  /** Folder with index.html and assets/ (dist/console). */
  staticDir: string;
  dispatch: Dispatch;
  subscribe(listener: (event: DesktopEvent) => void): () => void;
  relayOrigin: string;
  /** Defaults to 127.0.0.1; anything but a loopback address is refused. */
  host?: string;
}

export interface ConsoleHost {
  /** http://127.0.0.1:PORT/?k=SECRET — the only way in. */
  url: string;
  origin: string;
  close(): Promise<void>;
}

const loopback = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
// The largest call is a user import (a CSV file of up to 1 MB, escaped as JSON); the host is loopback only,
// behind a per-launch secret, so this bounds a bug rather than a stranger.
const maxMessageBytes = 3 * 1024 * 1024;

function sameSecret(given: string | null, secret: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

function refuseUpgrade(socket: Duplex): void {
  socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
}

export async function startConsoleHost(deps: ConsoleHostDeps): Promise<ConsoleHost> {
  const host = deps.host ?? '127.0.0.1';
  if (!loopback.has(host)) throw new Error(`the console host only listens on loopback, not ${host}`);
  const secret = randomBytes(32).toString('base64url');
  let origin = '';
  let csp = '';

  const fromHere = (req: IncomingMessage) =>
    loopback.has(req.socket.remoteAddress ?? '') && req.headers.host === new URL(origin).host;

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    // Host check: a DNS-rebinding page reaches us under its own name, and is turned away here.
    if (!fromHere(req) || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(403).end();
      return;
    }
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname === '/' || url.pathname === '/index.html') {
      if (!sameSecret(url.searchParams.get('k'), secret)) {
        res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' }).end('Open the console with the address printed at start-up.');
        return;
      }
      serveStatic(res, deps.staticDir, 'index.html', {
        'content-security-policy': csp,
        // The secret is in this page's URL: never send it onwards as a Referer.
        'referrer-policy': 'no-referrer',
        'cache-control': 'no-store',
      });
      return;
    }
    if (url.pathname.startsWith('/assets/')) {
      serveStatic(res, deps.staticDir, url.pathname.slice(1), { 'content-security-policy': csp });
      return;
    }
    res.writeHead(404).end();
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: maxMessageBytes });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', origin);
    const allowed = fromHere(req) && url.pathname === '/api' && sameSecret(url.searchParams.get('k'), secret)
      && req.headers.origin === origin;
    if (!allowed) {
      refuseUpgrade(socket);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveApi(ws));
  });

  function serveApi(ws: WebSocket): void {
    const unsubscribe = deps.subscribe((event) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ event }));
    });
    ws.on('close', unsubscribe);
    ws.on('message', (data, isBinary) => {
      let msg: unknown;
      try {
        msg = isBinary ? undefined : JSON.parse(data.toString());
      } catch {
        msg = undefined;
      }
      const id = (msg as { id?: unknown } | undefined)?.id;
      if (typeof id !== 'number' && typeof id !== 'string') {
        ws.close(1008, 'malformed message');
        return;
      }
      const { method, args } = msg as { method?: unknown; args?: unknown };
      const answer = (result: unknown) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id, result }));
      };
      deps.dispatch(method, args).then(answer, () => answer(fail('internal')));
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(deps.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  csp = consoleCsp({ connectSrc: [`ws://${new URL(origin).host}`], relayOrigin: deps.relayOrigin });

  return {
    url: `${origin}/?k=${secret}`,
    origin,
    async close() {
      for (const c of wss.clients) c.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
