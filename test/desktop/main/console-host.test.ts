import assert from 'node:assert/strict';
import { request } from 'node:http';
import { networkInterfaces } from 'node:os';
import { WebSocket } from 'ws';
import type { Ack, ConsoleStatus, DesktopEvent } from '#protocol';
import { startConsoleHost } from '#desktop/main/console-host/host.js';
import { startTestConsole, type TestConsole } from '../../support/console.js';

/** Nothing listens on port 1: a relay that cannot be reached, so every service is real but offline. */
const offlineRelay = 'https://127.0.0.1:1';

function httpGet(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    }).on('error', reject).end();
  });
}

/** Opens a WebSocket; resolves 'open' or the HTTP status it was refused with. */
function tryWebSocket(url: string, headers: Record<string, string>): Promise<{ ws?: WebSocket; refused?: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res) => {
      resolve({ refused: res.statusCode });
      ws.terminate();
    });
    ws.once('error', (e) => reject(e));
  });
}

function nextMessage(ws: WebSocket, where: (m: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const on = (data: Buffer) => {
      const m = JSON.parse(data.toString()) as Record<string, unknown>;
      if (!where(m)) return;
      ws.off('message', on);
      resolve(m);
    };
    ws.on('message', on);
  });
}

describe('console host', () => {
  let host: TestConsole;
  let origin: string;
  let secret: string;
  let apiUrl: string;

  before(async () => {
    host = await startTestConsole({ relayUrl: offlineRelay });
    const u = new URL(host.url);
    origin = u.origin;
    secret = u.searchParams.get('k') ?? '';
    apiUrl = `ws://${u.host}/api?k=${encodeURIComponent(secret)}`;
  });
  after(() => host.close());

  it('listens on 127.0.0.1 and puts a long random secret in its URL', () => {
    const u = new URL(host.url);
    assert.equal(u.hostname, '127.0.0.1');
    assert.ok(secret.length >= 40);
  });

  it('serves the page only with the secret, with a strict CSP and no referrer', async () => {
    assert.equal((await httpGet(`${origin}/`)).status, 403);
    assert.equal((await httpGet(`${origin}/?k=wrong`)).status, 403);
    const page = await httpGet(host.url);
    assert.equal(page.status, 200);
    assert.match(page.body, /assets\/app\.js/);
    const csp = String(page.headers['content-security-policy']);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(page.headers['referrer-policy'], 'no-referrer');
  });

  it('refuses a request that names another host (DNS rebinding) and paths outside the bundle', async () => {
    assert.equal((await httpGet(host.url, { host: `evil.example:${new URL(origin).port}` })).status, 403);
    assert.equal((await httpGet(`${origin}/assets/../../../../etc/passwd`)).status, 404);
    assert.equal((await httpGet(`${origin}/assets/%2e%2e%2f%2e%2e%2fpackage.json`)).status, 404);
    assert.equal((await httpGet(`${origin}/assets/app.js`)).status, 200);
  });

  it('refuses a WebSocket without the secret, with a wrong secret, or with a wrong Origin', async () => {
    const u = new URL(apiUrl);
    assert.equal((await tryWebSocket(`ws://${u.host}/api`, { origin })).refused, 403);
    assert.equal((await tryWebSocket(`ws://${u.host}/api?k=${'x'.repeat(secret.length)}`, { origin })).refused, 403);
    assert.equal((await tryWebSocket(apiUrl, { origin: 'https://evil.example' })).refused, 403);
    assert.equal((await tryWebSocket(apiUrl, { origin: `http://localhost:${u.port}` })).refused, 403);
    assert.equal((await tryWebSocket(apiUrl, {})).refused, 403);
  });

  it('cannot be bound to, or reached on, anything but loopback', async () => {
    await assert.rejects(
      startConsoleHost({ port: 0, host: '0.0.0.0', staticDir: host.staticDir, dispatch: async () => ({ ok: true, value: null }), subscribe: () => () => {}, relayOrigin: offlineRelay }),
      /loopback/,
    );
    const external = Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal);
    if (!external) return; // no other interface on this machine: the bind check above is the proof
    const port = new URL(origin).port;
    await assert.rejects(httpGet(`http://${external.address}:${port}/?k=${secret}`), /ECONNREFUSED/);
  });

  it('carries calls and answers over the accepted WebSocket, and pushes events', async () => {
    const { ws } = await tryWebSocket(apiUrl, { origin });
    assert.ok(ws);
    try {
      const answer = nextMessage(ws, (m) => m['id'] === 1);
      ws.send(JSON.stringify({ id: 1, method: 'getStatus', args: [] }));
      const status = (await answer)['result'] as Ack<ConsoleStatus>;
      assert.ok(status.ok);
      assert.equal(status.value.shell, 'console-host');
      assert.equal(status.value.account, null);

      const notSignedIn = nextMessage(ws, (m) => m['id'] === 2);
      ws.send(JSON.stringify({ id: 2, method: 'listDevices', args: [{}] }));
      assert.equal(((await notSignedIn)['result'] as Ack<unknown>).ok === false && ((await notSignedIn)['result'] as { error: { code: string } }).error.code, 'unauthenticated');

      const bad = nextMessage(ws, (m) => m['id'] === 3);
      ws.send(JSON.stringify({ id: 3, method: 'getDevice', args: [{ id: '' }] }));
      assert.equal(((await bad)['result'] as { error: { code: string } }).error.code, 'validation');

      const unreachable = nextMessage(ws, (m) => m['id'] === 4);
      ws.send(JSON.stringify({ id: 4, method: 'beginSignIn', args: [{ email: 'helper@contoso.example' }] }));
      assert.equal(((await unreachable)['result'] as { error: { code: string } }).error.code, 'relay-unreachable');

      const pushed = nextMessage(ws, (m) => 'event' in m);
      const event: DesktopEvent = { type: 'connection', payload: { connected: false } };
      host.services.events.emit(event);
      assert.deepEqual((await pushed)['event'], event);
    } finally {
      ws.close();
    }
  });

  it('closes a socket that sends something other than a request', async () => {
    const { ws } = await tryWebSocket(apiUrl, { origin });
    assert.ok(ws);
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send('not json');
    assert.equal(await closed, 1008);
  });
});
