// `npm run tenant:create` on a fresh install, run as the operator runs it: the configuration file is made
// (or edited with its comments and ${VAR}s kept), the data folder gets the tenant, and the printed
// one-time link lets the first administrator choose a password and sign in to the relay started on that
// file. An existing id or domain, no configuration file, and the demo's data folder are refused,
// changing nothing.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { loadConfig } from '#relay/config.js';
import { applyConfiguredTenants } from '#relay/directory/configured-tenants.js';
import { createDirectory, seedDemoTenants } from '#relay/directory/index.js';
import { createMemoryLog } from '#relay/log.js';
import { systemClock } from '#relay/ports.js';
import { startRelay } from '#relay/start-relay.js';
import { choosePassword } from '../../support/password-link.js';
import { organizationPki } from '../../support/org-pki.js';
import { exited, spawnTsx } from '../../support/relay-process.js';
import { signInForToken } from '../../support/sign-in.js';

const tenantCreate = (env: Record<string, string>, ...args: string[]) => exited(spawnTsx('scripts/tenant-create.ts', args, env));
const linkIn = (stdout: string) => /(https:\/\/\S+\/auth\/set-password\?t=\S+)/.exec(stdout)?.[1];

describe('npm run tenant:create', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rh-tenant-create-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('makes the configuration and the tenant on a fresh install; the printed link lets the first administrator in', async () => {
    const file = join(dir, 'relay.yaml');
    const pki = await organizationPki(join(dir, 'pki'));
    const args = ['--name', 'Globex', '--domain', 'globex.example', '--admin', 'admin@globex.example', '--admin-name', 'Ada Lovelace'];
    const unsaid = await tenantCreate({ RH_CONFIG: file }, ...args);
    assert.equal(unsaid.code, 2, 'a new file needs to say how HTTPS is served');
    assert.match(unsaid.stderr, /with --cert FILE --key FILE .* or --trust-proxy --public-url/);
    const made = await tenantCreate({ RH_CONFIG: file }, ...args, '--cert', pki.cert, '--key', pki.key);
    assert.equal(made.code, 0, made.stderr);
    assert.match(made.stdout, /Made .*relay\.yaml: tenant Globex \(globex\), verified domain globex\.example/);
    assert.match(made.stdout, /Added as Remote Help Administrator of Globex: Ada Lovelace <admin@globex\.example>/);
    const link = linkIn(made.stdout);
    assert.ok(link, 'the link is printed');
    const text = readFileSync(file, 'utf8');
    assert.match(text, /^# Remote Help relay configuration/, 'a file with its explanation');
    assert.match(text, /dataDir: \.\/data/);

    // The relay started on that file serves the tenant; the link sets the administrator's password.
    const config = loadConfig({ RH_CONFIG: file, RH_PORT: '0', RH_HOST: 'localhost', RH_WEB_DIST: join(dir, 'no-web') });
    assert.equal(config.dataDir, join(dir, 'data'));
    assert.deepEqual(config.tls && [config.tls.certFile, config.tls.keyFile], [pki.cert, pki.key], 'the certificate it was given');
    const directory = createDirectory({ dataDir: config.dataDir });
    await applyConfiguredTenants(directory, config.tenants!);
    const relay = await startRelay({ config, directory, log: createMemoryLog(), clock: systemClock });
    try {
      const ca = readFileSync(pki.ca, 'utf8');
      await choosePassword(relay.url, link, ca, 'globex first admin passphrase');
      const claims = decodeJwt(await signInForToken(relay.url, 'admin@globex.example', 'globex first admin passphrase', ca));
      assert.equal(claims['tid'], 'globex');
      assert.deepEqual(claims['roles'], ['Remote Help Administrator']);
    } finally {
      await relay.close();
      directory.close();
    }
  });

  it('adds to an existing file keeping its comments and ${VAR}s, and refuses an id or a domain that exists', async () => {
    const file = join(dir, 'relay.yaml');
    const original = `# Our relay — do not edit on Fridays
publicUrl: \${HELP_URL}   # the address users reach
trustProxy: true
dataDir: ./state
tenants:
  # the first organization
  - { id: initech, name: Initech, verifiedDomains: [initech.example], identity: { type: embedded } }
`;
    writeFileSync(file, original);
    const env = { RH_CONFIG: file, HELP_URL: 'https://help.example.com' };
    const made = await tenantCreate(env, '--name', 'Globex Corp', '--domain', 'globex.example', '--admin', 'ops@globex.example');
    assert.equal(made.code, 0, made.stderr);
    assert.match(made.stdout, /tenant Globex Corp \(globex-corp\)/);
    assert.match(made.stdout, /Administrator of Globex Corp: ops <ops@globex\.example>/);
    assert.match(linkIn(made.stdout) ?? '', /^https:\/\/help\.example\.com\/auth\/set-password\?t=/, 'the link names the public URL');
    const text = readFileSync(file, 'utf8');
    for (const kept of ['# Our relay — do not edit on Fridays', '${HELP_URL}', '# the address users reach', '# the first organization', 'id: initech']) {
      assert.ok(text.includes(kept), `kept: ${kept}`);
    }
    assert.match(text, /- id: globex-corp\n\s+name: Globex Corp/);

    for (const [args, said] of [
      [['--name', 'Globex Corp', '--domain', 'other.example', '--admin', 'a@other.example'], /--id: the configuration has a tenant "globex-corp" already/],
      [['--name', 'Hooli', '--domain', 'initech.example', '--admin', 'a@initech.example'], /--domain: initech\.example is verified by the tenant "initech" already/],
      [['--name', 'Hooli', '--domain', 'hooli.example', '--admin', 'a@elsewhere.example'], /--admin: a@elsewhere\.example is not at hooli\.example/],
    ] as const) {
      const refused = await tenantCreate(env, ...args);
      assert.equal(refused.code, 2, refused.stdout);
      assert.match(refused.stderr, said);
    }
    assert.equal(readFileSync(file, 'utf8'), text, 'the file is as it was');
  });

  it('refuses without a configuration file, and refuses the demo\u2019s data folder, changing nothing', async () => {
    const none = await tenantCreate({}, '--name', 'Globex', '--domain', 'globex.example', '--admin', 'admin@globex.example');
    assert.equal(none.code, 2);
    assert.match(none.stderr, /set RH_CONFIG to its path or pass --config FILE/);

    const demoDir = join(dir, 'demo');
    const demo = createDirectory({ dataDir: demoDir });
    await seedDemoTenants(demo);
    demo.close();
    const file = join(dir, 'relay.yaml');
    const original = `dataDir: ${demoDir}\ntrustProxy: true\npublicUrl: https://help.example.com\ntenants:\n  - { id: initech, name: Initech, verifiedDomains: [initech.example], identity: { type: embedded } }\n`;
    writeFileSync(file, original);
    const refused = await tenantCreate({}, '--config', file, '--name', 'Globex', '--domain', 'globex.example', '--admin', 'admin@globex.example');
    assert.equal(refused.code, 2, refused.stdout);
    assert.match(refused.stderr, /holds the embedded demo/);
    assert.equal(readFileSync(file, 'utf8'), original);
    const after = createDirectory({ dataDir: demoDir });
    try {
      assert.equal(await after.tenant('globex'), undefined, 'the demo folder got nothing');
    } finally {
      after.close();
    }
  });
});
