// The local CA (relay/src/tls/local-ca.ts) when a client trusts more than one of them: a console bundle
// with two relays' CAs, a relay that trusts its own CA and an identity provider's made the same way.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, get, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import forge from 'node-forge';
import { certificateSerial, ensureLocalCertificate } from '#relay/tls/local-ca.js';

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

  it('makes serials that OpenSSL loads whatever the random bytes, the all-zero ones included (once 1 start in 65,536 failed)', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const keyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const key = forge.pki.privateKeyFromPem(keyPem);
    for (const fill of [0x00, 0x01, 0x7f, 0x80, 0xff]) {
      const serial = certificateSerial(new Uint8Array(16).fill(fill));
      assert.match(serial, /^(0[1-9a-f]|[1-7][0-9a-f])[0-9a-f]{30}$/, `serial ${serial} from bytes 0x${fill.toString(16)}`);
      const cert = forge.pki.createCertificate();
      cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
      cert.serialNumber = serial;
      cert.validity.notBefore = new Date();
      cert.validity.notAfter = new Date(Date.now() + 86_400_000);
      cert.setSubject([{ name: 'commonName', value: 'localhost' }]);
      cert.setIssuer([{ name: 'commonName', value: 'localhost' }]);
      cert.sign(key, forge.md.sha256.create());
      assert.doesNotThrow(() => createSecureContext({ key: keyPem, cert: forge.pki.certificateToPem(cert) }), `serial ${serial}`);
    }
  });
});
