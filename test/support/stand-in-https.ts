// The HTTPS ground both cloud stand-ins (Entra ID, Microsoft Graph) stand on: a server on 127.0.0.1
// and a random port, with a certificate from its own CA made in a temp folder, a
// log of what was asked, and a switch that makes it unreachable without giving up its port — so a
// test can show "the identity provider is down" and then "it is back" at the same address, and no
// other process can take the port meanwhile.
import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { ensureLocalCertificate } from '#relay/tls/local-ca.js';

export interface LoggedRequest {
  method: string;
  /** The path alone, e.g. /contoso-tid/oauth2/v2.0/token. */
  path: string;
  /** The path with its query, as the client sent it. */
  url: string;
  /** The Authorization header's scheme and first characters, for "did it send a bearer token" checks. */
  authorization?: string;
  at: number;
}

export interface StandInRequest {
  method: string;
  url: URL;
  headers: IncomingMessage['headers'];
  /** The body as text (forms and JSON are all these stand-ins take). */
  body: string;
}

export type StandInHandler = (req: StandInRequest, res: ServerResponse) => void | Promise<void>;

export interface HttpsStandIn {
  /** https://127.0.0.1:PORT, no trailing slash. */
  url: string;
  caPem: string;
  caCertPath: string;
  requests: LoggedRequest[];
  /** While on, every connection is reset as soon as it opens, and an open keep-alive one when it is used. */
  setUnreachable(on: boolean): void;
  close(): Promise<void>;
}

const maxBody = 1024 * 1024;

export async function startHttpsStandIn(name: string, handle: StandInHandler): Promise<HttpsStandIn> {
  const dir = await mkdtemp(join(tmpdir(), `rh-${name}-`));
  // A CA of its own (each local CA has a name of its own), for 127.0.0.1 where the stand-in listens.
  const cert = await ensureLocalCertificate(dir, ['127.0.0.1', 'localhost']);
  const caPem = await readFile(cert.caCertPath, 'utf8');
  const requests: LoggedRequest[] = [];
  let unreachable = false;

  const server = createServer({ key: cert.key, cert: cert.cert }, (req, res) => {
    // A keep-alive connection opened before the outage is cut when it is used, not when the outage
    // starts: cutting idle ones races with the client's pool, which may not have seen them close yet.
    if (unreachable) return req.socket.destroy();
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > maxBody) req.destroy();
      else chunks.push(c);
    });
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'https://stand-in.invalid');
      const auth = req.headers.authorization;
      requests.push({
        method: req.method ?? 'GET', path: url.pathname, url: req.url ?? '/', at: Date.now(),
        ...(auth ? { authorization: auth.slice(0, 16) } : {}),
      });
      Promise.resolve(handle({ method: req.method ?? 'GET', url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') }, res))
        .catch((err: unknown) => {
          // A bug in the stand-in itself: say so loudly, in the answer the test will read.
          if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(`${name} stand-in failed: ${err instanceof Error ? err.stack : String(err)}`);
        });
    });
  });
  // The TLS handshake happens after 'connection': resetting here is what a client sees of a dead host.
  server.on('connection', (socket: Socket) => {
    if (unreachable) socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    caPem,
    caCertPath: cert.caCertPath,
    requests,
    setUnreachable(on) {
      unreachable = on;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(text);
}

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
