// The local CA (relay/src/tls/local-ca.ts) when a client trusts more than one of them: a console bundle
// with two relays' CAs, a relay that trusts its own CA and an identity provider's made the same way.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, get, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureLocalCertificate } from '#relay/tls/local-ca.js';

/** The status of a GET trusting only `ca`, or the TLS error's message. */
function statusOf(url: string, ca: string | string[]): Promise<number | string> {
  return new Promise((resolve) => {
    get(url, { ca }, (res) => { res.resume(); resolve(res.statusCode ?? 0); }).on('error', (e) => resolve(e.message));
  });
}

describe('the local CA', () => {
  const servers: Server[] = [];
  const dirs: string[] = [];
  after(async () => {
    for (const s of servers) await new Promise((r) => s.close(r));
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  /** An HTTPS server with a new local CA of its own; answers its URL and that CA's PEM. */
  async function serverWithOwnCa(): Promise<{ url: string; caPem: string }> {
    const dir = await mkdtemp(join(tmpdir(), 'rh-local-ca-'));
    dirs.push(dir);
    const cert = await ensureLocalCertificate(dir, ['localhost']);
    const server = createServer({ key: cert.key, cert: cert.cert }, (_req, res) => res.end('ok'));
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return { url: `https://localhost:${(server.address() as AddressInfo).port}/`, caPem: await readFile(cert.caCertPath, 'utf8') };
  }

  it('lets a client that trusts two local CAs, in one bundle or a list, in either order, reach the servers of both', async () => {
    const a = await serverWithOwnCa();
    const b = await serverWithOwnCa();
    for (const [what, ca] of [
      ['a list, a first', [a.caPem, b.caPem]],
      ['a list, b first', [b.caPem, a.caPem]],
      ['one PEM bundle, b first', `${b.caPem.trim()}\n${a.caPem.trim()}\n`],
    ] as const) {
      for (const server of [a, b]) {
        const status = await statusOf(server.url, typeof ca === 'string' ? ca : [...ca]);
        assert.equal(status, 200, `${what}: ${server.url} answered ${status}`);
      }
    }
  });
});
