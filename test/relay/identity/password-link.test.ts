// An embedded tenant from the operator's configuration gets its first administrator: the tenant:admin
// command makes the user and prints a one-time link; the person opens it, chooses a password, and signs
// in with it as a Remote Help Administrator. Real relay over HTTPS, real command, real sign-in.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { loadConfig } from '#relay/config.js';
import { applyConfiguredTenants } from '#relay/directory/configured-tenants.js';
import { createDirectory, defaultTenantSettings, type DirectoryStore } from '#relay/directory/index.js';
import { createMemoryLog } from '#relay/log.js';
import { systemClock } from '#relay/ports.js';
import { startRelay, type Relay } from '#relay/start-relay.js';
import { alertText, httpsRequest } from '../../support/https-fetch.js';
import { signInForToken } from '../../support/sign-in.js';
import { exited, spawnTsx } from '../../support/relay-process.js';
import { organizationPki, tlsLine } from '../../support/org-pki.js';

/** Runs `npm run tenant:admin -- ARGS` as the operator would; answers its exit code and output. */
const tenantAdmin = (env: Record<string, string>, ...args: string[]) => exited(spawnTsx('scripts/tenant-admin.ts', args, env));

describe('the first administrator of an embedded tenant', function () {
  this.timeout(60_000);
  let dir: string;
  let directory: DirectoryStore;
  let relay: Relay;
  let ca: string;
  let env: Record<string, string>;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rh-first-admin-'));
    const file = join(dir, 'relay.yaml');
    const pki = await organizationPki(join(dir, 'pki'));
    writeFileSync(file, `dataDir: ${join(dir, 'data')}
${tlsLine(pki)}
tenants:
  - { id: globex, name: Globex, verifiedDomains: [globex.example], identity: { type: embedded } }
`);
    const config = loadConfig({ RH_CONFIG: file, RH_PORT: '0', RH_HOST: 'localhost', RH_WEB_DIST: join(dir, 'no-web') });
    directory = createDirectory({ dataDir: config.dataDir });
    await applyConfiguredTenants(directory, config.tenants!);
    relay = await startRelay({ config, directory, log: createMemoryLog(), clock: systemClock });
    ca = readFileSync(pki.ca, 'utf8');
    env = { RH_CONFIG: file, RH_PUBLIC_URL: relay.url };
  });
  after(async () => {
    await relay.close();
    directory.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gets a one-time link, chooses a password with it, and signs in as a Remote Help Administrator', async () => {
    const made = await tenantAdmin(env, '--tenant', 'globex', '--email', 'ada@globex.example', '--name', 'Ada Lovelace', '--job-title', 'IT Lead');
    assert.equal(made.code, 0, made.stderr);
    assert.match(made.stdout, /Added as Remote Help Administrator of Globex: Ada Lovelace <ada@globex\.example>/);
    const link = /(https:\/\/\S+\/auth\/set-password\?t=\S+)/.exec(made.stdout)?.[1];
    assert.ok(link, 'the link is printed');
    const token = new URL(link).searchParams.get('t')!;

    const form = await httpsRequest(link, ca);
    assert.equal(form.status, 200);
    assert.match(form.body, /Choose a password/);
    assert.match(form.body, /ada@globex\.example/);
    assert.equal(form.headers['referrer-policy'], 'no-referrer');
    assert.match(String(form.headers['content-security-policy']), /default-src 'none'/);

    const post = (password: string, confirm = password) =>
      httpsRequest(`${relay.url}/auth/set-password`, ca, { method: 'POST', form: { t: token, password, confirm } });
    const short = await post('too short');
    assert.equal(short.status, 400);
    assert.match(alertText(short.body) ?? '', /at least 12 characters/);
    const mismatch = await post('correct horse battery staple', 'correct horse battery stable');
    assert.equal(mismatch.status, 400);
    assert.match(alertText(mismatch.body) ?? '', /not the same/);

    const password = 'correct horse battery staple';
    const done = await post(password);
    assert.equal(done.status, 200);
    assert.match(done.body, /Your password is set/);

    // The link works once.
    assert.equal((await httpsRequest(link, ca)).status, 410);
    assert.equal((await post('another good passphrase')).status, 410);

    const claims = decodeJwt(await signInForToken(relay.url, 'ada@globex.example', password, ca));
    assert.equal(claims['tid'], 'globex');
    assert.deepEqual(claims['roles'], ['Remote Help Administrator']);
    assert.equal((await directory.userByUpn('ada@globex.example'))?.jobTitle, 'IT Lead');
  });

  it('refuses an unknown tenant and an address outside the tenant\u2019s verified domains, naming the option', async () => {
    const unknown = await tenantAdmin(env, '--tenant', 'initech', '--email', 'bill@initech.example', '--name', 'Bill');
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /--tenant: there is no tenant "initech" \(there are: globex\)/);
    const outside = await tenantAdmin(env, '--tenant', 'globex', '--email', 'eve@elsewhere.example', '--name', 'Eve');
    assert.equal(outside.code, 2);
    assert.match(outside.stderr, /--email: eve@elsewhere\.example is not at one of Globex's verified domains \(globex\.example\)/);
    assert.equal(await directory.userByUpn('eve@elsewhere.example'), undefined, 'nobody was added');
  });

  it('gives a new link that retires the earlier one, and refuses an address of another tenant', async () => {
    const first = await tenantAdmin(env, '--tenant', 'globex', '--email', 'grace@globex.example', '--name', 'Grace Hopper');
    const second = await tenantAdmin(env, '--tenant', 'globex', '--email', 'grace@globex.example', '--name', 'Grace Hopper');
    assert.match(second.stdout, /Now Remote Help Administrator of Globex: Grace Hopper/);
    const linkOf = (out: string) => /(https:\/\/\S+\/auth\/set-password\?t=\S+)/.exec(out)?.[1] ?? '';
    assert.equal((await httpsRequest(linkOf(first.stdout), ca)).status, 410, 'the first link no longer works');
    assert.equal((await httpsRequest(linkOf(second.stdout), ca)).status, 200);

    await directory.upsertTenant({ id: 'initech', name: 'Initech', verifiedDomains: ['initech.example'], settings: { ...defaultTenantSettings } });
    await directory.upsertUser({ oid: randomUUID(), tenantId: 'initech', upn: 'bill@initech.example', name: 'Bill', jobTitle: '', company: 'Initech', photoUrl: '', roles: [], password: randomUUID() });
    await directory.upsertTenant({ id: 'globex', name: 'Globex', verifiedDomains: ['globex.example', 'initech.example'], settings: { ...defaultTenantSettings } });
    const stolen = await tenantAdmin({ RH_PUBLIC_URL: relay.url, RH_DATA_DIR: join(dir, 'data') }, '--tenant', 'globex', '--email', 'bill@initech.example', '--name', 'Bill');
    assert.equal(stolen.code, 2);
    assert.match(stolen.stderr, /--email: bill@initech\.example belongs to another tenant/);
    assert.deepEqual((await directory.userByUpn('bill@initech.example'))?.roles, [], 'nothing was given');
  });

  it('says the link does not work for a made-up token', async () => {
    const res = await httpsRequest(`${relay.url}/auth/set-password?t=${'A'.repeat(43)}`, ca);
    assert.equal(res.status, 410);
    assert.match(res.body, /This link does not work/);
  });
});
