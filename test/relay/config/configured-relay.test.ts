// The relay's own composition root (relay/src/main.ts) started as an operator starts it, with RH_CONFIG
// naming the organization's tenants and its own certificate: only those tenants exist, the certificate
// served is the organization's, and what cannot start says why and exits with code 2.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type TLSSocket } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { createDirectory, defaultTenantSettings, seedDemoTenants } from '#relay/directory/index.js';
import { ensureLocalCertificate } from '#relay/tls/local-ca.js';
import { organizationPki } from '#test/support/org-pki.js';
import { httpsGet } from '../../support/relay.js';
import { scimClient } from '../../support/scim-client.js';
import { exited, listening, logged, startRelayMain as startMain } from '../../support/relay-process.js';

/** One HTTP/1.1 request on a TLS connection that is already open; answers the status line. */
function statusOver(socket: TLSSocket, path: string): Promise<string> {
  return new Promise((resolve) => {
    let answer = '';
    const onData = (d: Buffer) => {
      answer += d.toString();
      if (answer.includes('\r\n')) {
        socket.off('data', onData);
        resolve(answer.slice(0, answer.indexOf('\r\n')));
      }
    };
    socket.on('data', onData);
    socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n`);
  });
}

function openTls(url: string, ca: string): Promise<TLSSocket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port), servername: hostname, ca }, () => resolve(socket));
    socket.once('error', reject);
  });
}

function servedCertificate(url: string, ca: string): Promise<X509Certificate> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port), servername: hostname, ca }, () => {
      const raw = socket.getPeerX509Certificate();
      socket.end();
      if (raw) resolve(raw);
      else reject(new Error('no certificate'));
    });
    socket.once('error', reject);
  });
}

describe('a relay started with the organization\u2019s configuration', function () {
  this.timeout(60_000);
  let dir: string;
  let pki: { cert: string; key: string; ca: string };
  let child: ChildProcess | undefined;

  /** Writes a configuration for the Globex tenant into `name`; `over` changes the data folder or the key. */
  const writeConfig = (name: string, over: { dataDir?: string; certFile?: string; keyFile?: string; scim?: boolean } = {}): string => {
    const path = join(dir, name);
    writeFileSync(path, `dataDir: ${over.dataDir ?? join(dir, 'data')}
tls: { certFile: ${over.certFile ?? pki.cert}, keyFile: ${over.keyFile ?? pki.key}, caFile: ${pki.ca} }
tenants:
  - id: globex
    name: Globex
    verifiedDomains: [globex.example]
    settings: { unenrolledHelp: true, chat: false }
    identity: { type: embedded }
${over.scim ? '    scim: { token: ${GLOBEX_SCIM_TOKEN} }\n' : ''}`);
    return path;
  };

  let orgDir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rh-configured-'));
    // The organization's own PKI: a CA and a server certificate that have nothing to do with the relay's local CA.
    orgDir = join(dir, 'org-pki');
    pki = await organizationPki(orgDir);
  });
  afterEach(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
    child = undefined;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('serves the organization\u2019s certificate and only the configured tenants, with their initial settings', async () => {
    const { url, stdout } = await listening((child = startMain({ RH_CONFIG: writeConfig('relay.yaml') })));
    const ca = readFileSync(pki.ca, 'utf8');
    const served = await servedCertificate(url, ca);
    assert.equal(served.fingerprint256, new X509Certificate(readFileSync(pki.cert)).fingerprint256);
    assert.doesNotMatch(stdout, /Local CA certificate/, 'no local CA is made or offered');

    const discovery = await httpsGet(`${url}/globex/v2.0/.well-known/openid-configuration`, ca);
    assert.equal(discovery.status, 200);
    assert.equal((JSON.parse(discovery.body) as { issuer: string }).issuer, `${url}/globex/v2.0`);
    const realm = await httpsGet(`${url}/auth/realm?email=someone@globex.example`, ca);
    assert.equal((JSON.parse(realm.body) as { tenantId: string; tenantName: string }).tenantName, 'Globex');
    const demo = await httpsGet(`${url}/auth/realm?email=helper@contoso.example`, ca);
    assert.equal(demo.status, 404, 'the demo tenants do not exist');

    child.kill('SIGTERM');
    await once(child, 'exit');
    const directory = createDirectory({ dataDir: join(dir, 'data') });
    try {
      assert.deepEqual((await directory.tenants()).map((t) => t.id), ['globex']);
      const settings = (await directory.tenant('globex'))!.settings;
      assert.equal(settings.allowUnenrolled, true);
      assert.equal(settings.chatEnabled, false);
      assert.equal(settings.remoteHelpEnabled, true, 'what the file leaves out keeps its default');
    } finally {
      directory.close();
    }
  });

  it('provisions the tenant over SCIM at /scim/v2 with the token the configuration reads from the environment', async () => {
    const token = 'globex-scim-token-from-the-environment-0123456789';
    const dataDir = join(dir, 'scim-data');
    const { url } = await listening((child = startMain({ RH_CONFIG: writeConfig('scim.yaml', { dataDir, scim: true }), GLOBEX_SCIM_TOKEN: token })));
    const ca = readFileSync(pki.ca, 'utf8');
    const scim = scimClient(url, ca, token);
    try {
      const created = await scim.post('/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'ada@globex.example', title: 'Engineer' });
      assert.equal(created.status, 201, created.text);
      assert.equal((await scim.send('GET', '/Users', { token: 'not-the-token' })).status, 401);
    } finally {
      scim.close();
    }
    child.kill('SIGTERM');
    await once(child, 'exit');
    const directory = createDirectory({ dataDir });
    try {
      const row = await directory.userByUpn('ada@globex.example');
      assert.deepEqual([row?.tenantId, row?.source, row?.jobTitle], ['globex', 'scim', 'Engineer']);
    } finally {
      directory.close();
    }
  });

  it('serves a renewed certificate after SIGHUP to new connections, keeps open ones, and keeps the old one if the new files are bad', async () => {
    // The files the operator renews in place.
    const live = join(dir, 'live');
    mkdirSync(live, { recursive: true });
    copyFileSync(pki.cert, join(live, 'tls.crt'));
    copyFileSync(pki.key, join(live, 'tls.key'));
    const s = await listening((child = startMain({
      RH_CONFIG: writeConfig('renew.yaml', { dataDir: join(dir, 'renew-data'), certFile: join(live, 'tls.crt'), keyFile: join(live, 'tls.key') }),
    })));
    const ca = readFileSync(pki.ca, 'utf8');
    const open = await openTls(s.url, ca);
    assert.match(await statusOver(open, '/auth/realm?email=a@globex.example'), /^HTTP\/1\.1 200/);

    // Renewed by the same CA, for one more name.
    const renewedDir = join(dir, 'renewed-pki');
    mkdirSync(join(renewedDir, 'tls'), { recursive: true });
    copyFileSync(join(orgDir, 'tls', 'ca.key'), join(renewedDir, 'tls', 'ca.key'));
    copyFileSync(pki.ca, join(renewedDir, 'tls', 'ca.pem'));
    await ensureLocalCertificate(renewedDir, ['localhost', 'help.globex.example']);
    copyFileSync(join(renewedDir, 'tls', 'server.pem'), join(live, 'tls.crt'));
    copyFileSync(join(renewedDir, 'tls', 'server.key'), join(live, 'tls.key'));
    s.child.kill('SIGHUP');
    await logged(s, 'tls certificate reloaded');
    const renewed = new X509Certificate(readFileSync(join(live, 'tls.crt'))).fingerprint256;
    assert.equal((await servedCertificate(s.url, ca)).fingerprint256, renewed);
    assert.match(await statusOver(open, '/auth/realm?email=a@globex.example'), /^HTTP\/1\.1 200/, 'the open connection goes on');

    // A half-written renewal: the key is not the certificate's. The relay keeps what it serves.
    copyFileSync(pki.key, join(live, 'tls.key'));
    s.child.kill('SIGHUP');
    await logged(s, 'tls certificate not reloaded; the previous one stays');
    assert.equal((await servedCertificate(s.url, ca)).fingerprint256, renewed);
    assert.equal(s.child.exitCode, null, 'still running');
    open.end();
  });

  it('will not serve the demo\'s data folder, whose passwords are public', async () => {
    const dataDir = join(dir, 'demo-data');
    const directory = createDirectory({ dataDir });
    await seedDemoTenants(directory);
    directory.close();
    const { code, stderr } = await exited((child = startMain({ RH_CONFIG: writeConfig('demo.yaml', { dataDir }) })));
    assert.equal(code, 2);
    assert.match(stderr, /holds the embedded demo \(its users' passwords are public\)/);
  });

  it('will not seed the demo into an organization\'s data folder when started without the configuration', async () => {
    const dataDir = join(dir, 'org-data');
    const directory = createDirectory({ dataDir });
    await directory.upsertTenant({ id: 'globex', name: 'Globex', verifiedDomains: ['globex.example'], settings: { ...defaultTenantSettings } });
    directory.close();
    const { code, stderr } = await exited((child = startMain({ RH_DATA_DIR: dataDir })));
    assert.equal(code, 2);
    assert.match(stderr, /holds an organization's tenants \(Globex\): start with its RH_CONFIG/);
  });

  it('will not serve a data folder that holds tenants the configuration does not name', async () => {
    const dataDir = join(dir, 'stranger-data');
    const directory = createDirectory({ dataDir });
    await directory.upsertTenant({ id: 'initech', name: 'Initech', verifiedDomains: ['initech.example'], settings: { ...defaultTenantSettings } });
    directory.close();
    const { code, stderr } = await exited((child = startMain({ RH_CONFIG: writeConfig('stranger.yaml', { dataDir }) })));
    assert.equal(code, 2);
    assert.match(stderr, /tenants that the configuration does not name: Initech \(initech\)/);
  });

  it('stops at a key that does not belong to the certificate, naming tls.keyFile', async () => {
    const other = join(dir, 'other-pki');
    await ensureLocalCertificate(other, ['localhost']);
    const { code, stderr } = await exited((child = startMain({ RH_CONFIG: writeConfig('wrong-key.yaml', { keyFile: join(other, 'tls', 'server.key') }) })));
    assert.equal(code, 2);
    assert.match(stderr, /tls\.keyFile: .* is not the key of the certificate/);
  });

  it('stops at a bad key before anything starts, naming it', async () => {
    writeFileSync(join(dir, 'typo.yaml'), 'tenants:\n  - { id: globex, name: Globex, verifiedDomain: [globex.example], identity: { type: embedded } }\n');
    const { code, stderr } = await exited((child = startMain({ RH_CONFIG: join(dir, 'typo.yaml') })));
    assert.equal(code, 2);
    assert.match(stderr, /tenants\[0\]\.verifiedDomain: unknown key/);
    assert.match(stderr, /tenants\[0\]\.verifiedDomains: /);
  });
});
