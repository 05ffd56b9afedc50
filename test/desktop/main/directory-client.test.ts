// Desktop main's client of the relay's directory API over real HTTPS (a stand-in with the relay's local
// CA): the page request as the wire contract has it, cancel reaching the request on the wire, and the
// relay's refusals turned into the codes the console shows.
import assert from 'node:assert/strict';
import type { DeviceSession } from '#protocol';
import { DirectoryError, directoryFailure, directoryPageSource, fetchDeviceSessions } from '#desktop/main/directory-client.js';
import { createHttpsClient } from '#desktop/main/net/https-client.js';
import { fakeDirectory, generateDevices } from './device-fixtures.js';
import { startDirectoryStandIn, type DirectoryStandIn } from './directory-stand-in.js';

describe('directory client (GET /api/devices, GET /api/devices/{id}/sessions)', () => {
  let relay: DirectoryStandIn;
  before(async () => { relay = await startDirectoryStandIn(); });
  after(() => relay.close());
  beforeEach(() => {
    relay.seen.length = 0;
    relay.override = null;
  });
  const http = () => createHttpsClient(relay.caPem);
  const signal = () => new AbortController().signal;

  it('asks for a page with since, limit and count=1 on the first request, with the Bearer token, and hands back the JSON text', async () => {
    relay.directory = fakeDirectory(generateDevices(30));
    const source = directoryPageSource(http(), relay.url, 'tok-123');
    const first = await source(undefined, { count: true, limit: 20, signal: signal() });
    assert.equal(typeof first, 'string');
    const page = JSON.parse(first as string) as { devices: unknown[]; cursor: string; more: boolean; expected: number };
    assert.deepEqual([page.devices.length, page.more, page.expected], [20, true, 30]);
    await source(page.cursor, { count: false, limit: 20, signal: signal() });
    assert.deepEqual(relay.seen.map((s) => s.query), [{ limit: '20', count: '1' }, { limit: '20', since: page.cursor }]);
    assert.ok(relay.seen.every((s) => s.path === '/api/devices' && s.auth === 'Bearer tok-123'));
  });

  it('a cancel aborts the request on the wire', async () => {
    let arrived!: () => void;
    const requested = new Promise<void>((r) => { arrived = r; });
    relay.override = () => {
      arrived();
      return true; // never answers
    };
    const controller = new AbortController();
    const pending = directoryPageSource(http(), relay.url, 'tok-123')(undefined, { count: true, limit: 5000, signal: controller.signal });
    await requested;
    controller.abort();
    await assert.rejects(pending, (e: Error) => e.name === 'AbortError');
    const deadline = Date.now() + 5000;
    while (relay.aborted === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.equal(relay.aborted, 1, 'the relay saw the request go');
  });

  it('turns the relay\'s refusals and a network failure into the codes the console shows', async () => {
    relay.override = (_req, res) => {
      res.writeHead(403, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'permission-missing', message: 'no help role' } }));
      return true;
    };
    const refused = await directoryPageSource(http(), relay.url, 'tok-123')(undefined, { count: true, limit: 10, signal: signal() }).catch((e: unknown) => e);
    assert.ok(refused instanceof DirectoryError);
    assert.deepEqual(directoryFailure(refused), { code: 'permission-missing', message: 'directory answered 403' });
    relay.override = null;
    const expired = await directoryPageSource(http(), relay.url, 'tok-expired')(undefined, { count: true, limit: 10, signal: signal() }).catch((e: unknown) => e);
    assert.equal(directoryFailure(expired)?.code, 'unauthenticated');
    const offline = await directoryPageSource(http(), 'https://127.0.0.1:1', 'tok-123')(undefined, { count: true, limit: 10, signal: signal() }).catch((e: unknown) => e);
    assert.equal(directoryFailure(offline)?.code, 'relay-unreachable');
    assert.equal(directoryFailure(new TypeError('a bug')), null, 'a bug is not an expected failure');
    assert.deepEqual(directoryFailure(new DirectoryError(502, 'bad gateway')), { code: 'internal', message: 'bad gateway' });
  });

  it('reads a device\'s sessions, newest first as the relay sends them; an unknown device is not-found', async () => {
    const sessions: DeviceSession[] = [
      { sessionId: 's2', helperName: 'Ana Lima', helperUpn: 'ana@contoso.example', startedAt: '2026-04-02T10:00:00.000Z', endedAt: null, outcome: 'sharing' },
      { sessionId: 's1', helperName: 'Bo Ek', helperUpn: 'bo@contoso.example', startedAt: '2026-04-01T10:00:00.000Z', endedAt: '2026-04-01T10:20:00.000Z', outcome: 'ended' },
    ];
    relay.sessions.set('dev/1', sessions);
    assert.deepEqual(await fetchDeviceSessions(http(), relay.url, 'tok-123', 'dev/1'), sessions);
    assert.equal(relay.seen[0]!.path, '/api/devices/dev%2F1/sessions');
    const missing = await fetchDeviceSessions(http(), relay.url, 'tok-123', 'nope').catch((e: unknown) => e);
    assert.deepEqual(directoryFailure(missing), { code: 'not-found', message: 'device sessions answered 404' });
    relay.override = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ sessions: [{ sessionId: 1 }] }));
      return true;
    };
    const odd = await fetchDeviceSessions(http(), relay.url, 'tok-123', 'dev/1').catch((e: unknown) => e);
    assert.equal(directoryFailure(odd)?.code, 'internal');
  });
});
