// The console's admin forwarder: arguments checked against the admin API table before anything is
// sent, the signed-in user's token on the request, and transport trouble turned into Ack codes.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAdminForwarder, parseAdminAnswer } from '#desktop/main/admin-client.js';
import { createHttpsClient } from '#desktop/main/net/https-client.js';
import { ensureLocalCertificate } from '#relay/tls/local-ca.js';

describe('admin forwarder (DesktopApi.admin in main)', () => {
  let server: Server;
  let url: string;
  let caPem: string;
  const seen: Array<{ path: string; auth: string | undefined; language: string | undefined; body: string }> = [];

  const dir = mkdtempSync(join(tmpdir(), 'rh-admin-client-'));

  before(async () => {
    // The relay's own local CA and certificate, so the client trusts the stand-in as it trusts the relay.
    const tls = await ensureLocalCertificate(dir, ['localhost']);
    caPem = readFileSync(tls.caCertPath, 'utf8');
    server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ path: req.url ?? '', auth: req.headers.authorization, language: req.headers['accept-language'], body: Buffer.concat(chunks).toString('utf8') });
        if (req.url === '/api/admin/listRoles') {
          res.writeHead(403, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error: { code: 'admin-only', message: 'no' } }));
        } else if (req.url === '/api/admin/getSettings') {
          res.writeHead(502).end('<html>bad gateway</html>');
        } else {
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, value: { echoed: true } }));
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `https://localhost:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  });

  const forwarder = (opts: { signedIn?: boolean; token?: string | null; relayUrl?: string; locale?: () => string | undefined } = {}) => createAdminForwarder({
    relayUrl: opts.relayUrl ?? url,
    http: createHttpsClient(caPem),
    accessToken: async () => (opts.token === undefined ? 'tok-123' : opts.token),
    signedIn: () => opts.signedIn ?? true,
    ...(opts.locale ? { locale: opts.locale } : {}),
  });

  it('POSTs the validated arguments (defaults applied) with the Bearer token', async () => {
    seen.length = 0;
    const res = await forwarder()('listReports', { outcome: 'completed' });
    assert.deepEqual(res, { ok: true, value: { echoed: true } });
    assert.equal(seen[0]?.path, '/api/admin/listReports');
    assert.equal(seen[0]?.auth, 'Bearer tok-123');
    assert.deepEqual(JSON.parse(seen[0]?.body ?? ''), { outcome: 'completed', offset: 0, limit: 50 });
  });

  it('asks for the relay\'s messages in the console\'s current language, once it is known', async () => {
    seen.length = 0;
    let locale: string | undefined;
    const send = forwarder({ locale: () => locale });
    await send('listGroups', {});
    locale = 'ar';
    await send('listGroups', {});
    locale = 'zh-Hans';
    await send('listGroups', {});
    assert.deepEqual(seen.map((s) => s.language), [undefined, 'ar', 'zh-Hans']);
  });

  it('refuses bad arguments with validation and sends nothing', async () => {
    seen.length = 0;
    for (const [method, args] of [['saveRule', { name: '' }], ['deleteRole', { id: '' }], ['getSettings', { extra: 1 }], ['listReports', { limit: 10_000 }]] as const) {
      const res = await forwarder()(method, args);
      assert.ok(!res.ok && res.error.code === 'validation', `${method}: ${JSON.stringify(res)}`);
    }
    assert.equal(seen.length, 0);
  });

  it('answers unauthenticated when nobody is signed in, or the token cannot be had', async () => {
    seen.length = 0;
    const out = await forwarder({ signedIn: false })('getSettings', {});
    assert.ok(!out.ok && out.error.code === 'unauthenticated');
    const expired = await forwarder({ token: null })('getSettings', {});
    assert.ok(!expired.ok && expired.error.code === 'unauthenticated');
    assert.equal(seen.length, 0);
  });

  it('passes the relay\'s refusal through, and reads a status without an Ack body', async () => {
    const refused = await forwarder()('listRoles', {});
    assert.ok(!refused.ok && refused.error.code === 'admin-only');
    const gateway = await forwarder()('getSettings', {});
    assert.ok(!gateway.ok && gateway.error.code === 'relay-unreachable');
  });

  it('answers relay-unreachable when nothing listens', async () => {
    const res = await forwarder({ relayUrl: 'https://127.0.0.1:1' })('getSettings', {});
    assert.ok(!res.ok && res.error.code === 'relay-unreachable', JSON.stringify(res));
  });

  it('keeps a policy refusal and turns an unknown code into internal', () => {
    const withPolicy = parseAdminAnswer(409, JSON.stringify({ ok: false, error: { code: 'conflict', message: 'built-in', policy: { remedy: 'ask-admin' } } }));
    assert.deepEqual(withPolicy, { ok: false, error: { code: 'conflict', message: 'built-in', policy: { remedy: 'ask-admin' } } });
    const odd = parseAdminAnswer(400, JSON.stringify({ ok: false, error: { code: 'made-up', message: 'x' } }));
    assert.ok(!odd.ok && odd.error.code === 'internal');
    assert.ok(!parseAdminAnswer(401, 'nope').ok);
  });
});
