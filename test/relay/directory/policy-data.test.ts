// The directory's policy data (migration 2): built-in roles per tenant, the demo's scoped role and
// groups, new-tenant defaults, and an admin's changes surviving a restart with its re-seed.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createDirectory, defaultTenantSettings, demoTenants, demoUsers, seedDemoTenants } from '#relay/directory/index.js';
import { defaultCompliancePolicy } from '#relay/policy/compliance.js';
import { forEachDirectoryBackend, freshDirectoryPlace } from '../../support/directory-backends.js';

const contoso = demoTenants.contoso.id;
const fabrikam = demoTenants.fabrikam.id;

describe('the directory\'s policy data', () => forEachDirectoryBackend((backend) => {
  const place = freshDirectoryPlace(backend);

  it('seeds both built-in roles in every tenant, and Finance Support in Contoso only', async () => {
    const directory = await place().open();
    await seedDemoTenants(directory);
    assert.deepEqual((await directory.roles(fabrikam)).map((r) => r.name), ['Help Desk Operator', 'Remote Help Administrator']);
    const finance = (await directory.roles(contoso)).find((r) => r.name === 'Finance Support');
    assert.deepEqual(finance?.scope, { deviceGroups: ['Finance devices'], userGroups: ['Finance'] });
    assert.deepEqual(finance?.permissions, ['view-screen']);
    assert.deepEqual((await directory.user(contoso, demoUsers.contosoFinanceHelper.oid))?.roles, ['Finance Support']);
    directory.close();
  });

  it('gives users and devices groups, and a new tenant the safe defaults', async () => {
    const directory = await place().open();
    await seedDemoTenants(directory);
    assert.deepEqual(await directory.userGroups(contoso, demoUsers.contosoSharer.oid), ['Finance']);
    assert.deepEqual(await directory.userGroups(contoso, demoUsers.contosoHelper.oid), ['IT']);
    const groups = await directory.groups(contoso);
    assert.ok(groups.deviceGroups.includes('Finance devices') && groups.deviceGroups.includes('Servers'));
    assert.deepEqual(defaultTenantSettings, { remoteHelpEnabled: true, allowUnenrolled: false, chatEnabled: true, allowEnrollment: true, reportRetentionDays: 0, branding: { organizationName: '', logo: '', accentColor: '' } });
    await directory.upsertTenant({ id: 'new-tenant', name: 'Northwind', verifiedDomains: ['northwind.example'], settings: defaultTenantSettings });
    assert.equal((await directory.tenant('new-tenant'))?.settings.allowUnenrolled, false);
    assert.equal((await directory.roles('new-tenant')).length, 2);
    assert.deepEqual(await directory.compliancePolicy('new-tenant'), defaultCompliancePolicy);
    directory.close();
  });

  it('keeps an admin\'s settings, roles, rules and assignments across a restart', async () => {
    const first = await place().open();
    await seedDemoTenants(first);
    await first.updateSettings(contoso, { ...(await first.tenant(contoso))!.settings, chatEnabled: false });
    await first.setUserRoles(contoso, demoUsers.contosoSharer.oid, ['Help Desk Operator']);
    await first.saveRule(contoso, { id: 'r', name: 'R', enabled: true, mode: 'enforce', appliesTo: 'both', conditions: {}, grant: 'require-mfa' });
    await first.setCompliancePolicy(contoso, { ...defaultCompliancePolicy, maxCheckInAgeDays: 7 });
    const revision = await first.rulesRevision(contoso);
    first.close();

    const second = await place().open();
    await seedDemoTenants(second);
    assert.equal((await second.tenant(contoso))?.settings.chatEnabled, false);
    assert.deepEqual((await second.user(contoso, demoUsers.contosoSharer.oid))?.roles, ['Help Desk Operator']);
    assert.equal((await second.rules(contoso)).length, 1);
    assert.equal(await second.rulesRevision(contoso), revision);
    assert.equal((await second.compliancePolicy(contoso)).maxCheckInAgeDays, 7);
    second.close();
  });

  it('bumps the rules revision on every change, so compiled rules are rebuilt', async () => {
    const directory = await place().open();
    await seedDemoTenants(directory);
    const before = await directory.rulesRevision(contoso);
    await directory.saveRule(contoso, { id: 'r', name: 'R', enabled: true, mode: 'enforce', appliesTo: 'both', conditions: {}, grant: 'block' });
    await directory.deleteRule(contoso, 'r');
    assert.equal(await directory.rulesRevision(contoso), before + 2);
    assert.equal(await directory.rulesRevision(fabrikam), 0);
    directory.close();
  });
}));

describe('the directory\'s policy data in an older SQLite file', () => {
  let dir: string;
  beforeEach(async () => void (dir = await mkdtemp(join(tmpdir(), 'rh-policy-data-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('upgrades a version-1 file in place (migration 2), keeping its users', async () => {
    const old = new Database(join(dir, 'directory.db'));
    old.exec(`CREATE TABLE tenants (id TEXT PRIMARY KEY, name TEXT NOT NULL, verified_domains TEXT NOT NULL, settings TEXT NOT NULL);
      CREATE TABLE users (oid TEXT PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES tenants(id), upn TEXT NOT NULL COLLATE NOCASE UNIQUE,
        name TEXT NOT NULL, job_title TEXT NOT NULL, company TEXT NOT NULL, photo_url TEXT NOT NULL, password_hash TEXT NOT NULL, roles TEXT NOT NULL);
      CREATE INDEX users_tenant ON users(tenant_id);
      CREATE TABLE devices (id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES tenants(id), name TEXT NOT NULL, platform TEXT NOT NULL,
        os_version TEXT NOT NULL, primary_user TEXT NOT NULL, enrolled INTEGER NOT NULL, compliance TEXT NOT NULL,
        compliance_reasons TEXT NOT NULL, last_check_in TEXT NOT NULL, updated_at TEXT NOT NULL);
      CREATE INDEX devices_delta ON devices(tenant_id, updated_at, id);
      INSERT INTO tenants VALUES ('t1', 'Old', '["old.example"]', '{"remoteHelpEnabled":true,"allowUnenrolled":true,"chatEnabled":true}');
      INSERT INTO users VALUES ('u1', 't1', 'a@old.example', 'A', '', '', '', 'x', '["Help Desk Operator"]');
      PRAGMA user_version = 1;`);
    old.close();
    const directory = createDirectory({ dataDir: dir });
    assert.deepEqual((await directory.user('t1', 'u1'))?.groups, []);
    assert.equal((await directory.tenant('t1'))?.settings.reportRetentionDays, 0);
    assert.equal((await directory.roles('t1')).length, 2);
    directory.close();
  });
});
