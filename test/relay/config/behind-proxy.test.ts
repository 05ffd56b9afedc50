// An organization behind a TLS-terminating proxy (trustProxy, no tls): the relay speaks plain HTTP to the
// proxy on the loopback, and every link and provider address it makes is the public https:// one.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '#relay/config.js';
import { applyConfiguredTenants } from '#relay/directory/configured-tenants.js';
import { createDirectory, type DirectoryStore } from '#relay/directory/index.js';
import { createMemoryLog } from '#relay/log.js';
import { systemClock } from '#relay/ports.js';
import { startRelay, type Relay } from '#relay/start-relay.js';

function httpGet(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    }).on('error', reject).end();
  });
}

describe('a relay behind a TLS-terminating proxy', () => {
  let dir: string;
  let directory: DirectoryStore;
  let relay: Relay;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rh-behind-proxy-'));
    const file = join(dir, 'relay.yaml');
    writeFileSync(file, `publicUrl: https://help.globex.example
trustProxy: true
dataDir: ${join(dir, 'data')}
tenants:
  - { id: globex, name: Globex, verifiedDomains: [globex.example], identity: { type: embedded } }
`);
    const config = loadConfig({ RH_CONFIG: file, RH_PORT: '0', RH_WEB_DIST: join(dir, 'no-web') });
    directory = createDirectory({ dataDir: config.dataDir });
    await applyConfiguredTenants(directory, config.tenants!);
    relay = await startRelay({ config, directory, log: createMemoryLog(), clock: systemClock });
  });
  after(async () => {
    await relay.close();
    directory.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers the proxy in plain HTTP on the loopback, with the public https:// addresses in what it says', async () => {
    assert.equal(relay.url, 'https://help.globex.example');
    assert.equal(relay.caCertPath, undefined, 'no local CA is made for an organization');
    const realm = await httpGet(`http://127.0.0.1:${relay.port}/auth/realm?email=ada@globex.example`, {
      'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.7', host: 'help.globex.example',
    });
    assert.equal(realm.status, 200);
    assert.equal((JSON.parse(realm.body) as { authority: string }).authority, 'https://help.globex.example/globex');
    const discovery = await httpGet(`http://127.0.0.1:${relay.port}/globex/v2.0/.well-known/openid-configuration`, {
      'x-forwarded-proto': 'https', host: 'help.globex.example',
    });
    assert.equal((JSON.parse(discovery.body) as { issuer: string }).issuer, 'https://help.globex.example/globex/v2.0');
  });
});
