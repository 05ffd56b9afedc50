import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { demoDevices, demoPassword, demoTenants, demoUsers, seedDemoTenants, type DirectoryStore } from '#relay/directory/index.js';
import { schemaVersion } from '#relay/directory/schema.js';
import { forEachDirectoryBackend, freshDirectoryPlace } from '../../support/directory-backends.js';

describe('the tenant directory', () => forEachDirectoryBackend((backend) => {
  const place = freshDirectoryPlace(backend);

  it('shows the verified domain of a UPN inside the tenant\'s domains, and flags one outside', async () => {
    const directory = await place().open();
    await seedDemoTenants(directory);
    const helper = await directory.profile(demoTenants.contoso.id, demoUsers.contosoHelper.oid);
    assert.deepEqual(helper && { ...helper, photoUrl: helper.photoUrl.slice(0, 26) }, {
      userId: demoUsers.contosoHelper.oid,
      tenantId: demoTenants.contoso.id,
      tenantName: 'Contoso',
      name: 'Hanna Lindqvist',
      jobTitle: 'IT Support Specialist',
      company: 'Contoso Ltd.',
      upn: 'helper@contoso.example',
      domain: 'contoso.example',
      domainVerified: true,
      photoUrl: 'data:image/svg+xml;base64,',
    });
    const contractor = await directory.profile(demoTenants.contoso.id, demoUsers.contosoContractor.oid);
    assert.equal(contractor?.domain, 'contoso-partner.example');
    assert.equal(contractor?.domainVerified, false);
    // A profile is only found within its own tenant.
    assert.equal(await directory.profile(demoTenants.fabrikam.id, demoUsers.contosoHelper.oid), undefined);
    directory.close();
  });

  it('gives every demo user a picture with their initials', async () => {
    const directory = await place().open();
    await seedDemoTenants(directory);
    const svg = Buffer.from((await directory.profile(demoTenants.fabrikam.id, demoUsers.fabrikamSharer.oid))!.photoUrl.split(',')[1]!, 'base64').toString();
    assert.match(svg, /<svg[^>]*>.*>SR<\/text><\/svg>$/);
    directory.close();
  });

  it('checks passwords per tenant', async () => {
    const directory = await place().open();
    await seedDemoTenants(directory);
    const okResult = await directory.verifyPassword(demoTenants.contoso.id, 'Admin@Contoso.example', demoPassword);
    assert.ok(okResult.ok && okResult.value.roles[0] === 'Remote Help Administrator');
    const wrong = await directory.verifyPassword(demoTenants.contoso.id, 'admin@contoso.example', 'nope');
    assert.ok(!wrong.ok && wrong.error.code === 'sign-in-failed');
    const unknown = await directory.verifyPassword(demoTenants.contoso.id, 'nobody@contoso.example', demoPassword);
    assert.ok(!unknown.ok && unknown.error.code === 'sign-in-failed');
    const other = await directory.verifyPassword(demoTenants.contoso.id, 'sharer@fabrikam.example', demoPassword);
    assert.ok(!other.ok && other.error.code === 'tenant-mismatch');
    directory.close();
  });

  it('finds tenants by verified domain and keeps their settings', async () => {
    const directory = await place().open();
    await seedDemoTenants(directory);
    assert.equal((await directory.tenantByDomain('FABRIKAM.example'))?.id, demoTenants.fabrikam.id);
    assert.equal(await directory.tenantByDomain('contoso-partner.example'), undefined);
    assert.deepEqual((await directory.tenant(demoTenants.contoso.id))?.settings,
      { remoteHelpEnabled: true, allowUnenrolled: true, chatEnabled: true, allowEnrollment: true, reportRetentionDays: 0, branding: { organizationName: '', logo: '', accentColor: '' } });
    assert.equal((await directory.tenant(demoTenants.fabrikam.id))?.settings.allowUnenrolled, false);
    directory.close();
  });

  it('reopens an existing file: migrations and seeding are idempotent, passwords are kept', async () => {
    const first = await place().open();
    await seedDemoTenants(first);
    const before = await first.devicesChangedSince(demoTenants.contoso.id, undefined, 500);
    first.close();
    const hashOf = async () => {
      const kept = await place().kept();
      const row = (await sql<{ password_hash: string }>`SELECT password_hash FROM users WHERE upn = 'helper@contoso.example'`.execute(kept.db)).rows[0]!;
      return row.password_hash;
    };
    const stored = await hashOf();
    if (place().dataDir !== undefined) {
      const db = new Database(join(place().dataDir!, 'directory.db'), { readonly: true });
      assert.equal(db.pragma('user_version', { simple: true }), schemaVersion);
      db.close();
    }

    const second = await place().open();
    await seedDemoTenants(second);
    assert.deepEqual(await second.devicesChangedSince(demoTenants.contoso.id, undefined, 500), before);
    assert.equal((await second.tenants()).length, 2);
    assert.ok((await second.verifyPassword(demoTenants.contoso.id, 'helper@contoso.example', demoPassword)).ok);
    second.close();
    assert.deepEqual(await hashOf(), stored);
  });

  it('pages the device delta by (updatedAt, id) within one tenant', async () => {
    const directory = await place().open();
    await seedDemoTenants(directory);
    const contoso = demoDevices.filter((d) => d.tenantId === demoTenants.contoso.id);
    const page1 = await directory.devicesChangedSince(demoTenants.contoso.id, undefined, 3);
    assert.equal(page1.more, true);
    const page2 = await directory.devicesChangedSince(demoTenants.contoso.id, page1.last, 3);
    assert.deepEqual([...page1.devices, ...page2.devices].map((d) => d.id), contoso.slice(0, 6).map((d) => d.id));
    assert.equal(await directory.countChangesSince(demoTenants.contoso.id, page1.last), contoso.length - 3);
    assert.ok(contoso.length >= 8 && contoso.some((d) => d.platform === 'macOS') && contoso.some((d) => d.platform === 'Linux'));
    directory.close();
  });

  describe('one-time password links', () => {
    const { oid, tenantId } = demoUsers.contosoSharer;
    const now = Date.UTC(2026, 10, 30, 9, 0);
    let directory: DirectoryStore;
    let token: string;
    beforeEach(async () => {
      directory = await place().open();
      await seedDemoTenants(directory);
      token = await directory.createPasswordLink(tenantId, oid, now, 60_000);
    });
    afterEach(() => directory.close());

    it('sets the password once, even for two submissions at the same moment, and keeps only the link\'s hash', async () => {
      assert.equal((await directory.passwordLinkUser(token, now))?.upn, 'sharer@contoso.example');
      const [a, b] = await Promise.all([
        directory.usePasswordLink(token, 'first new passphrase', now + 1),
        directory.usePasswordLink(token, 'second new passphrase', now + 1),
      ]);
      assert.deepEqual([a.ok, b.ok].sort(), [false, true]);
      const loser = a.ok ? b : a;
      assert.equal(!loser.ok && loser.error.code, 'code-used');
      const winner = a.ok ? 'first new passphrase' : 'second new passphrase';
      assert.equal((await directory.verifyPassword(tenantId, 'sharer@contoso.example', winner)).ok, true);
      assert.equal((await directory.verifyPassword(tenantId, 'sharer@contoso.example', demoPassword)).ok, false, 'the old password is gone');
      assert.equal(await directory.passwordLinkUser(token, now + 2), undefined, 'used up');
      const kept = await place().kept();
      const stored = JSON.stringify((await sql`SELECT * FROM password_links`.execute(kept.db)).rows);
      assert.ok(!stored.includes(token), 'the link itself is not in the file');
    });

    it('answers code-expired after its lifetime and code-invalid for a token it never made', async () => {
      assert.equal(await directory.passwordLinkUser(token, now + 60_000), undefined);
      const late = await directory.usePasswordLink(token, 'a late passphrase', now + 60_000);
      assert.equal(!late.ok && late.error.code, 'code-expired');
      const made = await directory.usePasswordLink('not-a-token', 'any passphrase here', now);
      assert.equal(!made.ok && made.error.code, 'code-invalid');
      assert.equal((await directory.verifyPassword(tenantId, 'sharer@contoso.example', demoPassword)).ok, true, 'nothing changed');
    });
  });
}));
